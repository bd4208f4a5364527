"""The Department of Finance (Sở Tài chính) issuing to the Department of Health on the platform and to a ministry
elsewhere, with its outgoing register, the director's and the agency's certificates (the test PKI) and their
signature and seal images; the draft is the real DOCX sample of core's conversion tests."""

import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from vanphong.core.document_types import DocumentType
from vanphong.core.files import store
from vanphong.incoming.models import IncomingRegister
from vanphong.incoming.tests.conftest import _place, office  # noqa: F401 (a fixture used here)
from vanphong.organizations.models import Role
from vanphong.organizations.tests.factories import AgencyFactory
from vanphong.outgoing.models import OutgoingRegister
from vanphong.signing.demo import demo_images
from vanphong.signing.models import SigningCredential
from vanphong.signing.pki import TEST_PASSPHRASE
from vanphong.signing.reports import parse_certificate
from vanphong.signing.tests.conftest import test_pki  # noqa: F401 (a fixture used here)

DRAFT_DOCX = Path(__file__).resolve().parents[2] / "core" / "tests" / "samples" / "cong-van-du-thao.docx"
PASSPHRASE = TEST_PASSPHRASE.decode()


@dataclass
class Province:
    office: object  # incoming's Office: the Sở Tài chính, its units and people
    health: object  # Sở Y tế, hosted here
    health_clerk: object
    health_head: object
    ministry: object  # Bộ Tài chính, known only for interconnection
    register: object
    secret_register: object


def credential(*, pki, name, person=None, agency=None, image):
    cert = parse_certificate(getattr(pki, name).cert_pem().decode())
    return SigningCredential.objects.create(
        person=person,
        agency=agency,
        kind=SigningCredential.Kind.PKCS12,
        label=cert.subject_cn,
        certificate_pem=cert.pem,
        subject_cn=cert.subject_cn,
        serial_number=cert.serial_number,
        valid_from=cert.valid_from,
        valid_to=cert.valid_to,
        file_path=str(pki.files[f"{name}.p12"]),
        image=store(upload=io.BytesIO(image), filename=f"{name}.png"),
    )


@pytest.fixture
def province(office, test_pki):  # noqa: F811
    health = office.outsider.positions.get().agency  # Sở Y tế tỉnh Nghệ An
    IncomingRegister.objects.create(agency=health, name="Sổ văn bản đến")
    ministry = AgencyFactory(code="000.00.00.G12", name="Bộ Tài chính", short_name="BTC", is_hosted=False)
    signature, seal = demo_images()
    credential(pki=test_pki, name="person", person=office.head, image=signature)
    credential(pki=test_pki, name="agency", agency=office.agency, image=seal)
    return Province(
        office=office,
        health=health,
        health_clerk=_place(health, Role.CLERK, "syt.vanthu", "Ngô Thị Hoa"),
        health_head=_place(health, Role.HEAD, "syt.giamdoc", "Hoàng Văn Sơn"),
        ministry=ministry,
        register=OutgoingRegister.objects.create(agency=office.agency, name="Sổ văn bản đi"),
        secret_register=OutgoingRegister.objects.create(
            agency=office.agency, name="Sổ văn bản mật đi", for_secret_documents=True
        ),
    )


def draft_docx(name="cong-van-du-thao.docx"):
    return SimpleUploadedFile(
        name,
        DRAFT_DOCX.read_bytes(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


def draft_data(province, **changes):
    finance = province.office
    return {
        "document_type": DocumentType.CONG_VAN,
        "summary": "V/v đề nghị báo cáo tình hình sử dụng kinh phí phòng chống dịch năm 2026",
        "drafting_unit": finance.budget_unit,
        "signer": finance.head,
        "signer_title": "GIÁM ĐỐC",
        "copies": 3,
        "page_count": 1,
        **changes,
    }


def recipients(province):
    return [
        {"kind": "hosted", "agency": province.health},
        {"kind": "hosted", "agency": province.ministry},
        {"kind": "paper", "name": "Lưu: VT, NS."},
    ]
