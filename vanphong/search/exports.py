"""The results of a search as an Excel workbook. Column headings are Vietnamese, as in the other exports."""

import datetime
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .models import Kind

COLUMNS = ("STT", "Loại", "Số, ký hiệu", "Ngày văn bản", "Trích yếu")
WIDTHS = (6, 12, 20, 14, 80)
KIND_LABELS = {Kind.INCOMING: "Văn bản đến", Kind.OUTGOING: "Văn bản đi"}


def write_xlsx(*, hits, query_text: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Kết quả tìm kiếm"
    sheet.cell(row=1, column=1, value=f"Kết quả tìm kiếm: {query_text}").font = Font(bold=True, size=13)
    for column, (heading, width) in enumerate(zip(COLUMNS, WIDTHS, strict=True), start=1):
        cell = sheet.cell(row=3, column=column, value=heading)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E7E6E6")
        sheet.column_dimensions[get_column_letter(column)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, hit in enumerate(hits, start=1):
        values = (number, KIND_LABELS.get(hit.kind, hit.kind), hit.reference, hit.date, hit.title)
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=3 + number, column=column, value=value)
            cell.alignment = wrap
            if isinstance(value, datetime.date):
                cell.number_format = "DD/MM/YYYY"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
