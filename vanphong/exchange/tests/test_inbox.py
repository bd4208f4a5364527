"""The inbox other platforms and hubs post packages to: a peer proves who it is, a package is taken in once, and a
package that is malformed, unsafe or addressed nowhere is refused with a clear reason, a 02 status back to its
sender, and nothing half-registered."""

import time

import pytest
from django.test import override_settings

from vanphong.audit.models import AuditEntry
from vanphong.exchange import edxml
from vanphong.exchange.models import Message, Route
from vanphong.incoming.models import IncomingDocument
from vanphong.intake.tests.samples import eicar, zip_of

from .conftest import package

pytestmark = pytest.mark.django_db


def nothing_registered():
    return not IncomingDocument.objects.exists()


def refusal_sent_back(to="000.00.00.G12"):
    """The 02 status (từ chối tiếp nhận) waiting in the outbox for the sender, and its reason."""
    status = Message.objects.get(direction="out", kind="status", status_code="02", to_code=to)
    return edxml.parse(bytes(status.payload)).description


def test_a_peer_posts_a_document_and_the_clerk_finds_it_waiting(office, post_package):
    response = post_package(edxml.build(package()))
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    arrived = IncomingDocument.objects.get(agency=office.agency)
    assert (arrived.issuer.code, arrived.issuer.is_hosted, arrived.number, arrived.notation) == (
        "000.00.00.G12",
        False,
        "125",
        "BTC-NSNN",
    )
    assert arrived.get_state_display() == "Chờ vào sổ"
    arrived_back = Message.objects.get(direction="out", kind="status", status_code="01")
    assert arrived_back.to_code == "000.00.00.G12" and arrived_back.state == "queued"  # to the hub, with 01


def test_the_same_package_posted_twice_is_registered_once(office, post_package):
    payload = edxml.build(package())
    assert post_package(payload, message_id="goi-tin-1").status_code == 200
    assert post_package(payload, message_id="goi-tin-1").status_code == 200
    assert IncomingDocument.objects.filter(agency=office.agency).count() == 1


@pytest.mark.parametrize(
    "how",
    ["an unknown peer", "a wrong secret", "a stale request"],
)
def test_a_request_that_does_not_prove_its_peer_is_refused_and_nothing_kept(office, post_package, peer, how):
    payload = edxml.build(package())
    if how == "an unknown peer":
        peer.name = "stranger"
        peer.save()
        peer.name = "hub"  # the request still says "hub", which this platform no longer knows
        response = post_package(payload)
    elif how == "a wrong secret":
        response = post_package(payload, secret="x" * 64)
    else:
        response = post_package(payload, timestamp=int(time.time()) - 3600)
    assert response.status_code == 401
    assert response.json()["reason"] in (
        "Không biết bên gửi này.",
        "Chữ ký của yêu cầu không khớp.",
        "Thời điểm của yêu cầu bị thiếu hoặc lệch quá xa so với máy chủ này.",
    )
    assert not Message.objects.exists() and nothing_registered()


def test_broken_xml_is_refused_with_the_reason_and_a_02_status(office, post_package):
    response = post_package(b"<edXML><edXML:edXMLEnvelope>khong dong the")
    assert response.status_code == 400
    assert "XML" in response.json()["reason"]
    assert nothing_registered()
    assert "XML" in refusal_sent_back()
    assert AuditEntry.objects.filter(action="exchange.rejected").exists()


def test_entity_expansion_is_refused_and_nothing_is_expanded(office, post_package):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b"<edXML>&lol2;</edXML>"
    )
    response = post_package(bomb)
    assert response.status_code == 400
    assert "DOCTYPE" in response.json()["reason"] or "DTD" in response.json()["reason"]
    assert nothing_registered()


def test_missing_required_fields_are_all_listed(office, post_package):
    response = post_package(edxml.build(package(subject="", number="")))
    assert response.status_code == 400
    reason = response.json()["reason"]
    assert "Subject" in reason and "CodeNumber" in reason and "Thiếu thành phần bắt buộc" in reason
    assert nothing_registered()
    assert "Subject" in refusal_sent_back()


def test_an_attachment_over_the_limit_is_refused(office, post_package):
    with override_settings(VANPHONG_EDXML_LIMITS={"max_attachment_bytes": 1000}):
        response = post_package(edxml.build(package()))
    assert response.status_code == 400
    assert nothing_registered()
    assert refusal_sent_back()


def test_an_infected_attachment_is_refused_and_nothing_half_registered(office, post_package):
    infected = edxml.Attachment("2", "bang-ke.zip", "application/zip", zip_of({"bang-ke.pdf": eicar()}))
    good = package().attachments[0]
    response = post_package(edxml.build(package(attachments=[good, infected])))
    assert response.status_code == 400
    assert "virus" in response.json()["reason"].lower()
    assert nothing_registered()
    assert "virus" in refusal_sent_back().lower()


def test_a_package_not_addressed_to_the_agency_it_is_posted_for_is_refused(office, post_package):
    response = post_package(edxml.build(package(to=("000.00.22.H41",))), to="000.00.11.H41")
    assert response.status_code == 400
    assert nothing_registered()


def test_a_hub_passes_a_package_on_to_the_platform_that_hosts_the_agency(office, post_package, peer):
    other = peer.__class__.objects.create(name="tinh-b", url="http://127.0.0.1:9", secret="s" * 64)
    Route.objects.create(agency_code="000.00.05.H22", peer=other)
    response = post_package(edxml.build(package(to=("000.00.05.H22",))), to="000.00.05.H22")
    assert response.status_code == 200 and response.json()["status"] == "forwarded"
    onward = Message.objects.get(direction="out", kind="edoc")
    assert (onward.to_code, onward.peer, onward.state) == ("000.00.05.H22", other, "queued")
    assert nothing_registered()


def test_a_package_for_an_agency_reachable_from_nowhere_is_refused(office, post_package, peer):
    Route.objects.all().delete()
    response = post_package(edxml.build(package(to=("000.00.05.H22",))), to="000.00.05.H22")
    assert response.status_code == 400
    assert "000.00.05.H22" in response.json()["reason"]


def test_a_status_about_a_document_never_sent_is_refused(office, post_package):
    status = edxml.StatusPackage(
        sender=edxml.Organ(code="000.00.00.G12"),
        response_for=edxml.ResponseFor(organ_code="000.00.11.H41", document_id="000.00.11.H41,2026/01/01,99/STC-VP"),
        status_code="03",
    )
    response = post_package(edxml.build(status), kind="status")
    assert response.status_code == 400
    assert not Message.objects.filter(direction="out").exists()  # no 02 answers a status


def test_the_inbox_is_not_a_page(client, office):
    assert client.get("/exchange/inbox/").status_code == 405


def test_a_signed_package_is_taken_in_with_its_signer_and_a_changed_one_is_refused(office, post_package, test_pki):
    from vanphong.exchange.xmlsig import PackageSigner

    signer = PackageSigner(key=test_pki.agency.key, certificate=test_pki.agency.cert, chain=test_pki.agency.chain)
    signed = edxml.build(package(), signer=signer)
    assert post_package(signed).status_code == 200
    assert Message.objects.get(direction="in", kind="edoc").signature  # what the check found is kept
    changed = edxml.build(package(number="126", document_id="000.00.00.G12,2026/11/20,126/BTC-NSNN"), signer=signer)
    changed = changed.replace(b"<edXML:CodeNumber>126", b"<edXML:CodeNumber>127")
    response = post_package(changed)
    assert response.status_code == 400
    assert "Chữ ký số của gói tin không còn nguyên vẹn" in response.json()["reason"]
    assert IncomingDocument.objects.count() == 1


def test_an_update_withdraws_the_earlier_arrival_and_the_clerk_works_on_the_new_one(office, post_package):
    post_package(edxml.build(package()))
    update = package(
        subject="Về việc hướng dẫn lập dự toán ngân sách năm 2027 (cập nhật phụ lục)",
        business=edxml.Business(
            doc_type=edxml.BusinessType.UPDATE, document_id="000.00.00.G12,2026/11/20,125/BTC-NSNN"
        ),
    )
    assert post_package(edxml.build(update)).status_code == 200
    earlier, newer = IncomingDocument.objects.order_by("pk")
    assert earlier.withdrawn_reason == "Nơi gửi đã cập nhật văn bản" and newer.withdrawn_at is None
    assert "cập nhật phụ lục" in newer.summary
