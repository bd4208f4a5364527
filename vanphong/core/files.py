"""Content-addressed file storage shared by every app, and the intake checks every file passes before it is kept.

store() copies the upload into a private temporary file while hashing it (in chunks: a large file is never held in
memory), derives its content type from its first bytes (never from the browser), runs every intake check listed in
VANPHONG_INTAKE_CHECKS, and only then writes the blob and its StoredFile row. The same bytes are kept once: storing
them again returns the existing row and writes nothing. Blobs go through Django's default storage, so an
S3-compatible backend can replace the file system; a blob is never overwritten. Callers check permissions before
they hand a file out with file_response().

An intake check is any class with `check(*, path_or_stream, filename, content_type) -> None` that raises
FileRefused with the text shown to the person. The virus scanner (vanphong.intake.checks.VirusScan) is one; when
it cannot decide (clamd is down) it raises ScanPending, a FileRefused saying so, and nothing is stored. The name is
passed through safe_filename() first."""

import hashlib
import logging
import os
import tempfile
import unicodedata
import zipfile
import zlib
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote
from xml.etree import ElementTree

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .models import StoredFile

logger = logging.getLogger(__name__)

CHUNK_SIZE = 1024 * 1024
DEFAULT_INTAKE_CHECKS = ["vanphong.core.files.SizeLimit", "vanphong.core.files.ContentMatchesName"]
DEFAULT_MAX_UPLOAD_MB = 100

PDF = "application/pdf"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCM = "application/vnd.ms-word.document.macroEnabled.12"
XLSM = "application/vnd.ms-excel.sheet.macroEnabled.12"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"
OLE = "application/x-ole-storage"  # an Office 97-2003 compound file; its extension tells Word from Excel
ZIP = "application/zip"
UNKNOWN = "application/octet-stream"

# Extensions accepted, and the content each must have.
ACCEPTED_TYPES = {
    ".pdf": PDF,
    ".doc": DOC,
    ".docx": DOCX,
    ".xls": XLS,
    ".xlsx": XLSX,
    ".png": PNG,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".tif": TIFF,
    ".tiff": TIFF,
}
# Names of formats, the same in every language.
FORMAT_NAMES = {
    PDF: "PDF",
    DOC: "Word (.doc)",
    XLS: "Excel (.xls)",
    DOCX: "Word (.docx)",
    XLSX: "Excel (.xlsx)",
    DOCM: "Word (.docm)",
    XLSM: "Excel (.xlsm)",
    PPTX: "PowerPoint (.pptx)",
    ODT: "OpenDocument (.odt)",
    ODS: "OpenDocument (.ods)",
    PNG: "PNG",
    JPEG: "JPEG",
    TIFF: "TIFF",
    OLE: "Office 97–2003",
    ZIP: "ZIP",
}
# The main part of an Office Open XML package, as [Content_Types].xml declares it.
OOXML_MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
    "application/vnd.ms-word.document.macroEnabled.main+xml": DOCM,
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": XLSM,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": PPTX,
}
ODF_TYPES = {ODT.encode(): ODT, ODS.encode(): ODS}  # an OpenDocument package's "mimetype" member
CONTENT_TYPES_LIMIT = 256 * 1024  # [Content_Types].xml is a few kilobytes; more is not a document


# What zipfile raises on a damaged, truncated or unsupported archive (an encrypted member: RuntimeError; an unknown
# compression method: NotImplementedError); every reader of ZIP-based files treats them alike.
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, RuntimeError, NotImplementedError, zlib.error)


class FileRefused(Exception):
    """A file an intake check does not accept; the message is what the person sees."""


class IntakeCheck(ABC):
    """The port every intake check implements. `path_or_stream` is a local file path (store() passes a Path) or a
    seekable binary stream; `as_stream()` opens either. `content_type` was sniffed from the content."""

    @abstractmethod
    def check(self, *, path_or_stream, filename: str, content_type: str) -> None:
        """Return to accept the file; raise FileRefused (message shown to the person) to refuse it."""


@contextmanager
def as_stream(path_or_stream) -> Iterator[BinaryIO]:
    """A binary stream positioned at the start of the file; a stream that was passed in is left open and put back
    where it was."""
    if isinstance(path_or_stream, str | os.PathLike):
        with open(path_or_stream, "rb") as stream:
            yield stream
        return
    position = path_or_stream.tell()
    path_or_stream.seek(0)
    try:
        yield path_or_stream
    finally:
        path_or_stream.seek(position)


def file_size(path_or_stream) -> int:
    if isinstance(path_or_stream, str | os.PathLike):
        return os.stat(path_or_stream).st_size
    with as_stream(path_or_stream) as stream:
        return stream.seek(0, os.SEEK_END)


def extension(filename: str) -> str:
    return Path(filename.replace("\\", "/")).suffix.lower()


def sniff(path_or_stream) -> str:
    """What the content is, read from its first bytes (and, for a ZIP, from its table of contents)."""
    with as_stream(path_or_stream) as stream:
        head = stream.read(8)
        if head.startswith(b"%PDF-"):
            return PDF
        if head == b"\x89PNG\r\n\x1a\n":
            return PNG
        if head.startswith(b"\xff\xd8\xff"):
            return JPEG
        if head[:4] in (b"II*\x00", b"MM\x00*"):
            return TIFF
        if head == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            return OLE
        if head.startswith(b"PK\x03\x04"):
            stream.seek(0)
            return _ooxml_type(stream)
        return UNKNOWN


def _ooxml_type(stream: BinaryIO) -> str:
    """DOCX, XLSX, PPTX (or their macro-enabled kin) when the ZIP is an Office Open XML package whose declared main
    part is present, ODT or ODS for an OpenDocument package; ZIP otherwise. Reads only the central directory and
    [Content_Types].xml (or mimetype), at most CONTENT_TYPES_LIMIT bytes of it whatever the archive claims (no
    decompression bomb)."""
    try:
        with zipfile.ZipFile(stream) as package:
            names = set(package.namelist())
            if "[Content_Types].xml" not in names:
                if "mimetype" in names:
                    with package.open("mimetype") as part:
                        return ODF_TYPES.get(part.read(100).strip(), ZIP)
                return ZIP
            with package.open("[Content_Types].xml") as part:
                declaration = part.read(CONTENT_TYPES_LIMIT + 1)
    except ZIP_ERRORS:
        return UNKNOWN
    if len(declaration) > CONTENT_TYPES_LIMIT or b"<!DOCTYPE" in declaration or b"<!ENTITY" in declaration:
        return ZIP
    try:
        root = ElementTree.fromstring(declaration)  # noqa: S314 - bounded, and refused above if it declares entities
    except ElementTree.ParseError:
        return ZIP
    for override in root.iter("{http://schemas.openxmlformats.org/package/2006/content-types}Override"):
        kind = OOXML_MAIN_PARTS.get(override.get("ContentType", ""))
        if kind and override.get("PartName", "").lstrip("/") in names:
            return kind
    return ZIP


def content_type_for(sniffed: str, filename: str) -> str:
    """The content type kept and served: the sniffed one, the extension only telling an Office 97-2003 Word
    document from an Excel workbook (both are compound files)."""
    if sniffed == OLE:
        return {".doc": DOC, ".xls": XLS}.get(extension(filename), OLE)
    return sniffed


class SizeLimit(IntakeCheck):
    """Refuses a file larger than VANPHONG_MAX_UPLOAD_MB megabytes (100 by default)."""

    def check(self, *, path_or_stream, filename, content_type):
        limit = getattr(settings, "VANPHONG_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB)
        if file_size(path_or_stream) > limit * 1024 * 1024:
            raise FileRefused(
                _("“%(name)s” is larger than the %(limit)s MB allowed.") % {"name": filename, "limit": limit}
            )


class ContentMatchesName(IntakeCheck):
    """Refuses an empty file, an extension not in ACCEPTED_TYPES, and a file whose content is not what its
    extension says (a program or a web page renamed .pdf, a macro-enabled workbook renamed .xlsx). Sniffs the
    content itself rather than trusting the content_type it is given. A subclass widens `accepted`."""

    accepted = ACCEPTED_TYPES

    def check(self, *, path_or_stream, filename, content_type):
        expected = self.accepted.get(extension(filename))
        if expected is None:
            raise FileRefused(
                _("“%(name)s” is not of an accepted type. Accepted types: %(types)s.")
                % {"name": filename, "types": ", ".join(self.accepted)}
            )
        if file_size(path_or_stream) == 0:
            raise FileRefused(_("“%(name)s” is empty.") % {"name": filename})
        actual = content_type_for(sniff(path_or_stream), filename)
        if actual == expected:
            return
        values = {"name": filename, "expected": FORMAT_NAMES[expected], "actual": FORMAT_NAMES.get(actual)}
        if values["actual"]:
            message = _(
                "The content of “%(name)s” is not %(expected)s but %(actual)s. Open it and save it again as "
                "%(expected)s, or correct its name."
            )
        else:
            message = _("The content of “%(name)s” is not %(expected)s. Open it and save it again as %(expected)s.")
        raise FileRefused(message % values)


def intake_checks() -> list[IntakeCheck]:
    return [import_string(path)() for path in getattr(settings, "VANPHONG_INTAKE_CHECKS", DEFAULT_INTAKE_CHECKS)]


@dataclass(frozen=True)
class _Spool:
    path: Path
    sha256: str
    size: int


def _chunks(upload) -> Iterator[bytes]:
    if hasattr(upload, "chunks"):  # a Django File: chunks() starts from the beginning
        yield from upload.chunks(CHUNK_SIZE)
        return
    if getattr(upload, "seekable", lambda: False)():
        upload.seek(0)
    while chunk := upload.read(CHUNK_SIZE):
        yield chunk


def _hash_file(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as stream:
        while chunk := stream.read(CHUNK_SIZE):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


@contextmanager
def _spooled(upload) -> Iterator[_Spool]:
    """The upload as a local file readable by every check, with its hash and size. A Django upload already on
    disk (TemporaryUploadedFile) is read in place; anything else is copied into a private temporary file (mode
    0600, FILE_UPLOAD_TEMP_DIR) that is removed afterwards."""
    temporary_file_path = getattr(upload, "temporary_file_path", None)
    if callable(temporary_file_path):
        path = Path(temporary_file_path())
        yield _Spool(path, *_hash_file(path))
        return
    handle, name = tempfile.mkstemp(prefix="vanphong-intake-", dir=settings.FILE_UPLOAD_TEMP_DIR)
    try:
        digest, size = hashlib.sha256(), 0
        with os.fdopen(handle, "wb") as spool:
            for chunk in _chunks(upload):
                digest.update(chunk)
                spool.write(chunk)
                size += len(chunk)
        yield _Spool(Path(name), digest.hexdigest(), size)
    finally:
        Path(name).unlink(missing_ok=True)


def _blob_name(sha256: str) -> str:
    return StoredFile(sha256=sha256).blob_name


def _blob_digest(name: str) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with default_storage.open(name, "rb") as blob:
        for chunk in blob.chunks(CHUNK_SIZE):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _write_blob(spool: _Spool) -> None:
    name = _blob_name(spool.sha256)
    if default_storage.exists(name):
        # A blob without a row: a store interrupted before its row was written, or rolled back with its caller.
        if _blob_digest(name) == (spool.sha256, spool.size):
            return
        logger.warning("Replacing the incomplete blob %s, which no stored file refers to", name)
        default_storage.delete(name)
    with open(spool.path, "rb") as content:
        saved = default_storage.save(name, File(content, name=spool.sha256))
    if saved != name:  # another process wrote the same content meanwhile; keep one copy
        default_storage.delete(saved)


def store(*, upload, filename: str) -> StoredFile:
    """Keep a file: `upload` is a Django UploadedFile or any binary file object, `filename` the name the person
    gave it (it selects the expected format; it is not kept here). Runs every intake check first and raises
    FileRefused, with nothing written, when one refuses. Returns the existing row for content already kept."""
    filename = safe_filename(filename)
    with _spooled(upload) as spool:
        content_type = content_type_for(sniff(spool.path), filename)
        for check in intake_checks():
            try:
                check.check(path_or_stream=spool.path, filename=filename, content_type=content_type)
            except FileRefused:
                logger.info("%s refused a file of %s bytes, sha256 %s", type(check).__name__, spool.size, spool.sha256)
                raise
        existing = StoredFile.objects.filter(sha256=spool.sha256).first()
        if existing is not None:
            if not default_storage.exists(existing.blob_name):  # lost from the storage: the same bytes restore it
                logger.warning("Restoring the missing blob %s", existing.blob_name)
                _write_blob(spool)
            return existing
        _write_blob(spool)
        stored, _created = StoredFile.objects.get_or_create(
            sha256=spool.sha256, defaults={"size": spool.size, "content_type": content_type}
        )
        return stored


def read_stored(stored_file: StoredFile) -> bytes:
    """The whole blob, for the work that needs the bytes (signing, conversion, OCR)."""
    with open_stored(stored_file) as blob:
        return blob.read()


def open_stored(stored_file: StoredFile) -> File:
    """The blob, opened for reading (a Django File; close it, or use it in a with block)."""
    return default_storage.open(stored_file.blob_name, "rb")


def verify(stored_file: StoredFile) -> bool:
    """Whether the blob is still there with exactly the content that was stored (recomputes its SHA-256)."""
    try:
        return _blob_digest(stored_file.blob_name) == (stored_file.sha256, stored_file.size)
    except FileNotFoundError:
        return False


def _clean_filename(filename: str) -> str:
    """No folders (a document number's slash, as in 12/UBND-VP, becomes _), no control characters, no leading dot."""
    name = filename.replace("\\", "_").replace("/", "_")
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip().lstrip(". ")
    return name or "file"


MAX_FILENAME_LENGTH = 200


def safe_filename(filename: str, *, max_length: int = MAX_FILENAME_LENGTH) -> str:
    """The name a person or another system gave a file, safe to show and to keep: its last path component only (no
    ../ traversal, no C:\\ or folder), Unicode NFC (a name typed on a Mac matches the same name typed on Windows),
    no control or format characters, no leading dots or spaces, at most `max_length` characters keeping the
    extension."""
    name = unicodedata.normalize("NFC", str(filename or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip().lstrip(". ").rstrip(" ")
    if not name or name in {".", ".."}:
        return "file"
    if len(name) > max_length:
        stem, dot, suffix = name.rpartition(".")
        if dot and 0 < len(suffix) <= 10 and stem:
            name = stem[: max_length - len(suffix) - 1].rstrip() + "." + suffix
        else:
            name = name[:max_length]
    return name


def _ascii_filename(name: str) -> str:
    """Công văn số 12.pdf -> Cong van so 12.pdf, for clients that ignore filename*."""
    folded = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return "".join(c if " " <= c <= "~" and c not in '"\\' else "_" for c in folded)


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """attachment (or inline); filename="<ASCII>"; filename*=UTF-8''<percent-encoded UTF-8> (RFC 6266)."""
    name = _clean_filename(filename)
    fallback = _ascii_filename(name)
    value = f'{"inline" if inline else "attachment"}; filename="{fallback}"'
    if fallback != name:
        value += f"; filename*=UTF-8''{quote(name, safe='')}"
    return value


def file_response(stored_file: StoredFile, *, filename: str, inline: bool = False) -> FileResponse:
    """Hand a stored file out under `filename`; the caller has checked that the person may read it. A download
    (attachment) by default; the PDF viewer fetches the bytes and needs no inline disposition. Never cached by
    shared caches or on disk; a download that a browser would render anyway runs in a sandbox with no rights."""
    response = FileResponse(open_stored(stored_file), content_type=stored_file.content_type)
    return _guarded(response, filename, inline=inline)


def download_response(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """A file made on the fly (an export, a package), downloaded under `filename` with the same guards."""
    return _guarded(HttpResponse(content, content_type=content_type), filename, inline=False)


def _guarded(response, filename: str, *, inline: bool):
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if not inline:
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
