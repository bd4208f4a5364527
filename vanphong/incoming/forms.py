import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanphong.core.document_types import DocumentType, Secrecy, Urgency
from vanphong.organizations.models import Agency, Unit

from .models import REGISTRATION_FIELDS, IncomingDocument, ReceivedVia
from .selectors import ListFilters
from .states import HandlingState


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class RegistrationForm(forms.ModelForm):
    """Phiếu vào sổ văn bản đến. Files are taken separately so that nothing typed is lost when a file is refused."""

    issuer = forms.ModelChoiceField(
        queryset=Agency.objects.all(),
        required=False,
        label=_("Issuing agency (from the directory)"),
    )
    issuer_name = forms.CharField(
        required=False, max_length=250, label=_("or the issuer's name, if not in the directory")
    )
    files = MultipleFileField(label=_("Files (PDF, Word, images)"))
    confirm_duplicate = forms.BooleanField(
        required=False, label=_("Register it anyway: it is not the same document"), widget=forms.HiddenInput
    )

    class Meta:
        model = IncomingDocument
        fields = REGISTRATION_FIELDS
        widgets = {
            "arrived_at": DATETIME_WIDGET,
            "document_date": DATE_WIDGET,
            "reply_deadline": DATE_WIDGET,
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, agency, registers, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.fields["register"] = forms.ModelChoiceField(
            queryset=registers,
            required=False,
            label=_("Register"),
            empty_label=_("— not yet: wait for registration —"),
        )
        self.fields["register"].initial = registers.filter(for_secret_documents=False).first()
        self.fields["arrived_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["arrived_at"].input_formats = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]
        for name in ("document_date", "reply_deadline"):
            self.fields[name].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]
        self.fields["issuer"].queryset = Agency.objects.exclude(pk=agency.pk).order_by("name")
        self.fields["document_type"].initial = DocumentType.CONG_VAN
        self.fields["received_via"].initial = ReceivedVia.PAPER
        self.order_fields(["register", *self.Meta.fields, "files"])

    def clean(self):
        data = super().clean()
        if not data.get("issuer") and not (data.get("issuer_name") or "").strip():
            self.add_error("issuer_name", _("Choose the issuing agency or type its name."))
        if data.get("secrecy", Secrecy.NONE) != Secrecy.NONE and data.get("files"):
            self.add_error("files", _("A document with a secrecy mark is registered without any electronic file."))
        arrived = data.get("arrived_at")
        if arrived and arrived > timezone.now() + datetime.timedelta(minutes=5):
            self.add_error("arrived_at", _("The arrival time cannot be in the future."))
        document_date = data.get("document_date")
        if document_date and arrived and document_date > timezone.localtime(arrived).date():
            self.add_error("document_date", _("The document cannot be dated after it arrived."))
        return data


class PresentForm(forms.Form):
    to = forms.ModelChoiceField(queryset=None, label=_("Present to"))
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("Clerk's note"))

    def __init__(self, *args, leaders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = leaders


class AssignForm(forms.Form):
    """Ý kiến chỉ đạo và phân công. Units and people of the agency are offered together."""

    instruction = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Instruction"))
    lead = forms.ChoiceField(label=_("Lead (chủ trì)"))
    coordinating = forms.MultipleChoiceField(
        required=False, label=_("Co-ordinating (phối hợp)"), widget=forms.SelectMultiple(attrs={"size": 5})
    )
    for_information = forms.MultipleChoiceField(
        required=False, label=_("For information (để biết)"), widget=forms.SelectMultiple(attrs={"size": 5})
    )
    deadline = forms.DateField(
        required=False, widget=DATE_WIDGET, label=_("Deadline"), input_formats=["%Y-%m-%d", "%d/%m/%Y"]
    )

    def __init__(self, *args, units, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = {f"unit:{u.pk}": u for u in units} | {f"person:{p.pk}": p for p in people}
        choices = [
            (_("Units"), [(f"unit:{u.pk}", u.name) for u in units]),
            (_("People"), [(f"person:{p.pk}", str(p)) for p in people]),
        ]
        for name in ("lead", "coordinating", "for_information"):
            self.fields[name].choices = choices

    def clean(self):
        data = super().clean()
        resolve = self.targets.get
        data["lead_target"] = resolve(data.get("lead", ""))
        data["coordinating_targets"] = [resolve(key) for key in data.get("coordinating", [])]
        data["information_targets"] = [resolve(key) for key in data.get("for_information", [])]
        chosen = [data.get("lead"), *data.get("coordinating", []), *data.get("for_information", [])]
        if len(set(chosen)) != len(chosen):
            self.add_error("coordinating", _("Each unit or person appears once only."))
        return data


class ForwardForm(forms.Form):
    to = forms.ModelChoiceField(queryset=None, label=_("Pass to"))
    for_information = forms.ModelMultipleChoiceField(queryset=None, required=False, label=_("Also for information"))
    deadline = forms.DateField(
        required=False, widget=DATE_WIDGET, label=_("Deadline"), input_formats=["%Y-%m-%d", "%d/%m/%Y"]
    )
    instruction = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("Instruction"))

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = members
        self.fields["for_information"].queryset = members


class NoteForm(forms.Form):
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("Note"))
    files = MultipleFileField(label=_("Files"))


class ResultForm(forms.Form):
    result = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Result"))
    files = MultipleFileField(label=_("Files"))


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Reason"))


class ExtensionForm(forms.Form):
    new_deadline = forms.DateField(widget=DATE_WIDGET, label=_("New deadline"), input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Reason"))


class UrgeForm(forms.Form):
    message = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("Message"))


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return unit.name  # the agency is the person's own: no need to read it for every option


class FilterForm(forms.Form):
    date_from = forms.DateField(
        required=False, widget=DATE_WIDGET, label=_("Arrived from"), input_formats=["%Y-%m-%d", "%d/%m/%Y"]
    )
    date_to = forms.DateField(required=False, widget=DATE_WIDGET, label=_("to"), input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    document_type = forms.ChoiceField(
        required=False, label=_("Type"), choices=[("", _("All types")), *DocumentType.choices]
    )
    issuer = forms.CharField(required=False, label=_("Issuer"))
    urgency = forms.TypedChoiceField(
        required=False,
        label=_("Urgency"),
        coerce=int,
        empty_value=None,
        choices=[("", _("Any urgency")), *Urgency.choices],
    )
    state = forms.ChoiceField(
        required=False, label=_("Status"), choices=[("", _("Any status")), *HandlingState.choices]
    )
    unit = UnitChoiceField(queryset=Unit.objects.none(), required=False, label=_("Unit"))
    sort = forms.ChoiceField(
        required=False,
        label=_("Sort by"),
        choices=[
            ("arrived", _("Newest first")),
            ("deadline", _("Deadline")),
            ("number", _("Incoming number")),
            ("urgency", _("Most urgent first")),
        ],
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    @property
    def is_filtering(self) -> bool:
        """True when the rows are narrowed, so the tab's counter is not the number of rows."""
        return self.is_valid() and any(
            value not in (None, "") for name, value in self.cleaned_data.items() if name != "sort"
        )

    def filters(self) -> ListFilters:
        if not self.is_valid():
            return ListFilters()
        data = self.cleaned_data
        return ListFilters(
            date_from=data["date_from"],
            date_to=data["date_to"],
            document_type=data["document_type"],
            issuer=data["issuer"].strip(),
            urgency=data["urgency"],
            state=data["state"],
            unit_id=data["unit"].pk if data["unit"] else None,
            sort=data["sort"] or "arrived",
        )
