"""Production: HTTPS behind a reverse proxy, PostgreSQL, a secret key from the environment (required)."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY, env, env_bool

if not SECRET_KEY:
    raise ImproperlyConfigured("VANPHONG_SECRET_KEY must be set in production.")

DEBUG = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(env("HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Preloading is a decision for the domain's owner (it binds every subdomain for years), not for the application.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
