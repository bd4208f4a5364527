"""The search page, saved searches and the export of results. Thin: the reads are in selectors.py."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import selectors
from .exports import write_xlsx
from .forms import SaveSearchForm, SearchForm
from .models import SavedSearch

QUERY_FIELDS = ("q", "kind", "document_type", "date_from", "date_to", "issuer")


def _params(data) -> dict:
    return {name: data.get(name) for name in QUERY_FIELDS if data.get(name)}


@require_GET
def index(request):
    form = SearchForm(request.GET or None)
    hits, page, has_next = [], 1, False
    if form.is_valid():
        page = form.cleaned_data.get("page") or 1
        found = selectors.matching(request.user, form.query())
        start = (page - 1) * selectors.PAGE_SIZE
        hits = found[start : start + selectors.PAGE_SIZE]
        has_next = len(found) > start + selectors.PAGE_SIZE
    params = _params(request.GET)
    return render(
        request,
        "search/index.html",
        {
            "form": form,
            "hits": hits,
            "searched": bool(params.get("q")),
            "page": page,
            "has_next": has_next,
            "params": urlencode(params),
            "save_form": SaveSearchForm(),
            "saved": selectors.saved_searches(request.user),
        },
    )


@require_GET
def export(request):
    form = SearchForm(request.GET)
    hits = selectors.matching(request.user, form.query()) if form.is_valid() else []
    response = HttpResponse(
        write_xlsx(hits=hits, query_text=request.GET.get("q", "")),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="tim-kiem.xlsx"'
    return response


@require_POST
def save(request):
    form = SaveSearchForm(request.POST)
    params = _params(request.POST)
    if form.is_valid() and params:
        SavedSearch.objects.create(owner=request.user, name=form.cleaned_data["name"], params=params)
        messages.success(request, _("The search was saved."))
    else:
        messages.error(request, _("Give the search a name and some words to look for."))
    return redirect(f"{_index_url()}?{urlencode(params)}")


@require_POST
def delete(request, pk):
    saved = get_object_or_404(SavedSearch, pk=pk, owner=request.user)
    saved.delete()
    messages.success(request, _("The saved search was deleted."))
    return redirect(_index_url())


def _index_url():
    from django.urls import reverse

    return reverse("search:index")
