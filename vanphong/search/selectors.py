"""Reads: what a person finds. Nobody finds what they may not open: the engine is first narrowed to what the owning
apps let the person see, in a form its indexes serve (columns of the entry and lists of ids, no subqueries: an
`IN (subquery)` among alternatives cannot use an index, and at a million documents a clerk's common word would then
be checked row by row over half the table). Incoming documents through incoming's own `visibility(person)`;
outgoing documents are narrowed to the agencies the person works in (positions and today's delegations) or those
they drafted or sign, then each candidate is checked with outgoing's own `permissions.can_see` (outgoing has no
queryset form of its rule: this composes its predicate, not restates it)."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from vanphong.core.document_types import Secrecy
from vanphong.incoming.selectors import visibility
from vanphong.organizations.models import Delegation
from vanphong.outgoing import permissions as outgoing_permissions
from vanphong.outgoing.models import OutgoingDocument
from vanphong.outgoing.selectors import _agencies

from .backends import Hit, Query, get_backend
from .models import Kind, SavedSearch

PAGE_SIZE = 20
CANDIDATES = 200  # the engine's best candidates, before permissions; a page never goes beyond them
LISTED_IDS = 20_000  # beyond this many ids, a subquery (slower, but a long list would hit SQLite's parameter limit)


def entries_of(kind: str, ids: QuerySet) -> Q:
    """The search entries of the documents of one kind whose ids `ids` (a flat values_list) gives, in a form the
    engine's indexes serve: a list of ids, or a subquery beyond LISTED_IDS."""
    listed = list(ids[: LISTED_IDS + 1])
    if len(listed) > LISTED_IDS:
        return Q(kind=kind, object_id__in=ids)
    return Q(kind=kind, object_id__any_of=listed)


def _incoming_candidates(person) -> Q:
    """Incoming's rule, its whole-agency part asked of the entry's own agency and secrecy columns (written in the
    transaction that saves the document)."""
    seen = visibility(person)
    whole_agencies = Q(kind=Kind.INCOMING, agency_id__in=sorted(seen.whole_agency_ids), secrecy=Secrecy.NONE)
    return whole_agencies | entries_of(Kind.INCOMING, seen.others.values_list("pk", flat=True))


def _outgoing_candidates(person) -> Q:
    today = timezone.localdate()
    delegated = Delegation.objects.filter(
        delegate=person, starts_on__lte=today, ends_on__gte=today, revoked_at__isnull=True
    ).values_list("position__agency", flat=True)
    agencies = sorted({row["agency"] for row in _agencies(person)} | set(delegated))
    own = OutgoingDocument.objects.filter(Q(drafter=person) | Q(signer=person)).exclude(agency__in=agencies)
    return Q(kind=Kind.OUTGOING, agency_id__in=agencies) | entries_of(Kind.OUTGOING, own.values_list("pk", flat=True))


def matching(person, query: Query) -> list[Hit]:
    """Every hit the person may open among the engine's best candidates, best first."""
    if query.is_empty:
        return []
    restrict = _incoming_candidates(person) | _outgoing_candidates(person)
    hits = get_backend().search(query, limit=CANDIDATES, restrict=restrict)
    outgoing_ids = [hit.pk for hit in hits if hit.kind == Kind.OUTGOING]
    allowed = {
        document.pk
        for document in OutgoingDocument.objects.filter(pk__in=outgoing_ids).select_related(
            "agency", "drafting_unit", "signer"
        )
        if outgoing_permissions.can_see(person, document)
    }
    return [hit for hit in hits if hit.kind == Kind.INCOMING or hit.pk in allowed]


def search(person, query: Query, *, page: int = 1) -> list[Hit]:
    """One page (20 hits) of what the person finds."""
    start = (max(page, 1) - 1) * PAGE_SIZE
    return matching(person, query)[start : start + PAGE_SIZE]


def saved_searches(person):
    return SavedSearch.objects.filter(owner=person)
