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
