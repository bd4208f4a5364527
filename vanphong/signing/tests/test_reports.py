"""Stored reports: a signed letter checked against the trust store the operator keeps, an unsigned PDF, a file that
is not a PDF, and the admin refusing anything but a certificate."""

import io

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.files.uploadedfile import SimpleUploadedFile

from vanphong.accounts.tests.factories import UserFactory
from vanphong.core.files import store
from vanphong.signing import validation as v
from vanphong.signing.credentials import image_of
from vanphong.signing.models import SigningCredential, TrustedRoot, VerificationReport
from vanphong.signing.reports import latest_reports, parse_certificate, verify_stored_file
from vanphong.signing.services import sign_pdf

from .conftest import make_letter, make_png

pytestmark = pytest.mark.django_db


def trust(pki, *, active=True):
    pem = pki.root.cert_pem().decode()
    return TrustedRoot.objects.create(
        name="Test root",
        domain=TrustedRoot.Domain.TEST,
        certificate_pem=pem,
        fingerprint_sha256=parse_certificate(pem).fingerprint_sha256,
        is_active=active,
    )


def stored(content: bytes, name="letter.pdf"):
    return store(upload=io.BytesIO(content), filename=name)


@pytest.fixture(scope="module")
def signed_letter(key_of):
    return sign_pdf(pdf=make_letter(), signer=key_of("person"), role="attachment", field_name="Sig1", lines=["Số 1"])


def test_a_letter_signed_under_a_trusted_root_is_reported_valid_naming_the_signer(signed_letter, test_pki):
    trust(test_pki)

    report = verify_stored_file(stored_file=stored(signed_letter))

    assert report.verdict == v.ALL_VALID
    (signature,) = report.details
    assert signature["field"] == "Sig1" and signature["signer"] == "Nguyễn Văn An"
    assert signature["intact"] and signature["trusted"] and signature["verdict"] == v.VALID
    assert signature["time"] and signature["modification_level"] == "NONE"
    assert "Nguyễn Văn An" in signature["summary"] and "«Sig1»" in signature["summary"]
    assert VerificationReport.objects.get() == report


def test_without_a_trusted_root_the_signature_is_untrusted(signed_letter, test_pki):
    trust(test_pki, active=False)  # a root taken out of use does not count

    report = verify_stored_file(stored_file=stored(signed_letter))

    assert report.verdict == v.PROBLEMS
    (signature,) = report.details
    assert signature["verdict"] == v.UNTRUSTED and not signature["trusted"]


def test_an_unsigned_pdf_gets_the_no_signature_verdict_and_other_files_none():
    report = verify_stored_file(stored_file=stored(make_letter()))
    assert report.verdict == v.UNSIGNED and report.details == []

    png = store(upload=io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\0" * 64), filename="scan.png")
    assert verify_stored_file(stored_file=png) is None


def test_latest_reports_gives_each_files_newest_report(signed_letter, test_pki):
    first, second = stored(signed_letter), stored(make_letter())
    old = verify_stored_file(stored_file=first)
    trust(test_pki)
    new = verify_stored_file(stored_file=first)
    unsigned = verify_stored_file(stored_file=second)

    latest = latest_reports([first, second])

    assert latest == {first.pk: new, second.pk: unsigned} and old.verdict == v.PROBLEMS
    assert latest_reports([]) == {}


@pytest.fixture
def superuser(client):
    person = UserFactory(username="quantri", is_staff=True, is_superuser=True)
    client.force_login(person)
    return person


def test_the_admin_refuses_a_pasted_text_that_is_not_a_certificate(client, superuser, test_pki):
    for not_a_certificate in ("hello", test_pki.person.key_pem().decode()):
        response = client.post(
            "/admin/signing/trustedroot/add/",
            {"name": "Root", "domain": "government", "certificate_pem": not_a_certificate, "is_active": "on"},
        )
        assert response.status_code == 200
        assert "errorlist" in response.content.decode()
    assert not TrustedRoot.objects.exists()


def test_the_admin_registers_a_root_and_a_persons_certificate(client, superuser, test_pki):
    response = client.post(
        "/admin/signing/trustedroot/add/",
        {"name": "Root", "domain": "test", "certificate_pem": test_pki.root.cert_pem().decode(), "is_active": "on"},
    )
    assert response.status_code == 302
    root = TrustedRoot.objects.get()
    assert root.fingerprint_sha256 == parse_certificate(test_pki.root.cert_pem().decode()).fingerprint_sha256
    again = client.post(
        "/admin/signing/trustedroot/add/",
        {"name": "Again", "domain": "test", "certificate_pem": test_pki.root.cert_pem().decode()},
    )
    assert again.status_code == 200 and TrustedRoot.objects.count() == 1

    response = client.post(
        "/admin/signing/signingcredential/add/",
        {
            "label": "Token of Nguyễn Văn An",
            "kind": "pkcs11",
            "person": superuser.pk,
            "certificate_pem": test_pki.person.cert.public_bytes(serialization.Encoding.PEM).decode(),
            "token_label": "vanphong",
            "key_label": "an",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    credential = SigningCredential.objects.get()
    assert credential.subject_cn == "Nguyễn Văn An" and credential.valid_to and credential.serial_number


def test_an_upload_named_pdf_is_checked(signed_letter):
    upload = SimpleUploadedFile("a.pdf", signed_letter, "application/pdf")
    assert verify_stored_file(stored_file=store(upload=upload, filename="a.pdf")).verdict == v.PROBLEMS


def test_the_admin_keeps_a_png_signature_image_and_refuses_a_jpeg(client, superuser, test_pki):
    base = {
        "label": "Chữ ký Nguyễn Văn An",
        "kind": "pkcs12",
        "person": superuser.pk,
        "certificate_pem": test_pki.person.cert_pem().decode(),
        "file_path": "/srv/keys/an.p12",
        "is_active": "on",
    }
    jpeg = SimpleUploadedFile("chu-ky.jpg", make_png((20, 40, 200), fmt="JPEG"), "image/jpeg")
    refused = client.post("/admin/signing/signingcredential/add/", {**base, "image_upload": jpeg})
    assert refused.status_code == 200
    assert "Ảnh chữ ký phải là tệp PNG có nền trong suốt." in refused.content.decode()
    assert not SigningCredential.objects.exists()

    png = SimpleUploadedFile("chu-ky.png", make_png((20, 40, 200, 255)), "image/png")
    kept = client.post("/admin/signing/signingcredential/add/", {**base, "image_upload": png})
    assert kept.status_code == 302
    assert image_of(SigningCredential.objects.get()) == make_png((20, 40, 200, 255))
