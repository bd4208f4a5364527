"""An agency administrator sets up the agency's outgoing registers and review routes, and only the agency's."""

import pytest

from vanphong.audit.models import AuditEntry
from vanphong.organizations.tests.factories import AgencyFactory, UnitFactory
from vanphong.outgoing.models import OutgoingRegister, ReviewRoute

pytestmark = pytest.mark.django_db


def test_an_agency_administrator_adds_a_register_for_decisions_and_it_is_audited(client, agency, agency_admin):
    client.force_login(agency_admin)
    response = client.post(
        "/admin/outgoing/outgoingregister/add/",
        {"agency": agency.pk, "name": "Sổ quyết định", "document_types": ["QĐ"], "is_active": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    register = OutgoingRegister.objects.get()
    assert register.document_types == ["QĐ"]
    assert AuditEntry.objects.get(action="outgoing.outgoingregister.added").actor == agency_admin


def test_an_agency_administrator_sees_only_the_agencys_registers(client, agency, agency_admin):
    other = AgencyFactory(name="Sở Y tế tỉnh Nghệ An")
    theirs = OutgoingRegister.objects.create(agency=other, name="Sổ văn bản đi của Sở Y tế")
    client.force_login(agency_admin)
    listing = client.get("/admin/outgoing/outgoingregister/")
    assert listing.status_code == 200 and theirs.name not in listing.content.decode()
    refused = client.post(
        "/admin/outgoing/outgoingregister/add/", {"agency": other.pk, "name": "Sổ lạ", "is_active": "on"}
    )
    assert refused.status_code == 200 and not OutgoingRegister.objects.filter(name="Sổ lạ").exists()


def test_a_review_route_with_an_unknown_step_is_refused_in_vietnamese(client, agency, agency_admin):
    office = UnitFactory(agency=agency, name="Văn phòng Sở", short_name="VP")
    client.force_login(agency_admin)
    refused = client.post(
        "/admin/outgoing/reviewroute/add/",
        {"agency": agency.pk, "name": "Quyết định", "document_types": ["QĐ"], "steps": '["unit_head", "director"]'},
    )
    assert "Bước không hợp lệ: director" in refused.content.decode()
    kept = client.post(
        "/admin/outgoing/reviewroute/add/",
        {
            "agency": agency.pk,
            "name": "Quyết định",
            "document_types": ["QĐ"],
            "steps": f'["unit_head", {{"kind": "office_chief", "unit": {office.pk}}}]',
        },
    )
    assert kept.status_code == 302
    assert ReviewRoute.objects.get().steps == ["unit_head", {"kind": "office_chief", "unit": office.pk}]
