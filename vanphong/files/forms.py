from django import forms
from django.utils.translation import gettext_lazy as _


class OpenFileForm(forms.Form):
    notation = forms.CharField(label=_("File number and notation"), max_length=20)
    title = forms.CharField(label=_("Title"), max_length=500)
    permanent = forms.BooleanField(label=_("Kept permanently"), required=False)
    retention_years = forms.IntegerField(label=_("Retention (years)"), required=False, min_value=1)


class MetadataForm(forms.Form):
    rights = forms.CharField(label=_("Use regime"), max_length=30, required=False)
    end_date = forms.DateField(label=_("End date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(label=_("Description"), max_length=500, required=False)


class AddDocumentForm(forms.Form):
    incoming = forms.IntegerField(label=_("Incoming document no. (internal id)"), required=False)
    outgoing = forms.IntegerField(label=_("Outgoing document no. (internal id)"), required=False)
    upload = forms.FileField(label=_("Or upload an internal document"), required=False)
    subject = forms.CharField(label=_("Summary of the uploaded document"), max_length=500, required=False)


class LookupForm(forms.Form):
    text = forms.CharField(
        label=_("Words in the file or its documents"),
        required=False,
        help_text=_("With or without accents: “quyet toan” finds “Quyết toán”."),
    )
    title = forms.CharField(label=_("Title contains"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False)
    notation = forms.CharField(label=_("File number and notation"), required=False)
    code = forms.CharField(label=_("File code"), required=False)


class PurposeForm(forms.Form):
    purpose = forms.CharField(label=_("Purpose of use"), max_length=300)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000)


class PlanUploadForm(forms.Form):
    workbook = forms.FileField(label=_("Excel workbook (.xlsx) laid out as the file plan"))


class PackageForm(forms.Form):
    purpose = forms.CharField(label=_("Purpose of the export"), max_length=300)


class PackageUploadForm(forms.Form):
    package = forms.FileField(label=_("Package (.zip, BagIt)"))


class HoldForm(forms.Form):
    until = forms.DateField(label=_("Kept until"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason (approved in writing)"), max_length=1000)
