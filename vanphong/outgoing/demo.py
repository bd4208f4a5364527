"""Demo outgoing documents: every hosted agency gets its registers; the Department of Finance has a document at
each step (a draft, one with the unit head, one waiting for the director's signature) and, when the demo's test
PKI is there (`make demo`), one issued to the Department of Health on the platform and to the Government Office
elsewhere, waiting for the Health clerk to register it."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from vanphong.core.document_types import DocumentType
from vanphong.organizations.models import Agency, Unit
from vanphong.signing.models import SigningCredential
from vanphong.signing.pki import TEST_PASSPHRASE

from . import services
from .models import OutgoingDocument, OutgoingRegister

SAMPLE_DOCX = Path(__file__).resolve().parents[1] / "core" / "tests" / "samples" / "cong-van-du-thao.docx"
DOCUMENTS = [
    # summary, how far it goes
    ("V/v đề nghị bổ sung dự toán kinh phí chuyển đổi số năm 2027", "draft"),
    ("V/v hướng dẫn quyết toán kinh phí sự nghiệp y tế năm 2026", "review"),
    ("V/v góp ý dự thảo Quyết định phân bổ ngân sách tỉnh năm 2027", "sign"),
    ("V/v đề nghị báo cáo tình hình sử dụng kinh phí phòng chống dịch năm 2026", "issued"),
]


def load(**_options) -> None:
    for agency in Agency.objects.filter(is_hosted=True):
        OutgoingRegister.objects.get_or_create(agency=agency, name="Sổ văn bản đi")
        OutgoingRegister.objects.get_or_create(
            agency=agency, name="Sổ văn bản mật đi", defaults={"for_secret_documents": True}
        )
    finance = Agency.objects.filter(code="000.00.11.H41").first()
    if finance is None or OutgoingDocument.objects.filter(agency=finance).exists():
        return
    people = {p.username: p for p in get_user_model().objects.filter(username__startswith="stc.")}
    specialist, unit_head = people["stc.ns.chuyenvien"], people["stc.ns.truongphong"]
    director, clerk = people["stc.thutruong"], people["stc.vanthu"]
    budget = Unit.objects.get(agency=finance, short_name="NS")
    health = Agency.objects.get(code="000.00.13.H41")
    government_office = Agency.objects.get(code="000.00.00.G22")
    can_sign = SigningCredential.objects.filter(person=director, is_active=True).exists()
    for summary, reach in DOCUMENTS:
        if reach == "issued" and not can_sign:
            continue
        doc = services.create_draft(
            agency=finance,
            by=specialist,
            data={
                "document_type": DocumentType.CONG_VAN,
                "summary": summary,
                "drafting_unit": budget,
                "signer": director,
                "signer_title": "GIÁM ĐỐC",
                "page_count": 1,
                "copies": 2,
                "other_recipients": "Lưu: VT, NS.",
            },
            main_file=SimpleUploadedFile(SAMPLE_DOCX.name, SAMPLE_DOCX.read_bytes()),
            recipients=[
                {"kind": "hosted", "agency": health},
                {"kind": "hosted", "agency": government_office},
                {"kind": "paper", "name": "Lưu: VT, NS."},
            ],
        )
        if reach == "draft":
            continue
        services.submit(doc=doc, by=specialist)
        if reach == "review":
            continue
        services.approve(doc=doc, by=unit_head, comment="Đồng ý, kính trình Giám đốc ký.")
        if reach == "sign":
            continue
        passphrase = TEST_PASSPHRASE.decode()
        services.sign(doc=doc, by=director, secret=passphrase)
        services.number(doc=doc, by=clerk, secret=passphrase)
        services.issue(doc=doc, by=clerk)
