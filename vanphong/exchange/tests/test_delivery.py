"""One path for every delivery: a document issued to an agency on this platform travels as the same edXML package
as one for an agency elsewhere, and the recipient's steps come back to the sender as status packages."""

import pytest

from vanphong.exchange import edxml, services
from vanphong.exchange.models import Message
from vanphong.incoming import services as incoming
from vanphong.incoming.models import IncomingDocument
from vanphong.organizations.models import Role
from vanphong.outgoing import services as outgoing
from vanphong.outgoing.models import OutgoingRegister
from vanphong.signing.models import TrustedRoot
from vanphong.signing.reports import parse_certificate

from .platform_script import numbered_document

pytestmark = pytest.mark.django_db


def statuses_back(doc):
    """The status codes the sender received about `doc`, in order."""
    sent = Message.objects.filter(direction="out", kind="edoc", recipient__document=doc).values("document_id")
    return list(
        Message.objects.filter(direction="in", kind="status", document_id__in=sent, state="accepted")
        .order_by("pk")
        .values_list("status_code", flat=True)
    )


def test_a_document_to_an_agency_here_arrives_as_an_edxml_package_and_its_steps_come_back(province, issue):
    doc = issue(province.health)
    line = doc.recipients.get()
    assert line.get_state_display() == "Đã đến"
    sent = Message.objects.get(direction="out", kind="edoc", recipient=line)
    package = edxml.parse(bytes(sent.payload))
    assert package.subject == doc.summary and package.number == "01" and package.notation == "STC-VP"
    assert package.document_id == f"000.00.11.H41,{doc.issued_on:%Y/%m/%d},01/STC-VP"
    assert b"<edXML:MessageHeader>" in bytes(sent.payload)
    arrival = Message.objects.get(direction="in", kind="edoc", to_code=province.health.code)
    assert arrival.incoming_document == line.incoming_document
    arrived = line.incoming_document
    assert (arrived.issuer, arrived.number, arrived.notation, arrived.summary) == (
        province.office.agency,
        "01",
        "STC-VP",
        doc.summary,
    )
    assert arrived.attachments.get().stored_file.sha256 == doc.issued_file.sha256

    incoming.register_received(
        document=arrived, register=province.health.incoming_registers.get(), by=province.health_clerk
    )
    line.refresh_from_db()
    assert line.get_state_display() == "Đã tiếp nhận"
    assert statuses_back(doc) == ["01", "03"]


def test_a_refusal_comes_back_with_its_reason(province, issue):
    doc = issue(province.health)
    line = doc.recipients.get()
    incoming.reject(document=line.incoming_document, by=province.health_clerk, reason="Gửi nhầm cơ quan.")
    line.refresh_from_db()
    assert line.get_state_display() == "Từ chối"
    refusal = Message.objects.get(direction="in", kind="status", status_code="02")
    assert edxml.parse(bytes(refusal.payload)).description == "Gửi nhầm cơ quan."


def test_a_recall_reaches_the_recipient_as_status_13_and_it_agrees(province, issue):
    doc = issue(province.health)
    outgoing.recall(doc=doc, by=province.office.head, reason="Sai số liệu tại phụ lục.")
    arrived = doc.recipients.get().incoming_document
    arrived.refresh_from_db()
    assert arrived.withdrawn_reason == "Sai số liệu tại phụ lục."
    assert [m.status_code for m in Message.objects.filter(direction="in", kind="status").order_by("pk")] == [
        "01",
        "13",
        "15",
    ]


def test_an_agency_elsewhere_waits_in_the_outbox_with_the_same_package(province, issue, peer):
    doc = issue(province.health, province.ministry)
    to_ministry = Message.objects.get(direction="out", kind="edoc", to_code=province.ministry.code)
    to_health = Message.objects.get(direction="out", kind="edoc", to_code=province.health.code)
    assert bytes(to_ministry.payload) == bytes(to_health.payload)
    assert to_ministry.message_id == to_health.message_id
    assert to_ministry.state == "queued" and to_ministry.peer == peer
    assert doc.recipients.get(agency=province.ministry).get_state_display() == "Chờ gửi"


def test_the_same_package_delivered_twice_is_registered_once(province, issue):
    issue(province.health)
    arrival = Message.objects.get(direction="in", kind="edoc")
    again = services.take_in(services._envelope(arrival))
    assert again == arrival
    assert IncomingDocument.objects.filter(agency=province.health).count() == 1


def test_a_reply_from_the_recipient_is_matched_to_the_request(province, issue):
    doc = issue(province.health)
    line = doc.recipients.get()
    request = line.incoming_document
    OutgoingRegister.objects.create(agency=province.health, name="Sổ văn bản đi")
    province.health.units.create(name="Văn phòng", short_name="VP")
    reply = numbered_document(
        sender=province.health,
        receivers=[province.office.agency],
        number=7,
        pdf=doc.issued_file,
        drafter=province.health_head,
        summary="Báo cáo tình hình sử dụng kinh phí",
    )
    reply.in_reply_to = request
    reply.save()
    assert province.health.positions.filter(role=Role.CLERK).exists()
    incoming.register_received(
        document=request, register=province.health.incoming_registers.get(), by=province.health_clerk
    )
    outgoing.issue(doc=reply, by=province.health_clerk)
    line.refresh_from_db()
    assert line.reply is not None and line.reply.summary == "Báo cáo tình hình sử dụng kinh phí"


def test_packages_carry_the_agencys_xml_signature_and_the_recipient_checks_it(
    province, issue, settings, test_pki, tmp_path
):
    pem = test_pki.root.cert_pem().decode()
    TrustedRoot.objects.create(
        name="Test root",
        domain=TrustedRoot.Domain.TEST,
        certificate_pem=pem,
        fingerprint_sha256=parse_certificate(pem).fingerprint_sha256,
    )
    keys = tmp_path / "keys"
    keys.mkdir()
    (keys / "000.00.11.H41.p12").write_bytes(test_pki.files["agency.p12"].read_bytes())
    settings.VANPHONG_EXCHANGE_KEY_DIR = str(keys)
    settings.VANPHONG_EXCHANGE_KEY_PASSPHRASE = "vanphong-test"
    issue(province.health)
    sent = Message.objects.get(direction="out", kind="edoc")
    assert b"<ds:Signature" in bytes(sent.payload)
    arrival = Message.objects.get(direction="in", kind="edoc")
    assert arrival.signature == "Ký bởi Sở Tài chính tỉnh Nghệ An"
