"""The registers of incoming documents printed from the System (Decree 30/2020, Article 22 and Appendix IV): the sổ
đăng ký văn bản đến and the sổ theo dõi giải quyết văn bản đến of one register for a period, as an Excel workbook and
as an A4 landscape PDF to print, sign and bind.

Titles, column headings and cell texts are the Vietnamese of the legal template, whatever language the reader uses;
only the messages of the page that asks for the file are translated. Rows are read in two queries whatever their
number: the documents (with the person each was presented to) and their current lead assignments."""

import calendar
import datetime
import io
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from django import forms
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import capfirst
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

from vanphong.core.document_types import Secrecy, Urgency

from .errors import IncomingError
from .models import Assignment, IncomingDocument, IncomingRegister
from .selectors import scope_of
from .states import AssignmentState, HandlingState

# Debian's fonts-dejavu-core: the PDF's core fonts have no Vietnamese letters, DejaVu Sans has them all.
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {"DejaVuSans": "DejaVuSans.ttf", "DejaVuSans-Bold": "DejaVuSans-Bold.ttf"}
FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"

DATE = "%d/%m/%Y"
XLSX_DATE = "dd/mm/yyyy"


class FontMissing(IncomingError):
    """The PDF cannot be drawn: the server lacks the font with Vietnamese letters."""


# The two books (Appendix IV). Headings are fixed by the legal template: Vietnamese in every language.
@dataclass(frozen=True)
class Book:
    key: str
    title: str
    columns: tuple[str, ...]
    widths: tuple[float, ...]  # relative; Excel characters and PDF width are both scaled from these
    file_prefix: str
    sheet_title: str


INCOMING_REGISTER = Book(
    key="register",
    title="SỔ ĐĂNG KÝ VĂN BẢN ĐẾN",
    columns=(
        "Ngày đến",
        "Số đến",
        "Tác giả (nơi gửi)",
        "Số, ký hiệu VB",
        "Ngày tháng VB",
        "Tên loại và trích yếu nội dung",
        "Đơn vị hoặc người nhận",
        "Ký nhận",
        "Ghi chú",
    ),
    widths=(13, 7, 21, 16, 13, 41, 21, 11, 14),
    file_prefix="so-den",
    sheet_title="Sổ đăng ký VB đến",
)
FOLLOW_UP = Book(
    key="follow_up",
    title="SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN",
    columns=(
        "Số đến",
        "Tên loại, số, ký hiệu, ngày tháng, cơ quan ban hành",
        "Đơn vị/người nhận",
        "Thời hạn giải quyết",
        "Tiến độ giải quyết",
        "Số, ký hiệu VB trả lời",
        "Ghi chú",
    ),
    widths=(7, 47, 24, 13, 28, 16, 14),
    file_prefix="so-theo-doi",
    sheet_title="Sổ theo dõi giải quyết",
)
BOOKS = {book.key: book for book in (INCOMING_REGISTER, FOLLOW_UP)}

URGENCY_MARKS = {Urgency.URGENT: "Khẩn", Urgency.VERY_URGENT: "Thượng khẩn", Urgency.EXPRESS: "Hỏa tốc"}
SECRECY_MARKS = {Secrecy.CONFIDENTIAL: "Mật", Secrecy.SECRET: "Tối mật", Secrecy.TOP_SECRET: "Tuyệt mật"}
PROGRESS = {
    HandlingState.RECEIVED: "Chưa vào sổ",
    HandlingState.REGISTERED: "Đã vào sổ, chưa trình",
    HandlingState.PRESENTED: "Đang trình lãnh đạo cho ý kiến",
    HandlingState.IN_PROGRESS: "Đang giải quyết",
    HandlingState.DONE: "Đã giải quyết",
    HandlingState.REJECTED: "Đã trả lại nơi gửi",
}
OVERDUE = "quá hạn"


# Rows


@dataclass(frozen=True)
class RegisterRow:
    """One line of the sổ đăng ký văn bản đến."""

    arrived_on: datetime.date
    incoming_number: int
    issuer: str
    reference: str
    document_date: datetime.date
    type_and_summary: str
    recipient: str
    note: str

    def cells(self) -> tuple:
        signature = None  # Ký nhận: signed on paper
        return (
            self.arrived_on,
            self.incoming_number,
            self.issuer,
            self.reference,
            self.document_date,
            self.type_and_summary,
            self.recipient,
            signature,
            self.note,
        )

    marked_columns = frozenset()


@dataclass(frozen=True)
class FollowUpRow:
    """One line of the sổ theo dõi giải quyết văn bản đến."""

    incoming_number: int
    document: str
    recipient: str
    deadline: datetime.date | None
    progress: str
    overdue: bool
    reply_reference: str  # Số, ký hiệu VB trả lời: filled in once outgoing replies are linked
    note: str

    def cells(self) -> tuple:
        return (
            self.incoming_number,
            self.document,
            self.recipient,
            self.deadline,
            self.progress,
            self.reply_reference or None,
            self.note,
        )

    @property
    def marked_columns(self) -> frozenset[int]:
        return frozenset({4}) if self.overdue else frozenset()


def _documents(*, register, date_from: datetime.date, date_to: datetime.date) -> list[IncomingDocument]:
    """Registered documents of `register` that arrived between the two days (Vietnam time), by year and number."""
    zone = timezone.get_default_timezone()
    start = datetime.datetime.combine(date_from, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    current_leads = (
        Assignment.objects.filter(role=Assignment.Role.LEAD, parent__isnull=True)
        .exclude(state__in=(AssignmentState.RETURNED, AssignmentState.RECALLED))
        .select_related("assignee_unit", "assignee_person")
        .order_by("-assigned_at", "-pk")
    )
    return list(
        IncomingDocument.objects.filter(
            register=register, incoming_number__isnull=False, arrived_at__gte=start, arrived_at__lt=end
        )
        .select_related("presented_to")
        .prefetch_related(Prefetch("assignments", queryset=current_leads, to_attr="current_leads"))
        .order_by("year", "incoming_number")
    )


def _recipient(document: IncomingDocument) -> str:
    """Đơn vị hoặc người nhận: the unit or person leading the handling, else the leader it was presented to."""
    if document.current_leads:
        lead = document.current_leads[0]
        return lead.assignee_unit.name if lead.assignee_unit_id else str(lead.assignee_person)
    return str(document.presented_to) if document.presented_to_id else ""


def _note(document: IncomingDocument) -> str:
    marks = (URGENCY_MARKS.get(document.urgency), SECRECY_MARKS.get(document.secrecy))
    return ", ".join(mark for mark in marks if mark)


def _reference(document: IncomingDocument) -> str:
    return "/".join(part for part in (document.number, document.notation) if part)


def register_rows(*, register, date_from: datetime.date, date_to: datetime.date) -> list[RegisterRow]:
    """The lines of the sổ đăng ký văn bản đến: documents registered in `register` that arrived (Vietnam time)
    from `date_from` to `date_to` included, by year and incoming number."""
    return [
        RegisterRow(
            arrived_on=timezone.localtime(document.arrived_at, timezone.get_default_timezone()).date(),
            incoming_number=document.incoming_number,
            issuer=document.issuer_name,
            reference=_reference(document),
            document_date=document.document_date,
            type_and_summary=f"{document.get_document_type_display()}: {document.summary}",
            recipient=_recipient(document),
            note=_note(document),
        )
        for document in _documents(register=register, date_from=date_from, date_to=date_to)
    ]


def _progress(document: IncomingDocument, today: datetime.date) -> tuple[str, bool]:
    """Tiến độ giải quyết: the handling state, the completion day once done; late or overdue work is marked."""
    text = PROGRESS.get(document.state, document.get_state_display())
    if document.state == HandlingState.DONE and document.completed_at is not None:
        completed_on = timezone.localtime(document.completed_at, timezone.get_default_timezone()).date()
        text = f"{text} ngày {completed_on:{DATE}}"
        overdue = document.deadline is not None and completed_on > document.deadline
    else:
        still_open = document.state not in (HandlingState.DONE, HandlingState.REJECTED)
        overdue = still_open and document.deadline is not None and today > document.deadline
    return (f"{text} – {OVERDUE}" if overdue else text), overdue


def _described(document: IncomingDocument) -> str:
    """'Quyết định số 12/QĐ-UBND ngày 05/11/2026 của Ủy ban nhân dân tỉnh Nghệ An'."""
    parts = [document.get_document_type_display()]
    if reference := _reference(document):
        parts.append(f"số {reference}")
    parts.append(f"ngày {document.document_date:{DATE}}")
    parts.append(f"của {document.issuer_name}")
    return " ".join(parts)


def follow_up_rows(
    *, register, date_from: datetime.date, date_to: datetime.date, today: datetime.date | None = None
) -> list[FollowUpRow]:
    """`today` decides what is overdue; Vietnam's today by default."""
    today = today or timezone.localdate(timezone=timezone.get_default_timezone())
    rows = []
    for document in _documents(register=register, date_from=date_from, date_to=date_to):
        progress, overdue = _progress(document, today)
        rows.append(
            FollowUpRow(
                incoming_number=document.incoming_number,
                document=_described(document),
                recipient=_recipient(document),
                deadline=document.deadline,
                progress=progress,
                overdue=overdue,
                reply_reference="",
                note=_note(document),
            )
        )
    return rows


# Title block (the register's cover lines, Appendix IV)


@dataclass(frozen=True)
class TitleLine:
    text: str
    kind: str  # "agency" (top left, upper case, bold), "title" (centred, large, bold) or "line" (centred)


def _title_block(*, book: Book, register, date_from, date_to, numbers: list[int]) -> list[TitleLine]:
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


# Excel


def _xlsx(*, book: Book, register, date_from, date_to, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = book.sheet_title
    width = len(book.columns)
    last_column = get_column_letter(width)
    title = _title_block(
        book=book,
        register=register,
        date_from=date_from,
        date_to=date_to,
        numbers=[row.incoming_number for row in rows],
    )
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


def incoming_register_xlsx(*, register, date_from: datetime.date, date_to: datetime.date) -> bytes:
    rows = register_rows(register=register, date_from=date_from, date_to=date_to)
    return _xlsx(book=INCOMING_REGISTER, register=register, date_from=date_from, date_to=date_to, rows=rows)


def follow_up_xlsx(
    *, register, date_from: datetime.date, date_to: datetime.date, today: datetime.date | None = None
) -> bytes:
    rows = follow_up_rows(register=register, date_from=date_from, date_to=date_to, today=today)
    return _xlsx(book=FOLLOW_UP, register=register, date_from=date_from, date_to=date_to, rows=rows)


# PDF


def _register_fonts() -> None:
    """Checked on every PDF, so that a font removed after start-up still gives the clear message."""
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, filename in FONT_FILES.items():
        path = FONT_DIR / filename
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


class _NumberedCanvas(Canvas):
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


def _pdf(*, book: Book, register, date_from, date_to, rows) -> bytes:
    """The title block and the column headings on the first page, the headings again at the top of every later
    page. The rows go in small tables one after the other: one long table is split page by page at a cost that
    grows with the square of its length (10,000 rows: 43 s as one table, 16 s this way; 1,000 rows: 1.3 s)."""
    _register_fonts()
    page_width, page_height = landscape(A4)
    margin, foot = 12 * mm, 15 * mm
    usable = page_width - 2 * margin
    widths = [usable * width / sum(book.widths) for width in book.widths]
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
        table = Table([[Paragraph(escape(name), heading) for name in book.columns]], colWidths=widths)
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
    title = _title_block(
        book=book,
        register=register,
        date_from=date_from,
        date_to=date_to,
        numbers=[row.incoming_number for row in rows],
    )
    story = [NextPageTemplate("later")]
    story += [Paragraph(escape(line.text), styles[line.kind]) for line in title]
    story += [Spacer(1, 5 * mm), headings()]
    for start in range(0, len(body), ROWS_PER_TABLE):
        story.append(Table(body[start : start + ROWS_PER_TABLE], colWidths=widths, style=TableStyle(grid)))

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
        title=f"{book.title} – {register.agency.name}",
        author=register.agency.name,
        subject=register.name,
        creator="vanphong",
    )
    document.build(story, canvasmaker=_NumberedCanvas)
    return output.getvalue()


def incoming_register_pdf(*, register, date_from: datetime.date, date_to: datetime.date) -> bytes:
    rows = register_rows(register=register, date_from=date_from, date_to=date_to)
    return _pdf(book=INCOMING_REGISTER, register=register, date_from=date_from, date_to=date_to, rows=rows)


def follow_up_pdf(
    *, register, date_from: datetime.date, date_to: datetime.date, today: datetime.date | None = None
) -> bytes:
    rows = follow_up_rows(register=register, date_from=date_from, date_to=date_to, today=today)
    return _pdf(book=FOLLOW_UP, register=register, date_from=date_from, date_to=date_to, rows=rows)


# The page that asks for a file


def exportable_registers(person):
    """Registers of the agencies where the person acts as clerk, head or deputy head (delegations included),
    those no longer in use too: last year's book is printed in January."""
    return (
        IncomingRegister.objects.filter(agency_id__in=scope_of(person).whole_agency_ids)
        .select_related("agency__parent")
        .order_by("agency__name", "-is_active", "name")
    )


FORMATS = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "pdf": ("application/pdf", "pdf"),
}
MAKERS = {
    ("register", "xlsx"): incoming_register_xlsx,
    ("register", "pdf"): incoming_register_pdf,
    ("follow_up", "xlsx"): follow_up_xlsx,
    ("follow_up", "pdf"): follow_up_pdf,
}
MAX_DAYS = 366


def _period_name(date_from: datetime.date, date_to: datetime.date) -> str:
    """'2026-11' for a whole month, '2026' for a whole year, else both days."""
    if (date_from, date_to) == this_month(date_from):
        return f"{date_from:%Y-%m}"
    if (date_from, date_to) == (datetime.date(date_from.year, 1, 1), datetime.date(date_from.year, 12, 31)):
        return f"{date_from:%Y}"
    return f"{date_from:%Y-%m-%d}-{date_to:%Y-%m-%d}"


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    content: bytes


def export_file(
    *, register, book: str, file_format: str, date_from: datetime.date, date_to: datetime.date
) -> ExportFile:
    """The chosen book of `register` for the period, as a file named like so-den-2026-11.xlsx. The caller has
    checked that the person may read the register (exportable_registers)."""
    content_type, extension = FORMATS[file_format]
    content = MAKERS[book, file_format](register=register, date_from=date_from, date_to=date_to)
    filename = f"{BOOKS[book].file_prefix}-{_period_name(date_from, date_to)}.{extension}"
    return ExportFile(filename=filename, content_type=content_type, content=content)


def this_month(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The first and the last day of the month of `today` (Vietnam's today by default)."""
    today = today or timezone.localdate(timezone=timezone.get_default_timezone())
    return today.replace(day=1), today.replace(day=calendar.monthrange(today.year, today.month)[1])


class RegisterChoice(forms.ModelChoiceField):
    def label_from_instance(self, register):
        agency = register.agency.short_name or register.agency.name
        label = f"{agency} – {register.name}"
        return label if register.is_active else _("%(register)s (no longer in use)") % {"register": label}


DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ExportForm(forms.Form):
    # "Register" alone is the verb (vào sổ) in the catalogue: the model's own name is the noun.
    register = RegisterChoice(
        queryset=IncomingRegister.objects.none(), label=capfirst(IncomingRegister._meta.verbose_name), empty_label=None
    )
    date_from = forms.DateField(label=gettext_lazy("Arrived from"), widget=DATE_INPUT)
    date_to = forms.DateField(label=gettext_lazy("to"), widget=DATE_INPUT)
    book = forms.ChoiceField(
        label=gettext_lazy("Book"),
        # The books' legal names, the same in every language.
        choices=[(key, book.title.capitalize()) for key, book in BOOKS.items()],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
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
