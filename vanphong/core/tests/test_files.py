"""Files people hand in are kept once by their content, pass the intake checks first, and come back unaltered."""

import hashlib
import io
import os
import struct
import tracemalloc
import unicodedata
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from openpyxl import Workbook

from vanphong.core.files import (
    DOC,
    DOCX,
    JPEG,
    PDF,
    TIFF,
    XLSX,
    FileRefused,
    IntakeCheck,
    as_stream,
    file_response,
    open_stored,
    store,
    verify,
)
from vanphong.core.models import StoredFile

pytestmark = pytest.mark.django_db

SENTENCE = "Công văn số 12/UBND-VP về việc họp giao ban tuần đầu tháng"


# Helvetica's advance widths (its AFM, in 1/1000 em) for the printable ASCII characters 32-126.
_HELVETICA_AFM = """
    278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 556 556 556 278 278
    584 584 584 556 1015 667 667 722 722 667 611 778 722 278 500 667 556 833 722 778 667 778 722 667 611 722 667
    944 667 667 611 278 278 278 469 556 333 556 556 500 556 556 278 556 556 222 222 500 222 833 556 556 556 556 333
    500 278 556 500 722 500 500 500 334 260 334 584
"""
HELVETICA_WIDTHS = tuple(int(width) for width in _HELVETICA_AFM.split())


def vietnamese_pdf(*pages: list[str]) -> bytes:
    """A real PDF written byte by byte: one page per list of lines, set in Helvetica, not embedded (a viewer uses
    its own Helvetica-compatible font), each Vietnamese letter named by its Unicode glyph name (/uni1EC7 for ệ) in
    the font's encoding and as wide as its base letter."""
    pages = pages or (["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", SENTENCE], [SENTENCE])
    letters = sorted({c for lines in pages for line in lines for c in line if ord(c) > 126})
    assert len(letters) <= 128
    codes = {c: 128 + i for i, c in enumerate(letters)}

    def width(c: str) -> int:
        base = unicodedata.normalize("NFD", c.replace("đ", "d").replace("Đ", "D"))[0]
        return HELVETICA_WIDTHS[ord(base) - 32]

    widths = [*HELVETICA_WIDTHS, 0, *(width(c) for c in letters)]
    differences = " ".join(f"/uni{ord(c):04X}" for c in letters)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, once the pages are numbered
        (
            f"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 32 /LastChar {31 + len(widths)} "
            f"/Widths [{' '.join(map(str, widths))}] /Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding "
            f"/Differences [128 {differences}] >> >>"
        ).encode(),
    ]
    kids = []
    for lines in pages:
        shown = " T* ".join("<" + "".join(f"{codes.get(c, ord(c)):02X}" for c in line) + "> Tj" for line in lines)
        content = f"BT /F1 16 Tf 22 TL 50 780 Td {shown} ET".encode()
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents %d 0 R >>" % (len(objects))
        )
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>".encode()
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def png_image() -> bytes:
    """A real 1×1 red PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))


def xlsx_workbook() -> bytes:
    workbook = Workbook()
    workbook.active["A1"] = "Danh sách cán bộ dự họp"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def docx_document(main_type: str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document") -> bytes:
    """The three parts Word needs to open a document."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/word/document.xml" ContentType="{main_type}.main+xml"/></Types>',
        )
        package.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument"/></Relationships>',
        )
        package.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body><w:p><w:r><w:t>{SENTENCE}</w:t></w:r></w:p></w:body></w:document>",
        )
    return out.getvalue()


def zip_archive() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("ghi chú.txt", SENTENCE)
    return out.getvalue()


def upload(name: str, content: bytes, browser_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=browser_type)


def blobs(storage=default_storage, folder: str = "blobs") -> list[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    return [f"{folder}/{name}" for name in files] + [
        name for sub in folders for name in blobs(storage, f"{folder}/{sub}")
    ]


@pytest.fixture(params=["in memory", "on disk"])
def storage(request, settings, tmp_path):
    """A fresh default storage: Django's in-memory one (the suite's) and the file system one (production's)."""
    if request.param == "on disk":
        backend = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}}
    else:
        backend = {"BACKEND": "django.core.files.storage.InMemoryStorage"}
    settings.STORAGES = {**settings.STORAGES, "default": backend}
    return default_storage


# Keeping each content once


def test_the_same_letter_attached_twice_is_kept_once(storage):
    pdf = vietnamese_pdf()
    first = store(upload=upload("Công văn 12.pdf", pdf), filename="Công văn 12.pdf")
    [blob] = blobs(storage)
    written = storage.get_modified_time(blob)

    second = store(upload=upload("Bản sao công văn.pdf", pdf), filename="Bản sao công văn.pdf")

    assert second == first
    assert StoredFile.objects.count() == 1
    assert blobs(storage) == [blob] == [first.blob_name]
    assert storage.get_modified_time(blob) == written, "nothing is written again"
    sha = first.sha256
    assert first.blob_name == f"blobs/{sha[:2]}/{sha[2:4]}/{sha}"
    assert (first.size, first.content_type) == (len(pdf), PDF)
    with open_stored(first) as blob_file:
        assert blob_file.read() == pdf


def test_any_binary_file_object_can_be_stored(storage, tmp_path):
    path = tmp_path / "scan.png"
    path.write_bytes(png_image())
    with open(path, "rb") as stream:
        stream.read(3)  # wherever the caller left it, the whole file is kept
        stored = store(upload=stream, filename="Ảnh chụp.PNG")
    assert stored.content_type == "image/png"
    assert stored.size == len(png_image())


def test_a_large_file_is_hashed_and_kept_without_holding_it_in_memory(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    size = 48 * 1024 * 1024
    path = tmp_path / "big.pdf"
    with open(path, "wb") as out:
        out.write(b"%PDF-1.7\n")
        out.truncate(size)
    tracemalloc.start()
    try:
        with open(path, "rb") as stream:
            stored = store(upload=stream, filename="Hồ sơ quét.pdf")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert stored.size == size
    assert peak < 8 * 1024 * 1024, f"peak {peak} bytes"
    assert verify(stored)


def test_a_django_upload_on_disk_is_read_in_place_and_left_to_django(storage):
    temporary = TemporaryUploadedFile("Báo cáo.xlsx", "text/plain", 0, None)
    temporary.write(xlsx_workbook())
    temporary.flush()
    stored = store(upload=temporary, filename=temporary.name)
    assert stored.content_type == XLSX, "the type comes from the content, not from the browser"
    assert Path(temporary.temporary_file_path()).exists()
    temporary.close()


def test_a_blob_left_half_written_by_an_interrupted_store_is_replaced(storage):
    pdf = vietnamese_pdf()
    name = StoredFile(sha256=hashlib.sha256(pdf).hexdigest()).blob_name
    storage.save(name, ContentFile(pdf[:100]))

    stored = store(upload=upload("Công văn.pdf", pdf), filename="Công văn.pdf")

    assert blobs(storage) == [name]
    assert verify(stored)


# The intake checks


def nothing_is_stored(storage=default_storage) -> bool:
    return not StoredFile.objects.exists() and blobs(storage) == []


def refusal(name: str, content: bytes) -> str:
    with pytest.raises(FileRefused) as refused:
        store(upload=upload(name, content), filename=name)
    return str(refused.value)


def test_a_picture_named_as_a_pdf_is_refused_in_vietnamese_and_nothing_is_stored(storage):
    message = refusal("Công văn đến.pdf", png_image())
    assert message == (
        "Nội dung tệp “Công văn đến.pdf” không phải là PDF mà là PNG. "
        "Hãy mở tệp và lưu lại dưới dạng PDF, hoặc sửa lại tên tệp."
    )
    assert nothing_is_stored(storage)


def test_a_web_page_named_as_a_pdf_is_refused(storage):
    message = refusal("hoá đơn.pdf", b"<html><script>alert(1)</script></html>")
    assert "hoá đơn.pdf" in message and "PDF" in message
    assert nothing_is_stored(storage)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("Tờ trình.docx", docx_document(), DOCX),
        ("Danh sách.xlsx", xlsx_workbook(), XLSX),
        ("Công văn cũ.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), DOC),
        ("Bảng lương cũ.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "application/vnd.ms-excel"),
        ("ảnh.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(100), JPEG),
        ("ảnh.JPEG", b"\xff\xd8\xff\xdb" + bytes(100), JPEG),
        ("bản quét.tif", b"II*\x00" + bytes(100), TIFF),
        ("bản quét.tiff", b"MM\x00*" + bytes(100), TIFF),
    ],
)
def test_each_accepted_type_is_kept_with_the_type_of_its_content(name, content, content_type):
    stored = store(upload=upload(name, content, browser_type="text/html"), filename=name)
    assert stored.content_type == content_type


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("Danh sách.docx", xlsx_workbook(), "Word (.docx)"),
        ("Bảng tính có macro.xlsx", docx_document("application/vnd.ms-excel.sheet.macroEnabled"), "Excel (.xlsx)"),
        ("Văn bản có macro.docx", docx_document("application/vnd.ms-word.document.macroEnabled"), "Word (.docx)"),
        ("Tài liệu nén.docx", zip_archive(), "Word (.docx)"),
        ("ảnh.png", b"\xff\xd8\xff\xe0" + bytes(10), "PNG"),
        ("Công văn.doc", b"%PDF-1.4\n", "Word (.doc)"),
    ],
)
def test_content_that_is_not_what_the_name_says_is_refused(storage, name, content, expected):
    message = refusal(name, content)
    assert name in message and expected in message
    assert nothing_is_stored(storage)


def test_a_type_that_is_not_accepted_is_refused_with_the_list_of_accepted_types(storage):
    message = refusal("cài đặt.exe", b"MZ\x90\x00")
    assert "cài đặt.exe" in message
    assert ".pdf, .doc, .docx, .xls, .xlsx, .png, .jpg, .jpeg, .tif, .tiff" in message
    assert nothing_is_stored(storage)


def test_an_empty_file_is_refused(storage):
    message = refusal("Công văn.pdf", b"")
    assert "Công văn.pdf" in message
    assert nothing_is_stored(storage)


def test_a_file_over_the_size_limit_is_refused(storage, settings):
    settings.VANPHONG_MAX_UPLOAD_MB = 1
    message = refusal("Hồ sơ.pdf", b"%PDF-1.7\n" + bytes(1024 * 1024))
    assert "Hồ sơ.pdf" in message and "1 MB" in message
    assert nothing_is_stored(storage)
    assert store(upload=upload("Nhỏ.pdf", b"%PDF-1.7\n" + bytes(1000)), filename="Nhỏ.pdf")


EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
SEEN: list[dict] = []


class RefusesTheAntivirusTestFile(IntakeCheck):
    """A check as a virus scanner would plug in: it reads the file and refuses what it finds."""

    def check(self, *, path_or_stream, filename, content_type):
        with as_stream(path_or_stream) as stream:
            found = EICAR in stream.read()
        SEEN.append({"filename": filename, "content_type": content_type, "found": found})
        if found:
            raise FileRefused(f"Tệp “{filename}” chứa mã độc và không được nhận.")


class ScannerIsDown(IntakeCheck):
    def check(self, *, path_or_stream, filename, content_type):
        raise ConnectionRefusedError("clamd is not answering")


def test_a_check_configured_in_the_settings_refuses_and_nothing_is_stored(storage, settings):
    settings.VANPHONG_INTAKE_CHECKS = [
        "vanphong.core.files.SizeLimit",
        "vanphong.core.files.ContentMatchesName",
        "vanphong.core.tests.test_files.RefusesTheAntivirusTestFile",
    ]
    SEEN.clear()
    infected = b"%PDF-1.7\n" + EICAR

    assert refusal("Công văn.pdf", infected) == "Tệp “Công văn.pdf” chứa mã độc và không được nhận."
    assert nothing_is_stored(storage)

    clean = store(upload=upload("Công văn.pdf", vietnamese_pdf(), browser_type="text/html"), filename="Công văn.pdf")
    assert SEEN[-1] == {"filename": "Công văn.pdf", "content_type": PDF, "found": False}
    assert StoredFile.objects.get() == clean

    with pytest.raises(FileRefused):  # content already kept is checked again
        store(upload=upload("Công văn.pdf", infected), filename="Công văn.pdf")


def test_a_check_that_cannot_decide_stores_nothing(storage, settings):
    settings.VANPHONG_INTAKE_CHECKS = ["vanphong.core.tests.test_files.ScannerIsDown"]
    with pytest.raises(ConnectionRefusedError):
        store(upload=upload("Công văn.pdf", vietnamese_pdf()), filename="Công văn.pdf")
    assert nothing_is_stored(storage)


def test_no_temporary_copy_is_left_behind(storage, settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "intake")
    os.mkdir(settings.FILE_UPLOAD_TEMP_DIR)
    store(upload=upload("Công văn.pdf", vietnamese_pdf()), filename="Công văn.pdf")
    with pytest.raises(FileRefused):
        store(upload=upload("Công văn.pdf", png_image()), filename="Công văn.pdf")
    assert os.listdir(settings.FILE_UPLOAD_TEMP_DIR) == []


# Reading back


def test_verify_detects_a_blob_altered_in_storage(storage):
    stored = store(upload=upload("Quyết định.pdf", vietnamese_pdf()), filename="Quyết định.pdf")
    assert verify(stored)

    storage.delete(stored.blob_name)  # someone with access to the disk or the bucket edits it
    storage.save(stored.blob_name, ContentFile(vietnamese_pdf().replace(b"/F1 16 Tf", b"/F1 17 Tf")))
    assert not verify(stored)
    store(upload=upload("Quyết định.pdf", vietnamese_pdf()), filename="Quyết định.pdf")
    assert not verify(stored), "an altered blob is left as evidence, never overwritten"

    storage.delete(stored.blob_name)
    assert not verify(stored), "a missing blob does not verify either"

    store(upload=upload("Quyết định.pdf", vietnamese_pdf()), filename="Quyết định.pdf")
    assert verify(stored), "the same bytes handed in again restore a lost blob"


def test_a_download_carries_the_vietnamese_name_and_forbids_sniffing(storage):
    pdf = vietnamese_pdf()
    stored = store(upload=upload("x.pdf", pdf), filename="x.pdf")

    response = file_response(stored, filename="Công văn số 12/UBND-VP.pdf")

    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        'attachment; filename="Cong van so 12_UBND-VP.pdf"; '
        "filename*=UTF-8''C%C3%B4ng%20v%C4%83n%20s%E1%BB%91%2012_UBND-VP.pdf"
    ), "the number's slash does not cut the name"
    assert b"".join(response.streaming_content) == pdf
    assert response["Content-Length"] == str(len(pdf))
    assert "private" in response["Cache-Control"]


def test_the_download_name_is_given_in_utf8_with_a_plain_fallback(storage):
    stored = store(upload=upload("x.pdf", vietnamese_pdf()), filename="x.pdf")

    attachment = file_response(stored, filename="Công văn đến số 12.pdf")
    assert attachment["Content-Disposition"] == (
        'attachment; filename="Cong van den so 12.pdf"; '
        "filename*=UTF-8''C%C3%B4ng%20v%C4%83n%20%C4%91%E1%BA%BFn%20s%E1%BB%91%2012.pdf"
    )
    assert attachment["Content-Security-Policy"] == "default-src 'none'; sandbox"

    inline = file_response(stored, filename="Bao cao.pdf", inline=True)
    assert inline["Content-Disposition"] == 'inline; filename="Bao cao.pdf"'
    assert inline["X-Content-Type-Options"] == "nosniff"

    tricky = file_response(stored, filename='../../a"b\r\nSet-Cookie: x.pdf')
    assert tricky["Content-Disposition"] == (
        "attachment; filename=\"_.._a_bSet-Cookie: x.pdf\"; filename*=UTF-8''_.._a%22bSet-Cookie%3A%20x.pdf"
    )
