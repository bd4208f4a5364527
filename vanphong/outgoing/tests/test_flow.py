"""The life of an outgoing document through its services: drafted from a DOCX, returned with a comment, a second
version, approved, signed by the director, numbered and sealed by the clerk, issued to an agency on the platform
and one elsewhere; the recipient's clerk registers it and the sender's tracking follows."""

import datetime
import io
import shutil
import subprocess
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from vanphong.core.document_types import DocumentType, Secrecy
from vanphong.core.files import FileRefused, open_stored
from vanphong.incoming import services as incoming
from vanphong.incoming.states import HandlingState
from vanphong.outgoing import services
from vanphong.outgoing.errors import NotVisible, OutgoingError
from vanphong.outgoing.models import Recipient, ReviewStep
from vanphong.outgoing.states import DocumentState, RecipientState
from vanphong.signing.demo import demo_images
from vanphong.signing.tests.conftest import make_letter
from vanphong.signing.validation import verify_pdf

from .conftest import DRAFT_DOCX, PASSPHRASE, draft_data, draft_docx, recipients

pytestmark = pytest.mark.django_db


def _pdf_text(pdf: bytes) -> str:
    return subprocess.run(
        [shutil.which("pdftotext"), "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def _read(stored) -> bytes:
    with open_stored(stored) as blob:
        return blob.read()


def signed_by_the_director(province):
    office = province.office
    doc = services.create_draft(
        agency=office.agency,
        by=office.specialist,
        data=draft_data(province),
        main_file=draft_docx(),
        recipients=recipients(province),
    )
    services.submit(doc=doc, by=office.specialist)
    services.approve(doc=doc, by=office.budget_head, comment="Đồng ý trình Giám đốc.")
    return services.sign(doc=doc, by=office.head, secret=PASSPHRASE)


def issued_document(province):
    doc = signed_by_the_director(province)
    services.number(doc=doc, by=province.office.clerk, secret=PASSPHRASE)
    return services.issue(doc=doc, by=province.office.clerk)


def test_a_draft_goes_back_and_forth_then_is_signed_numbered_and_issued(province, test_pki):
    office = province.office
    doc = services.create_draft(
        agency=office.agency,
        by=office.specialist,
        data=draft_data(province),
        main_file=draft_docx(),
        recipients=recipients(province),
    )
    first = services.latest_version(doc)
    assert first.number == 1 and set(first.places) == {"signature", "number", "date"}
    assert "[[" not in _pdf_text(_read(first.pdf_file))

    services.submit(doc=doc, by=office.specialist)
    assert doc.state == DocumentState.IN_REVIEW
    with pytest.raises(NotVisible):
        services.approve(doc=doc, by=office.head)  # the director's turn comes after the unit head's
    services.return_draft(doc=doc, by=office.budget_head, comment="Bổ sung số liệu quý III.")
    assert doc.state == DocumentState.DRAFT

    second = services.upload_version(doc=doc, by=office.specialist, upload=draft_docx("du-thao-lan-2.docx"))
    assert second.number == 2 and services.latest_version(doc) == second
    services.submit(doc=doc, by=office.specialist)
    services.approve(doc=doc, by=office.budget_head)
    assert doc.state == DocumentState.TO_SIGN

    services.sign(doc=doc, by=office.head, secret=PASSPHRASE)
    assert doc.state == DocumentState.TO_NUMBER
    services.number(doc=doc, by=office.clerk, secret=PASSPHRASE)
    assert doc.reference == "01/STC-VP"  # the notation the draft prints after its number, not a computed one
    services.issue(doc=doc, by=office.clerk)
    assert doc.state == DocumentState.ISSUED

    pdf = _read(doc.issued_file)
    report = verify_pdf(pdf=pdf, trust_roots=[test_pki.root.cert])
    assert report.ok, report.summary
    assert [s.signer_name for s in report.signatures] == ["Nguyễn Văn An", "Sở Tài chính tỉnh Nghệ An"]
    text = _pdf_text(pdf)
    assert "01" in text.split("Số:")[1].split("/")[0]
    today = doc.issued_on
    assert services.date_line(today) in text

    lines = {r.name: r for r in doc.recipients.all()}
    assert lines["Sở Y tế tỉnh Nghệ An"].state == RecipientState.ARRIVED
    assert lines["Bộ Tài chính"].state == RecipientState.QUEUED  # chờ gửi: the interconnection delivers it
    assert lines["Lưu: VT, NS."].state == RecipientState.ON_PAPER

    arrived = lines["Sở Y tế tỉnh Nghệ An"].incoming_document
    assert arrived.state == HandlingState.RECEIVED and arrived.reference == "01/STC-VP"
    register = province.health.incoming_registers.get()
    incoming.register_received(document=arrived, register=register, by=province.health_clerk)
    assert Recipient.objects.get(pk=lines["Sở Y tế tỉnh Nghệ An"].pk).state == RecipientState.RECEIVED


def test_numbers_follow_each_other_in_the_register(province):
    first = issued_document(province)
    second = issued_document(province)
    assert (first.number, second.number) == (1, 2)
    assert second.reference == "02/STC-VP"


def _docx_with_broken_text():
    out = io.BytesIO()
    with zipfile.ZipFile(DRAFT_DOCX) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, b"<w:document><broken" if item.filename == "word/document.xml" else data)
    return SimpleUploadedFile("du-thao-hong.docx", out.getvalue())


@pytest.mark.parametrize(
    ("upload", "refusal", "message"),
    [
        (SimpleUploadedFile("du-thao.docx", b"PK\x03\x04 not really a zip"), FileRefused, "không phải là Word"),
        (SimpleUploadedFile("chu-ky.png", demo_images()[0]), OutgoingError, "Word (.docx) hoặc PDF"),
        ("broken-text", OutgoingError, "Không chuyển được “du-thao-hong.docx” sang PDF"),
    ],
)
def test_a_bad_draft_file_is_refused_in_vietnamese_and_nothing_is_kept(province, upload, refusal, message):
    office = province.office
    upload = _docx_with_broken_text() if upload == "broken-text" else upload
    with pytest.raises(refusal) as refused:
        services.create_draft(agency=office.agency, by=office.specialist, data=draft_data(province), main_file=upload)
    assert message in str(refused.value)
    assert not office.agency.outgoing_documents.exists()


def test_consulted_units_give_their_opinions_in_parallel_before_the_signer(province):
    office = province.office
    doc = services.create_draft(
        agency=office.agency,
        by=office.specialist,
        data=draft_data(province),
        main_file=draft_docx(),
        recipients=recipients(province),
    )
    deadline = timezone.localdate() + datetime.timedelta(days=3)
    services.submit(doc=doc, by=office.specialist, consult_units=[office.office_unit], consult_deadline=deadline)
    services.approve(doc=doc, by=office.budget_head)
    consulted = doc.steps.get(kind=ReviewStep.Kind.CONSULT)
    assert (consulted.state, consulted.unit, consulted.deadline) == ("pending", office.office_unit, deadline)
    assert doc.state == DocumentState.IN_REVIEW
    services.approve(doc=doc, by=office.office_head, comment="Văn phòng thống nhất nội dung.")
    doc.refresh_from_db()
    assert doc.state == DocumentState.TO_SIGN
    services.return_draft(doc=doc, by=office.head, comment="Bổ sung ý kiến của Văn phòng vào mục III.")
    with pytest.raises(OutgoingError, match="Hãy nêu hạn cho ý kiến"):
        services.submit(doc=doc, by=office.specialist, consult_units=[office.office_unit])
    assert doc.state == DocumentState.DRAFT


def test_a_secret_document_follows_the_paper_path_and_never_travels_electronically(province):
    office = province.office
    secret = draft_data(province, secrecy=Secrecy.CONFIDENTIAL)
    with pytest.raises(OutgoingError, match="Văn bản có độ mật được soạn thảo trên giấy"):
        services.create_draft(agency=office.agency, by=office.specialist, data=secret, main_file=draft_docx())
    doc = services.create_draft(
        agency=office.agency, by=office.specialist, data=secret, recipients=recipients(province)
    )
    assert doc.paper_only and {r.kind for r in doc.recipients.all()} == {Recipient.Kind.PAPER}
    services.submit(doc=doc, by=office.specialist)
    services.approve(doc=doc, by=office.budget_head)
    with pytest.raises(OutgoingError, match="ký trên giấy"):
        services.sign(doc=doc, by=office.head, secret=PASSPHRASE)
    services.approve_paper(doc=doc, by=office.head)
    services.number(doc=doc, by=office.clerk)
    services.issue(doc=doc, by=office.clerk)
    assert (doc.register, doc.number, doc.issued_file) == (province.secret_register, 1, None)
    assert {r.state for r in doc.recipients.all()} == {RecipientState.ON_PAPER}
    assert not province.health.incoming_documents.exists()


def test_a_pdf_draft_keeps_the_notation_it_prints_after_its_number_place(province):
    office = province.office
    letter = SimpleUploadedFile("du-thao.pdf", make_letter(number_and_date=True), "application/pdf")
    doc = services.create_draft(
        agency=office.agency,
        by=office.specialist,
        data=draft_data(province, document_type=DocumentType.QUYET_DINH),
        main_file=letter,
        recipients=recipients(province),
    )
    version = services.latest_version(doc)
    assert set(version.places) == {"signature", "number", "date"}
    assert version.printed_notation == "QD-STC"
