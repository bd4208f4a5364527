"""Nobody sees, acts on or lists a document they may not see; every refusal looks like a missing page."""

import datetime

import pytest
from django.utils import timezone

from vanphong.incoming import services
from vanphong.incoming.models import Assignment
from vanphong.incoming.tests.conftest import document_data, sample_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def routed(office):
    """A document assigned to the budget unit, and a secret one assigned to the specialist by name."""
    document = services.receive(
        agency=office.agency, by=office.clerk, data=document_data(), files=[sample_pdf()], register=office.register
    )
    services.present(document=document, by=office.clerk, to=office.head)
    services.assign(document=document, by=office.head, lead=office.budget_unit, deadline=None, instruction="Xử lý")
    secret = services.receive(
        agency=office.agency,
        by=office.clerk,
        data=document_data(number="7", secrecy=2),
        register=office.secret_register,
    )
    services.present(document=secret, by=office.clerk, to=office.head)
    services.assign(document=secret, by=office.head, lead=office.specialist, deadline=None, instruction="Mật")
    return document, secret


def pages_of(document):
    attachment = document.attachments.first()
    lead = document.assignments.get(role=Assignment.Role.LEAD, parent=None)
    return {
        "detail": ("get", f"/incoming/{document.pk}/"),
        "file": ("get", f"/incoming/{document.pk}/files/{attachment.pk}/") if attachment else None,
        "complete": ("post", f"/incoming/{document.pk}/work/{lead.pk}/complete/"),
        "note": ("post", f"/incoming/{document.pk}/work/{lead.pk}/note/"),
        "recall": ("post", f"/incoming/{document.pk}/work/{lead.pk}/recall/"),
        "assign": ("post", f"/incoming/{document.pk}/do/assign/"),
    }


@pytest.mark.parametrize("page", ["detail", "file", "complete", "note", "recall", "assign"])
def test_a_person_of_another_agency_gets_404_for_every_page_and_action(client, office, routed, page):
    document, _secret = routed
    method, url = pages_of(document)[page]
    client.force_login(office.outsider)
    response = getattr(client, method)(url, {"a1-result": "x", "a1-text": "x"})
    assert response.status_code == 404
    lead = document.assignments.get(role=Assignment.Role.LEAD, parent=None)
    assert lead.state == "pending"


def test_a_missing_document_and_a_forbidden_one_look_the_same(client, office, routed):
    document, _secret = routed
    client.force_login(office.outsider)
    forbidden = client.get(f"/incoming/{document.pk}/")
    missing = client.get("/incoming/987654321/")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content


@pytest.mark.parametrize("who", ["clerk", "head", "deputy", "budget_head", "specialist"])
def test_people_of_the_agency_the_document_was_routed_to_can_open_it(client, office, routed, who):
    document, _secret = routed
    client.force_login(getattr(office, who))
    assert client.get(f"/incoming/{document.pk}/").status_code == 200
    assert client.get(f"/incoming/{document.pk}/files/{document.attachments.first().pk}/").status_code == 200


def test_a_unit_not_on_the_routing_does_not_see_the_document(client, office, routed):
    document, _secret = routed
    client.force_login(office.office_specialist)
    assert client.get(f"/incoming/{document.pk}/").status_code == 404
    assert document.summary not in client.get("/incoming/?tab=to_handle").content.decode()


@pytest.mark.parametrize("who", ["deputy", "budget_head", "office_head", "outsider"])
def test_a_secret_document_is_hidden_from_everyone_not_named_on_it(client, office, routed, who):
    _document, secret = routed
    client.force_login(getattr(office, who))
    assert client.get(f"/incoming/{secret.pk}/").status_code == 404
    for tab in ("to_handle", "in_progress", "done", "for_information", "registered"):
        page = client.get(f"/incoming/?tab={tab}")
        assert page.status_code in (200, 404)
        assert f"/incoming/{secret.pk}/" not in page.content.decode()


@pytest.mark.parametrize("who", ["clerk", "head", "specialist"])
def test_the_people_named_on_a_secret_document_open_it(client, office, routed, who):
    _document, secret = routed
    client.force_login(getattr(office, who))
    assert client.get(f"/incoming/{secret.pk}/").status_code == 200


def test_a_specialist_cannot_register_documents(client, office):
    client.force_login(office.specialist)
    assert client.get("/incoming/new/").status_code == 404


def test_a_specialist_cannot_act_on_the_unit_heads_assignment_by_posting(client, office, routed):
    document, _secret = routed
    lead = document.assignments.get(role=Assignment.Role.LEAD, parent=None)
    client.force_login(office.specialist)
    response = client.post(f"/incoming/{document.pk}/work/{lead.pk}/complete/", {f"a{lead.pk}-result": "Xong"})
    assert response.status_code == 404
    lead.refresh_from_db()
    assert lead.state == "pending"


def test_an_assignment_of_another_document_cannot_be_reached_through_this_one(client, office, routed):
    document, secret = routed
    secret_lead = secret.assignments.get(role=Assignment.Role.LEAD)
    client.force_login(office.budget_head)
    response = client.post(
        f"/incoming/{document.pk}/work/{secret_lead.pk}/complete/", {f"a{secret_lead.pk}-result": "x"}
    )
    assert response.status_code == 404


def test_the_audit_log_records_who_opened_nothing_they_could_not(client, office, routed):
    from vanphong.audit.models import AuditEntry

    before = AuditEntry.objects.count()
    client.force_login(office.outsider)
    client.post(
        f"/incoming/{routed[0].pk}/do/assign/",
        {"lead": "x", "instruction": "x", "deadline": str(timezone.localdate() + datetime.timedelta(1))},
    )
    assert AuditEntry.objects.count() == before


def test_attachments_are_always_downloads_never_rendered_on_our_origin(client, office, routed):
    document, _secret = routed
    client.force_login(office.clerk)
    response = client.get(f"/incoming/{document.pk}/files/{document.attachments.first().pk}/", {"view": "1"})
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
