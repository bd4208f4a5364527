"""Every page is behind the login; sessions end after an idle time; the security headers are set."""

import datetime
import re

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/accounts/security/", "/admin/", "/admin/audit/auditentry/"])
def test_pages_send_an_anonymous_visitor_to_the_login(client, path):
    page = client.get(path, follow=True)
    assert page.redirect_chain, "the page itself is not shown"
    assert page.request["PATH_INFO"] == "/accounts/login/"


def test_an_idle_session_expires(client, sign_in, clerk):
    sign_in(clerk)
    assert client.get("/").status_code == 200
    # 16 idle minutes later (the default idle limit is 15)
    session = Session.objects.get(session_key=client.session.session_key)
    session.expire_date = timezone.now() - datetime.timedelta(minutes=1)
    session.save()
    assert client.get("/").url.startswith("/accounts/login/")


def test_each_request_pushes_the_idle_expiry_forward(client, sign_in, clerk, settings):
    sign_in(clerk)
    client.get("/")
    expiry = Session.objects.get(session_key=client.session.session_key).expire_date
    assert expiry - timezone.now() > datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


def test_the_content_security_policy_allows_no_third_party_origin(client):
    page = client.get("/accounts/login/")
    policy = page.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert not re.search(r"https?:|\*|'unsafe-inline'|'unsafe-eval'", policy)
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_load_every_asset_from_our_own_origin(client, sign_in, clerk):
    sign_in(clerk)
    html = client.get("/").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(source.endswith("bootstrap.min.css") for source in sources)
    assert not [source for source in sources if source.startswith(("http:", "https:", "//"))]


def test_sign_out_ends_the_session_and_is_audited(client, sign_in, clerk):
    from vanphong.audit.models import AuditEntry

    sign_in(clerk)
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302
    assert AuditEntry.objects.filter(action="accounts.logout", actor=clerk).exists()


def test_the_admin_login_page_goes_through_our_login(client):
    page = client.get("/admin/login/?next=/admin/")
    assert page.url == "/accounts/login/?next=%2Fadmin%2F"


def test_the_session_cookie_is_http_only_and_secure_in_production():
    from vanphong.settings import base

    assert base.SESSION_COOKIE_HTTPONLY
    assert base.SESSION_COOKIE_SECURE, "secure by default; only the demo on plain http turns it off"
