"""Reads of the interconnection: which agency a code names here, which peer reaches it, and the messages a package
or a status refers to."""

from django.db.models import Q

from vanphong.organizations.models import Agency

from .models import Message, Peer, Route

M = Message
LOCAL_CODE_PREFIX = "vanphong.local."  # for a hosted agency without a mã định danh; never leaves the platform


def exchange_code(agency: Agency) -> str:
    return agency.code or f"{LOCAL_CODE_PREFIX}{agency.pk}"


def hosted_agency(code: str) -> Agency | None:
    """The agency on this platform that `code` names, if any."""
    if code.startswith(LOCAL_CODE_PREFIX):
        return Agency.objects.filter(pk=code.removeprefix(LOCAL_CODE_PREFIX), is_hosted=True).first()
    return Agency.objects.filter(code=code, is_hosted=True).first() if code else None


def route_for(code: str) -> Peer | None:
    """The peer that reaches `code`: its own route, else the default route (the hub)."""
    routes = Route.objects.select_related("peer").filter(Q(agency_code=code) | Q(agency_code=""), peer__is_active=True)
    route = routes.order_by("-agency_code").first()
    return route.peer if route else None


def arrival_of(incoming_document) -> Message | None:
    """The package an incoming document came in, if it came through the exchange."""
    arrivals = Message.objects.filter(direction=M.Direction.IN, kind=M.Kind.EDOC, incoming_document=incoming_document)
    return arrivals.order_by("-pk").first()


def arrivals(*, document_ids, sender_code: str, to_code: str):
    """The packages of those documents from that sender taken in for that agency here."""
    return Message.objects.filter(
        direction=M.Direction.IN,
        kind=M.Kind.EDOC,
        document_id__in=document_ids,
        sender_code=sender_code,
        to_code=to_code,
        incoming_document__isnull=False,
    ).select_related("incoming_document")


def sent_to(*, document_id: str, to_code: str) -> Message | None:
    """The package of one of our documents sent to that agency, with its tracking line."""
    sent = Message.objects.filter(
        direction=M.Direction.OUT,
        kind=M.Kind.EDOC,
        document_id=document_id,
        to_code=to_code,
        recipient__isnull=False,
    )
    return sent.select_related("recipient", "recipient__document").first()
