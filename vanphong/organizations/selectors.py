"""Reads of the directory: who holds which role where, on which day, delegations included."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from .models import Agency, Delegation, Position, Role, Unit

MAX_SUCCESSION_DEPTH = 50


def successor_on(agency: Agency, day: datetime.date | None = None) -> Agency:
    """The agency that acts for `agency` on `day`: itself while valid, else the end of its successor chain.
    Used to route replies addressed to merged or dissolved agencies; the old record keeps its own code."""
    day = day or timezone.localdate()
    seen = {agency.pk}
    current = agency
    while not current.is_valid_on(day) and current.successor_id:
        current = Agency.objects.get(pk=current.successor_id)
        if current.pk in seen or len(seen) > MAX_SUCCESSION_DEPTH:
            break  # a cycle entered by hand; stop rather than loop
        seen.add(current.pk)
    return current


def agency_by_code(code: str) -> Agency | None:
    return Agency.objects.filter(code=code.strip()).first() if code and code.strip() else None


def current_positions(person, on: datetime.date | None = None):
    return Position.objects.current(on).filter(person=person).select_related("agency", "unit")


def current_roles(person, on: datetime.date | None = None) -> set[str]:
    return set(current_positions(person, on).values_list("role", flat=True))


def acting_roles(person, on: datetime.date | None = None) -> set[str]:
    """Roles the person holds, plus those delegated to them for the day."""
    day = on or timezone.localdate()
    delegated = Delegation.objects.filter(
        delegate=person, starts_on__lte=day, ends_on__gte=day, revoked_at__isnull=True
    ).values_list("position__role", flat=True)
    return current_roles(person, on) | set(delegated)


def acting_holders(*, agency: Agency, role: str, unit: Unit | None = None, on: datetime.date | None = None):
    """The people who act in `role` in `agency` (and `unit`) on `on`: holders, plus delegates of holders for that
    day. A holder who delegated stays listed: ủy quyền adds a person, it does not take the holder's rights away."""
    day = on or timezone.localdate()
    positions = Position.objects.current(day).filter(agency=agency, role=role)
    if unit is not None:
        positions = positions.filter(unit=unit)
    delegations = Delegation.objects.filter(
        position__in=positions,
        starts_on__lte=day,
        ends_on__gte=day,
        revoked_at__isnull=True,
        delegate__is_active=True,
    )
    return (
        get_user_model()
        .objects.filter(Q(pk__in=positions.values("person")) | Q(pk__in=delegations.values("delegate")))
        .distinct()
    )


def acts_as(person, *, agency: Agency, role: str, on: datetime.date | None = None) -> bool:
    return acting_holders(agency=agency, role=role, on=on).filter(pk=person.pk).exists()


def administered_agencies(person):
    """Agencies whose directory the person may manage: every one for a superuser, else those where the person
    holds an administrator position."""
    if person.is_superuser:
        return Agency.objects.all()
    return Agency.objects.filter(pk__in=current_positions(person).filter(role="administrator").values("agency"))


def positions_card(user):
    return {"positions": list(current_positions(user))}


def platform_card(user):
    if not user.is_staff:
        return None
    return {
        "hosted_agencies": Agency.objects.filter(is_hosted=True).count(),
        "external_agencies": Agency.objects.filter(is_hosted=False).count(),
        "people": get_user_model().objects.filter(is_active=True).count(),
    }


def acts_for(person, holder, agency, on: datetime.date | None = None) -> bool:
    """True for the holder, and for anyone the holder delegated one of their positions in `agency` to today."""
    if person.pk == holder.pk:
        return True
    day = on or timezone.localdate()
    return Delegation.objects.filter(
        position__person=holder,
        position__agency=agency,
        delegate=person,
        starts_on__lte=day,
        ends_on__gte=day,
        revoked_at__isnull=True,
    ).exists()


def leads_unit(person, unit) -> bool:
    """Unit head or deputy (delegations included): the people who pass a unit's work on."""
    return any(
        acting_holders(agency=unit.agency, role=role, unit=unit).filter(pk=person.pk).exists()
        for role in (Role.UNIT_HEAD, Role.UNIT_DEPUTY)
    )
