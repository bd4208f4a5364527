"""Every write on incoming documents: register, present, assign, pass on, notes, completion, returns, recalls,
extensions, urging and reminders. Each checks who acts, fires a transition of states.py, writes the timeline and
the audit log, and notifies the people concerned."""

import datetime
from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.audit.services import record
from vanphong.core.document_types import Secrecy
from vanphong.core.files import store
from vanphong.core.sequences import take_next
from vanphong.intake.services import read_once
from vanphong.notifications.services import notify
from vanphong.organizations.models import Agency, Position, Role, Unit
from vanphong.organizations.selectors import acting_holders, acts_as
from vanphong.signing.reports import verify_stored_file
from vanphong.workcalendar.selectors import is_working_day, working_days_between

from . import permissions, selectors
from .errors import DuplicateSuspected, IncomingError, NotVisible
from .models import (
    REGISTRATION_FIELDS,
    Assignment,
    Attachment,
    Event,
    ExtensionRequest,
    IncomingDocument,
    IncomingRegister,
    ReceivedVia,
    RegisterCounter,
    ReminderSent,
)
from .states import AssignmentState, HandlingState, assignment, handling

A = AssignmentState


def _url(document) -> str:
    return reverse("incoming:detail", args=[document.pk])


def _event(document, kind, *, by=None, assignment_=None, text=""):
    return Event.objects.create(document=document, assignment=assignment_, kind=kind, actor=by, text=text)


def _audit(action, obj, *, by, before=None, after=None):
    record(f"incoming.{action}", obj=obj, actor=by, before=before, after=after)


def actors_of(assignment_: Assignment):
    """The people who act on an assignment today: the person (and their delegates), or the unit's leaders."""
    if assignment_.assignee_person_id:
        return [assignment_.assignee_person]
    unit = assignment_.assignee_unit
    leaders = list(acting_holders(agency=unit.agency, role=Role.UNIT_HEAD, unit=unit))
    return leaders or list(acting_holders(agency=unit.agency, role=Role.UNIT_DEPUTY, unit=unit))


def _notify_actors(assignment_, title, body=""):
    for person in actors_of(assignment_):
        notify(recipient=person, title=title, body=body, url=_url(assignment_.document), kind="incoming")


def _new_assignment(document, **fields) -> Assignment:
    # The agency and the arrival time are copied so that work lists filter and sort without reading documents.
    return Assignment.objects.create(
        document=document, agency=document.agency, document_arrived_at=document.arrived_at, **fields
    )


# Registration (tiếp nhận, đăng ký)


def take_number(*, register: IncomingRegister, year: int) -> int:
    """The next incoming number of a register in a year: consecutive, never repeated or skipped, also when
    several clerks register at the same moment (the counter row is locked until the transaction ends)."""
    return take_next(RegisterCounter, register=register, year=year)


def _check_register(*, register, agency, secrecy):
    if register.agency_id != agency.pk or not register.is_active:
        raise IncomingError(_("Choose one of your agency's registers in use."))
    has_secret_register = IncomingRegister.objects.filter(
        agency=agency, is_active=True, for_secret_documents=True
    ).exists()
    if secrecy != Secrecy.NONE and has_secret_register and not register.for_secret_documents:
        raise IncomingError(_("Documents with a secrecy mark go into the register for secret documents."))
    if secrecy == Secrecy.NONE and register.for_secret_documents:
        raise IncomingError(_("This register is only for documents with a secrecy mark."))


def _store_files(files: Iterable, *, secrecy: int) -> list[tuple[object, str]]:
    """Every file passes the intake checks before anything is saved; a refusal raises FileRefused."""
    files = list(files or ())
    if files and secrecy != Secrecy.NONE:
        raise IncomingError(_("A document with a secrecy mark is registered without any electronic file."))
    return [(store(upload=upload, filename=upload.name), upload.name) for upload in files]


def _attach(document, stored, *, by, assignment_=None):
    for stored_file, filename in stored:
        Attachment.objects.create(
            document=document, stored_file=stored_file, filename=filename, added_by=by, assignment=assignment_
        )
        # every signature checked on arrival, once the file is saved for good (nothing at all for non-PDFs)
        transaction.on_commit(partial(verify_stored_file, stored_file=stored_file), robust=True)
        # its text read (OCR for a scan) in the background, for search
        read_once(stored_file=stored_file, filename=filename, agency=document.agency, by=by)


def receive(
    *,
    agency: Agency,
    by,
    data: dict,
    files: Iterable = (),
    register: IncomingRegister | None = None,
    confirm_duplicate: bool = False,
    kept_files: Iterable[tuple] = (),
) -> IncomingDocument:
    """The clerk takes a document in. With a register it is registered at once (vào sổ) and gets its incoming
    number; without one it waits in "chờ vào sổ". Nothing is saved when any check fails. `kept_files` are
    (StoredFile, file name) pairs already taken in and checked, such as a scan read before the form was filled."""
    if not permissions.is_clerk_of(by, agency):
        raise NotVisible(_("Only the agency's clerk registers incoming documents."))
    if register is not None:
        _check_register(register=register, agency=agency, secrecy=data.get("secrecy", Secrecy.NONE))
    issuer = data.get("issuer")
    data = {**data, "issuer_name": (data.get("issuer_name") or (issuer.name if issuer else "")).strip()}
    if not data["issuer_name"]:
        raise IncomingError(_("Choose the issuing agency or type its name."))
    if not confirm_duplicate:
        duplicates = list(
            selectors.likely_duplicates(
                agency=agency,
                issuer=issuer,
                issuer_name=data["issuer_name"],
                number=data.get("number", ""),
                notation=data.get("notation", ""),
                document_date=data["document_date"],
            )[:5]
        )
        if duplicates:
            raise DuplicateSuspected(
                _("A document from the same issuer with the same number, notation and date is already registered."),
                duplicates,
            )
    stored = _store_files(files, secrecy=data.get("secrecy", Secrecy.NONE))
    kept_files = list(kept_files)
    if kept_files and data.get("secrecy", Secrecy.NONE) != Secrecy.NONE:
        raise IncomingError(_("A document with a secrecy mark is registered without any electronic file."))
    stored += kept_files
    with transaction.atomic():
        document = IncomingDocument(
            agency=agency, created_by=by, **{k: data.get(k) for k in REGISTRATION_FIELDS if data.get(k) is not None}
        )
        document.full_clean(exclude=["register", "year", "incoming_number"])
        document.save()
        _attach(document, stored, by=by)
        _event(document, Event.Kind.RECEIVED, by=by)
        _audit("received", document, by=by, after={"issuer": data["issuer_name"], "reference": document.reference})
        if register is not None:
            _number(document, register=register, by=by)
    return document


def deliver(*, agency: Agency, data: dict, files: Iterable[tuple]) -> IncomingDocument:
    """A document sent to a hosted agency (by the exchange: from this platform or elsewhere) arrives electronically
    and waits for its clerk to register it (chờ vào sổ). `files`: (StoredFile, file name) pairs;
    their signatures are verified on arrival. Every file is scanned for viruses first, as for any file that
    enters (Infected, ScanPending: nothing arrives)."""
    from vanphong.intake.checks import assert_clean

    files = list(files)
    assert_clean(files, agency=agency, detail=data.get("issuer_name", ""))
    document = IncomingDocument(
        agency=agency,
        received_via=ReceivedVia.ELECTRONIC,
        **{k: data.get(k) for k in REGISTRATION_FIELDS if data.get(k) is not None},
    )
    document.full_clean(exclude=["register", "year", "incoming_number", "created_by"])
    document.save()
    _attach(document, list(files), by=None)
    _event(
        document, Event.Kind.RECEIVED, text=_("Sent on this platform by %(issuer)s") % {"issuer": document.issuer_name}
    )
    _audit("received", document, by=None, after={"issuer": document.issuer_name, "reference": document.reference})
    for clerk in acting_holders(agency=agency, role=Role.CLERK):
        notify(
            recipient=clerk,
            title=_("Electronic document to register: %(summary)s") % {"summary": document.summary[:120]},
            url=_url(document),
            kind="incoming",
        )
    return document


def withdraw(*, document: IncomingDocument, reason: str) -> IncomingDocument:
    """The sender recalled or replaced the document: it is marked, its open work is recalled, and the clerk and
    the people working on it are told."""
    document.withdrawn_at, document.withdrawn_reason = timezone.now(), reason
    document.save(update_fields=["withdrawn_at", "withdrawn_reason"])
    people = {p.pk: p for p in acting_holders(agency=document.agency, role=Role.CLERK)}
    for item in document.assignments.filter(state__in=A.OPEN):
        for person in actors_of(item):
            people[person.pk] = person
        assignment.fire(item, "recall")
        item.save(update_fields=["state"])
    _event(document, Event.Kind.RECALLED, text=reason)
    _audit("withdrawn", document, by=None, after={"reason": reason})
    for person in people.values():
        notify(
            recipient=person,
            title=_("Recalled by the sender: %(summary)s") % {"summary": document.summary[:120]},
            body=reason,
            url=_url(document),
            kind="incoming",
        )
    return document


def complete_by_reply(*, document: IncomingDocument, by, reply_reference: str) -> None:
    """The reply to this document was issued: the drafter's open work on it is completed with the reply's number."""
    result = _("Answered by document %(reference)s") % {"reference": reply_reference}
    for item in document.assignments.filter(state__in=A.OPEN, assignee_person=by):
        assignment.fire(item, "complete")
        _finish(item, result=result, by=by)
        _audit("completed", item, by=by, after={"state": item.state, "result": result})
        _cascade_completion(item, by=by)


def _number(document, *, register, by):
    before, after = handling.fire(document, "register", by=by)
    document.register = register
    document.year = timezone.localdate().year
    document.incoming_number = take_number(register=register, year=document.year)
    document.registered_by, document.registered_at = by, timezone.now()
    document.save(update_fields=["state", "register", "year", "incoming_number", "registered_by", "registered_at"])
    _event(
        document,
        Event.Kind.REGISTERED,
        by=by,
        text=_("Incoming number %(n)s in %(register)s") % {"n": document.incoming_number, "register": register.name},
    )
    _audit(
        "registered",
        document,
        by=by,
        before={"state": before},
        after={"state": after, "register": register.pk, "year": document.year, "number": document.incoming_number},
    )


@transaction.atomic
def register_received(*, document: IncomingDocument, register: IncomingRegister, by) -> IncomingDocument:
    document = IncomingDocument.objects.select_for_update().get(pk=document.pk)
    if not permissions.is_clerk_of_document(by, document):
        raise NotVisible(_("Only the agency's clerk registers incoming documents."))
    _check_register(register=register, agency=document.agency, secrecy=document.secrecy)
    _number(document, register=register, by=by)
    return document


@transaction.atomic
def reject(*, document: IncomingDocument, by, reason: str) -> IncomingDocument:
    """Trả lại nơi gửi: a document wrongly addressed or invalid is not registered."""
    if not reason.strip():
        raise IncomingError(_("Give the reason."))
    before, after = handling.fire(document, "reject", by=by, reason=reason)
    document.save(update_fields=["state"])
    _event(document, Event.Kind.RETURNED, by=by, text=reason)
    _audit("rejected", document, by=by, before={"state": before}, after={"state": after, "reason": reason})
    return document


# Presenting and instructions (trình, chỉ đạo)


def leaders_of(agency: Agency):
    """The people a clerk may present to: whoever acts as head or deputy head today."""
    heads = acting_holders(agency=agency, role=Role.HEAD)
    deputies = acting_holders(agency=agency, role=Role.DEPUTY_HEAD)
    return (heads | deputies).distinct()


@transaction.atomic
def present(*, document: IncomingDocument, by, to, note: str = "") -> Assignment:
    if not leaders_of(document.agency).filter(pk=to.pk).exists():
        raise IncomingError(_("Present the document to the head or a deputy head of the agency."))
    before, after = handling.fire(document, "present", by=by)
    document.presented_to = to
    document.save(update_fields=["state", "presented_to"])
    decision = _new_assignment(
        document, role=Assignment.Role.DECIDE, assignee_person=to, assigned_by=by, instruction=note
    )
    _event(document, Event.Kind.PRESENTED, by=by, assignment_=decision, text=note)
    _audit("presented", document, by=by, before={"state": before}, after={"state": after, "to": to.username})
    _notify_actors(decision, _("Document for your instructions: %(summary)s") % {"summary": document.summary[:120]})
    return decision


def _close_decision(document, transition: str, *, result: str) -> None:
    decision = document.assignments.filter(role=Assignment.Role.DECIDE, state__in=A.OPEN).first()
    if decision:
        assignment.fire(decision, transition)
        decision.result, decision.finished_at = result, timezone.now()
        decision.save(update_fields=["state", "result", "finished_at"])


@transaction.atomic
def return_to_clerk(*, document: IncomingDocument, by, reason: str) -> IncomingDocument:
    if not reason.strip():
        raise IncomingError(_("Give the reason."))
    before, after = handling.fire(document, "return", by=by)
    document.save(update_fields=["state"])
    _close_decision(document, "sent_back", result=reason)
    _event(document, Event.Kind.RETURNED, by=by, text=reason)
    _audit("returned_to_clerk", document, by=by, before={"state": before}, after={"state": after, "reason": reason})
    if document.registered_by:
        notify(
            recipient=document.registered_by,
            title=_("Document returned: %(summary)s") % {"summary": document.summary[:120]},
            body=reason,
            url=_url(document),
            kind="incoming",
        )
    return document


def _validate_assignees(document, targets, *, allow_units=True):
    for target in targets:
        if isinstance(target, Unit):
            if not allow_units or document.is_secret:
                raise IncomingError(_("A document with a secrecy mark is assigned to named people only."))
            if target.agency_id != document.agency_id or not target.is_active:
                raise IncomingError(_("%(unit)s is not a unit of this agency.") % {"unit": target.name})
        elif not Position.objects.current().filter(person=target, agency=document.agency).exists():
            raise IncomingError(_("%(person)s does not work in this agency.") % {"person": target})


def _create(document, *, role, target, by, deadline, instruction, parent=None) -> Assignment:
    item = _new_assignment(
        document,
        parent=parent,
        role=role,
        assignee_unit=target if isinstance(target, Unit) else None,
        assignee_person=None if isinstance(target, Unit) else target,
        assigned_by=by,
        deadline=deadline if role != Assignment.Role.INFORM else None,
        instruction=instruction,
    )
    kind = Event.Kind.FORWARDED if parent else Event.Kind.ASSIGNED
    _event(document, kind, by=by, assignment_=item, text=f"{item.get_role_display()}: {item.assignee_label}")
    _audit(
        "assigned",
        item,
        by=by,
        after={
            "document": document.pk,
            "role": role,
            "to": item.assignee_label,
            "deadline": deadline,
            "parent": parent.pk if parent else None,
        },
    )
    titles = {
        Assignment.Role.LEAD: _("You lead the handling of: %(summary)s"),
        Assignment.Role.COORDINATE: _("You co-ordinate the handling of: %(summary)s"),
        Assignment.Role.INFORM: _("For your information: %(summary)s"),
    }
    _notify_actors(item, titles[role] % {"summary": document.summary[:120]}, instruction)
    return item


@transaction.atomic
def assign(
    *,
    document: IncomingDocument,
    by,
    lead,
    coordinating=(),
    for_information=(),
    deadline: datetime.date | None,
    instruction: str,
) -> list[Assignment]:
    """The head's instruction and assignment (ý kiến chỉ đạo, phân công): a lead unit or person, co-ordinating
    units or people and people who only need to know, with a deadline."""
    targets = [lead, *coordinating, *for_information]
    _validate_assignees(document, targets)
    if len({(type(t), t.pk) for t in targets}) != len(targets):
        raise IncomingError(_("Each unit or person appears once only."))
    if deadline is not None and deadline < timezone.localdate():
        raise IncomingError(_("The deadline cannot be in the past."))
    before, after = handling.fire(document, "assign", by=by)
    document.deadline, document.instruction = deadline, instruction
    document.save(update_fields=["state", "deadline", "instruction"])
    _close_decision(document, "decided", result=instruction)
    _audit(
        "instructed",
        document,
        by=by,
        before={"state": before},
        after={"state": after, "deadline": deadline, "instruction": instruction},
    )
    created = [
        _create(document, role=Assignment.Role.LEAD, target=lead, by=by, deadline=deadline, instruction=instruction)
    ]
    created += [
        _create(document, role=Assignment.Role.COORDINATE, target=t, by=by, deadline=deadline, instruction=instruction)
        for t in coordinating
    ]
    created += [
        _create(document, role=Assignment.Role.INFORM, target=t, by=by, deadline=None, instruction=instruction)
        for t in for_information
    ]
    return created


@transaction.atomic
def forward(
    *, assignment_: Assignment, by, to, for_information=(), deadline: datetime.date | None = None, instruction: str = ""
) -> list[Assignment]:
    """A unit head passes the unit's work to a specialist of the unit (and, to read, to others of the unit)."""
    unit = assignment_.assignee_unit
    for person in (to, *for_information):
        if unit is None or not Position.objects.current().filter(person=person, unit=unit).exists():
            raise IncomingError(_("%(person)s is not in the unit.") % {"person": person})
    if deadline and assignment_.deadline and deadline > assignment_.deadline:
        raise IncomingError(_("The deadline cannot be later than the unit's own."))
    before, after = assignment.fire(assignment_, "forward", by=by)
    assignment_.save(update_fields=["state"])
    _audit("forwarded", assignment_, by=by, before={"state": before}, after={"state": after, "to": to.username})
    document = assignment_.document
    created = [
        _create(
            document,
            role=assignment_.role,
            target=to,
            by=by,
            deadline=deadline or assignment_.deadline,
            instruction=instruction,
            parent=assignment_,
        )
    ]
    created += [
        _create(
            document,
            role=Assignment.Role.INFORM,
            target=p,
            by=by,
            deadline=None,
            instruction=instruction,
            parent=assignment_,
        )
        for p in for_information
    ]
    return created


# The work itself


@transaction.atomic
def start(*, assignment_: Assignment, by) -> Assignment:
    before, after = assignment.fire(assignment_, "start", by=by)
    assignment_.save(update_fields=["state"])
    _event(assignment_.document, Event.Kind.STARTED, by=by, assignment_=assignment_)
    _audit("started", assignment_, by=by, before={"state": before}, after={"state": after})
    return assignment_


def add_note(*, assignment_: Assignment, by, text: str, files: Iterable = ()) -> Event:
    """A progress note, with files if any (ý kiến, tiến độ xử lý)."""
    if not permissions.acts_on_assignment(by, assignment_) or not assignment_.is_open:
        raise NotVisible(_("This step is not possible for this assignment now."))
    if not text.strip() and not files:
        raise IncomingError(_("Write a note or add a file."))
    stored = _store_files(files, secrecy=assignment_.document.secrecy)
    with transaction.atomic():
        if assignment_.state == A.PENDING:
            start(assignment_=assignment_, by=by)
        document = assignment_.document
        _attach(document, stored, by=by, assignment_=assignment_)
        for _stored_file, filename in stored:
            _event(document, Event.Kind.FILE, by=by, assignment_=assignment_, text=filename)
        event = _event(document, Event.Kind.NOTE, by=by, assignment_=assignment_, text=text) if text.strip() else None
        _audit("note_added", assignment_, by=by, after={"text": text, "files": [name for _s, name in stored]})
    return event


def complete(*, assignment_: Assignment, by, result: str, files: Iterable = ()) -> Assignment:
    """The work is done (hoàn thành), with its result. A co-ordinating unit's completion is its report to the lead.
    Completing a specialist's work completes the unit's; completing the lead's completes the document."""
    if not result.strip():
        raise IncomingError(_("Write the result of the work."))
    stored = _store_files(files, secrecy=assignment_.document.secrecy)
    with transaction.atomic():
        before, after = assignment.fire(assignment_, "complete", by=by)
        _finish(assignment_, result=result, by=by)
        _attach(assignment_.document, stored, by=by, assignment_=assignment_)
        _audit("completed", assignment_, by=by, before={"state": before}, after={"state": after, "result": result})
        _cascade_completion(assignment_, by=by)
    return assignment_


def _finish(item, *, result, by):
    item.result, item.finished_at = result, timezone.now()
    item.save(update_fields=["state", "result", "finished_at"])
    kind = Event.Kind.REPORTED if item.role == Assignment.Role.COORDINATE else Event.Kind.COMPLETED
    _event(item.document, kind, by=by, assignment_=item, text=result)


def _cascade_completion(item, *, by):
    document = item.document
    parent = item.parent
    if parent is not None and parent.is_open and item.role != Assignment.Role.INFORM:
        assignment.fire(parent, "complete_from_child")
        _finish(parent, result=item.result, by=by)
        _audit("completed", parent, by=by, after={"state": parent.state, "by_child": item.pk})
        _cascade_completion(parent, by=by)
        return
    if parent is None and item.role == Assignment.Role.LEAD:
        before, after = handling.fire(document, "complete")
        document.completed_at = timezone.now()
        document.save(update_fields=["state", "completed_at"])
        _audit("document_completed", document, by=by, before={"state": before}, after={"state": after})
        notify(
            recipient=_top_assigner(item),
            title=_("Completed: %(summary)s") % {"summary": document.summary[:120]},
            body=item.result,
            url=_url(document),
            kind="incoming",
        )
    elif item.role == Assignment.Role.COORDINATE:
        lead = document.assignments.filter(role=Assignment.Role.LEAD, parent=None, state__in=A.OPEN).first()
        if lead:
            _notify_actors(lead, _("Co-ordinating report from %(unit)s") % {"unit": item.assignee_label}, item.result)


def _top_assigner(item):
    while item.parent_id:
        item = item.parent
    return item.assigned_by


@transaction.atomic
def mark_read(*, assignment_: Assignment, by) -> Assignment:
    """Để biết: opening the document is reading it."""
    if (
        assignment_.role == Assignment.Role.INFORM
        and assignment_.state == A.PENDING
        and permissions.acts_on_assignment(by, assignment_)
    ):
        assignment_.state, assignment_.finished_at = A.DONE, timezone.now()
        assignment_.save(update_fields=["state", "finished_at"])
    return assignment_


@transaction.atomic
def return_assignment(*, assignment_: Assignment, by, reason: str) -> Assignment:
    """Trả lại: the work goes back to whoever assigned it, with the reason."""
    if not reason.strip():
        raise IncomingError(_("Give the reason."))
    before, after = assignment.fire(assignment_, "return", by=by)
    assignment_.result, assignment_.finished_at = reason, timezone.now()
    assignment_.save(update_fields=["state", "result", "finished_at"])
    document = assignment_.document
    _event(document, Event.Kind.RETURNED, by=by, assignment_=assignment_, text=reason)
    _audit("returned", assignment_, by=by, before={"state": before}, after={"state": after, "reason": reason})
    _back_to_assigner(assignment_, by=by)
    notify(
        recipient=assignment_.assigned_by,
        title=_("Returned to you: %(summary)s") % {"summary": document.summary[:120]},
        body=reason,
        url=_url(document),
        kind="incoming",
    )
    return assignment_


def _back_to_assigner(item, *, by):
    """After a return or a recall the assigner has the work again: the unit's own assignment reopens, or the
    document goes back to the head for new instructions."""
    parent, document = item.parent, item.document
    if parent is not None:
        if (
            parent.state == A.IN_PROGRESS
            and not parent.children.filter(state__in=A.OPEN).exclude(role=Assignment.Role.INFORM).exists()
        ):
            assignment.fire(parent, "reopen")
            parent.save(update_fields=["state"])
    elif item.role == Assignment.Role.LEAD and document.state == HandlingState.IN_PROGRESS:
        before, after = handling.fire(document, "lead_returned")
        document.presented_to = item.assigned_by
        document.save(update_fields=["state", "presented_to"])
        _new_assignment(document, role=Assignment.Role.DECIDE, assignee_person=item.assigned_by, assigned_by=by)
        _audit("back_for_instructions", document, by=by, before={"state": before}, after={"state": after})


@transaction.atomic
def recall(*, assignment_: Assignment, by) -> Assignment:
    """The assigner takes an assignment back (thu hồi), with everything passed on from it."""
    before, after = assignment.fire(assignment_, "recall", by=by)
    assignment_.finished_at = timezone.now()
    assignment_.save(update_fields=["state", "finished_at"])
    for child in assignment_.children.filter(state__in=A.OPEN):
        child.state, child.finished_at = A.RECALLED, timezone.now()
        child.save(update_fields=["state", "finished_at"])
    _event(assignment_.document, Event.Kind.RECALLED, by=by, assignment_=assignment_, text=assignment_.assignee_label)
    _audit("recalled", assignment_, by=by, before={"state": before}, after={"state": after})
    _back_to_assigner(assignment_, by=by)
    return assignment_


# Deadlines: extensions, urging, reminders


@transaction.atomic
def request_extension(*, assignment_: Assignment, by, new_deadline: datetime.date, reason: str) -> ExtensionRequest:
    if not permissions.acts_on_assignment(by, assignment_) or not assignment_.is_open:
        raise NotVisible(_("This step is not possible for this assignment now."))
    if not reason.strip():
        raise IncomingError(_("Give the reason."))
    if assignment_.deadline and new_deadline <= assignment_.deadline:
        raise IncomingError(_("The new deadline must be later than the current one."))
    if assignment_.extension_requests.filter(state=ExtensionRequest.State.PENDING).exists():
        raise IncomingError(_("An extension request is already waiting for a decision."))
    request = ExtensionRequest.objects.create(
        assignment=assignment_, requested_by=by, requested_deadline=new_deadline, reason=reason
    )
    _event(
        assignment_.document,
        Event.Kind.EXTENSION_REQUESTED,
        by=by,
        assignment_=assignment_,
        text=f"{new_deadline:%d/%m/%Y}: {reason}",
    )
    _audit("extension_requested", assignment_, by=by, after={"deadline": new_deadline, "reason": reason})
    notify(
        recipient=assignment_.assigned_by,
        title=_("Extension requested: %(summary)s") % {"summary": assignment_.document.summary[:120]},
        body=reason,
        url=_url(assignment_.document),
        kind="incoming",
    )
    return request


@transaction.atomic
def decide_extension(*, request: ExtensionRequest, by, grant: bool) -> ExtensionRequest:
    item = request.assignment
    if not permissions.assigned_it(by, item) or request.state != ExtensionRequest.State.PENDING:
        raise NotVisible(_("This step is not possible for this assignment now."))
    request.state = ExtensionRequest.State.GRANTED if grant else ExtensionRequest.State.REFUSED
    request.decided_by, request.decided_at = by, timezone.now()
    request.save(update_fields=["state", "decided_by", "decided_at"])
    before = {"deadline": item.deadline}
    if grant:
        item.deadline = request.requested_deadline
        item.save(update_fields=["deadline"])
        if item.parent_id is None and item.role == Assignment.Role.LEAD:
            item.document.deadline = request.requested_deadline
            item.document.save(update_fields=["deadline"])
    kind = Event.Kind.EXTENSION_GRANTED if grant else Event.Kind.EXTENSION_REFUSED
    _event(item.document, kind, by=by, assignment_=item, text=f"{request.requested_deadline:%d/%m/%Y}")
    _audit(
        "extension_granted" if grant else "extension_refused",
        item,
        by=by,
        before=before,
        after={"deadline": item.deadline},
    )
    title = _("Extension granted") if grant else _("Extension refused")
    notify(
        recipient=request.requested_by,
        title=f"{title}: {item.document.summary[:120]}",
        url=_url(item.document),
        kind="incoming",
    )
    return request


@transaction.atomic
def urge(*, assignment_: Assignment, by, message: str = "") -> None:
    """Đôn đốc: the assigner or a leader of the agency reminds the people working on it."""
    allowed = (
        permissions.assigned_it(by, assignment_)
        or acts_as(by, agency=assignment_.agency, role=Role.HEAD)
        or acts_as(by, agency=assignment_.agency, role=Role.DEPUTY_HEAD)
    )
    if not allowed or not assignment_.is_open:
        raise NotVisible(_("This step is not possible for this assignment now."))
    _event(assignment_.document, Event.Kind.URGED, by=by, assignment_=assignment_, text=message)
    _audit("urged", assignment_, by=by, after={"message": message})
    _notify_actors(
        assignment_, _("Please speed up: %(summary)s") % {"summary": assignment_.document.summary[:120]}, message
    )


def send_reminders(*, today: datetime.date | None = None) -> int:
    """Reminders before the deadline, on the day, and each working day while overdue. Safe to run many times a day:
    each assignment gets each kind of reminder once a day. Returns how many were sent."""
    today = today or timezone.localdate()
    if not is_working_day(today):
        return 0
    sent = 0
    open_work = Assignment.objects.filter(
        state__in=A.OPEN,
        deadline__isnull=False,
        role__in=(Assignment.Role.LEAD, Assignment.Role.COORDINATE),
        deadline__lte=today + datetime.timedelta(days=14),
    ).select_related("document", "assignee_unit__agency", "assignee_person")
    for item in open_work.iterator(chunk_size=500):
        if item.deadline < today:
            kind, title = (
                "overdue",
                _("Overdue by %(n)s working days: %(summary)s")
                % {"n": working_days_between(item.deadline, today), "summary": item.document.summary[:120]},
            )
        elif item.deadline == today:
            kind, title = "due_today", _("Due today: %(summary)s") % {"summary": item.document.summary[:120]}
        elif working_days_between(today, item.deadline) <= selectors.DUE_SOON_WORKING_DAYS:
            kind, title = (
                "due_soon",
                _("Due on %(day)s: %(summary)s")
                % {"day": item.deadline.strftime("%d/%m/%Y"), "summary": item.document.summary[:120]},
            )
        else:
            continue
        with transaction.atomic():
            _reminder, created = ReminderSent.objects.get_or_create(assignment=item, day=today, kind=kind)
            if not created:
                continue
            _event(item.document, Event.Kind.REMINDED, assignment_=item, text=title)
            _notify_actors(item, title)
        sent += 1
    return sent
