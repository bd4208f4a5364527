"""Signing: the director's signature at the template's marker, the agency's over its left third, an attachment at
the top right of page 1, and the refusals a clerk may meet."""

import io
import subprocess
import tempfile
from pathlib import Path

import pytest
from PIL import Image
from pyhanko.pdf_utils.reader import PdfFileReader

from vanphong.signing.errors import SigningError
from vanphong.signing.providers.pkcs12 import Pkcs12Signer
from vanphong.signing.services import agency_box, find_marker, sign_pdf, signature_field
from vanphong.signing.validation import GOOD, VALID, verify_pdf

from .conftest import MARKER, make_letter, make_png


def verify(pdf, pki, **extra):
    return verify_pdf(pdf=pdf, trust_roots=[pki.root.cert], crls=pki.crls_der, **extra)


def grey_ink(pdf: bytes, box, *, page: int = 0, dpi: int = 144) -> list:
    """The dark grey or black pixels (text ink; not the blue signature, the red seal or their blend) pdftoppm renders
    inside `box` (PDF points, origin bottom-left) of `page`, A4."""
    scale = dpi / 72
    x1, y1, x2, y2 = box
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "page.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            [
                *("/usr/bin/pdftoppm", "-png", "-r", str(dpi), "-f", str(page + 1), "-l", str(page + 1)),
                *("-singlefile", "-x", str(int(x1 * scale)), "-y", str(int((841.89 - y2) * scale))),
                *("-W", str(int((x2 - x1) * scale)), "-H", str(int((y2 - y1) * scale))),
                *(str(source), str(Path(folder) / "region")),
            ],
            check=True,
        )
        image = Image.open(Path(folder) / "region.png").convert("RGB")
        pixels = [image.getpixel((x, y)) for x in range(image.width) for y in range(image.height)]
    return [p for p in pixels if max(p) < 170 and max(p) - min(p) < 16]


def test_the_signature_image_covers_the_marker_and_the_template_keeps_title_and_name(letter, signed_by_both, tmp_path):
    _page, box = find_marker(letter, MARKER)
    assert grey_ink(letter, box)  # the marker shows on the draft

    for dpi in (60, 144, 300):
        assert not grey_ink(signed_by_both, box, dpi=dpi), dpi  # gone, whatever the zoom
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed_by_both)
    text = subprocess.run(["/usr/bin/pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "GIAM DOC" in text and "Nguyen Van An" in text  # the template's own title and name stay
    assert "Nguyễn Văn An" not in text and "GIÁM ĐỐC" not in text  # the stamp does not repeat them


def test_director_then_agency_both_valid_and_trusted(signed_by_both, test_pki):
    report = verify(signed_by_both, test_pki)

    assert report.ok, report.summary
    director, agency = report.signatures
    assert (director.field_name, director.signer_name) == ("Sig1", "Nguyễn Văn An")
    assert (agency.field_name, agency.signer_name) == ("SigAgency", "Sở Tài chính tỉnh Nghệ An")
    for signature in (director, agency):
        assert (signature.intact, signature.valid, signature.trusted, signature.bottom_line) == (True,) * 4
        assert signature.verdict == VALID and signature.revocation == GOOD and not signature.timestamp
        assert signature.signing_time.utcoffset().total_seconds() == 7 * 3600  # Vietnam time
    assert director.modification_level == "FORM_FILLING"  # the agency's signature came after it
    assert agency.modification_level == "NONE"
    assert "Sig1" in director.summary and "Nguyễn Văn An" in director.summary


def test_a_second_validator_poppler_pdfsig_finds_both_signatures_valid(signed_by_both, tmp_path):
    path = tmp_path / "quyet-dinh.pdf"
    path.write_bytes(signed_by_both)

    result = subprocess.run(["/usr/bin/pdfsig", str(path)], capture_output=True, text=True, check=False)

    assert "Signature #1:" in result.stdout and "Signature #2:" in result.stdout
    assert result.stdout.count("Signature Validation: Signature is Valid.") == 2, result.stdout
    assert "Signature Field Name: Sig1" in result.stdout and "Signature Field Name: SigAgency" in result.stdout
    assert result.stdout.count("ETSI.CAdES.detached") == 2


def test_the_signature_is_placed_at_the_marker_and_the_seal_over_its_left_third(signed_by_both):
    reader = PdfFileReader(io.BytesIO(signed_by_both))
    page, (x1, y1, x2, y2), signed = signature_field(reader, "Sig1")
    _, (a1, b1, a2, b2), agency_signed = signature_field(reader, "SigAgency")

    assert signed and agency_signed and page == 0
    assert x1 < 385 + 30 < x2 and y1 < 230 < y2  # around the marker drawn at (385, 230)
    assert a2 == pytest.approx(x1 + (x2 - x1) / 3)  # the seal's right edge one third into the signer's box
    assert a1 < x1 and b1 < (y1 + y2) / 2 < b2


def test_agency_box_is_the_seal_size_centred_on_the_signer_box():
    x1, y1, x2, y2 = agency_box((300, 100, 450, 160), seal_size=90)
    assert (x2, x2 - x1, y2 - y1, (y1 + y2) / 2) == (350, 90, 90, 130)


def test_with_a_timestamp_authority_the_signature_is_b_t(letter, key_of, signature_png, timestamper, test_pki):
    signed = sign_pdf(
        pdf=letter,
        signer=key_of("person"),
        role="signer",
        field_name="Sig1",
        page=0,
        box=(330, 190, 490, 270),
        image_png=signature_png,
        lines=["GIÁM ĐỐC", "Nguyễn Văn An"],
        timestamper=timestamper,
    )

    (signature,) = verify(signed, test_pki).signatures
    assert signature.ok and signature.timestamp and signature.timestamp_time is not None


def test_an_attachment_is_signed_top_right_of_page_one_without_image(key_of, test_pki):
    appendix = make_letter(pages=2)

    signed = sign_pdf(
        pdf=appendix, signer=key_of("agency"), role="attachment", field_name="SigAttachment", lines=["Số: 15/QĐ-STC"]
    )

    page, (_, _, right, top), _ = signature_field(PdfFileReader(io.BytesIO(signed)), "SigAttachment")
    assert page == 0 and right > 595 - 80 and top > 842 - 60
    assert verify(signed, test_pki).ok


def test_a_jpeg_signature_image_is_refused_with_a_clear_message(letter, key_of):
    jpeg = make_png((20, 40, 200), fmt="JPEG")

    with pytest.raises(SigningError, match="PNG"):
        sign_pdf(pdf=letter, signer=key_of("person"), role="signer", field_name="Sig1", marker=MARKER, image_png=jpeg)


def test_a_truncated_png_is_refused(letter, key_of, signature_png):
    with pytest.raises(SigningError):
        sign_pdf(
            pdf=letter,
            signer=key_of("person"),
            role="signer",
            field_name="Sig1",
            marker=MARKER,
            image_png=signature_png[:60],
        )


def test_a_missing_marker_is_reported(letter, key_of, signature_png):
    with pytest.raises(SigningError, match="NO_SUCH_PLACE"):
        sign_pdf(
            pdf=letter,
            signer=key_of("person"),
            role="signer",
            field_name="Sig1",
            marker="NO_SUCH_PLACE",
            image_png=signature_png,
        )


def test_a_field_already_signed_is_not_signed_again(signed_by_both, key_of, signature_png):
    with pytest.raises(SigningError, match="Sig1"):
        sign_pdf(pdf=signed_by_both, signer=key_of("person"), role="signer", field_name="Sig1", image_png=signature_png)


def test_an_encrypted_or_non_pdf_file_is_not_signed(key_of):
    for bad in (make_letter(encrypt="matkhau"), b"GIF89a not a pdf"):
        with pytest.raises(SigningError):
            sign_pdf(pdf=bad, signer=key_of("agency"), role="attachment", field_name="S", lines=["Số: 1"])


def test_a_wrong_key_password_is_a_clear_error(test_pki, letter):
    key = Pkcs12Signer(data=test_pki.person.pkcs12(), passphrase=b"wrong")

    with pytest.raises(SigningError):
        sign_pdf(pdf=letter, signer=key, role="attachment", field_name="S", lines=["Số: 1"])


def test_the_png_check_accepts_png_and_rejects_jpeg():
    from vanphong.signing.services import read_png

    assert read_png(make_png((0, 0, 0, 255))).size == (300, 150)
    with pytest.raises(SigningError):
        read_png(make_png((0, 0, 0), fmt="JPEG"))
