"""Another vanphong platform or a hub, over HTTPS: the package is POSTed to the peer's inbox in a request signed
with the secret the two operators share (HMAC-SHA256 over the identity headers, a timestamp and the body's
SHA-256). The peer answers 200 once the package is in its database, 400 when it refuses it for good."""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.utils.translation import gettext as _

from .base import Envelope, PermanentFailure, TransportError

INBOX_PATH = "/exchange/inbox/"
HEADERS = ("Peer", "Message-Id", "Kind", "From", "To", "Timestamp")  # each sent as X-Vanphong-<name>


def request_signature(secret: str, headers: dict[str, str], body: bytes) -> str:
    """HMAC-SHA256 (hex) of the identity headers, in a fixed order, and the body's digest."""
    canonical = "\n".join([*(headers.get(name, "") for name in HEADERS), hashlib.sha256(body).hexdigest()])
    return hmac.new(secret.encode(), canonical.encode(), hashlib.sha256).hexdigest()


def signed_headers(*, peer_name: str, secret: str, envelope: Envelope, timestamp: int | None = None) -> dict:
    headers = {
        "Peer": peer_name,
        "Message-Id": envelope.message_id,
        "Kind": envelope.kind,
        "From": envelope.sender_code,
        "To": envelope.to_code,
        "Timestamp": str(int(time.time()) if timestamp is None else timestamp),
    }
    signature = request_signature(secret, headers, envelope.payload)
    return {**{f"X-Vanphong-{name}": value for name, value in headers.items()}, "X-Vanphong-Signature": signature}


class PlatformTransport:
    def __init__(self, peer, *, timeout: float | None = None):
        self.peer = peer
        self.timeout = timeout or settings.VANPHONG_EXCHANGE_TIMEOUT

    def send(self, envelope: Envelope) -> None:
        if not self.peer.url.startswith(("https://", "http://")):
            raise PermanentFailure(_("%(peer)s has no web address.") % {"peer": self.peer.name})
        headers = signed_headers(peer_name=settings.VANPHONG_EXCHANGE_NAME, secret=self.peer.secret, envelope=envelope)
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
            self.peer.url.rstrip("/") + INBOX_PATH,
            data=envelope.payload,
            headers={**headers, "Content-Type": "application/xml"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                response.read()
        except urllib.error.HTTPError as error:
            try:
                reason = json.loads(error.read() or b"{}").get("reason", "")
            except ValueError:
                reason = ""
            message = _("%(peer)s answered %(status)s: %(reason)s") % {
                "peer": self.peer.name,
                "status": error.code,
                "reason": reason,
            }
            if error.code in (400, 413):
                raise PermanentFailure(message) from error
            raise TransportError(message) from error
        except (OSError, urllib.error.URLError) as error:  # refused, reset, timed out, unresolvable
            raise TransportError(
                _("%(peer)s cannot be reached: %(error)s") % {"peer": self.peer.name, "error": error}
            ) from error

    def fetch(self):
        return []  # the peer pushes to our inbox

    def acknowledge(self, envelope: Envelope, *, ok: bool, reason: str = "") -> None:
        return None
