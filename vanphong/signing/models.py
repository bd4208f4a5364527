"""State kept between the two halves of a deferred ("hash out, signature back") signature: the server prepares the
PDF and the data to be signed, a desktop plugin or a remote service (Mobile PKI, SmartCA-like) signs it, possibly
minutes later and in another process, and the server completes the PDF. Nothing is pickled: the fields are the
plain values pyHanko's interrupted signing needs to resume (signing-security.md §1.7)."""

import hashlib
import uuid

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
