"""The inbox other platforms and hubs POST packages to. Not a page: no session, no CSRF token; a peer proves who
it is with the signature of its request (transports.http)."""

import hmac
import time

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import edxml, services
from .models import Message, Peer
from .transports.base import Envelope
from .transports.http import HEADERS, request_signature


def _refuse(status: int, reason: str) -> JsonResponse:
    return JsonResponse({"status": "refused", "reason": reason}, status=status)


@csrf_exempt
@login_not_required
@require_POST
def inbox(request):
    headers = {name: request.headers.get(f"X-Vanphong-{name}", "") for name in HEADERS}
    peer = Peer.objects.filter(name=headers["Peer"], is_active=True, kind=Peer.Kind.PLATFORM).first()
    if peer is None:
        return _refuse(401, _("Unknown peer."))
    try:
        skew = abs(time.time() - int(headers["Timestamp"]))
    except ValueError:
        skew = None
    if skew is None or skew > settings.VANPHONG_EXCHANGE_CLOCK_SKEW:
        return _refuse(401, _("The request's time is missing or too far from ours."))
    limit = edxml.Limits.from_settings().max_bytes
    if int(request.headers.get("Content-Length") or 0) > limit:
        return _refuse(413, _("The package is larger than this platform accepts."))
    body = request.read(limit + 1)
    if len(body) > limit:
        return _refuse(413, _("The package is larger than this platform accepts."))
    if not hmac.compare_digest(
        request_signature(peer.secret, headers, body), request.headers.get("X-Vanphong-Signature", "")
    ):
        return _refuse(401, _("The request's signature does not match."))
    if not headers["Message-Id"] or not headers["To"]:
        return _refuse(400, _("The package has no identity or no recipient."))
    envelope = Envelope(
        message_id=headers["Message-Id"],
        kind=headers["Kind"],
        sender_code=headers["From"],
        to_code=headers["To"],
        payload=body,
    )
    message = services.take_in(envelope, peer=peer)
    if message.state == Message.State.REJECTED:
        return _refuse(400, message.reason)
    return JsonResponse({"status": message.state})
