"""The national list of administrative units after the 2025 reform, and a province's commune committees."""

import pytest
from django.core.management import call_command

from vanphong.organizations.models import AdministrativeUnit, Agency

pytestmark = pytest.mark.django_db


def test_the_import_brings_34_provinces_and_3321_communes_and_can_be_repeated():
    call_command("import_admin_units", stdout=__import__("io").StringIO())
    call_command("import_admin_units", stdout=__import__("io").StringIO())
    assert AdministrativeUnit.objects.filter(level="province").count() == 34
    assert AdministrativeUnit.objects.filter(level="commune").count() == 3321


def test_a_province_gets_one_peoples_committee_per_commune_reporting_to_the_province():
    call_command("import_admin_units", "--province", "Nghệ An", stdout=__import__("io").StringIO())
    province = AdministrativeUnit.objects.get(name="Nghệ An")
    committee = Agency.objects.get(administrative_unit=province)
    assert committee.name == "Ủy ban nhân dân tỉnh Nghệ An"
    communes = Agency.objects.filter(parent=committee)
    assert communes.count() == province.communes.count() > 100
    anh_son = communes.get(administrative_unit__name="Xã Anh Sơn")
    assert (anh_son.name, anh_son.place_name, anh_son.short_name) == ("Ủy ban nhân dân xã Anh Sơn", "Anh Sơn", "UBND")
    assert anh_son.code == "", "QCVN codes are issued by the province, never guessed"

    call_command("import_admin_units", "--province", "40", stdout=__import__("io").StringIO())
    assert Agency.objects.filter(parent=committee).count() == communes.count()
