"""The clerk prints the registers of incoming documents for a month: the sổ đăng ký văn bản đến and the sổ theo dõi
giải quyết văn bản đến, as an Excel workbook and as a PDF."""

import datetime
import io
import shutil
import subprocess
import zoneinfo

import pytest
from openpyxl import load_workbook

from vanphong.core.document_types import DocumentType, Urgency
from vanphong.incoming import exports
from vanphong.incoming.models import Assignment, IncomingDocument, IncomingRegister, ReceivedVia
from vanphong.incoming.states import HandlingState
from vanphong.organizations.models import Role
from vanphong.organizations.tests.factories import AgencyFactory

VIETNAM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
PDFTOTEXT = shutil.which("pdftotext")  # Debian poppler-utils
NOVEMBER = {"date_from": datetime.date(2026, 11, 1), "date_to": datetime.date(2026, 11, 30)}
PROVINCE = "Ủy ban nhân dân tỉnh Nghệ An"
BUDGET_DECISION = "Về việc giao bổ sung dự toán ngân sách năm 2026 cho các sở, ngành"


def at(month, day, hour=9, minute=0):
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=VIETNAM)


@pytest.fixture
def register(agency):
    return IncomingRegister.objects.create(agency=agency, name="Sổ văn bản đến")


@pytest.fixture
def registered(agency, register, clerk):
    def make(incoming_number, arrived_at, *, register=register, **fields):
        values = {
            "agency": agency,
            "register": register,
            "year": arrived_at.year,
            "incoming_number": incoming_number,
            "arrived_at": arrived_at,
            "received_via": ReceivedVia.PAPER,
            "issuer_name": PROVINCE,
            "number": str(incoming_number + 100),
            "notation": "UBND-KT",
            "document_date": arrived_at.date(),
            "document_type": DocumentType.CONG_VAN,
            "summary": f"V/v văn bản số {incoming_number}",
            "created_by": clerk,
            "registered_by": clerk,
            "registered_at": arrived_at,
            "state": HandlingState.IN_PROGRESS,
        }
        values.update(fields)
        return IncomingDocument.objects.create(**values)

    return make


@pytest.fixture
def november(agency, register, registered, unit, head, clerk):
    """Two documents registered in November, entered out of order, and others that must stay off its pages."""
    decision = registered(
        2,
        at(11, 3, 8, 15),
        number="12",
        notation="QĐ-UBND",
        document_type=DocumentType.QUYET_DINH,
        document_date=datetime.date(2026, 11, 1),
        summary=BUDGET_DECISION,
        presented_to=head,
        deadline=datetime.date(2026, 11, 20),
    )
    Assignment.objects.create(
        document=decision,
        document_arrived_at=decision.arrived_at,
        agency=agency,
        role=Assignment.Role.LEAD,
        assignee_unit=unit,
        assigned_by=head,
        deadline=datetime.date(2026, 11, 20),
    )
    # half past midnight on 1 November in Hà Nội: still 31 October in UTC, but November's
    report = registered(
        1,
        at(11, 1, 0, 30),
        number="05",
        notation="SYT-KHTC",
        issuer_name="Sở Y tế tỉnh Nghệ An",
        document_date=datetime.date(2026, 10, 30),
        summary="V/v báo cáo tình hình dịch bệnh tháng 10",
        state=HandlingState.DONE,
        presented_to=head,
        deadline=datetime.date(2026, 11, 15),
        completed_at=at(11, 20, 15),
        urgency=Urgency.URGENT,
    )
    # a quarter past midnight on 1 December in Hà Nội: still 30 November in UTC, but December's
    registered(3, at(12, 1, 0, 15))
    registered(40, datetime.datetime(2026, 10, 31, 23, 59, tzinfo=VIETNAM))
    IncomingDocument.objects.create(
        agency=agency,
        arrived_at=at(11, 10),
        received_via=ReceivedVia.EMAIL,
        issuer_name=PROVINCE,
        document_date=datetime.date(2026, 11, 9),
        document_type=DocumentType.CONG_VAN,
        summary="Chưa vào sổ",
        created_by=clerk,
        state=HandlingState.RECEIVED,
    )
    secret_register = IncomingRegister.objects.create(
        agency=agency, name="Sổ văn bản mật đến", for_secret_documents=True
    )
    registered(1, at(11, 12), register=secret_register, summary="Văn bản của sổ mật")
    return report, decision


def sheet_of(content):
    return load_workbook(io.BytesIO(content)).active


def table_of(sheet, columns):
    """The heading row and the rows below it, as the reader sees them."""
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header_at = next(index for index, row in enumerate(rows) if tuple(row[: len(columns)]) == columns)
    return rows[header_at], rows[header_at + 1 :]


def test_the_clerk_exports_the_incoming_register_of_november_as_a_workbook(register, november, unit, head):
    sheet = sheet_of(exports.incoming_register_xlsx(register=register, **NOVEMBER))

    header, rows = table_of(sheet, exports.INCOMING_REGISTER.columns)
    assert header == [
        "Ngày đến",
        "Số đến",
        "Tác giả (nơi gửi)",
        "Số, ký hiệu VB",
        "Ngày tháng VB",
        "Tên loại và trích yếu nội dung",
        "Đơn vị hoặc người nhận",
        "Ký nhận",
        "Ghi chú",
    ]
    assert [row[1] for row in rows] == [1, 2]
    assert rows[0] == [
        datetime.datetime(2026, 11, 1),
        1,
        "Sở Y tế tỉnh Nghệ An",
        "05/SYT-KHTC",
        datetime.datetime(2026, 10, 30),
        "Công văn: V/v báo cáo tình hình dịch bệnh tháng 10",
        "Trần Văn Hùng",
        None,
        "Khẩn",
    ]
    assert rows[1] == [
        datetime.datetime(2026, 11, 3),
        2,
        PROVINCE,
        "12/QĐ-UBND",
        datetime.datetime(2026, 11, 1),
        f"Quyết định: {BUDGET_DECISION}",
        "Phòng Quản lý ngân sách",
        None,
        None,
    ]
    header_row = next(row for row in sheet.iter_rows() if row[0].value == "Ngày đến")[0].row
    assert sheet.cell(row=header_row + 1, column=1).number_format == "dd/mm/yyyy"

    title = [row[0] for row in sheet.iter_rows(max_row=header_row - 1, values_only=True) if row[0]]
    assert title == [
        "SỞ TÀI CHÍNH TỈNH NGHỆ AN",
        "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN",
        "Sổ: Sổ văn bản đến",
        "Năm: 2026",
        "Từ ngày 01/11/2026 đến ngày 30/11/2026",
        "Từ số 1 đến số 2",
    ]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == int(sheet.PAPERSIZE_A4)


def test_the_follow_up_register_shows_progress_and_marks_what_is_overdue(register, november):
    content = exports.follow_up_xlsx(register=register, **NOVEMBER, today=datetime.date(2026, 11, 25))

    header, rows = table_of(sheet_of(content), exports.FOLLOW_UP.columns)
    assert header == [
        "Số đến",
        "Tên loại, số, ký hiệu, ngày tháng, cơ quan ban hành",
        "Đơn vị/người nhận",
        "Thời hạn giải quyết",
        "Tiến độ giải quyết",
        "Số, ký hiệu VB trả lời",
        "Ghi chú",
    ]
    assert rows == [
        [
            1,
            "Công văn số 05/SYT-KHTC ngày 30/10/2026 của Sở Y tế tỉnh Nghệ An",
            "Trần Văn Hùng",
            datetime.datetime(2026, 11, 15),
            "Đã giải quyết ngày 20/11/2026 – quá hạn",
            None,
            "Khẩn",
        ],
        [
            2,
            f"Quyết định số 12/QĐ-UBND ngày 01/11/2026 của {PROVINCE}",
            "Phòng Quản lý ngân sách",
            datetime.datetime(2026, 11, 20),
            "Đang giải quyết – quá hạn",
            None,
            None,
        ],
    ]


def test_work_still_within_its_deadline_is_not_marked(register, november):
    _report, decision = exports.follow_up_rows(register=register, **NOVEMBER, today=datetime.date(2026, 11, 20))

    assert (decision.progress, decision.overdue) == ("Đang giải quyết", False)


def test_a_lead_unit_that_sent_the_work_back_is_no_longer_the_recipient(agency, register, registered, unit, head):
    document = registered(7, at(11, 5), presented_to=head, state=HandlingState.PRESENTED)
    Assignment.objects.create(
        document=document,
        document_arrived_at=document.arrived_at,
        agency=agency,
        role=Assignment.Role.LEAD,
        assignee_unit=unit,
        assigned_by=head,
        state="returned",
    )

    [row] = exports.register_rows(register=register, **NOVEMBER)

    assert row.recipient == "Trần Văn Hùng"


def test_the_pdf_is_an_a4_landscape_document_with_every_page_numbered(register, registered):
    for number in range(1, 121):
        registered(number, at(11, 1 + number % 28), summary=f"Về việc triển khai nhiệm vụ số {number} của ngành")

    content = exports.incoming_register_pdf(register=register, **NOVEMBER)

    assert content.startswith(b"%PDF-")
    pages = content.count(b"/Type /Page\n") + content.count(b"/Type /Page ")
    assert pages >= 3
    assert b"/MediaBox [ 0 0 841.8898 595.2756 ]" in content  # A4 landscape, in points
    assert b"DejaVuSans" in content  # the font with Vietnamese letters is embedded


def text_of(pdf: bytes) -> str:
    """The PDF's words as a reader copies them, lines joined by spaces."""
    assert PDFTOTEXT, "pdftotext is missing: `make test` installs Debian's poppler-utils"
    lines = subprocess.run([PDFTOTEXT, "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return " ".join(lines.decode().split())


def test_the_pdfs_read_in_vietnamese(register, november):
    follow_up = text_of(exports.follow_up_pdf(register=register, **NOVEMBER, today=datetime.date(2026, 11, 25)))
    assert "SỞ TÀI CHÍNH TỈNH NGHỆ AN" in follow_up
    assert "SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN" in follow_up
    assert "Quyết định số 12/QĐ-UBND" in follow_up
    assert "Đang giải quyết – quá hạn" in follow_up
    assert "Trang 1/1" in follow_up

    incoming = text_of(exports.incoming_register_pdf(register=register, **NOVEMBER))
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in incoming
    assert "Từ ngày 01/11/2026 đến ngày 30/11/2026" in incoming
    assert "Về việc giao bổ sung" in incoming
    assert "Tên loại và trích yếu nội dung" in incoming


def test_without_its_font_the_pdf_fails_with_a_clear_message(register, november, monkeypatch, tmp_path):
    monkeypatch.setattr(exports, "FONT_DIR", tmp_path)

    with pytest.raises(exports.FontMissing, match="fonts-dejavu-core"):
        exports.incoming_register_pdf(register=register, **NOVEMBER)


def test_a_month_of_many_documents_is_read_in_a_handful_of_queries(
    agency, register, registered, unit, head, django_assert_max_num_queries
):
    for number in range(1, 41):
        document = registered(number, at(11, 1 + number % 28), presented_to=head)
        Assignment.objects.create(
            document=document,
            document_arrived_at=document.arrived_at,
            agency=agency,
            role=Assignment.Role.LEAD,
            assignee_unit=unit,
            assigned_by=head,
        )
    register = IncomingRegister.objects.get(pk=register.pk)

    with django_assert_max_num_queries(3):
        assert len(exports.register_rows(register=register, **NOVEMBER)) == 40
    with django_assert_max_num_queries(3):
        exports.follow_up_rows(register=register, **NOVEMBER)
    with django_assert_max_num_queries(4):
        exports.incoming_register_xlsx(register=register, **NOVEMBER)


# The page


def test_a_specialist_gets_no_register_page(client, agency, unit, person_in, register):
    specialist = person_in(agency, Role.SPECIALIST, unit, username="chuyenvien")
    client.force_login(specialist)

    assert client.get("/incoming/registers/").status_code == 404
    assert (
        client.get(
            "/incoming/registers/",
            {"download": "1", "register": register.pk, "book": "register", "file_format": "xlsx", **NOVEMBER},
        ).status_code
        == 404
    )


def test_the_clerk_opens_the_page_with_this_month_chosen(client, clerk, register):
    client.force_login(clerk)

    page = client.get("/incoming/registers/")

    assert page.status_code == 200
    first, last = exports.this_month()
    form = page.context["form"]
    assert (form["date_from"].value(), form["date_to"].value()) == (first, last)
    assert form["register"].value() == register.pk
    assert "Sổ văn bản đến" in page.content.decode()


def test_the_clerk_downloads_the_register_of_november(client, clerk, register, november):
    client.force_login(clerk)

    answer = client.get(
        "/incoming/registers/",
        {"download": "1", "register": register.pk, "book": "register", "file_format": "xlsx", **NOVEMBER},
    )

    assert answer.status_code == 200
    assert answer["Content-Disposition"] == 'attachment; filename="so-den-2026-11.xlsx"'
    assert answer["Cache-Control"] == "private, no-store"
    assert "sandbox" in answer["Content-Security-Policy"]
    _header, rows = table_of(sheet_of(answer.content), exports.INCOMING_REGISTER.columns)
    assert [row[1] for row in rows] == [1, 2]


def test_the_head_downloads_the_follow_up_register_as_a_pdf(client, head, register, november):
    client.force_login(head)

    answer = client.get(
        "/incoming/registers/",
        {
            "download": "1",
            "register": register.pk,
            "book": "follow_up",
            "file_format": "pdf",
            "date_from": "2026-11-03",
            "date_to": "2026-11-20",
        },
    )

    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert answer["Content-Disposition"] == 'attachment; filename="so-theo-doi-2026-11-03-2026-11-20.pdf"'
    assert answer.content.startswith(b"%PDF-")


def test_the_clerk_cannot_print_another_agencys_register(client, clerk, register):
    other = IncomingRegister.objects.create(agency=AgencyFactory(name="Sở Y tế tỉnh Nghệ An"), name="Sổ đến")
    client.force_login(clerk)

    answer = client.get(
        "/incoming/registers/",
        {"download": "1", "register": other.pk, "book": "register", "file_format": "xlsx", **NOVEMBER},
    )

    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/html")
    assert answer.context["form"].errors["register"]


def test_a_period_that_ends_before_it_starts_is_refused(client, clerk, register):
    client.force_login(clerk)

    answer = client.get(
        "/incoming/registers/",
        {
            "download": "1",
            "register": register.pk,
            "book": "register",
            "file_format": "pdf",
            "date_from": "2026-11-30",
            "date_to": "2026-11-01",
        },
    )

    assert answer["Content-Type"].startswith("text/html")
    assert answer.context["form"].errors["date_to"]


def test_a_missing_font_is_explained_on_the_page(client, clerk, register, monkeypatch, tmp_path):
    monkeypatch.setattr(exports, "FONT_DIR", tmp_path)
    client.force_login(clerk)

    answer = client.get(
        "/incoming/registers/",
        {"download": "1", "register": register.pk, "book": "register", "file_format": "pdf", **NOVEMBER},
    )

    assert answer.status_code == 200
    assert "fonts-dejavu-core" in answer.content.decode()
