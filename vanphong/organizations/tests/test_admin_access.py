"""The directory's admin screens: an agency administrator sees only their own agency."""

import pytest

from vanphong.accounts.tests.factories import UserFactory
from vanphong.audit.models import AuditEntry
from vanphong.organizations.models import Role
from vanphong.organizations.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def test_an_agency_administrator_does_not_see_other_agencies(client, agency, agency_admin):
    other = AgencyFactory(name="Sở Y tế tỉnh Nghệ An")
    client.force_login(agency_admin)
    listing = client.get("/admin/organizations/agency/").content.decode()
    assert agency.name in listing
    assert other.name not in listing
    assert client.get(f"/admin/organizations/agency/{other.pk}/change/").status_code == 302  # "does not exist"


def test_an_agency_administrator_edits_their_agency_and_the_change_is_audited(client, agency, agency_admin):
    client.force_login(agency_admin)
    page = client.get(f"/admin/organizations/agency/{agency.pk}/change/")
    assert page.status_code == 200
    form = {
        "code": agency.code,
        "name": agency.name,
        "short_name": "STC",
        "place_name": "Vinh",
        "is_hosted": "on",
        "email": "",
        "phone": "",
        "address": "",
    }
    client.post(f"/admin/organizations/agency/{agency.pk}/change/", form)
    agency.refresh_from_db()
    assert agency.place_name == "Vinh"
    entry = AuditEntry.objects.get(action="organizations.agency_changed")
    assert entry.actor == agency_admin
    assert entry.after == {"place_name": "Vinh"}


def test_a_specialist_cannot_open_the_directory(client, agency, person_in):
    specialist = person_in(agency, Role.SPECIALIST)
    client.force_login(specialist)
    assert client.get("/admin/organizations/agency/").status_code == 302


def test_positions_added_in_the_admin_go_through_the_audited_service(client, agency, agency_admin):
    person = UserFactory(username="stc.moi")
    client.force_login(agency_admin)
    client.post(
        "/admin/organizations/position/add/",
        {
            "person": person.pk,
            "agency": agency.pk,
            "role": Role.SPECIALIST,
            "title": "Chuyên viên",
            "valid_from": "01/12/2026",
        },
    )
    assert person.positions.get().role == Role.SPECIALIST
    assert AuditEntry.objects.filter(action="organizations.position_assigned", actor=agency_admin).exists()
