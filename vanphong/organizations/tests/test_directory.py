"""The agency directory: identifier codes as they occur in real traffic, and successor links after mergers."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from vanphong.audit.models import AuditEntry
from vanphong.organizations.errors import OrganizationError
from vanphong.organizations.selectors import successor_on
from vanphong.organizations.services import save_directory_entry, set_successor
from vanphong.organizations.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

REFORM_EVE = datetime.date(2025, 6, 30)


@pytest.mark.parametrize("code", ["000.00.00.H41", "99.99.99.G21", "999.010.01.H22", "A" * 35, "H41.UBND-XA-ANH-SON"])
def test_real_world_codes_are_accepted_whatever_their_shape(code):
    agency = AgencyFactory.build(code=code)
    agency.full_clean()


def test_a_code_longer_than_35_characters_is_refused_with_a_vietnamese_message():
    with pytest.raises(ValidationError) as refused:
        AgencyFactory.build(code="A" * 36).full_clean()
    assert "35" in str(refused.value.message_dict["code"])


def test_two_agencies_cannot_share_a_code_but_many_may_have_none():
    AgencyFactory(code="000.00.00.H41")
    with pytest.raises(ValidationError):
        AgencyFactory.build(code="000.00.00.H41").full_clean()
    AgencyFactory(code="")
    AgencyFactory(code="")


def test_a_merged_agency_keeps_its_code_and_routes_to_its_successor_after_the_merger(platform_admin):
    district = AgencyFactory(code="000.11.00.H41", name="UBND huyện Anh Sơn")
    commune = AgencyFactory(code="", name="UBND xã Anh Sơn")
    set_successor(agency=district, successor=commune, valid_to=REFORM_EVE, by=platform_admin)

    district.refresh_from_db()
    assert district.code == "000.11.00.H41"
    assert successor_on(district, REFORM_EVE) == district
    assert successor_on(district, REFORM_EVE + datetime.timedelta(days=1)) == commune
    entry = AuditEntry.objects.get(action="organizations.agency_succeeded")
    assert entry.actor == platform_admin
    assert entry.after["successor"] == commune.pk


def test_succession_follows_a_chain_of_mergers(platform_admin):
    kien_giang_unit = AgencyFactory(code="000.00.05.H33")
    an_giang_unit = AgencyFactory(code="000.00.05.H01")
    merged_unit = AgencyFactory(code="000.00.06.H01")
    set_successor(agency=kien_giang_unit, successor=an_giang_unit, valid_to=REFORM_EVE, by=platform_admin)
    set_successor(agency=an_giang_unit, successor=merged_unit, valid_to=datetime.date(2025, 12, 31), by=platform_admin)
    assert successor_on(kien_giang_unit, datetime.date(2026, 3, 1)) == merged_unit


def test_a_loop_of_successors_is_refused(platform_admin):
    first, second = AgencyFactory(), AgencyFactory()
    set_successor(agency=first, successor=second, valid_to=REFORM_EVE, by=platform_admin)
    with pytest.raises(OrganizationError, match="vòng lặp"):
        set_successor(agency=second, successor=first, valid_to=REFORM_EVE, by=platform_admin)
    with pytest.raises(OrganizationError):
        set_successor(agency=first, successor=first, valid_to=REFORM_EVE, by=platform_admin)


def test_editing_an_agency_records_what_changed(platform_admin):
    agency = AgencyFactory(short_name="STC")
    agency.short_name = "SFIN"
    save_directory_entry(instance=agency, by=platform_admin)
    entry = AuditEntry.objects.get(action="organizations.agency_changed")
    assert entry.before == {"short_name": "STC"}
    assert entry.after == {"short_name": "SFIN"}


def test_an_agency_administrator_cannot_edit_another_agency(agency, person_in):
    from vanphong.organizations.models import Role

    own_admin = person_in(agency, Role.ADMINISTRATOR)
    other = AgencyFactory()
    other.name = "Đổi tên trái phép"
    with pytest.raises(OrganizationError, match="không quản trị"):
        save_directory_entry(instance=other, by=own_admin)
