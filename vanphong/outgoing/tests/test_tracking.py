"""Following an issued document: each recipient on the platform moves its tracking line as it handles the
document, a reply issued on the platform is matched to the request, late reports are urged once a day, and a
recall reaches the recipients at once."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from vanphong.incoming import services as incoming
from vanphong.notifications.models import Notification
from vanphong.outgoing import services
from vanphong.outgoing.errors import OutgoingError
from vanphong.outgoing.models import OutgoingDocument, OutgoingRegister
from vanphong.outgoing.states import DocumentState, RecipientState
from vanphong.signing.demo import demo_images

from .conftest import PASSPHRASE, credential, draft_data, draft_docx, recipients

pytestmark = pytest.mark.django_db


def _issue(province, *, by_agency=None, data=None, recipients_=None):
    """Draft, review, sign, number and issue; by default the Sở Tài chính's document to the Sở Y tế."""
    office = province.office
    doc = services.create_draft(
        agency=office.agency,
        by=office.specialist,
        data=draft_data(province, **(data or {})),
        main_file=draft_docx(),
        recipients=recipients_ if recipients_ is not None else recipients(province),
    )
    services.submit(doc=doc, by=office.specialist)
    services.approve(doc=doc, by=office.budget_head)
    services.sign(doc=doc, by=office.head, secret=PASSPHRASE)
    services.number(doc=doc, by=office.clerk, secret=PASSPHRASE)
    return services.issue(doc=doc, by=office.clerk)


def _line(doc, name):
    return doc.recipients.get(name=name)


def test_tracking_follows_what_the_recipient_does(province):
    doc = _issue(province)
    line = _line(doc, "Sở Y tế tỉnh Nghệ An")
    assert line.get_state_display() == "Đã đến"
    arrived = line.incoming_document
    health_register = province.health.incoming_registers.get()
    arrived = incoming.register_received(document=arrived, register=health_register, by=province.health_clerk)
    line.refresh_from_db()
    assert line.get_state_display() == "Đã tiếp nhận"
    incoming.present(document=arrived, by=province.health_clerk, to=province.health_head)
    unit = province.health.units.create(name="Phòng Kế hoạch - Tài chính", short_name="KHTC")
    incoming.assign(
        document=arrived,
        by=province.health_head,
        lead=unit,
        deadline=timezone.localdate() + datetime.timedelta(5),
        instruction="Giao Phòng KHTC chủ trì báo cáo.",
    )
    line.refresh_from_db()
    assert line.get_state_display() == "Phân công"


def test_a_recipient_that_refuses_it_shows_refused(province):
    doc = _issue(province)
    line = _line(doc, "Sở Y tế tỉnh Nghệ An")
    incoming.reject(document=line.incoming_document, by=province.health_clerk, reason="Gửi nhầm cơ quan.")
    line.refresh_from_db()
    assert line.get_state_display() == "Từ chối"


def test_a_reply_issued_on_the_platform_is_matched_to_the_request(province, test_pki):
    deadline = timezone.localdate() + datetime.timedelta(days=7)
    request = _issue(province, data={"reply_deadline": deadline})
    line = _line(request, "Sở Y tế tỉnh Nghệ An")
    arrived = line.incoming_document
    incoming.register_received(
        document=arrived, register=province.health.incoming_registers.get(), by=province.health_clerk
    )

    # The Sở Y tế answers with a document of its own, issued on the platform to the Sở Tài chính
    health, head, clerk = province.health, province.health_head, province.health_clerk
    signature, seal = demo_images()
    credential(pki=test_pki, name="person", person=head, image=signature)
    credential(pki=test_pki, name="agency", agency=health, image=seal)
    OutgoingRegister.objects.create(agency=health, name="Sổ văn bản đi")
    planning = health.units.create(name="Phòng Kế hoạch - Tài chính", short_name="KHTC")
    reply = services.create_draft(
        agency=health,
        by=head,
        data={**draft_data(province), "drafting_unit": planning, "signer": head, "in_reply_to": arrived},
        main_file=draft_docx(),
        recipients=[{"kind": "hosted", "agency": province.office.agency}],
    )
    services.submit(doc=reply, by=head)
    services.sign(doc=reply, by=head, secret=PASSPHRASE)
    services.number(doc=reply, by=clerk, secret=PASSPHRASE)
    services.issue(doc=reply, by=clerk)

    line.refresh_from_db()
    assert line.reply is not None and line.reply.agency == province.office.agency
    assert line.reply.reference == reply.reference
    assert services.late_recipients(request, today=deadline + datetime.timedelta(days=1)) == [
        _line(request, "Bộ Tài chính")
    ]


def test_late_reports_are_urged_once_a_day(province):
    deadline = timezone.localdate() - datetime.timedelta(days=1)
    doc = _issue(province, data={"reply_deadline": deadline})
    call_command("send_report_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("send_report_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    urged = Notification.objects.filter(kind="outgoing_late")
    assert {n.recipient for n in urged} == {doc.drafter, doc.signer}
    assert urged.count() == 2  # one each, not two each
    assert "Sở Y tế tỉnh Nghệ An" in urged.first().title and doc.reference in urged.first().title


def test_a_recall_reaches_the_recipients_at_once(province):
    doc = _issue(province)
    arrived = _line(doc, "Sở Y tế tỉnh Nghệ An").incoming_document
    with pytest.raises(OutgoingError, match="Hãy nêu lý do"):
        services.recall(doc=doc, by=province.office.head, reason=" ")
    services.recall(doc=doc, by=province.office.head, reason="Sai số liệu tại mục II.")
    doc.refresh_from_db()
    arrived.refresh_from_db()
    assert doc.state == DocumentState.RECALLED
    assert arrived.withdrawn_at is not None and arrived.withdrawn_reason == "Sai số liệu tại mục II."
    assert {line.state for line in doc.recipients.all()} == {RecipientState.RECALLED}
    clerk_told = Notification.objects.filter(recipient=province.health_clerk, title__startswith="Nơi gửi đã thu hồi")
    assert clerk_told.exists()


def test_a_replacement_withdraws_the_document_it_replaces(province):
    first = _issue(province)
    second = _issue(province, data={"replaces": first})
    first.refresh_from_db()
    assert first.state == DocumentState.REPLACED
    assert first.recall_reason == f"Được thay thế bởi văn bản {second.reference}"
    assert OutgoingDocument.objects.filter(state=DocumentState.ISSUED).get() == second


def test_the_reply_completes_the_work_on_the_incoming_document_it_answers(province):
    """A request arrives at the Sở Tài chính on paper, the director assigns it, the budget unit passes it to its
    specialist, who answers with an outgoing document: issuing the answer completes the request's handling."""
    from vanphong.incoming.states import AssignmentState, HandlingState
    from vanphong.incoming.tests.conftest import document_data

    office = province.office
    request = incoming.receive(agency=office.agency, by=office.clerk, data=document_data(), register=office.register)
    incoming.present(document=request, by=office.clerk, to=office.head)
    request.refresh_from_db()
    incoming.assign(
        document=request,
        by=office.head,
        lead=office.budget_unit,
        deadline=timezone.localdate() + datetime.timedelta(days=10),
        instruction="Phòng Ngân sách tham mưu trả lời.",
    )
    lead = request.assignments.get(role="lead", parent=None)
    [work] = incoming.forward(assignment_=lead, by=office.budget_head, to=office.specialist)

    answer = _issue(province, data={"in_reply_to": request})

    work.refresh_from_db()
    request.refresh_from_db()
    assert work.state == AssignmentState.DONE and answer.reference in work.result
    assert request.state == HandlingState.DONE
    assert list(request.replies.all()) == [answer]
