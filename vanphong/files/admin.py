"""The platform operator's screens of work files and the archive, read only: every change to a file, a hand-over,
an access or a destruction goes through services.py, which checks who acts, fires the state machine and writes the
audit log; a save here would do none of that. The one exception is a planned file of a plan not yet approved,
whose wording an operator may correct (audited); an approved plan is read only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from vanphong.core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import (
    AccessLog,
    DestructionProposal,
    DestructionRecord,
    FileItem,
    FilePlan,
    Handover,
    PlanHeading,
    PlannedFile,
    WorkFile,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HeadingInline(ReadOnlyInline):
    model = PlanHeading
    fields = ["numeral", "title", "abbreviation"]


class PlannedFileInline(ReadOnlyInline):
    model = PlannedFile
    fields = ["heading", "notation", "title", "permanent", "retention_years", "responsible", "note"]


@admin.register(FilePlan)
class FilePlanAdmin(ReadOnlyAdmin):
    list_display = ["agency", "year", "approved", "created_by", "created_at"]
    list_filter = ["approved", "year"]
    search_fields = ["agency__name", "agency__code"]
    list_select_related = ["agency", "created_by"]
    inlines = [HeadingInline, PlannedFileInline]


@admin.register(PlannedFile)
class PlannedFileAdmin(AuditedAdmin):
    """Corrections of wording while the plan is not approved; numbering and retention come with the import."""

    audit_fields = ["notation", "title", "responsible", "note"]
    list_display = ["notation", "title", "retention", "plan"]
    list_filter = ["plan__year", "plan__approved"]
    search_fields = ["notation", "title", "plan__agency__name"]
    list_select_related = ["plan__agency"]
    fields = ["plan", "heading", "notation", "title", "permanent", "retention_years", "responsible", "note"]
    readonly_fields = ["plan", "heading", "notation", "permanent", "retention_years"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.plan.approved:
            return False
        return super().has_change_permission(request, obj)


class ItemInline(ReadOnlyInline):
    model = FileItem
    fields = ["ordinal", "kind", "type_name", "code_number", "code_notation", "issued_date", "subject", "page_amount"]


@admin.register(WorkFile)
class WorkFileAdmin(ReadOnlyAdmin):
    list_display = ["file_code", "title", "state", "retention", "end_date", "held_until", "creator_name"]
    list_filter = ["state", "year", "permanent"]
    search_fields = ["file_code", "title", "notation", "agency__name"]
    list_select_related = ["agency"]
    inlines = [ItemInline]

    @admin.display(description=_("Retention"))
    def retention(self, obj):
        return obj.retention


@admin.register(Handover)
class HandoverAdmin(ReadOnlyAdmin):
    list_display = ["pk", "agency", "submitted_by", "submitted_at"]
    list_select_related = ["agency", "submitted_by"]
    search_fields = ["agency__name"]


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "work_file", "person", "action", "purpose"]
    list_filter = ["action"]
    search_fields = ["work_file__file_code", "person__username", "purpose"]
    list_select_related = ["work_file", "person"]


@admin.register(DestructionProposal)
class DestructionProposalAdmin(ReadOnlyAdmin):
    list_display = ["pk", "agency", "proposed_by", "proposed_at", "approved_by", "approved_at"]
    list_select_related = ["agency", "proposed_by", "approved_by"]


@admin.register(DestructionRecord)
class DestructionRecordAdmin(ReadOnlyAdmin):
    list_display = ["file_code", "title", "approved_by", "destroyed_at"]
    search_fields = ["file_code", "title"]
    list_select_related = ["approved_by"]
