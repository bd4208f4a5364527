"""The platform operator follows the packages and changes routes in the admin; an agency administrator sees none
of it; the shared secret is never shown, and every change is in the audit log."""

import pytest

from vanphong.audit.models import AuditEntry
from vanphong.exchange import edxml
from vanphong.exchange.models import Route

from .conftest import package

pytestmark = pytest.mark.django_db


def test_an_agency_administrator_cannot_see_the_interconnection(client, agency_admin, peer):
    client.force_login(agency_admin)
    for page in ("/admin/exchange/message/", "/admin/exchange/peer/", f"/admin/exchange/peer/{peer.pk}/change/"):
        assert client.get(page).status_code in (403, 404), page


def test_the_operator_sees_the_packages_and_the_peer_without_its_secret(
    client, platform_admin, peer, office, post_package
):
    post_package(edxml.build(package()))
    client.force_login(platform_admin)
    listing = client.get("/admin/exchange/message/")
    assert listing.status_code == 200 and "000.00.00.G12" in listing.content.decode()
    page = client.get(f"/admin/exchange/peer/{peer.pk}/change/").content.decode()
    assert peer.secret not in page


def test_the_operator_changes_a_route_and_it_is_audited(client, platform_admin, peer):
    client.force_login(platform_admin)
    response = client.post("/admin/exchange/route/add/", {"agency_code": "000.00.00.H14", "peer": peer.pk})
    assert response.status_code == 302
    assert Route.objects.filter(agency_code="000.00.00.H14", peer=peer).exists()
    entry = AuditEntry.objects.get(action="exchange.route.added")
    assert entry.actor == platform_admin and entry.after["agency_code"] == "000.00.00.H14"
