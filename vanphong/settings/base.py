"""Settings shared by every environment. Everything an operator changes comes from environment variables
named VANPHONG_*; see README.md, section "Configuration"."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"VANPHONG_{name}", default)


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in (env(name) or default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY")
# Seals the audit chain (HMAC). Keep it stable and outside the database; defaults to the secret key.
VANPHONG_AUDIT_KEY = env("AUDIT_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

VAR_DIR = Path(env("VAR_DIR", str(BASE_DIR / "var")))

DATABASES = {
    "default": dj_database_url.parse(env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'vanphong.sqlite3'}"), conn_max_age=60)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves several clerks at once: writers queue for the lock instead of failing.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Pages read a few dozen rows: starting parallel workers costs more than it saves (measured by bench/worklist.py).
    # Reports that scan much can raise it for their own transaction with SET LOCAL.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c max_parallel_workers_per_gather={int(env('PG_PARALLEL_WORKERS', '0'))}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "vanphong.core",
    "vanphong.audit",
    "vanphong.organizations",
    "vanphong.accounts",
    "vanphong.workcalendar",
    "vanphong.notifications",
    "vanphong.incoming",
    "vanphong.signing",
    "vanphong.outgoing",
    "vanphong.intake",
    "vanphong.exchange",
    "vanphong.files",
    "vanphong.search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "vanphong.core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "vanphong.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "vanphong.audit.middleware.AuditContextMiddleware",
    "vanphong.accounts.middleware.TwoFactorEnforcementMiddleware",
    "vanphong.accounts.middleware.IdleExpiryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "vanphong.urls"
WSGI_APPLICATION = "vanphong.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "vanphong.core.context_processors.navigation",
                "vanphong.notifications.context_processors.unread",
            ],
        },
    },
]

# Accounts (tài khoản)
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "email", "phone")},
    },
    {"NAME": "vanphong.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "vanphong.accounts.validators.VietnameseCommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
VANPHONG_LOCKOUT_THRESHOLD = int(env("LOCKOUT_THRESHOLD", "5"))
VANPHONG_TOTP_ISSUER = env("TOTP_ISSUER", "vanphong")

# Sessions expire after an idle time: activity pushes the expiry forward (accounts.middleware.IdleExpiryMiddleware).
SESSION_COOKIE_AGE = int(env("SESSION_IDLE_MINUTES", "15")) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "vanphong.core.views.csrf_failure"

# Headers
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Internationalisation: Vietnamese first, English available; Vietnam time shown, UTC stored.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "vanphong" / "locale"]
TIME_ZONE = env("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["vanphong.formats"]

# Files: static assets are ours (no CDN); uploaded files live under the storage root.
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = Path(env("STORAGE_ROOT", str(VAR_DIR / "files")))
MEDIA_URL = "/files/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Background work (vanphong.core.tasks): "inprocess" runs tasks in this process after the commit; "celery" sends
# them to Celery workers through the broker below (README, "Background work").
VANPHONG_TASK_BACKEND = env("TASK_BACKEND", "inprocess")
# With "celery", tasks go through the broker (Redis, or RabbitMQ as amqp://user:password@host/vhost) to the workers
# (`celery -A vanphong worker -Q default`; vanphong/celery.py, docs/operations-celery.md). Progress of long work is
# kept in the database (core.progress), so Celery keeps no results. A task still running after the soft time limit
# (seconds) is interrupted and marked failed; at the hard limit its worker process is killed.
VANPHONG_CELERY_BROKER_URL = env("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
VANPHONG_CELERY_QUEUE = env("CELERY_QUEUE", "default")
VANPHONG_CELERY_SOFT_TIME_LIMIT = int(env("CELERY_SOFT_TIME_LIMIT", "1800"))
VANPHONG_CELERY_TIME_LIMIT = int(env("CELERY_TIME_LIMIT", "1860"))
# The platform's public address, used for links in e-mails.
VANPHONG_SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

# Every uploaded file passes these checks before it is accepted (core.files); a virus scanner is one more here.
VANPHONG_INTAKE_CHECKS = [
    "vanphong.core.files.SizeLimit",
    "vanphong.intake.checks.AllowedContent",
    "vanphong.intake.checks.VirusScan",
    "vanphong.intake.checks.PdfActive",
]
VANPHONG_MAX_UPLOAD_MB = int(env("MAX_UPLOAD_MB", "100"))
# Virus scanning (vanphong.intake): clamd's socket (scripts/clamd starts one there for the demo and the tests), or
# host:port for clamd over TCP; files that cannot be scanned are refused (fail closed). Infected files are kept in
# the quarantine directory, which nothing serves. Archives are unpacked within these limits (more is a zip bomb).
VANPHONG_VIRUS_SCANNER = env("VIRUS_SCANNER", "vanphong.intake.scanner.ClamdScanner")
VANPHONG_CLAMD_SOCKET = env("CLAMD_SOCKET", str(VAR_DIR / "clamd" / "clamd.sock"))
VANPHONG_CLAMD_TCP = env("CLAMD_TCP", "")
VANPHONG_CLAMD_TIMEOUT = float(env("CLAMD_TIMEOUT", "60"))
VANPHONG_QUARANTINE_DIR = Path(env("QUARANTINE_DIR", str(VAR_DIR / "quarantine")))
VANPHONG_UNPACK_MAX_DEPTH = int(env("UNPACK_MAX_DEPTH", "5"))
VANPHONG_UNPACK_MAX_MEMBERS = int(env("UNPACK_MAX_MEMBERS", "2000"))
VANPHONG_UNPACK_MAX_TOTAL_MB = int(env("UNPACK_MAX_TOTAL_MB", "1024"))
VANPHONG_UNPACK_MAX_RATIO = int(env("UNPACK_MAX_RATIO", "100"))

# Digital signatures (vanphong.signing). An RFC 3161 time-stamping authority makes signatures PAdES B-T and, with
# revocation data, B-LT; without one they are B-B. Fetching revocation data (OCSP, CRL) needs the CAs' servers to be
# reachable; on a network that cannot reach them, turn it off and verdicts say "revocation could not be checked".
VANPHONG_TSA_URL = env("TSA_URL", "")
VANPHONG_FETCH_REVOCATION = env_bool("FETCH_REVOCATION", True)
# Drafts in Word or OpenDocument are converted to PDF by this adapter (core.conversion), LibreOffice headless by
# default; a conversion taking longer than the timeout (seconds) is stopped.
# Scans are read by this OCR adapter (vanphong.intake.ocr): OCRmyPDF with Tesseract's Vietnamese data by default.
VANPHONG_OCR_ENGINE = env("OCR_ENGINE", "vanphong.intake.ocr.OcrmypdfEngine")
VANPHONG_DOCUMENT_CONVERTER = env("DOCUMENT_CONVERTER", "vanphong.core.conversion.LibreOfficeConverter")
VANPHONG_CONVERSION_TIMEOUT = float(env("CONVERSION_TIMEOUT", "120"))
# The PKCS#11 library of the USB tokens in use (the token vendor's, or OpenSC's for most Vietnamese tokens).
VANPHONG_PKCS11_MODULE = env("PKCS11_MODULE", "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so")

# Interconnection (vanphong.exchange, docs/operations-exchange.md): this platform's name as its peers know it; the
# PKCS#12 keys that sign its edXML packages (an agency's own, <mã định danh>.p12 in the key directory, else the
# platform's; none: packages go unsigned); how long a peer may take to answer; how far a peer's clock may be off
# (seconds); the outbox's back-off (base·2^n seconds, at most the maximum) and how many packages it sends at once.
VANPHONG_EXCHANGE_NAME = env("EXCHANGE_NAME", "vanphong")
VANPHONG_EXCHANGE_KEY_DIR = env("EXCHANGE_KEY_DIR", "")
VANPHONG_EXCHANGE_KEY_FILE = env("EXCHANGE_KEY_FILE", "")
VANPHONG_EXCHANGE_KEY_PASSPHRASE = env("EXCHANGE_KEY_PASSPHRASE", "")
VANPHONG_EXCHANGE_TIMEOUT = float(env("EXCHANGE_TIMEOUT", "30"))
VANPHONG_EXCHANGE_CLOCK_SKEW = int(env("EXCHANGE_CLOCK_SKEW", "300"))
VANPHONG_EXCHANGE_RETRY_BASE = float(env("EXCHANGE_RETRY_BASE", "30"))
VANPHONG_EXCHANGE_RETRY_MAX = float(env("EXCHANGE_RETRY_MAX", "3600"))
VANPHONG_EXCHANGE_SENDERS = int(env("EXCHANGE_SENDERS", "4"))

# Mail
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("EMAIL_FROM", "vanphong@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}
