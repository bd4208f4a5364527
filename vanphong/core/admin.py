from django.contrib import admin

from vanphong.audit.services import record


class ReadOnlyAdmin(admin.ModelAdmin):
    """Browse and filter only: for records written by services (the audit log) or imported (national lists)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedAdmin(admin.ModelAdmin):
    """Every add and change is recorded in the audit log as "<app>.<model>.added|changed", with the fields in
    `audit_fields` before and after. Nothing is deleted: records are taken out of use, so old ones keep their
    meaning."""

    audit_fields: list[str] = []

    def _state(self, obj):
        return {name: str(getattr(obj, name)) for name in self.audit_fields}

    def save_model(self, request, obj, form, change):
        before = self._state(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        record(
            f"{obj._meta.app_label}.{obj._meta.model_name}.{'changed' if change else 'added'}",
            obj=obj,
            actor=request.user,
            before=before,
            after=self._state(obj),
        )

    def has_delete_permission(self, request, obj=None):
        return False
