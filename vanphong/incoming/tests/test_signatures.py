"""Every incoming electronic document has its signatures checked on arrival, and the clerk and the officers see
the verdict in Vietnamese beside the PDF viewer."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from vanphong.incoming import services
from vanphong.signing import validation as v
from vanphong.signing.models import TrustedRoot, VerificationReport
from vanphong.signing.reports import parse_certificate
from vanphong.signing.services import sign_pdf
from vanphong.signing.tests.conftest import key_of, make_letter, test_pki  # noqa: F401

from .conftest import document_data


@pytest.fixture
def trusted_root(test_pki):  # noqa: F811
    pem = test_pki.root.cert_pem().decode()
    return TrustedRoot.objects.create(
        name="Test root",
        domain=TrustedRoot.Domain.TEST,
        certificate_pem=pem,
        fingerprint_sha256=parse_certificate(pem).fingerprint_sha256,
    )


@pytest.fixture(scope="module")
def signed_letter(key_of):  # noqa: F811
    return sign_pdf(
        pdf=make_letter(), signer=key_of("person"), role="attachment", field_name="Sig1", lines=["Số: 15/QĐ-STC"]
    )


def modified(pdf: bytes) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    writer.add_stream_to_page(
        0, writer.add_object(generic.StreamObject(stream_data=b"BT /F1 30 Tf 90 600 Td (SUA) Tj ET"))
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def receive(django_capture_on_commit_callbacks):
    """The clerk registers a PDF; the checks run once the registration is committed, as they do in production."""

    def receive_(office, content: bytes, name="quyet-dinh.pdf"):
        upload = SimpleUploadedFile(name, content, "application/pdf")
        with django_capture_on_commit_callbacks(execute=True):
            return services.receive(
                agency=office.agency, by=office.clerk, data=document_data(), files=[upload], register=office.register
            )

    return receive_


def page(client, office, document) -> str:
    client.force_login(office.clerk)
    response = client.get(f"/incoming/{document.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_signed_letter_is_verified_on_arrival_and_shown_valid_naming_the_signer(
    client, office, trusted_root, signed_letter, receive
):
    document = receive(office, signed_letter)

    report = VerificationReport.objects.get(stored_file=document.attachments.get().stored_file)
    assert report.verdict == v.ALL_VALID
    (signature,) = report.details
    assert signature["signer"] == "Nguyễn Văn An" and signature["verdict"] == v.VALID
    html = page(client, office, document)
    assert 'data-verdict="valid"' in html and "text-success" in html
    assert signature["summary"] in html and "Nguyễn Văn An" in html and "«Sig1»" in html
    assert 'data-pdf-src="/incoming/' in html


def test_a_letter_modified_after_signing_is_shown_modified_in_vietnamese(
    client, office, trusted_root, signed_letter, receive
):
    document = receive(office, modified(signed_letter))

    html = page(client, office, document)

    assert "Văn bản đã bị sửa đổi sau chữ ký «Sig1» của Nguyễn Văn An." in html
    assert 'data-verdict="problems"' in html and "text-danger" in html


def test_an_unsigned_pdf_shows_no_digital_signature(client, office, trusted_root, receive):
    document = receive(office, make_letter())

    html = page(client, office, document)

    (report,) = VerificationReport.objects.all()
    assert report.verdict == v.UNSIGNED
    assert report.summary == "Văn bản không có chữ ký số."
    assert 'data-verdict="unsigned"' in html and report.summary in html and "text-body-secondary" in html


def test_with_no_trusted_root_the_verdict_is_untrusted(client, office, signed_letter, receive):
    document = receive(office, signed_letter)

    (report,) = VerificationReport.objects.all()
    assert [s["verdict"] for s in report.details] == [v.UNTRUSTED]
    assert report.details[0]["summary"] in page(client, office, document)


def test_files_that_are_not_pdfs_get_no_report(office, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("scan.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png")
    with django_capture_on_commit_callbacks(execute=True):
        services.receive(agency=office.agency, by=office.clerk, data=document_data(), files=[upload])
    assert not VerificationReport.objects.exists()
