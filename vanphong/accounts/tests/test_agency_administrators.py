"""An agency administrator manages the people of their own agency and nothing beyond it."""

import pytest

from vanphong.accounts.models import LoginLockout, TOTPDevice
from vanphong.accounts.tests.factories import UserFactory
from vanphong.organizations.models import Role
from vanphong.organizations.tests.factories import AgencyFactory, PositionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def outsider(db):
    person = UserFactory(username="syt.chuyenvien", full_name="Người Sở Y tế")
    PositionFactory(person=person, agency=AgencyFactory(name="Sở Y tế"), role=Role.SPECIALIST)
    return person


def test_the_people_list_shows_only_their_agency(client, agency_admin, clerk, outsider, platform_admin):
    client.force_login(agency_admin)
    html = client.get("/admin/accounts/user/").content.decode()
    assert clerk.full_name in html
    assert outsider.full_name not in html
    assert platform_admin.full_name not in html


def test_someone_elses_account_cannot_be_opened_or_given_a_new_password(client, agency_admin, outsider, platform_admin):
    client.force_login(agency_admin)
    assert client.get(f"/admin/accounts/user/{outsider.pk}/change/").status_code == 302  # "does not exist"
    for target in (outsider, platform_admin):
        page = client.post(
            f"/admin/accounts/user/{target.pk}/password/",
            {"password1": "M0t-mat-khau-chiem-quyen", "password2": "M0t-mat-khau-chiem-quyen"},
        )
        assert page.status_code == 404
        target.refresh_from_db()
        assert not target.check_password("M0t-mat-khau-chiem-quyen")


def test_an_agency_administrator_cannot_make_anyone_superuser(client, agency_admin, clerk):
    client.force_login(agency_admin)
    page = client.get(f"/admin/accounts/user/{agency_admin.pk}/change/")
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()
    client.post(
        f"/admin/accounts/user/{clerk.pk}/change/",
        {
            "username": clerk.username,
            "full_name": clerk.full_name,
            "email": "",
            "phone": "",
            "is_active": "on",
            "is_superuser": "on",
            "is_staff": "on",
        },
    )
    clerk.refresh_from_db()
    assert not clerk.is_superuser
    assert not clerk.is_staff


def test_their_own_agencys_password_can_be_reset(client, agency_admin, clerk):
    client.force_login(agency_admin)
    page = client.post(
        f"/admin/accounts/user/{clerk.pk}/password/",
        {"password1": "M0t-mat-khau-hoan-toan-moi", "password2": "M0t-mat-khau-hoan-toan-moi"},
    )
    assert page.status_code == 302
    clerk.refresh_from_db()
    assert clerk.check_password("M0t-mat-khau-hoan-toan-moi")


def test_lockouts_and_authenticators_of_other_agencies_are_out_of_reach(client, agency_admin, outsider):
    lockout = LoginLockout.objects.create(username=outsider.username, ip_address="10.0.0.1", failures=5)
    TOTPDevice.objects.create(user=outsider, secret="JBSWY3DPEHPK3PXP")
    client.force_login(agency_admin)
    assert outsider.username not in client.get("/admin/accounts/loginlockout/").content.decode()
    client.post("/admin/accounts/loginlockout/", {"action": "unlock", "_selected_action": [lockout.pk]})
    client.post("/admin/accounts/user/", {"action": "reset_two_factor", "_selected_action": [outsider.pk]})
    assert LoginLockout.objects.filter(pk=lockout.pk).exists()
    assert TOTPDevice.objects.filter(user=outsider).exists()


def test_a_posted_agency_outside_their_reach_is_refused(client, agency, agency_admin):
    other = AgencyFactory(name="Sở Xây dựng")
    client.force_login(agency_admin)
    client.post(
        "/admin/organizations/unit/add/",
        {"agency": other.pk, "name": "Phòng lạ", "short_name": "PL", "is_active": "on"},
    )
    assert not other.units.exists()
    page = client.post(
        f"/admin/organizations/agency/{agency.pk}/change/",
        {
            "name": agency.name,
            "short_name": "STC",
            "place_name": "Nghệ An",
            "successor": other.pk,
            "parent": other.pk,
            "email": "",
            "phone": "",
            "address": "",
        },
    )
    agency.refresh_from_db()
    assert agency.successor is None and agency.parent is None
    assert page.status_code in (200, 302)
