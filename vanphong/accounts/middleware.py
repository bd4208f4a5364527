from django.shortcuts import redirect
from django.urls import reverse

from . import services

# Pages a person who must enrol can still open.
ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/")


class TwoFactorEnforcementMiddleware:
    """Holders of a role for which two-step sign-in is mandatory can open nothing until they have enrolled."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
            and not services.has_two_factor(user)
            and services.requires_two_factor(user)
        ):
            return redirect(reverse("accounts:enrol_two_factor"))
        return self.get_response(request)
