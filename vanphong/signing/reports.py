"""Stored verification reports: every signature of a stored PDF checked against the roots the operator trusts
(TrustedRoot, all domains), the Vietnamese verdict kept with the file and shown beside the PDF viewer. Also the
parsing of the certificates administrators paste into the trust store and the certificate registry."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from vanphong.core.files import PDF, read_stored
from vanphong.core.models import StoredFile

from . import validation
from .models import TrustedRoot, VerificationReport

logger = logging.getLogger(__name__)

ERROR = "error"  # the check itself failed (the blob could not be read): not a verdict on the signatures


@dataclass(frozen=True)
class ParsedCertificate:
    pem: str  # normalised: one PEM block
    fingerprint_sha256: str
    subject_cn: str
    serial_number: str
    valid_from: object
    valid_to: object


def parse_certificate(text: str) -> ParsedCertificate:
    """The first certificate of a pasted PEM text; ValidationError, in Vietnamese, when it is not one (a private
    key is refused without being read)."""
    data = (text or "").strip().encode()
    if b"PRIVATE KEY" in data:
        raise ValidationError(_("Paste only the certificate: a private key is never stored here."), code="private_key")
    try:
        certificate = x509.load_pem_x509_certificate(data)
    except ValueError:
        raise ValidationError(
            _("This is not a certificate in PEM format (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)."),
            code="not_a_certificate",
        ) from None
    names = certificate.subject.get_attributes_for_oid(x509.oid.NameOID.COMMON_NAME)
    return ParsedCertificate(
        pem=certificate.public_bytes(serialization.Encoding.PEM).decode(),
        fingerprint_sha256=certificate.fingerprint(hashes.SHA256()).hex(),
        subject_cn=str(names[0].value) if names else certificate.subject.rfc4514_string(),
        serial_number=format(certificate.serial_number, "X"),
        valid_from=certificate.not_valid_before_utc,
        valid_to=certificate.not_valid_after_utc,
    )


def trusted_roots() -> list[bytes]:
    """The PEM of every root in use, of every trust domain."""
    return [root.certificate_pem.encode() for root in TrustedRoot.objects.filter(is_active=True)]


def _details(signature: validation.SignatureReport) -> dict:
    return {
        "field": signature.field_name,
        "kind": signature.kind,
        "signer": signature.signer_name,
        "time": signature.signing_time.isoformat() if signature.signing_time else None,
        "intact": signature.intact,
        "valid": signature.valid,
        "trusted": signature.trusted,
        "modification_level": signature.modification_level,
        "timestamp": signature.timestamp,
        "revocation": signature.revocation,
        "verdict": signature.verdict,
        "summary": signature.summary,
    }


def verify_stored_file(*, stored_file: StoredFile) -> VerificationReport | None:
    """Check the signatures of a stored PDF and keep the report; None for any other kind of file (nothing read).
    A PDF without signatures gets the "unsigned" verdict; a damaged one its own verdict; never raises on the
    file's content."""
    if stored_file.content_type != PDF:
        return None
    try:
        content = read_stored(stored_file)
        report = validation.verify_pdf(
            pdf=content, trust_roots=trusted_roots(), allow_fetching=settings.VANPHONG_FETCH_REVOCATION
        )
    except Exception:  # the blob is gone or unreadable, or a certificate in the trust store is: say so, not crash
        logger.exception("the signatures of stored file %s could not be checked", stored_file.pk)
        return VerificationReport.objects.create(
            stored_file=stored_file, verdict=ERROR, summary=_("The signatures of this file could not be checked.")
        )
    return VerificationReport.objects.create(
        stored_file=stored_file,
        verdict=report.verdict,
        summary=report.summary,
        details=[_details(signature) for signature in report.signatures],
    )


def latest_reports(stored_files: Iterable) -> dict[int, VerificationReport]:
    """The latest report of each of `stored_files` (StoredFile objects or ids), by stored file id, in one query."""
    ids = {getattr(item, "pk", item) for item in stored_files}
    if not ids:
        return {}
    latest: dict[int, VerificationReport] = {}
    for report in VerificationReport.objects.filter(stored_file_id__in=ids).order_by(
        "stored_file_id", "-checked_at", "-pk"
    ):
        latest.setdefault(report.stored_file_id, report)
    return latest
