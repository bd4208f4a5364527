"""Who may do what with an outgoing document. Services check these before every write; views turn a refusal into
404 so that nothing reveals a document the person may not see."""

from vanphong.organizations.models import Role
from vanphong.organizations.selectors import acts_as, acts_for, current_positions, leads_unit


def is_clerk_of(person, agency) -> bool:
    return acts_as(person, agency=agency, role=Role.CLERK)


def is_clerk_of_document(person, document) -> bool:
    return is_clerk_of(person, document.agency)


def is_leader_of(person, agency) -> bool:
    return acts_as(person, agency=agency, role=Role.HEAD) or acts_as(person, agency=agency, role=Role.DEPUTY_HEAD)


def drafts(person, document) -> bool:
    """The drafter, or whoever leads the drafting unit (they may take a draft over)."""
    return person.pk == document.drafter_id or leads_unit(person, document.drafting_unit)


def signs(person, document) -> bool:
    return acts_for(person, document.signer, document.agency)


def acts_on_step(person, step) -> bool:
    if step.reviewer_id is not None:
        return acts_for(person, step.reviewer, step.document.agency)
    return step.unit_id is not None and leads_unit(person, step.unit)


def reviews_now(person, document) -> bool:
    """Holds an open review step (the signer's included) of the document's current round."""
    return any(acts_on_step(person, s) for s in document.steps.filter(state="pending").select_related("reviewer"))


def may_recall(person, document) -> bool:
    return signs(person, document) or acts_as(person, agency=document.agency, role=Role.HEAD)


def can_see(person, document) -> bool:
    """Before issuance: whoever took part (drafter, drafting unit's leaders, reviewers, signer), the clerks and the
    agency's leaders. Once issued: everyone with a position in the agency, except for documents with a secrecy mark."""
    if drafts(person, document) or signs(person, document) or is_clerk_of_document(person, document):
        return True
    if is_leader_of(person, document.agency):
        return True
    if any(acts_on_step(person, s) for s in document.steps.select_related("reviewer", "unit")):
        return True
    if document.state in ("issued", "recalled", "replaced") and not document.is_secret:
        return current_positions(person).filter(agency=document.agency).exists()
    return False
