"""Reads of incoming documents: what a person may see, their work lists and counters, a document's timeline.
Work lists are served straight from the database; see bench/worklist.py for their cost at a million documents."""

import dataclasses
import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from vanphong.core.document_types import Secrecy
from vanphong.organizations.models import Delegation, Position, Role
from vanphong.workcalendar.selectors import working_days_between

from .models import OPEN_STATES, Assignment, IncomingDocument, IncomingRegister
from .states import AssignmentState, HandlingState

A = AssignmentState
WORK_ROLES = (Assignment.Role.DECIDE, Assignment.Role.LEAD, Assignment.Role.COORDINATE)
DUE_SOON_WORKING_DAYS = 2


@dataclass(frozen=True)
class Scope:
    """Who a person acts as today, computed once per request (two queries)."""

    person_ids: frozenset[int]  # the person, and people who delegated a position to them for today
    led_unit_ids: frozenset[int]  # units where they act as head or deputy
    member_unit_ids: frozenset[int]  # units where they hold any position
    whole_agency_ids: frozenset[int]  # agencies where they act as clerk, head or deputy head
    clerk_agency_ids: frozenset[int]

    @property
    def is_clerk(self) -> bool:
        return bool(self.clerk_agency_ids)


def scope_of(person, on: datetime.date | None = None) -> Scope:
    cached = getattr(person, "_incoming_scope", None)
    if cached is not None and on is None:
        return cached
    day = on or timezone.localdate()
    positions = [
        (p.agency_id, p.unit_id, p.role, person.pk) for p in Position.objects.current(day).filter(person=person)
    ]
    delegated = Delegation.objects.filter(
        delegate=person,
        starts_on__lte=day,
        ends_on__gte=day,
        revoked_at__isnull=True,
        position__person__is_active=True,
    ).values_list("position__agency_id", "position__unit_id", "position__role", "position__person_id")
    held = positions + list(delegated)
    scope = Scope(
        person_ids=frozenset({person.pk} | {holder for *_rest, holder in held}),
        led_unit_ids=frozenset(u for _a, u, role, _h in held if u and role in (Role.UNIT_HEAD, Role.UNIT_DEPUTY)),
        member_unit_ids=frozenset(u for _a, u, _r, _h in held if u),
        whole_agency_ids=frozenset(a for a, _u, role, _h in held if role in (Role.CLERK, Role.HEAD, Role.DEPUTY_HEAD)),
        clerk_agency_ids=frozenset(a for a, _u, role, _h in held if role == Role.CLERK),
    )
    if on is None:
        person._incoming_scope = scope
    return scope


@dataclass(frozen=True)
class Visibility:
    """What a person may open, in the two parts a reader of a large table narrows by differently (search): every
    document without a secrecy mark of `whole_agency_ids`, and `others`, the documents outside that part that they
    are named on or that were routed to their units."""

    whole_agency_ids: frozenset[int]
    others: QuerySet[IncomingDocument]


def _visibility_rule(scope: Scope) -> tuple[Q, Q]:
    """The one rule, as (whole agencies' documents without a secrecy mark, named or routed documents). Secret
    documents only for the people named on them."""
    named = (
        Q(presented_to_id__in=scope.person_ids)
        | Q(registered_by_id__in=scope.person_ids)
        | Q(pk__in=Assignment.objects.filter(assignee_person_id__in=scope.person_ids).values("document_id"))
        | Q(pk__in=Assignment.objects.filter(assigned_by_id__in=scope.person_ids).values("document_id"))
    )
    routed_to_unit = Q(
        pk__in=Assignment.objects.filter(assignee_unit_id__in=scope.member_unit_ids).values("document_id")
    )
    whole_agencies = Q(agency_id__in=scope.whole_agency_ids, secrecy=Secrecy.NONE)
    return whole_agencies, named | (routed_to_unit & Q(secrecy=Secrecy.NONE))


def visible_documents(person) -> QuerySet[IncomingDocument]:
    """Everything the person may open."""
    whole_agencies, named_or_routed = _visibility_rule(scope_of(person))
    return IncomingDocument.objects.filter(whole_agencies | named_or_routed)


def visibility(person) -> Visibility:
    """visible_documents(person) in its two parts (see Visibility)."""
    scope = scope_of(person)
    whole_agencies, named_or_routed = _visibility_rule(scope)
    others = IncomingDocument.objects.filter(named_or_routed).exclude(whole_agencies)
    return Visibility(whole_agency_ids=scope.whole_agency_ids, others=others)


def actor_filter(scope: Scope) -> Q:
    return Q(assignee_person_id__in=scope.person_ids) | Q(assignee_unit_id__in=scope.led_unit_ids)


def _tab_filters(today: datetime.date) -> dict[str, Q]:
    return {
        "to_handle": Q(state=A.PENDING, role__in=WORK_ROLES),
        "in_progress": Q(state=A.IN_PROGRESS, role__in=WORK_ROLES),
        "overdue": Q(state__in=OPEN_STATES, role__in=WORK_ROLES, deadline__lt=today),
        "done": Q(state__in=(A.DONE, A.RETURNED, A.RECALLED), role__in=WORK_ROLES),
        "for_information": Q(role=Assignment.Role.INFORM),
    }


ASSIGNMENT_TABS = ("to_handle", "in_progress", "overdue", "done", "for_information")
HISTORY_TABS = ("done", "for_information")
CLERK_TABS = ("to_register", "registered")

SORTS = {
    "arrived": "-document_arrived_at",
    "deadline": "deadline",
    "number": "-document__incoming_number",
    "urgency": "-document__urgency",
}
DOCUMENT_SORTS = {
    "arrived": "-arrived_at",
    "deadline": "deadline",
    "number": "-incoming_number",
    "urgency": "-urgency",
}


@dataclass(frozen=True)
class ListFilters:
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    document_type: str = ""
    issuer: str = ""
    urgency: int | None = None
    state: str = ""  # the document's handling state
    unit_id: int | None = None
    sort: str = "arrived"


def _document_filter(filters: ListFilters, prefix: str = "", arrival: str = "arrived_at") -> Q:
    q = Q()
    if filters.date_from:
        q &= Q(**{f"{arrival}__date__gte": filters.date_from})
    if filters.date_to:
        q &= Q(**{f"{arrival}__date__lte": filters.date_to})
    if filters.document_type:
        q &= Q(**{f"{prefix}document_type": filters.document_type})
    if filters.issuer:
        q &= Q(**{f"{prefix}issuer_name__icontains": filters.issuer})
    if filters.urgency is not None:
        q &= Q(**{f"{prefix}urgency": filters.urgency})
    return q


def work_list(person, tab: str, filters: ListFilters = ListFilters()):
    """The rows of one tab: assignments (with their document) for the assignment tabs, documents for the clerk's."""
    scope = scope_of(person)
    today = timezone.localdate()
    if tab in CLERK_TABS:
        documents = IncomingDocument.objects.filter(agency_id__in=scope.clerk_agency_ids)
        if tab == "to_register":
            documents = documents.filter(state=HandlingState.RECEIVED)
        else:
            documents = documents.exclude(state__in=(HandlingState.RECEIVED, HandlingState.REJECTED))
            documents = documents.filter(Q(secrecy=Secrecy.NONE) | Q(registered_by_id__in=scope.person_ids))
        if filters.state:
            documents = documents.filter(state=filters.state)
        documents = documents.filter(_document_filter(filters))
        return documents.order_by(DOCUMENT_SORTS.get(filters.sort, "-arrived_at"), "-pk")
    assignments = Assignment.objects.filter(actor_filter(scope), _tab_filters(today)[tab])
    if tab in HISTORY_TABS:
        # Years of handled work are read newest first through an index; other orders would sort them all.
        filters = dataclasses.replace(filters, sort="arrived")
    if filters.state:
        assignments = assignments.filter(document__state=filters.state)
    if filters.unit_id:
        assignments = assignments.filter(assignee_unit_id=filters.unit_id)
    assignments = assignments.filter(_document_filter(filters, "document__", arrival="document_arrived_at"))
    return assignments.select_related("document").order_by(SORTS.get(filters.sort, "-document__arrived_at"), "-pk")


COUNTED_TABS = ("to_handle", "in_progress", "overdue", "for_information")


def counters(person) -> dict[str, int]:
    """The counts of the tabs that hold open work, in one query (two for a clerk), once per request. Only open
    work is counted — "để biết" counts what is unread —, so the cost follows the person's open work, not their
    years of handled documents; the history tabs page without a total."""
    cached = getattr(person, "_incoming_counters", None)
    if cached is not None:
        return cached
    scope = scope_of(person)
    today = timezone.localdate()
    filters = _tab_filters(today)
    filters["for_information"] &= Q(state=A.PENDING)
    aggregates = {tab: Count("pk", filter=filters[tab]) for tab in COUNTED_TABS}
    result = Assignment.objects.filter(actor_filter(scope), state__in=OPEN_STATES).aggregate(**aggregates)
    if scope.is_clerk:
        result["to_register"] = IncomingDocument.objects.filter(
            agency_id__in=scope.clerk_agency_ids, state=HandlingState.RECEIVED
        ).count()
    person._incoming_counters = result
    return result


def waiting_count(person) -> int:
    """The number beside "Văn bản đến" in the navigation: work waiting for the person, and documents waiting
    for the clerk to register."""
    counts = counters(person)
    return counts["to_handle"] + counts.get("to_register", 0)


def tabs_for(person) -> tuple[str, ...]:
    return (CLERK_TABS if scope_of(person).is_clerk else ()) + ASSIGNMENT_TABS


class DueStatus:
    NO_DEADLINE = "none"
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    DONE = "done"
    DONE_LATE = "done_late"


def due_status(
    *, deadline: datetime.date | None, finished_at: datetime.datetime | None, today: datetime.date | None = None
) -> str:
    """On time, due soon, overdue, done, or done late: counted in working days over the holiday calendar."""
    today = today or timezone.localdate()
    if finished_at is not None:
        if deadline is None or timezone.localdate(finished_at) <= deadline:
            return DueStatus.DONE
        return DueStatus.DONE_LATE
    if deadline is None:
        return DueStatus.NO_DEADLINE
    if today > deadline:
        return DueStatus.OVERDUE
    if working_days_between(today, deadline) <= DUE_SOON_WORKING_DAYS:
        return DueStatus.DUE_SOON
    return DueStatus.ON_TIME


def timeline(document):
    return document.events.select_related("actor", "assignment__assignee_unit", "assignment__assignee_person")


def open_registers(agency, *, secret: bool | None = None):
    registers = IncomingRegister.objects.filter(agency=agency, is_active=True)
    if secret is not None:
        registers = registers.filter(for_secret_documents=secret)
    return registers


def likely_duplicates(*, agency, issuer, issuer_name: str, number: str, notation: str, document_date):
    """Same issuer, number/notation and date already registered in this agency."""
    if not number and not notation:
        return IncomingDocument.objects.none()
    same_issuer = Q(issuer=issuer) if issuer is not None else Q(issuer_name__iexact=issuer_name.strip())
    return IncomingDocument.objects.filter(
        same_issuer,
        agency=agency,
        number__iexact=number.strip(),
        notation__iexact=notation.strip(),
        document_date=document_date,
    ).exclude(state=HandlingState.REJECTED)
