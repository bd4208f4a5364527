from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from vanphong.accounts.views import admin_login_redirect

admin.site.site_header = "vanphong"
admin.site.site_title = "vanphong"

urlpatterns = [
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("accounts/", include("vanphong.accounts.urls")),
    path("notifications/", include("vanphong.notifications.urls")),
    path("incoming/", include("vanphong.incoming.urls")),
    path("outgoing/", include("vanphong.outgoing.urls")),
    path("exchange/", include("vanphong.exchange.urls")),
    path("records/", include("vanphong.files.urls")),
    path("search/", include("vanphong.search.urls")),
    # The admin site signs in through our login, so lockout and two-step sign-in cannot be bypassed there.
    path("admin/login/", admin_login_redirect),
    path("admin/", admin.site.urls),
    path("favicon.ico", login_not_required(RedirectView.as_view(url=settings.STATIC_URL + "core/favicon.svg"))),
    path("", include("vanphong.core.urls")),
]
