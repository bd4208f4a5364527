"""Thin views: a form in, a service call, a page out. A document the person may not see is a 404."""

from django.http import Http404
from django.shortcuts import render

from . import selectors


def work_list(request):
    tab = request.GET.get("tab") or selectors.default_tab(request.user)
    if tab not in selectors.TABS:
        raise Http404
    return render(
        request,
        "outgoing/work_list.html",
        {
            "tab": tab,
            "documents": selectors.work_list(request.user, tab)[:50],
            "counters": selectors.counters(request.user),
        },
    )


def detail(request, pk):
    document = selectors.visible(request.user, pk)
    if document is None:
        raise Http404
    return render(request, "outgoing/detail.html", {"document": document})
