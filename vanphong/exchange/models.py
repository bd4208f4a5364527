"""Tables of the interconnection (liên thông): the peers this platform exchanges packages with, which peer reaches
which agency, and every package that went out or came in (the outbox and the inbox in one table)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Peer(models.Model):
    """Another platform, a provincial hub, or the national axis."""

    class Kind(models.TextChoices):
        PLATFORM = "platform", _("vanphong platform or hub (HTTP, signed requests)")
        NATIONAL_AXIS = "vxp", _("National document exchange axis (VXP)")

    name = models.SlugField(
        _("name"), max_length=50, unique=True, help_text=_("How this platform and the peer name each other.")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PLATFORM)
    url = models.URLField(_("address"), help_text=_("e.g. https://vanphong.other-province.gov.vn"))
    # The secret shared with the peer for signed requests (HMAC-SHA256), set by an operator with
    # `vanphong exchange peer`; never in code or fixtures.
    secret = models.CharField(_("shared secret"), max_length=200)
    system_id = models.CharField(_("system code on the axis"), max_length=50, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("exchange peer")
        verbose_name_plural = _("exchange peers")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Route(models.Model):
    """Packages for `agency_code` go to `peer`. The route with an empty code is the default: where everything
    not hosted here and not routed otherwise goes (a platform's hub)."""

    agency_code = models.CharField(_("agency identifier code"), max_length=35, blank=True)
    peer = models.ForeignKey(Peer, on_delete=models.CASCADE, related_name="routes", verbose_name=_("peer"))

    class Meta:
        verbose_name = _("exchange route")
        verbose_name_plural = _("exchange routes")
        constraints = [models.UniqueConstraint(fields=["agency_code"], name="exchange_route_code_unique")]

    def __str__(self):
        return f"{self.agency_code or '*'} → {self.peer}"


class Message(models.Model):
    """One package for one recipient agency, going out (the outbox) or come in (the inbox). Its identity is
    (direction, message_id, to_code): a package received twice is taken in once."""

    class Direction(models.TextChoices):
        OUT = "out", pgettext_lazy("exchange message", "Sent")
        IN = "in", pgettext_lazy("exchange message", "Received")

    class Kind(models.TextChoices):
        EDOC = "edoc", pgettext_lazy("exchange message", "Document")
        STATUS = "status", pgettext_lazy("exchange message", "Status")

    class State(models.TextChoices):
        QUEUED = (
            "queued",
            pgettext_lazy("exchange message", "Waiting to be sent"),
        )  # out, not yet accepted by the next hop
        SENT = "sent", pgettext_lazy("exchange message", "Sent")  # out, the next hop (or this platform) has it
        FAILED = "failed", pgettext_lazy("exchange message", "Refused by the peer")  # out, refused for good
        ACCEPTED = (
            "accepted",
            pgettext_lazy("exchange message", "Taken in"),
        )  # in, delivered to an agency here or applied
        FORWARDED = "forwarded", pgettext_lazy("exchange message", "Passed on")  # in, routed onwards (hub)
        REJECTED = (
            "rejected",
            pgettext_lazy("exchange message", "Rejected"),
        )  # in, malformed, unsafe or addressed nowhere

    direction = models.CharField(max_length=3, choices=Direction.choices)
    kind = models.CharField(max_length=6, choices=Kind.choices)
    message_id = models.CharField(max_length=100)
    sender_code = models.CharField(max_length=35, blank=True)
    to_code = models.CharField(max_length=35, blank=True)
    document_id = models.CharField(max_length=200, blank=True)  # the edXML DocumentId concerned
    status_code = models.CharField(max_length=2, blank=True)
    state = models.CharField(max_length=10, choices=State.choices)
    reason = models.TextField(blank=True)  # why it was rejected, or the peer's last refusal
    payload = models.BinaryField()
    peer = models.ForeignKey(Peer, on_delete=models.PROTECT, null=True, blank=True, related_name="messages")
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    # what the package became here: the tracking line of an issued document (out), the arrival (in)
    recipient = models.ForeignKey(
        "outgoing.Recipient", on_delete=models.SET_NULL, null=True, blank=True, related_name="exchange_messages"
    )
    incoming_document = models.ForeignKey(
        "incoming.IncomingDocument", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signature = models.CharField(max_length=300, blank=True)  # what the package's XML signature check found

    class Meta:
        verbose_name = _("exchange message")
        verbose_name_plural = _("exchange messages")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["direction", "message_id", "to_code"], name="exchange_message_identity")
        ]
        indexes = [
            models.Index(fields=["direction", "state", "next_attempt_at"], name="exchange_outbox_due"),
            models.Index(fields=["document_id", "to_code"], name="exchange_document"),
        ]

    def __str__(self):
        return f"{self.direction} {self.kind} {self.message_id} → {self.to_code}"
