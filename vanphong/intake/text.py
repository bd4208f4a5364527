"""Text of every file kept for search: the PDF text layer (poppler's pdftotext), DOCX (word/document.xml) and ODT
(content.xml); a plain image has no text until it is OCR'd (ocr.py)."""

import io
import logging
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path
from xml.etree import ElementTree

logging.getLogger("pikepdf").setLevel(logging.WARNING)  # it announces its logger bridge at INFO on import

IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".tif", ".tiff"}
MIN_CHARACTERS_PER_PAGE = 30  # fewer letters per page on average: a scan (a page number or a stamp is no text layer)
TIMEOUT = 120

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT_NS = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def is_pdf(data: bytes) -> bool:
    return data[:1024].lstrip().startswith(b"%PDF-") or b"%PDF-" in data[:1024]


def pdf_text(pdf: bytes, *, layout: bool = False, first: int | None = None, last: int | None = None) -> str:
    """The text layer through pdftotext (pages separated by form feeds); "" when there is none or it is unreadable."""
    with tempfile.TemporaryDirectory(prefix="vanphong-text-") as work:
        source = Path(work, "in.pdf")
        source.write_bytes(pdf)
        command = [shutil.which("pdftotext") or "pdftotext", "-enc", "UTF-8"]
        if layout:
            command.append("-layout")
        if first:
            command += ["-f", str(first)]
        if last:
            command += ["-l", str(last)]
        try:
            # a fixed argument list (no shell); the only variable part is our own temporary file's name
            result = subprocess.run(  # noqa: S603
                [*command, str(source), "-"], capture_output=True, timeout=TIMEOUT, check=False
            )
        except (OSError, subprocess.SubprocessError):
            return ""
        return result.stdout.decode("utf-8", errors="replace") if result.returncode == 0 else ""


def _pdf_page_count(pdf: bytes) -> int:
    try:
        import pikepdf

        with pikepdf.open(io.BytesIO(pdf)) as document:
            return len(document.pages)
    except Exception:  # an unreadable PDF: one page, for the average
        return 1


def needs_ocr(pdf: bytes) -> bool:
    """True when the PDF has little or no text layer (a scan)."""
    letters = sum(ch.isalnum() for ch in pdf_text(pdf))
    return letters < MIN_CHARACTERS_PER_PAGE * max(_pdf_page_count(pdf), 1)


def _parse(xml: bytes):
    """Office XML never carries a DTD: one that does (entity expansion, external entities) is refused unread."""
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        raise ValueError("DTD in office XML")
    return ElementTree.fromstring(xml)  # noqa: S314 - no DTD, hence no entities (checked above)


def _docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = _parse(archive.read("word/document.xml"))
    paragraphs = []
    for paragraph in root.iter(f"{W}p"):
        parts = []
        for node in paragraph.iter():
            if node.tag == f"{W}t" and node.text:
                parts.append(node.text)
            elif node.tag == f"{W}tab":
                parts.append("\t")
            elif node.tag in (f"{W}br", f"{W}cr"):
                parts.append("\n")
        paragraphs.append("".join(parts))
    return "\n".join(paragraphs)


def _odt_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = _parse(archive.read("content.xml"))

    def flatten(node) -> str:
        parts = [node.text or ""]
        for child in node:
            if child.tag == f"{TEXT_NS}s":
                parts.append(" " * int(child.get(f"{TEXT_NS}c", "1")))
            elif child.tag == f"{TEXT_NS}tab":
                parts.append("\t")
            elif child.tag == f"{TEXT_NS}line-break":
                parts.append("\n")
            else:
                parts.append(flatten(child))
            parts.append(child.tail or "")
        return "".join(parts)

    return "\n".join(flatten(node) for node in root.iter() if node.tag in (f"{TEXT_NS}p", f"{TEXT_NS}h"))


def extract_text(data: bytes, filename: str) -> str:
    """The searchable text of a file: PDF text layer, DOCX, ODT; "" for an image or a file we cannot read."""
    suffix = Path(filename).suffix.lower()
    try:
        if suffix == ".pdf" or is_pdf(data):
            text = pdf_text(data)
        elif suffix == ".docx" or (suffix not in (".odt",) and _zip_has(data, "word/document.xml")):
            text = _docx_text(data)
        elif suffix == ".odt" or _zip_has(data, "content.xml"):
            text = _odt_text(data)
        elif suffix == ".txt":
            text = data.decode("utf-8", errors="replace")
        else:
            return ""
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, ValueError):
        return ""
    return re.sub(r"[ \t]+\n", "\n", text).strip()


def _zip_has(data: bytes, member: str) -> bool:
    if not data.startswith(b"PK"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return member in archive.namelist()
    except zipfile.BadZipFile:
        return False
