"""The forms of outgoing documents: the draft with its recipients, and one small form per action on the page."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from vanphong.core.document_types import DocumentType, Secrecy
from vanphong.incoming.forms import DATE_WIDGET, MultipleFileField
from vanphong.organizations.models import Agency, Position, Role, Unit

from .models import OutgoingDocument
from .services import DRAFT_FIELDS

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
DRAFT_EXTENSIONS = (".docx", ".odt", ".pdf")


class UnitChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, unit):
        return unit.name


class AgencyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, agency):
        where = _("on this platform") if agency.is_hosted else _("interconnection")
        return f"{agency.name} ({where})"


class PersonChoiceField(forms.ModelChoiceField):
    """People shown with their position in the agency: “Trần Văn Hùng – Giám đốc”."""

    def __init__(self, *args, titles=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.titles = titles or {}

    def label_from_instance(self, person):
        title = self.titles.get(person.pk)
        name = person.get_full_name() or person.username
        return f"{name} – {title}" if title else name


def agency_people(agency):
    """People with a current position in the agency, leaders first, each with the title of their position."""
    positions = (
        Position.objects.current()
        .filter(agency=agency, person__is_active=True)
        .select_related("person", "unit")
        .order_by("person__full_name")
    )
    order = {Role.HEAD: 0, Role.DEPUTY_HEAD: 1, Role.UNIT_HEAD: 2, Role.UNIT_DEPUTY: 3}
    titles, rank = {}, {}
    for position in positions:
        title = position.title or position.get_role_display()
        if position.unit_id:
            title = f"{title}, {position.unit.name}"
        if order.get(position.role, 9) < rank.get(position.person_id, 10):
            titles[position.person_id], rank[position.person_id] = title, order.get(position.role, 9)
    people = get_user_model().objects.filter(pk__in=titles).order_by("full_name")
    return sorted(people, key=lambda person: rank[person.pk]), titles, {pk for pk, r in rank.items() if r == 0}


class DraftForm(forms.ModelForm):
    """Dự thảo văn bản đi. The files are taken apart from the fields so that nothing typed is lost when a file is
    refused; the recipients are chosen from the directory, the agency's units and free lines."""

    main_file = forms.FileField(
        required=False,
        label=_("Draft (Word .docx or PDF)"),
        help_text=_("A Word draft is turned into PDF; the signature, number and date go where its markers are."),
    )
    attachments = MultipleFileField(label=_("Appendices (separate files)"))
    recipient_agencies = AgencyChoiceField(
        queryset=Agency.objects.none(),
        required=False,
        label=_("Recipient agencies"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    recipient_units = UnitChoiceField(
        queryset=Unit.objects.none(),
        required=False,
        label=_("Units of this agency"),
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )

    class Meta:
        model = OutgoingDocument
        # what the drafter types; in_reply_to and replaces come from the page that opened the form
        fields = [name for name in DRAFT_FIELDS if name not in ("in_reply_to", "replaces")]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "reply_deadline": DATE_WIDGET,
            "other_recipients": forms.Textarea(attrs={"rows": 3, "placeholder": "Lưu: VT, NS."}),
        }

    def __init__(self, *args, agency, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency
        units = Unit.objects.filter(agency=agency, is_active=True).order_by("name")
        self.fields["drafting_unit"].queryset = units
        self.fields["drafting_unit"].label_from_instance = lambda unit: unit.name
        own_unit = person.positions.current().filter(agency=agency, unit__isnull=False).values("unit").first()
        if own_unit:
            self.fields["drafting_unit"].initial = own_unit["unit"]
        people, titles, heads = agency_people(agency)
        self.fields["signer"] = PersonChoiceField(
            queryset=get_user_model().objects.filter(pk__in=[p.pk for p in people]),
            titles=titles,
            label=_("Signer"),
        )
        self.fields["signer"].choices = [("", "---------")] + [
            (p.pk, self.fields["signer"].label_from_instance(p)) for p in people
        ]
        if heads:
            self.fields["signer"].initial = next(p.pk for p in people if p.pk in heads)
        self.fields["recipient_agencies"].queryset = Agency.objects.exclude(pk=agency.pk).order_by("-is_hosted", "name")
        self.fields["recipient_units"].queryset = units
        self.fields["reply_deadline"].input_formats = DATE_FORMATS
        self.fields["document_type"].initial = DocumentType.CONG_VAN
        self.fields["other_recipients"].label = _("Other recipients (Nơi nhận), one per line")
        self.fields["other_recipients"].help_text = _("Each line is a recipient on paper, e.g. “Lưu: VT, NS.”.")

    def clean_main_file(self):
        upload = self.cleaned_data.get("main_file")
        if upload and not upload.name.lower().endswith(DRAFT_EXTENSIONS):
            raise forms.ValidationError(_("Upload the draft as a Word (.docx) or PDF file."))
        return upload

    def clean(self):
        data = super().clean()
        secret = data.get("secrecy", Secrecy.NONE) not in (None, Secrecy.NONE)
        if secret and (data.get("main_file") or data.get("attachments")):
            self.add_error(
                "main_file", _("A document with a secrecy mark is drafted on paper: no electronic file is kept.")
            )
        elif not secret and not data.get("main_file") and "main_file" not in self.errors:
            self.add_error("main_file", _("Upload the draft (Word or PDF)."))
        if not (data.get("recipient_agencies") or data.get("recipient_units") or self.paper_lines()):
            self.add_error("recipient_agencies", _("Choose at least one recipient."))
        return data

    def paper_lines(self) -> list[str]:
        text = self.cleaned_data.get("other_recipients") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def recipients(self) -> list[dict]:
        data = self.cleaned_data
        return [
            *({"kind": "hosted", "agency": agency} for agency in data.get("recipient_agencies") or ()),
            *({"kind": "unit", "unit": unit} for unit in data.get("recipient_units") or ()),
            *({"kind": "paper", "name": line} for line in self.paper_lines()),
        ]


class SubmitForm(forms.Form):
    consult_units = UnitChoiceField(
        queryset=Unit.objects.none(),
        required=False,
        label=_("Units to consult (optional)"),
        widget=forms.SelectMultiple(attrs={"size": 3}),
    )
    consult_deadline = forms.DateField(
        required=False, widget=DATE_WIDGET, label=_("Deadline for their opinions"), input_formats=DATE_FORMATS
    )

    def __init__(self, *args, document, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consult_units"].queryset = Unit.objects.filter(agency=document.agency, is_active=True).exclude(
            pk=document.drafting_unit_id
        )

    def clean(self):
        data = super().clean()
        if data.get("consult_units") and not data.get("consult_deadline"):
            self.add_error("consult_deadline", _("Give the deadline for the consulted units' opinions."))
        return data


class VersionForm(forms.Form):
    upload = forms.FileField(label=_("New version (Word .docx or PDF)"))
    note = forms.CharField(required=False, max_length=1000, label=_("What changed"), widget=forms.TextInput())

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        if not upload.name.lower().endswith(DRAFT_EXTENSIONS):
            raise forms.ValidationError(_("Upload the draft as a Word (.docx) or PDF file."))
        return upload


class CommentForm(forms.Form):
    comment = forms.CharField(
        required=False, max_length=4000, label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        max_length=4000,
        label=_("What should be changed"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write what should be changed.")},
    )


class SecretForm(forms.Form):
    """The password or PIN of a signing certificate: handed to the service, never kept, logged or shown again."""

    secret = forms.CharField(
        label=_("Password / PIN of the signing certificate"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}, render_value=False),
        error_messages={"required": _("Type the password or PIN of the certificate.")},
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=4000,
        label=_("Reason for the recall"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give the reason.")},
    )
