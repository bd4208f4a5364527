"""Tables of file intake (quarantine, scan and OCR state). The rules are in the modules beside this one."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class QuarantinedFile(models.Model):
    """A file the virus scanner found infected. Its bytes are kept outside the file storage, in the quarantine
    directory (VANPHONG_QUARANTINE_DIR, mode 0600), under `sha256`, so that no view can ever serve them; only an
    administrator with access to the server can take them out for analysis. Written only by
    vanphong.intake.checks.quarantine()."""

    class Source(models.TextChoices):
        UPLOAD = "upload", _("upload")
        EXCHANGE = "exchange", _("exchange with another agency")
        EMAIL = "email", _("e-mail")
        ISSUE = "issue", _("before issuing")
        RESCAN = "rescan", _("rescan")

    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    filename = models.CharField(_("file name"), max_length=255, editable=False)
    size = models.PositiveBigIntegerField(_("size (bytes)"), editable=False)
    threat = models.CharField(_("threat"), max_length=255, editable=False)
    part = models.CharField(_("infected part"), max_length=500, blank=True, editable=False)
    source = models.CharField(_("came from"), max_length=20, choices=Source.choices, editable=False)
    detail = models.CharField(_("details"), max_length=500, blank=True, editable=False)
    found_at = models.DateTimeField(_("found at"), auto_now_add=True)
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
        editable=False,
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("quarantined file")
        verbose_name_plural = _("quarantined files")
        ordering = ["-found_at"]
        constraints = [
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="intake_quarantine_sha256_hex"),
        ]

    def __str__(self):
        return f"{self.filename} ({self.threat})"
