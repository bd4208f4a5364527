"""The yearly file plan (danh mục hồ sơ) in and out of Excel."""

import pytest

from vanphong.files import services
from vanphong.files.errors import FilesError
from vanphong.files.models import PlannedFile

from .helpers import workbook

pytestmark = pytest.mark.django_db


def test_the_plan_goes_out_to_excel_and_back_and_next_year_starts_from_it(office):
    plan = services.start_year_plan(agency=office.agency, year=2026, by=office.clerk)
    services.import_plan(
        plan=plan,
        by=office.clerk,
        content=workbook(
            ("I", "Tổ chức cán bộ (TCCB)", None, None, None),
            ("01.TCCB", "Hồ sơ tuyển dụng công chức năm 2026", "Vĩnh viễn", "Văn phòng", ""),
            ("02.TCCB", "Hồ sơ nâng lương", "10 năm", "Văn phòng", "Theo quý"),
            ("II", "Tài chính kế toán (TCKT)", None, None, None),
            ("01.TCKT", "Hồ sơ quyết toán ngân sách", 20, "Phòng Quản lý ngân sách", None),
        ),
    )
    exported = services.export_plan(plan=plan, by=office.specialist)
    again = services.start_year_plan(agency=office.agency, year=2025, by=office.clerk)
    services.import_plan(plan=again, by=office.clerk, content=exported)

    def rows(p):
        return [
            (f.heading.numeral, f.heading.abbreviation, f.notation, f.title, f.retention, f.responsible, f.note)
            for f in p.planned_files.select_related("heading")
        ]

    assert rows(again) == rows(plan)
    assert rows(plan)[0] == (
        "I",
        "TCCB",
        "01.TCCB",
        "Hồ sơ tuyển dụng công chức năm 2026",
        "Vĩnh viễn",
        "Văn phòng",
        "",
    )

    next_year = services.start_year_plan(agency=office.agency, year=2027, by=office.head)
    assert rows(next_year) == rows(plan)

    opened = services.open_file(
        agency=office.agency, by=office.specialist, planned_file=PlannedFile.objects.get(plan=plan, notation="01.TCKT")
    )
    assert (opened.file_code, opened.retention, opened.year) == ("000.00.11.H41.2026.01.TCKT", "20 năm", 2026)


def test_a_bad_row_is_refused_with_its_number_and_nothing_is_imported(office):
    plan = services.start_year_plan(agency=office.agency, year=2026, by=office.clerk)
    services.import_plan(plan=plan, by=office.clerk, content=workbook(("01.VP", "Hồ sơ cũ", "5 năm", "", "")))
    with pytest.raises(FilesError) as refusal:
        services.import_plan(
            plan=plan,
            by=office.clerk,
            content=workbook(
                ("01.TCCB", "Hồ sơ tuyển dụng", "Vĩnh viễn", "", ""),
                ("02.TCCB", "Hồ sơ nâng lương", "lâu dài", "", ""),
            ),
        )
    assert str(refusal.value) == (
        "Không có gì được nhập. Dòng 4: thời hạn bảo quản “lâu dài” không hợp lệ "
        "(ghi “Vĩnh viễn” hoặc số năm, ví dụ “10 năm”)."
    )
    assert list(plan.planned_files.values_list("notation", flat=True)) == ["01.VP"]


def test_only_the_clerk_or_the_head_manages_the_plan(office):
    with pytest.raises(FilesError, match="Chỉ văn thư hoặc thủ trưởng cơ quan"):
        services.start_year_plan(agency=office.agency, year=2026, by=office.specialist)
