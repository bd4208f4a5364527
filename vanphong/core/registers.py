"""Registers (sổ) printed from the System for a period (Decree 30/2020, Appendix IV), whatever the kind of
document: the cover lines, an Excel workbook and an A4 landscape PDF to print, sign and bind, the file's name, and
the form that asks for a period. Each app describes its books (Book) and gives its rows; nothing here knows what a
row is beyond the Row protocol.

Titles, column headings and cell texts are the Vietnamese of the legal template, whatever language the reader uses;
only the messages of the page that asks for the file are translated."""

import calendar
import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from xml.sax.saxutils import escape

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from .document_types import Secrecy, Urgency

# Debian's fonts-dejavu-core: the PDF's core fonts have no Vietnamese letters, DejaVu Sans has them all.
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {"DejaVuSans": "DejaVuSans.ttf", "DejaVuSans-Bold": "DejaVuSans-Bold.ttf"}
FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"

DATE = "%d/%m/%Y"
XLSX_DATE = "dd/mm/yyyy"

# The marks printed in the Ghi chú column, as on the document itself.
URGENCY_MARKS = {Urgency.URGENT: "Khẩn", Urgency.VERY_URGENT: "Thượng khẩn", Urgency.EXPRESS: "Hỏa tốc"}
SECRECY_MARKS = {Secrecy.CONFIDENTIAL: "Mật", Secrecy.SECRET: "Tối mật", Secrecy.TOP_SECRET: "Tuyệt mật"}


def marks_of(document) -> list[str]:
    """The urgency and secrecy marks of a document ('Khẩn', 'Mật'), those it has."""
    marks = (URGENCY_MARKS.get(document.urgency), SECRECY_MARKS.get(document.secrecy))
    return [mark for mark in marks if mark]


class FontMissing(Exception):
    """The PDF cannot be drawn: the server lacks the font with Vietnamese letters."""


@dataclass(frozen=True)
class Book:
    """One register of Appendix IV. Headings are fixed by the legal template: Vietnamese in every language."""

    key: str
    title: str
    columns: tuple[str, ...]
    widths: tuple[float, ...]  # relative; Excel characters and PDF width are both scaled from these
    file_prefix: str
    sheet_title: str


class Row(Protocol):
    """One line of a book: its cells in the book's column order (dates, numbers, texts; None for an empty cell),
    the columns to mark in red (0-based), and the number the line is registered under ("Từ số … đến số …")."""

    number: int | None
    marked_columns: frozenset[int]

    def cells(self) -> tuple: ...


# Title block (the register's cover lines)


@dataclass(frozen=True)
class TitleLine:
    text: str
    kind: str  # "agency" (top left, upper case, bold), "title" (centred, large, bold) or "line" (centred)


def title_block(*, book: Book, register, date_from, date_to, numbers: Sequence[int]) -> list[TitleLine]:
    """The managing agency and the agency, the book's title, the register's name, the year, the period, and the
    first and last numbers listed (within one year only: numbers restart on 1 January)."""
    agency = register.agency
    lines = []
    if agency.parent_id:
        lines.append(TitleLine(agency.parent.name.upper(), "agency"))
    lines.append(TitleLine(agency.name.upper(), "agency"))
    lines.append(TitleLine(book.title, "title"))
    lines.append(TitleLine(f"Sổ: {register.name}", "line"))
    years = f"{date_from.year}" if date_from.year == date_to.year else f"{date_from.year}–{date_to.year}"
    lines.append(TitleLine(f"Năm: {years}", "line"))
    lines.append(TitleLine(f"Từ ngày {date_from:{DATE}} đến ngày {date_to:{DATE}}", "line"))
    if numbers and date_from.year == date_to.year:
        lines.append(TitleLine(f"Từ số {numbers[0]} đến số {numbers[-1]}", "line"))
    return lines


def _numbers(rows: Sequence[Row]) -> list[int]:
    return [row.number for row in rows if row.number is not None]


# Excel


def write_xlsx(*, book: Book, register, date_from, date_to, rows: Sequence[Row]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = book.sheet_title
    width = len(book.columns)
    last_column = get_column_letter(width)
    title = title_block(book=book, register=register, date_from=date_from, date_to=date_to, numbers=_numbers(rows))
    for line_number, line in enumerate(title, start=1):
        cell = sheet.cell(row=line_number, column=1, value=line.text)
        sheet.merge_cells(f"A{line_number}:{last_column}{line_number}")
        if line.kind == "agency":
            cell.font, cell.alignment = Font(bold=True), Alignment(horizontal="left")
        elif line.kind == "title":
            cell.font, cell.alignment = Font(bold=True, size=14), Alignment(horizontal="center")
        else:
            cell.alignment = Alignment(horizontal="center")

    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    header_row = len(title) + 2
    for column, (heading, relative_width) in enumerate(zip(book.columns, book.widths, strict=True), start=1):
        cell = sheet.cell(row=header_row, column=column, value=heading)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        cell.fill = PatternFill("solid", fgColor="E7E6E6")
        cell.border = border
        sheet.column_dimensions[get_column_letter(column)].width = relative_width
    for row_number, row in enumerate(rows, start=header_row + 1):
        for column, value in enumerate(row.cells(), start=1):
            cell = sheet.cell(row=row_number, column=column, value=value)
            cell.border, cell.alignment = border, wrap
            if isinstance(value, datetime.date):
                cell.number_format = XLSX_DATE
            if column - 1 in row.marked_columns:
                cell.font = Font(color="C00000", bold=True)

    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddFooter.center.text = "Trang &P/&N"
    workbook.properties.title = f"{book.title} – {register.agency.name}"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# PDF


def register_fonts(font_dir: Path | None = None) -> None:
    """Checked on every PDF, so that a font removed after start-up still gives the clear message."""
    font_dir = FONT_DIR if font_dir is None else font_dir
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, filename in FONT_FILES.items():
        path = font_dir / filename
        if not path.is_file():
            raise FontMissing(
                _(
                    "The PDF cannot be made: the font file %(path)s is missing. Install the Debian package "
                    "fonts-dejavu-core on the server."
                )
                % {"path": path}
            )
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


class NumberedCanvas(Canvas):
    """Writes 'Trang n/m' at the foot of every page once the number of pages is known."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._saved_pages = []

    def showPage(self):  # ReportLab's name
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._saved_pages)
        for page in self._saved_pages:
            self.__dict__.update(page)
            self.setFont(FONT, 8)
            self.drawCentredString(self._pagesize[0] / 2, 8 * mm, f"Trang {self._pageNumber}/{total}")
            super().showPage()
        super().save()


ROWS_PER_TABLE = 40


def write_pdf(*, book: Book, register, date_from, date_to, rows: Sequence[Row], font_dir: Path | None = None) -> bytes:
    """The title block and the column headings on the first page, the headings again at the top of every later
    page. `font_dir`: where DejaVu Sans is (FONT_DIR by default); FontMissing if it is not there."""
    return table_pdf(
        lines=title_block(book=book, register=register, date_from=date_from, date_to=date_to, numbers=_numbers(rows)),
        columns=book.columns,
        widths=book.widths,
        rows=rows,
        title=f"{book.title} – {register.agency.name}",
        author=register.agency.name,
        subject=register.name,
        font_dir=font_dir,
    )


def table_pdf(
    *,
    lines: Sequence[TitleLine],
    columns: Sequence[str],
    widths: Sequence[float],
    rows: Sequence[Row],
    title: str,
    author: str,
    subject: str,
    signatures: Sequence[str] = (),
    pagesize=None,
    font_dir: Path | None = None,
) -> bytes:
    """Any table of the legal templates as a PDF to print: the `lines` on top, the column headings on the first
    page and again at the top of every later page, and under the table, side by side, the places where
    `signatures` sign (none for a register). A4 landscape unless `pagesize` says otherwise. The rows go in small
    tables one after the other: one long table is split page by page at a cost that grows with the square of its
    length (10,000 rows: 43 s as one table, 16 s this way; 1,000 rows: 1.3 s).
    `font_dir`: where DejaVu Sans is (FONT_DIR by default); FontMissing if it is not there."""
    register_fonts(font_dir)
    page_width, page_height = pagesize or landscape(A4)
    margin, foot = 12 * mm, 15 * mm
    usable = page_width - 2 * margin
    widths = [usable * width / sum(widths) for width in widths]
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=8, leading=10)
    marked = ParagraphStyle("marked", parent=cell, fontName=BOLD, textColor=colors.HexColor("#C00000"))
    heading = ParagraphStyle("heading", parent=cell, fontName=BOLD, alignment=TA_CENTER)
    styles = {
        "agency": ParagraphStyle("agency", fontName=BOLD, fontSize=10, leading=13),
        "title": ParagraphStyle(
            "title", fontName=BOLD, fontSize=15, leading=20, alignment=TA_CENTER, spaceBefore=6, spaceAfter=4
        ),
        "line": ParagraphStyle("line", fontName=FONT, fontSize=10, leading=13, alignment=TA_CENTER),
    }
    grid = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONT", (0, 0), (-1, -1), FONT, 8, 10),
    ]

    def headings() -> Table:
        table = Table([[Paragraph(escape(name), heading) for name in columns]], colWidths=widths)
        table.setStyle(
            TableStyle(
                [
                    *grid,
                    ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#E7E6E6")),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ]
            )
        )
        return table

    def shown(value, column, row):
        """Numbers, dates and empty cells as plain text (cheap to lay out, never wrapped); words as paragraphs."""
        if value is None or value == "":
            return ""
        if isinstance(value, datetime.date):
            return f"{value:{DATE}}"
        if isinstance(value, int):
            return str(value)
        return Paragraph(escape(str(value)), marked if column in row.marked_columns else cell)

    body = [[shown(value, column, row) for column, value in enumerate(row.cells())] for row in rows]
    story = [NextPageTemplate("later")]
    story += [Paragraph(escape(line.text), styles[line.kind]) for line in lines]
    story += [Spacer(1, 5 * mm), headings()]
    for start in range(0, len(body), ROWS_PER_TABLE):
        story.append(Table(body[start : start + ROWS_PER_TABLE], colWidths=widths, style=TableStyle(grid)))
    if signatures:
        signer = ParagraphStyle("signer", parent=styles["line"], fontName=BOLD)
        places = [[Paragraph(escape(name), signer) for name in signatures]]
        places.append([Paragraph("(Ký, ghi rõ họ tên)", styles["line"]) for _name in signatures])
        story += [Spacer(1, 10 * mm), Table(places, colWidths=[usable / len(signatures)] * len(signatures))]

    heading_height = headings().wrap(usable, page_height)[1]

    def headings_on_top(canvas, _document):
        table = headings()
        table.wrapOn(canvas, usable, heading_height)
        table.drawOn(canvas, margin, page_height - margin - heading_height)

    def frame(name, height):
        return Frame(
            margin, foot, usable, height, id=name, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0
        )

    output = io.BytesIO()
    document = BaseDocTemplate(
        output,
        pagesize=(page_width, page_height),
        pageTemplates=[
            PageTemplate("first", [frame("first", page_height - margin - foot)]),
            PageTemplate(
                "later", [frame("later", page_height - margin - foot - heading_height)], onPage=headings_on_top
            ),
        ],
        title=title,
        author=author,
        subject=subject,
        creator="vanphong",
    )
    document.build(story, canvasmaker=NumberedCanvas)
    return output.getvalue()


# The file


FORMATS = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "pdf": ("application/pdf", "pdf"),
}


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    content: bytes


def this_month(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The first and the last day of the month of `today` (Vietnam's today by default)."""
    today = today or timezone.localdate(timezone=timezone.get_default_timezone())
    return today.replace(day=1), today.replace(day=calendar.monthrange(today.year, today.month)[1])


def period_name(date_from: datetime.date, date_to: datetime.date) -> str:
    """'2026-11' for a whole month, '2026' for a whole year, else both days."""
    if (date_from, date_to) == this_month(date_from):
        return f"{date_from:%Y-%m}"
    if (date_from, date_to) == (datetime.date(date_from.year, 1, 1), datetime.date(date_from.year, 12, 31)):
        return f"{date_from:%Y}"
    return f"{date_from:%Y-%m-%d}-{date_to:%Y-%m-%d}"


def export_file(
    *, book: Book, file_format: str, date_from: datetime.date, date_to: datetime.date, content: bytes
) -> ExportFile:
    """`content` (the book drawn in `file_format`) as a file named like so-den-2026-11.xlsx."""
    content_type, extension = FORMATS[file_format]
    filename = f"{book.file_prefix}-{period_name(date_from, date_to)}.{extension}"
    return ExportFile(filename=filename, content_type=content_type, content=content)


# The form that asks for a file

MAX_DAYS = 366
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RegisterChoice(forms.ModelChoiceField):
    """'STC – Sổ văn bản đến'; a register no longer in use says so."""

    def label_from_instance(self, register):
        agency = register.agency.short_name or register.agency.name
        label = f"{agency} – {register.name}"
        return label if register.is_active else _("%(register)s (no longer in use)") % {"register": label}


class PeriodForm(forms.Form):
    """A register (the subclass gives the field and its queryset's model), a period of at most one year and the
    format. The registers offered are passed in: those the person may print."""

    date_from = forms.DateField(widget=DATE_INPUT)
    date_to = forms.DateField(label=gettext_lazy("to"), widget=DATE_INPUT)
    file_format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[("xlsx", gettext_lazy("Excel workbook (.xlsx)")), ("pdf", gettext_lazy("PDF to print (A4)"))],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, registers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["register"].queryset = registers

    def clean(self):
        data = super().clean()
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_from and date_to:
            if date_to < date_from:
                self.add_error("date_to", _("The end of the period comes before its start."))
            elif (date_to - date_from).days >= MAX_DAYS:
                self.add_error("date_to", _("A register is printed for at most one year at a time."))
        return data


# The page that asks for a file


def export_page(request, form, *, export, title: str, intro: str, back_url: str, back_label: str):
    """The form choosing a register, a period and a format (sent with download=1); a valid one answers with the
    file made by `export(**form.cleaned_data)`, served so that the browser downloads it and never runs it."""
    from django.shortcuts import render

    from .files import download_response

    if form.is_bound and form.is_valid():
        try:
            exported = export(**form.cleaned_data)
        except FontMissing as error:
            form.add_error(None, str(error))
        else:
            return download_response(exported.content, filename=exported.filename, content_type=exported.content_type)
    context = {"form": form, "title": title, "intro": intro, "back_url": back_url, "back_label": back_label}
    return render(request, "core/register_export.html", context)
