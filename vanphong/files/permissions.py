"""Who may do what with work files. The archive keeper is the agency's clerk (văn thư): the directory has no
archivist role, and Decree 30 gives the clerk the agency archive's day-to-day keeping."""

from vanphong.organizations.models import Role
from vanphong.organizations.selectors import acts_as, acts_for, current_positions


def works_in(person, agency) -> bool:
    return current_positions(person).filter(agency=agency).exists()


def keeps_archive(person, agency) -> bool:
    return acts_as(person, agency=agency, role=Role.CLERK)


def heads(person, agency) -> bool:
    return acts_as(person, agency=agency, role=Role.HEAD)


def makes_file(person, work_file) -> bool:
    return acts_for(person, work_file.creator, work_file.agency) and works_in(person, work_file.agency)


def keeps_archive_of(person, work_file) -> bool:
    return keeps_archive(person, work_file.agency)


def may_see(person, work_file) -> bool:
    """Its maker, the archive keeper and the head. Others of the agency reach archived files through the look-up,
    which logs every use."""
    return makes_file(person, work_file) or keeps_archive(person, work_file.agency) or heads(person, work_file.agency)
