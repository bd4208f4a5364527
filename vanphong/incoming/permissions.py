"""Who may do what with an incoming document. Services check these before every write; views turn a refusal
into 404 so that nothing reveals a document the person may not see."""

import datetime

from django.utils import timezone

from vanphong.organizations.models import Delegation, Role
from vanphong.organizations.selectors import acting_holders, acts_as


def is_clerk_of(person, agency) -> bool:
    return acts_as(person, agency=agency, role=Role.CLERK)


def is_clerk_of_document(person, document) -> bool:
    return is_clerk_of(person, document.agency)


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


def decides_document(person, document) -> bool:
    """The head (or deputy) the document was presented to, or whoever they delegated to."""
    return document.presented_to_id is not None and acts_for(person, document.presented_to, document.agency)


def leads_unit(person, unit) -> bool:
    """Unit head or deputy (delegations included): the people who pass a unit's work on."""
    return any(
        acting_holders(agency=unit.agency, role=role, unit=unit).filter(pk=person.pk).exists()
        for role in (Role.UNIT_HEAD, Role.UNIT_DEPUTY)
    )


def acts_on_assignment(person, assignment) -> bool:
    if assignment.role == assignment.Role.DECIDE:
        return False  # decided through the document's own steps
    if assignment.assignee_person_id is not None:
        return acts_for(person, assignment.assignee_person, assignment.agency)
    return leads_unit(person, assignment.assignee_unit)


def may_forward(person, assignment) -> bool:
    return assignment.assignee_unit_id is not None and acts_on_assignment(person, assignment)


def assigned_it(person, assignment) -> bool:
    return assignment.assigned_by_id == person.pk


def sees_whole_agency(person, agency) -> bool:
    """Clerks and the agency's leaders see every document of the agency that has no secrecy mark."""
    return any(acts_as(person, agency=agency, role=role) for role in (Role.CLERK, Role.HEAD, Role.DEPUTY_HEAD))
