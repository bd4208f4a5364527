"""The archive keeper's pages: destruction proposed and approved by the head, packages exported with a purpose
and imported back. A person without the role gets 404; a bad package changes nothing."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from vanphong.audit.models import AuditEntry
from vanphong.files import services
from vanphong.files.models import AccessLog, DestructionProposal, DestructionRecord, ItemFile, WorkFile
from vanphong.files.states import FileState

pytestmark = pytest.mark.django_db


@pytest.fixture
def expired_file(archived_file):
    """Archived, kept 10 years, its work ended in 2010: its retention has expired."""
    WorkFile.objects.filter(pk=archived_file.pk).update(end_date=datetime.date(2010, 1, 1))
    archived_file.refresh_from_db()
    return archived_file


def test_only_the_archive_keeper_and_the_head_see_the_destruction_page(client, office, expired_file):
    url = f"/records/destruction/{office.agency.pk}/"
    for person in (office.outsider, office.specialist, office.deputy):
        client.force_login(person)
        assert client.get(url).status_code == 404
        assert client.post(url + "propose/", {"files": [expired_file.pk]}).status_code == 404
    client.force_login(office.clerk)
    response = client.get(url)
    assert response.status_code == 200
    assert expired_file.file_code in response.content.decode()
    assert client.get("/records/destruction/")["Location"] == url
    assert not DestructionProposal.objects.exists()


def test_the_clerk_proposes_and_nothing_is_destroyed_until_the_head_approves(client, office, expired_file):
    url = f"/records/destruction/{office.agency.pk}/"
    client.force_login(office.clerk)
    response = client.post(url + "propose/", {}, follow=True)
    assert "Chọn hồ sơ để hủy." in response.content.decode()

    response = client.post(url + "propose/", {"files": [expired_file.pk]}, follow=True)
    text = response.content.decode()
    assert "Đã đề nghị thủ trưởng cơ quan duyệt hủy." in text
    assert "Chờ thủ trưởng duyệt" in text
    proposal = DestructionProposal.objects.get()
    entry = AuditEntry.objects.get(action="files.destruction_proposed")
    assert entry.actor == office.clerk
    # the file waits in the proposal, so it is not offered again
    assert text.count('data-testid="row"') == 0

    assert client.post(f"/records/destruction/proposal/{proposal.pk}/approve/").status_code == 404
    assert ItemFile.objects.filter(item__work_file=expired_file).count() == 2
    client.force_login(office.outsider)
    assert client.post(f"/records/destruction/proposal/{proposal.pk}/approve/").status_code == 404

    expected = sorted(f.stored_file.sha256 for f in ItemFile.objects.filter(item__work_file=expired_file))
    client.force_login(office.head)
    response = client.post(f"/records/destruction/proposal/{proposal.pk}/approve/", follow=True)
    text = response.content.decode()
    assert "Đã duyệt hủy: 1 hồ sơ đã được hủy." in text
    assert "Trần Văn Hùng" in text  # who approved, on the record
    assert all(sha in text for sha in expected)
    assert not ItemFile.objects.filter(item__work_file=expired_file).exists()
    expired_file.refresh_from_db()
    assert expired_file.state == FileState.DESTROYED
    assert DestructionRecord.objects.get().approved_by == office.head
    assert AuditEntry.objects.filter(action="files.destroyed", actor=office.head).count() == 1


def test_a_file_whose_retention_has_not_expired_is_not_offered_nor_destroyed(client, office, archived_file):
    client.force_login(office.clerk)
    url = f"/records/destruction/{office.agency.pk}/"
    assert client.get(url).content.decode().count('data-testid="row"') == 0
    response = client.post(url + "propose/", {"files": [archived_file.pk]}, follow=True)
    assert "chưa hết thời hạn bảo quản" in response.content.decode()
    assert not DestructionProposal.objects.exists()


def test_the_archive_keeper_exports_a_package_with_its_purpose_and_others_get_404(client, office, archived_file):
    url = f"/records/archive/{archived_file.pk}/package/"
    client.force_login(office.outsider)
    assert client.post(url, {"purpose": "Sao lưu"}).status_code == 404
    client.force_login(office.specialist)
    assert client.post(url, {"purpose": "Sao lưu"}).status_code == 404
    assert not AccessLog.objects.exists()

    client.force_login(office.clerk)
    page = client.post(f"/records/archive/{archived_file.pk}/", {"purpose": "Sao lưu dự phòng"})
    assert "Xuất gói tài liệu (BagIt .zip)" in page.content.decode()
    response = client.post(url, {"purpose": ""}, follow=True)
    assert "Nhập mục đích sử dụng hồ sơ." in response.content.decode()
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORTED).exists()

    response = client.post(url, {"purpose": "Sao lưu dự phòng"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "000.00.11.H41.2025.01.TCKT.zip" in response["Content-Disposition"]
    assert response.content.startswith(b"PK")
    log = AccessLog.objects.get(action=AccessLog.Action.EXPORTED)
    assert (log.person, log.purpose) == (office.clerk, "Sao lưu dự phòng")
    assert AuditEntry.objects.filter(action="files.access_exported", actor=office.clerk).count() == 1


def test_a_non_zip_upload_is_refused_in_vietnamese_and_nothing_is_imported(client, office, archived_file):
    client.force_login(office.specialist)
    assert client.get("/records/archive/import/").status_code == 404
    client.force_login(office.clerk)
    assert client.get("/records/archive/import/").status_code == 200
    response = client.post(
        "/records/archive/import/", {"package": SimpleUploadedFile("ho-so.zip", b"%PDF-1.4 not a zip at all")}
    )
    assert response.status_code == 200
    assert "Đây không phải gói tài liệu của một hồ sơ." in response.content.decode()
    assert WorkFile.objects.count() == 1
    assert not AuditEntry.objects.filter(action="files.imported").exists()


def test_the_archive_keeper_imports_a_package_back(client, office, archived_file):
    package = services.export_package(work_file=archived_file, by=office.clerk, purpose="Chuyển kho")
    WorkFile.objects.filter(pk=archived_file.pk).update(notation="99.CU")  # the original makes room
    client.force_login(office.clerk)
    response = client.post(
        "/records/archive/import/", {"package": SimpleUploadedFile("ho-so.zip", package)}, follow=True
    )
    assert "Đã nhập hồ sơ 000.00.11.H41.2025.01.TCKT vào lưu trữ." in response.content.decode()
    restored = WorkFile.objects.get(notation="01.TCKT")
    assert restored.state == FileState.ARCHIVED
    assert restored.items.count() == 2
    assert AuditEntry.objects.filter(action="files.imported", actor=office.clerk).count() == 1
