from django.shortcuts import render
from django.utils.translation import gettext as _

from .navigation import DASHBOARD_CARDS


def dashboard(request):
    cards = []
    for card in DASHBOARD_CARDS:
        context = card.context(request.user)
        if context is not None:
            cards.append({"title": card.title, "template": card.template, "context": context})
    return render(request, "core/dashboard.html", {"cards": cards})


def csrf_failure(request, reason=""):
    message = _("Your form expired or was sent from another page. Go back, reload the page and send it again.")
    return render(request, "core/error.html", {"message": message}, status=403)
