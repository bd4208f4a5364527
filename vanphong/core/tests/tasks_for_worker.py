"""Tasks for the tests of the Celery worker (test_celery.py): a module the worker can import by the task's name."""

import hashlib
import os
import time

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from vanphong.core import progress
from vanphong.core.tasks import task


@task
def count(*, key, steps):
    """Count `steps` steps of the work `key`."""
    with progress.tracking(key, total=steps) as tracker:
        for _ in range(steps):
            tracker.advance()


@task
def tell_where(*, key):
    """Note in the work's message the process that runs it."""
    with progress.tracking(key):
        progress.advance(key, message=f"pid {os.getpid()}")


@task
def break_down(*, key):
    with progress.tracking(key, total=3) as tracker:
        tracker.advance()
        raise RuntimeError("the scanner is out of order")


@task
def wait_for_go(*, key, go, timeout=30):
    """Do half the work, then wait until the work `go` exists before doing the rest."""
    with progress.tracking(key, total=2) as tracker:
        tracker.advance(message="first half")
        deadline = time.monotonic() + timeout
        while progress.read(go) is None:
            if time.monotonic() > deadline:
                raise TimeoutError(f"nobody said {go}")
            time.sleep(0.05)
        tracker.advance(message="second half")


@task
def answer(*, key, name):
    """Read the file `name` from the default storage, store it again in capitals as `name`.answer, and note a
    fingerprint of the secret key in the message: what the worker shares with the test."""
    with progress.tracking(key):
        with default_storage.open(name) as file:
            text = file.read().decode()
        default_storage.save(f"{name}.answer", ContentFile(text.upper().encode()))
        fingerprint = hashlib.sha256(settings.SECRET_KEY.encode()).hexdigest()[:16]
        progress.advance(key, message=f"key {fingerprint}")
