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


class Digitisation(models.Model):
    """Reading one stored file: its text for search and, for a scan, a searchable copy made by OCR (PDF/A where it
    can be; the original is kept as it was; a signed PDF is never OCR'd) and what its first page suggests for
    registration.
    Done in the background (intake.tasks.digitise); its progress is core.progress under `progress_key`."""

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("in progress")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    stored_file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="digitisations")
    filename = models.CharField(_("file name"), max_length=255)
    agency = models.ForeignKey(
        "organizations.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    ocr_file = models.ForeignKey(
        "core.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )  # the searchable copy (PDF/A where it can be made), when OCR was done
    ocr_done = models.BooleanField(default=False)
    text = models.TextField(blank=True)  # every page, pages separated by form feeds
    suggestion = models.JSONField(default=dict, blank=True)  # issuer, issuer_pk, number_notation, date, type, summary
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["stored_file", "-created_at"], name="digitisation_file")]

    def __str__(self):
        return f"{self.filename} ({self.state})"

    @property
    def progress_key(self) -> str:
        return f"intake.digitise:{self.pk}"
