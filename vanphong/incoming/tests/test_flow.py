"""The incoming flow through the services: clerk → head → units → specialists, returns, recalls, extensions."""

import datetime

import pytest
from django.utils import timezone

from vanphong.audit.models import AuditEntry
from vanphong.core.state_machine import TransitionNotAllowed
from vanphong.incoming import selectors, services
from vanphong.incoming.errors import DuplicateSuspected, IncomingError, NotVisible
from vanphong.incoming.models import Assignment, Event
from vanphong.incoming.states import AssignmentState, HandlingState
from vanphong.incoming.tests.conftest import document_data, sample_pdf
from vanphong.notifications.models import Notification

pytestmark = pytest.mark.django_db
IN_TWO_WEEKS = timezone.localdate() + datetime.timedelta(days=14)


def registered(office, **changes):
    return services.receive(
        agency=office.agency,
        by=office.clerk,
        data=document_data(**changes),
        files=[sample_pdf()],
        register=office.register,
    )


def assigned(office):
    document = registered(office)
    services.present(document=document, by=office.clerk, to=office.head)
    services.assign(
        document=document,
        by=office.head,
        lead=office.budget_unit,
        coordinating=[office.office_unit],
        for_information=[office.deputy],
        deadline=IN_TWO_WEEKS,
        instruction="Giao Phòng NS chủ trì",
    )
    document.refresh_from_db()
    return document


def lead_of(document):
    return document.assignments.get(role=Assignment.Role.LEAD, parent=None)


def test_the_whole_flow_from_registration_to_completion(office):
    document = registered(office)
    assert (document.incoming_number, document.state) == (1, HandlingState.REGISTERED)
    assert document.attachments.get().stored_file.content_type == "application/pdf"

    services.present(document=document, by=office.clerk, to=office.head, note="Kính trình Giám đốc")
    assert selectors.counters(office.head)["to_handle"] == 1

    services.assign(
        document=document,
        by=office.head,
        lead=office.budget_unit,
        coordinating=[office.office_unit],
        for_information=[office.deputy],
        deadline=IN_TWO_WEEKS,
        instruction="Giao Phòng NS chủ trì",
    )
    document.refresh_from_db()
    assert document.state == HandlingState.IN_PROGRESS
    assert document.deadline == IN_TWO_WEEKS
    lead = lead_of(document)
    assert [a.document for a in selectors.work_list(office.budget_head, "to_handle")] == [document]
    assert [a.document for a in selectors.work_list(office.deputy, "for_information")] == [document]

    [child] = services.forward(assignment_=lead, by=office.budget_head, to=office.specialist, instruction="Em xử lý")
    assert child.deadline == IN_TWO_WEEKS
    assert selectors.counters(office.specialist)["to_handle"] == 1

    coordinating = document.assignments.get(role=Assignment.Role.COORDINATE)
    services.complete(assignment_=coordinating, by=office.office_head, result="VP đã cung cấp số liệu")
    assert Notification.objects.filter(recipient=office.budget_head, title__contains="phối hợp").exists()

    services.add_note(assignment_=child, by=office.specialist, text="Đang tổng hợp", files=[sample_pdf("so-lieu.pdf")])
    child.refresh_from_db()
    assert child.state == AssignmentState.IN_PROGRESS
    services.complete(assignment_=child, by=office.specialist, result="Đã có văn bản trả lời")

    document.refresh_from_db()
    lead.refresh_from_db()
    assert lead.state == AssignmentState.DONE
    assert document.state == HandlingState.DONE
    assert selectors.due_status(deadline=document.deadline, finished_at=document.completed_at) == "done"
    kinds = list(document.events.values_list("kind", flat=True))
    for kind in (
        "received",
        "registered",
        "presented",
        "assigned",
        "forwarded",
        "started",
        "note",
        "file",
        "reported",
        "completed",
    ):
        assert kind in kinds
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "incoming.registered",
        "incoming.presented",
        "incoming.instructed",
        "incoming.forwarded",
        "incoming.completed",
        "incoming.document_completed",
    } <= actions
    assert Notification.objects.filter(recipient=office.head, title__startswith="Đã hoàn thành").exists()


def test_a_document_waits_for_registration_then_gets_its_number(office):
    document = services.receive(agency=office.agency, by=office.clerk, data=document_data())
    assert document.state == HandlingState.RECEIVED and document.incoming_number is None
    assert [d.pk for d in selectors.work_list(office.clerk, "to_register")] == [document.pk]
    services.register_received(document=document, register=office.register, by=office.clerk)
    document.refresh_from_db()
    assert document.incoming_number == 1


def test_a_likely_duplicate_is_flagged_and_can_be_confirmed(office):
    registered(office)
    with pytest.raises(DuplicateSuspected) as suspicion:
        registered(office)
    assert len(suspicion.value.duplicates) == 1
    second = services.receive(
        agency=office.agency, by=office.clerk, data=document_data(), register=office.register, confirm_duplicate=True
    )
    assert second.incoming_number == 2


def test_a_secret_document_takes_no_file_goes_to_the_secret_register_and_named_people_only(office):
    with pytest.raises(IncomingError, match="không kèm tệp"):
        services.receive(
            agency=office.agency,
            by=office.clerk,
            data=document_data(secrecy=1),
            files=[sample_pdf()],
            register=office.secret_register,
        )
    with pytest.raises(IncomingError, match="sổ văn bản mật"):
        services.receive(agency=office.agency, by=office.clerk, data=document_data(secrecy=1), register=office.register)
    document = services.receive(
        agency=office.agency, by=office.clerk, data=document_data(secrecy=1), register=office.secret_register
    )
    assert document.incoming_number == 1  # the secret register has its own numbers
    services.present(document=document, by=office.clerk, to=office.head)
    with pytest.raises(IncomingError, match="đích danh"):
        services.assign(document=document, by=office.head, lead=office.budget_unit, deadline=None, instruction="")
    services.assign(document=document, by=office.head, lead=office.specialist, deadline=None, instruction="Mật")
    assert selectors.visible_documents(office.specialist).filter(pk=document.pk).exists()
    assert not selectors.visible_documents(office.deputy).filter(pk=document.pk).exists()
    assert not selectors.visible_documents(office.budget_head).filter(pk=document.pk).exists()


def test_the_head_returns_a_document_to_the_clerk(office):
    document = registered(office)
    services.present(document=document, by=office.clerk, to=office.head)
    services.return_to_clerk(document=document, by=office.head, reason="Không thuộc thẩm quyền")
    document.refresh_from_db()
    assert document.state == HandlingState.REGISTERED
    assert selectors.counters(office.head)["to_handle"] == 0
    assert Notification.objects.filter(recipient=office.clerk, body="Không thuộc thẩm quyền").exists()


def test_only_the_person_presented_to_or_their_delegate_decides(office):
    from vanphong.organizations.services import delegate

    document = registered(office)
    services.present(document=document, by=office.clerk, to=office.head)
    with pytest.raises(TransitionNotAllowed):
        services.assign(document=document, by=office.deputy, lead=office.budget_unit, deadline=None, instruction="")
    today = timezone.localdate()
    delegate(position=office.head.positions.get(), to=office.deputy, starts_on=today, ends_on=today, by=office.head)
    services.assign(document=document, by=office.deputy, lead=office.budget_unit, deadline=None, instruction="Ủy quyền")
    assert lead_of(document).assigned_by == office.deputy


def test_a_returned_lead_goes_back_to_the_head_for_new_instructions(office):
    document = assigned(office)
    services.return_assignment(assignment_=lead_of(document), by=office.budget_head, reason="Không đúng chức năng")
    document.refresh_from_db()
    assert document.state == HandlingState.PRESENTED
    assert selectors.counters(office.head)["to_handle"] == 1
    services.assign(
        document=document, by=office.head, lead=office.office_unit, deadline=IN_TWO_WEEKS, instruction="Giao Văn phòng"
    )
    assert document.assignments.filter(role=Assignment.Role.LEAD, state=AssignmentState.PENDING).count() == 1


def test_a_specialist_returns_work_to_the_unit_head(office):
    document = assigned(office)
    lead = lead_of(document)
    [child] = services.forward(assignment_=lead, by=office.budget_head, to=office.specialist)
    services.return_assignment(assignment_=child, by=office.specialist, reason="Đang nghỉ phép")
    lead.refresh_from_db()
    assert lead.state == AssignmentState.PENDING
    assert [a.pk for a in selectors.work_list(office.budget_head, "to_handle")] == [lead.pk]


def test_the_assigner_recalls_an_assignment_and_what_was_passed_on(office):
    document = assigned(office)
    lead = lead_of(document)
    [child] = services.forward(assignment_=lead, by=office.budget_head, to=office.specialist)
    with pytest.raises(TransitionNotAllowed):
        services.recall(assignment_=lead, by=office.specialist)
    services.recall(assignment_=lead, by=office.head)
    child.refresh_from_db()
    document.refresh_from_db()
    assert child.state == AssignmentState.RECALLED
    assert document.state == HandlingState.PRESENTED
    assert selectors.counters(office.specialist)["to_handle"] == 0


def test_an_extension_is_asked_for_and_granted_by_whoever_assigned(office):
    document = assigned(office)
    lead = lead_of(document)
    later = IN_TWO_WEEKS + datetime.timedelta(days=7)
    request = services.request_extension(
        assignment_=lead, by=office.budget_head, new_deadline=later, reason="Chờ số liệu"
    )
    with pytest.raises(NotVisible):
        services.decide_extension(request=request, by=office.budget_head, grant=True)
    services.decide_extension(request=request, by=office.head, grant=True)
    lead.refresh_from_db()
    document.refresh_from_db()
    assert lead.deadline == later == document.deadline
    assert document.events.filter(kind=Event.Kind.EXTENSION_GRANTED).exists()


def test_a_refused_extension_keeps_the_deadline(office):
    document = assigned(office)
    lead = lead_of(document)
    request = services.request_extension(
        assignment_=lead,
        by=office.budget_head,
        new_deadline=IN_TWO_WEEKS + datetime.timedelta(days=3),
        reason="Xin thêm",
    )
    services.decide_extension(request=request, by=office.head, grant=False)
    lead.refresh_from_db()
    assert lead.deadline == IN_TWO_WEEKS


def test_a_leader_urges_and_the_unit_head_is_notified(office):
    document = assigned(office)
    services.urge(assignment_=lead_of(document), by=office.head, message="Đề nghị khẩn trương")
    assert Notification.objects.filter(recipient=office.budget_head, body="Đề nghị khẩn trương").exists()
    with pytest.raises(NotVisible):
        services.urge(assignment_=lead_of(document), by=office.specialist)


def test_people_outside_the_routing_cannot_act(office):
    document = assigned(office)
    lead = lead_of(document)
    for stranger in (office.outsider, office.office_specialist, office.clerk):
        with pytest.raises((TransitionNotAllowed, NotVisible)):
            services.complete(assignment_=lead, by=stranger, result="x")
        with pytest.raises((TransitionNotAllowed, NotVisible)):
            services.add_note(assignment_=lead, by=stranger, text="x")
    with pytest.raises(NotVisible):
        services.receive(agency=office.agency, by=office.specialist, data=document_data())
