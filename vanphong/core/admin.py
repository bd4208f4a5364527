from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Browse and filter only: for records written by services (the audit log) or imported (national lists)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
