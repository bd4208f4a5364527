"""Reads of a person's notifications."""

from .models import Notification


def unread_count(user) -> int:
    """How many of the person's notifications are unread: the number on the bell (one COUNT on the index)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def recent(user, limit: int = 20) -> list[Notification]:
    """The person's newest notifications, read or not, newest first."""
    return list(Notification.objects.filter(recipient=user).order_by("-created_at", "-id")[:limit])
