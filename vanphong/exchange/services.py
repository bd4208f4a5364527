"""Interconnection (liên thông): every document and every status between agencies travels as an edXML package,
whether the other agency is on this platform or elsewhere.

    outgoing.issue ──send_document──► Message(out) ──_dispatch──┬─ hosted here: take_in() at once (same transaction)
                                                                 └─ elsewhere: outbox ──flush_outbox──► Transport
    HTTP inbox / poll / this platform ──take_in──► parse, check ──┬─ for an agency here: incoming.deliver + status 01
                                                                  ├─ a status: the sender's tracking line moves
                                                                  └─ for an agency elsewhere (hub): passed on

Identity: a package is (message_id, to_code); the inbox keeps it, so one delivered twice is taken in once. The
outbox row is written in the transaction of the action that sends it, so nothing is lost when a peer is down: it
is retried with exponential back-off until the peer takes it or refuses it for good."""

from __future__ import annotations

import datetime
import io
import logging
import random
import re
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.audit.services import record
from vanphong.core.document_types import DocumentType
from vanphong.core.files import FileRefused, read_stored, store
from vanphong.core.tasks import enqueue, task
from vanphong.organizations.models import Agency

from . import edxml, xmlsig
from .models import Message, Peer
from .selectors import LOCAL_CODE_PREFIX, arrival_of, arrivals, exchange_code, hosted_agency, route_for, sent_to
from .transports.base import Envelope, PermanentFailure, TransportError

logger = logging.getLogger(__name__)

M = Message
# status code (QĐ 28/2018) → the transition of the sender's tracking line (outgoing.states.recipient)
STATUS_TO_RECIPIENT = {
    "01": "arrived",
    "02": "refused",
    "03": "registered",
    "04": "assigned",
    "05": "in_progress",
    "06": "done",
    "15": "recalled",
}


class Rejected(Exception):
    """A package this platform will not take in; the message is the reason given back to the sender."""


@lru_cache(maxsize=64)
def _signer_from(path: str, passphrase: str, modified: float) -> xmlsig.PackageSigner:
    return xmlsig.PackageSigner.from_pkcs12(Path(path).read_bytes(), passphrase.encode())


def package_signer(agency: Agency | None = None) -> xmlsig.PackageSigner | None:
    """The key that signs a package of `agency`: its own (VANPHONG_EXCHANGE_KEY_DIR/<mã định danh>.p12), else the
    platform's (VANPHONG_EXCHANGE_KEY_FILE); both PKCS#12 with VANPHONG_EXCHANGE_KEY_PASSPHRASE. None: unsigned."""
    candidates = []
    if agency is not None and agency.code and settings.VANPHONG_EXCHANGE_KEY_DIR:
        candidates.append(Path(settings.VANPHONG_EXCHANGE_KEY_DIR) / f"{agency.code}.p12")
    if settings.VANPHONG_EXCHANGE_KEY_FILE:
        candidates.append(Path(settings.VANPHONG_EXCHANGE_KEY_FILE))
    for path in candidates:
        if path.is_file():
            return _signer_from(str(path), settings.VANPHONG_EXCHANGE_KEY_PASSPHRASE, path.stat().st_mtime)
    return None


def _now_local() -> datetime.datetime:
    return timezone.localtime().replace(tzinfo=None, microsecond=0)


def _organ(agency: Agency) -> edxml.Organ:
    parent = agency.parent.name if agency.parent_id else ""
    return edxml.Organ(
        code=exchange_code(agency),
        name=agency.name,
        in_charge=parent,
        address=agency.address,
        email=agency.email,
        phone=agency.phone[:20],
    )


# Sending documents


def outgoing_document_id(doc) -> str:
    number, notation = doc.reference.split("/", 1)
    return edxml.document_id(exchange_code(doc.agency), doc.issued_on, number, notation)


def _response_for(doc) -> list[edxml.ResponseFor]:
    if doc.in_reply_to_id is None:
        return []
    asked = arrival_of(doc.in_reply_to_id)
    if asked is None:
        return []
    asking = doc.in_reply_to
    return [
        edxml.ResponseFor(
            organ_code=asked.sender_code,
            code=asking.reference,
            promulgation_date=asking.document_date,
            document_id=asked.document_id,
        )
    ]


def package_for(doc, recipients) -> edxml.DocumentPackage:
    """The edXML package of an issued outgoing document (văn bản đi), addressed to `recipients` (agencies)."""
    number, notation = doc.reference.split("/", 1)
    files = [(doc.issued_file, f"{doc.reference}.pdf".replace("/", "-"))] if doc.issued_file else []
    files += [(a.issued_file or a.stored_file, a.filename) for a in doc.attachments.all()]
    attachments = [
        edxml.Attachment(content_id=str(i), name=name, content_type=stored.content_type, data=read_stored(stored))
        for i, (stored, name) in enumerate(files, start=1)
    ]
    business = edxml.Business(
        doc_type=edxml.BusinessType.REPLACE if doc.replaces_id else edxml.BusinessType.NEW,
        reason=_("Replaces %(ref)s") % {"ref": doc.replaces.reference} if doc.replaces_id else "",
        paper=False,
        document_id=outgoing_document_id(doc),
        staff=edxml.Staff(name=doc.drafter.get_full_name(), email=doc.drafter.email),
        replacements=[(outgoing_document_id(doc.replaces), [exchange_code(a) for a in recipients])]
        if doc.replaces_id
        else [],
    )
    return edxml.DocumentPackage(
        sender=_organ(doc.agency),
        recipients=[_organ(agency) for agency in recipients],
        document_id=outgoing_document_id(doc),
        number=number,
        notation=notation,
        place=doc.agency.place_name,
        promulgation_date=doc.issued_on,
        type_name=doc.get_document_type_display(),
        subject=doc.summary,
        content=doc.summary,
        signer_competence=doc.get_authority_display() if doc.authority else "",
        signer_position=doc.signer_title,
        signer_name=doc.signer.get_full_name() or doc.signer.username,
        due_date=doc.reply_deadline,
        priority=doc.urgency,
        promulgation_amount=doc.copies,
        page_amount=doc.page_count,
        to_places=[line for line in doc.other_recipients.splitlines() if line.strip()],
        response_for=_response_for(doc),
        traces=[edxml.Trace(organ_code=exchange_code(doc.agency), timestamp=_now_local())],
        business=business,
        attachments=attachments,
    )


def send_document(*, doc, items) -> None:
    """Send an issued document to its recipient agencies (`items`: outgoing Recipients, hosted or external), one
    package for all, one message per recipient. Recipients here receive it at once; the others wait in the outbox.
    Runs inside the issuing transaction."""
    items = list(items)
    if not items:
        return
    for item in items:
        if item.kind == item.Kind.EXTERNAL and not item.agency.code:
            raise Rejected(
                _("%(agency)s has no identifier code (mã định danh): it cannot be reached.")
                % {"agency": item.agency.name}
            )
    payload = edxml.build(package_for(doc, [item.agency for item in items]), signer=package_signer(doc.agency))
    message_id = uuid.uuid4().hex
    for item in items:
        message = Message(
            direction=M.Direction.OUT,
            kind=M.Kind.EDOC,
            message_id=message_id,
            sender_code=exchange_code(doc.agency),
            to_code=exchange_code(item.agency),
            document_id=outgoing_document_id(doc),
            state=M.State.QUEUED,
            payload=payload,
            recipient=item,
        )
        arrival = _dispatch(message)
        if arrival is not None and arrival.incoming_document_id:
            item.incoming_document_id = arrival.incoming_document_id
            item.save(update_fields=["incoming_document"])


def recall(*, item, reason: str) -> None:
    """Ask a recipient agency to give a document back (status 13, lấy lại); it answers 15 or 16."""
    sent = item.exchange_messages.filter(direction=M.Direction.OUT, kind=M.Kind.EDOC).order_by("-pk").first()
    if sent is None:
        return
    doc = item.document
    status = edxml.StatusPackage(
        sender=_organ(doc.agency),
        response_for=edxml.ResponseFor(
            organ_code=sent.sender_code,
            code=doc.reference,
            promulgation_date=doc.issued_on,
            document_id=sent.document_id,
        ),
        status_code="13",
        description=reason,
        timestamp=_now_local(),
    )
    _send_status(status, to_code=sent.to_code, sender=doc.agency)


def _send_status(status: edxml.StatusPackage, *, to_code: str, sender: Agency | None) -> Message:
    """`sender`: the agency here that reports (its key signs the package), None when it is not known here."""
    message = Message(
        direction=M.Direction.OUT,
        kind=M.Kind.STATUS,
        message_id=uuid.uuid4().hex,
        sender_code=status.sender.code,
        to_code=to_code,
        document_id=status.response_for.document_id,
        status_code=status.status_code,
        state=M.State.QUEUED,
        payload=edxml.build(status, signer=package_signer(sender)),
    )
    _dispatch(message)
    return message


def report_status(*, incoming_document, code: str, description: str = "", by=None) -> None:
    """Tell the sender of a document that came through the exchange what happened to it here (01–06, 15, 16)."""
    arrival = arrival_of(incoming_document)
    if arrival is None:  # came on paper or was scanned: nobody to tell
        return
    _answer(arrival, code, description or str(edxml.STATUS_MEANINGS[code]), by=by)


def _answer(arrival: Message, code: str, description: str, *, by=None) -> None:
    document = arrival.incoming_document
    agency = document.agency if document is not None else hosted_agency(arrival.to_code)
    staff = edxml.Staff(name=by.get_full_name(), email=by.email) if by is not None else None
    status = edxml.StatusPackage(
        sender=_organ(agency) if agency else edxml.Organ(code=arrival.to_code),
        response_for=edxml.ResponseFor(
            organ_code=arrival.sender_code,
            code=document.reference if document is not None else "",
            promulgation_date=document.document_date if document is not None else None,
            document_id=arrival.document_id,
        ),
        status_code=code,
        description=description[:500],
        timestamp=_now_local(),
        staff=staff,
    )
    _send_status(status, to_code=arrival.sender_code, sender=agency)


def _dispatch(message: Message) -> Message | None:
    """Deliver at once to an agency hosted here (returns what it became there), or leave it in the outbox."""
    if hosted_agency(message.to_code) is not None:
        message.state, message.done_at = M.State.SENT, timezone.now()
        message.save()
        if message.recipient_id:
            _track(message.recipient, "sent")
        return take_in(_envelope(message))
    message.peer = route_for(message.to_code)
    message.next_attempt_at = timezone.now()
    message.save()
    _kick_outbox()
    return None


_last_kick = [0.0]


def _kick_outbox() -> None:
    """Have the outbox sent soon after the commit: at most twice a second from one process, since one flush
    sends everything due (a busy inbox would otherwise queue a flush per package); `exchange send --watch`
    sends what a kick misses."""
    now = time.monotonic()
    if now - _last_kick[0] >= 0.5:
        _last_kick[0] = now
        enqueue(flush_outbox_task)


def _envelope(message: Message) -> Envelope:
    return Envelope(
        message_id=message.message_id,
        kind=message.kind,
        sender_code=message.sender_code,
        to_code=message.to_code,
        payload=bytes(message.payload),
    )


def _track(item, transition: str) -> None:
    from vanphong.outgoing import services as outgoing

    outgoing.on_recipient_status(item, transition)


# The outbox


def transport_for(peer: Peer):
    from .transports.http import PlatformTransport
    from .transports.vxp import VxpTransport

    if peer.kind == Peer.Kind.NATIONAL_AXIS:
        return VxpTransport(endpoint=peer.url, system_id=peer.system_id, secret=peer.secret)
    return PlatformTransport(peer)


def backoff(attempts: int) -> datetime.timedelta:
    """Exponential back-off with jitter: base·2^(n-1), at most the maximum."""
    seconds = min(
        settings.VANPHONG_EXCHANGE_RETRY_BASE * 2 ** max(attempts - 1, 0), settings.VANPHONG_EXCHANGE_RETRY_MAX
    )
    return datetime.timedelta(seconds=seconds * random.uniform(0.8, 1.2))  # noqa: S311 (jitter, not a secret)


def flush_outbox(*, limit: int = 500) -> int:
    """Send every message due; returns how many the next hop took. Several at once (VANPHONG_EXCHANGE_SENDERS),
    so that a slow peer does not hold up the messages for the others."""
    now = timezone.now()
    due = Message.objects.filter(direction=M.Direction.OUT, state=M.State.QUEUED)
    due = due.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)).order_by("created_at", "pk")
    pks = list(due.values_list("pk", flat=True)[:limit])
    if len(pks) < 2 or settings.VANPHONG_EXCHANGE_SENDERS < 2 or connection.in_atomic_block:
        return sum(_attempt(pk) for pk in pks)  # inside a transaction, other threads would not see the rows
    with ThreadPoolExecutor(max_workers=settings.VANPHONG_EXCHANGE_SENDERS) as pool:
        return sum(pool.map(_attempt_in_thread, pks))


def _attempt_in_thread(pk: int) -> int:
    try:
        return _attempt(pk)
    finally:
        connections.close_all()  # this thread's own connections; Django closes only a request's


@task
def flush_outbox_task() -> None:
    flush_outbox()


def _attempt(pk: int) -> int:
    """One try at one message. No transaction is held while the peer answers (a slow peer must not lock this
    platform's database): the sender first leases the message by moving its next attempt past the timeout, so
    two senders do not both try it; if both did, the receiver would still take it in once."""
    now = timezone.now()
    lease = now + datetime.timedelta(seconds=settings.VANPHONG_EXCHANGE_TIMEOUT + 10)
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    queued = Message.objects.filter(pk=pk, state=M.State.QUEUED)
    if not queued.filter(due).update(next_attempt_at=lease):
        return 0  # another sender has it
    message = Message.objects.select_related("peer", "recipient").get(pk=pk)
    peer = message.peer if message.peer_id and message.peer.is_active else route_for(message.to_code)
    outcome = {"peer": peer}
    try:
        if peer is None:
            raise TransportError(_("No route to this agency: ask the operator to add one."))
        transport_for(peer).send(_envelope(message))
    except PermanentFailure as refusal:
        outcome.update(state=M.State.FAILED, reason=str(refusal)[:2000], done_at=timezone.now())
        tracking = "refused"
    except TransportError as error:
        outcome.update(attempts=message.attempts + 1, reason=str(error)[:2000])
        outcome["next_attempt_at"] = timezone.now() + backoff(message.attempts + 1)
        tracking = None
        logger.info("exchange: %s to %s not sent (%s)", message.message_id, message.to_code, error)
    else:
        outcome.update(state=M.State.SENT, reason="", done_at=timezone.now())
        tracking = "sent"
    with transaction.atomic():
        if not queued.update(**outcome):
            return 0
        if tracking and message.recipient_id:
            _track(message.recipient, tracking)
    return int(tracking == "sent")


def poll(*, peer: Peer | None = None) -> int:
    """Fetch what pulling peers (the national axis) hold for us; returns how many were taken in."""
    peers = [peer] if peer else Peer.objects.filter(is_active=True, kind=Peer.Kind.NATIONAL_AXIS)
    count = 0
    for each in peers:
        transport = transport_for(each)
        for envelope in transport.fetch():
            message = take_in(envelope, peer=each)
            ok = message.state != M.State.REJECTED
            transport.acknowledge(envelope, ok=ok, reason=message.reason)
            count += ok
    return count


# Taking packages in


def take_in(envelope: Envelope, *, peer: Peer | None = None) -> Message:
    """The one door for every package that arrives: from this platform, a peer's HTTP request or a poll. Returns
    the inbox row; a package already taken in returns the row it made the first time."""
    identity = {"direction": M.Direction.IN, "message_id": envelope.message_id, "to_code": envelope.to_code}
    existing = Message.objects.filter(**identity).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return _take_in(envelope, peer)
    except Rejected as refusal:
        return _reject(envelope, peer, str(refusal))
    except IntegrityError:  # the same package, taken in at the same moment by another request
        existing = Message.objects.filter(**identity).first()
        if existing is None:
            raise
        return existing


def _inbox_row(envelope: Envelope, peer, **fields) -> Message:
    return Message.objects.create(
        direction=M.Direction.IN,
        message_id=envelope.message_id,
        to_code=envelope.to_code,
        kind=fields.pop("kind", envelope.kind if envelope.kind in M.Kind.values else M.Kind.EDOC),
        sender_code=fields.pop("sender_code", envelope.sender_code),
        payload=envelope.payload,
        peer=peer,
        done_at=timezone.now(),
        **fields,
    )


_DOCUMENT_ID = re.compile(rb"DocumentId>\s*([^<]{1,200}?)\s*<")
_SENDER = re.compile(rb"From>\s*<(?:\w+:)?OrganId>\s*([^<]{1,35}?)\s*<")


def _reject(envelope: Envelope, peer, reason: str) -> Message:
    """Nothing of the package is kept but the inbox row saying why; a document's sender is told (status 02)."""
    head = envelope.payload[:65536]
    sender = envelope.sender_code or (m.group(1).decode("utf-8", "replace") if (m := _SENDER.search(head)) else "")
    found = _DOCUMENT_ID.search(head)
    document_id = found.group(1).decode("utf-8", "replace") if found else envelope.message_id
    with transaction.atomic():
        row = _inbox_row(
            envelope, peer, state=M.State.REJECTED, reason=reason[:4000], document_id=document_id, sender_code=sender
        )
        if envelope.kind != M.Kind.STATUS and sender:
            _answer(row, "02", reason)
    record("exchange.rejected", obj=row, after={"reason": reason[:500], "sender": sender})
    return row


def _trust_roots() -> list:
    from cryptography import x509

    from vanphong.signing.reports import trusted_roots

    return [x509.load_pem_x509_certificate(pem) for pem in trusted_roots()]


def _check_signature(payload: bytes) -> str:
    """A package signature that is present must be intact; one from a certificate we cannot trust is noted."""
    check = xmlsig.verify(payload, _trust_roots())
    if not check.present:
        return ""
    if check.valid:
        return _("Signed by %(signer)s") % {"signer": check.signer}
    if not check.intact:  # changed on the way, or not a signature we can read
        raise Rejected(_("The package's digital signature is broken: %(reason)s") % {"reason": check.reason})
    return check.reason


def _take_in(envelope: Envelope, peer) -> Message:
    try:
        package = edxml.parse(envelope.payload, limits=edxml.Limits.from_settings())
    except edxml.InvalidPackage as invalid:
        raise Rejected(str(invalid)) from invalid
    signature = _check_signature(envelope.payload)
    is_status = isinstance(package, edxml.StatusPackage)
    kind = M.Kind.STATUS if is_status else M.Kind.EDOC
    document_id = package.response_for.document_id if is_status else package.document_id
    fields = {"kind": kind, "sender_code": package.sender.code, "document_id": document_id, "signature": signature}
    if is_status:
        fields["status_code"] = package.status_code
    elif envelope.to_code not in {organ.code for organ in package.recipients}:
        raise Rejected(_("The package is not addressed to %(code)s.") % {"code": envelope.to_code})
    agency = hosted_agency(envelope.to_code)
    if agency is None:
        return _forward(envelope, peer, fields)
    if is_status:
        return _apply_status(envelope, peer, package, fields)
    if package.business.doc_type == edxml.BusinessType.RECALL:
        return _recalled(
            envelope,
            peer,
            package.business.document_id or document_id,
            package.sender.code,
            package.business.reason,
            fields,
        )
    return _deliver(envelope, peer, package, agency, fields)


def _forward(envelope: Envelope, peer, fields) -> Message:
    """Hub: a package for an agency hosted elsewhere goes on to the peer that reaches it."""
    onward = route_for(envelope.to_code)
    if onward is None or onward == peer:
        raise Rejected(
            _("No agency with the code %(code)s is reachable from this platform.") % {"code": envelope.to_code}
        )
    row = _inbox_row(envelope, peer, state=M.State.FORWARDED, **fields)
    _dispatch(
        Message(
            direction=M.Direction.OUT,
            kind=fields["kind"],
            message_id=envelope.message_id,
            sender_code=envelope.sender_code or fields["sender_code"],
            to_code=envelope.to_code,
            document_id=fields["document_id"],
            status_code=fields.get("status_code", ""),
            state=M.State.QUEUED,
            payload=envelope.payload,
        )
    )
    return row


def _document_type(package: edxml.DocumentPackage) -> str:
    by_label = {label.casefold(): value for value, label in DocumentType.choices}
    if package.type_name.strip().casefold() in by_label:
        return by_label[package.type_name.strip().casefold()]
    prefix = package.notation.split("-", 1)[0]
    return prefix if prefix in DocumentType.values else DocumentType.CONG_VAN


def _issuer(organ: edxml.Organ) -> Agency:
    """The sending agency in our directory, added as an external agency the first time it writes."""
    found = hosted_agency(organ.code) if organ.code.startswith(LOCAL_CODE_PREFIX) else None
    found = found or Agency.objects.filter(code=organ.code).first()
    if found is not None:
        return found
    return Agency.objects.create(
        code=organ.code,
        name=(organ.name or organ.code)[:250],
        is_hosted=False,
        email=organ.email[:254],
        address=organ.address[:300],
    )


def _deliver(envelope: Envelope, peer, package: edxml.DocumentPackage, agency: Agency, fields) -> Message:
    from vanphong.incoming import services as incoming

    issuer = _issuer(package.sender)
    try:
        files = [(store(upload=io.BytesIO(a.data), filename=a.name), a.name) for a in package.attachments]
        data = {
            "arrived_at": timezone.now(),
            "issuer": issuer,
            "issuer_name": package.sender.name or issuer.name,
            "number": package.number[:11],
            "notation": package.notation[:30],
            "document_date": package.promulgation_date,
            "document_type": _document_type(package),
            "summary": package.subject[:500],
            "signer": package.signer_name[:150],
            "urgency": min(package.priority, 3),
            "page_count": package.page_amount,
            "reply_deadline": package.due_date,
        }
        arrived = incoming.deliver(agency=agency, data=data, files=files)
    except FileRefused as refusal:
        raise Rejected(str(refusal)) from refusal
    except ValidationError as invalid:
        raise Rejected("; ".join(invalid.messages)) from invalid
    row = _inbox_row(envelope, peer, state=M.State.ACCEPTED, incoming_document=arrived, **fields)
    _match_reply(package, arrived)
    _supersede(package, envelope.to_code, arrived)
    _answer(row, "01", str(edxml.STATUS_MEANINGS["01"]))
    return row


def _supersede(package: edxml.DocumentPackage, to_code: str, arrived) -> None:
    """An update (cập nhật) or a replacement (thay thế) withdraws what it supersedes here, so the clerk sees the
    earlier arrival marked and works on the new one."""
    from vanphong.incoming import services as incoming

    business = package.business
    if business.doc_type == edxml.BusinessType.UPDATE:
        superseded, reason = [business.document_id or package.document_id], _("Updated by the sender")
    elif business.doc_type == edxml.BusinessType.REPLACE:
        superseded = [document_id for document_id, _codes in business.replacements]
        reason = business.reason or _("Replaced by the sender")
    else:
        return
    earlier = arrivals(document_ids=superseded, sender_code=package.sender.code, to_code=to_code)
    for arrival in earlier.filter(incoming_document__withdrawn_at__isnull=True).exclude(incoming_document=arrived):
        incoming.withdraw(document=arrival.incoming_document, reason=reason)


def _match_reply(package: edxml.DocumentPackage, arrived) -> None:
    """A reply to a document that asked for one: the asking document's tracking line records it."""
    for asked in package.response_for:
        sent = sent_to(document_id=asked.document_id, to_code=package.sender.code)
        if sent is not None:
            sent.recipient.reply, sent.recipient.replied_at = arrived, timezone.now()
            sent.recipient.save(update_fields=["reply", "replied_at"])


def _apply_status(envelope: Envelope, peer, package: edxml.StatusPackage, fields) -> Message:
    code = package.status_code
    if code == "13":
        return _recalled(
            envelope, peer, package.response_for.document_id, package.sender.code, package.description, fields
        )
    sent = sent_to(document_id=package.response_for.document_id, to_code=package.sender.code)
    if sent is None:
        raise Rejected(
            _("No document %(id)s was sent to %(code)s.")
            % {"id": package.response_for.document_id, "code": package.sender.code}
        )
    row = _inbox_row(envelope, peer, state=M.State.ACCEPTED, **fields)
    if code in STATUS_TO_RECIPIENT:
        _track(sent.recipient, STATUS_TO_RECIPIENT[code])
    record(
        f"exchange.status_{code}",
        obj=sent.recipient.document,
        after={"recipient": sent.recipient.name, "status": code, "description": package.description[:300]},
    )
    return row


def _recalled(envelope: Envelope, peer, document_id: str, sender_code: str, reason: str, fields) -> Message:
    """The sender takes its document back (13, or a package of business type recall): the arrival here is
    withdrawn and the sender hears 15 (agreed)."""
    from vanphong.incoming import services as incoming

    arrival = arrivals(document_ids=[document_id], sender_code=sender_code, to_code=envelope.to_code).first()
    if arrival is None:
        raise Rejected(_("No document %(id)s from %(code)s arrived here.") % {"id": document_id, "code": sender_code})
    row = _inbox_row(envelope, peer, state=M.State.ACCEPTED, **fields)
    if arrival.incoming_document.withdrawn_at is None:
        incoming.withdraw(document=arrival.incoming_document, reason=reason or _("Recalled by the sender"))
    _answer(arrival, "15", str(edxml.STATUS_MEANINGS["15"]))
    return row
