from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import GENESIS_HASH, AuditChainHead, AuditEntry
from .services import digest_of


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    checked: int
    first_broken_sequence: int | None = None
    problem: str = ""


def verify_chain() -> ChainCheck:
    """Walk the log in order and name the first entry that was edited, deleted or re-linked."""
    expected_sequence, expected_previous = 1, GENESIS_HASH
    checked = 0
    for entry in AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000):
        if entry.sequence != expected_sequence:
            return ChainCheck(
                False,
                checked,
                expected_sequence,
                _("Entry %(n)s is missing: it was deleted.") % {"n": expected_sequence},
            )
        if entry.previous_hash != expected_previous:
            return ChainCheck(
                False,
                checked,
                entry.sequence,
                _("Entry %(n)s does not follow the entry before it.") % {"n": entry.sequence},
            )
        if digest_of(entry) != entry.entry_hash:
            return ChainCheck(
                False,
                checked,
                entry.sequence,
                _("Entry %(n)s was changed after it was written.") % {"n": entry.sequence},
            )
        checked += 1
        expected_sequence, expected_previous = entry.sequence + 1, entry.entry_hash
    head = AuditChainHead.objects.filter(pk=1).first()
    last_sequence = head.last_sequence if head else 0
    if last_sequence >= expected_sequence:
        return ChainCheck(
            False, checked, expected_sequence, _("Entry %(n)s is missing: it was deleted.") % {"n": expected_sequence}
        )
    if head and head.last_hash != expected_previous:
        return ChainCheck(
            False, checked, last_sequence, _("Entry %(n)s was changed after it was written.") % {"n": last_sequence}
        )
    return ChainCheck(True, checked)


def entries_about(obj) -> "list[AuditEntry]":
    return list(AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)))
