"""Every write to the directory: agencies, units, positions and delegations. Each change is audited."""

import datetime

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.audit.services import changed_fields, record, snapshot

from .errors import OrganizationError
from .models import Agency, Delegation, Position, Role, Unit
from .selectors import administered_agencies, current_roles


def ensure_administers(by, agency: Agency) -> None:
    if by is None:  # a management command run by the operator
        return
    if not administered_agencies(by).filter(pk=agency.pk).exists():
        raise OrganizationError(_("You do not administer %(agency)s.") % {"agency": agency.name})


@transaction.atomic
def save_directory_entry(*, instance, by, agency: Agency | None = None):
    """Create or update an agency or unit (the admin screens call this) and audit what changed."""
    ensure_administers(by, agency or instance)
    if instance.pk is not None and agency is not None:
        # a unit moved to another agency: the administrator must administer the old one too
        ensure_administers(by, type(instance).objects.get(pk=instance.pk).agency)
    if instance.pk is None:
        instance.full_clean()
        instance.save()
        record(f"organizations.{instance._meta.model_name}_created", obj=instance, actor=by, after=snapshot(instance))
        return instance
    before = snapshot(type(instance).objects.get(pk=instance.pk))
    instance.full_clean()
    instance.save()
    old, new = changed_fields(before, snapshot(instance))
    if new:
        record(f"organizations.{instance._meta.model_name}_changed", obj=instance, actor=by, before=old, after=new)
    return instance


@transaction.atomic
def set_successor(*, agency: Agency, successor: Agency, valid_to: datetime.date, by) -> Agency:
    """A merger or dissolution: `agency` stops on `valid_to` and `successor` acts for it from the next day."""
    ensure_administers(by, agency)
    if successor.pk == agency.pk:
        raise OrganizationError(_("An agency cannot succeed itself."))
    step, seen = successor, {agency.pk}
    while step is not None:
        if step.pk in seen:
            raise OrganizationError(_("This successor would make a loop of successors."))
        seen.add(step.pk)
        step = step.successor
    before = {"successor": agency.successor_id, "valid_to": agency.valid_to}
    agency.successor, agency.valid_to = successor, valid_to
    agency.full_clean()
    agency.save(update_fields=["successor", "valid_to"])
    record(
        "organizations.agency_succeeded",
        obj=agency,
        actor=by,
        before=before,
        after={"successor": successor.pk, "successor_code": successor.code, "valid_to": valid_to},
    )
    return agency


AGENCY_ADMINISTRATORS_GROUP = "Quản trị cơ quan"
AGENCY_ADMINISTRATOR_PERMISSIONS = [
    ("organizations", "view_agency"),
    ("organizations", "change_agency"),
    ("organizations", "view_unit"),
    ("organizations", "add_unit"),
    ("organizations", "change_unit"),
    ("organizations", "view_position"),
    ("organizations", "add_position"),
    ("organizations", "change_position"),
    ("organizations", "view_delegation"),
    ("organizations", "add_delegation"),
    ("organizations", "view_administrativeunit"),
    ("accounts", "view_user"),
    ("accounts", "add_user"),
    ("accounts", "change_user"),
    ("accounts", "view_loginlockout"),
    ("accounts", "delete_loginlockout"),
    ("accounts", "view_totpdevice"),
    ("accounts", "delete_totpdevice"),
]


def register_administrator_permissions(permissions: list[tuple[str, str]]) -> None:
    """Called by a capability's AppConfig.ready(): agency administrators may also manage these models (each app's
    admin narrows them to the administrator's agencies)."""
    for permission in permissions:
        if permission not in AGENCY_ADMINISTRATOR_PERMISSIONS:
            AGENCY_ADMINISTRATOR_PERMISSIONS.append(permission)


def agency_administrators_group():
    """The group, with the permissions of every installed capability (added when a new one is installed)."""
    group, _created = Group.objects.get_or_create(name=AGENCY_ADMINISTRATORS_GROUP)
    query = Q()
    for app_label, codename in AGENCY_ADMINISTRATOR_PERMISSIONS:
        query |= Q(content_type__app_label=app_label, codename=codename)
    wanted = set(Permission.objects.filter(query).values_list("pk", flat=True))
    if set(group.permissions.values_list("pk", flat=True)) != wanted:
        group.permissions.set(wanted)
    return group


def sync_administrator_access(person) -> None:
    """An administrator position (quản trị) opens the administration screens; losing the last one closes them.
    The resulting permission changes are audited by accounts.signals."""
    is_administrator = Role.ADMINISTRATOR in current_roles(person)
    group = agency_administrators_group()
    if is_administrator and not person.groups.filter(pk=group.pk).exists():
        person.groups.add(group)
    elif not is_administrator and person.groups.filter(pk=group.pk).exists():
        person.groups.remove(group)
    if is_administrator and not person.is_staff:
        person.is_staff = True
        person.save(update_fields=["is_staff"])
    elif not is_administrator and person.is_staff and not person.is_superuser:
        person.is_staff = False
        person.save(update_fields=["is_staff"])


def _position_data(position: Position) -> dict:
    return {
        "person": position.person.username,
        "agency": position.agency.code or position.agency.name,
        "unit": position.unit.name if position.unit_id else None,
        "role": position.role,
        "title": position.title,
        "valid_from": position.valid_from,
        "valid_to": position.valid_to,
    }


@transaction.atomic
def assign_position(
    *,
    person,
    agency: Agency,
    role: str,
    by,
    unit: Unit | None = None,
    title: str = "",
    valid_from: datetime.date | None = None,
) -> Position:
    ensure_administers(by, agency)
    if unit is not None and unit.agency_id != agency.pk:
        raise OrganizationError(
            _("The unit %(unit)s does not belong to %(agency)s.") % {"unit": unit.name, "agency": agency.name}
        )
    if role not in Role.values:
        raise OrganizationError(_("Unknown role: %(role)s.") % {"role": role})
    position = Position(
        person=person, agency=agency, unit=unit, role=role, title=title, valid_from=valid_from or timezone.localdate()
    )
    position.full_clean()
    position.save()
    record("organizations.position_assigned", obj=position, actor=by, after=_position_data(position))
    sync_administrator_access(person)
    return position


@transaction.atomic
def change_position(*, position: Position, by, **changes) -> Position:
    ensure_administers(by, position.agency)
    before = _position_data(position)
    for field, value in changes.items():
        setattr(position, field, value)
    ensure_administers(by, position.agency)  # the agency it moves to as well
    if position.unit_id and position.unit.agency_id != position.agency_id:
        raise OrganizationError(
            _("The unit %(unit)s does not belong to %(agency)s.")
            % {"unit": position.unit.name, "agency": position.agency.name}
        )
    position.full_clean()
    position.save()
    old, new = changed_fields(before, _position_data(position))
    if new:
        record("organizations.position_changed", obj=position, actor=by, before=old, after=new)
    sync_administrator_access(position.person)
    return position


def end_position(*, position: Position, by, on: datetime.date | None = None) -> Position:
    return change_position(position=position, by=by, valid_to=on or timezone.localdate())


@transaction.atomic
def delegate(
    *, position: Position, to, starts_on: datetime.date, ends_on: datetime.date, by, reason: str = ""
) -> Delegation:
    """Ủy quyền: `to` acts in `position` from `starts_on` to `ends_on`. The holder or an administrator may grant it."""
    if by is not None and by.pk != position.person_id:
        ensure_administers(by, position.agency)
    if to.pk == position.person_id:
        raise OrganizationError(_("A person cannot delegate a position to themselves."))
    if ends_on < starts_on:
        raise OrganizationError(_("The delegation must end on or after the day it starts."))
    delegation = Delegation.objects.create(
        position=position, delegate=to, starts_on=starts_on, ends_on=ends_on, reason=reason
    )
    record(
        "organizations.delegation_granted",
        obj=delegation,
        actor=by,
        after={
            "position": str(position),
            "delegate": to.username,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "reason": reason,
        },
    )
    return delegation


@transaction.atomic
def revoke_delegation(*, delegation: Delegation, by) -> Delegation:
    if by is not None and by.pk != delegation.position.person_id:
        ensure_administers(by, delegation.position.agency)
    delegation.revoked_at = timezone.now()
    delegation.save(update_fields=["revoked_at"])
    record("organizations.delegation_revoked", obj=delegation, actor=by)
    return delegation
