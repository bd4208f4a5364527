"""The whole incoming flow in the browser, person by person, on a laptop and on a phone: the clerk registers a
document with a PDF, the head assigns a lead unit, a co-ordinating unit and a deadline, the unit head passes it to
a specialist, the co-ordinating unit reports, the specialist completes."""

import datetime
import re

import pytest
from django.utils import timezone

from vanphong.core.tests.browser.desk import Desk as BaseDesk
from vanphong.incoming.models import IncomingDocument
from vanphong.incoming.tests.conftest import SAMPLES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUMMARY = "V/v báo cáo quyết toán ngân sách năm 2026"


class Desk(BaseDesk):
    """One person at their own browser."""

    def open_incoming(self):
        self.page.goto(f"{self.url}/incoming/")

    def open_document(self):
        self.page.get_by_test_id("work-list").get_by_text(SUMMARY).click()
        self.page.get_by_test_id("document-summary").wait_for()

    def timeline(self):
        return self.page.get_by_test_id("timeline").inner_text()


@pytest.mark.parametrize("screen", ["laptop", "phone"])
def test_clerk_registers_head_assigns_unit_passes_on_coordinator_reports_specialist_completes(
    browser, live_server, screenshot, office, screen
):
    deadline = timezone.localdate() + datetime.timedelta(days=14)

    # The clerk registers the document with its PDF and presents it to the director.
    clerk = Desk(browser, live_server, screenshot, screen, office.clerk)
    clerk.open_incoming()
    clerk.page.get_by_test_id("register-new").click()
    form = clerk.page.get_by_test_id("registration-form")
    form.get_by_label("hoặc tên nơi gửi").fill("Sở Tài chính tỉnh Tây Ninh")
    form.get_by_label("Số", exact=True).fill("2491")
    form.get_by_label("Ký hiệu").fill("STC-BCTC")
    form.get_by_label("Ngày văn bản").fill(timezone.localdate().isoformat())
    form.get_by_label("Trích yếu").fill(SUMMARY)
    form.get_by_label("Người ký").fill("Giám đốc Nguyễn Văn A")
    form.get_by_label("Tệp đính kèm").set_input_files(str(SAMPLES / "cong-van-2491-STC.pdf"))
    clerk.snap("1-registration-form")
    form.get_by_role("button", name="Lưu").click()
    clerk.page.get_by_text("Đã vào sổ với số đến 1.").wait_for()
    assert clerk.page.get_by_test_id("incoming-number").inner_text().startswith("1")
    clerk.page.locator(".pdf-viewer canvas").first.wait_for()
    clerk.snap("2-registered-with-pdf")
    clerk.page.get_by_test_id("present-form").get_by_label("Trình").select_option(label=str(office.head))
    clerk.page.get_by_role("button", name="Trình", exact=True).click()
    clerk.page.get_by_text("Đã trình.").wait_for()
    clerk.close()

    # The director gives instructions: Phòng NS leads, Văn phòng co-ordinates, a deadline in two weeks.
    head = Desk(browser, live_server, screenshot, screen, office.head)
    assert head.page.get_by_test_id("nav-count-incoming").inner_text() == "1"
    head.open_incoming()
    assert head.count("to_handle") == 1
    head.open_document()
    assign = head.page.get_by_test_id("assign-form")
    assign.get_by_label("Ý kiến chỉ đạo").fill("Giao Phòng Quản lý ngân sách chủ trì, Văn phòng phối hợp.")
    assign.get_by_label("Chủ trì").select_option(label="Phòng Quản lý ngân sách")
    assign.get_by_label("Phối hợp").select_option(label="Văn phòng Sở")
    assign.get_by_label("Hạn xử lý").fill(deadline.isoformat())
    head.snap("3-assignment")
    assign.get_by_role("button", name="Phân công").click()
    head.page.get_by_text("Đã phân công.").wait_for()
    head.open_incoming()
    assert head.count("to_handle") == 0
    head.close()

    # The head of Phòng NS passes it to a specialist.
    unit_head = Desk(browser, live_server, screenshot, screen, office.budget_head)
    unit_head.open_incoming()
    assert unit_head.count("to_handle") == 1
    unit_head.open_document()
    unit_head.page.get_by_test_id("forward-form").get_by_label("Chuyển cho").select_option(label=str(office.specialist))
    unit_head.page.get_by_test_id("forward-form").get_by_role("button", name="Chuyển xử lý").click()
    unit_head.page.get_by_text("Đã chuyển xử lý.").wait_for()
    unit_head.snap("4-passed-on")
    unit_head.open_incoming()
    assert unit_head.count("in_progress") == 1
    unit_head.page.get_by_test_id("filters").locator("summary").click()  # the filters load when opened
    unit_head.page.get_by_label("Loại văn bản").select_option(label="Công văn")
    unit_head.page.get_by_role("button", name="Áp dụng").click()
    unit_head.page.get_by_test_id("tab-in_progress").click()
    assert SUMMARY in unit_head.page.get_by_test_id("work-list").inner_text()
    unit_head.close()

    # The co-ordinating unit reports its part.
    coordinator = Desk(browser, live_server, screenshot, screen, office.office_head)
    coordinator.open_incoming()
    assert coordinator.count("to_handle") == 1
    coordinator.open_document()
    report = coordinator.page.get_by_test_id("complete-form")
    report.get_by_label("Kết quả").fill("Văn phòng đã cung cấp số liệu chi thường xuyên.")
    report.get_by_role("button", name="Gửi báo cáo").click()
    coordinator.page.get_by_text("Đã hoàn thành.").wait_for()
    coordinator.close()

    # The specialist completes the work.
    specialist = Desk(browser, live_server, screenshot, screen, office.specialist)
    specialist.open_incoming()
    assert specialist.count("to_handle") == 1
    specialist.open_document()
    assert "Báo cáo phối hợp" in specialist.timeline()
    done = specialist.page.get_by_test_id("complete-form")
    done.get_by_label("Kết quả").fill("Đã dự thảo văn bản trả lời Sở Tài chính Tây Ninh.")
    done.get_by_role("button", name="Hoàn thành").click()
    specialist.page.get_by_text("Đã hoàn thành.").wait_for()
    assert specialist.page.get_by_test_id("document-state").inner_text() == "Hoàn thành"
    specialist.snap("5-completed")
    timeline = specialist.timeline()
    for step in (
        "Tiếp nhận",
        "Đã vào sổ",
        "Trình lãnh đạo",
        "Phân công",
        "Chuyển xử lý",
        "Báo cáo phối hợp",
        "Hoàn thành",
    ):
        assert step in timeline
    specialist.open_incoming()
    assert specialist.count("to_handle") == 0
    specialist.page.get_by_test_id("tab-done").click()
    assert SUMMARY in specialist.page.get_by_test_id("work-list").inner_text()
    specialist.close()

    # Back at the director's desk: done on time, in the handled list.
    head = Desk(browser, live_server, screenshot, screen, office.head)
    head.open_incoming()
    head.page.get_by_test_id("tab-done").click()
    row = head.page.get_by_test_id("work-list").get_by_test_id("row").first
    assert SUMMARY in row.inner_text()
    assert re.search(r"Hoàn thành đúng hạn", row.inner_text())
    head.snap("6-done-list")
    head.close()
    assert IncomingDocument.objects.get().state == "done"
