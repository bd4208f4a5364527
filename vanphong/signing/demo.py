"""Demo signing data, when the demo's test PKI exists (`make demo` makes it in VAR_DIR/pki and runs `pki serve`):
its root in the trust store, the director's and the agency's certificates in the registry, and one incoming
document that arrives signed by both, so that its verification report shows beside the PDF."""

import datetime
import io
import logging
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from vanphong.core.document_types import DocumentType, Urgency
from vanphong.core.files import store
from vanphong.organizations.models import Agency

from .errors import SigningError
from .levels import http_timestamper
from .models import SigningCredential, TrustedRoot
from .pki import TEST_PASSPHRASE
from .providers.pkcs12 import Pkcs12Signer
from .reports import parse_certificate
from .services import sign_pdf

logger = logging.getLogger(__name__)
FINANCE = "000.00.11.H41"
SIGNED_NOTATION = "STC-NS"


def demo_images() -> tuple[bytes, bytes]:
    """A blue handwritten-like signature and a red round seal, transparent PNGs."""
    signature = Image.new("RGBA", (360, 150), (0, 0, 0, 0))
    ImageDraw.Draw(signature).line((20, 110, 110, 30, 150, 120, 240, 40, 330, 90), fill=(20, 50, 190, 255), width=6)
    seal = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    draw = ImageDraw.Draw(seal)
    draw.ellipse((8, 8, 292, 292), outline=(210, 20, 20, 255), width=10)
    draw.ellipse((60, 60, 240, 240), outline=(210, 20, 20, 255), width=4)
    draw.regular_polygon((150, 150, 40), 5, fill=(210, 20, 20, 255))
    images = []
    for image in (signature, seal):
        out = io.BytesIO()
        image.save(out, "PNG")
        images.append(out.getvalue())
    return images[0], images[1]


def _register(pki: Path, finance: Agency, director) -> None:
    parsed = parse_certificate((pki / "root.pem").read_text())
    TrustedRoot.objects.get_or_create(
        fingerprint_sha256=parsed.fingerprint_sha256,
        defaults={
            "name": "Vanphong Test Root CA (demo)",
            "domain": TrustedRoot.Domain.TEST,
            "certificate_pem": parsed.pem,
        },
    )
    signature_png, seal_png = demo_images()
    for owner, name, label, image in (
        (director, "person", "Nguyễn Văn An (demo)", signature_png),
        (None, "agency", "Sở Tài chính (demo)", seal_png),
    ):
        cert = parse_certificate((pki / f"{name}.pem").read_text())
        SigningCredential.objects.get_or_create(
            serial_number=cert.serial_number,
            defaults={
                "person": owner,
                "agency": finance if owner is None else None,
                "kind": SigningCredential.Kind.PKCS12,
                "label": label,
                "certificate_pem": cert.pem,
                "subject_cn": cert.subject_cn,
                "valid_from": cert.valid_from,
                "valid_to": cert.valid_to,
                "file_path": str(pki / f"{name}.p12"),
                "image": store(upload=io.BytesIO(image), filename=f"{name}.png"),
            },
        )


def signed_sample(pki: Path, pdf: bytes) -> bytes:
    """`pdf` signed by the director (signature image) and the agency (seal over its left third), on the last page,
    with a timestamp from the demo TSA when it answers."""
    signature_png, seal_png = demo_images()
    timestamper = http_timestamper(settings.VANPHONG_TSA_URL) if settings.VANPHONG_TSA_URL else None
    options = {"timestamper": timestamper}
    for role, name, field, where in (
        ("signer", "person", "Sig1", {"box": (330, 120, 490, 190)}),
        ("agency", "agency", "Sig2", {"over_field": "Sig1"}),
    ):
        signer = Pkcs12Signer(path=pki / f"{name}.p12", passphrase=TEST_PASSPHRASE)
        image = signature_png if role == "signer" else seal_png
        try:
            pdf = sign_pdf(pdf=pdf, signer=signer, role=role, field_name=field, image_png=image, **options, **where)
        except SigningError:
            if options["timestamper"] is None:
                raise
            logger.warning("the demo TSA did not answer; the demo document is signed without a timestamp")
            options["timestamper"] = None
            pdf = sign_pdf(pdf=pdf, signer=signer, role=role, field_name=field, image_png=image, **options, **where)
    return pdf


def load(**_options) -> None:
    pki = Path(settings.VAR_DIR) / "pki"
    finance = Agency.objects.filter(code=FINANCE).first()
    people = {p.username: p for p in get_user_model().objects.filter(username__in=["stc.thutruong", "stc.vanthu"])}
    if not (pki / "root.pem").exists() or finance is None or len(people) < 2:
        return
    _register(pki, finance, people["stc.thutruong"])

    from vanphong.incoming import services as incoming
    from vanphong.incoming.models import IncomingDocument
    from vanphong.incoming.tests.samples import SAMPLE_PDF

    if IncomingDocument.objects.filter(agency=finance, notation=SIGNED_NOTATION).exists():
        return
    pdf = signed_sample(pki, SAMPLE_PDF.read_bytes())
    incoming.receive(
        agency=finance,
        by=people["stc.vanthu"],
        data={
            "arrived_at": timezone.now() - datetime.timedelta(minutes=20),
            "received_via": "electronic",
            "issuer_name": "Sở Tài chính tỉnh Nghệ An",
            "number": "301",
            "notation": SIGNED_NOTATION,
            "document_date": timezone.localdate(),
            "urgency": Urgency.NORMAL,
            "summary": "V/v thông báo dự toán ngân sách năm 2027 (văn bản ký số, kèm báo cáo xác thực chữ ký)",
            "document_type": DocumentType.CONG_VAN,
            "signer": "Nguyễn Văn An",
            "page_count": 1,
        },
        files=[SimpleUploadedFile("301-STC-NS.pdf", pdf, "application/pdf")],
    )
