"""The search page as people use it: results they may open with the words marked, saved searches, the export."""

import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from vanphong.incoming import services as incoming
from vanphong.incoming.tests.conftest import document_data, sample_pdf
from vanphong.search.models import SavedSearch

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(office):
    return incoming.receive(
        agency=office.agency,
        by=office.clerk,
        data=document_data(summary="Quyết định <b>phê duyệt</b> dự án Đường tỉnh 534"),
        files=[sample_pdf()],
        register=office.register,
    )


def test_the_clerk_finds_the_document_with_the_words_marked(client, office, document):
    client.force_login(office.clerk)
    response = client.get("/search/", {"q": "duong tinh"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="/incoming/{document.pk}/"' in html
    assert "<mark>Đường</mark> <mark>tỉnh</mark>" in html
    assert "&lt;b&gt;phê duyệt&lt;/b&gt;" in html  # the document's own text is never markup
    assert "Tìm kiếm văn bản" in html and "Tìm kiếm nâng cao" in html


def test_a_person_of_another_agency_finds_nothing(client, office, document):
    client.force_login(office.outsider)
    response = client.get("/search/", {"q": "duong tinh"})
    assert response.status_code == 200
    assert f"/incoming/{document.pk}/" not in response.content.decode()
    assert 'data-testid="no-results"' in response.content.decode()


def test_signing_in_is_required(client):
    response = client.get("/search/", {"q": "duong"})
    assert response.status_code == 302


def test_advanced_search_filters_by_kind(client, office, document):
    client.force_login(office.clerk)
    response = client.get("/search/", {"q": "duong tinh", "kind": "outgoing"})
    assert f"/incoming/{document.pk}/" not in response.content.decode()


def test_saved_searches_are_ones_own(client, office, document):
    client.force_login(office.clerk)
    response = client.post("/search/saved/", {"name": "Dự án đường", "q": "duong tinh"}, follow=True)
    assert response.status_code == 200
    assert "Dự án đường" in response.content.decode()
    saved = SavedSearch.objects.get()
    assert (saved.owner, saved.params) == (office.clerk, {"q": "duong tinh"})

    client.force_login(office.head)
    assert "Dự án đường" not in client.get("/search/").content.decode()
    assert client.post(f"/search/saved/{saved.pk}/delete/").status_code == 404
    client.force_login(office.clerk)
    client.post(f"/search/saved/{saved.pk}/delete/")
    assert not SavedSearch.objects.exists()


def test_the_results_export_to_excel(client, office, document):
    client.force_login(office.clerk)
    response = client.get("/search/export/", {"q": "quyết định"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="tim-kiem.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [row for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert rows[0][1:3] == ("Văn bản đến", "2491/STC-BCTC")
    assert rows[0][4] == document.summary

    client.force_login(office.outsider)
    sheet = load_workbook(io.BytesIO(client.get("/search/export/", {"q": "quyết định"}).content)).active
    assert sheet.max_row == 3  # the headings only


def test_the_rebuild_command_counts_the_documents(office, document, capsys):
    call_command("search", "rebuild")
    assert "1" in capsys.readouterr().out
