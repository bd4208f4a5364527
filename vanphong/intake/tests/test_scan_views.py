"""The scan a clerk uploads before registering: only she follows and uses it; a wrong file is refused with a
Vietnamese message and nothing is read."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from vanphong.incoming.tests.conftest import _place, office  # noqa: F401 (a fixture used here)
from vanphong.intake.models import Digitisation
from vanphong.organizations.models import Role

from . import samples

pytestmark = pytest.mark.django_db


def upload_scan(client, name="cong-van.pdf", data=None):
    return client.post("/incoming/scan/", {"file": SimpleUploadedFile(name, data or samples.pdf(), "application/pdf")})


def test_the_clerk_uploads_a_scan_and_follows_its_reading(client, office, django_capture_on_commit_callbacks):  # noqa: F811
    client.force_login(office.clerk)
    with django_capture_on_commit_callbacks(execute=True):  # the reading runs once the upload commits
        response = upload_scan(client)
    scan = Digitisation.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/incoming/scan/{scan.pk}/"
    page = client.get(f"/incoming/scan/{scan.pk}/")
    assert page.status_code == 200 and 'data-testid="scan-progress"' in page.content.decode()
    fragment = client.get(f"/incoming/scan/{scan.pk}/", headers={"HX-Request": "true"})
    assert fragment["HX-Redirect"] == f"/incoming/new/?scan={scan.pk}"  # read already (in-process in the tests)
    form = client.get(f"/incoming/new/?scan={scan.pk}").content.decode()
    assert "Đã điền từ bản quét" in form and f'name="scan" value="{scan.pk}"' in form


def test_another_clerk_and_a_specialist_cannot_see_the_scan(client, office):  # noqa: F811
    client.force_login(office.clerk)
    upload_scan(client)
    scan = Digitisation.objects.get()
    second_clerk = _place(office.agency, Role.CLERK, "stc.vanthu2", "Lê Thị Hồng")
    for person in (second_clerk, office.specialist, office.outsider):
        client.force_login(person)
        assert client.get(f"/incoming/scan/{scan.pk}/").status_code == 404
        assert client.get(f"/incoming/scan/{scan.pk}/file/").status_code == 404
        assert client.get(f"/incoming/new/?scan={scan.pk}").status_code == 404


def test_no_file_and_an_infected_file_are_refused_in_vietnamese(client, office):  # noqa: F811
    client.force_login(office.clerk)
    empty = client.post("/incoming/scan/", {})
    assert "Hãy chọn tệp bản quét." in empty.content.decode()
    infected = upload_scan(client, "ban-quet.zip", samples.zip_of({"ban-quet.pdf": samples.eicar()}))
    assert "chứa virus" in infected.content.decode()
    assert not Digitisation.objects.exists()
