from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from vanphong.core.admin import ReadOnlyAdmin

from .actions import describe
from .models import AuditEntry


class ActionFilter(admin.SimpleListFilter):
    title = _("action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        actions = AuditEntry.objects.order_by().values_list("action", flat=True).distinct()
        return sorted(((action, describe(action)) for action in actions), key=lambda pair: pair[1])

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Browse and filter the log; nobody can add, change or delete through the admin."""

    list_display = ("sequence", "occurred_at", "actor_label", "ip_address", "action_label", "object_label")
    list_filter = (ActionFilter, "object_type", ("occurred_at", admin.DateFieldListFilter))
    search_fields = ("actor_label", "object_label", "object_id", "ip_address", "action")
    date_hierarchy = "occurred_at"
    list_per_page = 50
    show_full_result_count = False

    @admin.display(description=_("action"), ordering="action")
    def action_label(self, entry):
        return describe(entry.action)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]
