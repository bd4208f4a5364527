"""Bulk import of people from XLSX or CSV: every bad row reported; a file with errors imports nothing."""

import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from vanphong.organizations.importing import import_people
from vanphong.organizations.models import Position, Role
from vanphong.organizations.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).parent / "samples"
HEADER = ["Tên đăng nhập", "Họ và tên", "Thư điện tử", "Điện thoại", "Cơ quan", "Đơn vị", "Vai trò", "Chức danh"]


def workbook(*rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_csv_with_errors_reports_every_bad_row_and_imports_nobody(unit, platform_admin):
    content = (SAMPLES / "people_with_errors.csv").read_bytes()
    report = import_people(filename="people_with_errors.csv", content=content, by=platform_admin)

    found = {(error.line, error.column) for error in report.errors}
    assert found == {
        (3, "Họ và tên"),
        (4, "Thư điện tử"),
        (4, "Cơ quan"),
        (5, "Tên đăng nhập"),
        (5, "Đơn vị"),
        (5, "Vai trò"),
    }
    reasons = {(error.line, error.column): error.reason for error in report.errors}
    assert reasons[(5, "Tên đăng nhập")] == "Trùng với dòng 2."
    assert reasons[(4, "Cơ quan")] == "Không có cơ quan nào có mã hoặc tên này."
    assert not get_user_model().objects.filter(username__startswith="stc.").exists()


def test_a_clean_workbook_creates_people_with_their_positions(agency, unit, platform_admin):
    content = workbook(
        [
            "stc.ketoan",
            "Phạm Thị Hà",
            "ha@stc.example.gov.vn",
            "0912345678",
            "000.00.11.H41",
            "NS",
            "chuyên viên",
            "Chuyên viên",
        ],
        [
            "stc.truongphong",
            "Võ Đức Long",
            "",
            "",
            "Sở Tài chính tỉnh Nghệ An",
            "Phòng Quản lý ngân sách",
            "unit_head",
            "Trưởng phòng",
        ],
    )
    report = import_people(filename="nhan-su.xlsx", content=content, by=platform_admin)
    assert report.ok, report.errors
    assert report.created == 2
    position = Position.objects.get(person__username="stc.truongphong")
    assert (position.agency, position.unit, position.role) == (agency, unit, Role.UNIT_HEAD)
    person = get_user_model().objects.get(username="stc.ketoan")
    assert person.full_name == "Phạm Thị Hà"
    assert not person.has_usable_password()


def test_a_file_that_is_not_a_spreadsheet_is_refused_clearly(platform_admin):
    report = import_people(filename="nhan-su.xlsx", content=b"not a workbook", by=platform_admin)
    assert report.errors[0].reason == "Tệp không phải là sổ tính Excel (.xlsx) đọc được."
    report = import_people(
        filename="nhan-su.csv", content="Tên đăng nhập,Họ và tên".encode("utf-16"), by=platform_admin
    )
    assert "UTF-8" in report.errors[0].reason
    report = import_people(filename="nhan-su.pdf", content=b"%PDF", by=platform_admin)
    assert ".xlsx" in report.errors[0].reason


def test_a_missing_column_is_named(platform_admin):
    report = import_people(filename="a.csv", content="Tên đăng nhập,Họ và tên\nx,y\n".encode(), by=platform_admin)
    assert {(e.line, e.column) for e in report.errors} == {(1, "Cơ quan"), (1, "Vai trò")}


def test_an_agency_administrator_imports_only_into_their_own_agency(agency, person_in):
    own_admin = person_in(agency, Role.ADMINISTRATOR)
    AgencyFactory(code="000.00.12.H41")
    content = workbook(["snv.cv", "Ngô Thanh Mai", "", "", "000.00.12.H41", "", "Chuyên viên", ""])
    report = import_people(filename="a.xlsx", content=content, by=own_admin)
    assert [(e.line, e.column) for e in report.errors] == [(2, "Cơ quan")]


def test_the_import_page_is_hidden_from_people_who_cannot_add_accounts(client, clerk):
    clerk.is_staff = True
    clerk.save()
    client.force_login(clerk)
    assert client.get("/admin/accounts/user/import/").status_code == 404


def test_the_import_page_shows_the_error_table_to_an_administrator(client, unit, platform_admin):
    client.force_login(platform_admin)
    upload = SimpleUploadedFile("people_with_errors.csv", (SAMPLES / "people_with_errors.csv").read_bytes())
    page = client.post("/admin/accounts/user/import/", {"file": upload})
    html = page.content.decode()
    assert page.status_code == 200
    assert "6 lỗi — không nhập người nào" in html
    assert "Trùng với dòng 2." in html


def test_values_too_long_for_their_column_are_reported_not_crashed_on(agency, platform_admin):
    content = workbook(["stc.dai", "Tên " * 60, "", "0" * 40, "000.00.11.H41", "", "chuyên viên", "C" * 200])
    report = import_people(filename="a.xlsx", content=content, by=platform_admin)
    assert {(e.column, e.reason) for e in report.errors} == {
        ("Họ và tên", "Tối đa 150 ký tự."),
        ("Điện thoại", "Tối đa 30 ký tự."),
        ("Chức danh", "Tối đa 150 ký tự."),
    }


def test_a_csv_with_a_single_column_is_read_and_its_missing_columns_named(platform_admin):
    report = import_people(filename="a.csv", content="Tên đăng nhập\nstc.a\n".encode(), by=platform_admin)
    assert (1, "Họ và tên") in {(e.line, e.column) for e in report.errors}
