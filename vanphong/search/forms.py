from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vanphong.core.document_types import DocumentType

from .backends import Query
from .models import Kind


class SearchForm(forms.Form):
    q = forms.CharField(
        label=pgettext_lazy("search box", "Search"),
        required=False,
        max_length=300,
        help_text=_("With or without accents. Put a phrase in “quotes” to find its words side by side."),
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All documents")), *Kind.choices])
    document_type = forms.ChoiceField(
        label=_("Document type"), required=False, choices=[("", _("All types")), *DocumentType.choices]
    )
    date_from = forms.DateField(label=_("Dated from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Dated to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    issuer = forms.CharField(label=_("Issuing agency"), required=False, max_length=250)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    ADVANCED = ("kind", "document_type", "date_from", "date_to", "issuer")

    def query(self) -> Query:
        data = self.cleaned_data
        return Query(
            text=data.get("q") or "",
            kind=data.get("kind") or "",
            document_type=data.get("document_type") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            issuer=data.get("issuer") or "",
        )

    @property
    def advanced_used(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.ADVANCED)


class SaveSearchForm(forms.Form):
    name = forms.CharField(label=_("Name of the search"), max_length=150)
