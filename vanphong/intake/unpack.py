"""Every part of a file that a scanner must see: the file itself, each file embedded in a PDF (/EmbeddedFiles and
file attachment annotations, decoded: clamd misses EICAR in a FlateDecode-compressed PDF attachment), and each
member of a ZIP (ZIP, DOCX/XLSX/PPTX and ODT/ODS are ZIPs), recursively.

    with unpacked(path) as parts:
        for part in parts: ...           # Part(name="hồ sơ.zip/phụ lục.docx/word/document.xml", stream=...)

Limits (settings, with defaults): nesting depth VANPHONG_UNPACK_MAX_DEPTH (5), members in all
VANPHONG_UNPACK_MAX_MEMBERS (2000), uncompressed bytes in all VANPHONG_UNPACK_MAX_TOTAL_MB (1024), compression
ratio of a member larger than 1 MB VANPHONG_UNPACK_MAX_RATIO (100). Going over any of them, an encrypted member or
a PDF that needs a password raises Unpackable, whose `reason` says which: the file is refused, never half-scanned.
Members are read through spooled temporary files (memory up to 8 MB each), and never past what the limits still
allow, whatever the archive's directory claims."""

import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import BinaryIO

from django.conf import settings

from vanphong.core.files import ZIP_ERRORS, as_stream

SPOOL_MEMORY = 8 * 1024 * 1024
RATIO_FLOOR = 1024 * 1024  # small members (XML parts) compress very well; the ratio counts only above this


class Unpackable(Exception):
    """The file cannot be unpacked safely: `reason` is "depth", "members", "size", "ratio", "encrypted"."""

    def __init__(self, reason: str, part: str):
        super().__init__(f"{reason}: {part}")
        self.reason, self.part = reason, part


@dataclass
class Part:
    name: str  # where it is: "outer.zip/inner.zip/member.txt"; the file itself is its own name
    stream: BinaryIO
    depth: int = 0

    def head(self, size: int = 8) -> bytes:
        position = self.stream.tell()
        self.stream.seek(0)
        data = self.stream.read(size)
        self.stream.seek(position)
        return data

    @property
    def is_pdf(self) -> bool:
        return self.head(5) == b"%PDF-"

    @property
    def is_zip(self) -> bool:
        return self.head(4) == b"PK\x03\x04"


@dataclass
class Limits:
    depth: int = 5
    members: int = 2000
    total: int = 1024 * 1024 * 1024
    ratio: int = 100

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(
            depth=int(getattr(settings, "VANPHONG_UNPACK_MAX_DEPTH", 5)),
            members=int(getattr(settings, "VANPHONG_UNPACK_MAX_MEMBERS", 2000)),
            total=int(getattr(settings, "VANPHONG_UNPACK_MAX_TOTAL_MB", 1024)) * 1024 * 1024,
            ratio=int(getattr(settings, "VANPHONG_UNPACK_MAX_RATIO", 100)),
        )


@dataclass
class _Budget:
    limits: Limits
    members: int = 0
    total: int = 0
    stack: ExitStack = field(default_factory=ExitStack)


@contextmanager
def unpacked(path_or_stream, *, name: str = "", limits: Limits | None = None) -> Iterator[Iterator[Part]]:
    """The parts of the file, the file itself first; spooled members are removed when the block ends."""
    with as_stream(path_or_stream) as stream, ExitStack() as stack:
        budget = _Budget(limits or Limits.from_settings(), stack=stack)
        yield _walk(Part(name=name or "file", stream=stream), budget)


def parts(path_or_stream, *, name: str = "", limits: Limits | None = None) -> list[str]:
    """The names of every part (for tests and diagnostics); raises Unpackable like unpacked()."""
    with unpacked(path_or_stream, name=name, limits=limits) as found:
        return [part.name for part in found]


def _walk(part: Part, budget: _Budget) -> Iterator[Part]:
    part.stream.seek(0)
    yield part
    if part.is_zip:
        children = _zip_members(part, budget)
    elif part.is_pdf:
        children = _pdf_embedded(part, budget)
    else:
        return
    for child in children:
        yield from _walk(child, budget)


def _spool(budget: _Budget) -> BinaryIO:
    return budget.stack.enter_context(
        tempfile.SpooledTemporaryFile(SPOOL_MEMORY, dir=getattr(settings, "FILE_UPLOAD_TEMP_DIR", None))
    )


def _count(budget: _Budget, where: str, depth: int) -> None:
    if depth > budget.limits.depth:
        raise Unpackable("depth", where)
    budget.members += 1
    if budget.members > budget.limits.members:
        raise Unpackable("members", where)


def _zip_members(part: Part, budget: _Budget) -> Iterator[Part]:
    part.stream.seek(0)
    try:
        archive = zipfile.ZipFile(part.stream)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError):
        return  # not a readable archive: scanned as it is
    with archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            where = f"{part.name}/{info.filename}"
            _count(budget, where, part.depth + 1)
            if info.flag_bits & 0x1:
                raise Unpackable("encrypted", where)
            spool = _spool(budget)
            try:
                _copy_member(archive, info, spool, budget, where)
            except ZIP_ERRORS:
                continue  # a damaged member: the archive itself was scanned whole
            spool.seek(0)
            yield Part(name=where, stream=spool, depth=part.depth + 1)


def _copy_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, spool: BinaryIO, budget: _Budget, where: str):
    """Copies at most what the limits still allow, however large the header says the member is."""
    written = 0
    with archive.open(info) as member:
        while chunk := member.read(1024 * 1024):
            written += len(chunk)
            budget.total += len(chunk)
            if budget.total > budget.limits.total:
                raise Unpackable("size", where)
            if written > RATIO_FLOOR and written > budget.limits.ratio * max(info.compress_size, 1):
                raise Unpackable("ratio", where)
            spool.write(chunk)


def _pdf_embedded(part: Part, budget: _Budget) -> Iterator[Part]:
    import pikepdf

    part.stream.seek(0)
    try:
        pdf = pikepdf.open(part.stream)
    except pikepdf.PasswordError as error:
        raise Unpackable("encrypted", part.name) from error
    except Exception:  # not a PDF pikepdf can read: nothing to extract, clamd scanned it whole
        return
    with pdf:
        for number, (embedded_name, obj) in enumerate(_embedded_streams(pdf), start=1):
            where = f"{part.name}/{embedded_name.replace('/', '_') or f'embedded-{number}'}"
            _count(budget, where, part.depth + 1)
            try:
                data = obj.read_bytes()
            except Exception:  # an undecodable stream: scan its raw bytes
                data = obj.read_raw_bytes()
            budget.total += len(data)
            if budget.total > budget.limits.total:
                raise Unpackable("size", where)
            spool = _spool(budget)
            spool.write(data)
            spool.seek(0)
            yield Part(name=where, stream=spool, depth=part.depth + 1)


def _embedded_streams(pdf) -> list:
    """Every /EmbeddedFile stream, with the name its file specification gives it, whether the name tree, an
    annotation or nothing at all refers to it."""
    import pikepdf

    found, names = {}, {}
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and obj.get("/Type") == pikepdf.Name.EmbeddedFile:
            found[obj.objgen] = obj
        for spec in _dictionaries(obj):
            if isinstance(spec.get("/EF"), pikepdf.Dictionary):
                for stream in spec.EF.values():  # /Type is optional on the stream: reach it from its specification
                    if isinstance(stream, pikepdf.Stream):
                        found[stream.objgen] = stream
                        names[stream.objgen] = str(spec.get("/UF") or spec.get("/F") or "")
    return [(names.get(key, ""), stream) for key, stream in found.items()]


def _dictionaries(obj) -> Iterator:
    """`obj` and the dictionaries held directly inside it (indirect ones are in pdf.objects themselves)."""
    import pikepdf

    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Dictionary | pikepdf.Stream):
            yield item
            children = item.values()
        elif isinstance(item, pikepdf.Array):
            children = list(item)
        else:
            continue
        stack.extend(child for child in children if not getattr(child, "is_indirect", True))
