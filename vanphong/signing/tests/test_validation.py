"""Checking signed documents as they arrive: each bad case gets its own verdict naming the signature, never a crash
and never a false "valid"."""

import io

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from vanphong.signing import validation as v
from vanphong.signing.services import sign_pdf

from .conftest import make_letter


def verify(pdf, pki, *, roots=None, crls=None):
    return v.verify_pdf(pdf=pdf, trust_roots=roots or [pki.root.cert], crls=pki.crls_der if crls is None else crls)


def signed_by(key_of, name, pdf=None):
    return sign_pdf(
        pdf=pdf or make_letter(),
        signer=key_of(name),
        role="attachment",
        field_name="Sig1",
        lines=["Số: 15/QĐ-STC"],
    )


def test_page_content_changed_after_signing_is_reported_as_modified_naming_the_signature(signed_by_both, test_pki):
    writer = IncrementalPdfFileWriter(io.BytesIO(signed_by_both))
    forged = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 30 Tf 90 600 Td (DA SUA) Tj ET"))
    writer.add_stream_to_page(0, forged)
    out = io.BytesIO()
    writer.write(out)

    report = verify(out.getvalue(), test_pki)

    assert not report.ok
    for signature in report.signatures:
        assert signature.intact and signature.verdict == v.MODIFIED and not signature.bottom_line
        assert signature.modification_level == "OTHER"
        assert f"«{signature.field_name}»" in signature.summary
    assert "«Sig1»" in report.summary and "«SigAgency»" in report.summary


def test_bytes_changed_inside_the_signed_range_break_the_signature(signed_by_both, test_pki):
    assert signed_by_both.count(b"(QUYET DINH ve viec") == 1
    tampered = signed_by_both.replace(b"(QUYET DINH ve viec", b"(QUYET DINX ve viec")

    report = verify(tampered, test_pki)

    director, agency = report.signatures
    assert not director.intact and director.verdict == v.BROKEN and "«Sig1»" in director.summary
    assert agency.verdict == v.BROKEN and not report.ok


def test_an_expired_certificate(key_of, test_pki):
    (signature,) = verify(signed_by(key_of, "expired"), test_pki).signatures

    assert signature.intact and signature.verdict == v.EXPIRED and not signature.bottom_line
    assert signature.signer_name == "Trần Thị Bình"


def test_a_revoked_certificate_with_the_crl_supplied(key_of, test_pki):
    (signature,) = verify(signed_by(key_of, "revoked"), test_pki).signatures

    assert signature.revocation == v.REVOKED and signature.verdict == v.REVOKED_CERT and not signature.bottom_line


def test_without_revocation_data_the_report_says_it_could_not_check(key_of, test_pki):
    report = verify(signed_by(key_of, "person"), test_pki, crls=())

    (signature,) = report.signatures
    assert signature.revocation == v.UNKNOWN and signature.verdict == v.VALID
    assert "«Sig1»" in signature.summary and signature.summary != v._(
        "Signature «%(field)s» of %(name)s: valid, trusted"
    )


@pytest.mark.parametrize("case", ["stranger under an unrelated root", "our signer, only the unrelated root trusted"])
def test_an_untrusted_chain(case, key_of, test_pki):
    if case.startswith("stranger"):
        report = verify(signed_by(key_of, "stranger"), test_pki)
    else:
        report = verify(signed_by(key_of, "person"), test_pki, roots=[test_pki.other_root.cert])

    (signature,) = report.signatures
    assert signature.intact and not signature.trusted and signature.verdict == v.UNTRUSTED and not report.ok


def test_an_encrypted_pdf_gets_its_own_verdict(test_pki):
    report = verify(make_letter(encrypt="matkhau"), test_pki)

    assert report.verdict == v.ENCRYPTED and report.signatures == [] and not report.ok


def test_a_broken_cross_reference_table_gets_its_own_verdict(signed_by_both, test_pki):
    start = signed_by_both.rindex(b"startxref")
    broken = signed_by_both[:start] + b"startxref\n999\n%%EOF\n"

    report = verify(broken, test_pki)

    assert report.verdict == v.DAMAGED and not report.ok


def test_xref_offsets_pointing_nowhere(test_pki):
    letter = make_letter()
    xref = letter.rindex(b"xref")
    broken = letter[:xref] + letter[xref:].replace(b" 00000 n", b" 00000 x")

    report = verify(broken, test_pki)

    assert report.verdict in (v.DAMAGED, v.UNSIGNED) and not report.ok


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04 a zip, not a pdf", b"%PDF-1.7\n garbage"])
def test_not_a_pdf_or_garbage_never_crashes(data, test_pki):
    report = verify(data, test_pki)

    assert report.verdict in (v.NOT_PDF, v.DAMAGED) and not report.ok


def test_an_unsigned_pdf(test_pki):
    report = verify(make_letter(), test_pki)

    assert report.verdict == v.UNSIGNED and not report.ok
