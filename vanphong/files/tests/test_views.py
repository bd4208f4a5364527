"""Pairs: a person of another agency gets 404, the people with access succeed."""

import pytest

from vanphong.files import services
from vanphong.files.models import WorkFile
from vanphong.files.states import FileState

from .conftest import outgoing_document

pytestmark = pytest.mark.django_db


def test_another_agencys_person_gets_404_and_the_maker_gets_the_file(client, office, work_file):
    client.force_login(office.outsider)
    assert client.get(f"/records/{work_file.pk}/").status_code == 404
    assert client.post(f"/records/{work_file.pk}/close/").status_code == 404
    client.force_login(office.deputy)
    response = client.get(f"/records/{work_file.pk}/")
    assert response.status_code == 200
    assert "Hồ sơ quyết toán ngân sách năm 2025" in response.content.decode()


def test_the_maker_opens_a_file_adds_a_document_and_is_told_what_is_missing(client, office):
    client.force_login(office.deputy)
    response = client.post(
        "/records/", {"notation": "05.VP", "title": "Hồ sơ hội nghị", "retention_years": "5"}, follow=True
    )
    work_file = WorkFile.objects.get()
    assert "Đã mở hồ sơ 000.00.11.H41" in response.content.decode()
    document = outgoing_document(office)
    client.post(f"/records/{work_file.pk}/add/", {"outgoing": document.pk})
    assert work_file.items.count() == 1
    response = client.post(f"/records/{work_file.pk}/close/", follow=True)
    assert "Cần bổ sung: chế độ sử dụng, thời gian kết thúc." in response.content.decode()
    work_file.refresh_from_db()
    assert work_file.state == FileState.OPEN


def test_the_archive_look_up_of_another_agency_is_404(client, office, archived_file):
    client.force_login(office.outsider)
    assert client.get(f"/records/archive/{archived_file.pk}/").status_code == 404
    client.force_login(office.specialist)
    assert client.get(f"/records/archive/{archived_file.pk}/").status_code == 200


def test_the_archive_keeper_sees_the_handover_and_accepts_it_others_get_404(client, office, work_file):
    import datetime

    from vanphong.files import services

    services.add_document(work_file=work_file, by=office.deputy, outgoing=outgoing_document(office))
    services.update_file(work_file=work_file, by=office.deputy, rights="Công khai", end_date=datetime.date(2025, 5, 1))
    services.close_file(work_file=work_file, by=office.deputy)
    services.submit(files=[work_file], by=office.deputy)
    client.force_login(office.specialist)
    assert client.post(f"/records/handovers/{work_file.pk}/accept/").status_code == 404
    client.force_login(office.clerk)
    assert work_file.file_code in client.get("/records/handovers/").content.decode()
    client.post(f"/records/handovers/{work_file.pk}/accept/")
    work_file.refresh_from_db()
    assert work_file.state == FileState.ARCHIVED


def test_the_reception_desk_finds_archived_files_by_the_words_of_their_documents_with_or_without_accents(
    client, office, archived_file
):
    still_open = services.open_file(
        agency=office.agency, by=office.deputy, title="Hồ sơ báo cáo tháng", notation="02.TCKT", year=2025
    )
    services.add_document(work_file=still_open, by=office.deputy, outgoing=outgoing_document(office))
    client.force_login(office.specialist)

    def found(text):
        page = client.get("/records/archive/", {"text": text}).content.decode()
        return [code for code in (archived_file.file_code, still_open.file_code) if code in page]

    assert found("bao cao") == [archived_file.file_code]  # in its documents only, and the open file is not archived
    assert found("Báo cáo") == [archived_file.file_code]
    assert found("ho so quyet toan") == [archived_file.file_code]  # its title
    assert found("khen thưởng") == []
