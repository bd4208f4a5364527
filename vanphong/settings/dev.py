"""The demo and local development: plain HTTP on 127.0.0.1, a secret key kept in var/ (never committed)."""

import secrets

from .base import *  # noqa: F403
from .base import MIDDLEWARE, VAR_DIR, env

DEBUG = True
# Static files come from the apps through staticfiles here; WhiteNoise serves collected files in production.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False


def _local_secret_key() -> str:
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env("SECRET_KEY") or _local_secret_key()
# Long work (OCR) in a background thread: a page never waits for it, and the demo needs no broker.
VANPHONG_TASK_BACKEND = env("TASK_BACKEND", "thread")
# The demo's test PKI services (`vanphong pki serve`, started by `make demo`); its agency certificate signs the
# demo's edXML packages (the test PKI's passphrase: a test key, never a real one).
VANPHONG_TSA_URL = env("TSA_URL", "http://127.0.0.1:8002/tsa")
VANPHONG_EXCHANGE_KEY_FILE = env("EXCHANGE_KEY_FILE", str(VAR_DIR / "pki" / "agency.p12"))
VANPHONG_EXCHANGE_KEY_PASSPHRASE = env("EXCHANGE_KEY_PASSPHRASE", "vanphong-test")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
