"""The test suite. The database comes from VANPHONG_DATABASE_URL (SQLite file by default; the Makefile runs the
suite a second time on PostgreSQL). Argon2 stays, with a cheap cost so that factories stay fast."""

import secrets
from pathlib import Path

from .base import *  # noqa: F403
from .base import MIDDLEWARE

SECRET_KEY = secrets.token_urlsafe(50)
# The live server of the browser tests must not keep connections open, or the test database cannot be dropped.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file rather than shared memory, so that threads of the concurrency tests really wait for each other.
    DATABASES["default"]["TEST"] = {"NAME": f"{DATABASES['default']['NAME']}.test"}  # noqa: F405
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)  # noqa: F405
# Static files come from the apps through staticfiles here; WhiteNoise serves collected files in production.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
PASSWORD_HASHERS = ["vanphong.accounts.hashers.FastArgon2PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The test PKI's certificates point at an unresolvable host; tests that check revocation run their own loopback
# responders (signing.pki_services) and ask verify_pdf to fetch from them.
VANPHONG_FETCH_REVOCATION = False
