"""Settings of a platform in the multi-platform tests: the demo's (dev), with mail kept in memory (nobody reads
it there) and the rest from the environment platforms.py sets."""

from vanphong.settings.dev import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
DEBUG = False  # as in production: no query log kept per request
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
