from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class StoredFile(models.Model):
    """One file's content, kept once however many documents carry it (content-addressed by its SHA-256). The bytes
    live in the default storage under `blob_name` and are never overwritten; the name a person gave the file
    belongs to whatever carries it (an attachment), not here. Written only by vanphong.core.files.store()."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True, editable=False)
    size = models.PositiveBigIntegerField(_("size (bytes)"), editable=False)
    content_type = models.CharField(_("content type"), max_length=100, editable=False)
    created_at = models.DateTimeField(_("stored at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")
        constraints = [
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="core_storedfile_sha256_hex"),
        ]

    def __str__(self):
        return f"{self.sha256[:12]}… ({self.content_type}, {self.size} B)"

    @property
    def blob_name(self) -> str:
        """blobs/<first 2 hex>/<next 2 hex>/<sha256>: a name in the default storage."""
        return f"blobs/{self.sha256[:2]}/{self.sha256[2:4]}/{self.sha256}"


class TaskProgress(models.Model):
    """How far a piece of long background work has got (OCR of a scan, a virus scan, an exchange), so that a page can
    show it by polling instead of waiting for the work. One row per piece of work, found by its `key` (chosen by the
    app, e.g. "intake.ocr:42"). Written only by vanphong.core.progress; apps read it through progress.read()."""

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("in progress")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    key = models.CharField(_("key"), max_length=200, unique=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(_("steps done"), default=0)
    total = models.PositiveIntegerField(_("steps in all"), null=True, blank=True)  # unknown until the work starts
    message = models.CharField(_("message"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)  # set by hand where progress uses update()

    class Meta:
        verbose_name = _("task progress")
        verbose_name_plural = _("task progress")

    def __str__(self):
        return f"{self.key}: {self.state} {self.done}/{self.total if self.total is not None else '?'}"

    @property
    def finished(self) -> bool:
        return self.state in {self.State.DONE, self.State.FAILED}

    @property
    def percent(self) -> int | None:
        """Whole percent done, None while the number of steps is unknown."""
        if self.state == self.State.DONE:
            return 100
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)
