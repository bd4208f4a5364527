"""OCR with the real OCRmyPDF and Tesseract (Vietnamese), text extraction, and the `intake suggest` command.
OCR runs take seconds each: one scanned PDF (shared by the tests that read it) and one image."""

import io
import json
import shutil
import subprocess

import pikepdf
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image

from vanphong.intake.evaluation import generate
from vanphong.intake.ocr import OcrError, OcrmypdfEngine, is_signed
from vanphong.intake.text import extract_text, needs_ocr, pdf_text
from vanphong.signing.tests.conftest import MARKER, key_of, make_letter, make_png, test_pki  # noqa: F401 - fixtures

SAMPLES = "vanphong/core/tests/samples"


@pytest.fixture(scope="module")
def scan(tmp_path_factory):
    """A one-page scanned decision of the provincial People's Committee (200 dpi, noise, skew, red seal)."""
    sample = generate(tmp_path_factory.mktemp("scan"), count=1, seed=2026)[0]
    assert sample.truth["pages"] == 1
    return sample


@pytest.fixture(scope="module")
def ocr_run(scan):
    original = scan.scan.read_bytes()
    progress = []
    result = OcrmypdfEngine().ocr(original, filename="quyet-dinh.pdf", progress=lambda d, t: progress.append((d, t)))
    return original, result, progress


def test_a_scan_becomes_a_searchable_pdfa_with_vietnamese_text(scan, ocr_run):
    original, result, progress = ocr_run
    assert needs_ocr(original)
    assert result.ocr_done and not result.signed and result.pages == 1
    assert scan.scan.read_bytes() == original  # the original is kept unaltered
    layer = pdf_text(result.pdf)
    assert "QUYẾT ĐỊNH" in layer and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in layer
    assert scan.truth["number_notation"] in result.text.replace(" ", "")
    assert not needs_ocr(result.pdf)
    with pikepdf.open(io.BytesIO(result.pdf)) as document:
        assert document.open_metadata().pdfa_status.startswith("2")
    assert progress[-1] == (1, 1)


def test_a_short_born_digital_page_that_cannot_be_pdfa_is_still_read():
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)  # reportlab writes a /Trans key on the page, which pikepdf cannot confirm as PDF/A
    page.setFont("Helvetica", 28)
    page.drawString(72, 700, "GIAY MOI HOP")
    page.save()
    assert needs_ocr(buffer.getvalue())  # too little text for a page: read as a scan
    result = OcrmypdfEngine().ocr(buffer.getvalue(), filename="giay-moi.pdf")
    assert result.ocr_done
    assert "GIAY MOI HOP" in " ".join(result.text.upper().split())


def test_the_suggest_command_prints_the_five_fields(scan, db, capsys):
    call_command("intake", "suggest", str(scan.scan))
    found = json.loads(capsys.readouterr().out)
    assert list(found) == ["issuer", "number_notation", "date", "type", "summary"]
    assert found["number_notation"] == scan.truth["number_notation"]
    assert found["date"] == scan.truth["date"]
    assert found["type"] == "Quyết định"
    assert "ỦY BAN NHÂN DÂN" in found["issuer"].upper()


def test_a_scanned_image_is_ocrd_at_its_resolution(scan, tmp_path):
    command = [shutil.which("pdftoppm"), "-r", "200", "-png", "-singlefile", str(scan.scan), str(tmp_path / "page")]
    subprocess.run(command, capture_output=True, check=True)
    image = Image.open(tmp_path / "page.png")
    header = image.crop((0, 0, image.width, image.height // 5))
    out = io.BytesIO()
    header.save(out, "PNG", dpi=(200, 200))
    result = OcrmypdfEngine(clean=False).ocr(out.getvalue(), filename="header.png")
    assert "Độc lập - Tự do - Hạnh phúc" in result.text
    with pikepdf.open(io.BytesIO(result.pdf)) as document:
        width_inches = float(document.pages[0].mediabox[2]) / 72
    assert abs(width_inches - image.width / 200) < 0.05


def test_a_signed_pdf_is_never_ocrd(key_of):  # noqa: F811 - the signing tests' fixture
    from vanphong.signing.services import sign_pdf

    signed = sign_pdf(
        pdf=make_letter(),
        signer=key_of("person"),
        role="signer",
        field_name="Sig1",
        marker=MARKER,
        image_png=make_png((20, 40, 200, 255)),
    )
    assert is_signed(signed) and not is_signed(make_letter())
    result = OcrmypdfEngine().ocr(signed, filename="signed.pdf")
    assert result.signed and not result.ocr_done
    assert result.pdf == signed  # not rewritten: the signature stays valid
    assert "QUYET DINH ve viec phan bo ngan sach" in result.text


def test_text_comes_from_docx_and_pdf_layers_and_not_from_images():
    with open(f"{SAMPLES}/cong-van-du-thao.docx", "rb") as sample:
        text = extract_text(sample.read(), "cong-van-du-thao.docx")
    assert "SỞ TÀI CHÍNH" in text and "V/v báo cáo tình hình thực hiện dự toán ngân sách quý I năm 2026" in text
    assert "GIAM DOC" in extract_text(make_letter(), "letter.pdf")
    assert extract_text(make_png((0, 0, 0, 255)), "scan.png") == ""
    assert not needs_ocr(make_letter())


def test_text_comes_from_odt():
    import zipfile

    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
        "<text:h>KẾ HOẠCH</text:h><text:p>Triển khai<text:s/>chuyển đổi số</text:p>"
        "</office:text></office:body></office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content)
    assert extract_text(out.getvalue(), "ke-hoach.odt") == "KẾ HOẠCH\nTriển khai chuyển đổi số"


def test_what_is_not_a_scan_is_refused():
    with pytest.raises(OcrError):
        OcrmypdfEngine().ocr(b"plain text", filename="note.txt")


def test_a_missing_file_is_a_clear_error(tmp_path):
    missing = tmp_path / "khong-co.pdf"
    with pytest.raises(CommandError) as caught:
        call_command("intake", "suggest", str(missing))
    assert caught.value.returncode == 2 and str(missing) in str(caught.value)
    result = subprocess.run(
        [".venv/bin/python", "manage.py", "intake", "suggest", str(missing)], capture_output=True, text=True
    )
    assert result.returncode == 2 and str(missing) in result.stderr and not result.stdout


def test_the_evaluation_set_is_reproducible(tmp_path):
    first = generate(tmp_path / "a", count=2, seed=7)
    again = generate(tmp_path / "b", count=2, seed=7)
    assert [s.truth for s in first] == [s.truth for s in again]
    assert first[0].truth["type"] != first[1].truth["type"]
