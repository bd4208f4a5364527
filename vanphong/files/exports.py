"""The workbooks of Appendix V: the file plan (danh mục hồ sơ), the document index of a file (mục lục văn bản trong
hồ sơ), the hand-over list (mục lục hồ sơ nộp lưu) and the hand-over record (biên bản giao nhận). Titles and column
headings are the Vietnamese of the legal templates whatever language the reader uses."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

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


def handover_list(handover) -> bytes:
    rows = [
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
    return _book("MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU", HANDOVER_COLUMNS, rows, subtitle=handover.agency.name)


def handover_record(handover) -> bytes:
    """Biên bản giao nhận: for electronic files, the total of files and of electronic files handed over."""
    files = list(handover.files.all())
    electronic = sum(item.files.count() for f in files for item in f.items.all())
    who = handover.submitted_by
    rows = [
        ("Ngày giao nhận", _date(handover.submitted_at)),
        ("Bên giao", getattr(who, "full_name", "") or who.get_username()),
        ("Bên nhận", "Lưu trữ cơ quan"),
        ("Tổng số hồ sơ", len(files)),
        ("Tổng số tệp tin", electronic),
        ("Công cụ tra cứu kèm theo", "Mục lục hồ sơ, tài liệu nộp lưu"),
    ]
    return _book("BIÊN BẢN GIAO NHẬN TÀI LIỆU", ("Nội dung", "Số lượng"), rows, subtitle=handover.agency.name)
