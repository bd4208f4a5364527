from django.utils.functional import SimpleLazyObject

from .selectors import unread_count


def unread(request):
    """`unread_notifications`: the number on the bell. Counted only for a signed-in person, and only when a
    template shows it (one COUNT query at most per page)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
