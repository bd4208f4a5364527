"""Who is acting and from which address, for the length of one request or command. The address belongs to the
request rather than to the business call, so services do not have to pass it along."""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class AuditContext:
    actor: object | None = None
    ip_address: str | None = None


_current: ContextVar[AuditContext] = ContextVar("audit_context", default=AuditContext())  # noqa: B039 (frozen)


def current() -> AuditContext:
    return _current.get()


@contextmanager
def acting(*, actor=None, ip_address=None):
    token = _current.set(AuditContext(actor=actor, ip_address=ip_address))
    try:
        yield
    finally:
        _current.reset(token)
