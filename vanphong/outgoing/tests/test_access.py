"""Nobody sees, acts on or lists an outgoing document they may not see; every refusal looks like a missing page
and leaves nothing in the audit log. Each page and action has its pair: without access 404, with access it works."""

import pytest

from vanphong.accounts.tests.factories import UserFactory
from vanphong.audit.models import AuditEntry
from vanphong.core.document_types import Secrecy
from vanphong.incoming import services as incoming
from vanphong.incoming.tests.conftest import document_data
from vanphong.outgoing import services
from vanphong.outgoing.states import DocumentState

from .conftest import PASSPHRASE, draft_data, draft_docx, recipients

pytestmark = pytest.mark.django_db


def outgoing_actions(document) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type="outgoing.outgoingdocument", object_id=str(document.pk))
        .order_by("sequence")
        .values_list("action", flat=True)
    )


def drafted(province, **changes):
    office = province.office
    return services.create_draft(
        agency=office.agency,
        by=office.specialist,
        data=draft_data(province, **changes),
        main_file=draft_docx(),
        recipients=recipients(province),
    )


def reached(province, state):
    """A document brought to `state` through the services."""
    office = province.office
    doc = drafted(province)
    steps = [
        ("in_review", lambda: services.submit(doc=doc, by=office.specialist)),
        ("to_sign", lambda: services.approve(doc=doc, by=office.budget_head)),
        ("to_number", lambda: services.sign(doc=doc, by=office.head, secret=PASSPHRASE)),
        ("to_issue", lambda: services.number(doc=doc, by=office.clerk, secret=PASSPHRASE)),
        ("issued", lambda: services.issue(doc=doc, by=office.clerk)),
    ]
    for name, step in steps:
        if doc.state == state:
            break
        step()
        assert doc.state == name
    return doc


# (action, state it is offered in, who may take it, what is posted, the audit entry it writes)
ACTIONS = [
    ("submit", "draft", "specialist", {}, "outgoing.submitted"),
    ("upload", "draft", "specialist", {"upload-upload": "docx"}, "outgoing.version_uploaded"),
    ("approve", "in_review", "budget_head", {"approve-comment": "Đồng ý"}, "outgoing.approved"),
    ("return", "in_review", "budget_head", {"return-comment": "Sửa lại"}, "outgoing.returned"),
    ("sign", "to_sign", "head", {"sign-secret": PASSPHRASE}, "outgoing.signed"),
    ("return", "to_sign", "head", {"return-comment": "Sửa lại"}, "outgoing.returned"),
    ("number", "to_number", "clerk", {"number-secret": PASSPHRASE}, "outgoing.numbered"),
    ("issue", "to_issue", "clerk", {}, "outgoing.issued"),
    ("recall", "issued", "head", {"recall-reason": "Sai số liệu"}, "outgoing.recalled"),
]


def _data(data):
    return {key: draft_docx() if value == "docx" else value for key, value in data.items()}


@pytest.mark.parametrize(("action", "state", "who", "data", "audit"), ACTIONS)
@pytest.mark.parametrize("stranger", ["outsider", "office_specialist", "deputy_as_other"])
def test_a_person_who_may_not_take_a_step_gets_404_and_nothing_is_recorded(
    client, province, action, state, who, data, audit, stranger
):
    office = province.office
    doc = reached(province, state)
    before = AuditEntry.objects.count()
    person = {"outsider": office.outsider, "office_specialist": office.office_specialist}.get(stranger)
    if person is None:  # someone of the agency who is not the one to act: the drafter for every step but theirs
        person = office.specialist if who != "specialist" else office.office_head
    client.force_login(person)
    response = client.post(f"/outgoing/{doc.pk}/do/{action}/", _data(data))
    assert response.status_code == 404
    doc.refresh_from_db()
    assert doc.state == state
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize(("action", "state", "who", "data", "audit"), ACTIONS)
def test_the_person_whose_turn_it_is_takes_the_step_and_it_is_recorded(
    client, province, action, state, who, data, audit
):
    doc = reached(province, state)
    client.force_login(getattr(province.office, who))
    response = client.post(f"/outgoing/{doc.pk}/do/{action}/", _data(data))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == f"/outgoing/{doc.pk}/"
    assert outgoing_actions(doc)[-1] == audit


def pages_of(doc):
    version = doc.versions.first()
    attachment_pages = {}
    return {
        "detail": f"/outgoing/{doc.pk}/",
        "version pdf": f"/outgoing/{doc.pk}/versions/{version.pk}/pdf/",
        "version source": f"/outgoing/{doc.pk}/versions/{version.pk}/source/",
        "issued file": f"/outgoing/{doc.pk}/issued/",
        **attachment_pages,
    }


PAGES = ["detail", "version pdf", "version source", "issued file"]


@pytest.mark.parametrize("page", PAGES)
def test_a_person_of_another_agency_gets_404_for_every_page(client, province, page):
    doc = reached(province, "to_number")
    client.force_login(province.office.outsider)
    assert client.get(pages_of(doc)[page]).status_code == 404


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who", ["specialist", "budget_head", "head", "deputy", "clerk"])
def test_the_people_taking_part_and_the_leaders_open_every_page(client, province, page, who):
    doc = reached(province, "to_number")
    client.force_login(getattr(province.office, who))
    assert client.get(pages_of(doc)[page]).status_code == 200


def test_a_missing_document_and_a_forbidden_one_look_the_same(client, province):
    doc = drafted(province)
    client.force_login(province.office.outsider)
    forbidden = client.get(f"/outgoing/{doc.pk}/")
    missing = client.get("/outgoing/987654321/")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content


def test_a_draft_is_hidden_from_another_unit_until_it_is_issued(client, province):
    office = province.office
    doc = reached(province, "to_issue")
    client.force_login(office.office_specialist)
    assert client.get(f"/outgoing/{doc.pk}/").status_code == 404
    for tab in ("drafts", "to_review", "to_sign", "to_number", "issued", "awaiting_replies"):
        assert f"/outgoing/{doc.pk}/" not in client.get(f"/outgoing/?tab={tab}").content.decode()
    services.issue(doc=doc, by=office.clerk)
    assert client.get(f"/outgoing/{doc.pk}/").status_code == 200
    assert f"/outgoing/{doc.pk}/" in client.get("/outgoing/?tab=issued").content.decode()


def test_a_document_with_a_secrecy_mark_stays_hidden_from_the_agency_once_issued(client, province):
    office = province.office
    doc = services.create_draft(
        agency=office.agency,
        by=office.specialist,
        data=draft_data(province, secrecy=Secrecy.SECRET),
        recipients=recipients(province),
    )
    client.force_login(office.office_specialist)
    assert client.get(f"/outgoing/{doc.pk}/").status_code == 404
    client.force_login(office.specialist)
    page = client.get(f"/outgoing/{doc.pk}/").content.decode()
    assert 'data-testid="upload-form"' not in page, "no electronic file is kept for a secret document"


def test_the_draft_page_needs_a_position_and_a_reply_needs_a_document_the_person_sees(client, province):
    office = province.office
    client.force_login(UserFactory(username="khong.chuc.vu"))
    assert client.get("/outgoing/new/").status_code == 404
    assert client.post("/outgoing/new/", {"summary": "x"}).status_code == 404
    theirs = incoming.receive(agency=province.health, by=province.health_clerk, data=document_data(), register=None)
    client.force_login(office.specialist)
    assert client.get("/outgoing/new/").status_code == 200
    assert client.get(f"/outgoing/new/?reply_to={theirs.pk}").status_code == 404
    assert client.get("/outgoing/new/?reply_to=abc").status_code == 404


def test_an_unknown_action_or_file_kind_is_a_missing_page(client, province):
    doc = drafted(province)
    client.force_login(province.office.specialist)
    assert client.post(f"/outgoing/{doc.pk}/do/delete/").status_code == 404
    version = doc.versions.get()
    assert client.get(f"/outgoing/{doc.pk}/versions/{version.pk}/other/").status_code == 404
    assert client.get(f"/outgoing/{doc.pk}/do/submit/").status_code == 405
    assert doc.state == DocumentState.DRAFT


def test_files_are_always_downloads_never_rendered_on_our_origin(client, province):
    doc = drafted(province)
    version = doc.versions.get()
    client.force_login(province.office.specialist)
    response = client.get(f"/outgoing/{doc.pk}/versions/{version.pk}/pdf/")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
