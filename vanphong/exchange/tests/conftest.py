"""The Sở Tài chính of outgoing's tests issuing to the Sở Y tế (on this platform) and to the Bộ Tài chính
(elsewhere), with documents already signed and numbered so that a test starts where the exchange does; a peer
platform with its shared secret; packages built and posted as a peer would."""

import datetime
import io
import secrets
import time

import pytest

from vanphong.core.files import store
from vanphong.exchange import edxml
from vanphong.exchange.models import Peer, Route
from vanphong.exchange.transports.base import Envelope
from vanphong.exchange.transports.http import signed_headers
from vanphong.incoming.tests.conftest import office  # noqa: F401 (fixtures used here)
from vanphong.outgoing import services as outgoing
from vanphong.outgoing.tests.conftest import province  # noqa: F401
from vanphong.signing.tests.conftest import test_pki  # noqa: F401

from .platform_script import numbered_document, pdf_of

MINISTRY = "000.00.00.G12"  # Bộ Tài chính, elsewhere


@pytest.fixture
def issue(province):  # noqa: F811
    """issue(*agencies, number=1) -> a document of the Sở Tài chính issued to those agencies."""
    pdf = store(upload=io.BytesIO(pdf_of("Cong van ve viec bao cao kinh phi")), filename="cong-van.pdf")

    def make(*agencies, number=1, summary=""):
        finance = province.office
        doc = numbered_document(
            sender=finance.agency, receivers=agencies, number=number, pdf=pdf, drafter=finance.head, summary=summary
        )
        return outgoing.issue(doc=doc, by=finance.clerk)

    return make


@pytest.fixture
def peer(db):
    """The provincial hub this platform is connected to, which reaches every agency not hosted here."""
    hub = Peer.objects.create(name="hub", url="http://127.0.0.1:9", secret=secrets.token_hex(32))
    Route.objects.create(agency_code="", peer=hub)
    return hub


def package(sender="000.00.00.G12", to=("000.00.11.H41",), **fields) -> edxml.DocumentPackage:
    """A document package as another platform builds it."""
    values = {
        "sender": edxml.Organ(code=sender, name="Bộ Tài chính"),
        "recipients": [edxml.Organ(code=code, name=f"Cơ quan {code}") for code in to],
        "document_id": f"{sender},2026/11/20,125/BTC-NSNN",
        "number": "125",
        "notation": "BTC-NSNN",
        "promulgation_date": datetime.date(2026, 11, 20),
        "type_name": "Công văn",
        "subject": "Về việc hướng dẫn lập dự toán ngân sách năm 2027",
        "signer_name": "Nguyễn Văn Thắng",
        "attachments": [edxml.Attachment("1", "125-BTC-NSNN.pdf", "application/pdf", pdf_of("Cong van 125"))],
        **fields,
    }
    return edxml.DocumentPackage(**values)


@pytest.fixture
def post_package(client, peer):
    """post_package(payload, to=..., kind=..., message_id=..., secret=...) -> the inbox's response to the peer."""

    def post(
        payload: bytes,
        *,
        to="000.00.11.H41",
        sender="000.00.00.G12",
        kind="edoc",
        message_id=None,
        secret=None,
        timestamp=None,
    ):
        envelope = Envelope(message_id or secrets.token_hex(8), kind, sender, to, payload)
        headers = signed_headers(
            peer_name=peer.name,
            secret=secret or peer.secret,
            envelope=envelope,
            timestamp=int(time.time()) if timestamp is None else timestamp,
        )
        return client.post(
            "/exchange/inbox/",
            data=payload,
            content_type="application/xml",
            **{f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()},
        )

    return post
