"""The port every exchange transport implements (one adapter per outside system: another vanphong platform or a
provincial hub over HTTP, the national axis's API, this platform itself for agencies hosted here).

A transport moves opaque envelopes; it never parses edXML. Pushing transports (a peer that POSTs to our inbox)
return nothing from `fetch`; pulling ones (the national axis) are polled by `vanphong exchange poll`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol


class TransportError(Exception):
    """Delivery failed in a way worth retrying later (the peer is down, a timeout, a 5xx answer)."""


class PermanentFailure(TransportError):
    """The peer refused the envelope for good (it is malformed, unauthorised, addressed nowhere): do not retry."""


@dataclass(frozen=True)
class Envelope:
    """One package on its way to one recipient agency. `message_id` is the package's identity: the receiving side
    keeps it, so an envelope delivered twice is taken in once."""

    message_id: str
    kind: str  # "edoc" or "status"
    sender_code: str  # mã định danh of the agency that sends it
    to_code: str  # mã định danh of the agency it is for
    payload: bytes  # the edXML package
    meta: dict = field(default_factory=dict)  # transport-specific identifiers (e.g. the axis's docId)


class Transport(Protocol):
    def send(self, envelope: Envelope) -> None:
        """Hand the envelope over; return only when the other side has it. Raise TransportError to retry later,
        PermanentFailure when retrying cannot help."""

    def fetch(self) -> Iterable[Envelope]:
        """Envelopes waiting for us on the other side (pulling transports only)."""

    def acknowledge(self, envelope: Envelope, *, ok: bool, reason: str = "") -> None:
        """Tell the other side a fetched envelope was taken in (ok) or refused, so it is not offered again."""
