"""The clerk numbers and dates a document the director has signed, then the agency signs: the places are laid out
on the draft, filled after the director's signature, and every signature stays valid."""

import io
import subprocess

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from vanphong.core.placeholders import Place
from vanphong.signing.errors import SigningError
from vanphong.signing.places import fill_places, find_places, prepare_places
from vanphong.signing.services import sign_pdf
from vanphong.signing.validation import MODIFIED, VALID, verify_pdf

from .conftest import MARKER, make_letter
from .test_signing import grey_ink

DATE_LINE = "ngày 05 tháng 3 năm 2026"


def verify(pdf, pki):
    return verify_pdf(pdf=pdf, trust_roots=[pki.root.cert], crls=pki.crls_der)


def text_of(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "van-ban.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(["/usr/bin/pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return result.stdout.decode()


@pytest.fixture(scope="module")
def draft():
    return make_letter(number_and_date=True)


@pytest.fixture(scope="module")
def signed_by_director(draft, key_of, signature_png, timestamper):
    """The drafter's PDF gets its number and date places; the director signs it (PAdES B-T)."""
    return sign_pdf(
        pdf=prepare_places(draft),
        signer=key_of("person"),
        role="signer",
        field_name="Sig1",
        marker=MARKER,
        image_png=signature_png,
        timestamper=timestamper,
    )


@pytest.fixture(scope="module")
def numbered(signed_by_director):
    return fill_places(signed_by_director, {"number": "12", "date": DATE_LINE})


@pytest.fixture(scope="module")
def issued(numbered, key_of, seal_png, timestamper):
    return sign_pdf(
        pdf=numbered,
        signer=key_of("agency"),
        role="agency",
        field_name="SigAgency",
        over_field="Sig1",
        image_png=seal_png,
        lines=["Sở Tài chính tỉnh Nghệ An"],
        timestamper=timestamper,
    )


def test_director_signs_clerk_numbers_agency_signs_and_both_signatures_are_valid(issued, test_pki, tmp_path):
    report = verify(issued, test_pki)

    assert report.ok, report.summary
    director, agency = [s for s in report.signatures if s.kind == "signature"]
    assert (director.field_name, director.verdict, director.modification_level) == ("Sig1", VALID, "FORM_FILLING")
    assert (agency.field_name, agency.verdict) == ("SigAgency", VALID)
    path = tmp_path / "quyet-dinh.pdf"
    path.write_bytes(issued)
    pdfsig = subprocess.run(["/usr/bin/pdfsig", str(path)], capture_output=True, text=True, check=False).stdout
    assert pdfsig.count("Signature Validation: Signature is Valid.") == 2, pdfsig
    text = text_of(issued, tmp_path)
    assert "12" in text.split("So:")[1].split("Nghe An")[0] and f"Nghe An, {DATE_LINE}" in text


def test_the_vietnamese_date_line_is_extracted_exactly_with_its_diacritics(numbered, tmp_path):
    assert DATE_LINE in text_of(numbered, tmp_path)


def test_the_markers_are_found_even_inside_a_word(draft):
    places = find_places(draft)

    assert set(places) == {"signature", "number", "date"}
    number = places["number"].box
    assert number[0] == pytest.approx(113.1, abs=0.3) and number[2] == pytest.approx(146.4, abs=0.3)  # "So: " | "/QD"
    assert places["date"].page == 0 and places["date"].box[1] < 735 < places["date"].box[3]


def test_the_marker_no_longer_shows_where_the_number_and_date_go(draft, numbered):
    places = find_places(draft)
    number, date = places["number"].box, places["date"].box
    assert grey_ink(draft, number) and grey_ink(draft, date)  # the markers show on the draft

    laid_out = prepare_places(draft)

    assert not grey_ink(laid_out, number) and not grey_ink(laid_out, date)  # blank while waiting for the clerk
    x1, y1, x2, y2 = number
    assert grey_ink(numbered, (x2 - 14, y1, x2, y2))  # "12", closed up to the notation after it
    assert not grey_ink(numbered, (x1, y1, x2 - 18, y2))  # and nothing of "[[SO]]" before it


def test_places_given_by_the_caller_are_used(draft, tmp_path):
    places = {"number": Place(page=0, box=(113.127, 732.3, 146.4, 744.3))}

    filled = fill_places(prepare_places(draft, places), {"number": "07"})

    assert "07" in text_of(filled, tmp_path).split("So:")[1].split("Nghe An")[0]
    with pytest.raises(SigningError, match="vị trí «ngày tháng» để điền"):
        fill_places(prepare_places(draft, places), {"date": DATE_LINE})


def test_content_changed_after_the_number_is_still_reported_modified(issued, test_pki):
    writer = IncrementalPdfFileWriter(io.BytesIO(issued))
    forged = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 30 Tf 90 600 Td (SO 13) Tj ET"))
    writer.add_stream_to_page(0, forged)
    out = io.BytesIO()
    writer.write(out)

    report = verify(out.getvalue(), test_pki)

    assert not report.ok
    for signature in report.signatures:
        if signature.kind == "signature":
            assert signature.verdict == MODIFIED and signature.modification_level == "OTHER"


def test_a_number_is_written_once(numbered):
    with pytest.raises(SigningError, match="Vị trí «số» đã được điền"):
        fill_places(numbered, {"number": "13"})


def test_a_document_without_places_cannot_be_numbered(key_of, signature_png):
    signed = sign_pdf(
        pdf=make_letter(),
        signer=key_of("person"),
        role="signer",
        field_name="Sig1",
        marker=MARKER,
        image_png=signature_png,
    )

    with pytest.raises(SigningError, match="vị trí «số» để điền"):
        fill_places(signed, {"number": "12"})
    with pytest.raises(SigningError, match="Văn bản không có vị trí để ghi số hoặc ngày tháng"):
        prepare_places(make_letter())


def test_places_are_laid_out_once(draft):
    with pytest.raises(SigningError, match="Vị trí ghi số và ngày tháng đã được tạo"):
        prepare_places(prepare_places(draft))
