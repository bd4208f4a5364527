"""Demo incoming documents: every hosted agency gets its registers; the Department of Finance has documents at
each step of the flow, so that every demo account has something in its lists."""

import datetime

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from vanphong.core.document_types import DocumentType, Urgency
from vanphong.organizations.models import Agency, Unit

from . import services
from .models import IncomingDocument, IncomingRegister, ReceivedVia
from .tests.samples import SAMPLE_PDF

DOCUMENTS = [
    # number/notation, issuer, summary, urgency, how far it goes
    ("7816/VPCP-TTĐT", "Văn phòng Chính phủ", "V/v triển khai Nghị định về văn thư điện tử", Urgency.URGENT, "done"),
    ("245/BNV-VP", "Bộ Nội vụ", "V/v báo cáo công tác văn thư, lưu trữ năm 2026", Urgency.NORMAL, "specialist"),
    (
        "112/UBND-KT",
        "Ủy ban nhân dân tỉnh Hà Tĩnh",
        "V/v phối hợp quyết toán ngân sách liên tỉnh",
        Urgency.NORMAL,
        "unit",
    ),
    (
        "88/SYT-KHTC",
        "Sở Y tế tỉnh Nghệ An",
        "V/v đề nghị bổ sung kinh phí phòng chống dịch",
        Urgency.VERY_URGENT,
        "head",
    ),
    ("15/GM-UBND", "Ủy ban nhân dân xã Anh Sơn", "Giấy mời họp giao ban quý IV", Urgency.NORMAL, "clerk"),
]


@transaction.atomic
def load(**_options) -> None:
    for agency in Agency.objects.filter(is_hosted=True):
        IncomingRegister.objects.get_or_create(agency=agency, name="Sổ văn bản đến")
        IncomingRegister.objects.get_or_create(
            agency=agency, name="Sổ văn bản mật đến", defaults={"for_secret_documents": True}
        )
    finance = Agency.objects.get(code="000.00.11.H41")
    if IncomingDocument.objects.filter(agency=finance).exists():
        return
    people = {p.username: p for p in get_user_model().objects.filter(username__startswith="stc.")}
    clerk, head = people["stc.vanthu"], people["stc.thutruong"]
    budget, office = (
        Unit.objects.get(agency=finance, short_name="NS"),
        Unit.objects.get(agency=finance, short_name="VP"),
    )
    register = IncomingRegister.objects.get(agency=finance, name="Sổ văn bản đến")
    today = timezone.localdate()
    for index, (reference, issuer_name, summary, urgency, reach) in enumerate(DOCUMENTS):
        number, notation = reference.split("/")
        data = {
            "arrived_at": timezone.now() - datetime.timedelta(hours=3 * (len(DOCUMENTS) - index)),
            "received_via": ReceivedVia.ELECTRONIC,
            "issuer": Agency.objects.filter(name=issuer_name).first(),
            "issuer_name": issuer_name,
            "number": number,
            "notation": notation,
            "document_date": today - datetime.timedelta(days=2),
            "urgency": urgency,
            "summary": summary,
            "document_type": DocumentType.GIAY_MOI if notation.startswith("GM") else DocumentType.CONG_VAN,
            "signer": "",
            "page_count": 2,
        }
        pdf = SimpleUploadedFile(f"{number}-{notation}.pdf", SAMPLE_PDF.read_bytes(), "application/pdf")
        document = services.receive(
            agency=finance, by=clerk, data=data, files=[pdf], register=None if reach == "clerk" else register
        )
        if reach == "clerk":
            continue
        services.present(document=document, by=clerk, to=head, note="Kính trình Giám đốc")
        if reach == "head":
            continue
        services.assign(
            document=document,
            by=head,
            lead=budget,
            coordinating=[office],
            for_information=[people["stc.capho"]],
            deadline=today + datetime.timedelta(days=10),
            instruction="Giao Phòng Quản lý ngân sách chủ trì, Văn phòng Sở phối hợp.",
        )
        if reach == "unit":
            continue
        lead = document.assignments.get(role="lead", parent=None)
        [child] = services.forward(
            assignment_=lead,
            by=people["stc.ns.truongphong"],
            to=people["stc.ns.chuyenvien"],
            instruction="Đề nghị đồng chí tham mưu văn bản trả lời.",
        )
        if reach == "done":
            services.complete(assignment_=child, by=people["stc.ns.chuyenvien"], result="Đã tham mưu văn bản trả lời.")
