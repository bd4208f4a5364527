"""The workbooks of Appendix V: the file plan (danh mục hồ sơ), the document index of a file (mục lục văn bản trong
hồ sơ), the hand-over list (mục lục hồ sơ nộp lưu) and the hand-over record (biên bản giao nhận). Titles and column
headings are the Vietnamese of the legal templates whatever language the reader uses."""

import io
from dataclasses import dataclass

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from reportlab.lib.pagesizes import A4

from vanphong.core import registers

PLAN_COLUMNS = (
    "Số và ký hiệu hồ sơ",
    "Tên đề mục và tiêu đề hồ sơ",
    "Thời hạn bảo quản",
    "Đơn vị/Người lập hồ sơ",
    "Ghi chú",
)
INDEX_COLUMNS = (
    "STT",
    "Số, ký hiệu",
    "Ngày tháng",
    "Tên loại và trích yếu nội dung",
    "Tác giả",
    "Tờ số/Trang số",
    "Ghi chú",
)
HANDOVER_COLUMNS = (
    "STT",
    "Số, ký hiệu hồ sơ",
    "Tiêu đề hồ sơ",
    "Thời gian tài liệu",
    "Thời hạn bảo quản",
    "Số tờ/trang",
    "Ghi chú",
)
DATE = "%d/%m/%Y"


def _book(title: str, columns, rows, *, subtitle: str = "") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([subtitle])
    sheet.append(list(columns))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in rows:
        sheet.append(list(row))
    for index, _column in enumerate(columns):
        sheet.column_dimensions[chr(ord("A") + index)].width = 14 if index != 1 else 50
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _date(value) -> str:
    return value.strftime(DATE) if value else ""


def plan_workbook(plan) -> bytes:
    rows = []
    headings = list(plan.headings.all())
    files = list(plan.planned_files.all())
    for heading in [None, *headings]:
        mine = [f for f in files if (f.heading_id is None if heading is None else f.heading_id == heading.pk)]
        if heading is not None:
            label = f"{heading.title} ({heading.abbreviation})" if heading.abbreviation else heading.title
            rows.append((heading.numeral, label, "", "", ""))
        elif not mine:
            continue
        rows.extend((f.notation, f.title, f.retention, f.responsible, f.note) for f in mine)
    agency = plan.agency.name
    return _book(f"DANH MỤC HỒ SƠ NĂM {plan.year}", PLAN_COLUMNS, rows, subtitle=agency)


def document_index(work_file) -> bytes:
    rows = [
        (
            item.ordinal,
            item.reference,
            _date(item.issued_date),
            f"{item.type_name} {item.subject}".strip(),
            item.organ_name,
            item.page_amount or "",
            item.description,
        )
        for item in work_file.items.all()
    ]
    return _book("MỤC LỤC VĂN BẢN", INDEX_COLUMNS, rows, subtitle=f"{work_file.file_code} – {work_file.title}")


HANDOVER_LIST_TITLE = "MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU"
HANDOVER_RECORD_TITLE = "BIÊN BẢN GIAO NHẬN TÀI LIỆU"
RECORD_COLUMNS = ("Nội dung", "Số lượng")


def _handover_list_rows(handover) -> list[tuple]:
    return [
        (
            number,
            f.notation,
            f.title,
            " – ".join(filter(None, (_date(f.start_date), _date(f.end_date)))),
            f.retention,
            f.page_total,
            f.description,
        )
        for number, f in enumerate(handover.files.order_by("notation"), start=1)
    ]


def _handover_record_rows(handover) -> list[tuple]:
    """Biên bản giao nhận: for electronic files, the total of files and of electronic files handed over."""
    files = list(handover.files.all())
    electronic = sum(item.files.count() for f in files for item in f.items.all())
    return [
        ("Ngày giao nhận", _date(timezone.localtime(handover.submitted_at))),
        ("Bên giao", _name(handover.submitted_by)),
        ("Bên nhận", "Lưu trữ cơ quan"),
        ("Tổng số hồ sơ", len(files)),
        ("Tổng số tệp tin", electronic),
        ("Công cụ tra cứu kèm theo", "Mục lục hồ sơ, tài liệu nộp lưu"),
    ]


def _name(person) -> str:
    return getattr(person, "full_name", "") or person.get_username()


def handover_list(handover) -> bytes:
    return _book(HANDOVER_LIST_TITLE, HANDOVER_COLUMNS, _handover_list_rows(handover), subtitle=handover.agency.name)


def handover_record(handover) -> bytes:
    return _book(HANDOVER_RECORD_TITLE, RECORD_COLUMNS, _handover_record_rows(handover), subtitle=handover.agency.name)


# PDF: the table layout of the registers (core.registers), so that every printed table of the platform looks alike


@dataclass(frozen=True)
class _Line:
    """A row as core.registers draws it."""

    values: tuple
    number: int | None = None
    marked_columns: frozenset = frozenset()

    def cells(self) -> tuple:
        return self.values


def _agency_lines(handover) -> list[registers.TitleLine]:
    agency = handover.agency
    lines = []
    if agency.parent_id:
        lines.append(registers.TitleLine(agency.parent.name.upper(), "agency"))
    lines.append(registers.TitleLine(agency.name.upper(), "agency"))
    return lines


def handover_list_pdf(handover, *, font_dir=None) -> bytes:
    lines = [
        *_agency_lines(handover),
        registers.TitleLine(HANDOVER_LIST_TITLE, "title"),
        registers.TitleLine(f"Ngày nộp lưu: {_date(timezone.localtime(handover.submitted_at))}", "line"),
    ]
    return registers.table_pdf(
        lines=lines,
        columns=HANDOVER_COLUMNS,
        widths=(5, 14, 40, 16, 12, 9, 18),
        rows=[_Line(row) for row in _handover_list_rows(handover)],
        title=f"{HANDOVER_LIST_TITLE} – {handover.agency.name}",
        author=handover.agency.name,
        subject=f"Nộp lưu {handover.pk}",
        font_dir=font_dir,
    )


def handover_record_pdf(handover, *, font_dir=None) -> bytes:
    lines = [
        *_agency_lines(handover),
        registers.TitleLine(HANDOVER_RECORD_TITLE, "title"),
        registers.TitleLine("Tài liệu điện tử nộp lưu vào Lưu trữ cơ quan", "line"),
    ]
    return registers.table_pdf(
        lines=lines,
        columns=RECORD_COLUMNS,
        widths=(2, 3),
        rows=[_Line(row) for row in _handover_record_rows(handover)],
        title=f"{HANDOVER_RECORD_TITLE} – {handover.agency.name}",
        author=handover.agency.name,
        subject=f"Nộp lưu {handover.pk}",
        signatures=("BÊN GIAO", "BÊN NHẬN"),
        pagesize=A4,
        font_dir=font_dir,
    )
