"""The register of outgoing documents printed from the System (Decree 30/2020, Article 15 and Appendix IV): the sổ
đăng ký văn bản đi of one register for a period, as an Excel workbook and as an A4 landscape PDF to print, sign and
bind. vanphong.core.registers draws the book; this module gives its columns and its rows.

A document is listed once numbered (cấp số), on its document date, by number; one recalled or replaced later stays
listed with a note. Titles, column headings and cell texts are the Vietnamese of the legal template, whatever
language the reader uses. Rows are read in two queries whatever their number: the documents (with their signer and
drafting unit) and their recipients."""

import datetime
from dataclasses import dataclass

from django import forms
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from vanphong.core import registers
from vanphong.core.registers import DATE_INPUT, Book, ExportFile, PeriodForm, RegisterChoice
from vanphong.organizations.models import Agency, Delegation
from vanphong.organizations.selectors import current_positions

from .models import OutgoingDocument, OutgoingRegister, Recipient
from .permissions import is_clerk_of, is_leader_of
from .states import DocumentState

OUTGOING_REGISTER = Book(
    key="register",
    title="SỔ ĐĂNG KÝ VĂN BẢN ĐI",
    columns=(
        "Số, ký hiệu VB",
        "Ngày tháng VB",
        "Tên loại và trích yếu nội dung",
        "Người ký",
        "Nơi nhận VB",
        "Đơn vị, người nhận bản lưu",
        "Số lượng bản",
        "Ngày chuyển",
        "Ký nhận",
        "Ghi chú",
    ),
    widths=(15, 12, 38, 20, 29, 18, 9, 12, 11, 14),
    file_prefix="so-di",
    sheet_title="Sổ đăng ký VB đi",
)
NOTE_COLUMN = OUTGOING_REGISTER.columns.index("Ghi chú")
WITHDRAWN = {DocumentState.RECALLED: "Đã thu hồi", DocumentState.REPLACED: "Đã bị thay thế"}


@dataclass(frozen=True)
class OutgoingRow:
    """One line of the sổ đăng ký văn bản đi."""

    number: int
    reference: str
    document_date: datetime.date
    type_and_summary: str
    signer: str
    recipients: str
    archive: str  # Đơn vị, người nhận bản lưu: the drafting unit keeps the file copy
    copies: int
    sent_on: datetime.date | None  # Ngày chuyển: the day it was issued
    note: str
    withdrawn: bool

    def cells(self) -> tuple:
        signature = None  # Ký nhận: signed on paper
        return (
            self.reference,
            self.document_date,
            self.type_and_summary,
            self.signer,
            self.recipients or None,
            self.archive,
            self.copies,
            self.sent_on,
            signature,
            self.note or None,
        )

    @property
    def marked_columns(self) -> frozenset[int]:
        return frozenset({NOTE_COLUMN}) if self.withdrawn else frozenset()


def _documents(*, register, date_from: datetime.date, date_to: datetime.date) -> list[OutgoingDocument]:
    """Documents numbered in `register` with a document date from `date_from` to `date_to` included, by number."""
    return list(
        OutgoingDocument.objects.filter(
            register=register, number__isnull=False, issued_on__gte=date_from, issued_on__lte=date_to
        )
        .select_related("signer", "drafting_unit")
        .prefetch_related(Prefetch("recipients", queryset=Recipient.objects.order_by("pk")))
        .order_by("year", "number")
    )


def _signer(document: OutgoingDocument) -> str:
    """Người ký: 'KT. PHÓ GIÁM ĐỐC Lê Thị Mai' – the signing authority, the title, the name."""
    name = document.signer.get_full_name() or document.signer.username
    return " ".join(part for part in (document.authority, document.signer_title, name) if part)


def _recipients(document: OutgoingDocument) -> str:
    """Nơi nhận VB: the recipients chosen, then the other lines typed under “Nơi nhận”."""
    names = [recipient.name for recipient in document.recipients.all()]
    names += [line.strip() for line in document.other_recipients.splitlines() if line.strip()]
    return "; ".join(names)


def _note(document: OutgoingDocument) -> str:
    notes = registers.marks_of(document)
    if withdrawn := WITHDRAWN.get(document.state):
        notes.append(withdrawn)
    return ", ".join(notes)


def register_rows(*, register, date_from: datetime.date, date_to: datetime.date) -> list[OutgoingRow]:
    """The lines of the sổ đăng ký văn bản đi: documents numbered in `register` and dated (issued_on) from
    `date_from` to `date_to` included, by year and number."""
    zone = timezone.get_default_timezone()
    return [
        OutgoingRow(
            number=document.number,
            reference=document.reference,
            document_date=document.issued_on,
            type_and_summary=f"{document.get_document_type_display()}: {document.summary}",
            signer=_signer(document),
            recipients=_recipients(document),
            archive=document.drafting_unit.name,
            copies=document.copies,
            sent_on=timezone.localtime(document.issued_at, zone).date() if document.issued_at else None,
            note=_note(document),
            withdrawn=document.state in WITHDRAWN,
        )
        for document in _documents(register=register, date_from=date_from, date_to=date_to)
    ]


def outgoing_register_xlsx(*, register, date_from: datetime.date, date_to: datetime.date) -> bytes:
    rows = register_rows(register=register, date_from=date_from, date_to=date_to)
    return registers.write_xlsx(
        book=OUTGOING_REGISTER, register=register, date_from=date_from, date_to=date_to, rows=rows
    )


def outgoing_register_pdf(*, register, date_from: datetime.date, date_to: datetime.date) -> bytes:
    """FontMissing (vanphong.core.registers) when the server lacks the font with Vietnamese letters."""
    rows = register_rows(register=register, date_from=date_from, date_to=date_to)
    return registers.write_pdf(
        book=OUTGOING_REGISTER, register=register, date_from=date_from, date_to=date_to, rows=rows
    )


# The page that asks for a file


def _agencies_in_charge(person) -> list[int]:
    """The agencies where the person acts today as clerk, head or deputy head, delegations included."""
    today = timezone.localdate()
    delegated = Delegation.objects.filter(
        delegate=person, starts_on__lte=today, ends_on__gte=today, revoked_at__isnull=True
    ).values("position__agency")
    candidates = Agency.objects.filter(pk__in=current_positions(person).values("agency")) | Agency.objects.filter(
        pk__in=delegated
    )
    return [
        agency.pk for agency in candidates.distinct() if is_clerk_of(person, agency) or is_leader_of(person, agency)
    ]


def exportable_registers(person):
    """Registers of the agencies where the person acts as clerk, head or deputy head today, those no longer in use
    too: last year's book is printed in January."""
    return (
        OutgoingRegister.objects.filter(agency_id__in=_agencies_in_charge(person))
        .select_related("agency__parent")
        .order_by("agency__name", "-is_active", "name")
    )


MAKERS = {"xlsx": outgoing_register_xlsx, "pdf": outgoing_register_pdf}


def export_file(*, register, file_format: str, date_from: datetime.date, date_to: datetime.date) -> ExportFile:
    """The register's book for the period, as a file named like so-di-2026-11.xlsx. The caller has checked that
    the person may print the register (exportable_registers)."""
    content = MAKERS[file_format](register=register, date_from=date_from, date_to=date_to)
    return registers.export_file(
        book=OUTGOING_REGISTER, file_format=file_format, date_from=date_from, date_to=date_to, content=content
    )


class ExportForm(PeriodForm):
    """The register, the period (document dates) and the format; the registers offered are passed in."""

    register = RegisterChoice(
        queryset=OutgoingRegister.objects.none(), label=capfirst(OutgoingRegister._meta.verbose_name), empty_label=None
    )
    date_from = forms.DateField(label=capfirst(gettext_lazy("from")), widget=DATE_INPUT)
    field_order = ("register", "date_from", "date_to", "file_format")
