"""Administrators browse and filter the log; nobody edits it."""

import pytest
from django.contrib.auth.models import Permission

from vanphong.accounts.tests.factories import UserFactory
from vanphong.audit.models import AuditEntry
from vanphong.audit.services import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(db):
    record("accounts.login", object_type="accounts.user", object_label="vanthu", ip_address="10.0.0.5")
    record("organizations.position_assigned", object_type="organizations.position", object_label="Giám đốc")


def test_staff_without_the_view_permission_cannot_see_the_log(client, entries):
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/admin/audit/auditentry/").status_code == 403


def test_an_auditor_browses_and_filters_the_log(client, entries):
    auditor = UserFactory(is_staff=True)
    auditor.user_permissions.add(Permission.objects.get(codename="view_auditentry"))
    client.force_login(auditor)
    page = client.get("/admin/audit/auditentry/", {"action": "accounts.login"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "vanthu" in html
    assert "Đăng nhập" in html, "actions are named in Vietnamese, not by their codes"
    assert "Giám đốc" not in html


def test_the_log_offers_no_add_change_or_delete(client, entries, platform_admin):
    client.force_login(platform_admin)
    entry = AuditEntry.objects.order_by("sequence").first()
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    page = client.get(f"/admin/audit/auditentry/{entry.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
