"""Settings of the Celery worker that the tests start (vanphong.core.tests.celery_worker): the test settings, plus
what the test process and the worker must share to work on the same documents — the secret key (audit seals, signed
values; the test settings draw a new one in each process), the files, on disk under VANPHONG_STORAGE_ROOT rather
than in one process's memory, and the test process's VANPHONG_* settings (celery_worker.shared_settings)."""

import json
import os
from pathlib import Path

from vanphong.settings.test import *  # noqa: F403

SECRET_KEY = os.environ["VANPHONG_SECRET_KEY"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},  # under MEDIA_ROOT (VANPHONG_STORAGE_ROOT)
}

for name, kind, value in json.loads(os.environ.get("VANPHONG_TEST_WORKER_SETTINGS", "[]")):
    globals()[name] = Path(value) if kind == "path" else value
