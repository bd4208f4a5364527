"""Hand-over to the archive: its list and record as Excel and PDF, only files kept 5 years or more are handed over,
and a unit may keep a file past its due date for at most two more years."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from vanphong.audit.models import AuditEntry
from vanphong.files import services
from vanphong.files.errors import FilesError, NotVisible
from vanphong.files.states import FileState
from vanphong.incoming.tests.test_exports import text_of
from vanphong.notifications.models import Notification

from .helpers import closed_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def handover(office):
    first = closed_file(office, notation="01.VP", permanent=True)
    second = closed_file(office, notation="02.VP", retention_years=10)
    return services.submit(files=[first, second], by=office.deputy)


def test_the_handover_list_and_record_are_printed_as_pdf_and_excel_by_the_people_of_the_handover(
    client, office, handover
):
    base = f"/records/handover/{handover.pk}/"
    for person in (office.outsider, office.specialist):
        client.force_login(person)
        assert client.get(base + "record.pdf").status_code == 404
        assert client.get(base + "list.xlsx").status_code == 404

    client.force_login(office.deputy)  # who handed the files over
    listing = client.get(base + "list.pdf")
    assert listing.status_code == 200
    assert listing["Content-Type"] == "application/pdf"
    assert f"muc-luc-ho-so-nop-luu-{handover.pk}.pdf" in listing["Content-Disposition"]
    text = text_of(listing.content)
    assert "SỞ TÀI CHÍNH TỈNH NGHỆ AN" in text
    assert "MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU" in text
    assert "Hồ sơ 01.VP" in text and "Vĩnh viễn" in text and "Hồ sơ 02.VP" in text and "10 năm" in text
    assert "Trang 1/1" in text

    client.force_login(office.clerk)  # the archive keeper
    page = client.get("/records/handovers/").content.decode()
    assert f'href="{base}record.pdf"' in page and f'href="{base}list.xlsx"' in page
    record = text_of(client.get(base + "record.pdf").content)
    assert "BIÊN BẢN GIAO NHẬN TÀI LIỆU" in record
    assert "Tổng số hồ sơ 2" in record
    assert "Bên giao Lê Thị Mai" in record
    assert "BÊN GIAO" in record and "BÊN NHẬN" in record
    sheet = load_workbook(io.BytesIO(client.get(base + "record.xlsx").content)).active
    assert ("Tổng số hồ sơ", 2) in list(sheet.iter_rows(values_only=True))
    assert client.get(base + "record.docx").status_code == 404

    client.force_login(office.head)
    assert client.get(base + "list.xlsx").status_code == 200
    # the maker's file page links the documents of its hand-over
    client.force_login(office.deputy)
    detail = client.get(f"/records/{handover.files.first().pk}/").content.decode()
    assert f'href="{base}list.pdf"' in detail


def test_a_file_kept_less_than_five_years_stays_with_its_unit(client, office):
    short = closed_file(office, notation="03.VP", retention_years=3)
    with pytest.raises(FilesError) as refusal:
        services.submit(files=[short], by=office.deputy)
    assert str(refusal.value) == (
        "Hồ sơ 000.00.11.H41.2025.03.VP có thời hạn bảo quản 3 năm: chỉ hồ sơ có thời hạn bảo quản từ 05 năm trở "
        "lên hoặc vĩnh viễn mới nộp lưu vào Lưu trữ cơ quan. Đơn vị giữ hồ sơ này đến khi hết thời hạn bảo quản."
    )
    short.refresh_from_db()
    assert short.state == FileState.CLOSED and short.handover is None
    assert not services.due_for_handover(agency=office.agency, today=datetime.date(2026, 6, 1)).exists()
    assert services.remind_handover(today=datetime.date(2026, 6, 1)) == 0

    client.force_login(office.deputy)
    page = client.get(f"/records/{short.pk}/").content.decode()
    assert "Thời hạn bảo quản dưới 05 năm: đơn vị tự bảo quản, không nộp lưu vào Lưu trữ cơ quan." in page
    assert "/submit/" not in page
    response = client.post(f"/records/{short.pk}/submit/", follow=True)
    assert "chỉ hồ sơ có thời hạn bảo quản từ 05 năm trở lên" in response.content.decode()
    assert not AuditEntry.objects.filter(action="files.submitted").exists()


def test_files_kept_five_years_or_permanently_are_due_and_handed_over(office):
    five = closed_file(office, notation="04.VP", retention_years=5)
    permanent = closed_file(office, notation="05.VP", permanent=True)
    due = services.due_for_handover(agency=office.agency, today=datetime.date(2026, 3, 2))
    assert set(due) == {five, permanent}
    handover = services.submit(files=[five, permanent], by=office.deputy)
    assert handover.files.count() == 2


def test_the_head_lets_the_unit_keep_a_file_two_years_at_most_and_it_is_not_reminded_meanwhile(office):
    work_file = closed_file(office, notation="06.VP", retention_years=10, end_date=datetime.date(2025, 3, 1))
    today = datetime.date(2026, 3, 2)  # due on 01/03/2026
    assert services.handover_due_date(work_file) == datetime.date(2026, 3, 1)

    with pytest.raises(NotVisible):  # the maker alone cannot decide it
        services.hold_file(
            work_file=work_file, by=office.deputy, reason="Còn sử dụng", until=datetime.date(2027, 1, 1), today=today
        )
    with pytest.raises(FilesError) as refusal:
        services.hold_file(
            work_file=work_file, by=office.head, reason="Còn sử dụng", until=datetime.date(2028, 3, 2), today=today
        )
    assert str(refusal.value) == (
        "Đơn vị chỉ được giữ lại hồ sơ tối đa 02 năm kể từ hạn nộp lưu (01/03/2026): chậm nhất đến ngày 01/03/2028."
    )
    with pytest.raises(FilesError, match=r"^Hãy ghi lý do đơn vị giữ lại hồ sơ\.$"):
        services.hold_file(
            work_file=work_file, by=office.head, reason=" ", until=datetime.date(2027, 1, 1), today=today
        )
    assert not AuditEntry.objects.filter(action="files.held").exists()

    services.hold_file(
        work_file=work_file,
        by=office.head,
        reason="Đang thanh tra quyết toán",
        until=datetime.date(2028, 3, 1),
        today=today,
    )
    work_file.refresh_from_db()
    assert (work_file.held_until, work_file.held_reason, work_file.held_by) == (
        datetime.date(2028, 3, 1),
        "Đang thanh tra quyết toán",
        office.head,
    )
    entry = AuditEntry.objects.get(action="files.held")
    assert entry.actor == office.head
    assert entry.after["held_until"] == "2028-03-01"
    assert Notification.objects.get(recipient=office.clerk).title == (
        "Hồ sơ 000.00.11.H41.2025.06.VP được đơn vị giữ lại đến ngày 01/03/2028"
    )

    assert not services.due_for_handover(agency=office.agency, today=today).exists()
    assert services.remind_handover(today=today) == 0
    assert services.remind_handover(today=datetime.date(2028, 3, 1)) == 0
    # once the time runs out, the file is due again and its maker is reminded
    assert list(services.due_for_handover(agency=office.agency, today=datetime.date(2028, 3, 2))) == [work_file]
    assert services.remind_handover(today=datetime.date(2028, 3, 2)) == 1


def test_the_head_keeps_a_file_from_its_page_and_the_page_says_until_when(client, office):
    today = timezone.localdate()
    work_file = closed_file(office, notation="07.VP", end_date=today - datetime.timedelta(days=400))
    until = today + datetime.timedelta(days=30)
    client.force_login(office.deputy)
    page = client.get(f"/records/{work_file.pk}/").content.decode()
    assert 'data-testid="hold"' not in page
    assert client.post(f"/records/{work_file.pk}/hold/", {"until": until, "reason": "Còn dùng"}).status_code == 404
    client.force_login(office.outsider)
    assert client.post(f"/records/{work_file.pk}/hold/", {"until": until, "reason": "Còn dùng"}).status_code == 404

    client.force_login(office.head)
    assert 'data-testid="hold"' in client.get(f"/records/{work_file.pk}/").content.decode()
    response = client.post(
        f"/records/{work_file.pk}/hold/", {"until": until, "reason": "Phục vụ kiểm toán nhà nước"}, follow=True
    )
    text = response.content.decode()
    assert "Đơn vị giữ lại hồ sơ; văn thư lưu trữ đã được thông báo." in text
    assert f"đến ngày {until:%d/%m/%Y}: Phục vụ kiểm toán nhà nước" in text
    assert AuditEntry.objects.filter(action="files.held", actor=office.head).count() == 1
