from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from vanphong.organizations.importing import import_people

from . import selectors, services
from .models import LoginLockout, TwoFactorRequirement, User


class PersonCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("username", "full_name", "email", "phone")


class PersonChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class PeopleImportForm(forms.Form):
    file = forms.FileField(label=_("File (.xlsx or .csv)"))


@admin.register(User)
class PersonAdmin(DjangoUserAdmin):
    form = PersonChangeForm
    add_form = PersonCreationForm
    list_display = ("username", "full_name", "email", "is_active", "is_staff", "has_two_factor")
    list_filter = ("is_active", "is_staff", "is_superuser")
    search_fields = ("username", "full_name", "email", "phone")
    ordering = ("full_name",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal information"), {"fields": ("full_name", "email", "phone")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "full_name", "email", "phone", "password1", "password2")}),
    )
    readonly_fields = ("last_login", "date_joined")
    actions = ["reset_two_factor"]
    change_list_template = "accounts/admin/person_changelist.html"

    @admin.display(boolean=True, description=_("two-step sign-in"))
    def has_two_factor(self, obj):
        return services.has_two_factor(obj)

    def has_delete_permission(self, request, obj=None):
        return False  # people leave by being deactivated; the audit log keeps pointing at them

    def get_queryset(self, request):
        return selectors.people_administered_by(request.user)

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return self.readonly_fields
        # An agency administrator manages people, not platform rights: those come with positions.
        return (*self.readonly_fields, "is_staff", "is_superuser", "groups", "user_permissions")

    def user_change_password(self, request, id, form_url=""):
        if not self.get_queryset(request).filter(pk=id).exists():
            raise Http404
        return super().user_change_password(request, id, form_url)

    @admin.action(description=_("Reset two-step sign-in (lost phone)"))
    def reset_two_factor(self, request, queryset):
        for person in queryset:
            services.reset_two_factor(user=person, by=request.user)
        self.message_user(request, _("Two-step sign-in was reset for %(n)s people.") % {"n": queryset.count()})

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="accounts_user_import"),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise Http404
        report = None
        form = PeopleImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            report = import_people(filename=upload.name, content=upload.read(), by=request.user)
            if report.ok:
                messages.success(request, _("%(n)s people were imported.") % {"n": report.created})
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "report": report,
            "opts": self.model._meta,
            "title": _("Import people"),
        }
        return render(request, "accounts/admin/import_people.html", context)


@admin.register(LoginLockout)
class LoginLockoutAdmin(admin.ModelAdmin):
    list_display = ("username", "ip_address", "failures", "last_failure_at", "locked_at")
    list_filter = (("locked_at", admin.EmptyFieldListFilter),)
    search_fields = ("username", "ip_address")
    actions = ["unlock"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # unlocking goes through the audited action

    def get_queryset(self, request):
        return selectors.lockouts_administered_by(request.user)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm("accounts.delete_loginlockout"):
            actions.pop("unlock", None)
        return actions

    @admin.action(description=_("Unlock the selected accounts"))
    def unlock(self, request, queryset):
        count = 0
        for lockout in queryset:
            services.unlock(lockout=lockout, by=request.user)
            count += 1
        self.message_user(request, _("%(n)s accounts were unlocked.") % {"n": count})


@admin.register(TwoFactorRequirement)
class TwoFactorRequirementAdmin(admin.ModelAdmin):
    list_display = ("role",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.record_policy_change(role=obj.role, required=True, by=request.user)

    def delete_model(self, request, obj):
        services.record_policy_change(role=obj.role, required=False, by=request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
