"""State kept between the two halves of a deferred ("hash out, signature back") signature: the server prepares the
PDF and the data to be signed, a desktop plugin or a remote service (Mobile PKI, SmartCA-like) signs it, possibly
minutes later and in another process, and the server completes the PDF. Nothing is pickled: the fields are the
plain values pyHanko's interrupted signing needs to resume (signing-security.md §1.7)."""

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PendingSignature(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("waiting for the signature")
        COMPLETED = "completed", _("completed")
        EXPIRED = "expired", _("expired")
        FAILED = "failed", _("failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    field_name = models.CharField(_("signature field"), max_length=100)
    # the document with the signature field, the stamp and a zero-filled placeholder in /Contents
    prepared_pdf = models.BinaryField(_("prepared PDF"))
    # what the client signs: the DER of the CMS signed attributes (SET OF), and its digest
    signed_attributes = models.BinaryField(_("signed attributes (DER)"))
    digest_algorithm = models.CharField(_("digest algorithm"), max_length=20, default="sha256")
    # pyHanko's PreparedByteRangeDigest, field by field
    document_digest = models.BinaryField(_("document digest"))
    reserved_region_start = models.PositiveBigIntegerField()
    reserved_region_end = models.PositiveBigIntegerField()
    # PostSignInstructions (DSS, document timestamp): none for B-B/B-T; kept for B-LT/B-LTA later
    post_sign_instructions = models.JSONField(null=True, blank=True)
    certificate = models.BinaryField(_("signer's certificate (DER)"))
    chain = models.JSONField(_("CA certificates (base64 DER)"), default=list, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("pending signature")
        verbose_name_plural = _("pending signatures")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "expires_at"])]

    def __str__(self):
        return f"{self.field_name} ({self.get_state_display()})"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def to_be_signed(self) -> bytes:
        """The bytes the client signs: the DER of the CMS signed attributes."""
        return bytes(self.signed_attributes)

    @property
    def to_be_signed_sha256(self) -> str:
        """SHA-256 of `to_be_signed`, hex: what hash-only signing services take."""
        return hashlib.sha256(bytes(self.signed_attributes)).hexdigest()


class TrustedRoot(models.Model):
    """A root certificate the operator trusts: Vietnam's roots (Ban Cơ yếu Chính phủ for the government domain, the
    National Root CA for public CAs), or the test PKI's root. The two trust domains are kept apart by `domain`."""

    class Domain(models.TextChoices):
        GOVERNMENT = "government", _("government (Government Cipher Committee)")
        PUBLIC = "public", _("public (National Root CA)")
        TEST = "test", _("test")

    name = models.CharField(_("name"), max_length=200)
    domain = models.CharField(_("trust domain"), max_length=12, choices=Domain.choices)
    certificate_pem = models.TextField(_("certificate (PEM)"))
    fingerprint_sha256 = models.CharField(_("SHA-256 fingerprint"), max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("in use"), default=True)
    added_at = models.DateTimeField(_("added at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("trusted root certificate")
        verbose_name_plural = _("trusted root certificates")
        ordering = ["domain", "name"]

    def __str__(self):
        return f"{self.name} ({self.get_domain_display()})"


class SigningCredential(models.Model):
    """Which certificate, and where its key lives, belongs to which person or agency. Only references to the key
    are kept (a file path, a token and key label, a remote signing service's credential): never a private key,
    a passphrase or a PIN."""

    class Kind(models.TextChoices):
        PKCS12 = "pkcs12", _("PKCS#12 file")
        PKCS11 = "pkcs11", _("USB token (PKCS#11)")
        DEFERRED = "deferred", _("signing plugin or mobile signature (deferred)")
        CSC = "csc", _("remote signing service (CSC)")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signing_credentials",
    )
    agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signing_credentials",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    label = models.CharField(_("label"), max_length=200)
    certificate_pem = models.TextField(_("certificate (PEM)"))
    subject_cn = models.CharField(_("certificate holder"), max_length=300, editable=False, blank=True)
    serial_number = models.CharField(_("serial number"), max_length=100, editable=False, blank=True)
    valid_from = models.DateTimeField(_("valid from"), null=True, editable=False)
    valid_to = models.DateTimeField(_("valid to"), null=True, editable=False)
    file_path = models.CharField(_("PKCS#12 file path"), max_length=500, blank=True)
    token_label = models.CharField(_("token label"), max_length=200, blank=True)
    key_label = models.CharField(_("key label"), max_length=200, blank=True)
    csc_service_url = models.URLField(_("CSC service URL"), max_length=500, blank=True)
    csc_credential_id = models.CharField(_("CSC credential ID"), max_length=200, blank=True)
    # The person's handwritten signature, or the agency's seal: a transparent PNG shown in the signature's place
    image = models.ForeignKey(
        "core.StoredFile",
        verbose_name=_("signature image or seal (PNG)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    is_active = models.BooleanField(_("in use"), default=True)
    added_at = models.DateTimeField(_("added at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("signing certificate")
        verbose_name_plural = _("signing certificates")
        ordering = ["label"]

    def __str__(self):
        return self.label


class VerificationReport(models.Model):
    """The result of checking every signature of a stored PDF, in Vietnamese, kept with the file. A file checked
    again (a new trust store, a later arrival) gets a new report; the latest one is shown."""

    stored_file = models.ForeignKey(
        "core.StoredFile", verbose_name=_("file"), on_delete=models.CASCADE, related_name="verification_reports"
    )
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)
    verdict = models.CharField(_("verdict"), max_length=20)
    summary = models.TextField(_("summary"))
    # per signature: field, signer, time, intact, trusted, modification level, revocation, verdict, summary
    details = models.JSONField(_("details"), default=list, blank=True)

    class Meta:
        verbose_name = _("signature verification report")
        verbose_name_plural = _("signature verification reports")
        ordering = ["-checked_at", "-pk"]
        indexes = [models.Index(fields=["stored_file", "-checked_at"])]

    def __str__(self):
        return f"{self.stored_file_id}: {self.verdict} ({self.checked_at:%Y-%m-%d %H:%M})"
