"""From opening a file to the archive and back out as a package."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from vanphong.audit.models import AuditEntry
from vanphong.core.files import read_stored
from vanphong.files import services
from vanphong.files.errors import FilesError, MissingMetadata
from vanphong.files.models import AccessLog, DestructionRecord, FileItem, ItemFile, WorkFile
from vanphong.files.states import FileState

from .conftest import incoming_document, outgoing_document

pytestmark = pytest.mark.django_db


def checksums(work_file):
    return sorted(
        (f.item.ordinal, f.filename, f.stored_file.sha256, f.fixity_sha256)
        for f in ItemFile.objects.filter(item__work_file=work_file).select_related("item", "stored_file")
    )


def metadata(work_file):
    fields = ("file_code", "year", "notation", "title", "permanent", "retention_years", "rights", "creator_name")
    fields += ("language", "start_date", "end_date", "description", "doc_total", "page_total", "state")
    items = [
        (
            i.ordinal,
            i.kind,
            i.type_name,
            i.code_number,
            i.code_notation,
            i.issued_date,
            i.organ_name,
            i.subject,
            i.page_amount,
            i.language,
        )
        for i in work_file.items.all()
    ]
    return {name: getattr(work_file, name) for name in fields}, items


def test_a_file_goes_from_its_maker_to_the_archive_and_out_as_a_package_and_back(office, work_file):
    assert work_file.file_code == "000.00.11.H41.2025.01.TCKT"
    services.add_document(work_file=work_file, by=office.deputy, incoming=incoming_document(office))
    services.add_document(work_file=work_file, by=office.deputy, outgoing=outgoing_document(office))

    with pytest.raises(MissingMetadata) as refusal:
        services.close_file(work_file=work_file, by=office.deputy)
    assert str(refusal.value) == "Chưa kết thúc được hồ sơ. Cần bổ sung: chế độ sử dụng, thời gian kết thúc."
    work_file.refresh_from_db()
    assert work_file.state == FileState.OPEN

    services.update_file(work_file=work_file, by=office.deputy, rights="Hạn chế", end_date=datetime.date(2025, 12, 30))
    closed = services.close_file(work_file=work_file, by=office.deputy)
    assert closed.state == FileState.CLOSED
    assert closed.doc_total == 2
    # the incoming document says 2 pages; the outgoing one's page count is read from its one-page PDF
    assert closed.page_total == 3
    index = load_workbook(io.BytesIO(read_stored(closed.index_file))).active
    assert index["A1"].value == "MỤC LỤC VĂN BẢN"
    assert [index.cell(row=4 + n, column=2).value for n in range(2)] == ["2491/STC-BCTC", "15/BC-STC"]

    handover = services.submit(files=[closed], by=office.deputy)
    assert "MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU" in str(
        load_workbook(io.BytesIO(services.exports.handover_list(handover))).active["A1"].value
    )
    record_sheet = load_workbook(io.BytesIO(services.exports.handover_record(handover))).active
    assert [row for row in record_sheet.iter_rows(values_only=True) if row[0] == "Tổng số hồ sơ"] == [
        ("Tổng số hồ sơ", 1)
    ]
    archived = services.accept(work_file=closed, by=office.clerk)
    assert archived.state == FileState.ARCHIVED
    before = metadata(archived), checksums(archived)
    assert all(sha == fixity for _o, _n, sha, fixity in before[1])

    package = services.export_package(work_file=archived, by=office.clerk, purpose="Sao lưu dự phòng")
    assert AccessLog.objects.get().purpose == "Sao lưu dự phòng"

    # into a fresh archive: the file and its items are gone before the import
    FileItem.objects.filter(work_file=archived).delete()
    AccessLog.objects.all().delete()
    WorkFile.objects.filter(pk=archived.pk).delete()
    restored = services.import_package(zip_bytes=package, agency=office.agency, by=office.clerk)
    assert (metadata(restored), checksums(restored)) == before
    assert AuditEntry.objects.filter(action="files.imported").count() == 1


def test_a_package_whose_checksums_do_not_match_is_refused_and_nothing_is_imported(office, archived_file):
    import zipfile

    package = services.export_package(work_file=archived_file, by=office.clerk, purpose="Kiểm tra")
    source = zipfile.ZipFile(io.BytesIO(package))
    tampered = io.BytesIO()
    with zipfile.ZipFile(tampered, "w") as bag:
        for name in source.namelist():
            data = source.read(name)
            bag.writestr(name, data + b"x" if name.startswith("data/files/") else data)
    WorkFile.objects.filter(pk=archived_file.pk).update(notation="99.CU")
    with pytest.raises(FilesError, match=r"Gói tài liệu bị hỏng: mã kiểm tra không khớp\. Không có gì được nhập\."):
        services.import_package(zip_bytes=tampered.getvalue(), agency=office.agency, by=office.clerk)
    assert WorkFile.objects.count() == 1


def test_an_archived_file_refuses_changes(office, archived_file):
    with pytest.raises(FilesError, match=r"Hồ sơ đã nộp lưu, không thể sửa đổi\."):
        services.update_file(work_file=archived_file, by=office.deputy, title="Đổi tên")
    with pytest.raises(FilesError, match=r"Hồ sơ đã nộp lưu, không thể sửa đổi\."):
        services.add_document(work_file=archived_file, by=office.deputy, outgoing=outgoing_document(office))
    assert archived_file.items.count() == 2


def test_fixity_detects_a_tampered_blob_and_audits_it(office, archived_file):
    assert services.check_all_fixity() == {}
    item_file = ItemFile.objects.filter(item__work_file=archived_file).first()
    default_storage.delete(item_file.stored_file.blob_name)
    default_storage.save(item_file.stored_file.blob_name, ContentFile(b"%PDF-1.4 altered"))
    failures = services.check_all_fixity()
    assert list(failures) == [archived_file.file_code]
    assert failures[archived_file.file_code][0]["filename"] == item_file.filename
    entry = AuditEntry.objects.get(action="files.fixity_failed")
    assert entry.object_id == str(archived_file.pk)


def test_a_destruction_without_the_heads_approval_destroys_nothing(office, archived_file):
    too_early = datetime.date(2030, 1, 1)
    with pytest.raises(FilesError, match="chưa hết thời hạn bảo quản"):
        services.propose_destruction(files=[archived_file], by=office.clerk, today=too_early)
    proposal = services.propose_destruction(files=[archived_file], by=office.clerk, today=datetime.date(2036, 1, 1))
    assert ItemFile.objects.filter(item__work_file=archived_file).count() == 2
    assert not DestructionRecord.objects.exists()
    with pytest.raises(FilesError):
        services.approve_destruction(proposal=proposal, by=office.clerk)
    assert ItemFile.objects.filter(item__work_file=archived_file).count() == 2

    expected = sorted(f.stored_file.sha256 for f in ItemFile.objects.filter(item__work_file=archived_file))
    (record,) = services.approve_destruction(proposal=proposal, by=office.head)
    assert not ItemFile.objects.filter(item__work_file=archived_file).exists()
    assert sorted(f["sha256"] for d in record.documents for f in d["files"]) == expected
    assert record.approved_by == office.head
    archived_file.refresh_from_db()
    assert archived_file.state == FileState.DESTROYED


def test_the_archive_look_up_logs_who_opened_which_file_and_why(client, office, archived_file):
    client.force_login(office.specialist)
    response = client.get("/records/archive/", {"title": "quyết toán"})
    assert archived_file.file_code in response.content.decode()
    assert client.get("/records/archive/", {"title": "không có"}).content.decode().count('data-testid="row"') == 0
    response = client.post(f"/records/archive/{archived_file.pk}/", {"purpose": "Nghiên cứu số liệu ngân sách"})
    assert response.status_code == 200
    assert "Hồ sơ quyết toán ngân sách năm 2025" in response.content.decode()
    log = AccessLog.objects.get()
    assert (log.person, log.work_file, log.purpose) == (
        office.specialist,
        archived_file,
        "Nghiên cứu số liệu ngân sách",
    )
    assert AuditEntry.objects.filter(action="files.access_opened", actor=office.specialist).count() == 1


def test_the_handover_reminder_tells_the_maker_once_a_day(office, work_file):
    from vanphong.notifications.models import Notification

    services.add_document(work_file=work_file, by=office.deputy, outgoing=outgoing_document(office))
    services.update_file(work_file=work_file, by=office.deputy, rights="Công khai", end_date=datetime.date(2025, 3, 1))
    services.close_file(work_file=work_file, by=office.deputy)
    assert not services.due_for_handover(agency=office.agency, today=datetime.date(2026, 3, 1)).exists()
    assert list(services.due_for_handover(agency=office.agency, today=datetime.date(2026, 3, 2))) == [work_file]
    assert services.remind_handover(today=datetime.date(2026, 3, 2)) == 1
    assert services.remind_handover(today=datetime.date(2026, 3, 2)) == 0
    assert Notification.objects.get(recipient=office.deputy).title == (
        "Hồ sơ 000.00.11.H41.2025.01.TCKT đã đến hạn nộp lưu"
    )


def test_an_upload_is_added_with_its_typed_metadata(office, work_file):
    upload = SimpleUploadedFile("to-trinh.pdf", read_stored(outgoing_document(office).issued_file))
    item = services.add_document(
        work_file=work_file, by=office.deputy, upload=upload, filename="to-trinh.pdf", metadata={"subject": "Tờ trình"}
    )
    assert (item.ordinal, item.subject, item.files.get().filename) == (1, "Tờ trình", "to-trinh.pdf")
