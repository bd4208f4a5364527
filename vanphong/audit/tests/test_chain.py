"""`vanphong audit verify` finds an entry edited or deleted directly in the database."""

from itertools import pairwise

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection

from vanphong.audit.models import AuditEntry
from vanphong.audit.services import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(db):
    """Five entries, as a morning of work would leave them."""
    for number in range(1, 6):
        record(
            "test.event",
            object_type="test.thing",
            object_id=str(number),
            object_label=f"Việc số {number}",
            after={"step": number, "ghi_chú": "đã xử lý"},
            ip_address="10.0.0.1",
        )
    return list(AuditEntry.objects.order_by("sequence"))


def verify() -> str:
    from io import StringIO

    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def broken() -> str:
    with pytest.raises(CommandError) as failure:
        verify()
    return str(failure.value)


def raw_sql(statement, params):
    table = AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(statement.format(table=connection.ops.quote_name(table)), params)


def test_an_untouched_log_verifies(log):
    assert "OK" in verify()
    assert str(len(log)) in verify()


def test_an_entry_edited_in_the_database_is_named(log):
    raw_sql("UPDATE {table} SET object_label = %s WHERE sequence = %s", ["Việc đã bị sửa", 3])
    message = broken()
    assert "3" in message
    assert "bị sửa" in message


def test_a_changed_actor_address_is_detected(log):
    raw_sql("UPDATE {table} SET ip_address = %s WHERE sequence = %s", ["10.9.9.9", 2])
    assert "bản ghi 2" in broken().lower()


def test_an_entry_deleted_in_the_database_is_named(log):
    raw_sql("DELETE FROM {table} WHERE sequence = %s", [2])
    message = broken()
    assert "2" in message
    assert "bị xóa" in message


def test_the_last_entry_deleted_is_detected(log):
    raw_sql("DELETE FROM {table} WHERE sequence = %s", [5])
    assert "5" in broken()


def test_a_deleted_entry_renumbered_to_hide_the_gap_is_detected(log):
    raw_sql("DELETE FROM {table} WHERE sequence = %s", [4])
    raw_sql("UPDATE {table} SET sequence = %s WHERE sequence = %s", [4, 5])
    assert "4" in broken()


def test_the_application_cannot_change_or_delete_an_entry(log):
    entry = log[0]
    entry.action = "changed"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()


def test_entries_chain_each_to_the_one_before(log):
    for earlier, later in pairwise(log):
        assert later.previous_hash == earlier.entry_hash
        assert later.sequence == earlier.sequence + 1


def test_an_address_written_in_a_long_form_still_verifies(db):
    record("accounts.login", object_type="accounts.user", object_label="vanthu", ip_address="2001:DB8:0:0::1")
    record("accounts.login", object_type="accounts.user", object_label="vanthu", ip_address="fe80::1%eth0")
    assert "OK" in verify()


def test_someone_who_rewrites_an_entry_and_its_hash_without_the_key_is_caught(log):
    import hashlib
    import json

    from vanphong.audit.services import HASHED_FIELDS

    entry = AuditEntry.objects.get(sequence=5)
    entry.object_label = "Việc đã bị sửa"
    payload = {name: getattr(entry, name) for name in HASHED_FIELDS}
    payload["occurred_at"] = entry.occurred_at.isoformat()
    forged = hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()
    raw_sql(
        "UPDATE {table} SET object_label = %s, entry_hash = %s WHERE sequence = %s", [entry.object_label, forged, 5]
    )
    raw_sql("UPDATE audit_auditchainhead SET last_hash = %s", [forged])
    assert "5" in broken()
