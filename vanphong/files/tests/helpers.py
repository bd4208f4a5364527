"""Small steps the page tests share."""

import datetime
import io

from openpyxl import Workbook

from vanphong.files import services

from .conftest import outgoing_document


def closed_file(office, *, notation, retention_years=10, permanent=False, end_date=datetime.date(2025, 3, 1)):
    """A file of the deputy director, closed, with one outgoing document."""
    work_file = services.open_file(
        agency=office.agency,
        by=office.deputy,
        title=f"Hồ sơ {notation}",
        notation=notation,
        year=2025,
        retention_years=None if permanent else retention_years,
        permanent=permanent,
        start_date=datetime.date(2025, 1, 2),
    )
    services.add_document(work_file=work_file, by=office.deputy, outgoing=outgoing_document(office))
    services.update_file(work_file=work_file, by=office.deputy, rights="Công khai", end_date=end_date)
    return services.close_file(work_file=work_file, by=office.deputy)


def workbook(*rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["DANH MỤC HỒ SƠ NĂM 2026"])
    sheet.append(list(services.exports.PLAN_COLUMNS))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
