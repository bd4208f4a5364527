"""A work file of the Sở Tài chính made by its deputy director, with an incoming and an outgoing document."""

import datetime
import io

import pytest
from django.utils import timezone

from vanphong.core.files import store
from vanphong.exchange.tests.platform_script import pdf_of
from vanphong.files import services
from vanphong.incoming import services as incoming
from vanphong.incoming.tests.conftest import document_data, office, sample_pdf  # noqa: F401
from vanphong.outgoing.models import OutgoingDocument


def incoming_document(office):  # noqa: F811
    return incoming.receive(
        agency=office.agency, by=office.clerk, data=document_data(), files=[sample_pdf()], register=office.register
    )


def outgoing_document(office, *, page_count=None):  # noqa: F811
    pdf = store(upload=io.BytesIO(pdf_of("Bao cao quyet toan ngan sach")), filename="bao-cao.pdf")
    return OutgoingDocument.objects.create(
        agency=office.agency,
        state="issued",
        document_type="BC",
        summary="Báo cáo quyết toán ngân sách năm 2025",
        drafting_unit=office.budget_unit,
        drafter=office.deputy,
        signer=office.head,
        signer_title="GIÁM ĐỐC",
        year=timezone.localdate().year,
        number=15,
        notation="BC-STC",
        issued_on=timezone.localdate(),
        issued_file=pdf,
        page_count=page_count,
        issued_at=timezone.now(),
    )


@pytest.fixture
def work_file(office):  # noqa: F811
    return services.open_file(
        agency=office.agency,
        by=office.deputy,
        title="Hồ sơ quyết toán ngân sách năm 2025",
        notation="01.TCKT",
        year=2025,
        retention_years=10,
        start_date=datetime.date(2025, 1, 2),
    )


@pytest.fixture
def archived_file(office, work_file):  # noqa: F811
    services.add_document(work_file=work_file, by=office.deputy, incoming=incoming_document(office))
    services.add_document(work_file=work_file, by=office.deputy, outgoing=outgoing_document(office))
    services.update_file(work_file=work_file, by=office.deputy, rights="Hạn chế", end_date=datetime.date(2025, 12, 30))
    services.close_file(work_file=work_file, by=office.deputy)
    services.submit(files=[work_file], by=office.deputy)
    return services.accept(work_file=work_file, by=office.clerk)
