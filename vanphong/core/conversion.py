"""Drafts to PDF: a drafter uploads a Word (.docx) or OpenDocument (.odt) draft; the platform turns it into the PDF
that is reviewed, numbered and signed, and finds where the template's place markers (placeholders.MARKERS) were
laid out, without the markers showing in that PDF.

The outside system sits behind a small port: `DocumentConverter.to_pdf(data, filename) -> bytes`. The adapter
`LibreOfficeConverter` runs LibreOffice headless (Debian libreoffice-writer-nogui) in a throw-away directory with a
throw-away user profile, so that conversions running at the same time never share a profile, and kills it (the
whole process group) after VANPHONG_CONVERSION_TIMEOUT seconds. VANPHONG_DOCUMENT_CONVERTER names the adapter.

convert_draft() checks the upload first (empty, not a .docx/.odt inside, a damaged archive, a password-protected
document: LibreOffice would stop and wait for the password), then converts two versions at once: the draft as it is,
to read the marker boxes with `pdftotext -bbox`, and the draft with each marker's text replaced by non-breaking
spaces of about the same width (in the XML of the package, also when Word cut a marker over several runs), which
is the PDF kept. Replacing the text, not hiding or colouring it, is what keeps a marker out of the PDF's text layer.
Every refusal is a ConversionError whose message is the text the person sees."""

import contextlib
import html
import io
import logging
import os
import re
import shutil
import signal
import subprocess
import tempfile
import unicodedata
import zipfile
from abc import ABC, abstractmethod
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from . import files, pdftext
from .placeholders import MARKERS, Place

logger = logging.getLogger(__name__)

MAX_UNPACKED_MB = 200  # what a draft's package may unpack to (no decompression bomb)
PDFTOTEXT_TIMEOUT = 60

ODT = "application/vnd.oasis.opendocument.text"
ACCEPTED = {".docx": files.DOCX, ".odt": ODT}
FORMAT_NAMES = {files.DOCX: files.FORMAT_NAMES[files.DOCX], ODT: "OpenDocument (.odt)"}
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted .docx is an OLE2 compound file, as is a .doc
NBSP = "&#160;"  # a character reference: right in a part of any encoding
WORD_JOINER = "&#8288;"  # U+2060: zero width, not a blank

# Advance widths of Times New Roman (= Liberation Serif), thousandths of an em, for " " to "~": how wide a marker
# is, to blank it with as many non-breaking spaces (a quarter em each) and to find it inside a longer word.
_TIMES = (
    "250 333 408 500 500 833 778 180 333 333 500 564 250 333 250 278 500 500 500 500 500 500 500 500 500 500 278 278 "
    "564 564 564 444 921 722 667 667 722 611 556 722 722 333 389 722 611 889 722 722 556 722 667 556 611 722 722 944 "
    "722 722 611 333 278 333 469 500 333 444 500 444 500 444 333 500 500 278 278 500 278 778 500 500 500 500 333 389 "
    "278 500 500 722 500 500 444 480 200 480 541"
)
TIMES_WIDTHS = {chr(32 + i): int(w) / 1000 for i, w in enumerate(_TIMES.split())}
NBSP_WIDTH = 0.25


class ConversionError(Exception):
    """A draft that cannot be converted; the message is what the person sees."""


@dataclass(frozen=True)
class ConvertedDraft:
    """The PDF to review and sign (no marker in it), and where each marker found was: keys of MARKERS."""

    pdf: bytes
    places: dict[str, Place] = field(default_factory=dict)


class DocumentConverter(ABC):
    """The port every converter implements."""

    @abstractmethod
    def to_pdf(self, data: bytes, filename: str) -> bytes:
        """The document as PDF. `filename` gives the format (its extension) and the name in messages. Raises
        ConversionError, with the text shown to the person, when it cannot."""


class LibreOfficeConverter(DocumentConverter):
    """LibreOffice headless (`soffice --convert-to pdf`), one process per document, never through a shell."""

    def __init__(self, *, timeout: float | None = None):
        self.timeout = timeout or settings.VANPHONG_CONVERSION_TIMEOUT

    @staticmethod
    def binary() -> str | None:
        return shutil.which("soffice") or shutil.which("libreoffice")

    def to_pdf(self, data: bytes, filename: str) -> bytes:
        binary = self.binary()
        if binary is None:
            raise ConversionError(
                _(
                    "Drafts cannot be converted to PDF: LibreOffice is not installed on the server. "
                    "Tell the administrator."
                )
            )
        with tempfile.TemporaryDirectory(prefix="vanphong-convert-") as work:
            work = Path(work)
            source = work / f"draft{files.extension(filename) or '.docx'}"
            source.write_bytes(data)
            command = [
                binary,
                "--headless",
                "--invisible",
                "--norestore",
                "--nolockcheck",
                "--nodefault",
                f"-env:UserInstallation={(work / 'profile').as_uri()}",  # its own profile: no clash with others
                "--convert-to",
                "pdf",
                "--outdir",
                str(work / "out"),
                str(source),
            ]
            environment = {**os.environ, "HOME": str(work), "SAL_USE_VCLPLUGIN": "svp"}
            # a fixed argument list (no shell); the only variable parts are our own temporary paths
            process = subprocess.Popen(  # noqa: S603
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd=work,
                env=environment,
                start_new_session=True,  # its own process group: a timeout kills soffice.bin too, not only the script
            )
            try:
                stdout, stderr = process.communicate(timeout=self.timeout)
            except subprocess.TimeoutExpired:
                _kill(process)
                logger.warning("LibreOffice did not convert a draft within %s seconds", self.timeout)
                raise ConversionError(
                    _("Converting “%(name)s” to PDF took longer than %(seconds)s seconds and was stopped.")
                    % {"name": filename, "seconds": self.timeout}
                ) from None
            finally:
                _kill(process)  # a converter that forked and left a child behind
            result = work / "out" / "draft.pdf"
            if process.returncode != 0 or not result.is_file() or result.stat().st_size == 0:
                logger.warning(
                    "LibreOffice could not convert a draft (exit %s): %s",
                    process.returncode,
                    (stderr or stdout).decode("utf-8", "replace")[-500:],
                )
                raise ConversionError(
                    _(
                        "“%(name)s” could not be converted to PDF. Open it in Word, save it again as %(format)s "
                        "and upload it again."
                    )
                    % {"name": filename, "format": FORMAT_NAMES.get(ACCEPTED.get(files.extension(filename)), "PDF")}
                )
            return result.read_bytes()


def _kill(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    if process.returncode is None:
        process.communicate()


def converter() -> DocumentConverter:
    """The configured converter: VANPHONG_DOCUMENT_CONVERTER, a dotted path (LibreOffice by default)."""
    return import_string(settings.VANPHONG_DOCUMENT_CONVERTER)()


# --- Checking the upload ---------------------------------------------------------------------------------------------


def _damaged(filename: str) -> ConversionError:
    return ConversionError(
        _("“%(name)s” is damaged and cannot be opened. Open it in Word and save it again, or upload another copy.")
        % {"name": filename}
    )


def _password_protected(filename: str) -> ConversionError:
    return ConversionError(
        _("“%(name)s” is protected by a password. Remove the password (save a copy without it) and upload it again.")
        % {"name": filename}
    )


def check_draft(data: bytes, filename: str) -> str:
    """The draft's content type (DOCX or ODT) when it is one that can be converted; ConversionError otherwise."""
    expected = ACCEPTED.get(files.extension(filename))
    if expected is None:
        raise ConversionError(
            _("Only Word (.docx) and OpenDocument (.odt) drafts can be converted to PDF; “%(name)s” is neither.")
            % {"name": filename}
        )
    if not data:
        raise ConversionError(_("“%(name)s” is empty.") % {"name": filename})
    if data.startswith(OLE_SIGNATURE) and "EncryptionInfo".encode("utf-16-le") in data:
        raise _password_protected(filename)  # Office keeps an encrypted .docx in a compound file with this stream
    actual = files.sniff(io.BytesIO(data))
    if data.startswith(b"PK\x03\x04") and actual == files.UNKNOWN:
        raise _damaged(filename)
    if actual == files.ZIP and expected == ODT:
        actual = _opendocument_type(data, filename)
    if actual != expected:
        raise ConversionError(
            _("The content of “%(name)s” is not %(expected)s. Open it and save it again as %(expected)s.")
            % {"name": filename, "expected": FORMAT_NAMES[expected]}
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            if sum(info.file_size for info in package.infolist()) > MAX_UNPACKED_MB * 1024 * 1024:
                raise ConversionError(
                    _("“%(name)s” unpacks to more than %(limit)s MB and cannot be converted.")
                    % {"name": filename, "limit": MAX_UNPACKED_MB}
                )
            if package.testzip() is not None:
                raise _damaged(filename)
    except files.ZIP_ERRORS:
        raise _damaged(filename) from None
    return expected


def _opendocument_type(data: bytes, filename: str) -> str:
    """ODT for an OpenDocument text (refused when encrypted: LibreOffice would ask for its password)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
            mimetype = package.read("mimetype")[:100] if "mimetype" in names else b""
            manifest = package.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in names else b""
    except files.ZIP_ERRORS:
        raise _damaged(filename) from None
    if mimetype.strip() != ODT.encode():
        return files.ZIP
    if b"encryption-data" in manifest:
        raise _password_protected(filename)
    return ODT


# --- Blanking the markers --------------------------------------------------------------------------------------------


def text_width(text: str) -> float:
    """The advance width of `text` in Times New Roman, in em (a letter with diacritics as its base letter)."""
    width = 0.0
    for char in text:
        base = unicodedata.normalize("NFD", char.replace("đ", "d").replace("Đ", "D"))[:1] or char
        width += TIMES_WIDTHS.get(base, 0.5)
    return width


def blank(marker: str) -> str:
    """Non-breaking spaces (as XML character references) about as wide as `marker`, closed by a word joiner: a
    centred or right-aligned line ignores blanks at its end, so without it "Nghệ An, [[NGAY]]" would move right by
    half the marker's width; the joiner has no width and extracts as nothing."""
    return NBSP * max(1, round(text_width(marker) / NBSP_WIDTH)) + WORD_JOINER


# In a WordprocessingML part: a text element (self-closing or with its text), and what ends a run of text (a
# paragraph's start or end, a tab, a break), where a marker can never continue.
_WORD_TOKENS = re.compile(
    r"<w:t(?:\s[^>]*)?/>|(<w:t(?:\s[^>]*)?>)(.*?)</w:t>|<w:p[\s>/]|</w:p>|<w:(?:tab|br|cr)\b[^>]*>",
    re.DOTALL,
)
_CHARACTERS = re.compile(r"&[^;&<>]{1,12};|.", re.DOTALL)  # one character of XML text: an escape or itself
_BOUNDARY = "\x00"


def blank_wordprocessing_xml(xml: str) -> tuple[str, set[str]]:
    """The part with every marker's text replaced by blank(marker), also a marker that Word cut over several runs
    (the blank goes in the run of the marker's first character, with its formatting); and the markers replaced."""
    stream: list[str] = []  # the text of the part, character by character
    where: list[tuple[int, int] | None] = []  # for each: (text element, character in it); None at a boundary
    elements: list[tuple[re.Match, list[str]]] = []
    for match in _WORD_TOKENS.finditer(xml):
        if match.group(1) is None:
            stream.append(_BOUNDARY)
            where.append(None)
            continue
        characters = _CHARACTERS.findall(match.group(2))
        for index, character in enumerate(characters):
            stream.append(html.unescape(character) if character.startswith("&") else character)
            where.append((len(elements), index))
        elements.append((match, characters))
    text = "".join(stream)
    changed: set[int] = set()
    found: set[str] = set()
    for marker in MARKERS.values():
        start = text.find(marker)
        while start != -1:
            found.add(marker)
            for offset in range(len(marker)):
                element, index = where[start + offset]
                elements[element][1][index] = blank(marker) if offset == 0 else ""
                changed.add(element)
            start = text.find(marker, start + len(marker))
    if not changed:
        return xml, found
    pieces, position = [], 0
    for element in sorted(changed):
        match, characters = elements[element]
        opening = match.group(1)
        if "xml:space" not in opening:  # keep the spaces left at either end of what remains
            opening = opening[:-1] + ' xml:space="preserve">'
        pieces += [xml[position : match.start()], opening, "".join(characters), "</w:t>"]
        position = match.end()
    pieces.append(xml[position:])
    return "".join(pieces), found


def blank_opendocument_xml(xml: str) -> tuple[str, set[str]]:
    """content.xml or styles.xml with each marker's text replaced; only a marker typed in one piece (not cut by
    formatting into several spans) is found in an OpenDocument text."""
    found = {marker for marker in MARKERS.values() if marker in xml}
    for marker in found:
        xml = xml.replace(marker, blank(marker))
    return xml, found


def _is_text_part(name: str, kind: str) -> bool:
    if kind == ODT:
        return name in ("content.xml", "styles.xml")
    return re.fullmatch(r"word/[^/]+\.xml", name) is not None


def blank_markers(data: bytes, kind: str) -> tuple[bytes, set[str]]:
    """The package with the markers blanked in every text part (body, headers, footers, notes), and the markers
    that were found; the package unchanged when there were none."""
    found: set[str] = set()
    replaced: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for info in package.infolist():
            if not _is_text_part(info.filename, kind):
                continue
            raw = package.read(info)
            if b"[[" not in raw:
                continue
            try:
                xml = raw.decode("utf-8")
            except UnicodeDecodeError:
                logger.warning("Skipping %s, not in UTF-8, when blanking markers", info.filename)
                continue
            blanked, in_part = (blank_opendocument_xml if kind == ODT else blank_wordprocessing_xml)(xml)
            if in_part:
                found |= in_part
                replaced[info.filename] = blanked.encode("utf-8")
        if not replaced:
            return data, found
        output = io.BytesIO()
        with zipfile.ZipFile(output, "w") as rewritten:
            for info in package.infolist():  # same order, names and compression ("mimetype" stays first and stored)
                rewritten.writestr(info, replaced.get(info.filename) or package.read(info))
    return output.getvalue(), found


# --- Finding the markers in the PDF ----------------------------------------------------------------------------------


def find_places(pdf: bytes) -> dict[str, Place]:
    """The first place of each marker in the PDF (core.pdftext)."""
    try:
        return pdftext.find_places(pdf)
    except pdftext.PdfTextUnavailable as error:
        raise ConversionError(str(error)) from error


# --- The whole step --------------------------------------------------------------------------------------------------


def convert_draft(data: bytes, filename: str) -> ConvertedDraft:
    """The draft `data` (uploaded as `filename`, .docx or .odt) as a PDF without its markers, and the place where
    each marker found was laid out. Raises ConversionError, with the text shown to the person."""
    kind = check_draft(data, filename)
    try:
        blanked, found = blank_markers(data, kind)
    except files.ZIP_ERRORS:
        raise _damaged(filename) from None
    adapter = converter()
    if not found:
        return ConvertedDraft(pdf=adapter.to_pdf(data, filename))
    # the draft as it is (to see where its markers fall) and the draft to keep, converted side by side
    language = translation.get_language()

    def to_pdf(content: bytes) -> bytes:
        with translation.override(language):  # refusals in the person's language, not the worker thread's default
            return adapter.to_pdf(content, filename)

    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="vanphong-convert") as pool:
        marked = pool.submit(to_pdf, data)
        kept = pool.submit(to_pdf, blanked)
        marked_pdf, pdf = marked.result(), kept.result()
    places = find_places(marked_pdf)
    if missing := found - {MARKERS[key] for key in places}:
        logger.warning("Markers in the draft's text but not laid out in its PDF: %s", ", ".join(sorted(missing)))
    return ConvertedDraft(pdf=pdf, places=places)
