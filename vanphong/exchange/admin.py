"""The platform operator's screens for the interconnection: peers and routes (the shared secret is set only with
`vanphong exchange peer`, never shown), and every package that went out or came in, to see what waits and why."""

from django.contrib import admin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanphong.core.admin import AuditedAdmin, ReadOnlyAdmin
from vanphong.core.tasks import enqueue

from .models import Message, Peer, Route
from .services import flush_outbox_task


@admin.register(Peer)
class PeerAdmin(AuditedAdmin):
    audit_fields = ["name", "kind", "url", "system_id", "is_active"]
    list_display = ["name", "kind", "url", "system_id", "is_active"]
    list_filter = ["kind", "is_active"]
    exclude = ["secret"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request):
        return False  # a peer comes with its secret, from the command line


@admin.register(Route)
class RouteAdmin(AuditedAdmin):
    audit_fields = ["agency_code", "peer"]
    list_display = ["agency_code", "peer"]
    search_fields = ["agency_code"]


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "direction",
        "kind",
        "status_code",
        "sender_code",
        "to_code",
        "state",
        "attempts",
        "reason",
    ]
    list_filter = ["direction", "kind", "state", "status_code", "peer"]
    search_fields = ["message_id", "document_id", "sender_code", "to_code"]
    exclude = ["payload"]
    actions = ["send_now"]

    @admin.action(description=_("Send the selected waiting packages now"))
    def send_now(self, request, queryset):
        queryset.filter(direction=Message.Direction.OUT, state=Message.State.QUEUED).update(
            next_attempt_at=timezone.now()
        )
        enqueue(flush_outbox_task)
