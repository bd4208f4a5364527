"""Every read of work files."""

from django.db.models import Q

from vanphong.organizations.models import Role
from vanphong.organizations.selectors import acting_holders, current_positions
from vanphong.search.backends import Query, get_backend
from vanphong.search.folding import words
from vanphong.search.models import Kind
from vanphong.search.selectors import entries_of

from . import permissions
from .models import AccessLog, DestructionProposal, FileItem, FilePlan, Handover, WorkFile
from .states import FileState


def _agency_ids(person):
    return current_positions(person).values("agency")


def my_files(person):
    """Files the person makes, in every agency they work in."""
    return WorkFile.objects.filter(creator=person, agency_id__in=_agency_ids(person)).select_related("agency")


def visible(person, pk: int) -> WorkFile | None:
    work_file = WorkFile.objects.select_related("agency", "creator").filter(pk=pk).first()
    return work_file if work_file is not None and permissions.may_see(person, work_file) else None


def handovers_waiting(person):
    """Files handed over and waiting for the archive, in the agencies where the person keeps the archive."""
    agencies = [p.agency for p in current_positions(person) if p.role == Role.CLERK]
    kept = [a.pk for a in agencies if acting_holders(agency=a, role=Role.CLERK).filter(pk=person.pk).exists()]
    return WorkFile.objects.filter(agency_id__in=kept, state=FileState.SUBMITTED).select_related("handover")


def archive_lookup(person, *, text="", title="", year=None, notation="", code=""):
    """Tra cứu: archived files of the agencies the person works in, filtered by their fields and by `text`, the
    words of their title or of the documents in them (accents optional)."""
    files = WorkFile.objects.filter(agency_id__in=_agency_ids(person), state=FileState.ARCHIVED)
    if text.strip():
        files = files.filter(pk__in=_with_words(files, text))
    if title:
        files = files.filter(title__icontains=title)
    if year:
        files = files.filter(year=year)
    if notation:
        files = files.filter(notation__icontains=notation)
    if code:
        files = files.filter(file_code__icontains=code)
    return files.order_by("-year", "notation")


def _with_words(files, text: str) -> set[int]:
    """The files whose title has every word, or which hold a document the search port finds for the text (its
    metadata and the text read from its files), the search limited to the documents of these files."""
    items = FileItem.objects.filter(work_file__in=files)
    restrict = entries_of(Kind.INCOMING, items.exclude(incoming=None).values_list("incoming", flat=True)) | entries_of(
        Kind.OUTGOING, items.exclude(outgoing=None).values_list("outgoing", flat=True)
    )
    hits = get_backend().search(Query(text=text), limit=1000, restrict=restrict)
    found = {Kind.INCOMING: set(), Kind.OUTGOING: set()}
    for hit in hits:
        found[hit.kind].add(hit.pk)
    holding = items.filter(Q(incoming__in=found[Kind.INCOMING]) | Q(outgoing__in=found[Kind.OUTGOING]))
    wanted = words(text)
    titled = {pk for pk, title in files.values_list("pk", "title") if set(wanted) <= set(words(title))}
    return titled | set(holding.values_list("work_file", flat=True))


def archived(person, pk: int) -> WorkFile | None:
    return archive_lookup(person).filter(pk=pk).first()


def access_log(work_file):
    return AccessLog.objects.filter(work_file=work_file).select_related("person")


def items_of(work_file):
    return work_file.items.prefetch_related("files")


def addable_filter(q: str) -> Q:
    return Q(summary__icontains=q) | Q(notation__icontains=q)


def plan_of(agency, year: int):
    return FilePlan.objects.filter(agency=agency, year=year).select_related("agency").first()


def plan_rows(plan) -> list[tuple]:
    """The plan as it reads: each heading (None for the files before any heading) with its planned files."""
    headings = list(plan.headings.all())
    files = list(plan.planned_files.all())
    rows = []
    for heading in [None, *headings]:
        mine = [f for f in files if f.heading_id == (heading.pk if heading else None)]
        if heading is not None or mine:
            rows.append((heading, mine))
    return rows


def expired_archived_files(agency, today=None):
    """Archived files of the agency whose retention has expired and that no proposal waiting for the head lists."""
    from .services import retention_expired

    waiting = DestructionProposal.objects.filter(agency=agency, approved_at__isnull=True, files__isnull=False)
    waiting = waiting.values("files")
    candidates = WorkFile.objects.filter(agency=agency, state=FileState.ARCHIVED, permanent=False).exclude(
        pk__in=waiting
    )
    return [f for f in candidates.order_by("year", "notation") if retention_expired(f, today)]


def destruction_proposals(agency):
    return (
        DestructionProposal.objects.filter(agency=agency)
        .select_related("proposed_by", "approved_by")
        .prefetch_related("files", "records")
        .order_by("-proposed_at")
    )


def handovers_of(person, limit: int = 50):
    """The latest hand-overs the person may print the documents of: those they made, and all of the agencies where
    they keep the archive or are the head."""
    agencies = [
        p.agency
        for p in current_positions(person)
        if permissions.keeps_archive(person, p.agency) or permissions.heads(person, p.agency)
    ]
    handovers = Handover.objects.filter(Q(submitted_by=person) | Q(agency__in=agencies)).distinct()
    return handovers.select_related("agency", "submitted_by").prefetch_related("files")[:limit]
