"""Every write to notifications: sending one to a person (shown under the bell, and e-mailed), and marking them read.

Not audited: a notification is a pointer to something that happened, and the action that caused it (an assignment,
a returned draft) is what the audit log records. Reading one's own notifications changes no business object."""

from django.db import transaction
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from vanphong.core.tasks import enqueue

from .errors import NotificationNotFound
from .models import Notification
from .tasks import send_email


@transaction.atomic
def notify(*, recipient, title: str, body: str = "", url: str = "", kind: str = "", email: bool = True) -> Notification:
    """Tell `recipient` that something happened. `url` is a path inside the platform ("/incoming/12/"), where the
    person is taken when they open the notification. With `email`, and when the person has an e-mail address, the
    notification is also e-mailed, in the background, once the current transaction commits."""
    if url and not url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        raise ValueError(f"A notification links inside the platform, with a path such as /incoming/12/, not {url!r}.")
    notification = Notification.objects.create(recipient=recipient, title=title, body=body, url=url, kind=kind)
    if email and recipient.email:
        enqueue(send_email, notification_id=notification.pk)
    return notification


@transaction.atomic
def mark_read(*, notification: Notification, by) -> Notification:
    """The person opened their notification. Only its recipient may; anyone else is told it does not exist.
    Opening it again keeps the time it was first read."""
    if by is None or notification.recipient_id != by.pk:
        raise NotificationNotFound(_("This notification does not exist."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def mark_all_read(*, by) -> int:
    """Mark every unread notification of `by` read; returns how many were unread."""
    return Notification.objects.filter(recipient=by, read_at__isnull=True).update(read_at=timezone.now())
