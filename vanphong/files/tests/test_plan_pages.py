"""The file plan's page: the clerk starts the year and imports the workbook, the staff read and download it, the
head approves it. A bad workbook changes nothing and says which rows are wrong."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from vanphong.audit.models import AuditEntry
from vanphong.files import services
from vanphong.files.models import FilePlan

from .helpers import workbook

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(content: bytes, name="danh-muc-2026.xlsx"):
    return SimpleUploadedFile(name, content, XLSX)


def page(office, year=2026):
    return f"/records/plan/{office.agency.pk}/{year}/"


def test_another_agencys_person_gets_404_and_the_staff_read_the_plan(client, office):
    client.force_login(office.outsider)
    assert client.get(page(office)).status_code == 404
    assert client.post(page(office) + "start/").status_code == 404
    client.force_login(office.specialist)
    response = client.get(page(office))
    assert response.status_code == 200
    assert "Chưa có danh mục hồ sơ năm 2026." in response.content.decode()
    assert "Lập danh mục từ danh mục năm trước" not in response.content.decode()
    # the specialist does not manage the plan: the step is refused as if it did not exist
    assert client.post(page(office) + "start/").status_code == 404
    assert not FilePlan.objects.exists()


def test_the_clerk_starts_the_year_from_last_years_plan_imports_it_and_the_head_approves(client, office):
    last_year = services.start_year_plan(agency=office.agency, year=2025, by=office.clerk)
    services.import_plan(
        plan=last_year, by=office.clerk, content=workbook(("01.VP", "Hồ sơ hội nghị tổng kết", "10 năm", "", ""))
    )
    client.force_login(office.clerk)
    response = client.post(page(office) + "start/", follow=True)
    assert "Đã lập danh mục hồ sơ năm 2026." in response.content.decode()
    assert "Hồ sơ hội nghị tổng kết" in response.content.decode()
    assert AuditEntry.objects.filter(action="files.plan_started", actor=office.clerk).count() == 2

    response = client.post(
        page(office) + "import/",
        {
            "workbook": upload(
                workbook(
                    ("I", "Tổ chức cán bộ (TCCB)", None, None, None),
                    ("01.TCCB", "Hồ sơ tuyển dụng công chức năm 2026", "Vĩnh viễn", "Văn phòng", ""),
                )
            )
        },
        follow=True,
    )
    text = response.content.decode()
    assert "Đã nhập danh mục hồ sơ." in text
    assert "Hồ sơ tuyển dụng công chức năm 2026" in text and "Vĩnh viễn" in text
    assert "Hồ sơ hội nghị tổng kết" not in text
    assert AuditEntry.objects.filter(action="files.plan_imported", actor=office.clerk).count() == 2

    client.force_login(office.specialist)
    download = client.get(page(office) + "xlsx/")
    assert download.status_code == 200
    assert download["Content-Type"] == XLSX
    assert "danh-muc-ho-so-2026.xlsx" in download["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(download.content)).active
    assert sheet["A1"].value == "DANH MỤC HỒ SƠ NĂM 2026"
    assert ("01.TCCB", "Hồ sơ tuyển dụng công chức năm 2026", "Vĩnh viễn") in [
        row[:3] for row in sheet.iter_rows(values_only=True)
    ]

    client.force_login(office.clerk)
    assert client.post(page(office) + "approve/").status_code == 404  # only the head approves
    client.force_login(office.head)
    response = client.post(page(office) + "approve/", follow=True)
    assert "Đã duyệt danh mục hồ sơ năm 2026." in response.content.decode()
    assert FilePlan.objects.get(year=2026).approved
    assert AuditEntry.objects.filter(action="files.plan_approved", actor=office.head).count() == 1
    # an approved plan offers no import any more
    assert 'data-testid="import"' not in client.get(page(office)).content.decode()


def test_a_broken_workbook_is_refused_in_vietnamese_and_the_plan_keeps_its_rows(client, office):
    plan = services.start_year_plan(agency=office.agency, year=2026, by=office.clerk)
    services.import_plan(plan=plan, by=office.clerk, content=workbook(("01.VP", "Hồ sơ cũ", "5 năm", "", "")))
    client.force_login(office.clerk)
    response = client.post(page(office) + "import/", {"workbook": upload(b"PK\x03\x04 not really a workbook")})
    assert response.status_code == 400
    assert "Tệp này không phải bảng tính Excel (.xlsx)." in response.content.decode()
    assert list(plan.planned_files.values_list("notation", flat=True)) == ["01.VP"]
    assert "Hồ sơ cũ" in response.content.decode()
    assert AuditEntry.objects.filter(action="files.plan_imported").count() == 1


def test_every_bad_row_is_listed_with_its_number_and_nothing_is_imported(client, office):
    plan = services.start_year_plan(agency=office.agency, year=2026, by=office.clerk)
    services.import_plan(plan=plan, by=office.clerk, content=workbook(("01.VP", "Hồ sơ cũ", "5 năm", "", "")))
    client.force_login(office.clerk)
    response = client.post(
        page(office) + "import/",
        {
            "workbook": upload(
                workbook(
                    ("01.TCCB", "Hồ sơ tuyển dụng", "Vĩnh viễn", "", ""),
                    ("02.TCCB", "Hồ sơ nâng lương", "lâu dài", "", ""),
                    ("03.TCCB", "", "10 năm", "", ""),
                )
            )
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Không có gì được nhập: hãy sửa các dòng dưới đây rồi tải bảng tính lên lại." in text
    assert "<li>Dòng 4: thời hạn bảo quản “lâu dài” không hợp lệ" in text
    assert "<li>Dòng 5: thiếu tiêu đề hồ sơ.</li>" in text
    assert list(plan.planned_files.values_list("notation", flat=True)) == ["01.VP"]


def test_the_head_cannot_approve_a_plan_that_does_not_exist_and_the_plan_home_goes_to_this_year(client, office):
    client.force_login(office.head)
    assert client.post(page(office) + "approve/").status_code == 404
    response = client.get("/records/plan/")
    assert response.status_code == 302
    assert response["Location"].startswith(f"/records/plan/{office.agency.pk}/")
