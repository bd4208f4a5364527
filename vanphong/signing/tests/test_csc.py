"""Remote signing over the CSC API v1, against the stand-in service started on loopback for the test run."""

import pytest

from vanphong.signing.csc_standin import Credential, CscStandIn
from vanphong.signing.errors import SigningError
from vanphong.signing.providers.csc import CscSigner
from vanphong.signing.services import sign_pdf
from vanphong.signing.validation import VALID, verify_pdf

from .conftest import MARKER

TOKEN = "test-access-token"
PIN = "123456"


@pytest.fixture(scope="module")
def csc_service(test_pki):
    person = Credential(key=test_pki.person.key, certificate=test_pki.person.cert, chain=test_pki.person.chain, pin=PIN)
    with CscStandIn(tokens={TOKEN}, credentials={"nguyen-van-an": person}) as service:
        yield service


def remote_key(service, **overrides):
    options = {"service_url": service.url, "credential_id": "nguyen-van-an", "token": TOKEN, "pin": PIN}
    return CscSigner(**{**options, **overrides})


def sign_letter(signer, letter, signature_png, **extra):
    return sign_pdf(
        pdf=letter,
        signer=signer,
        role="signer",
        field_name="Sig1",
        marker=MARKER,
        image_png=signature_png,
        lines=["GIÁM ĐỐC", "Nguyễn Văn An"],
        **extra,
    )


def test_the_stand_in_listens_on_loopback_only(csc_service):
    assert csc_service.url.startswith("http://127.0.0.1:")


def test_a_letter_signed_through_the_remote_service_is_intact_and_trusted(csc_service, letter, signature_png, test_pki):
    csc_service.requests.clear()

    signed = sign_letter(remote_key(csc_service), letter, signature_png)

    report = verify_pdf(pdf=signed, trust_roots=[test_pki.root.cert], crls=test_pki.crls_der)
    assert report.ok, report.summary
    (signature,) = report.signatures
    assert (signature.signer_name, signature.verdict, signature.trusted, signature.bottom_line) == (
        "Nguyễn Văn An",
        VALID,
        True,
        True,
    )
    endpoints = [endpoint for endpoint, _body in csc_service.requests]
    assert endpoints == ["credentials/info", "credentials/authorize", "signatures/signHash"]
    authorize = csc_service.requests[1][1]
    assert authorize["PIN"] == PIN and authorize["numSignatures"] == 1


def test_with_a_timestamp_it_is_b_t(csc_service, letter, signature_png, test_pki, timestamper):
    signed = remote_key(csc_service).sign(
        pdf=letter,
        role="signer",
        field_name="Sig1",
        marker=MARKER,
        image_png=signature_png,
        lines=["GIÁM ĐỐC", "Nguyễn Văn An"],
        timestamper=timestamper,
    )

    report = verify_pdf(pdf=signed, trust_roots=[test_pki.root.cert], crls=test_pki.crls_der)
    assert report.ok and report.signatures[0].timestamp, report.summary


def test_the_certificate_comes_from_the_service(csc_service, test_pki):
    assert remote_key(csc_service).certificate.serial_number == test_pki.person.cert.serial_number


def test_a_wrong_token_is_a_clear_error(csc_service, letter, signature_png):
    with pytest.raises(SigningError, match="mã truy cập"):
        sign_letter(remote_key(csc_service, token="expired-token"), letter, signature_png)


def test_a_wrong_pin_is_refused_without_a_signature(csc_service, letter, signature_png):
    signer = remote_key(csc_service, pin="000000")

    with pytest.raises(SigningError, match="PIN"):
        signer.sign(
            pdf=letter,
            role="signer",
            field_name="Sig1",
            marker=MARKER,
            image_png=signature_png,
            lines=["GIÁM ĐỐC", "Nguyễn Văn An"],
        )


def test_an_unreachable_service_is_a_clear_error(letter, signature_png):
    signer = CscSigner(service_url="http://127.0.0.1:9", credential_id="x", token=TOKEN)

    with pytest.raises(SigningError, match="Không kết nối được"):
        sign_letter(signer, letter, signature_png)
