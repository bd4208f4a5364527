"""Administration screens for the directory. An agency administrator sees and edits only the agencies where they
hold the administrator position; writes go through services so each is audited. Nothing is deleted here:
agencies, units and positions end by their dates, so old records keep pointing at them."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from vanphong.accounts.selectors import people_administered_by
from vanphong.core.admin import ReadOnlyAdmin

from . import services
from .models import AdministrativeUnit, Agency, Delegation, Position, Unit
from .selectors import administered_agencies


class ScopedAdmin(admin.ModelAdmin):
    agency_path = "agency"  # how to reach the agency from the object

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.agency_path}__in": administered_agencies(request.user)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """Every choice of an agency, unit or position is narrowed to what the person administers, whatever id is
        posted."""
        if not request.user.is_superuser:
            agencies = administered_agencies(request.user)
            if db_field.related_model is Agency:
                kwargs["queryset"] = agencies
            elif db_field.related_model is Unit:
                kwargs["queryset"] = Unit.objects.filter(agency__in=agencies)
            elif db_field.related_model is Position:
                kwargs["queryset"] = Position.objects.filter(agency__in=agencies)
            elif db_field.related_model is get_user_model():
                kwargs["queryset"] = people_administered_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Agency)
class AgencyAdmin(ScopedAdmin):
    agency_path = "pk"
    list_display = ("name", "code", "short_name", "place_name", "is_hosted", "valid_to", "successor")
    list_filter = ("is_hosted", ("valid_to", admin.EmptyFieldListFilter))
    search_fields = ("name", "code", "short_name")
    autocomplete_fields = ("parent", "successor", "administrative_unit")
    fieldsets = (
        (None, {"fields": ("code", "name", "short_name", "place_name", "parent", "is_hosted", "administrative_unit")}),
        (_("Validity and succession"), {"fields": ("valid_from", "valid_to", "successor")}),
        (_("Contact"), {"fields": ("email", "phone", "address")}),
    )

    def has_add_permission(self, request):
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return ()
        # The directory's structure (hierarchy, succession, hosting) is the platform administrator's.
        return ("code", "parent", "is_hosted", "administrative_unit", "valid_from", "valid_to", "successor")

    def save_model(self, request, obj, form, change):
        services.save_directory_entry(instance=obj, by=request.user)


@admin.register(Unit)
class UnitAdmin(ScopedAdmin):
    list_display = ("name", "short_name", "agency", "parent", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "short_name", "agency__name")
    autocomplete_fields = ("agency", "parent")

    def save_model(self, request, obj, form, change):
        services.save_directory_entry(instance=obj, by=request.user, agency=obj.agency)


class PositionForm(forms.ModelForm):
    class Meta:
        model = Position
        fields = ("person", "agency", "unit", "role", "title", "valid_from", "valid_to")

    def clean(self):
        data = super().clean()
        unit, agency = data.get("unit"), data.get("agency")
        if unit and agency and unit.agency_id != agency.pk:
            self.add_error("unit", _("This unit belongs to another agency."))
        return data


@admin.register(Position)
class PositionAdmin(ScopedAdmin):
    form = PositionForm
    list_display = ("person", "role", "title", "agency", "unit", "valid_from", "valid_to")
    list_filter = ("role", ("valid_to", admin.EmptyFieldListFilter))
    search_fields = ("person__full_name", "person__username", "agency__name", "title")
    autocomplete_fields = ("person", "agency", "unit")

    def save_model(self, request, obj, form, change):
        if change:
            changes = {field: form.cleaned_data[field] for field in form.changed_data}
            fresh = Position.objects.get(pk=obj.pk)
            services.change_position(position=fresh, by=request.user, **changes)
        else:
            data = form.cleaned_data
            created = services.assign_position(
                person=data["person"],
                agency=data["agency"],
                unit=data.get("unit"),
                role=data["role"],
                title=data.get("title", ""),
                valid_from=data.get("valid_from"),
                by=request.user,
            )
            if data.get("valid_to"):
                services.end_position(position=created, on=data["valid_to"], by=request.user)
            obj.pk = created.pk


@admin.register(Delegation)
class DelegationAdmin(ScopedAdmin):
    agency_path = "position__agency"
    list_display = ("position", "delegate", "starts_on", "ends_on", "revoked_at")
    autocomplete_fields = ("position", "delegate")
    readonly_fields = ("revoked_at",)
    actions = ["revoke"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        created = services.delegate(
            position=obj.position,
            to=obj.delegate,
            starts_on=obj.starts_on,
            ends_on=obj.ends_on,
            reason=obj.reason,
            by=request.user,
        )
        obj.pk = created.pk

    @admin.action(description=_("Revoke the selected delegations"))
    def revoke(self, request, queryset):
        for delegation in queryset.filter(revoked_at__isnull=True):
            services.revoke_delegation(delegation=delegation, by=request.user)


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "division_type", "level", "province")
    list_filter = ("level", "division_type")
    search_fields = ("code", "name")
