"""Reads for outgoing documents: the work lists with their counters, the document page, tracking."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from vanphong.organizations.models import Delegation, Role
from vanphong.organizations.selectors import acting_roles, current_positions

from . import permissions
from .models import OutgoingDocument, Recipient, ReviewStep
from .states import DocumentState, StepState

D = DocumentState
TABS = ("drafts", "to_review", "to_sign", "to_number", "issued", "awaiting_replies")
FINISHED = (D.ISSUED, D.RECALLED, D.REPLACED)


def _agencies(person):
    return current_positions(person).values("agency")


def _acting_for(person):
    """The people whose review and signing this person does today: themself and whoever delegated to them."""
    from django.utils import timezone

    today = timezone.localdate()
    delegators = Delegation.objects.filter(
        delegate=person, starts_on__lte=today, ends_on__gte=today, revoked_at__isnull=True
    ).values("position__person")
    return Q(pk=person.pk) | Q(pk__in=delegators)


def _led_units(person):
    return current_positions(person).filter(role__in=[Role.UNIT_HEAD, Role.UNIT_DEPUTY]).values("unit")


def work_list(person, tab: str) -> QuerySet:
    documents = OutgoingDocument.objects.select_related("agency", "drafting_unit", "signer", "drafter")
    agencies = _agencies(person)
    from django.contrib.auth import get_user_model

    me = get_user_model().objects.filter(_acting_for(person)).values("pk")
    if tab == "drafts":
        return documents.filter(state=D.DRAFT).filter(Q(drafter=person) | Q(drafting_unit__in=_led_units(person)))
    if tab == "to_review":
        pending = ReviewStep.objects.filter(document=OuterRef("pk"), state=StepState.PENDING).exclude(
            kind=ReviewStep.Kind.SIGNER
        )
        return documents.filter(
            Exists(pending.filter(Q(reviewer__in=me) | Q(unit__in=_led_units(person)))), state=D.IN_REVIEW
        )
    if tab == "to_sign":
        return documents.filter(state=D.TO_SIGN, signer__in=me)
    if tab == "to_number":
        clerk_of = current_positions(person).filter(role=Role.CLERK).values("agency")
        return documents.filter(state__in=[D.TO_NUMBER, D.TO_ISSUE], agency__in=clerk_of)
    if tab == "issued":
        return documents.filter(state__in=FINISHED, agency__in=agencies).order_by("-issued_at")
    if tab == "awaiting_replies":
        unanswered = Recipient.objects.filter(document=OuterRef("pk"), reply__isnull=True).exclude(
            state__in=["recalled", "refused"]
        )
        return documents.filter(Exists(unanswered), state=D.ISSUED, reply_deadline__isnull=False).filter(
            Q(drafter=person)
            | Q(signer__in=me)
            | Q(agency__in=current_positions(person).filter(role=Role.CLERK).values("agency"))
        )
    raise ValueError(tab)


def counters(person) -> dict[str, int]:
    return {tab: work_list(person, tab).count() for tab in TABS if tab != "issued"}


def waiting_count(person) -> int:
    """The number beside "Văn bản đi": what waits for the person's review, signature or number."""
    counts = counters(person)
    return counts["to_review"] + counts["to_sign"] + counts["to_number"]


def default_tab(person) -> str:
    counts = counters(person)
    for tab in ("to_sign", "to_review", "to_number", "drafts"):
        if counts[tab]:
            return tab
    return "drafts" if not acting_roles(person) & {Role.CLERK} else "to_number"


def visible(person, pk: int) -> OutgoingDocument | None:
    document = (
        OutgoingDocument.objects.select_related("agency", "drafting_unit", "signer", "drafter", "issued_file")
        .filter(pk=pk)
        .first()
    )
    return document if document is not None and permissions.can_see(person, document) else None


def timeline(document):
    from vanphong.audit.models import AuditEntry

    return AuditEntry.objects.filter(object_type="outgoing.outgoingdocument", object_id=str(document.pk)).order_by(
        "sequence"
    )


def drafting_agency(person):
    """The agency a person drafts for: the agency of their first current position (None: no position)."""
    position = current_positions(person).select_related("agency").order_by("pk").first()
    return position.agency if position is not None else None


def review_rounds(document) -> list[tuple[int, list[ReviewStep]]]:
    """The review steps grouped by round (each submission), the latest round first."""
    rounds: dict[int, list[ReviewStep]] = {}
    for item in document.steps.select_related("reviewer", "unit", "decided_by").order_by("-round", "order", "pk"):
        rounds.setdefault(item.round, []).append(item)
    return list(rounds.items())


def tracking(document):
    """The recipients with what each has done, and the reply each sent."""
    return document.recipients.select_related("agency", "unit", "reply", "incoming_document")
