"""The registers of incoming documents printed from the System (Decree 30/2020, Article 22 and Appendix IV): the sổ
đăng ký văn bản đến and the sổ theo dõi giải quyết văn bản đến of one register for a period, as an Excel workbook and
as an A4 landscape PDF to print, sign and bind.

Titles, column headings and cell texts are the Vietnamese of the legal template, whatever language the reader uses;
only the messages of the page that asks for the file are translated. Rows are read in two queries whatever their
number: the documents (with the person each was presented to) and their current lead assignments. The books are
drawn by vanphong.core.registers, which the register of outgoing documents shares."""

import datetime
from dataclasses import dataclass

from django import forms
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from vanphong.core import registers

# FontMissing, this_month, FORMATS and the rest stay importable from here, as before the drawing of books moved to
# core (the views catch FontMissing). This module's FONT_DIR is the one its PDFs use: point it elsewhere to test.
from vanphong.core.registers import (  # noqa: F401
    DATE,
    FONT_DIR,
    FORMATS,
    MAX_DAYS,
    ROWS_PER_TABLE,
    Book,
    ExportFile,
    FontMissing,
    PeriodForm,
    RegisterChoice,
    TitleLine,
    this_month,
)

from .models import Assignment, IncomingDocument, IncomingRegister
from .selectors import scope_of
from .states import AssignmentState, HandlingState

# The two books (Appendix IV).
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

    @property
    def number(self) -> int:
        return self.incoming_number

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
    def number(self) -> int:
        return self.incoming_number

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
    return ", ".join(registers.marks_of(document))


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


# Excel and PDF (vanphong.core.registers draws them)


def _xlsx(*, book: Book, register, date_from, date_to, rows) -> bytes:
    return registers.write_xlsx(book=book, register=register, date_from=date_from, date_to=date_to, rows=rows)


def _pdf(*, book: Book, register, date_from, date_to, rows) -> bytes:
    """FONT_DIR read here at each call: this module's name for it is the one to change."""
    return registers.write_pdf(
        book=book, register=register, date_from=date_from, date_to=date_to, rows=rows, font_dir=FONT_DIR
    )


def incoming_register_xlsx(*, register, date_from: datetime.date, date_to: datetime.date) -> bytes:
    rows = register_rows(register=register, date_from=date_from, date_to=date_to)
    return _xlsx(book=INCOMING_REGISTER, register=register, date_from=date_from, date_to=date_to, rows=rows)


def follow_up_xlsx(
    *, register, date_from: datetime.date, date_to: datetime.date, today: datetime.date | None = None
) -> bytes:
    rows = follow_up_rows(register=register, date_from=date_from, date_to=date_to, today=today)
    return _xlsx(book=FOLLOW_UP, register=register, date_from=date_from, date_to=date_to, rows=rows)


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


MAKERS = {
    ("register", "xlsx"): incoming_register_xlsx,
    ("register", "pdf"): incoming_register_pdf,
    ("follow_up", "xlsx"): follow_up_xlsx,
    ("follow_up", "pdf"): follow_up_pdf,
}


def export_file(
    *, register, book: str, file_format: str, date_from: datetime.date, date_to: datetime.date
) -> ExportFile:
    """The chosen book of `register` for the period, as a file named like so-den-2026-11.xlsx. The caller has
    checked that the person may read the register (exportable_registers)."""
    content = MAKERS[book, file_format](register=register, date_from=date_from, date_to=date_to)
    return registers.export_file(
        book=BOOKS[book], file_format=file_format, date_from=date_from, date_to=date_to, content=content
    )


class ExportForm(PeriodForm):
    # "Register" alone is the verb (vào sổ) in the catalogue: the model's own name is the noun.
    register = RegisterChoice(
        queryset=IncomingRegister.objects.none(), label=capfirst(IncomingRegister._meta.verbose_name), empty_label=None
    )
    date_from = forms.DateField(label=gettext_lazy("Arrived from"), widget=registers.DATE_INPUT)
    book = forms.ChoiceField(
        label=gettext_lazy("Book"),
        # The books' legal names, the same in every language.
        choices=[(key, book.title.capitalize()) for key, book in BOOKS.items()],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    field_order = ("register", "date_from", "date_to", "book", "file_format")
