"""A drafter uploads a Word draft of a công văn; the platform shows it as a PDF for review and signing, with the
places for the number, the date and the signature found and their markers gone. LibreOffice and poppler run for
real (Debian libreoffice-writer-nogui, poppler-utils)."""

import io
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from django.utils import translation

from vanphong.core.conversion import (
    ConversionError,
    ConvertedDraft,
    DocumentConverter,
    LibreOfficeConverter,
    blank_wordprocessing_xml,
    convert_draft,
    converter,
)
from vanphong.core.pdftext import pdf_words
from vanphong.core.placeholders import Place

SAMPLES = Path(__file__).parent / "samples"
SAMPLE = SAMPLES / "cong-van-du-thao.docx"
SPLIT_SAMPLE = SAMPLES / "cong-van-du-thao-tach-run.docx"
ENCRYPTED_SAMPLE = SAMPLES / "cong-van-du-thao-mat-khau.docx"
A4 = (595.3, 841.9)


def pdf_text(pdf: bytes) -> str:
    result = subprocess.run(
        [shutil.which("pdftotext"), "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's size in points (pdfinfo, poppler-utils)."""
    result = subprocess.run(
        [shutil.which("pdfinfo"), "-f", "1", "-l", "99", "-"], input=pdf, capture_output=True, check=True
    )
    sizes = []
    for line in result.stdout.decode().splitlines():
        if line.startswith("Page") and " size:" in line:
            width, _x, height = line.split(":", 1)[1].split()[:3]
            sizes.append((float(width), float(height)))
    return sizes


class OtherConverter(DocumentConverter):
    """Another adapter of the port, as a deployment could name in VANPHONG_DOCUMENT_CONVERTER."""

    def to_pdf(self, data, filename):
        raise ConversionError("not used")


@pytest.fixture(scope="module")
def converted() -> dict[str, ConvertedDraft]:
    """Both samples converted once for the whole module (each conversion starts LibreOffice twice)."""
    return {path.name: convert_draft(path.read_bytes(), path.name) for path in (SAMPLE, SPLIT_SAMPLE)}


@pytest.mark.parametrize("sample", [SAMPLE.name, SPLIT_SAMPLE.name])
def test_drafter_uploads_a_cong_van_and_gets_an_a4_pdf_with_its_vietnamese_text(converted, sample):
    draft = converted[sample]
    assert draft.pdf.startswith(b"%PDF-")
    pages = pdf_pages(draft.pdf)
    assert 1 <= len(pages) <= 2
    assert all(abs(w - A4[0]) < 1 and abs(h - A4[1]) < 1 for w, h in pages)
    text = pdf_text(draft.pdf)
    for expected in (
        "UBND TỈNH NGHỆ AN",
        "SỞ TÀI CHÍNH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "/STC-VP",
        "Nghệ An,",
        "Kính gửi",
        "Nơi nhận:",
        "GIÁM ĐỐC",
        "Nguyễn Văn An",
    ):
        assert expected in text


@pytest.mark.parametrize("sample", [SAMPLE.name, SPLIT_SAMPLE.name])
def test_the_markers_do_not_show_in_the_pdf(converted, sample):
    text = pdf_text(converted[sample].pdf)
    assert "[[" not in text
    assert "]]" not in text
    for name in ("CHU_KY", "NGAY", "SO]"):
        assert name not in text
    assert "Số:" in text  # the words around a marker stay


@pytest.mark.parametrize("sample", [SAMPLE.name, SPLIT_SAMPLE.name])
def test_the_places_for_number_date_and_signature_are_where_the_template_put_them(converted, sample):
    places = converted[sample].places
    assert set(places) == {"number", "date", "signature"}
    assert all(isinstance(place, Place) and place.page == 0 for place in places.values())
    width, height = A4
    number, date, signature = (places[key].box for key in ("number", "date", "signature"))
    for x1, y1, x2, y2 in (number, date, signature):
        assert 0 < x1 < x2 < width and 0 < y1 < y2 < height
        assert 8 < y2 - y1 < 25  # one line of 13-14 pt text
    # the number: in the header's left column, near the top
    assert number[2] < width / 2 and number[1] > height * 0.8
    # the date: on the same row as the number, to its right
    assert date[0] > number[2] and abs(date[1] - number[1]) < 10
    # the signature: lower right half, under "GIÁM ĐỐC"
    assert signature[0] > width / 2 * 0.9 and signature[3] < height / 2
    # a marker written against other text ("[[SO]]/STC-VP"): its place stops where "/STC-VP" begins
    assert 25 < number[2] - number[0] < 45


def test_the_places_match_the_blanks_left_in_the_kept_pdf(converted):
    """The blank that replaces a marker is as wide as the marker: the text after it does not move."""
    draft = converted[SAMPLE.name]
    _width, _height, words = pdf_words(draft.pdf)[0]
    after_number = next(w for w in words if w[4] == "/STC-VP")
    assert abs(after_number[0] - draft.places["number"].box[2]) < 2


def test_the_split_sample_really_has_its_markers_cut_over_several_runs():
    with zipfile.ZipFile(SPLIT_SAMPLE) as package:
        xml = package.read("word/document.xml").decode()
    assert "[[CHU_KY]]" not in xml and ">[[</w:t>" in xml
    blanked, found = blank_wordprocessing_xml(xml)
    assert found == {"[[SO]]", "[[NGAY]]", "[[CHU_KY]]"}
    assert "[[" not in blanked and "]]/STC-VP" not in blanked and ">/STC-VP</w:t>" in blanked


def test_a_draft_without_markers_converts_once_with_no_places():
    with zipfile.ZipFile(SAMPLE) as package:
        parts = {info: package.read(info) for info in package.infolist()}
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as package:
        for info, content in parts.items():
            if info.filename == "word/document.xml":
                content = content.replace(b"[[", b"((").replace(b"]]", b"))")
            package.writestr(info, content)
    draft = convert_draft(output.getvalue(), "khong-co-dau-hieu.docx")
    assert draft.places == {}
    assert "((SO))/STC-VP" in pdf_text(draft.pdf)


def test_an_opendocument_draft_converts_too(tmp_path):
    """A draft saved from LibreOffice as .odt: the same markers, the same places."""
    source = tmp_path / "cong-van.docx"
    source.write_bytes(SAMPLE.read_bytes())
    subprocess.run(
        [
            LibreOfficeConverter.binary(),
            "--headless",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--convert-to",
            "odt",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        check=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    draft = convert_draft((tmp_path / "cong-van.odt").read_bytes(), "cong-van.odt")
    assert "[[" not in pdf_text(draft.pdf)
    assert set(draft.places) == {"number", "date", "signature"}


def test_the_configured_converter_is_libreoffice_and_can_be_replaced(settings):
    assert isinstance(converter(), LibreOfficeConverter)
    settings.VANPHONG_DOCUMENT_CONVERTER = f"{__name__}.OtherConverter"
    assert isinstance(converter(), OtherConverter)


def test_one_conversion_of_the_sample_takes_a_few_seconds():
    started = time.perf_counter()
    convert_draft(SAMPLE.read_bytes(), SAMPLE.name)
    assert time.perf_counter() - started < 30


# --- What the person sees when a draft cannot be converted -----------------------------------------------------------


def refused(data: bytes, filename: str, *, language="en") -> str:
    """The message of the refusal, in English (the msgid) unless `language` is given."""
    with translation.override(language), pytest.raises(ConversionError) as error:
        convert_draft(data, filename)
    return str(error.value)


def test_an_empty_file_is_refused_in_the_persons_language():
    assert refused(b"", "du-thao.docx") == "“du-thao.docx” is empty."
    assert refused(b"", "du-thao.docx", language="vi") == "Tệp “du-thao.docx” trống."


def test_random_bytes_named_docx_are_refused():
    message = refused(bytes(range(256)) * 40, "du-thao.docx")
    assert message == ("The content of “du-thao.docx” is not Word (.docx). Open it and save it again as Word (.docx).")


def test_a_pdf_renamed_docx_is_refused(converted):
    message = refused(converted[SAMPLE.name].pdf, "du-thao.docx")
    assert "is not Word (.docx)" in message


def test_a_spreadsheet_renamed_docx_is_refused():
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("xl/workbook.xml", "<workbook/>")
    assert "is not Word (.docx)" in refused(output.getvalue(), "du-thao.docx")


def test_a_cut_off_docx_is_refused_as_damaged():
    data = SAMPLE.read_bytes()
    message = refused(data[: len(data) // 2], "du-thao.docx")
    assert message == (
        "“du-thao.docx” is damaged and cannot be opened. Open it in Word and save it again, or upload another copy."
    )


def test_a_docx_with_a_corrupted_part_is_refused_as_damaged():
    data = bytearray(SAMPLE.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as package:
        info = package.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start + 50, start + 150):
        data[offset] ^= 0x5A
    assert "is damaged and cannot be opened" in refused(bytes(data), "du-thao.docx")


def test_a_password_protected_docx_is_refused_without_asking_libreoffice():
    started = time.perf_counter()
    message = refused(ENCRYPTED_SAMPLE.read_bytes(), "du-thao.docx")
    assert message == (
        "“du-thao.docx” is protected by a password. Remove the password (save a copy without it) and upload it again."
    )
    assert time.perf_counter() - started < 1


def test_an_old_word_document_renamed_docx_is_refused():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4088)
    assert "is not Word (.docx)" in refused(ole, "du-thao.docx")


def test_an_other_kind_of_file_is_refused():
    message = refused(b"%PDF-1.7\n", "du-thao.pdf")
    assert message == (
        "Only Word (.docx) and OpenDocument (.odt) drafts can be converted to PDF; “du-thao.pdf” is neither."
    )


def test_a_conversion_that_takes_too_long_is_stopped(settings, tmp_path):
    settings.VANPHONG_CONVERSION_TIMEOUT = 0.3
    started = time.perf_counter()
    message = refused(SAMPLE.read_bytes(), "du-thao.docx")
    assert message == "Converting “du-thao.docx” to PDF took longer than 0.3 seconds and was stopped."
    assert time.perf_counter() - started < 10


def test_without_libreoffice_the_person_is_told_to_call_the_administrator(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # a server where LibreOffice is not installed
    message = refused(SAMPLE.read_bytes(), "du-thao.docx")
    assert message == (
        "Drafts cannot be converted to PDF: LibreOffice is not installed on the server. Tell the administrator."
    )


def test_a_file_libreoffice_cannot_load_is_refused_with_a_clear_message():
    with translation.override("en"), pytest.raises(ConversionError) as error:
        LibreOfficeConverter().to_pdf(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4088), "du-thao.docx")
    assert str(error.value) == (
        "“du-thao.docx” could not be converted to PDF. Open it in Word, save it again as Word (.docx) and upload it "
        "again."
    )


def test_the_words_beside_a_marker_stay_where_the_drafter_laid_them_out():
    """The date line "Nghệ An, [[NGAY]]" is centred: a blank at its end must not move the place name."""
    data = SAMPLE.read_bytes()
    marked = LibreOfficeConverter().to_pdf(data, "du-thao.docx")
    kept = convert_draft(data, "du-thao.docx").pdf

    def left_of(pdf, text):
        return [w[0] for w in pdf_words(pdf)[0][2] if w[4] == text]

    for word in ("Nghệ", "An,"):
        assert left_of(kept, word) == pytest.approx(left_of(marked, word), abs=1.5), word
