"""Outgoing documents (văn bản đi): registers and their yearly counters, the documents, their versions and
attachments, review routes and steps, and the recipients with what each has done. Tables only; the rules are in
states.py and services.py."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vanphong.core.document_types import DocumentType, Secrecy, Urgency

from .states import DocumentState, RecipientState, StepState


class OutgoingRegister(models.Model):
    """Sổ văn bản đi: one number series per register and calendar year (restarting at 1 on 1 January). The head
    of the agency decides the series (standards.md §1.2): one register for every type, or one per group of types
    (`document_types`), and always a separate one for documents with a secrecy mark."""

    agency = models.ForeignKey(
        "organizations.Agency", on_delete=models.PROTECT, related_name="outgoing_registers", verbose_name=_("agency")
    )
    name = models.CharField(_("name"), max_length=150)
    document_types = models.JSONField(
        _("document types"), default=list, blank=True, help_text=_("Empty: every type not given to another register.")
    )
    for_secret_documents = models.BooleanField(_("for documents with a secrecy mark"), default=False)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("outgoing register")
        verbose_name_plural = _("outgoing registers")
        ordering = ["agency__name", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="outgoing_register_name_unique")]

    def __str__(self):
        return self.name


class OutgoingCounter(models.Model):
    """The last number given in a register for a year. Locked while a number is taken (core.sequences)."""

    register = models.ForeignKey(OutgoingRegister, on_delete=models.CASCADE, related_name="counters")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["register", "year"], name="outgoing_counter_per_year")]

    def __str__(self):
        return f"{self.register} {self.year}: {self.last_number}"


class SigningAuthority(models.TextChoices):
    """Thẩm quyền ký: printed above the signer's title."""

    OWN = "", _("The head signs in person")
    TM = "TM.", "TM. (thay mặt)"
    KT = "KT.", "KT. (ký thay)"
    TL = "TL.", "TL. (thừa lệnh)"
    TUQ = "TUQ.", "TUQ. (thừa ủy quyền)"
    Q = "Q.", "Q. (quyền)"


class OutgoingDocument(models.Model):
    agency = models.ForeignKey(
        "organizations.Agency", on_delete=models.PROTECT, related_name="outgoing_documents", verbose_name=_("agency")
    )
    state = models.CharField(_("status"), max_length=20, choices=DocumentState.choices, default=DocumentState.DRAFT)
    document_type = models.CharField(_("document type"), max_length=5, choices=DocumentType.choices)
    summary = models.CharField(_("summary (trích yếu)"), max_length=500)
    drafting_unit = models.ForeignKey(
        "organizations.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("drafting unit")
    )
    drafter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("drafter")
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("signer")
    )
    authority = models.CharField(
        _("signing authority"), max_length=5, choices=SigningAuthority.choices, blank=True, default=""
    )
    signer_title = models.CharField(_("signer's title"), max_length=150, blank=True)
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Urgency.choices, default=Urgency.NORMAL)
    secrecy = models.PositiveSmallIntegerField(_("secrecy"), choices=Secrecy.choices, default=Secrecy.NONE)
    paper_only = models.BooleanField(
        _("signed on paper only"), default=False, help_text=_("Not signed electronically: it follows the paper path.")
    )
    reply_deadline = models.DateField(
        _("reply deadline"), null=True, blank=True, help_text=_("Recipients must report back by this date.")
    )
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    copies = models.PositiveIntegerField(_("number of copies"), default=1)
    other_recipients = models.TextField(
        _("other recipients (Nơi nhận)"), blank=True, help_text=_("One per line, as printed under “Nơi nhận”.")
    )
    in_reply_to = models.ForeignKey(
        "incoming.IncomingDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("in reply to"),
    )
    replaces = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("replaces")
    )
    # Numbering (cấp số) by the clerk
    register = models.ForeignKey(
        OutgoingRegister, on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    number = models.PositiveIntegerField(pgettext_lazy("document", "number"), null=True, blank=True)
    notation = models.CharField(_("notation"), max_length=30, blank=True)
    issued_on = models.DateField(_("document date"), null=True, blank=True)
    numbered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    # The signed PDF as it goes out: the signer's signature, the number and date, the agency's signature
    issued_file = models.ForeignKey(
        "core.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recall_reason = models.TextField(_("reason for the recall"), blank=True)
    reminded_on = models.DateField(null=True, blank=True)  # the last day late reports were urged (once a day)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("outgoing document")
        verbose_name_plural = _("outgoing documents")
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["register", "year", "number"],
                condition=Q(number__isnull=False),
                name="outgoing_number_unique_in_register_year",
            )
        ]
        indexes = [models.Index(fields=["agency", "state", "-updated_at"], name="outgoing_agency_state")]

    def __str__(self):
        return f"{self.reference} – {self.summary[:80]}"

    @property
    def number_text(self) -> str:
        """The number as printed: two digits at least (05, 12, 130)."""
        return f"{self.number:02d}" if self.number is not None else ""

    @property
    def reference(self) -> str:
        """'12/QĐ-UBND' once numbered; a draft has none."""
        return f"{self.number_text}/{self.notation}" if self.number is not None else str(_("(not numbered)"))

    @property
    def is_secret(self) -> bool:
        return self.secrecy != Secrecy.NONE

    @property
    def signed_electronically(self) -> bool:
        return not (self.paper_only or self.is_secret)


class Version(models.Model):
    """One upload of the main file (dự thảo lần n). Older versions stay readable. A DOCX keeps its PDF rendering,
    and where the template's markers were found (signature, number, date)."""

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    source_file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+")
    source_name = models.CharField(_("file name"), max_length=255)
    pdf_file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+")
    places = models.JSONField(default=dict, blank=True)
    # the notation the drafter printed after the number place ("STC-VP" in "Số: [[SO]]/STC-VP"): the number is
    # registered with it, so that the register and the document say the same
    printed_notation = models.CharField(_("notation"), max_length=30, blank=True)
    note = models.TextField(_("note"), blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="outgoing_version_unique")]

    def __str__(self):
        return f"{self.document_id} v{self.number}"


class Attachment(models.Model):
    """An appendix in a file of its own (phụ lục): signed by the agency at issuance, at the top right of page 1."""

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="attachments")
    stored_file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(_("file name"), max_length=255)
    issued_file = models.ForeignKey(
        "core.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "pk"]

    def __str__(self):
        return self.filename


class ReviewRoute(models.Model):
    """Trình duyệt: who reviews a draft before the signer, per agency and document types. `steps` lists kinds in
    order: "unit_head" (the drafting unit's head), "office_chief" (the head of the agency's office unit),
    "consult" (the units chosen on the draft, in parallel, with a deadline). The signer always comes last."""

    agency = models.ForeignKey("organizations.Agency", on_delete=models.CASCADE, related_name="review_routes")
    name = models.CharField(_("name"), max_length=150)
    document_types = models.JSONField(_("document types"), default=list, blank=True)
    steps = models.JSONField(_("steps"), default=list)

    class Meta:
        verbose_name = _("review route")
        verbose_name_plural = _("review routes")
        ordering = ["agency__name", "name"]

    def __str__(self):
        return self.name


class ReviewStep(models.Model):
    class Kind(models.TextChoices):
        UNIT_HEAD = "unit_head", _("Head of the drafting unit")
        OFFICE_CHIEF = "office_chief", _("Chief of the office")
        CONSULT = "consult", _("Consulted unit")
        SIGNER = "signer", _("Signer")

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="steps")
    round = models.PositiveIntegerField(default=1)  # each submission opens a new round of steps
    order = models.PositiveIntegerField()  # steps of the same order run in parallel
    kind = models.CharField(max_length=15, choices=Kind.choices)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    state = models.CharField(max_length=10, choices=StepState.choices, default=StepState.WAITING)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    version = models.ForeignKey(Version, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["document", "round", "order", "pk"]
        indexes = [models.Index(fields=["reviewer", "state"], name="outgoing_step_reviewer")]

    def __str__(self):
        return f"{self.document_id} r{self.round} #{self.order} {self.kind}"


class Recipient(models.Model):
    """Nơi nhận, and what each has done with the document (tracking)."""

    class Kind(models.TextChoices):
        HOSTED = "hosted", _("Agency on this platform")
        EXTERNAL = "external", _("Agency elsewhere (interconnection)")
        UNIT = "unit", _("Unit of this agency")
        PAPER = "paper", _("On paper")

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="recipients")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    agency = models.ForeignKey(
        "organizations.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    name = models.CharField(_("recipient"), max_length=250)
    state = models.CharField(_("status"), max_length=15, choices=RecipientState.choices, default=RecipientState.QUEUED)
    state_changed_at = models.DateTimeField(null=True, blank=True)
    incoming_document = models.OneToOneField(
        "incoming.IncomingDocument", on_delete=models.SET_NULL, null=True, blank=True, related_name="sent_as"
    )
    reply = models.ForeignKey(
        "incoming.IncomingDocument", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["document", "pk"]
        indexes = [models.Index(fields=["state"], name="outgoing_recipient_state")]

    def __str__(self):
        return self.name
