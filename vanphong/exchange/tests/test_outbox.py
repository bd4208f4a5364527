"""The outbox: a package for an agency elsewhere is retried with growing pauses while its peer cannot take it,
sent once it can, and given up only when the peer refuses it for good; the national axis is reached through the
same outbox and polled for what waits there."""

import datetime
import json
import secrets

import pytest
from django.core.management import call_command
from django.utils import timezone

from vanphong.core.standin import LoopbackServer
from vanphong.exchange import edxml, selectors, services
from vanphong.exchange.models import Message, Peer, Route
from vanphong.exchange.transports.base import Envelope
from vanphong.exchange.transports.http import HEADERS, request_signature
from vanphong.exchange.transports.vxp import VxpTransport
from vanphong.exchange.vxp_standin import start_standin
from vanphong.incoming.models import IncomingDocument

from .conftest import MINISTRY, package

pytestmark = pytest.mark.django_db


class PeerInbox(LoopbackServer):
    """Another platform's inbox on loopback, answering what the test says and checking each request's signature."""

    def __init__(self, secret: str):
        self.secret, self.answer, self.received = secret, 503, []

    def _handle(self, request):
        body = request.rfile.read(int(request.headers["Content-Length"]))
        headers = {name: request.headers.get(f"X-Vanphong-{name}", "") for name in HEADERS}
        signed = request_signature(self.secret, headers, body) == request.headers.get("X-Vanphong-Signature")
        status = self.answer if signed else 401
        if status == 200:
            self.received.append((headers, body))
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.end_headers()
        request.wfile.write(json.dumps({"reason": "Gói tin sai cấu trúc"}).encode())


@pytest.fixture
def hub_inbox(peer):
    with PeerInbox(peer.secret) as inbox:
        peer.url = inbox.url
        peer.save()
        yield inbox


def due_now():
    Message.objects.filter(direction="out").update(next_attempt_at=timezone.now())


def test_a_document_waits_while_the_hub_is_down_and_goes_when_it_is_back(province, issue, hub_inbox, settings):
    settings.VANPHONG_EXCHANGE_RETRY_BASE = 30
    doc = issue(province.ministry)
    line = doc.recipients.get()
    services.flush_outbox()
    message = Message.objects.get(direction="out", kind="edoc")
    assert (message.state, message.attempts) == ("queued", 1)
    assert "503" in message.reason
    pause = message.next_attempt_at - timezone.now()
    assert datetime.timedelta(seconds=20) < pause < datetime.timedelta(seconds=40)
    assert services.flush_outbox() == 0  # not due yet: nothing is tried

    due_now()
    services.flush_outbox()
    message.refresh_from_db()
    assert message.attempts == 2 and message.next_attempt_at - timezone.now() > datetime.timedelta(seconds=45)

    hub_inbox.answer = 200
    due_now()
    assert services.flush_outbox() == 1
    message.refresh_from_db()
    line.refresh_from_db()
    assert message.state == "sent" and line.get_state_display() == "Đã gửi"
    [(headers, body)] = hub_inbox.received
    assert (headers["Peer"], headers["From"], headers["To"]) == ("vanphong", "000.00.11.H41", MINISTRY)
    assert edxml.parse(body).subject == doc.summary


def test_a_document_the_hub_refuses_for_good_is_not_retried(province, issue, hub_inbox):
    doc = issue(province.ministry)
    hub_inbox.answer = 400
    services.flush_outbox()
    message = Message.objects.get(direction="out", kind="edoc")
    assert message.state == "failed" and "Gói tin sai cấu trúc" in message.reason
    assert doc.recipients.get().get_state_display() == "Từ chối"
    due_now()
    assert services.flush_outbox() == 0


def test_the_outbox_waits_for_a_route_an_operator_adds(province, issue):
    issue(province.ministry)
    services.flush_outbox()
    message = Message.objects.get(direction="out", kind="edoc")
    assert message.state == "queued" and "Chưa có đường liên thông" in message.reason


def test_the_operator_sets_up_a_peer_and_a_route_with_commands(db, tmp_path, capsys):
    secret = tmp_path / "hub.secret"
    secret.write_text(secrets.token_hex(32))
    call_command("exchange", "peer", "truc-tinh", "--url", "https://truc.nghean.gov.vn", "--secret-file", str(secret))
    call_command("exchange", "route", "", "truc-tinh")
    hub = Peer.objects.get(name="truc-tinh")
    assert hub.secret == secret.read_text() and Route.objects.get().peer == hub
    assert selectors.route_for("000.00.00.G22") == hub
    secret.write_text("ngan")
    with pytest.raises(Exception, match="at least 32"):
        call_command("exchange", "peer", "truc-tinh", "--url", "https://x", "--secret-file", str(secret))
    call_command("exchange", "status")
    call_command("exchange", "send")
    assert "send: 0" in capsys.readouterr().out


@pytest.fixture
def axis(db):
    """The national axis (a stand-in following its published description) with this platform's system on it."""
    secret = secrets.token_hex(16)
    server, url = start_standin(
        {"vanphong-nghean": secret, "vpcp": "bi-mat-cua-vpcp"},
        {"000.00.11.H41": "vanphong-nghean", "000.00.00.G22": "vpcp"},
    )
    peer = Peer.objects.create(
        name="truc-quoc-gia", kind=Peer.Kind.NATIONAL_AXIS, url=url, secret=secret, system_id="vanphong-nghean"
    )
    yield server, peer
    server.stop()


def test_a_document_from_the_government_office_is_polled_from_the_axis(office, axis):
    _server, peer = axis
    government = VxpTransport(endpoint=peer.url, system_id="vpcp", secret="bi-mat-cua-vpcp")
    payload = edxml.build(package(sender="000.00.00.G22", document_id="000.00.00.G22,2026/11/20,125/BTC-NSNN"))
    government.send(Envelope("vpcp-1", "edoc", "000.00.00.G22", "000.00.11.H41", payload))

    assert services.poll() == 1
    assert IncomingDocument.objects.get(agency=office.agency).issuer.code == "000.00.00.G22"
    assert services.poll() == 0  # acknowledged: the axis does not offer it again
    # the 01 status goes back through the same axis
    Route.objects.create(agency_code="000.00.00.G22", peer=peer)
    due_now()
    assert services.flush_outbox() == 1
    [status] = list(government.fetch())
    assert status.kind == "status" and edxml.parse(status.payload).status_code == "01"
