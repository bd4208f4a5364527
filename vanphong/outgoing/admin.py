"""Administration of what an agency decides for its outgoing documents: its registers (number series) and its
review routes. Agency administrators see and change only their own agencies'; each save is audited."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from vanphong.audit.services import record
from vanphong.core.document_types import DocumentType
from vanphong.organizations.admin import ScopedAdmin

from .models import OutgoingRegister, ReviewRoute, ReviewStep

STEP_KINDS = {ReviewStep.Kind.UNIT_HEAD, ReviewStep.Kind.OFFICE_CHIEF, ReviewStep.Kind.CONSULT}


class TypesField(forms.MultipleChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=DocumentType.choices, required=False, widget=forms.CheckboxSelectMultiple, **kwargs)


class OutgoingRegisterForm(forms.ModelForm):
    document_types = TypesField(
        label=_("document types"), help_text=_("Empty: every type not given to another register.")
    )

    class Meta:
        model = OutgoingRegister
        fields = ["agency", "name", "document_types", "for_secret_documents", "is_active"]


class ReviewRouteForm(forms.ModelForm):
    document_types = TypesField(label=_("document types"), help_text=_("Empty: every type."))

    class Meta:
        model = ReviewRoute
        fields = ["agency", "name", "document_types", "steps"]
        help_texts = {
            "steps": _(
                'In order, before the signer: "unit_head", "consult", or {"kind": "office_chief", "unit": <unit id>}. '
                'Example: ["unit_head", "consult", {"kind": "office_chief", "unit": 12}]'
            )
        }

    def clean_steps(self):
        steps = self.cleaned_data["steps"]
        if not isinstance(steps, list):
            raise forms.ValidationError(_("The steps are a list."))
        for item in steps:
            kind = item if isinstance(item, str) else item.get("kind") if isinstance(item, dict) else None
            if kind not in STEP_KINDS:
                raise forms.ValidationError(_("Unknown step: %(step)s") % {"step": item})
            if kind == ReviewStep.Kind.OFFICE_CHIEF and not (isinstance(item, dict) and item.get("unit")):
                raise forms.ValidationError(_("The office chief's step names the office unit's id."))
        return steps


class AuditedScopedAdmin(ScopedAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record(
            f"outgoing.{type(obj)._meta.model_name}.{'changed' if change else 'added'}",
            obj=obj,
            actor=request.user,
            after={name: str(form.cleaned_data.get(name)) for name in form.changed_data},
        )


@admin.register(OutgoingRegister)
class OutgoingRegisterAdmin(AuditedScopedAdmin):
    form = OutgoingRegisterForm
    list_display = ["name", "agency", "for_secret_documents", "is_active"]
    list_filter = ["for_secret_documents", "is_active"]
    search_fields = ["name", "agency__name"]


@admin.register(ReviewRoute)
class ReviewRouteAdmin(AuditedScopedAdmin):
    form = ReviewRouteForm
    list_display = ["name", "agency"]
    search_fields = ["name", "agency__name"]
