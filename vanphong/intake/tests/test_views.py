"""An infected file uploaded through the pages is refused, and the page says why, in Vietnamese."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from vanphong.incoming.models import IncomingDocument
from vanphong.incoming.tests.conftest import office  # noqa: F401 - a fixture
from vanphong.incoming.tests.test_views import form_data
from vanphong.intake.models import QuarantinedFile

from . import samples

pytestmark = pytest.mark.django_db


def test_the_clerk_uploads_a_docx_with_a_virus_and_the_page_names_the_threat(client, office):  # noqa: F811
    client.force_login(office.clerk)
    infected = samples.docx({"word/embeddings/oleObject1.bin": samples.eicar()})
    files = SimpleUploadedFile("cong-van.docx", infected, "application/vnd.openxmlformats")
    response = client.post("/incoming/new/", {**form_data(office), "files": files})
    assert response.status_code == 200
    html = response.content.decode()
    threat = QuarantinedFile.objects.get().threat
    assert threat in html
    assert "“cong-van.docx” chứa virus" in html and "Tệp đã được cách ly" in html
    assert not IncomingDocument.objects.exists()


def test_with_the_scanner_down_the_page_says_why_and_nothing_is_saved(client, office, stopped_clamd):  # noqa: F811
    client.force_login(office.clerk)
    files = SimpleUploadedFile("cong-van.pdf", samples.pdf(), "application/pdf")
    response = client.post("/incoming/new/", {**form_data(office), "files": files})
    assert response.status_code == 200
    assert "Hệ thống quét virus không phản hồi" in response.content.decode()
    assert not IncomingDocument.objects.exists()
