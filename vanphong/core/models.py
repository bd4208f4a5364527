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
