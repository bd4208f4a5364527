"""The person's notifications: the list, opening one, marking all read. Rules live in services."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import selectors, services
from .errors import NotificationNotFound
from .models import Notification

LIST_LENGTH = 50


@require_GET
def notification_list(request):
    return render(
        request,
        "notifications/list.html",
        {
            "notifications": selectors.recent(request.user, limit=LIST_LENGTH),
            "has_unread": selectors.unread_count(request.user) > 0,
        },
    )


@require_POST
def open_notification(request, pk):
    """Mark the notification read and take the person to what it is about."""
    notification = Notification.objects.filter(pk=pk).first()
    if notification is None:
        raise Http404
    try:
        services.mark_read(notification=notification, by=request.user)
    except NotificationNotFound as error:
        raise Http404(str(error)) from error
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@require_POST
def read_all(request):
    if services.mark_all_read(by=request.user):
        messages.success(request, _("All your notifications are marked as read."))
    return redirect("notifications:list")
