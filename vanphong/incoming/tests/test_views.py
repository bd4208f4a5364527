"""The pages a clerk, a head and a specialist use."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from vanphong.incoming import services
from vanphong.incoming.models import IncomingDocument
from vanphong.incoming.tests.conftest import document_data, sample_pdf

pytestmark = pytest.mark.django_db


def form_data(office, **changes):
    data = {
        "register": office.register.pk,
        "arrived_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "received_via": "paper",
        "issuer_name": "Sở Tài chính tỉnh Tây Ninh",
        "number": "2491",
        "notation": "STC-BCTC",
        "document_date": timezone.localdate().strftime("%Y-%m-%d"),
        "document_type": "CV",
        "summary": "V/v báo cáo quyết toán ngân sách năm 2026",
        "signer": "Nguyễn Văn A",
        "urgency": "0",
        "secrecy": "0",
        "page_count": "2",
    }
    data.update(changes)
    return data


def test_the_clerk_registers_a_document_with_a_pdf_and_gets_its_number(client, office):
    client.force_login(office.clerk)
    response = client.post("/incoming/new/", {**form_data(office), "files": sample_pdf()}, follow=True)
    document = IncomingDocument.objects.get()
    assert document.incoming_number == 1
    html = response.content.decode()
    assert "Đã vào sổ với số đến 1." in html
    assert 'data-pdf-src="/incoming/' in html, "the PDF is shown in the page"


def test_errors_are_shown_in_vietnamese_beside_their_fields_and_nothing_typed_is_lost(client, office):
    client.force_login(office.clerk)
    response = client.post(
        "/incoming/new/",
        form_data(office, summary="", issuer_name="", document_date="31/02/2026", signer="Trần Thị Bình"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Trường này là bắt buộc." in html
    assert "Chọn cơ quan ban hành hoặc nhập tên nơi gửi." in html
    assert "Nhập một ngày hợp lệ." in html
    assert 'value="Trần Thị Bình"' in html
    assert 'value="STC-BCTC"' in html
    assert not IncomingDocument.objects.exists()


def test_a_refused_file_keeps_everything_typed(client, office):
    client.force_login(office.clerk)
    fake = SimpleUploadedFile("cong-van.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "application/pdf")
    response = client.post("/incoming/new/", {**form_data(office, signer="Trần Thị Bình"), "files": fake})
    html = response.content.decode()
    assert "cong-van.pdf" in html and "PDF" in html
    assert 'value="Trần Thị Bình"' in html
    assert not IncomingDocument.objects.exists()


def test_a_likely_duplicate_is_flagged_before_saving_and_can_be_confirmed(client, office):
    services.receive(agency=office.agency, by=office.clerk, data=document_data(), register=office.register)
    client.force_login(office.clerk)
    response = client.post("/incoming/new/", form_data(office))
    html = response.content.decode()
    assert 'data-testid="duplicate-warning"' in html
    assert IncomingDocument.objects.count() == 1
    client.post("/incoming/new/", {**form_data(office), "confirm_duplicate": "1"})
    assert IncomingDocument.objects.count() == 2


def test_a_secret_document_with_a_file_is_refused_in_the_form(client, office):
    client.force_login(office.clerk)
    response = client.post(
        "/incoming/new/", {**form_data(office, secrecy="1", register=office.secret_register.pk), "files": sample_pdf()}
    )
    assert "không kèm tệp điện tử" in response.content.decode()
    assert not IncomingDocument.objects.exists()


def test_work_lists_show_counters_and_filter(client, office):
    for number, summary in (("1", "Về kế hoạch đầu tư công"), ("2", "Về quyết toán ngân sách")):
        document = services.receive(
            agency=office.agency,
            by=office.clerk,
            register=office.register,
            data=document_data(number=number, summary=summary),
        )
        services.present(document=document, by=office.clerk, to=office.head)
    client.force_login(office.head)
    page = client.get("/incoming/")
    html = page.content.decode()
    assert 'data-testid="count-to_handle">2<' in html
    assert 'data-testid="nav-count-incoming">2<' in html
    assert "Về kế hoạch đầu tư công" in html and "Về quyết toán ngân sách" in html
    filtered = client.get("/incoming/", {"tab": "to_handle", "issuer": "Tây Ninh", "date_from": "2000-01-01"})
    assert "Về kế hoạch đầu tư công" in filtered.content.decode()
    none = client.get("/incoming/", {"tab": "to_handle", "issuer": "Hà Giang"})
    assert "Không có văn bản nào." in none.content.decode()
    waiting = client.get("/incoming/", {"tab": "to_handle", "state": "presented", "urgency": "0"}).content.decode()
    assert "Về quyết toán ngân sách" in waiting
    done = client.get("/incoming/", {"tab": "to_handle", "state": "done"}).content.decode()
    assert "Về quyết toán ngân sách" not in done


def test_the_clerks_lists(client, office):
    services.receive(agency=office.agency, by=office.clerk, data=document_data(summary="Chờ vào sổ"))
    services.receive(
        agency=office.agency,
        by=office.clerk,
        data=document_data(number="5", summary="Đã vào"),
        register=office.register,
    )
    client.force_login(office.clerk)
    waiting = client.get("/incoming/", {"tab": "to_register"}).content.decode()
    assert "Chờ vào sổ" in waiting and "Đã vào" not in waiting.split('data-testid="work-list"')[1]
    registered = client.get("/incoming/", {"tab": "registered"}).content.decode()
    assert "Đã vào" in registered


def test_the_timeline_shows_who_did_what(client, office):
    document = services.receive(agency=office.agency, by=office.clerk, data=document_data(), register=office.register)
    services.present(document=document, by=office.clerk, to=office.head, note="Kính trình")
    services.assign(
        document=document,
        by=office.head,
        lead=office.budget_unit,
        deadline=timezone.localdate() + datetime.timedelta(days=10),
        instruction="Giao NS chủ trì",
    )
    client.force_login(office.budget_head)
    html = client.get(f"/incoming/{document.pk}/").content.decode()
    timeline = html.split('data-testid="timeline"')[1]
    for text in ("Tiếp nhận", "Đã vào sổ", "Trình lãnh đạo", "Phân công", "Nguyễn Thị Lan", "Trần Văn Hùng"):
        assert text in timeline


def test_the_filter_form_is_fetched_when_opened(client, office):
    client.force_login(office.head)
    page = client.get("/incoming/").content.decode()
    assert 'name="document_type"' not in page, "the list page does not render the filters until asked"
    form = client.get("/incoming/filters/", {"tab": "to_handle"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'name="document_type"' in form and "Quyết định" in form
