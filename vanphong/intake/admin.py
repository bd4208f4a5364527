from django.contrib import admin

from vanphong.core.admin import ReadOnlyAdmin

from .models import QuarantinedFile


@admin.register(QuarantinedFile)
class QuarantinedFileAdmin(ReadOnlyAdmin):
    """What the scanner caught, for the administrators; read-only, and the bytes are never offered for download."""

    list_display = ("found_at", "filename", "threat", "part", "source", "found_by", "ip_address", "size")
    list_filter = ("source", ("found_at", admin.DateFieldListFilter))
    search_fields = ("filename", "threat", "sha256", "detail")
    date_hierarchy = "found_at"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]
