"""Background work of notifications: the e-mail copy."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from vanphong.core.tasks import task

from .models import Notification

DEFAULT_SITE_URL = "http://127.0.0.1:8000"


def absolute_link(notification: Notification) -> str:
    """The notification's link on the platform's public address (setting VANPHONG_SITE_URL); the list of
    notifications when it has none."""
    site = getattr(settings, "VANPHONG_SITE_URL", DEFAULT_SITE_URL).rstrip("/")
    return site + (notification.url or reverse("notifications:list"))


@task
def send_email(*, notification_id: int) -> None:
    """E-mail a notification to its recipient through Django's mail API (EMAIL_BACKEND is the mail port) and note
    when. Done once: a notification already e-mailed is not sent again when the task is repeated."""
    notification = (
        Notification.objects.select_related("recipient")
        .filter(pk=notification_id, emailed_at__isnull=True)
        .exclude(recipient__email="")
        .first()
    )
    if notification is None:
        return
    # Out of any request: written in the platform's language, not in that of whoever caused the notification.
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(
            "notifications/email.txt", {"notification": notification, "link": absolute_link(notification)}
        )
    subject = " ".join(notification.title.split())  # a header is one line
    EmailMessage(subject=subject, body=text, to=[notification.recipient.email]).send()
    notification.emailed_at = timezone.now()
    notification.save(update_fields=["emailed_at"])
