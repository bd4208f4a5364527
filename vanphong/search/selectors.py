"""Reads: what a person finds. Nobody finds what they may not open: incoming documents are limited in the query to
incoming's own `visible_documents(person)`; outgoing documents are first narrowed to the agencies the person works
in (positions and today's delegations) or drafted/signs, then each candidate is checked with outgoing's own
`permissions.can_see` (outgoing has no queryset form of its rule: this composes its predicate, not restates it)."""

from django.db.models import Q
from django.utils import timezone

from vanphong.incoming.selectors import visible_documents
from vanphong.organizations.models import Delegation
from vanphong.outgoing import permissions as outgoing_permissions
from vanphong.outgoing.models import OutgoingDocument
from vanphong.outgoing.selectors import _agencies

from .backends import Hit, Query, get_backend
from .models import Kind, SavedSearch

PAGE_SIZE = 20
CANDIDATES = 200  # the engine's best candidates, before permissions; a page never goes beyond them


def _outgoing_candidates(person) -> Q:
    today = timezone.localdate()
    delegated = Delegation.objects.filter(
        delegate=person, starts_on__lte=today, ends_on__gte=today, revoked_at__isnull=True
    ).values("position__agency")
    own = OutgoingDocument.objects.filter(Q(drafter=person) | Q(signer=person)).values("pk")
    return Q(kind=Kind.OUTGOING) & (Q(agency__in=_agencies(person)) | Q(agency__in=delegated) | Q(object_id__in=own))


def matching(person, query: Query) -> list[Hit]:
    """Every hit the person may open among the engine's best candidates, best first."""
    if query.is_empty:
        return []
    restrict = Q(kind=Kind.INCOMING, object_id__in=visible_documents(person).values("pk")) | _outgoing_candidates(
        person
    )
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
