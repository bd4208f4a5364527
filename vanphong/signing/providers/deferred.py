"""Deferred ("hash out, signature back") signing, for keys the server cannot reach: an official's USB token behind a
desktop signing plugin, or a remote service where the person confirms on the phone (Mobile PKI, SmartCA-like).

`prepare` lays out the signature exactly as `services.sign_pdf` does (same placement and stamp), with pyHanko's
interrupted signing (signing-security.md §1.7): the PDF gets its field, its appearance and a zero-filled placeholder
in /Contents; the CMS signed attributes are built and kept. It returns a `PendingSignature` saved in the database;
the client signs `pending.to_be_signed` (the DER of the signed attributes; hash-only services take
`pending.to_be_signed_sha256`). `complete`, in whatever process receives the raw signature, checks it against the
certificate, builds the CMS (with a timestamp when a timestamper is given: PAdES B-T) and writes it into the
reserved region. Nothing pyHanko-specific is pickled: the state is the prepared PDF, the signed attributes, the
document digest and the reserved region's bounds, and the certificates."""

import asyncio
import base64
import datetime
import hashlib
import io

from asn1crypto import cms, pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509 as pyca_x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.general import SigningError as PyhankoSigningError
from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest
from pyhanko.sign.signers.pdf_cms import ExternalSigner
from pyhanko.sign.signers.pdf_signer import PdfTBSDocument
from pyhanko_certvalidator.registry import SimpleCertificateStore

from vanphong.signing.errors import SigningError
from vanphong.signing.models import PendingSignature

DEFAULT_LIFETIME = datetime.timedelta(minutes=15)
# room kept in /Contents for the RFC 3161 token added at completion (B-T) and for a bigger-than-estimated CMS
TIMESTAMP_ROOM = 12 * 1024
DIGESTS = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}

CertificateLike = asn1_x509.Certificate | pyca_x509.Certificate | bytes


def load_certificate(value: CertificateLike) -> asn1_x509.Certificate:
    """An asn1crypto certificate from an asn1crypto or `cryptography` certificate, or DER/PEM bytes."""
    if isinstance(value, asn1_x509.Certificate):
        return value
    if isinstance(value, pyca_x509.Certificate):
        return asn1_x509.Certificate.load(value.public_bytes(serialization.Encoding.DER))
    try:
        data = bytes(value)
        if pem.detect(data):
            data = pem.unarmor(data)[2]
        certificate = asn1_x509.Certificate.load(data)
        certificate.native  # noqa: B018 -- parse now, so a broken certificate fails here, not while signing
    except (TypeError, ValueError) as error:
        raise SigningError(_("The signer's certificate cannot be read.")) from error
    return certificate


class _PlaceholderSigner(ExternalSigner):
    """pyHanko's ExternalSigner with a zero signature of the key's size, that keeps the signed attributes it was asked
    to sign. The size estimate (pyHanko's dry run) is padded, so the real CMS and its timestamp fit later."""

    def __init__(self, *, certificate: asn1_x509.Certificate, chain, room: int):
        signature_size = (certificate.public_key.bit_size + 7) // 8
        if certificate.public_key.algorithm == "ec":
            signature_size = 2 * signature_size + 9  # DER SEQUENCE of two INTEGERs, at most
        super().__init__(
            signing_cert=certificate,
            cert_registry=SimpleCertificateStore.from_certs([certificate, *chain]),
            signature_value=bytes(signature_size),
        )
        self.room = room
        self.signed_attributes: bytes | None = None
        self.digest_algorithm: str | None = None

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run=False) -> bytes:
        if dry_run:
            return bytes(len(self._signature_value) + self.room)
        self.signed_attributes, self.digest_algorithm = data, digest_algorithm
        return self._signature_value


def _reserved_region(pdf: bytes, field_name: str) -> tuple[int, int]:
    reader = PdfFileReader(io.BytesIO(pdf))
    for embedded in reader.embedded_signatures:
        if embedded.field_name == field_name:
            _zero, start, end, _rest = (int(v) for v in embedded.byte_range)
            return start, end
    raise SigningError(_("The document has no signature field «%(field)s».") % {"field": field_name})


def prepare(
    *,
    pdf: bytes,
    certificate: CertificateLike,
    chain: tuple[CertificateLike, ...] | list[CertificateLike] = (),
    lifetime: datetime.timedelta = DEFAULT_LIFETIME,
    timestamp_room: int = TIMESTAMP_ROOM,
    **placement,
) -> PendingSignature:
    """Prepare `pdf` for a signature made elsewhere by the key of `certificate` and save the state.

    `placement` is what `services.sign_pdf` takes besides pdf, signer and timestamper (role, field_name, page, box,
    marker, over_field, image_png, lines, reason, location, signed_at). The timestamp, if any, is added by
    `complete`, over the real signature."""
    from vanphong.signing.services import sign_pdf

    if "timestamper" in placement:
        raise TypeError("the timestamper is given to complete(), not to prepare()")
    signing_cert = load_certificate(certificate)
    ca_certs = [load_certificate(c) for c in chain]
    placeholder = _PlaceholderSigner(certificate=signing_cert, chain=ca_certs, room=timestamp_room)
    prepared = sign_pdf(pdf=pdf, signer=placeholder, **placement)
    if placeholder.signed_attributes is None:  # pragma: no cover - pyHanko always signs the attributes
        raise SigningError(_("The document could not be prepared for signing."))
    field_name = placement["field_name"]
    start, end = _reserved_region(prepared, field_name)
    digest = hashlib.new(placeholder.digest_algorithm, prepared[:start] + prepared[end:]).digest()
    signed_attrs = cms.CMSAttributes.load(placeholder.signed_attributes)
    message_digest = next(a["values"][0].native for a in signed_attrs if a["type"].native == "message_digest")
    if message_digest != digest:  # pragma: no cover - a sanity check on the reserved region
        raise SigningError(_("The document could not be prepared for signing."))
    now = timezone.now()
    return PendingSignature.objects.create(
        field_name=field_name,
        prepared_pdf=prepared,
        signed_attributes=placeholder.signed_attributes,
        digest_algorithm=placeholder.digest_algorithm,
        document_digest=digest,
        reserved_region_start=start,
        reserved_region_end=end,
        post_sign_instructions=None,
        certificate=signing_cert.dump(),
        chain=[base64.b64encode(c.dump()).decode("ascii") for c in ca_certs],
        created_at=now,
        expires_at=now + lifetime,
    )


def to_be_signed(pending: PendingSignature) -> dict:
    """What the client (plugin, remote service) gets: the DER of the signed attributes and its digest, hex."""
    der = bytes(pending.signed_attributes)
    return {
        "id": str(pending.id),
        "to_be_signed": der.hex(),
        "digest_algorithm": pending.digest_algorithm,
        "digest": hashlib.new(pending.digest_algorithm, der).hexdigest(),
        "expires_at": pending.expires_at.isoformat(),
    }


def _check_signature(certificate: asn1_x509.Certificate, signature: bytes, data: bytes, digest_algorithm: str) -> None:
    """Refuse a signature not made over `data` by the certificate's key (RSA PKCS#1 v1.5 or ECDSA)."""
    key = pyca_x509.load_der_x509_certificate(certificate.dump()).public_key()
    digest = DIGESTS[digest_algorithm]()
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, data, padding.PKCS1v15(), digest)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, data, ec.ECDSA(digest))
        else:
            raise SigningError(_("The signer's key type is not supported."))
    except (InvalidSignature, UnsupportedAlgorithm, ValueError) as error:
        raise SigningError(
            _(
                "The signature does not match the document: it was not made with the key of the certificate chosen "
                "for signing, or over other data. The document was not signed."
            )
        ) from error


async def _finish(pending: PendingSignature, signature_value: bytes, *, timestamper, validation_context) -> bytes:
    certificate = asn1_x509.Certificate.load(bytes(pending.certificate))
    chain = [asn1_x509.Certificate.load(base64.b64decode(c)) for c in pending.chain]
    external = ExternalSigner(
        signing_cert=certificate,
        cert_registry=SimpleCertificateStore.from_certs([certificate, *chain]),
        signature_value=signature_value,
    )
    signature_cms = await external.async_sign_prescribed_attributes(
        pending.digest_algorithm,
        signed_attrs=cms.CMSAttributes.load(bytes(pending.signed_attributes)),
        timestamper=timestamper,
    )
    output = io.BytesIO(bytes(pending.prepared_pdf))
    await PdfTBSDocument.async_finish_signing(
        output,
        PreparedByteRangeDigest(
            document_digest=bytes(pending.document_digest),
            reserved_region_start=pending.reserved_region_start,
            reserved_region_end=pending.reserved_region_end,
        ),
        signature_cms,
        post_sign_instr=None,
        validation_context=validation_context,
    )
    return output.getvalue()


def complete(*, pending: PendingSignature, signature_value: bytes, timestamper=None, validation_context=None) -> bytes:
    """Embed the raw signature (over `to_be_signed`) and return the signed PDF; the pending signature is then used.

    A signature that does not verify with the certificate's key is refused and the request stays pending, so the
    right key can still sign it; an expired or used request is refused."""
    with transaction.atomic():
        pending = PendingSignature.objects.select_for_update().get(pk=pending.pk)
        if pending.state == PendingSignature.State.COMPLETED:
            raise SigningError(_("This signature request has already been used: the document is already signed."))
        if pending.state == PendingSignature.State.FAILED:
            raise SigningError(_("This signature request failed earlier: prepare the document for signing again."))
        if pending.state == PendingSignature.State.EXPIRED or pending.is_expired:
            if pending.state != PendingSignature.State.EXPIRED:
                pending.state = PendingSignature.State.EXPIRED
                pending.save(update_fields=["state"])
            # commit the new state before refusing (raising inside atomic would roll it back)
            expired = True
        else:
            expired = False
    if expired:
        raise SigningError(_("This signature request has expired: prepare the document for signing again."))

    with transaction.atomic():
        pending = PendingSignature.objects.select_for_update().get(pk=pending.pk)
        if pending.state != PendingSignature.State.PENDING:
            raise SigningError(_("This signature request has already been used: the document is already signed."))
        signature_value = bytes(signature_value or b"")
        if not signature_value:
            raise SigningError(_("No signature was received."))
        certificate = asn1_x509.Certificate.load(bytes(pending.certificate))
        _check_signature(certificate, signature_value, bytes(pending.signed_attributes), pending.digest_algorithm)
        try:
            signed = asyncio.run(
                _finish(pending, signature_value, timestamper=timestamper, validation_context=validation_context)
            )
        except (PyhankoSigningError, PdfError, ValueError) as error:
            pending.state, pending.error = PendingSignature.State.FAILED, str(error)[:2000]
            pending.save(update_fields=["state", "error"])
            failed = error
        else:
            pending.state, pending.completed_at, pending.error = PendingSignature.State.COMPLETED, timezone.now(), ""
            pending.save(update_fields=["state", "completed_at", "error"])
            return signed
    raise SigningError(_("The signature could not be added to the document: prepare it for signing again.")) from failed


def expire_pending(now: datetime.datetime | None = None) -> int:
    """Mark the requests past their time as expired (for a periodic task); the number marked."""
    return PendingSignature.objects.filter(
        state=PendingSignature.State.PENDING, expires_at__lte=now or timezone.now()
    ).update(state=PendingSignature.State.EXPIRED)
