from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Browse and filter the log; nobody can add, change or delete through the admin."""

    list_display = ("sequence", "occurred_at", "actor_label", "ip_address", "action", "object_type", "object_label")
    list_filter = ("action", "object_type", ("occurred_at", admin.DateFieldListFilter))
    search_fields = ("actor_label", "object_label", "object_id", "ip_address", "action")
    date_hierarchy = "occurred_at"
    list_per_page = 50
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
