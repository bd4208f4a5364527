"""The operator's screens: read only, but for the wording of a planned file while its plan is not approved."""

import pytest

from vanphong.accounts.tests.factories import UserFactory
from vanphong.audit.models import AuditEntry
from vanphong.files import services

from .helpers import workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator():
    return UserFactory(username="quantri", is_staff=True, is_superuser=True)


def test_the_operator_reads_work_files_but_cannot_change_them(client, operator, archived_file):
    client.force_login(operator)
    listing = client.get("/admin/files/workfile/")
    assert listing.status_code == 200
    assert archived_file.file_code in listing.content.decode()
    page = client.get(f"/admin/files/workfile/{archived_file.pk}/change/")
    assert page.status_code == 200
    assert 'name="title"' not in page.content.decode()
    assert client.post(f"/admin/files/workfile/{archived_file.pk}/change/", {"title": "Đổi"}).status_code == 403
    assert client.get("/admin/files/workfile/add/").status_code == 403
    for model in ("fileplan", "handover", "accesslog", "destructionproposal", "destructionrecord"):
        assert client.get(f"/admin/files/{model}/").status_code == 200


def test_a_staff_member_without_the_permission_gets_nothing(client, office, archived_file):
    clerk = office.clerk
    clerk.is_staff = True
    clerk.save()
    client.force_login(clerk)
    assert client.get("/admin/files/workfile/").status_code == 403


def test_the_wording_of_a_planned_file_is_corrected_until_the_plan_is_approved(client, operator, office):
    plan = services.start_year_plan(agency=office.agency, year=2026, by=office.clerk)
    services.import_plan(plan=plan, by=office.clerk, content=workbook(("01.VP", "Hồ sơ hoi nghi", "5 năm", "", "")))
    planned = plan.planned_files.get()
    client.force_login(operator)
    url = f"/admin/files/plannedfile/{planned.pk}/change/"
    response = client.post(url, {"title": "Hồ sơ hội nghị", "responsible": "Văn phòng", "note": ""})
    assert response.status_code == 302
    planned.refresh_from_db()
    assert planned.title == "Hồ sơ hội nghị"
    entry = AuditEntry.objects.get(action="files.plannedfile.changed")
    assert (entry.actor, entry.before["title"], entry.after["title"]) == (operator, "Hồ sơ hoi nghi", "Hồ sơ hội nghị")

    services.approve_plan(plan=plan, by=office.head)
    assert client.post(url, {"title": "Đổi nữa", "responsible": "", "note": ""}).status_code == 403
    planned.refresh_from_db()
    assert planned.title == "Hồ sơ hội nghị"
