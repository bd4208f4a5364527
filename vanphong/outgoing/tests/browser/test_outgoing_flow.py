"""The whole outgoing flow in the browser, person by person, on a laptop and on a phone: the specialist drafts from
a Word file for Sở Y tế (on this platform) and Bộ Tài chính (elsewhere); the unit head returns it with a comment;
the specialist uploads version 2; the unit head approves; the director signs with his certificate's password; the
clerk numbers, seals and issues it; the clerk of Sở Y tế finds it waiting, sees its signatures valid and registers
it; back at the sender, the tracking shows it received by Sở Y tế and waiting to be sent to the ministry."""

import pytest

from vanphong.core.tests.browser.desk import Desk as BaseDesk
from vanphong.incoming.models import IncomingDocument
from vanphong.outgoing.models import OutgoingDocument
from vanphong.signing.models import TrustedRoot
from vanphong.signing.reports import parse_certificate

from ..conftest import DRAFT_DOCX, PASSPHRASE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUMMARY = "V/v đề nghị báo cáo tình hình sử dụng kinh phí phòng chống dịch năm 2026"


class Desk(BaseDesk):
    """One person at their own browser."""

    timeout_ms = 30000  # conversions and signing take seconds

    def open_list(self, tab=None):
        self.page.goto(f"{self.url}/outgoing/" + (f"?tab={tab}" if tab else ""))

    def open_document(self):
        self.page.get_by_test_id("work-list").get_by_role("link", name=SUMMARY).click()
        self.page.get_by_test_id("document-summary").wait_for()

    def done(self, message):
        self.page.get_by_role("alert").filter(has_text=message).wait_for()


def trust_the_test_root(test_pki):
    pem = test_pki.root.cert_pem().decode()
    TrustedRoot.objects.create(
        name="Test root",
        domain=TrustedRoot.Domain.TEST,
        certificate_pem=pem,
        fingerprint_sha256=parse_certificate(pem).fingerprint_sha256,
    )


@pytest.mark.parametrize("screen", ["laptop", "phone"])
def test_specialist_drafts_unit_head_returns_then_approves_director_signs_clerk_issues_health_clerk_registers(
    browser, live_server, screenshot, province, test_pki, screen
):
    office = province.office
    trust_the_test_root(test_pki)

    # The specialist drafts from the Word file, for Sở Y tế and Bộ Tài chính, and submits it.
    specialist = Desk(browser, live_server, screenshot, screen, office.specialist)
    specialist.open_list()
    specialist.page.get_by_test_id("draft-new").click()
    form = specialist.page.get_by_test_id("draft-form")
    form.get_by_label("Trích yếu").fill(SUMMARY)
    assert form.locator("select[name=signer]").input_value() == str(office.head.pk), "the director signs by default"
    form.get_by_label("Chức vụ người ký").fill("GIÁM ĐỐC")
    form.get_by_label("Số trang").fill("1")
    form.get_by_label("Dự thảo (Word .docx hoặc PDF)").set_input_files(str(DRAFT_DOCX))
    form.get_by_label("Cơ quan nhận").select_option(
        label=["Sở Y tế tỉnh Nghệ An (trên hệ thống)", "Bộ Tài chính (liên thông)"]
    )
    form.get_by_label("Nơi nhận khác").fill("Lưu: VT, NS.")
    specialist.snap("1-draft-form")
    form.get_by_role("button", name="Lưu dự thảo").click()
    specialist.done("Đã lưu dự thảo.")
    specialist.page.locator(".pdf-viewer canvas").first.wait_for()
    specialist.snap("2-draft-with-pdf")
    specialist.page.get_by_test_id("submit-form").get_by_role("button", name="Trình duyệt").click()
    specialist.done("Đã trình duyệt.")
    assert specialist.page.get_by_test_id("document-state").inner_text() == "Đang trình duyệt"
    specialist.close()

    # The head of Phòng Quản lý ngân sách returns it with a comment.
    unit_head = Desk(browser, live_server, screenshot, screen, office.budget_head)
    unit_head.open_list()
    assert unit_head.count("to_review") == 1
    unit_head.open_document()
    unit_head.page.get_by_text("Trả lại người soạn thảo").click()
    returned = unit_head.page.get_by_test_id("return-form")
    returned.get_by_label("Nội dung cần sửa").fill("Bổ sung số liệu quý III.")
    unit_head.snap("3-return-with-comment")
    returned.get_by_role("button", name="Trả lại").click()
    unit_head.done("Đã trả lại người soạn thảo")
    unit_head.close()

    # The specialist reads the comment, uploads version 2 and submits it again.
    specialist = Desk(browser, live_server, screenshot, screen, office.specialist)
    specialist.open_list("drafts")
    specialist.open_document()
    assert "Bổ sung số liệu quý III." in specialist.page.get_by_test_id("review-round").first.inner_text()
    upload = specialist.page.get_by_test_id("upload-form")
    upload.get_by_label("Phiên bản mới").set_input_files(str(DRAFT_DOCX))
    upload.get_by_label("Nội dung sửa đổi").fill("Đã bổ sung số liệu quý III.")
    upload.get_by_role("button", name="Tải lên").click()
    specialist.done("Đã tải lên phiên bản mới.")
    assert specialist.page.get_by_test_id("version").count() == 2
    specialist.page.get_by_test_id("submit-form").get_by_role("button", name="Trình duyệt").click()
    specialist.done("Đã trình duyệt.")
    specialist.close()

    # The unit head approves.
    unit_head = Desk(browser, live_server, screenshot, screen, office.budget_head)
    unit_head.open_list("to_review")
    unit_head.open_document()
    unit_head.page.get_by_test_id("approve-form").get_by_label("Ý kiến").fill("Đồng ý trình Giám đốc.")
    unit_head.page.get_by_test_id("approve-form").get_by_role("button", name="Đồng ý").click()
    unit_head.done("Đã đồng ý.")
    unit_head.close()

    # The director signs version 2 with his certificate's password.
    head = Desk(browser, live_server, screenshot, screen, office.head)
    head.open_list()
    assert head.count("to_sign") == 1
    head.open_document()
    sign = head.page.get_by_test_id("sign-form")
    assert "phiên bản 2" in sign.inner_text()
    sign.get_by_label("Mật khẩu / mã PIN chứng thư số").fill(PASSPHRASE)
    head.snap("4-sign")
    sign.get_by_role("button", name="Ký số").click()
    head.done("Đã ký số.")
    assert head.page.get_by_test_id("document-state").inner_text() == "Chờ cấp số"
    head.close()

    # The clerk numbers and seals it, sees both signatures valid, and issues it.
    clerk = Desk(browser, live_server, screenshot, screen, office.clerk)
    clerk.open_list()
    assert clerk.count("to_number") == 1
    clerk.open_document()
    number = clerk.page.get_by_test_id("number-form")
    number.get_by_label("Mật khẩu / mã PIN chứng thư số").fill(PASSPHRASE)
    number.get_by_role("button", name="Cấp số và đóng dấu").click()
    clerk.done("Đã cấp số 01/STC-VP và đóng dấu.")
    report = clerk.page.get_by_test_id("signature-report")
    assert report.get_attribute("data-verdict") == "valid"
    assert "hợp lệ" in report.inner_text()
    clerk.page.locator(".pdf-viewer canvas").first.wait_for()
    clerk.snap("5-numbered-and-sealed")
    clerk.page.get_by_test_id("issue-form").get_by_role("button", name="Phát hành").click()
    clerk.done("Đã phát hành.")
    assert clerk.page.get_by_test_id("document-state").inner_text() == "Đã phát hành"
    clerk.close()

    # The clerk of Sở Y tế finds it waiting, sees its signatures verified on arrival, and registers it.
    health = Desk(browser, live_server, screenshot, screen, province.health_clerk)
    health.page.goto(f"{health.url}/incoming/")
    assert health.page.get_by_test_id("tab-to_register").inner_text().startswith("Chờ vào sổ")
    assert int(health.page.get_by_test_id("count-to_register").inner_text()) == 1
    health.page.get_by_test_id("work-list").get_by_text(SUMMARY).click()
    health.page.get_by_test_id("document-summary").wait_for()
    arrived = health.page.get_by_test_id("signature-report")
    assert arrived.get_attribute("data-verdict") == "valid"
    assert "hợp lệ" in arrived.inner_text()
    assert "Sở Tài chính tỉnh Nghệ An" in arrived.inner_text()
    health.page.locator(".pdf-viewer canvas").first.wait_for()
    health.snap("6-arrived-signatures-valid")
    health.page.get_by_role("button", name="Vào sổ").click()
    health.done("Đã vào sổ.")
    health.close()

    # Back at the sender: received by Sở Y tế, waiting to be sent to the ministry.
    specialist = Desk(browser, live_server, screenshot, screen, office.specialist)
    specialist.open_list("issued")
    specialist.open_document()
    tracking = specialist.page.get_by_test_id("recipients")
    health_line = tracking.get_by_test_id("recipient").filter(has_text="Sở Y tế tỉnh Nghệ An")
    ministry_line = tracking.get_by_test_id("recipient").filter(has_text="Bộ Tài chính")
    assert health_line.get_by_test_id("recipient-state").inner_text() == "Đã tiếp nhận"
    assert ministry_line.get_by_test_id("recipient-state").inner_text() == "Chờ gửi"
    timeline = specialist.page.get_by_test_id("timeline").inner_text()
    for step in ("Tạo dự thảo văn bản đi", "Trả lại dự thảo kèm ý kiến", "Ký số văn bản", "Phát hành văn bản"):
        assert step in timeline
    specialist.page.locator(".pdf-viewer canvas").first.wait_for()
    specialist.snap("7-tracking")
    specialist.close()

    doc = OutgoingDocument.objects.get()
    assert doc.reference == "01/STC-VP" and doc.versions.count() == 2
    assert IncomingDocument.objects.get(agency=province.health).incoming_number == 1
