import time

from django.shortcuts import redirect
from django.urls import reverse

from . import services

# Pages a person who must enrol can still open.
ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/")


# Set once the session's person is known to meet the two-step rule, so that later pages cost no query. A role
# made mandatory later applies from the person's next sign-in.
CHECKED = "vanphong_two_factor_checked"


class TwoFactorEnforcementMiddleware:
    """Holders of a role for which two-step sign-in is mandatory can open nothing until they have enrolled."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not request.session.get(CHECKED) and not request.path.startswith(ALLOWED_PREFIXES):
            if services.requires_two_factor(user) and not services.has_two_factor(user):
                return redirect(reverse("accounts:enrol_two_factor"))
            request.session[CHECKED] = True
        return self.get_response(request)


class IdleExpiryMiddleware:
    """Sessions end after an idle time (SESSION_COOKIE_AGE). Rather than saving the session on every request, it is
    saved when a new minute starts: the expiry moves forward with the person's activity, at the cost of a minute's
    precision, and most pages write nothing."""

    KEY = "vanphong_active_minute"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        minute = int(time.time() // 60)
        if request.user.is_authenticated and request.session.get(self.KEY) != minute:
            request.session[self.KEY] = minute
        return self.get_response(request)
