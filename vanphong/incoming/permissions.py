"""Who may do what with an incoming document. Services check these before every write; views turn a refusal
into 404 so that nothing reveals a document the person may not see."""

from vanphong.organizations.models import Role
from vanphong.organizations.selectors import acting_holders, acts_as, acts_for, leads_unit  # noqa: F401 (re-exported)


def is_clerk_of(person, agency) -> bool:
    return acts_as(person, agency=agency, role=Role.CLERK)


def is_clerk_of_document(person, document) -> bool:
    return is_clerk_of(person, document.agency)


def decides_document(person, document) -> bool:
    """The head (or deputy) the document was presented to, or whoever they delegated to."""
    return document.presented_to_id is not None and acts_for(person, document.presented_to, document.agency)


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
