"""Incoming documents (văn bản đến): registers, the documents, their routing (assignments), notes, extension
requests and the timeline. Tables only; the rules are in states.py and services.py."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vanphong.core.document_types import DocumentType, Secrecy, Urgency

from .states import AssignmentState, HandlingState

OPEN_STATES = sorted(AssignmentState.OPEN)  # a fixed order, so that the index's condition never changes


class IncomingRegister(models.Model):
    """Sổ văn bản đến. Numbers run per register and calendar year; an agency may keep several registers,
    e.g. one for documents with a secrecy mark."""

    agency = models.ForeignKey(
        "organizations.Agency", on_delete=models.PROTECT, related_name="incoming_registers", verbose_name=_("agency")
    )
    name = models.CharField(_("name"), max_length=150)
    for_secret_documents = models.BooleanField(_("for documents with a secrecy mark"), default=False)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("incoming register")
        verbose_name_plural = _("incoming registers")
        ordering = ["agency__name", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="incoming_register_name_unique")]

    def __str__(self):
        return self.name


class RegisterCounter(models.Model):
    """The last incoming number given in a register for a year. Locked while a number is taken."""

    register = models.ForeignKey(IncomingRegister, on_delete=models.CASCADE, related_name="counters")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["register", "year"], name="register_counter_per_year")]

    def __str__(self):
        return f"{self.register} {self.year}: {self.last_number}"


class ReceivedVia(models.TextChoices):
    PAPER = "paper", _("Paper")
    ELECTRONIC = "electronic", _("Electronic (interconnection)")
    EMAIL = "email", _("E-mail")
    FAX = "fax", _("Fax")


class IncomingDocument(models.Model):
    agency = models.ForeignKey(
        "organizations.Agency", on_delete=models.PROTECT, related_name="incoming_documents", verbose_name=_("agency")
    )
    state = models.CharField(_("status"), max_length=20, choices=HandlingState.choices, default=HandlingState.RECEIVED)
    register = models.ForeignKey(
        IncomingRegister,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("register"),
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    incoming_number = models.PositiveIntegerField(_("incoming number"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrival date and time"))
    received_via = models.CharField(_("received as"), max_length=20, choices=ReceivedVia.choices)
    issuer = models.ForeignKey(
        "organizations.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issuing agency"),
    )
    # The issuer's name as registered: the only record for senders outside the directory, and kept as it was even
    # when the directory entry is renamed later.
    issuer_name = models.CharField(_("issuing agency"), max_length=250)
    number = models.CharField(pgettext_lazy("document", "number"), max_length=11, blank=True)
    notation = models.CharField(_("notation"), max_length=30, blank=True)
    document_date = models.DateField(_("document date"))
    document_type = models.CharField(_("document type"), max_length=5, choices=DocumentType.choices)
    summary = models.CharField(_("summary (trích yếu)"), max_length=500)
    signer = models.CharField(_("signer"), max_length=150, blank=True)
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Urgency.choices, default=Urgency.NORMAL)
    secrecy = models.PositiveSmallIntegerField(_("secrecy"), choices=Secrecy.choices, default=Secrecy.NONE)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    reply_deadline = models.DateField(_("reply deadline"), null=True, blank=True)
    deadline = models.DateField(_("handling deadline"), null=True, blank=True)
    instruction = models.TextField(_("instruction"), blank=True)
    presented_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("presented to"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # The sender recalled or replaced it (thu hồi, thay thế): it stays on record, marked, and is handled no further.
    withdrawn_at = models.DateTimeField(_("withdrawn by the sender at"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("sender's reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )  # nobody when the platform delivered it
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("incoming document")
        verbose_name_plural = _("incoming documents")
        ordering = ["-arrived_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["register", "year", "incoming_number"],
                condition=Q(incoming_number__isnull=False),
                name="incoming_number_unique_in_register_year",
            )
        ]
        indexes = [
            models.Index(fields=["agency", "state", "-arrived_at"], name="incoming_agency_state"),
            models.Index(fields=["agency", "-registered_at"], name="incoming_agency_registered"),
            models.Index(fields=["agency", "number", "document_date"], name="incoming_duplicate_lookup"),
        ]

    def __str__(self):
        return f"{self.reference} – {self.summary[:80]}"

    @property
    def reference(self) -> str:
        """'12/QĐ-UBND' as printed on the document."""
        return "/".join(part for part in (self.number, self.notation) if part) or "—"

    @property
    def is_secret(self) -> bool:
        return self.secrecy != Secrecy.NONE


# What the clerk records when a document is taken in (NĐ 30, Phụ lục VI, incoming metadata).
REGISTRATION_FIELDS = (
    "arrived_at",
    "received_via",
    "issuer",
    "issuer_name",
    "number",
    "notation",
    "document_date",
    "document_type",
    "summary",
    "signer",
    "urgency",
    "secrecy",
    "page_count",
    "reply_deadline",
)


class Assignment(models.Model):
    """One piece of routed work: presented to a head for instructions, or assigned to a unit or a person as lead,
    co-ordinating or for information. A unit head passing work down creates children."""

    class Role(models.TextChoices):
        DECIDE = "decide", _("For instructions")  # trình: the head gives instructions and assigns
        LEAD = "lead", _("Lead (chủ trì)")
        COORDINATE = "coordinate", _("Co-ordinating (phối hợp)")
        INFORM = "inform", _("For information (để biết)")

    document = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE, related_name="assignments")
    agency = models.ForeignKey("organizations.Agency", on_delete=models.PROTECT, related_name="+")
    # A copy of the document's arrival: work lists sort on it through an index, without reading documents.
    document_arrived_at = models.DateTimeField()
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    assignee_unit = models.ForeignKey(
        "organizations.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    assignee_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    instruction = models.TextField(_("instruction"), blank=True)
    state = models.CharField(max_length=12, choices=AssignmentState.choices, default=AssignmentState.PENDING)
    result = models.TextField(_("result"), blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assigned_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(assignee_unit__isnull=True, assignee_person__isnull=False)
                | Q(assignee_unit__isnull=False, assignee_person__isnull=True),
                name="assignment_to_unit_or_person",
            )
        ]
        # The work lists' indexes. Open work (to handle, in progress, overdue, and the counters) has a partial index
        # of its own, small whatever the history; the history (handled) walks the person's rows newest first;
        # "for information" has its own partial index.
        indexes = [
            models.Index(
                fields=["assignee_person", "-document_arrived_at"],
                condition=Q(state__in=OPEN_STATES),
                name="assignment_person_open",
            ),
            models.Index(
                fields=["assignee_unit", "-document_arrived_at"],
                condition=Q(state__in=OPEN_STATES),
                name="assignment_unit_open",
            ),
            models.Index(fields=["assignee_person", "-document_arrived_at"], name="assignment_person_arrival"),
            models.Index(fields=["assignee_unit", "-document_arrived_at"], name="assignment_unit_arrival"),
            models.Index(
                fields=["assignee_person", "-document_arrived_at"],
                condition=Q(role="inform"),
                name="assignment_person_inform",
            ),
            models.Index(
                fields=["assignee_unit", "-document_arrived_at"],
                condition=Q(role="inform"),
                name="assignment_unit_inform",
            ),
            models.Index(fields=["assigned_by", "state"], name="assignment_assigner_state"),
        ]

    def __str__(self):
        return f"{self.get_role_display()}: {self.assignee_label}"

    @property
    def assignee_label(self) -> str:
        return str(self.assignee_unit or self.assignee_person)

    @property
    def is_open(self) -> bool:
        return self.state in AssignmentState.OPEN


class Attachment(models.Model):
    document = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE, related_name="attachments")
    stored_file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(_("file name"), max_length=255)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )  # nobody when the platform delivered it
    added_at = models.DateTimeField(auto_now_add=True)
    # Files added with a progress note or a result belong to that step of the work.
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, null=True, blank=True, related_name="files")

    class Meta:
        ordering = ["added_at", "pk"]

    def __str__(self):
        return self.filename

    @property
    def is_pdf(self) -> bool:
        return self.stored_file.content_type == "application/pdf"


class ExtensionRequest(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="extension_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_deadline = models.DateField(_("new deadline"))
    reason = models.TextField(_("reason"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.assignment} → {self.requested_deadline}"


class Event(models.Model):
    """The document's timeline (quá trình xử lý): who did what and when, as the people involved read it."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Received")
        REGISTERED = "registered", _("Registered")
        PRESENTED = "presented", _("Presented for instructions")
        ASSIGNED = "assigned", _("Assigned")
        FORWARDED = "forwarded", _("Passed on")
        STARTED = "started", _("Work started")
        NOTE = "note", _("Progress note")
        FILE = "file", _("File added")
        REPORTED = "reported", _("Co-ordinating part reported")
        COMPLETED = "completed", _("Completed")
        RETURNED = "returned", _("Returned")
        RECALLED = "recalled", _("Assignment recalled")
        EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
        EXTENSION_GRANTED = "extension_granted", _("Extension granted")
        EXTENSION_REFUSED = "extension_refused", _("Extension refused")
        URGED = "urged", _("Urged")
        REMINDED = "reminded", _("Deadline reminder")

    document = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE, related_name="events")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["document", "created_at"], name="incoming_event_document")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"


class ReminderSent(models.Model):
    """One reminder of one kind per assignment per day, however often the reminder job runs."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    kind = models.CharField(max_length=12)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assignment", "day", "kind"], name="one_reminder_a_day")]

    def __str__(self):
        return f"{self.assignment_id} {self.day} {self.kind}"
