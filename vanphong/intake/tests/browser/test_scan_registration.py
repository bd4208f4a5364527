"""A clerk registers a paper document from its scan: she uploads the scanned PDF, follows the reading (OCR by a
real Celery worker through Redis) while the page shows its progress, and gets the registration form filled in from
the first page; she checks it and registers. The document is then searchable: its text was recognised."""

import pytest

from vanphong.core.tests.browser.desk import Desk
from vanphong.incoming.models import IncomingDocument
from vanphong.intake.evaluation import generate
from vanphong.intake.models import Digitisation
from vanphong.organizations.tests.factories import AgencyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class ClerkDesk(Desk):
    timeout_ms = 120000  # OCR of a page takes seconds, more on a busy machine


def test_a_scanned_letter_is_read_in_the_background_and_prefills_the_registration(
    browser,
    live_server,
    screenshot,
    celery_worker,
    office,
    tmp_path,
):
    [sample] = generate(tmp_path / "scans", count=1, seed=7)
    truth = sample.truth
    issuer = AgencyFactory(name=truth["issuer"], short_name=truth["number_notation"].rsplit("-", 1)[-1])

    clerk = ClerkDesk(browser, live_server, screenshot, "laptop", office.clerk)
    page = clerk.page
    page.goto(f"{clerk.url}/incoming/new/")
    page.get_by_test_id("read-scan").click()
    page.get_by_label("Bản quét văn bản").set_input_files(str(sample.scan))
    page.get_by_role("button", name="Đọc").click()
    page.get_by_test_id("scan-progress").wait_for()
    clerk.snap("1-reading")
    assert page.get_by_test_id("scan-state").or_(page.get_by_test_id("scan-done")).count() >= 1

    page.wait_for_url("**/incoming/new/?scan=*")  # the polled fragment leads on once the worker is done
    page.get_by_test_id("scan-read").wait_for()
    clerk.snap("2-prefilled")
    number, notation = truth["number_notation"].split("/")
    assert page.get_by_label("Số", exact=True).input_value() == number
    assert page.get_by_label("Ký hiệu").input_value() == notation
    assert page.get_by_label("Ngày văn bản").input_value() == truth["date"]
    assert page.locator("#id_issuer").input_value() == str(issuer.pk)

    page.get_by_role("button", name="Lưu").click()
    page.get_by_test_id("incoming-number").wait_for()
    clerk.snap("3-registered")
    document = IncomingDocument.objects.get()
    assert document.reference == truth["number_notation"] and document.issuer == issuer
    scan = Digitisation.objects.get(stored_file=document.attachments.get().stored_file)
    assert scan.ocr_done and scan.ocr_file is not None
    assert truth["summary"].split()[2] in scan.text  # the recognised text is kept for search
    clerk.close()
