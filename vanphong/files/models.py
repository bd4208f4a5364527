"""Work files (hồ sơ công việc), the yearly file plan (danh mục hồ sơ), hand-overs to the agency archive, the
archive's access log and destruction records. Tables only; the rules live in services.py and states.py.

Metadata field names follow Decree 30/2020 Appendix VI (hồ sơ: FileCode, Title, Maintenance, Rights, Creator,
Language, StartDate, EndDate, DocTotal, PageTotal, Description) and TT 02/2019 (document level)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .states import FileState

DEFAULT_LANGUAGE = "Tiếng Việt"


def retention_text(permanent: bool, years: int | None) -> str:
    """Thời hạn bảo quản as the legal templates write it, whatever the reader's language."""
    if permanent:
        return "Vĩnh viễn"
    return f"{years} năm" if years else ""


class FilePlan(models.Model):
    """Danh mục hồ sơ of one agency for one year, approved by the head at the beginning of the year."""

    agency = models.ForeignKey("organizations.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    approved = models.BooleanField(_("approved"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("file plan")
        verbose_name_plural = _("file plans")
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="files_plan_one_per_year")]

    def __str__(self):
        return f"Danh mục hồ sơ {self.year}"


class PlanHeading(models.Model):
    """A main heading (đề mục lớn) in Roman numerals, with the abbreviation used in file notations (TCCB)."""

    plan = models.ForeignKey(FilePlan, on_delete=models.CASCADE, related_name="headings")
    numeral = models.CharField(_("numeral"), max_length=10)
    title = models.CharField(_("title"), max_length=300)
    abbreviation = models.CharField(_("abbreviation"), max_length=20, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return f"{self.numeral}. {self.title}"


class PlannedFile(models.Model):
    """A file the plan foresees: 01.TCCB – title – retention – who makes it."""

    plan = models.ForeignKey(FilePlan, on_delete=models.CASCADE, related_name="planned_files")
    heading = models.ForeignKey(PlanHeading, on_delete=models.CASCADE, null=True, blank=True, related_name="files")
    notation = models.CharField(_("file number and notation"), max_length=20)
    title = models.CharField(_("title"), max_length=500)
    permanent = models.BooleanField(_("kept permanently"), default=False)
    retention_years = models.PositiveSmallIntegerField(_("retention (years)"), null=True, blank=True)
    responsible = models.CharField(_("unit or person making the file"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return f"{self.notation} {self.title}"

    @property
    def retention(self) -> str:
        return retention_text(self.permanent, self.retention_years)


class Handover(models.Model):
    """One submission (nộp lưu) of closed files to the agency archive."""

    agency = models.ForeignKey("organizations.Agency", on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self):
        return f"Nộp lưu {self.pk}"


class WorkFile(models.Model):
    """A hồ sơ: the documents created or received while handling one matter, kept together."""

    agency = models.ForeignKey("organizations.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))  # FileCatalog
    notation = models.CharField(_("file number and notation"), max_length=20)  # FileNotation
    file_code = models.CharField(_("file code"), max_length=80, editable=False)  # FileCode
    title = models.CharField(_("title"), max_length=500)
    permanent = models.BooleanField(_("kept permanently"), default=False)
    retention_years = models.PositiveSmallIntegerField(_("retention (years)"), null=True, blank=True)
    rights = models.CharField(_("use regime"), max_length=30, blank=True)
    creator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    creator_name = models.CharField(_("file maker"), max_length=150, blank=True)
    unit = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    language = models.CharField(_("language"), max_length=50, default=DEFAULT_LANGUAGE, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=500, blank=True)
    doc_total = models.PositiveIntegerField(_("number of documents"), default=0)
    page_total = models.PositiveIntegerField(_("number of pages"), default=0)
    state = models.CharField(_("status"), max_length=12, choices=FileState.choices, default=FileState.OPEN)
    planned_file = models.ForeignKey(
        PlannedFile, on_delete=models.SET_NULL, null=True, blank=True, related_name="work_files"
    )
    handover = models.ForeignKey(Handover, on_delete=models.PROTECT, null=True, blank=True, related_name="files")
    returned_reason = models.TextField(_("reason for the return"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    index_file = models.ForeignKey(
        "core.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )  # mục lục văn bản trong hồ sơ, made when the file is closed
    reminded_on = models.DateField(null=True, blank=True)
    # giữ lại: the unit keeps the file past its hand-over due date, with an approved reason, for at most two years
    held_until = models.DateField(_("kept by the unit until"), null=True, blank=True)
    held_reason = models.TextField(_("reason for keeping the file"), blank=True)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    held_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("work file")
        verbose_name_plural = _("work files")
        ordering = ["-year", "notation"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "notation"], name="files_workfile_notation_unique"),
        ]

    def __str__(self):
        return f"{self.file_code} {self.title}"

    @property
    def retention(self) -> str:
        return retention_text(self.permanent, self.retention_years)


class ItemKind(models.TextChoices):
    INCOMING = "incoming", _("Incoming document")
    OUTGOING = "outgoing", _("Outgoing document")
    UPLOAD = "upload", _("Internal document")


class FileItem(models.Model):
    """A document in a file (DocOrdinal). Its metadata is copied when it is added, so that the file keeps it once
    archived; one document may be in several files."""

    work_file = models.ForeignKey(WorkFile, on_delete=models.CASCADE, related_name="items")
    ordinal = models.PositiveIntegerField(_("ordinal"))
    kind = models.CharField(max_length=10, choices=ItemKind.choices)
    incoming = models.ForeignKey(
        "incoming.IncomingDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outgoing = models.ForeignKey(
        "outgoing.OutgoingDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    type_name = models.CharField(_("document type"), max_length=100, blank=True)  # TypeName
    code_number = models.CharField(pgettext_lazy("document", "number"), max_length=11, blank=True)  # CodeNumber
    code_notation = models.CharField(_("notation"), max_length=30, blank=True)  # CodeNotation
    issued_date = models.DateField(_("document date"), null=True, blank=True)  # IssuedDate
    organ_name = models.CharField(_("issuing agency"), max_length=200, blank=True)  # OrganName
    subject = models.CharField(_("summary (trích yếu)"), max_length=500)  # Subject
    language = models.CharField(_("language"), max_length=30, default=DEFAULT_LANGUAGE, blank=True)
    page_amount = models.PositiveIntegerField(_("pages"), null=True, blank=True)  # PageAmount
    description = models.CharField(_("description"), max_length=500, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["ordinal"]
        constraints = [
            models.UniqueConstraint(fields=["work_file", "ordinal"], name="files_item_ordinal_unique"),
            models.UniqueConstraint(
                fields=["work_file", "incoming"], condition=Q(incoming__isnull=False), name="files_item_incoming_once"
            ),
            models.UniqueConstraint(
                fields=["work_file", "outgoing"], condition=Q(outgoing__isnull=False), name="files_item_outgoing_once"
            ),
        ]

    def __str__(self):
        return f"{self.ordinal}. {self.subject}"

    @property
    def reference(self) -> str:
        return "/".join(part for part in (self.code_number, self.code_notation) if part)


class ItemFile(models.Model):
    """One electronic file of a document in a work file. `fixity_sha256` is recorded when the archive accepts it."""

    item = models.ForeignKey(FileItem, on_delete=models.CASCADE, related_name="files")
    stored_file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(_("file name"), max_length=255)
    fixity_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.filename


class AccessLog(models.Model):
    """Sổ sử dụng: who used which archived file, when, and why."""

    class Action(models.TextChoices):
        OPENED = "opened", _("Opened from the look-up")
        READ = "read", _("File read")
        EXPORTED = "exported", _("Package exported")

    work_file = models.ForeignKey(WorkFile, on_delete=models.PROTECT, related_name="access_log")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices)
    purpose = models.CharField(_("purpose"), max_length=300)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.work_file_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


class DestructionProposal(models.Model):
    """Files whose retention has expired, proposed for destruction; nothing is destroyed until the head approves."""

    agency = models.ForeignKey("organizations.Agency", on_delete=models.PROTECT, related_name="+")
    files = models.ManyToManyField(WorkFile, related_name="destruction_proposals")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Đề nghị hủy {self.pk}"


class DestructionRecord(models.Model):
    """What was destroyed, when, who approved it, and the checksums of the destroyed files."""

    proposal = models.ForeignKey(DestructionProposal, on_delete=models.PROTECT, related_name="records")
    work_file = models.ForeignKey(WorkFile, on_delete=models.PROTECT, related_name="+")
    file_code = models.CharField(max_length=80)
    title = models.CharField(max_length=500)
    documents = models.JSONField(default=list)  # [{ordinal, subject, files: [{filename, sha256}]}]
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    destroyed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Hủy {self.file_code}"
