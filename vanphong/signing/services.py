"""Signing a PDF with PAdES (ETSI.CAdES.detached), incrementally, with the visible appearance of Decree 30/2020
(standards.md §1.9): the signer's handwritten signature image between title and name; the agency's red seal
overlapping the left third of the signer's image; on a separate attachment, the agency's signature at the top right
of page 1 with number/notation and time, no image.

B-B without a timestamper, B-T with one (RFC 3161). Each signature is an incremental update, so the signer's stays
valid when the agency signs after it. Times shown in stamps are Vietnam time."""

import datetime
import io
import zoneinfo
from pathlib import Path
from typing import Literal

from django.utils.translation import gettext as _
from fontTools.ttLib import TTFont
from PIL import Image, UnidentifiedImageError
from pyhanko.pdf_utils import images, layout
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.fields import SigFieldSpec, SigSeedSubFilter
from pyhanko.sign.general import SigningError as PyHankoSigningError
from pyhanko.stamp import StaticStampStyle, TextStampStyle

from vanphong.core import pdftext

from .errors import SigningError
from .providers.base import Signer

VIETNAM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# pyHanko 0.38 writes glyph widths in font units, so only fonts of 1000 units per em space correctly
# (signing-security.md §1.3, pitfall A): DejaVu Sans and Times New Roman (2048) overflow the box.
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",  # Debian fonts-noto-core
    "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf",
)
FONT_SIZE = 9
MM = 72 / 25.4
A4 = (595.28, 841.89)
ATTACHMENT_BOX = (70 * MM, 16 * MM)  # width, height of the attachment stamp
TOP_RIGHT_MARGIN = (20 * MM, 12 * MM)  # right margin, distance from the top edge

Role = Literal["signer", "agency", "attachment"]
Box = tuple[float, float, float, float]


def vietnam_time(moment: datetime.datetime) -> str:
    """The time as shown in stamps and reports: 14:05:09 26/11/2026 +07:00."""
    local = moment.astimezone(VIETNAM)
    return local.strftime("%H:%M:%S %d/%m/%Y ") + local.strftime("%z")[:3] + ":" + local.strftime("%z")[3:]


def stamp_font() -> str:
    for path in FONT_CANDIDATES:
        if Path(path).exists() and TTFont(path, lazy=True)["head"].unitsPerEm == 1000:
            return path
    raise SigningError(_("No font for Vietnamese signature stamps is installed (Noto Sans)."))


def read_png(image_png: bytes) -> Image.Image:
    """The signature or seal image, which must be a PNG (with a transparent background)."""
    if not image_png or not image_png.startswith(PNG_MAGIC):
        raise SigningError(_("The signature image must be a PNG file with a transparent background."))
    try:
        image = Image.open(io.BytesIO(image_png))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise SigningError(_("The signature image is damaged and cannot be read.")) from error
    if image.mode not in ("RGBA", "LA", "RGB", "L", "P"):
        image = image.convert("RGBA")
    return image


def _open(pdf: bytes) -> IncrementalPdfFileWriter:
    if not pdf[:1024].lstrip().startswith(b"%PDF-") and b"%PDF-" not in pdf[:1024]:
        raise SigningError(_("The file is not a PDF document."))
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    except (PdfError, ValueError, KeyError, IndexError, TypeError) as error:
        raise SigningError(_("The PDF file is damaged and cannot be signed.")) from error
    if writer.prev.encrypted:
        raise SigningError(_("The PDF file is encrypted and cannot be signed."))
    return writer


def _page_count(writer) -> int:
    return int(writer.root["/Pages"]["/Count"])


def _page_index(writer, page: int) -> int:
    count = _page_count(writer)
    index = page if page >= 0 else count + page
    if not 0 <= index < count:
        raise SigningError(_("The document has no page %(page)d.") % {"page": page + 1 if page >= 0 else page})
    return index


def _page_size(writer, index: int) -> tuple[float, float]:
    node = writer.find_page_for_modification(index)[0].get_object()
    while node is not None:
        if "/MediaBox" in node:
            x1, y1, x2, y2 = (float(v) for v in node["/MediaBox"])
            return abs(x2 - x1), abs(y2 - y1)
        node = node.get("/Parent")
        node = node.get_object() if node is not None else None
    return A4


def signature_field(writer_or_reader, name: str) -> tuple[int, Box, bool] | None:
    """(page index, box, signed) of the signature field called `name`, or None."""
    for field_name, value, ref in fields.enumerate_sig_fields(writer_or_reader, with_name=name):
        if field_name != name:
            continue
        field = ref.get_object()
        widget = field if "/Rect" in field else field["/Kids"][0].get_object()
        box = tuple(float(v) for v in widget["/Rect"])
        page_ref = widget.get_value_as_reference("/P") if "/P" in widget else None
        index = 0
        if page_ref is not None:
            for i in range(_page_count(writer_or_reader)):
                if writer_or_reader.find_page_for_modification(i)[0].idnum == page_ref.idnum:
                    index = i
                    break
        return index, box, value is not None
    return None


def find_marker(pdf: bytes, marker: str) -> tuple[int, Box] | None:
    """(page index, box) of the first occurrence of `marker` (core.pdftext), or None."""
    try:
        return pdftext.find_marker(pdf, marker)
    except pdftext.PdfTextUnavailable as error:
        raise SigningError(str(error)) from error


def agency_box(signer_box: Box, *, seal_size: float | None = None) -> Box:
    """The seal's box: a square (the seal's real size, by default the signer box's height) whose right edge lies one
    third into the signer's box, so the seal covers the left third of the signer's image, centred vertically."""
    x1, y1, x2, y2 = signer_box
    size = seal_size or (y2 - y1)
    right = x1 + (x2 - x1) / 3
    middle = (y1 + y2) / 2
    return right - size, middle - size / 2, right, middle + size / 2


def attachment_box(page_size: tuple[float, float]) -> Box:
    width, height = page_size
    w, h = ATTACHMENT_BOX
    right, top = TOP_RIGHT_MARGIN
    return width - right - w, height - top - h, width - right, height - top


SIGNER_STAMP_DPI = 288  # pixels per inch of the composed signer stamp (4 pixels per point)
MARKER_BLEED = 1.5  # points added around the marker's box when it is painted over (anti-aliased glyph edges)


def signer_stamp_image(image: Image.Image, box: Box, marker_box: Box | None = None) -> Image.Image:
    """The signer's stamp as one picture of `box`'s proportions: an opaque white rectangle exactly over
    `marker_box` (the template's placeholder text, which must not show in the signed document; only that box, since
    the title above and the name below belong to the template and stay visible) and the handwritten signature image
    centred, scaled to fit, over it. Everything else is transparent."""
    scale = SIGNER_STAMP_DPI / 72
    x1, y1, x2, y2 = box
    size = (max(1, round((x2 - x1) * scale)), max(1, round((y2 - y1) * scale)))
    canvas = Image.new("RGBA", size, (255, 255, 255, 0))
    if marker_box is not None:
        m1, n1, m2, n2 = marker_box
        left = max(0, round((m1 - MARKER_BLEED - x1) * scale))
        right = min(size[0], round((m2 + MARKER_BLEED - x1) * scale))
        top = max(0, round((y2 - n2 - MARKER_BLEED) * scale))
        bottom = min(size[1], round((y2 - n1 + MARKER_BLEED) * scale))
        if left < right and top < bottom:
            canvas.paste((255, 255, 255, 255), (left, top, right, bottom))
    signature = image.convert("RGBA")
    fit = min(size[0] / signature.width, size[1] / signature.height)
    signature = signature.resize((max(1, round(signature.width * fit)), max(1, round(signature.height * fit))))
    canvas.alpha_composite(signature, ((size[0] - signature.width) // 2, (size[1] - signature.height) // 2))
    return canvas


def _image_style(image: Image.Image, box: Box, marker_box: Box | None) -> StaticStampStyle:
    """The signer's image (over a white patch hiding the marker) or the agency's seal, alone in its box."""
    x1, y1, x2, y2 = box
    picture = signer_stamp_image(image, box, marker_box)
    return StaticStampStyle(
        background=images.PdfImage(picture, box=layout.BoxConstraints(x2 - x1, y2 - y1)),
        background_opacity=1.0,
        border_width=0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(0),
            inner_content_scaling=layout.InnerScaling.STRETCH_FILL,
        ),
    )


def _escape(text: str) -> str:
    return text.replace("%", "%%")


def _text_style(lines: list[str]) -> TextStampStyle:
    """The attachment's stamp: text lines (number/notation and signing time), no image."""
    font = stamp_font()
    text = "\n".join(_escape(line) for line in lines) or " "
    options = {
        "stamp_text": text,
        "text_box_style": TextBoxStyle(
            font=GlyphAccumulatorFactory(font, font_size=FONT_SIZE), font_size=FONT_SIZE, leading=FONT_SIZE + 2
        ),
        "border_width": 0,
        "inner_content_layout": layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(2),
        ),
    }
    return TextStampStyle(**options)


def sign_pdf(
    *,
    pdf: bytes,
    signer: Signer | signers.Signer,
    role: Role,
    field_name: str,
    page: int = -1,
    box: Box | None = None,
    marker: str | None = None,
    over_field: str | None = None,
    image_png: bytes | None = None,
    lines: tuple[str, ...] | list[str] = (),
    timestamper=None,
    reason: str | None = None,
    location: str | None = None,
    signed_at: datetime.datetime | None = None,
) -> bytes:
    """Sign `pdf` and return the new bytes (the original plus one incremental update).

    role "signer": the person's signature image (PNG) at `box` on `page`, or centred over the text `marker`
    (a placeholder in the template), which is painted over in white so it does not show. The stamp is the image
    only: the template already prints the title above and the name below the signature place (Decree 30), so
    `lines` are accepted for compatibility and not shown.
    role "agency": the red seal image (PNG) overlapping the left third of the signature field `over_field`
    (the signer's), or at `box`; the seal alone is shown (`lines` are not: the signature carries name and time).
    role "attachment": no image; top right of page 1; `lines` are the number/notation; the signing time is added.
    With `timestamper` (an RFC 3161 client) the signature is PAdES B-T, else B-B."""
    signed_at = signed_at or datetime.datetime.now(datetime.UTC)
    lines = list(lines)
    writer = _open(pdf)
    existing = signature_field(writer, field_name)
    if existing and existing[2]:
        raise SigningError(_("The signature field «%(field)s» is already signed.") % {"field": field_name})
    if existing:  # a field laid out in advance (at draft time) keeps its place
        page, box = existing[0], existing[1]

    image = None
    marker_box = None
    if role == "attachment":
        if image_png is not None:
            raise SigningError(_("An attachment is signed without a signature image."))
        page = 0
        box = box or attachment_box(_page_size(writer, 0))
        lines.append(_("Signed at: %(time)s") % {"time": vietnam_time(signed_at)})
    elif role in ("signer", "agency"):
        if image_png is None:
            raise SigningError(_("A signature image (PNG) is required."))
        image = read_png(image_png)
        if role == "agency":
            # Decree 30 Appendix I: the seal image alone; the agency's name and the signing time are carried by the
            # signature itself (its certificate and time), not written over the seal
            lines = []
            if box is None and over_field:
                found = signature_field(writer, over_field)
                if found is None:
                    raise SigningError(_("The document has no signature field «%(field)s».") % {"field": over_field})
                page, signer_box, _signed = found
                box = agency_box(signer_box)
        elif marker:
            found = find_marker(pdf, marker)
            if found is None and box is None:
                raise SigningError(_("The signature place «%(marker)s» is not in the document.") % {"marker": marker})
            if found is not None and box is None:
                page, (x1, y1, x2, y2) = found
                middle_x, middle_y = (x1 + x2) / 2, (y1 + y2) / 2
                box = (middle_x - 80, middle_y - 35, middle_x + 80, middle_y + 35)
            if found is not None and found[0] == _page_index(writer, page):
                marker_box = found[1]
    else:
        raise ValueError(f"unknown role {role!r}")

    if box is None:
        raise SigningError(_("No place is given for the signature."))
    if role == "signer":
        style = _image_style(image, box, marker_box)
    elif role == "agency":
        style = _image_style(image, box, None)
    else:
        style = _text_style(lines)
    field_spec = None
    if existing is None:
        field_spec = SigFieldSpec(sig_field_name=field_name, on_page=_page_index(writer, page), box=box)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer=signer.pyhanko_signer() if isinstance(signer, Signer) else signer,
        timestamper=timestamper,
        stamp_style=style,
        new_field_spec=field_spec,
    )
    output = io.BytesIO()
    try:
        pdf_signer.sign_pdf(writer, output=output)
    except PdfError as error:
        raise SigningError(_("The PDF file is damaged and cannot be signed.")) from error
    except PyHankoSigningError as error:  # the key source failed (token removed, remote service refused, ...)
        raise SigningError(_("The signature could not be made: %(reason)s") % {"reason": error}) from error
    return output.getvalue()
