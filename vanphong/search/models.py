"""The search index (one row per searchable document) and the searches people keep. Tables only; what goes into a row
is decided in services.py, how it is matched in backends/."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    INCOMING = "incoming", _("Incoming documents")
    OUTGOING = "outgoing", _("Outgoing documents")


class SearchEntry(models.Model):
    """What a document is found by. `body` is the metadata and, for documents without a secrecy mark, the text read
    from its files; `folded` is the same without accents (see folding.py), which the SQLite engine indexes.
    PostgreSQL indexes `body` through vn_fold() instead (migration 0002) and leaves `folded` empty."""

    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    agency = models.ForeignKey("organizations.Agency", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=500)
    reference = models.CharField(max_length=60, blank=True)
    issuer = models.CharField(max_length=250, blank=True)
    issuer_folded = models.CharField(max_length=250, blank=True)
    document_date = models.DateField(null=True, blank=True)
    document_type = models.CharField(max_length=5, blank=True)
    state = models.CharField(max_length=20, blank=True)
    secrecy = models.PositiveSmallIntegerField(default=0)
    body = models.TextField(blank=True)
    folded = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique")]
        indexes = [
            models.Index(fields=["document_type", "document_date"], name="search_entry_type_date"),
            models.Index(fields=["document_date"], name="search_entry_date"),
            # what a person may see: an agency's incoming or outgoing documents, one index scan (search/selectors.py)
            models.Index(fields=["agency", "kind"], name="search_entry_agency_kind"),
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id}: {self.title[:60]}"


class SavedSearch(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=150)
    params = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name
