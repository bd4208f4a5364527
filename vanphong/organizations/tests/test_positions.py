"""Positions and delegations (ủy quyền): who acts in which role, on which day."""

import datetime

import pytest
from django.utils import timezone

from vanphong.accounts.tests.factories import UserFactory
from vanphong.audit.models import AuditEntry
from vanphong.organizations.errors import OrganizationError
from vanphong.organizations.models import Role
from vanphong.organizations.selectors import acting_holders, acts_as
from vanphong.organizations.services import assign_position, delegate, end_position, revoke_delegation
from vanphong.organizations.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def test_assigning_a_position_is_audited(agency, platform_admin):
    person = UserFactory(username="pgd")
    assign_position(person=person, agency=agency, role=Role.DEPUTY_HEAD, title="Phó Giám đốc", by=platform_admin)
    entry = AuditEntry.objects.get(action="organizations.position_assigned")
    assert entry.actor == platform_admin
    assert entry.after["role"] == "deputy_head"
    assert entry.after["person"] == "pgd"


def test_a_unit_of_another_agency_is_refused(agency, platform_admin):
    foreign_unit = UnitFactory()
    with pytest.raises(OrganizationError, match="không thuộc"):
        assign_position(person=UserFactory(), agency=agency, unit=foreign_unit, role=Role.SPECIALIST, by=platform_admin)


def test_the_administrator_position_opens_the_admin_and_ending_it_closes_it(agency, platform_admin):
    person = UserFactory()
    position = assign_position(person=person, agency=agency, role=Role.ADMINISTRATOR, by=platform_admin)
    person.refresh_from_db()
    assert person.is_staff
    assert person.has_perm("organizations.change_unit")

    end_position(position=position, on=timezone.localdate() - datetime.timedelta(days=1), by=platform_admin)
    person = type(person).objects.get(pk=person.pk)
    assert not person.is_staff
    assert not person.has_perm("organizations.change_unit")
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"accounts.permissions_changed", "accounts.access_changed", "organizations.position_changed"} <= actions


def test_a_delegate_acts_in_the_position_only_during_the_delegation(agency, head, platform_admin):
    deputy = UserFactory(username="pct")
    position = head.positions.get()
    today = timezone.localdate()
    delegate(
        position=position,
        to=deputy,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=3),
        reason="Đi công tác",
        by=head,
    )

    assert set(acting_holders(agency=agency, role=Role.HEAD)) == {head, deputy}
    assert acts_as(deputy, agency=agency, role=Role.HEAD, on=today + datetime.timedelta(days=3))
    assert not acts_as(deputy, agency=agency, role=Role.HEAD, on=today + datetime.timedelta(days=4))
    assert not acts_as(deputy, agency=agency, role=Role.HEAD, on=today - datetime.timedelta(days=1))
    assert AuditEntry.objects.get(action="organizations.delegation_granted").actor == head


def test_a_revoked_delegation_no_longer_counts(agency, head):
    deputy = UserFactory()
    today = timezone.localdate()
    delegation = delegate(position=head.positions.get(), to=deputy, starts_on=today, ends_on=today, by=head)
    revoke_delegation(delegation=delegation, by=head)
    assert not acts_as(deputy, agency=agency, role=Role.HEAD)
    assert AuditEntry.objects.filter(action="organizations.delegation_revoked").exists()


def test_only_the_holder_or_an_administrator_may_delegate(agency, head, clerk):
    today = timezone.localdate()
    with pytest.raises(OrganizationError):
        delegate(position=head.positions.get(), to=clerk, starts_on=today, ends_on=today, by=clerk)


def test_an_ended_position_no_longer_acts(agency, head, platform_admin):
    end_position(position=head.positions.get(), on=timezone.localdate() - datetime.timedelta(days=1), by=platform_admin)
    assert not acts_as(head, agency=agency, role=Role.HEAD)
