"""An agency with its registers, two units and the people of the incoming flow."""

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from vanphong.accounts.tests.factories import UserFactory
from vanphong.core.document_types import DocumentType, Secrecy, Urgency
from vanphong.incoming.models import IncomingRegister, ReceivedVia
from vanphong.organizations.models import Position, Role
from vanphong.organizations.tests.factories import AgencyFactory, UnitFactory

SAMPLES = Path(__file__).parent / "samples"  # real files the tests and the demo use


@dataclass
class Office:
    agency: object
    register: object
    secret_register: object
    budget_unit: object  # lead unit: Phòng Quản lý ngân sách
    office_unit: object  # co-ordinating unit: Văn phòng Sở
    clerk: object
    head: object
    deputy: object
    budget_head: object
    specialist: object
    office_head: object
    office_specialist: object
    outsider: object  # a specialist of another agency


def _place(agency, role, username, full_name, unit=None):
    person = UserFactory(username=username, full_name=full_name)
    Position.objects.create(person=person, agency=agency, unit=unit, role=role)
    return person


@pytest.fixture
def office(db):
    agency = AgencyFactory(code="000.00.11.H41", name="Sở Tài chính tỉnh Nghệ An", short_name="STC")
    budget = UnitFactory(agency=agency, name="Phòng Quản lý ngân sách", short_name="NS")
    office_unit = UnitFactory(agency=agency, name="Văn phòng Sở", short_name="VP")
    other = AgencyFactory(code="000.00.13.H41", name="Sở Y tế tỉnh Nghệ An", short_name="SYT")
    return Office(
        agency=agency,
        register=IncomingRegister.objects.create(agency=agency, name="Sổ văn bản đến"),
        secret_register=IncomingRegister.objects.create(
            agency=agency, name="Sổ văn bản mật đến", for_secret_documents=True
        ),
        budget_unit=budget,
        office_unit=office_unit,
        clerk=_place(agency, Role.CLERK, "stc.vanthu", "Nguyễn Thị Lan"),
        head=_place(agency, Role.HEAD, "stc.giamdoc", "Trần Văn Hùng"),
        deputy=_place(agency, Role.DEPUTY_HEAD, "stc.phogiamdoc", "Lê Thị Mai"),
        budget_head=_place(agency, Role.UNIT_HEAD, "stc.ns.truongphong", "Phạm Quang Minh", budget),
        specialist=_place(agency, Role.SPECIALIST, "stc.ns.chuyenvien", "Võ Thanh Tâm", budget),
        office_head=_place(agency, Role.UNIT_HEAD, "stc.vp.chanhvanphong", "Đặng Ngọc Hà", office_unit),
        office_specialist=_place(agency, Role.SPECIALIST, "stc.vp.chuyenvien", "Bùi Đức Long", office_unit),
        outsider=_place(other, Role.SPECIALIST, "syt.chuyenvien", "Hồ Văn Nam"),
    )


def sample_pdf(name="cong-van-2491-STC.pdf"):
    return SimpleUploadedFile(name, (SAMPLES / "cong-van-2491-STC.pdf").read_bytes(), "application/pdf")


def document_data(**changes):
    data = {
        "arrived_at": timezone.now(),
        "received_via": ReceivedVia.PAPER,
        "issuer": None,
        "issuer_name": "Sở Tài chính tỉnh Tây Ninh",
        "number": "2491",
        "notation": "STC-BCTC",
        "document_date": timezone.localdate(),
        "document_type": DocumentType.CONG_VAN,
        "summary": "V/v báo cáo quyết toán ngân sách năm 2026",
        "signer": "Giám đốc Nguyễn Văn A",
        "urgency": Urgency.NORMAL,
        "secrecy": Secrecy.NONE,
        "page_count": 2,
    }
    data.update(changes)
    return data
