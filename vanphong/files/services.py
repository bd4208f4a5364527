"""Every write to work files: the file plan, opening and closing files, adding documents, the hand-over to the
archive, acceptance, fixity checks, packages and destruction. Keyword-only arguments; the permission is checked
inside; one transaction; an audit entry; a refusal raises FilesError with the Vietnamese text the user sees."""

import datetime
import hashlib
import io
import re

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from vanphong.audit.services import record
from vanphong.core.files import open_stored, store
from vanphong.incoming.selectors import visible_documents
from vanphong.notifications.services import notify
from vanphong.organizations.models import Role
from vanphong.organizations.selectors import acting_holders, acts_for
from vanphong.outgoing import permissions as outgoing_permissions

from . import exports, permissions
from .errors import FilesError, MissingMetadata, NotVisible, RowsRefused
from .models import (
    AccessLog,
    DestructionProposal,
    DestructionRecord,
    FileItem,
    FilePlan,
    Handover,
    ItemFile,
    ItemKind,
    PlanHeading,
    PlannedFile,
    WorkFile,
)
from .states import FileState
from .states import work_file as machine

S = FileState
CHUNK = 1024 * 1024


def _snapshot(work_file: WorkFile) -> dict:
    return {
        "file_code": work_file.file_code,
        "title": work_file.title,
        "state": work_file.state,
        "doc_total": work_file.doc_total,
        "page_total": work_file.page_total,
    }


def _audit(action, work_file, by, **extra):
    record(action, obj=work_file, actor=by, after={**_snapshot(work_file), **extra})


def _url(work_file) -> str:
    return f"/records/{work_file.pk}/"


def file_code(agency, year: int, notation: str) -> str:
    """FileCode = OrganId + FileCatalog + FileNotation (Decree 30 Appendix VI), joined by dots."""
    return ".".join(str(part) for part in (agency.code, year, notation) if part)


def _refuse_if_archived(work_file):
    if work_file.state in (S.SUBMITTED, S.ARCHIVED, S.DESTROYED):
        raise FilesError(_("This file has been handed over to the archive and can no longer be changed."))


# The file plan (danh mục hồ sơ)

ROMAN = re.compile(r"^[IVXLCDM]+$")
RETENTION = re.compile(r"^(\d{1,3})(\s*năm)?$", re.IGNORECASE)
HEADING_ABBREVIATION = re.compile(r"^(.*?)\s*\(([^()]+)\)$")


def parse_retention(text) -> tuple[bool, int | None] | None:
    """("Vĩnh viễn" -> permanent) or ("10 năm" / "10" -> 10 years); None when it is neither."""
    value = str(text or "").strip()
    if value.lower() == "vĩnh viễn":
        return True, None
    match = RETENTION.match(value)
    if match and int(match.group(1)) > 0:
        return False, int(match.group(1))
    return None


def _plan_keeper(person, agency):
    if not (permissions.keeps_archive(person, agency) or permissions.heads(person, agency)):
        raise NotVisible(_("Only the clerk or the head of the agency manages its file plan."))


@transaction.atomic
def start_year_plan(*, agency, year: int, by) -> FilePlan:
    """The file plan of `year`, starting as a copy of last year's (headings and planned files), not yet approved."""
    _plan_keeper(by, agency)
    if FilePlan.objects.filter(agency=agency, year=year).exists():
        raise FilesError(_("The file plan of %(year)s already exists.") % {"year": year})
    plan = FilePlan.objects.create(agency=agency, year=year, created_by=by)
    previous = FilePlan.objects.filter(agency=agency, year=year - 1).first()
    if previous is not None:
        headings = {}
        for heading in previous.headings.all():
            headings[heading.pk] = PlanHeading.objects.create(
                plan=plan,
                numeral=heading.numeral,
                title=heading.title,
                abbreviation=heading.abbreviation,
                order=heading.order,
            )
        for planned in previous.planned_files.all():
            PlannedFile.objects.create(
                plan=plan,
                heading=headings.get(planned.heading_id),
                notation=planned.notation,
                title=planned.title,
                permanent=planned.permanent,
                retention_years=planned.retention_years,
                responsible=planned.responsible,
                note=planned.note,
                order=planned.order,
            )
    record("files.plan_started", obj=plan, actor=by, after={"year": year, "copied_from": previous and previous.year})
    return plan


@transaction.atomic
def approve_plan(*, plan: FilePlan, by) -> FilePlan:
    if not permissions.heads(by, plan.agency):
        raise NotVisible(_("Only the head of the agency approves the file plan."))
    plan.approved = True
    plan.save(update_fields=["approved"])
    record("files.plan_approved", obj=plan, actor=by, after={"year": plan.year})
    return plan


def export_plan(*, plan: FilePlan, by) -> bytes:
    if not permissions.works_in(by, plan.agency):
        raise NotVisible(_("Only the agency's staff read its file plan."))
    return exports.plan_workbook(plan)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_plan_rows(content: bytes) -> tuple[list[tuple], list[str]]:
    """The headings and planned files of a workbook laid out as Appendix V, and the errors found, one per bad row
    with its row number. Rows above the column headings (the title) are skipped."""
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        rows = list(sheet.iter_rows(values_only=True))
    except Exception as error:
        raise FilesError(_("This file is not an Excel workbook (.xlsx).")) from error
    start = next(
        (n for n, row in enumerate(rows) if row and _cell(row[0]).lower() == exports.PLAN_COLUMNS[0].lower()), None
    )
    if start is None:
        raise FilesError(
            _("The column headings were not found: the first column must be “%(heading)s”.")
            % {"heading": exports.PLAN_COLUMNS[0]}
        )
    entries, errors = [], []
    for number, row in enumerate(rows[start + 1 :], start=start + 2):
        cells = [_cell(v) for v in (list(row) + [None] * 5)[:5]]
        if not any(cells):
            continue
        notation, title, retention, responsible, note = cells
        if ROMAN.match(notation) and not retention:
            match = HEADING_ABBREVIATION.match(title)
            heading_title, abbreviation = (match.group(1), match.group(2)) if match else (title, "")
            if not heading_title:
                errors.append(_("Row %(row)s: the heading has no title.") % {"row": number})
            entries.append(("heading", notation, heading_title, abbreviation.strip()))
            continue
        problems = []
        if not notation:
            problems.append(_("the file number and notation is missing"))
        elif len(notation) > 20:
            problems.append(_("the file number and notation is longer than 20 characters"))
        if not title:
            problems.append(_("the title is missing"))
        parsed = parse_retention(retention)
        if parsed is None:
            problems.append(
                _("the retention “%(value)s” is not valid (write “Vĩnh viễn” or a number of years, e.g. “10 năm”)")
                % {"value": retention}
            )
        if problems:
            errors.append(_("Row %(row)s: %(problems)s.") % {"row": number, "problems": "; ".join(problems)})
            continue
        entries.append(("file", notation, title, parsed, responsible, note))
    return entries, errors


@transaction.atomic
def import_plan(*, plan: FilePlan, content: bytes, by) -> FilePlan:
    """Replaces the plan's headings and planned files with those of the workbook. Any bad row: nothing imported,
    and the message lists every bad row with its number."""
    _plan_keeper(by, plan.agency)
    if plan.approved:
        raise FilesError(_("The file plan is approved and can no longer be changed."))
    entries, errors = read_plan_rows(content)
    if errors:
        raise RowsRefused(_("Nothing was imported.") + " " + " ".join(errors), errors)
    plan.planned_files.all().delete()
    plan.headings.all().delete()
    heading = None
    for order, entry in enumerate(entries):
        if entry[0] == "heading":
            heading = PlanHeading.objects.create(
                plan=plan, numeral=entry[1], title=entry[2], abbreviation=entry[3], order=order
            )
            continue
        _kind, notation, title, (permanent, years), responsible, note = entry
        PlannedFile.objects.create(
            plan=plan,
            heading=heading,
            notation=notation,
            title=title,
            permanent=permanent,
            retention_years=years,
            responsible=responsible,
            note=note,
            order=order,
        )
    record("files.plan_imported", obj=plan, actor=by, after={"rows": len(entries)})
    return plan


# Opening a file and filling it


@transaction.atomic
def open_file(
    *,
    agency,
    by,
    title: str = "",
    notation: str = "",
    year: int | None = None,
    planned_file: PlannedFile | None = None,
    permanent: bool = False,
    retention_years: int | None = None,
    start_date: datetime.date | None = None,
    rights: str = "",
    description: str = "",
) -> WorkFile:
    """Mở hồ sơ: from a planned file (its notation, title and retention are taken over), or ad hoc with the
    person's own title, notation and retention."""
    if not permissions.works_in(by, agency):
        raise NotVisible(_("Only the agency's staff open its files."))
    if planned_file is not None:
        if planned_file.plan.agency_id != agency.pk:
            raise NotVisible(_("This planned file belongs to another agency."))
        notation, title = notation or planned_file.notation, title or planned_file.title
        permanent, retention_years = planned_file.permanent, planned_file.retention_years
        year = year or planned_file.plan.year
    year = year or timezone.localdate().year
    notation, title = notation.strip(), title.strip()
    if not title or not notation:
        raise FilesError(_("Give the file a title and a number and notation."))
    if WorkFile.objects.filter(agency=agency, year=year, notation=notation).exists():
        raise FilesError(
            _("A file numbered %(notation)s already exists for %(year)s.") % {"notation": notation, "year": year}
        )
    position = permissions.current_positions(by).filter(agency=agency).first()
    work_file = WorkFile.objects.create(
        agency=agency,
        year=year,
        notation=notation,
        file_code=file_code(agency, year, notation),
        title=title,
        permanent=permanent,
        retention_years=retention_years,
        rights=rights,
        creator=by,
        creator_name=(getattr(by, "full_name", "") or by.get_username())[:150],
        unit=position.unit if position else None,
        start_date=start_date or timezone.localdate(),
        description=description,
        planned_file=planned_file,
    )
    _audit("files.opened", work_file, by)
    return work_file


EDITABLE = ("title", "permanent", "retention_years", "rights", "language", "start_date", "end_date", "description")


@transaction.atomic
def update_file(*, work_file: WorkFile, by, **changes) -> WorkFile:
    """Supplement or correct the file's metadata, while it is with its maker."""
    work_file = WorkFile.objects.select_for_update().get(pk=work_file.pk)
    _refuse_if_archived(work_file)
    if not permissions.makes_file(by, work_file):
        raise NotVisible(_("Only the person making this file changes it."))
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(work_file, name, value)
    work_file.save()
    _audit("files.updated", work_file, by, changed=sorted(changes))
    return work_file


def _next_ordinal(work_file) -> int:
    last = work_file.items.order_by("-ordinal").values_list("ordinal", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def add_document(
    *,
    work_file: WorkFile,
    by,
    incoming=None,
    outgoing=None,
    upload=None,
    filename: str = "",
    metadata: dict | None = None,
) -> FileItem:
    """Put a document in the file: an incoming or an outgoing document the person may open, or an internal
    document uploaded with its metadata typed in. Its metadata is copied, so the file keeps it once archived."""
    work_file = WorkFile.objects.select_for_update().get(pk=work_file.pk)
    _refuse_if_archived(work_file)
    if not permissions.makes_file(by, work_file):
        raise NotVisible(_("Only the person making this file adds documents to it."))
    if work_file.state != S.OPEN:
        raise FilesError(_("The file is closed: reopen it to add documents."))
    if sum(x is not None for x in (incoming, outgoing, upload)) != 1:
        raise ValueError("Exactly one of incoming, outgoing, upload")
    common = {"work_file": work_file, "ordinal": _next_ordinal(work_file), "added_by": by}
    if incoming is not None:
        if not visible_documents(by).filter(pk=incoming.pk).exists():
            raise NotVisible(_("You cannot open this document."))
        if work_file.items.filter(incoming=incoming).exists():
            raise FilesError(_("This document is already in the file."))
        item = FileItem.objects.create(
            **common,
            kind=ItemKind.INCOMING,
            incoming=incoming,
            type_name=incoming.get_document_type_display(),
            code_number=incoming.number,
            code_notation=incoming.notation,
            issued_date=incoming.document_date,
            organ_name=incoming.issuer_name[:200],
            subject=incoming.summary,
            page_amount=incoming.page_count,
        )
        for attachment in incoming.attachments.all():
            ItemFile.objects.create(item=item, stored_file=attachment.stored_file, filename=attachment.filename)
    elif outgoing is not None:
        if not outgoing_permissions.can_see(by, outgoing):
            raise NotVisible(_("You cannot open this document."))
        if work_file.items.filter(outgoing=outgoing).exists():
            raise FilesError(_("This document is already in the file."))
        item = FileItem.objects.create(
            **common,
            kind=ItemKind.OUTGOING,
            outgoing=outgoing,
            type_name=outgoing.get_document_type_display(),
            code_number=str(outgoing.number or ""),
            code_notation=outgoing.notation,
            issued_date=outgoing.issued_on,
            organ_name=outgoing.agency.name[:200],
            subject=outgoing.summary,
            page_amount=outgoing.page_count,
        )
        if outgoing.issued_file_id:
            reference = "/".join(filter(None, (str(outgoing.number or ""), outgoing.notation))) or "van-ban"
            ItemFile.objects.create(
                item=item, stored_file=outgoing.issued_file, filename=f"{reference.replace('/', '-')}.pdf"
            )
        for attachment in outgoing.attachments.all():
            stored = attachment.issued_file or attachment.stored_file
            ItemFile.objects.create(item=item, stored_file=stored, filename=attachment.filename)
    else:
        data = dict(metadata or {})
        if not str(data.get("subject", "")).strip():
            raise FilesError(_("Type the summary (trích yếu) of the document."))
        stored = store(upload=upload, filename=filename)
        item = FileItem.objects.create(
            **common,
            kind=ItemKind.UPLOAD,
            **{k: v for k, v in data.items() if k in UPLOAD_FIELDS},
        )
        ItemFile.objects.create(item=item, stored_file=stored, filename=filename)
    record("files.document_added", obj=work_file, actor=by, after={"ordinal": item.ordinal, "subject": item.subject})
    return item


UPLOAD_FIELDS = (
    "type_name",
    "code_number",
    "code_notation",
    "issued_date",
    "organ_name",
    "subject",
    "language",
    "page_amount",
    "description",
)


def missing_metadata(work_file: WorkFile) -> list[str]:
    """The required metadata of Appendix VI not filled in yet, as the user reads them."""
    missing = []
    if not work_file.title.strip():
        missing.append(pgettext("file metadata", "title"))
    if not work_file.permanent and not work_file.retention_years:
        missing.append(pgettext("file metadata", "retention"))
    if not work_file.rights.strip():
        missing.append(pgettext("file metadata", "use regime"))
    if not work_file.language.strip():
        missing.append(pgettext("file metadata", "language"))
    if not work_file.start_date:
        missing.append(pgettext("file metadata", "start date"))
    if not work_file.end_date:
        missing.append(pgettext("file metadata", "end date"))
    if not work_file.items.exists():
        missing.append(pgettext("file metadata", "documents"))
    return missing


def pdf_pages(stored_file) -> int | None:
    if stored_file.content_type != "application/pdf":
        return None
    import pikepdf

    try:
        with open_stored(stored_file) as blob, pikepdf.open(io.BytesIO(blob.read())) as pdf:
            return len(pdf.pages)
    except Exception:
        return None


@transaction.atomic
def close_file(*, work_file: WorkFile, by) -> WorkFile:
    """Kết thúc hồ sơ: refused while required metadata is missing (the message lists it); counts the documents
    and pages (a document's pages read from its PDF when not typed in) and makes the document index."""
    work_file = WorkFile.objects.select_for_update().get(pk=work_file.pk)
    _refuse_if_archived(work_file)
    if not permissions.makes_file(by, work_file):
        raise NotVisible(_("Only the person making this file closes it."))
    missing = missing_metadata(work_file)
    if missing:
        raise MissingMetadata(
            _("The file cannot be closed yet. Fill in: %(fields)s.") % {"fields": ", ".join(missing)}, missing
        )
    pages = 0
    for item in work_file.items.prefetch_related("files__stored_file"):
        if not item.page_amount:
            counted = [pdf_pages(f.stored_file) for f in item.files.all()]
            if any(counted):
                item.page_amount = sum(n or 0 for n in counted)
                item.save(update_fields=["page_amount"])
        pages += item.page_amount or 0
    work_file.doc_total = work_file.items.count()
    work_file.page_total = pages
    machine.fire(work_file, "close", by=by)
    work_file.closed_at = timezone.now()
    index = exports.document_index(work_file)
    work_file.index_file = store(upload=io.BytesIO(index), filename=f"muc-luc-{work_file.pk}.xlsx")
    work_file.returned_reason = ""
    work_file.save()
    _audit("files.closed", work_file, by)
    return work_file


@transaction.atomic
def reopen_file(*, work_file: WorkFile, by) -> WorkFile:
    work_file = WorkFile.objects.select_for_update().get(pk=work_file.pk)
    _refuse_if_archived(work_file)
    machine.fire(work_file, "reopen", by=by)
    work_file.save()
    _audit("files.reopened", work_file, by)
    return work_file


# Hand-over to the archive (nộp lưu)


def one_year_before(today: datetime.date) -> datetime.date:
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)


MIN_HANDOVER_YEARS = 5  # units hand over the files kept 5 years or more (Decree 30, Article 31)
MAX_HOLD_YEARS = 2  # a unit keeps a file past its due date for at most 2 years


def goes_to_archive(work_file: WorkFile) -> bool:
    """Only files kept permanently or for at least five years are handed over; the others stay with the unit
    until their retention ends."""
    return work_file.permanent or (work_file.retention_years or 0) >= MIN_HANDOVER_YEARS


def _years_later(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def handover_due_date(work_file: WorkFile) -> datetime.date | None:
    """The last day to hand the file over: one year after its work ended; None while it has no end date."""
    return _years_later(work_file.end_date, 1) if work_file.end_date else None


def _due(files, today: datetime.date):
    """Closed files kept 5 years or more whose work ended more than one year ago and that their unit does not
    keep (giữ lại) today."""
    return (
        files.filter(state=S.CLOSED, end_date__lt=one_year_before(today))
        .filter(Q(permanent=True) | Q(retention_years__gte=MIN_HANDOVER_YEARS))
        .exclude(held_until__gte=today)
    )


def due_for_handover(*, agency, today: datetime.date | None = None):
    """Files due for nộp lưu (Decree 30, Article 31)."""
    today = today or timezone.localdate()
    return _due(WorkFile.objects.filter(agency=agency), today)


def remind_handover(*, today: datetime.date | None = None) -> int:
    """Daily: each maker of a file due for hand-over hears of it (once a day)."""
    today = today or timezone.localdate()
    count = 0
    due = _due(WorkFile.objects.all(), today).exclude(reminded_on=today)
    for work_file in due.select_related("creator"):
        title = _("File %(code)s is due for hand-over to the archive") % {"code": work_file.file_code}
        notify(recipient=work_file.creator, title=title, url=_url(work_file), kind="files_handover")
        work_file.reminded_on = today
        work_file.save(update_fields=["reminded_on"])
        count += 1
    return count


@transaction.atomic
def submit(*, files, by) -> Handover:
    """Nộp lưu: the maker hands closed files to the agency archive; the clerks are told."""
    files = list(WorkFile.objects.select_for_update().filter(pk__in=[f.pk for f in files]).order_by("pk"))
    if not files:
        raise FilesError(_("Choose the files to hand over."))
    agencies = {f.agency_id for f in files}
    if len(agencies) != 1:
        raise FilesError(_("Hand over the files of one agency at a time."))
    for work_file in files:
        if not permissions.makes_file(by, work_file):
            raise NotVisible(_("Only the person making a file hands it over."))
        if work_file.state != S.CLOSED:
            raise FilesError(_("File %(code)s is not closed.") % {"code": work_file.file_code})
        if not goes_to_archive(work_file):
            raise FilesError(
                _(
                    "File %(code)s is kept for %(retention)s: only files kept for 5 years or more, or permanently, "
                    "are handed over to the archive. The unit keeps it until its retention ends."
                )
                % {"code": work_file.file_code, "retention": work_file.retention or "?"}
            )
    handover = Handover.objects.create(agency=files[0].agency, submitted_by=by)
    for work_file in files:
        machine.fire(work_file, "submit", by=by)
        work_file.handover = handover
        work_file.save()
        _audit("files.submitted", work_file, by, handover=handover.pk)
    title = _("%(count)s files handed over to the archive") % {"count": len(files)}
    for clerk in acting_holders(agency=handover.agency, role=Role.CLERK):
        notify(recipient=clerk, title=title, url="/records/handovers/", kind="files_submitted")
    return handover


def may_hold(person, work_file: WorkFile) -> bool:
    """Keeping a file past its due date needs the leaders' approval: the head of the agency or of the file's unit."""
    if permissions.heads(person, work_file.agency):
        return True
    if work_file.unit_id is None:
        return False
    unit_heads = acting_holders(agency=work_file.agency, role=Role.UNIT_HEAD, unit=work_file.unit)
    return unit_heads.filter(pk=person.pk).exists()


@transaction.atomic
def hold_file(
    *, work_file: WorkFile, by, reason: str, until: datetime.date, today: datetime.date | None = None
) -> WorkFile:
    """Giữ lại: the unit keeps a file past its hand-over due date, for a reason its leader approves, until `until`
    and at most two years past the due date. The file is not listed as due nor reminded of until then; the
    archive keepers are told, as the list of kept files goes to the archive."""
    work_file = WorkFile.objects.select_for_update().select_related("agency").get(pk=work_file.pk)
    _refuse_if_archived(work_file)
    if not may_hold(by, work_file):
        raise NotVisible(_("Only the head of the agency or of the unit approves keeping a file."))
    if not reason.strip():
        raise FilesError(_("Say why the unit keeps the file."))
    due = handover_due_date(work_file)
    if due is None:
        raise FilesError(_("The file has no end date yet: its hand-over is not due."))
    if not goes_to_archive(work_file):
        raise FilesError(_("This file is not handed over to the archive: there is nothing to keep it from."))
    today = today or timezone.localdate()
    if until < today:
        raise FilesError(_("The date until which the file is kept has already passed."))
    latest = _years_later(due, MAX_HOLD_YEARS)
    if until > latest:
        raise FilesError(
            _(
                "A unit keeps a file at most 2 years past its hand-over due date (%(due)s): until %(latest)s at "
                "the latest."
            )
            % {"due": f"{due:%d/%m/%Y}", "latest": f"{latest:%d/%m/%Y}"}
        )
    before = {"held_until": str(work_file.held_until or ""), "held_reason": work_file.held_reason}
    work_file.held_until, work_file.held_reason = until, reason.strip()
    work_file.held_by, work_file.held_at = by, timezone.now()
    work_file.save(update_fields=["held_until", "held_reason", "held_by", "held_at"])
    record(
        "files.held",
        obj=work_file,
        actor=by,
        before=before,
        after={**_snapshot(work_file), "held_until": str(until), "held_reason": work_file.held_reason},
    )
    title = _("File %(code)s is kept by its unit until %(until)s") % {
        "code": work_file.file_code,
        "until": f"{until:%d/%m/%Y}",
    }
    for clerk in acting_holders(agency=work_file.agency, role=Role.CLERK):
        notify(recipient=clerk, title=title, url=_url(work_file), kind="files_held")
    return work_file


HANDOVER_DOCUMENTS = ("list", "record")
HANDOVER_FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def handover_document(*, handover: Handover, by, document: str, file_format: str) -> tuple[str, str, bytes]:
    """The hand-over list (mục lục hồ sơ nộp lưu) or record (biên bản giao nhận) as XLSX or PDF: (file name,
    content type, content). For the person who handed the files over, the archive keeper and the head."""
    if document not in HANDOVER_DOCUMENTS or file_format not in HANDOVER_FORMATS:
        raise NotVisible(_("There is no such document."))
    agency = handover.agency
    if not (
        acts_for(by, handover.submitted_by, agency)
        or permissions.keeps_archive(by, agency)
        or permissions.heads(by, agency)
    ):
        raise NotVisible(_("Only the people of this hand-over read its documents."))
    draw = {
        ("list", "xlsx"): exports.handover_list,
        ("list", "pdf"): exports.handover_list_pdf,
        ("record", "xlsx"): exports.handover_record,
        ("record", "pdf"): exports.handover_record_pdf,
    }[document, file_format]
    name = {"list": "muc-luc-ho-so-nop-luu", "record": "bien-ban-giao-nhan"}[document]
    return f"{name}-{handover.pk}.{file_format}", HANDOVER_FORMATS[file_format], draw(handover)


def _digest(stored_file) -> str:
    digest = hashlib.sha256()
    with open_stored(stored_file) as blob:
        for chunk in iter(lambda: blob.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


@transaction.atomic
def accept(*, work_file: WorkFile, by) -> WorkFile:
    """The archive checks the file and takes it into archival management: the SHA-256 of each of its electronic
    files is recorded for the fixity checks, and the file becomes read-only."""
    work_file = WorkFile.objects.select_for_update().get(pk=work_file.pk)
    machine.fire(work_file, "accept", by=by)
    for item_file in ItemFile.objects.filter(item__work_file=work_file).select_related("stored_file"):
        try:
            actual = _digest(item_file.stored_file)
        except FileNotFoundError:
            actual = ""
        if actual != item_file.stored_file.sha256:
            raise FilesError(
                _("The file “%(name)s” is damaged or missing; it cannot be archived.") % {"name": item_file.filename}
            )
        item_file.fixity_sha256 = actual
        item_file.save(update_fields=["fixity_sha256"])
    work_file.accepted_at, work_file.accepted_by = timezone.now(), by
    work_file.save()
    _audit("files.accepted", work_file, by)
    return work_file


@transaction.atomic
def return_file(*, work_file: WorkFile, by, reason: str) -> WorkFile:
    """The archive sends a handed-over file back to its maker, saying why."""
    if not reason.strip():
        raise FilesError(_("Say why the file is returned."))
    work_file = WorkFile.objects.select_for_update().get(pk=work_file.pk)
    machine.fire(work_file, "return", by=by)
    work_file.returned_reason = reason.strip()
    work_file.handover = None
    work_file.save()
    _audit("files.returned", work_file, by, reason=work_file.returned_reason)
    title = _("File %(code)s was returned by the archive: %(reason)s") % {
        "code": work_file.file_code,
        "reason": work_file.returned_reason[:200],
    }
    notify(recipient=work_file.creator, title=title, url=_url(work_file), kind="files_returned")
    return work_file


# Fixity


def check_fixity(*, work_file: WorkFile) -> list[dict]:
    """Recomputes the SHA-256 of every electronic file of an archived file and compares it with the one recorded
    at acceptance. Returns the mismatches (empty when all is well); each is written to the audit log."""
    mismatches = []
    for item_file in ItemFile.objects.filter(item__work_file=work_file).select_related("stored_file", "item"):
        if not item_file.fixity_sha256:
            continue
        try:
            actual = _digest(item_file.stored_file)
        except FileNotFoundError:
            actual = ""
        if actual != item_file.fixity_sha256:
            mismatches.append(
                {
                    "ordinal": item_file.item.ordinal,
                    "filename": item_file.filename,
                    "expected": item_file.fixity_sha256,
                    "actual": actual,
                }
            )
    if mismatches:
        with transaction.atomic():
            record(
                "files.fixity_failed",
                obj=work_file,
                actor=None,
                after={"file_code": work_file.file_code, "mismatches": mismatches},
            )
    return mismatches


def check_all_fixity() -> dict:
    """Every archived file; {file_code: mismatches} for those that fail."""
    failures = {}
    for work_file in WorkFile.objects.filter(state=S.ARCHIVED):
        mismatches = check_fixity(work_file=work_file)
        if mismatches:
            failures[work_file.file_code] = mismatches
    return failures


# The archive's use register (sổ sử dụng)


@transaction.atomic
def log_access(*, work_file: WorkFile, by, action: str, purpose: str) -> AccessLog:
    """Every use of an archived file: who, when, which file and why."""
    if not purpose.strip():
        raise FilesError(_("Say why you use this file."))
    if work_file.state != S.ARCHIVED or not permissions.works_in(by, work_file.agency):
        raise NotVisible(_("This file is not in the archive."))
    entry = AccessLog.objects.create(work_file=work_file, person=by, action=action, purpose=purpose.strip()[:300])
    record(f"files.access_{action}", obj=work_file, actor=by, after={"purpose": entry.purpose})
    return entry


def export_package(*, work_file: WorkFile, by, purpose: str) -> bytes:
    """The archived file as a BagIt package; the export is logged as a use of the file."""
    from . import packages

    if not permissions.keeps_archive_of(by, work_file):
        raise NotVisible(_("Only the archive keeper exports packages."))
    log_access(work_file=work_file, by=by, action=AccessLog.Action.EXPORTED, purpose=purpose)
    return packages.build(work_file)


def import_package(*, zip_bytes: bytes, agency, by) -> WorkFile:
    from . import packages

    if not permissions.keeps_archive(by, agency):
        raise NotVisible(_("Only the archive keeper imports packages."))
    with transaction.atomic():
        work_file = packages.restore(zip_bytes, agency=agency, by=by)
        _audit("files.imported", work_file, by)
    return work_file


# Destruction


def retention_expired(work_file: WorkFile, today: datetime.date | None = None) -> bool:
    if work_file.permanent or not work_file.retention_years or not work_file.end_date:
        return False
    today = today or timezone.localdate()
    end = work_file.end_date
    try:
        until = end.replace(year=end.year + work_file.retention_years)
    except ValueError:
        until = end.replace(year=end.year + work_file.retention_years, day=28)
    return until < today


@transaction.atomic
def propose_destruction(*, files, by, today: datetime.date | None = None) -> DestructionProposal:
    """The archive proposes archived files whose retention has expired; nothing is destroyed yet."""
    files = list(files)
    if not files:
        raise FilesError(_("Choose the files to destroy."))
    agency = files[0].agency
    if not permissions.keeps_archive(by, agency):
        raise NotVisible(_("Only the archive keeper proposes a destruction."))
    for work_file in files:
        if work_file.agency_id != agency.pk or work_file.state != S.ARCHIVED:
            raise FilesError(_("File %(code)s is not in the archive.") % {"code": work_file.file_code})
        if not retention_expired(work_file, today):
            raise FilesError(
                _("The retention of file %(code)s has not expired; it cannot be destroyed.")
                % {"code": work_file.file_code}
            )
    proposal = DestructionProposal.objects.create(agency=agency, proposed_by=by)
    proposal.files.set(files)
    record("files.destruction_proposed", obj=proposal, actor=by, after={"files": [f.file_code for f in files]})
    return proposal


@transaction.atomic
def approve_destruction(*, proposal: DestructionProposal, by) -> list[DestructionRecord]:
    """The head approves: only now are the documents' electronic files removed from the files, and a record kept
    of what was destroyed, when, who approved it, and their checksums."""
    proposal = DestructionProposal.objects.select_for_update().get(pk=proposal.pk)
    if not permissions.heads(by, proposal.agency):
        raise NotVisible(_("Only the head of the agency approves a destruction."))
    if proposal.approved_at:
        raise FilesError(_("This destruction has already been approved."))
    proposal.approved_by, proposal.approved_at = by, timezone.now()
    proposal.save()
    records = []
    for work_file in proposal.files.select_for_update():
        documents = [
            {
                "ordinal": item.ordinal,
                "subject": item.subject,
                "files": [{"filename": f.filename, "sha256": f.stored_file.sha256} for f in item.files.all()],
            }
            for item in work_file.items.prefetch_related("files__stored_file")
        ]
        records.append(
            DestructionRecord.objects.create(
                proposal=proposal,
                work_file=work_file,
                file_code=work_file.file_code,
                title=work_file.title,
                documents=documents,
                approved_by=by,
            )
        )
        ItemFile.objects.filter(item__work_file=work_file).delete()
        machine.fire(work_file, "destroy")
        work_file.save()
        _audit("files.destroyed", work_file, by, proposal=proposal.pk)
    return records
