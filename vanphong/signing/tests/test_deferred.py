"""Deferred signing: the server prepares, a plugin signs the signed attributes with the person's key (RSA PKCS#1 v1.5,
SHA-256, as VGCA's plugin or a Mobile-PKI service would), the server completes from the state in the database."""

import datetime
import io
import subprocess

import pytest
import time_machine
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from pyhanko.pdf_utils.reader import PdfFileReader

from vanphong.signing.errors import SigningError
from vanphong.signing.models import PendingSignature
from vanphong.signing.providers.deferred import complete, prepare, to_be_signed
from vanphong.signing.services import signature_field
from vanphong.signing.validation import VALID, verify_pdf

from .conftest import MARKER

pytestmark = pytest.mark.django_db


def plugin_signs(key, data: bytes) -> bytes:
    return key.sign(data, padding.PKCS1v15(), hashes.SHA256())


@pytest.fixture
def pending(letter, test_pki, signature_png):
    return prepare(
        pdf=letter,
        certificate=test_pki.person.cert,
        chain=test_pki.person.chain,
        role="signer",
        field_name="Sig1",
        marker=MARKER,
        image_png=signature_png,
        lines=["GIÁM ĐỐC", "Nguyễn Văn An"],
    )


def verify(pdf, pki):
    return verify_pdf(pdf=pdf, trust_roots=[pki.root.cert], crls=pki.crls_der)


def test_prepare_keeps_the_state_and_gives_the_data_to_sign(pending, letter):
    stored = PendingSignature.objects.get(pk=pending.pk)
    data = to_be_signed(stored)

    assert stored.state == PendingSignature.State.PENDING
    assert bytes(stored.prepared_pdf).startswith(letter)  # an incremental update of the letter
    assert bytes.fromhex(data["to_be_signed"]) == stored.to_be_signed and stored.to_be_signed[0] == 0x31  # SET OF
    assert data["digest"] == stored.to_be_signed_sha256 and len(data["digest"]) == 64
    assert stored.reserved_region_start < stored.reserved_region_end
    assert stored.expires_at > stored.created_at


def test_completed_from_the_database_is_intact_and_trusted(pending, test_pki):
    reloaded = PendingSignature.objects.get(pk=pending.pk)  # as another process receiving the plugin's answer would
    del pending

    signed = complete(pending=reloaded, signature_value=plugin_signs(test_pki.person.key, reloaded.to_be_signed))

    report = verify(signed, test_pki)
    assert report.ok, report.summary
    (signature,) = report.signatures
    assert (signature.field_name, signature.signer_name, signature.verdict) == ("Sig1", "Nguyễn Văn An", VALID)
    assert (signature.intact, signature.trusted, signature.bottom_line) == (True, True, True)
    _page, (x1, y1, x2, y2), is_signed = signature_field(PdfFileReader(io.BytesIO(signed)), "Sig1")
    assert is_signed and x1 < 385 + 30 < x2 and y1 < 230 < y2  # placed at the marker, as sign_pdf places it
    assert PendingSignature.objects.get(pk=reloaded.pk).state == PendingSignature.State.COMPLETED


def test_with_a_timestamp_at_completion_it_is_b_t(pending, test_pki, timestamper):
    signed = complete(
        pending=pending,
        signature_value=plugin_signs(test_pki.person.key, pending.to_be_signed),
        timestamper=timestamper,
    )

    report = verify(signed, test_pki)
    assert report.ok, report.summary
    assert report.signatures[0].timestamp


def test_then_the_agency_signs_after_it(pending, test_pki, key_of, seal_png):
    from vanphong.signing.services import sign_pdf

    by_director = complete(pending=pending, signature_value=plugin_signs(test_pki.person.key, pending.to_be_signed))
    both = sign_pdf(
        pdf=by_director,
        signer=key_of("agency"),
        role="agency",
        field_name="SigAgency",
        over_field="Sig1",
        image_png=seal_png,
        lines=["Sở Tài chính tỉnh Nghệ An"],
    )

    report = verify(both, test_pki)
    assert report.ok, report.summary
    assert [s.field_name for s in report.signatures] == ["Sig1", "SigAgency"]


def test_a_signature_by_another_key_is_refused_and_no_pdf_is_made(pending, test_pki):
    wrong = plugin_signs(test_pki.agency.key, pending.to_be_signed)

    with pytest.raises(SigningError, match="không khớp với văn bản"):
        complete(pending=pending, signature_value=wrong)

    stored = PendingSignature.objects.get(pk=pending.pk)
    assert stored.state == PendingSignature.State.PENDING  # the right key may still sign it
    signed = complete(pending=stored, signature_value=plugin_signs(test_pki.person.key, stored.to_be_signed))
    assert verify(signed, test_pki).ok


def test_a_signature_over_other_data_or_garbage_is_refused(pending, test_pki):
    with pytest.raises(SigningError, match="không khớp với văn bản"):
        complete(pending=pending, signature_value=plugin_signs(test_pki.person.key, b"other data"))
    with pytest.raises(SigningError, match="không khớp với văn bản"):
        complete(pending=pending, signature_value=b"\x01" * 7)
    with pytest.raises(SigningError, match="Chưa nhận được chữ ký"):
        complete(pending=pending, signature_value=b"")


def test_a_used_request_cannot_complete_again(pending, test_pki):
    signature = plugin_signs(test_pki.person.key, pending.to_be_signed)
    complete(pending=pending, signature_value=signature)

    with pytest.raises(SigningError, match="đã được sử dụng"):
        complete(pending=pending, signature_value=signature)


def test_an_expired_request_is_refused(pending, test_pki):
    signature = plugin_signs(test_pki.person.key, pending.to_be_signed)

    with (
        time_machine.travel(pending.expires_at + datetime.timedelta(seconds=1)),
        pytest.raises(SigningError, match="đã hết hạn"),
    ):
        complete(pending=pending, signature_value=signature)

    assert PendingSignature.objects.get(pk=pending.pk).state == PendingSignature.State.EXPIRED
    with pytest.raises(SigningError, match="đã hết hạn"):
        complete(pending=pending, signature_value=signature)


def test_a_broken_certificate_is_refused(letter):
    with pytest.raises(SigningError, match="chứng thư số"):
        prepare(pdf=letter, certificate=b"not a certificate", role="attachment", field_name="SigAttach")


def test_poppler_pdfsig_also_finds_it_valid(pending, test_pki, tmp_path):
    path = tmp_path / "quyet-dinh.pdf"
    path.write_bytes(complete(pending=pending, signature_value=plugin_signs(test_pki.person.key, pending.to_be_signed)))

    result = subprocess.run(["/usr/bin/pdfsig", str(path)], capture_output=True, text=True, check=False)

    assert "Signature Validation: Signature is Valid." in result.stdout, result.stdout
