"""Files for the intake tests, built at test time: the EICAR test file is never kept in the repository."""

import io
import zipfile

import pikepdf

from vanphong.core.tests.test_files import docx_document
from vanphong.intake.daemon import TEST_MARKERS, eicar

__all__ = ["TEST_MARKERS", "eicar"]

EICAR_THREAT = "Test.EICAR"  # .HDB or .NDB, with .UNOFFICIAL: clamd names it either way


def pdf(text: str = "Công văn số 12/UBND-VP") -> bytes:
    document = pikepdf.new()
    document.add_blank_page(page_size=(595, 842))
    document.docinfo["/Title"] = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_with_attachment(data: bytes, name: str = "phu-luc.com") -> bytes:
    """A PDF with `data` as an embedded file, FlateDecode-compressed (which clamd's own PDF parser misses)."""
    document = pikepdf.open(io.BytesIO(pdf()))
    spec = pikepdf.AttachedFileSpec(document, data, filename=name)
    document.attachments[name] = spec
    out = io.BytesIO()
    document.save(out, compress_streams=True, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return out.getvalue()


def pdf_with_javascript() -> bytes:
    document = pikepdf.open(io.BytesIO(pdf()))
    action = document.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)")))
    document.Root.OpenAction = action
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_with_launch() -> bytes:
    document = pikepdf.open(io.BytesIO(pdf()))
    document.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx(extra: dict[str, bytes] | None = None) -> bytes:
    """A Word document; `extra` adds parts (an "embedded object")."""
    source = zipfile.ZipFile(io.BytesIO(docx_document()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for info in source.infolist():
            package.writestr(info, source.read(info))
        for name, data in (extra or {}).items():
            package.writestr(name, data)
    return out.getvalue()


def zip_of(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def nested_zip(data: bytes, depth: int, name: str = "tai-lieu.txt") -> bytes:
    """`data` inside `depth` ZIPs, one in the other."""
    content, member = data, name
    for level in range(depth):
        content, member = zip_of({member: content}), f"cap-{level + 1}.zip"
    return content


def zip_bomb(megabytes: int = 64) -> bytes:
    """A few kilobytes that expand to `megabytes` of zeros."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("zeros.bin", "w", force_zip64=True) as member,
    ):
        for _ in range(megabytes):
            member.write(b"\0" * (1024 * 1024))
    return out.getvalue()
