"""The clerk prints the register of outgoing documents (sổ đăng ký văn bản đi) for a month, as an Excel workbook
and as a PDF: the documents numbered in the register that month, by number."""

import datetime
import io
import shutil
import subprocess
import zoneinfo

import pytest
import time_machine
from django.utils import translation
from openpyxl import load_workbook

from vanphong.core.document_types import DocumentType, Secrecy, Urgency
from vanphong.core.registers import FontMissing
from vanphong.organizations.tests.factories import AgencyFactory
from vanphong.outgoing import exports, services
from vanphong.outgoing.models import OutgoingRegister

from .conftest import recipients
from .test_numbering import signed_on_paper

pytestmark = pytest.mark.django_db

VIETNAM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
PDFTOTEXT = shutil.which("pdftotext")  # Debian poppler-utils
NOVEMBER = {"date_from": datetime.date(2026, 11, 1), "date_to": datetime.date(2026, 11, 30)}
REPORT = "V/v đề nghị báo cáo tình hình sử dụng kinh phí phòng chống dịch năm 2026"
DECISION = "Về việc giao bổ sung dự toán ngân sách năm 2026 cho các đơn vị trực thuộc"
INVITATION = "Mời dự hội nghị triển khai nhiệm vụ tài chính – ngân sách năm 2027"


def on(day, hour=9):
    return time_machine.travel(datetime.datetime(2026, 11, day, hour, tzinfo=VIETNAM), tick=False)


def numbered(province, day, **changes):
    with on(day):
        return services.number(doc=signed_on_paper(province, **changes), by=province.office.clerk)


def issued(province, doc, day, hour=14):
    with on(day, hour):
        services.set_recipients(doc, recipients(province), by=province.office.clerk)
        return services.issue(doc=doc, by=province.office.clerk)


@pytest.fixture
def november(province):
    """Three documents numbered in the register in November, two issued and one of them recalled; and others
    that must stay off its pages: one of the secret register, and December's."""
    report = numbered(province, 3, summary=REPORT, urgency=Urgency.URGENT, other_recipients="Giám đốc Sở (để b/c)")
    issued(province, report, 3)
    decision = numbered(province, 12, summary=DECISION, document_type=DocumentType.QUYET_DINH, copies=5)
    issued(province, decision, 13)
    with on(20):
        services.recall(doc=decision, by=province.office.head, reason="Sai số liệu phụ lục.")
    invitation = numbered(province, 27, summary=INVITATION, document_type=DocumentType.GIAY_MOI)
    numbered(province, 15, summary="Văn bản mật", secrecy=Secrecy.CONFIDENTIAL)
    # a quarter past midnight on 1 December in Hà Nội: still 30 November in UTC, but December's
    with time_machine.travel(datetime.datetime(2026, 12, 1, 0, 15, tzinfo=VIETNAM), tick=False):
        services.number(doc=signed_on_paper(province, summary="Văn bản tháng 12"), by=province.office.clerk)
    return report, decision, invitation


def sheet_of(content):
    return load_workbook(io.BytesIO(content)).active


def table_of(sheet):
    """The heading row and the rows below it, as the reader sees them."""
    columns = exports.OUTGOING_REGISTER.columns
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header_at = next(index for index, row in enumerate(rows) if tuple(row[: len(columns)]) == columns)
    return rows[header_at], rows[header_at + 1 :]


def test_the_clerk_exports_the_outgoing_register_of_november_as_a_workbook(province, november):
    sheet = sheet_of(exports.outgoing_register_xlsx(register=province.register, **NOVEMBER))

    header, rows = table_of(sheet)
    assert header == [
        "Số, ký hiệu VB",
        "Ngày tháng VB",
        "Tên loại và trích yếu nội dung",
        "Người ký",
        "Nơi nhận VB",
        "Đơn vị, người nhận bản lưu",
        "Số lượng bản",
        "Ngày chuyển",
        "Ký nhận",
        "Ghi chú",
    ]
    assert [row[0] for row in rows] == ["01/STC-NS", "02/QĐ-STC", "03/GM-STC"]
    assert rows[0] == [
        "01/STC-NS",
        datetime.datetime(2026, 11, 3),
        f"Công văn: {REPORT}",
        "GIÁM ĐỐC Trần Văn Hùng",
        "Sở Y tế tỉnh Nghệ An; Bộ Tài chính; Lưu: VT, NS.; Giám đốc Sở (để b/c)",
        "Phòng Quản lý ngân sách",
        3,
        datetime.datetime(2026, 11, 3),
        None,
        "Khẩn",
    ]
    assert rows[1][3:] == [
        "GIÁM ĐỐC Trần Văn Hùng",
        "Sở Y tế tỉnh Nghệ An; Bộ Tài chính; Lưu: VT, NS.",
        "Phòng Quản lý ngân sách",
        5,
        datetime.datetime(2026, 11, 13),
        None,
        "Đã thu hồi",
    ]
    assert rows[2][4] is None and rows[2][7] is None  # numbered, not issued yet: no recipient, not sent

    title = [row[0] for row in sheet.iter_rows(max_row=5, values_only=True) if row[0]]
    assert title[:3] == ["SỞ TÀI CHÍNH TỈNH NGHỆ AN", "SỔ ĐĂNG KÝ VĂN BẢN ĐI", "Sổ: Sổ văn bản đi"]
    assert sheet.page_setup.orientation == "landscape"


def test_the_numbers_of_the_month_head_the_book(province, november):
    sheet = sheet_of(exports.outgoing_register_xlsx(register=province.register, **NOVEMBER))

    title = [row[0] for row in sheet.iter_rows(max_row=8, values_only=True) if row[0]]
    assert "Từ ngày 01/11/2026 đến ngày 30/11/2026" in title
    assert "Từ số 1 đến số 3" in title


def text_of(pdf: bytes) -> str:
    """The PDF's words as a reader copies them, lines joined by spaces."""
    assert PDFTOTEXT, "pdftotext is missing: `make test` installs Debian's poppler-utils"
    lines = subprocess.run([PDFTOTEXT, "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return " ".join(lines.decode().split())


def test_the_pdf_reads_in_vietnamese(province, november):
    content = exports.outgoing_register_pdf(register=province.register, **NOVEMBER)

    assert content.startswith(b"%PDF-")
    assert b"/MediaBox [ 0 0 841.8898 595.2756 ]" in content  # A4 landscape, in points
    text = text_of(content)
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in text
    assert "Sổ: Sổ văn bản đi" in text
    for reference in ("01/STC-NS", "02/QĐ-STC", "03/GM-STC"):
        assert reference in text
    assert "Đã thu hồi" in text
    assert "Trang 1/1" in text


def test_documents_of_another_register_or_another_month_are_not_listed(province, november):
    listed = exports.register_rows(register=province.register, **NOVEMBER)

    assert [row.number for row in listed] == [1, 2, 3]
    assert "Văn bản mật" not in str(listed) and "Văn bản tháng 12" not in str(listed)
    [secret] = exports.register_rows(register=province.secret_register, **NOVEMBER)
    assert (secret.reference, secret.note) == ("01/STC-NS", "Mật")
    [december] = exports.register_rows(
        register=province.register, date_from=datetime.date(2026, 12, 1), date_to=datetime.date(2026, 12, 31)
    )
    assert (december.reference, december.type_and_summary) == ("04/STC-NS", "Công văn: Văn bản tháng 12")


def test_a_document_replaced_later_is_noted(province, november):
    _report, decision, _invitation = november
    decision.state = "replaced"
    decision.save(update_fields=["state"])

    notes = [row.note for row in exports.register_rows(register=province.register, **NOVEMBER)]

    assert notes == ["Khẩn", "Đã bị thay thế", ""]


def test_a_month_of_many_documents_is_read_in_two_queries(province, django_assert_max_num_queries):
    for index in range(12):
        issued(province, numbered(province, 1 + index, summary=f"Văn bản số {index}"), 1 + index)
    register = OutgoingRegister.objects.select_related("agency").get(pk=province.register.pk)

    with django_assert_max_num_queries(2):
        assert len(exports.register_rows(register=register, **NOVEMBER)) == 12
    with django_assert_max_num_queries(3):
        exports.outgoing_register_xlsx(register=register, **NOVEMBER)


def test_the_file_is_named_after_the_month(province, november):
    exported = exports.export_file(register=province.register, file_format="xlsx", **NOVEMBER)

    assert exported.filename == "so-di-2026-11.xlsx"
    assert exported.content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    as_pdf = exports.export_file(register=province.register, file_format="pdf", **NOVEMBER)
    assert (as_pdf.filename, as_pdf.content_type) == ("so-di-2026-11.pdf", "application/pdf")


def test_without_its_font_the_pdf_fails_with_a_clear_message(province, november, monkeypatch, tmp_path):
    monkeypatch.setattr("vanphong.core.registers.FONT_DIR", tmp_path)

    with pytest.raises(FontMissing, match="fonts-dejavu-core"):
        exports.outgoing_register_pdf(register=province.register, **NOVEMBER)


# Who may print, and the form


def test_the_clerk_and_the_leaders_may_print_their_agencys_registers_and_no_one_else(province):
    office = province.office
    OutgoingRegister.objects.create(agency=AgencyFactory(name="Sở Xây dựng tỉnh Nghệ An"), name="Sổ văn bản đi")
    ours = {province.register, province.secret_register}

    for person in (office.clerk, office.head, office.deputy):
        assert set(exports.exportable_registers(person)) == ours
    for person in (office.specialist, office.budget_head, province.health_clerk):
        assert not ours & set(exports.exportable_registers(person))
    assert not exports.exportable_registers(province.health_head).exists()  # Sở Y tế keeps no outgoing register


def form(province, person, **data):
    values = {"register": province.register.pk, "file_format": "xlsx", "date_from": "2026-11-01"}
    return exports.ExportForm({**values, **data}, registers=exports.exportable_registers(person))


def test_the_form_gives_the_register_and_the_period(province):
    chosen = form(province, province.office.clerk, date_to="2026-11-30")

    assert chosen.is_valid(), chosen.errors
    assert exports.export_file(**chosen.cleaned_data).filename == "so-di-2026-11.xlsx"
    assert list(chosen.fields) == ["register", "date_from", "date_to", "file_format"]


def test_the_form_refuses_a_period_that_ends_before_it_starts(province):
    with translation.override("vi"):
        reversed_period = form(province, province.office.clerk, date_to="2026-10-31")
        assert not reversed_period.is_valid()
        assert reversed_period.errors["date_to"] == ["Ngày kết thúc không được trước ngày bắt đầu."]
        assert str(reversed_period["date_from"].label) == "Từ ngày"
        assert str(reversed_period["register"].label) == "Sổ văn bản đi"


def test_the_form_refuses_more_than_a_year_and_other_agencies_registers(province):
    too_long = form(province, province.office.clerk, date_to="2027-11-30")
    assert too_long.errors["date_to"]

    other = OutgoingRegister.objects.create(agency=AgencyFactory(name="Sở Xây dựng tỉnh Nghệ An"), name="Sổ đi")
    assert form(province, province.office.clerk, register=other.pk, date_to="2026-11-30").errors["register"]
    assert form(province, province.office.specialist, date_to="2026-11-30").errors["register"]


def test_the_clerk_downloads_the_register_from_the_work_list_and_a_specialist_cannot(client, province):
    office = province.office
    client.force_login(office.clerk)
    assert 'href="/outgoing/registers/"' in client.get("/outgoing/").content.decode()
    page = client.get("/outgoing/registers/")
    assert page.status_code == 200 and "Sổ đăng ký văn bản đi" in page.content.decode()
    download = client.get(
        "/outgoing/registers/",
        {
            "download": "1",
            "register": province.register.pk,
            "date_from": "2026-11-01",
            "date_to": "2026-11-30",
            "file_format": "xlsx",
        },
    )
    assert download.status_code == 200
    assert "so-di-2026-11.xlsx" in download["Content-Disposition"]
    client.force_login(office.specialist)
    assert client.get("/outgoing/registers/").status_code == 404
    assert 'href="/outgoing/registers/"' not in client.get("/outgoing/").content.decode()
