"""The number (số) and date (ngày ... tháng ... năm ...) of an outgoing document, written after the signer signed
(standards.md §1.2, §1.3: the clerk numbers the signed document, then the agency signs).

Writing on the page after a signature would be an annotation or a content change, which the signer's signature
reports as a modification. So the places are laid out before the signer signs, as empty, read-only text fields
whose appearance is an opaque white patch over the template's marker (`prepare_places`); filling a field that the
signature already covers is form filling, which keeps the signature valid (`fill_places`). The filled text is drawn
in Noto Sans (services.stamp_font: Vietnamese diacritics, and the 1000-units-per-em glyph widths pyHanko needs) with
a ToUnicode map, so it can be searched and extracted as text."""

import io
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from fontTools.ttLib import TTFont
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.generic import pdf_name, pdf_string
from pyhanko.pdf_utils.misc import PdfError

from vanphong.core import pdftext
from vanphong.core.placeholders import Place

from .errors import SigningError
from .services import MARKER_BLEED, MM, _open, _page_index, _page_size, stamp_font

FIELD_NAMES = {"number": "so", "date": "ngay"}  # place (placeholders.MARKERS key) -> form field name
# the longest text each place will hold, to size its field (the date line grows rightwards from the marker)
LONGEST = {"number": "0000", "date": "ngày 28 tháng 12 năm 2026"}
RIGHT_MARGIN = 15 * MM  # a field never grows past the page's right margin (Decree 30: 15-20 mm)
MAX_FONT_SIZE = 14  # Decree 30 body text: 13-14 pt
FONT = "/F1"
# the white patch reaches a little past the marker's box (glyphs such as "]" dip below the box pdftotext gives);
# less sideways, where the marker may touch the rest of its word ("[[SO]]/QĐ-UBND")
BLEED_X, BLEED_Y = 0.5, MARKER_BLEED
READ_ONLY = 1  # field flag: only the system fills the number and date, never a person in a PDF viewer
# Decree 30 prints the number upright and the date line in italics, in a serif face: Noto Serif (Debian
# fonts-noto-core) has the Vietnamese letters and the 1000 units per em pyHanko needs.
PLACE_FONTS = {
    "so": "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf",
    "ngay": "/usr/share/fonts/truetype/noto/NotoSerif-Italic.ttf",
}
RIGHT_ALIGNED = {"so"}  # the number closes up to the notation after it ("12/QĐ-UBND"), whatever its width


def _place_font(field_name: str) -> str:
    path = PLACE_FONTS.get(field_name)
    return path if path and Path(path).exists() else stamp_font()


def find_places(pdf: bytes) -> dict[str, Place]:
    """The places whose marker is laid out in `pdf` (core.pdftext.find_places)."""
    try:
        return pdftext.find_places(pdf)
    except pdftext.PdfTextUnavailable as error:
        raise SigningError(str(error)) from error


def _font_size(marker_height: float) -> float:
    # a word's box from pdftotext spans the font's ascent and descent: about 0.93 em (Helvetica) to 1.1 em (Times)
    return round(min(MAX_FONT_SIZE, max(6.0, marker_height * 1.08)), 1)


def _text_width(text: str, size: float, font_path: str) -> float:
    font = TTFont(font_path, lazy=True)
    cmap, metrics = font.getBestCmap(), font["hmtx"].metrics
    units = font["head"].unitsPerEm
    return sum(metrics[cmap[ord(c)]][0] if ord(c) in cmap else units / 2 for c in text) * size / units


def _form_xobject(width: float, height: float, content: bytes, resources=None) -> generic.StreamObject:
    return generic.StreamObject(
        {
            pdf_name("/Type"): pdf_name("/XObject"),
            pdf_name("/Subtype"): pdf_name("/Form"),
            pdf_name("/BBox"): generic.ArrayObject(generic.FloatObject(v) for v in (0, 0, width, height)),
            pdf_name("/Resources"): resources if resources is not None else generic.DictionaryObject(),
        },
        stream_data=content,
    )


def _fields(writer) -> dict[str, generic.IndirectObject]:
    """The document's text fields laid out by prepare_places, by field name."""
    try:
        fields = writer.root["/AcroForm"]["/Fields"]
    except KeyError:
        return {}
    found = {}
    for ref in fields:
        field = ref.get_object()
        if field.get("/FT") == "/Tx" and str(field.get("/T", "")) in FIELD_NAMES.values():
            found[str(field["/T"])] = ref
    return found


def prepare_places(pdf: bytes, places: dict[str, Place] | None = None) -> bytes:
    """Lay out the number and date places of the unsigned draft `pdf`, before the signer signs: an empty, read-only
    text field at each ("so", "ngay"), whose appearance is an opaque white patch exactly over the marker. `places`
    are the markers' boxes as the draft's conversion recorded them, or else found in the PDF (find_places). Returns
    the PDF with one incremental update."""
    if places is None:
        places = find_places(pdf)
    wanted = {name: places[name] for name in FIELD_NAMES if name in places}
    if not wanted:
        raise SigningError(_("The document has no place for the number or the date."))
    writer = _open(pdf)
    if _fields(writer):
        raise SigningError(_("The number and date places are already laid out in this document."))
    root = writer.root
    if "/AcroForm" in root:
        form = root["/AcroForm"]
        writer.update_container(form)
    else:
        form = generic.DictionaryObject()
        root[pdf_name("/AcroForm")] = writer.add_object(form)
        writer.update_root()
    if "/Fields" in form:
        fields = form["/Fields"]
        if isinstance(form.raw_get("/Fields"), generic.IndirectObject):
            writer.update_container(fields)
    else:
        fields = form[pdf_name("/Fields")] = generic.ArrayObject()
    for name, place in wanted.items():
        index = _page_index(writer, place.page)
        page_ref = writer.find_page_for_modification(index)[0]
        x1, y1, x2, y2 = place.box
        size = _font_size(y2 - y1)
        page_width = _page_size(writer, index)[0]
        right = (
            max(
                x2,
                min(
                    page_width - RIGHT_MARGIN, x1 + _text_width(LONGEST[name], size, _place_font(FIELD_NAMES[name])) + 2
                ),
            )
            + BLEED_X
        )
        x1, y1, y2 = x1 - BLEED_X, y1 - BLEED_Y, y2 + BLEED_Y
        width, height = right - x1, y2 - y1
        # the white patch covers the marker's own box only, not the room the field has to its right
        blank = _form_xobject(width, height, b"q 1 g 0 0 %.3f %.3f re f Q" % (place.box[2] + BLEED_X - x1, height))
        field = generic.DictionaryObject(
            {
                pdf_name("/FT"): pdf_name("/Tx"),
                pdf_name("/T"): pdf_string(FIELD_NAMES[name]),
                pdf_name("/Ff"): generic.NumberObject(READ_ONLY),
                pdf_name("/DA"): pdf_string(f"{FONT} {size:g} Tf 0 g"),
                pdf_name("/Type"): pdf_name("/Annot"),
                pdf_name("/Subtype"): pdf_name("/Widget"),
                pdf_name("/F"): generic.NumberObject(4),  # printed
                pdf_name("/Rect"): generic.ArrayObject(generic.FloatObject(v) for v in (x1, y1, right, y2)),
                pdf_name("/P"): page_ref,
                pdf_name("/AP"): generic.DictionaryObject({pdf_name("/N"): writer.add_object(blank)}),
            }
        )
        field_ref = writer.add_object(field)
        fields.append(field_ref)
        writer.register_annotation(page_ref, field_ref)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def fill_places(pdf: bytes, values: dict[str, str]) -> bytes:
    """Write the number and date (`values` by place: {"number": "12", "date": "ngày 05 tháng 3 năm 2026"}) into
    the places prepare_places laid out, as one incremental update that only fills form fields, so signatures made
    before stay valid. A place is filled once: an issued number is not changed."""
    writer = _open(pdf)
    fields = _fields(writer)
    labels = {"number": pgettext("place", "number"), "date": pgettext("place", "date")}
    for name, text in values.items():
        field_name = FIELD_NAMES.get(name, name)
        label = labels.get(name, name)
        ref = fields.get(field_name)
        if ref is None:
            raise SigningError(
                _("The document has no «%(place)s» place to fill; the places are laid out before the signer signs.")
                % {"place": label}
            )
        field = ref.get_object()
        if field.get("/V"):
            raise SigningError(_("The «%(place)s» place is already filled.") % {"place": label})
        x1, y1, x2, y2 = (float(v) for v in field["/Rect"])
        width, height = x2 - x1, y2 - y1
        size = float(str(field["/DA"]).split()[1])
        engine = GlyphAccumulatorFactory(_place_font(field_name), font_size=size).create_font_engine(writer)
        engine.font_size = size
        shaped = engine.shape(text)
        text_width = shaped.x_advance * size
        scale = min(1.0, (width - 1) / text_width) if text_width > 0 else 1.0
        baseline = BLEED_Y + (height - 2 * BLEED_Y) * 0.2  # the marker box's descent below the baseline
        left = max(0.0, width - BLEED_X - text_width * scale) if field_name in RIGHT_ALIGNED else 0.0
        content = b"/Tx BMC q /Blank Do Q q %.4f 0 0 %.4f %.3f %.3f cm BT %s %g Tf 0 g %s ET Q EMC" % (
            scale,
            scale,
            left,
            baseline + (1 - scale) * size * 0.35,
            FONT.encode(),
            size,
            shaped.graphics_ops,
        )
        resources = generic.DictionaryObject(
            {
                pdf_name("/Font"): generic.DictionaryObject({pdf_name(FONT): engine.as_resource()}),
                pdf_name("/XObject"): generic.DictionaryObject({pdf_name("/Blank"): field["/AP"].raw_get("/N")}),
            }
        )
        appearance = writer.add_object(_form_xobject(width, height, content, resources))
        field[pdf_name("/V")] = pdf_string(text)
        field[pdf_name("/AP")] = generic.DictionaryObject({pdf_name("/N"): appearance})
        writer.update_container(field)
    output = io.BytesIO()
    try:
        writer.write(output)
    except PdfError as error:
        raise SigningError(_("The PDF file is damaged and cannot be signed.")) from error
    return output.getvalue()
