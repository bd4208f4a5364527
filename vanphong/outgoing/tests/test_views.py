"""The pages of outgoing documents as the specialist, the unit head, the director and the clerk use them: each
step is a form, a service call, a Vietnamese message and the audit entry it leaves."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from vanphong.audit.models import AuditEntry
from vanphong.incoming import services as incoming
from vanphong.incoming.tests.conftest import document_data
from vanphong.outgoing import services
from vanphong.outgoing.models import OutgoingDocument
from vanphong.outgoing.states import DocumentState, RecipientState
from vanphong.signing.demo import demo_images
from vanphong.signing.models import TrustedRoot
from vanphong.signing.reports import parse_certificate

from .conftest import PASSPHRASE, draft_data, draft_docx, recipients

pytestmark = pytest.mark.django_db
SUMMARY = "V/v đề nghị báo cáo tình hình sử dụng kinh phí phòng chống dịch năm 2026"


def actions_of(document) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type="outgoing.outgoingdocument", object_id=str(document.pk))
        .order_by("sequence")
        .values_list("action", flat=True)
    )


def form_data(province, **changes):
    office = province.office
    data = {
        "document_type": "CV",
        "summary": SUMMARY,
        "drafting_unit": office.budget_unit.pk,
        "signer": office.head.pk,
        "authority": "",
        "signer_title": "GIÁM ĐỐC",
        "urgency": "0",
        "secrecy": "0",
        "reply_deadline": "",
        "page_count": "1",
        "copies": "3",
        "recipient_agencies": [province.health.pk, province.ministry.pk],
        "other_recipients": "Lưu: VT, NS.",
    }
    data.update(changes)
    return data


def drafted(province):
    office = province.office
    return services.create_draft(
        agency=office.agency,
        by=office.specialist,
        data=draft_data(province),
        main_file=draft_docx(),
        recipients=recipients(province),
    )


def to_sign(province):
    doc = drafted(province)
    services.submit(doc=doc, by=province.office.specialist)
    services.approve(doc=doc, by=province.office.budget_head)
    return doc


def post(client, doc, action, data=None, **kwargs):
    return client.post(f"/outgoing/{doc.pk}/do/{action}/", data or {}, **kwargs)


def test_the_specialist_drafts_from_a_docx_choosing_recipients_from_the_directory(client, province):
    office = province.office
    client.force_login(office.specialist)
    page = client.get("/outgoing/new/").content.decode()
    assert "Sở Y tế tỉnh Nghệ An" in page and "Bộ Tài chính" in page
    assert f'<option value="{office.head.pk}" selected>' in page, "the director signs unless another is chosen"
    response = client.post("/outgoing/new/", {**form_data(province), "main_file": draft_docx()}, follow=True)
    doc = OutgoingDocument.objects.get()
    assert response.redirect_chain[-1][0] == f"/outgoing/{doc.pk}/"
    html = response.content.decode()
    assert "Đã lưu dự thảo." in html
    assert f'data-pdf-src="/outgoing/{doc.pk}/versions/' in html, "the draft's PDF is shown in the page"
    assert {r.name: r.kind for r in doc.recipients.all()} == {
        "Sở Y tế tỉnh Nghệ An": "hosted",
        "Bộ Tài chính": "external",
        "Lưu: VT, NS.": "paper",
    }
    assert actions_of(doc) == ["outgoing.version_uploaded", "outgoing.drafted"]
    assert 'data-testid="submit-form"' in html


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (None, "Hãy tải lên dự thảo (Word hoặc PDF)."),
        (SimpleUploadedFile("chu-ky.png", demo_images()[0], "image/png"), "Word (.docx) hoặc PDF"),
        (SimpleUploadedFile("du-thao.docx", b"PK\x03\x04 not really a zip"), "du-thao.docx"),
    ],
)
def test_a_missing_or_wrong_draft_file_is_refused_in_vietnamese_and_nothing_typed_is_lost(
    client, province, upload, message
):
    client.force_login(province.office.specialist)
    data = form_data(province, signer_title="PHÓ GIÁM ĐỐC", other_recipients="Lưu: VT, NS.\nUBND tỉnh (để b/c)")
    if upload is not None:
        data["main_file"] = upload
    response = client.post("/outgoing/new/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'data-testid="error-main_file"' in html, "the message is beside the file field"
    assert 'value="PHÓ GIÁM ĐỐC"' in html and SUMMARY in html and "UBND tỉnh (để b/c)" in html
    assert f'<option value="{province.health.pk}" selected>' in html
    assert not OutgoingDocument.objects.exists()


def test_a_draft_needs_a_recipient_and_a_unit_of_the_agency(client, province):
    client.force_login(province.office.specialist)
    other_unit = province.health.units.create(name="Phòng Kế hoạch")
    response = client.post(
        "/outgoing/new/",
        {
            **form_data(province, recipient_agencies=[], other_recipients="", drafting_unit=other_unit.pk),
            "main_file": draft_docx(),
        },
    )
    html = response.content.decode()
    assert "Hãy chọn ít nhất một nơi nhận." in html
    assert "Lựa chọn không hợp lệ" in html or "Hãy chọn một lựa chọn hợp lệ" in html
    assert not OutgoingDocument.objects.exists()


def test_the_work_lists_count_what_waits_for_each_person(client, province):
    office = province.office
    doc = drafted(province)
    client.force_login(office.specialist)
    page = client.get("/outgoing/").content.decode()
    assert 'data-testid="count-drafts">1<' in page and SUMMARY in page
    services.submit(doc=doc, by=office.specialist)
    client.force_login(office.budget_head)
    page = client.get("/outgoing/").content.decode()
    assert 'data-testid="tab-to_review"' in page and 'aria-current="page"' in page
    assert 'data-testid="count-to_review">1<' in page and SUMMARY in page
    assert 'data-testid="nav-count-outgoing">1<' in page
    client.force_login(office.clerk)
    assert SUMMARY not in client.get("/outgoing/?tab=to_number").content.decode()
    assert client.get("/outgoing/?tab=nonsense").status_code == 404


def test_the_unit_head_returns_with_a_comment_and_a_missing_comment_is_asked_for(client, province):
    office = province.office
    doc = drafted(province)
    services.submit(doc=doc, by=office.specialist)
    client.force_login(office.budget_head)
    response = post(client, doc, "return", {"return-comment": "  "})
    html = response.content.decode()
    assert "Hãy ghi rõ nội dung cần sửa." in html and 'data-testid="action-failed"' in html
    doc.refresh_from_db()
    assert doc.state == DocumentState.IN_REVIEW and "outgoing.returned" not in actions_of(doc)

    response = post(client, doc, "return", {"return-comment": "Bổ sung số liệu quý III."}, follow=True)
    doc.refresh_from_db()
    assert doc.state == DocumentState.DRAFT
    assert "outgoing.returned" in actions_of(doc)
    html = response.content.decode()
    assert "Bổ sung số liệu quý III." in html.split('data-testid="review-round"')[1]

    client.force_login(office.specialist)
    page = client.get(f"/outgoing/{doc.pk}/").content.decode()
    assert 'data-testid="upload-form"' in page
    response = post(
        client, doc, "upload", {"upload-upload": draft_docx("du-thao-lan-2.docx"), "upload-note": "Đã bổ sung"}
    )
    assert response.status_code == 302
    assert services.latest_version(doc).number == 2
    page = client.get(f"/outgoing/{doc.pk}/").content.decode()
    assert "du-thao-lan-2.docx" in page and "cong-van-du-thao.docx" in page, "older versions stay listed"
    first = doc.versions.get(number=1)
    assert client.get(f"/outgoing/{doc.pk}/versions/{first.pk}/source/").status_code == 200
    assert actions_of(doc).count("outgoing.version_uploaded") == 2


def test_a_png_as_a_new_version_is_refused_beside_the_field(client, province):
    doc = drafted(province)
    client.force_login(province.office.specialist)
    response = post(client, doc, "upload", {"upload-upload": SimpleUploadedFile("anh.png", demo_images()[0])})
    assert "Word (.docx) hoặc PDF" in response.content.decode()
    assert doc.versions.count() == 1


def test_submitting_with_consulted_units_needs_their_deadline(client, province):
    office = province.office
    doc = drafted(province)
    client.force_login(office.specialist)
    response = post(client, doc, "submit", {"submit-consult_units": [office.office_unit.pk]})
    assert "Hãy nêu hạn cho ý kiến của các đơn vị được lấy ý kiến." in response.content.decode()
    doc.refresh_from_db()
    assert doc.state == DocumentState.DRAFT
    response = post(client, doc, "submit", follow=True)
    doc.refresh_from_db()
    assert doc.state == DocumentState.IN_REVIEW
    assert "outgoing.submitted" in actions_of(doc)


def test_a_wrong_signing_password_is_refused_and_never_shown_again(client, province):
    doc = to_sign(province)
    client.force_login(province.office.head)
    response = post(client, doc, "sign", {"sign-secret": "sai-mat-khau-123"})
    html = response.content.decode()
    assert "Không mở được tệp khóa: hãy kiểm tra tệp và mật khẩu." in html
    assert "sai-mat-khau-123" not in html
    doc.refresh_from_db()
    assert doc.state == DocumentState.TO_SIGN and "outgoing.signed" not in actions_of(doc)
    assert "sai-mat-khau-123" not in str(list(AuditEntry.objects.values_list("after", flat=True)))


def test_signed_numbered_and_issued_through_the_pages_with_the_signatures_verified(client, province, test_pki):
    pem = test_pki.root.cert_pem().decode()
    TrustedRoot.objects.create(
        name="Test root",
        domain=TrustedRoot.Domain.TEST,
        certificate_pem=pem,
        fingerprint_sha256=parse_certificate(pem).fingerprint_sha256,
    )
    office = province.office
    doc = to_sign(province)
    client.force_login(office.head)
    page = client.get(f"/outgoing/{doc.pk}/").content.decode()
    assert 'data-testid="sign-form"' in page and 'type="password"' in page
    response = post(client, doc, "sign", {"sign-secret": PASSPHRASE}, follow=True)
    assert "Đã ký số." in response.content.decode()
    doc.refresh_from_db()
    assert doc.state == DocumentState.TO_NUMBER

    client.force_login(office.clerk)
    response = post(client, doc, "number", {"number-secret": PASSPHRASE}, follow=True)
    html = response.content.decode()
    assert "Đã cấp số 01/STC-VP và đóng dấu." in html
    assert 'data-verdict="valid"' in html and "Tất cả chữ ký đều hợp lệ" in html
    response = post(client, doc, "issue", follow=True)
    html = response.content.decode()
    assert "Đã phát hành." in html
    doc.refresh_from_db()
    assert doc.state == DocumentState.ISSUED
    lines = {r.name: r.state for r in doc.recipients.all()}
    assert lines["Sở Y tế tỉnh Nghệ An"] == RecipientState.ARRIVED
    assert lines["Bộ Tài chính"] == RecipientState.QUEUED
    tracking = html.split('data-testid="recipients"')[1]
    assert "Đã đến" in tracking and "Chờ gửi" in tracking
    assert actions_of(doc)[-4:] == ["outgoing.signed", "outgoing.numbered", "exchange.status_01", "outgoing.issued"]
    timeline = html.split('data-testid="timeline"')[1]
    for label in ("Tạo dự thảo văn bản đi", "Ký số văn bản", "Phát hành văn bản", "Trần Văn Hùng"):
        assert label in timeline
    assert client.get(f"/outgoing/{doc.pk}/issued/")["Content-Disposition"].startswith("attachment;")

    # once issued, everyone of the agency reads it; the director recalls it with a reason
    client.force_login(office.office_specialist)
    assert client.get(f"/outgoing/{doc.pk}/").status_code == 200
    client.force_login(office.head)
    response = post(client, doc, "recall", {"recall-reason": ""})
    assert "Hãy nêu lý do." in response.content.decode()
    post(client, doc, "recall", {"recall-reason": "Sai số liệu"})
    doc.refresh_from_db()
    assert doc.state == DocumentState.RECALLED and actions_of(doc)[-1] == "outgoing.recalled"


def test_a_paper_only_document_is_confirmed_by_the_signer_and_numbered_without_a_key(client, province):
    office = province.office
    doc = services.create_draft(
        agency=office.agency,
        by=office.specialist,
        data=draft_data(province, paper_only=True),
        main_file=draft_docx(),
        recipients=recipients(province),
    )
    services.submit(doc=doc, by=office.specialist)
    services.approve(doc=doc, by=office.budget_head)
    client.force_login(office.head)
    page = client.get(f"/outgoing/{doc.pk}/").content.decode()
    assert 'data-testid="approve-paper-form"' in page and 'data-testid="sign-form"' not in page
    post(client, doc, "approve_paper", {"approve_paper-comment": "Đã ký bản giấy"})
    client.force_login(office.clerk)
    page = client.get(f"/outgoing/{doc.pk}/").content.decode()
    assert 'data-testid="number-form"' in page and 'type="password"' not in page
    post(client, doc, "number")
    doc.refresh_from_db()
    assert doc.state == DocumentState.TO_ISSUE
    assert actions_of(doc)[-2:] == ["outgoing.signed_on_paper", "outgoing.numbered"]


def test_a_reply_is_drafted_from_an_incoming_document_the_person_can_see(client, province):
    office = province.office
    asked = incoming.receive(
        agency=office.agency,
        by=office.clerk,
        data=document_data(issuer=province.health, issuer_name=province.health.name),
        register=office.register,
    )
    client.force_login(office.clerk)
    page = client.get(f"/outgoing/new/?reply_to={asked.pk}").content.decode()
    assert 'data-testid="reply-to"' in page
    assert f'<option value="{province.health.pk}" selected>' in page
    response = client.post(
        f"/outgoing/new/?reply_to={asked.pk}",
        {**form_data(province, recipient_agencies=[province.health.pk]), "main_file": draft_docx()},
    )
    assert response.status_code == 302
    assert OutgoingDocument.objects.get().in_reply_to == asked


def test_an_incoming_document_offers_to_draft_its_reply_and_lists_it(client, province):
    office = province.office
    request = incoming.receive(agency=office.agency, by=office.clerk, data=document_data(), register=office.register)
    client.force_login(office.clerk)
    page = client.get(f"/incoming/{request.pk}/").content.decode()
    assert f'href="/outgoing/new/?reply_to={request.pk}"' in page
    reply = services.create_draft(
        agency=office.agency,
        by=office.clerk,
        data=draft_data(province, in_reply_to=request),
        main_file=draft_docx(),
        recipients=recipients(province),
    )
    page = client.get(f"/incoming/{request.pk}/").content.decode()
    assert f'href="/outgoing/{reply.pk}/"' in page and "Dự thảo" in page


def test_the_signer_sees_which_recipients_are_late_with_their_report(client, province):
    from .test_tracking import _issue

    doc = _issue(province, data={"reply_deadline": timezone.localdate() - datetime.timedelta(days=2)})
    client.force_login(province.office.head)
    page = client.get(f"/outgoing/{doc.pk}/").content.decode()
    assert page.count('data-testid="report-late"') == 2  # Sở Y tế and Bộ Tài chính; not the file copy (Lưu)
    assert "Quá hạn báo cáo" in page
