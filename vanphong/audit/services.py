"""Writing the audit log. Every state change of a business object, every login and every permission or position
change goes through record(); nothing else writes AuditEntry."""

import hashlib
import hmac
import json
from datetime import UTC

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from .context import current
from .models import GENESIS_HASH, AuditChainHead, AuditEntry


def _normalise(value):
    """JSON as the database gives it back (dates as strings, tuples as lists), so the hash can be recomputed."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


# Every field an entry says; changing any of them breaks the chain from that entry on.
HASHED_FIELDS = (
    "sequence",
    "occurred_at",
    "actor_id",
    "actor_label",
    "ip_address",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "before",
    "after",
    "previous_hash",
)


def _chain_key() -> bytes:
    """The entries are sealed with an HMAC whose key is kept outside the database (VANPHONG_AUDIT_KEY, else the
    secret key): someone who can write to the database cannot forge a consistent chain."""
    return (getattr(settings, "VANPHONG_AUDIT_KEY", None) or settings.SECRET_KEY).encode()


def digest_of(entry: AuditEntry) -> str:
    payload = {name: getattr(entry, name) for name in HASHED_FIELDS}
    payload["occurred_at"] = entry.occurred_at.astimezone(UTC).isoformat(timespec="microseconds")
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(_chain_key(), canonical.encode(), hashlib.sha256).hexdigest()


def _stored_address(value: str | None) -> str | None:
    """The address as the database will give it back (IPv6 compressed), so that the hash can be recomputed."""
    if not value:
        return None
    try:
        return AuditEntry._meta.get_field("ip_address").to_python(value)
    except ValidationError:
        return None


def snapshot(instance: models.Model, *, exclude=("password",)) -> dict:
    """The fields of a model instance as they go into `before` / `after`."""
    return _normalise(model_to_dict(instance, exclude=list(exclude)))


def describe_actor(actor) -> str:
    if actor is None:
        return ""
    full_name = getattr(actor, "full_name", "")
    return f"{actor.get_username()} ({full_name})" if full_name else actor.get_username()


@transaction.atomic
def record(
    action: str,
    *,
    obj: models.Model | None = None,
    actor=None,
    before=None,
    after=None,
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
    ip_address: str | None = None,
) -> AuditEntry:
    """Append one entry. `actor` and `ip_address` default to the current request's (audit.context)."""
    context = current()
    actor = actor if actor is not None else context.actor
    ip_address = ip_address if ip_address is not None else context.ip_address
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_label = object_label or str(obj)
    head = AuditChainHead.objects.select_for_update().get_or_create(pk=1)[0]
    entry = AuditEntry(
        sequence=head.last_sequence + 1,
        occurred_at=timezone.now(),
        actor=actor,
        actor_label=describe_actor(actor)[:300],
        ip_address=_stored_address(ip_address),
        action=action[:100],
        object_type=object_type[:100],
        object_id=str(object_id)[:64],
        object_label=str(object_label)[:500],
        before=_normalise(before),
        after=_normalise(after),
        previous_hash=head.last_hash or GENESIS_HASH,
    )
    entry.entry_hash = digest_of(entry)
    entry.save()
    head.last_sequence, head.last_hash = entry.sequence, entry.entry_hash
    head.save(update_fields=["last_sequence", "last_hash"])
    return entry


def changed_fields(before: dict, after: dict) -> tuple[dict, dict]:
    """Only what changed, so that an entry says what happened rather than repeating the whole object."""
    keys = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}
