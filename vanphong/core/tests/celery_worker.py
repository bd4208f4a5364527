"""A real Celery worker, with Redis as the broker, for tests of work that production hands to workers (OCR, virus
scanning, text extraction, exchange).

Use it from another app's tests by importing both fixtures into the app's tests/conftest.py (as
vanphong/core/tests/conftest.py does; in a test module, ruff sees the fixture argument as a redefinition):

    from vanphong.core.tests.celery_worker import celery_worker, celery_worker_process  # noqa: F401  (fixtures)

and asking for `celery_worker` in a test:

    def test_a_scan_is_read_by_a_worker(celery_worker, clerk):
        scan = services.upload(..., by=clerk)           # the service calls progress.queued(key) and enqueue(...)
        state = celery_worker.wait_for(f"intake.ocr:{scan.pk}")
        assert state.state == "done"

With `celery_worker` the test:
- runs with VANPHONG_TASK_BACKEND = "celery": enqueue() sends to the worker through Redis, after the commit;
- has a transactional database (rows are committed, so the worker sees them; no django_db mark needed);
- shares with the worker the file storage (on disk, in a temporary directory, instead of the test settings' memory),
  the secret key (audit seals) and the VANPHONG_* settings as they were when the worker started (session-wide
  overrides included, such as the clamd socket of the run), see worker_settings.py. A setting that one test changes
  does not reach the worker.
`celery_worker.wait_for(key)` polls vanphong.core.progress until the work `key` is done or failed (or until a
predicate holds: `wait_for(key, until=lambda p: p.done >= 1)`); `celery_worker.wait_until(condition)` polls any
condition. Both fail the test with the end of the worker's log after `timeout` seconds. Mail sent by the worker goes
to the worker's locmem outbox, not to the test's `mailoutbox`.

One worker serves the whole session (`celery -A vanphong worker --pool=solo -Q <a queue of its own>`, on the test
database, fixture celery_worker_process), on Redis database 14 (VANPHONG_TEST_CELERY_BROKER_URL), flushed when it
starts and when it stops. Each test ends by emptying the queue and waiting for the task in hand, so no work of one
test runs in the next. The worker is stopped (warm shutdown, then killed if need be) before the test database is
dropped. The solo pool runs one task at a time and enforces no time limits.
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from django.conf import settings
from django.db import connection

# Settings the worker gets from its own environment rather than from this process.
WORKER_OWN = ("VANPHONG_TASK_BACKEND", "VANPHONG_CELERY_")
BROKER_URL = os.environ.get("VANPHONG_TEST_CELERY_BROKER_URL", "redis://127.0.0.1:6379/14")
START_TIMEOUT = 60
STOP_TIMEOUT = 30

_running: dict[str, "Worker"] = {}  # one worker per session, however many modules import the fixtures


class Worker:
    """A `celery -A vanphong worker` subprocess on its own queue."""

    def __init__(self, *, broker_url: str, database_url: str, storage_root: Path, log_path: Path):
        self.broker_url = broker_url
        self.database_url = database_url
        self.storage_root = storage_root
        self.log_path = log_path
        self.queue = f"vanphong-test-{uuid.uuid4().hex[:12]}"
        self.node = f"{self.queue}@localhost"
        self.process: subprocess.Popen | None = None
        self._previous_broker = None

    # The worker process

    def start(self) -> "Worker":
        _flush_broker(self.broker_url)
        self._point_app_at_broker(self.broker_url)
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "vanphong.core.tests.worker_settings",
            "VANPHONG_DATABASE_URL": self.database_url,
            "VANPHONG_TASK_BACKEND": "celery",
            "VANPHONG_CELERY_BROKER_URL": self.broker_url,
            "VANPHONG_CELERY_QUEUE": self.queue,
            "VANPHONG_STORAGE_ROOT": str(self.storage_root),
            "VANPHONG_SECRET_KEY": settings.SECRET_KEY,
            "VANPHONG_TEST_WORKER_SETTINGS": shared_settings(),
        }
        command = [
            sys.executable, "-m", "celery", "-A", "vanphong", "worker",
            "--pool=solo", "--concurrency=1", "-Q", self.queue, "-n", self.node,
            "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO",
        ]  # fmt: skip
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=settings.BASE_DIR,
                env=environment,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, stopped as a whole
            )
        deadline = time.monotonic() + START_TIMEOUT
        while not self.ping(timeout=0.5):
            self._check_alive()
            if time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"The Celery worker did not answer within {START_TIMEOUT} s.\n{self.log_tail()}")
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # warm shutdown: the task in hand is finished first
            try:
                self.process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(STOP_TIMEOUT)
        self.process = None
        self._point_app_at_broker(self._previous_broker)
        _flush_broker(self.broker_url)

    def ping(self, timeout: float = 1.0) -> bool:
        """True when the worker answers; a solo worker answers only between tasks."""
        from vanphong.celery import app

        return bool(app.control.ping(destination=[self.node], timeout=timeout))

    def settle(self) -> None:
        """Drop the tasks still queued and wait for the one in hand: the next test starts on a quiet worker."""
        from vanphong.celery import app

        with app.connection_for_write() as broker:
            broker.default_channel.queue_purge(self.queue)
        deadline = time.monotonic() + STOP_TIMEOUT
        while self.process is not None and self.process.poll() is None and not self.ping():
            if time.monotonic() > deadline:
                break

    def log_tail(self, lines: int = 60) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "Worker log (end):\n" + "\n".join(text.splitlines()[-lines:])

    def _check_alive(self) -> None:
        if self.process is None or self.process.poll() is not None:
            pytest.fail(f"The Celery worker has stopped.\n{self.log_tail()}")

    def _point_app_at_broker(self, url: str | None) -> None:
        """Send this process's tasks to the worker's broker (and back to the configured one at the end)."""
        from vanphong.celery import app

        if url is None:
            return
        if self._previous_broker is None:
            self._previous_broker = app.conf.broker_url
        if app._pool is not None:  # connections already open go to the previous broker
            app._pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None
        app.conf.broker_url = url

    # What tests call

    def wait_until(self, condition: Callable[[], object], *, timeout: float = 60, what: str = "the condition"):
        """Poll `condition` until it returns something true, and return that."""
        deadline = time.monotonic() + timeout
        while True:
            result = condition()
            if result:
                return result
            self._check_alive()
            if time.monotonic() > deadline:
                pytest.fail(f"Waited {timeout} s for {what}.\n{self.log_tail()}")
            time.sleep(0.05)

    def wait_for(self, key: str, *, until: Callable | None = None, timeout: float = 60):
        """The progress of the work `key` (vanphong.core.progress) once `until(progress)` holds, by default once the
        work is done or failed."""
        from vanphong.core import progress

        until = until or (lambda state: state.finished)

        def reached():
            state = progress.read(key)
            return state if state is not None and until(state) else None

        return self.wait_until(reached, timeout=timeout, what=f"the work {key!r}")


def database_url_for_worker() -> str:
    """The URL of the database the tests run on (the test database, not the configured one)."""
    database = connection.settings_dict
    if database["ENGINE"] == "django.db.backends.sqlite3":
        return "sqlite:///" + str(Path(database["NAME"]).resolve())
    configured = urlsplit(os.environ["VANPHONG_DATABASE_URL"])
    return configured._replace(path="/" + quote(str(database["NAME"]))).geturl()


def shared_settings() -> str:
    """This process's VANPHONG_* settings as they are now (session-wide overrides included, such as the clamd
    socket of the test run), as JSON for worker_settings.py; those the worker gets otherwise, and values that JSON
    cannot carry, are left out."""
    shared = []
    for name in dir(settings):
        if not name.startswith("VANPHONG_") or name.startswith(WORKER_OWN):
            continue
        value = getattr(settings, name)
        if isinstance(value, Path):
            shared.append([name, "path", str(value)])
            continue
        try:
            json.dumps(value)
        except (TypeError, ValueError):
            continue
        shared.append([name, "json", value])
    return json.dumps(shared)


def _flush_broker(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    except redis.ConnectionError as error:
        pytest.fail(f"Redis is not reachable at {url} ({error}); the worker tests need it (make test installs it).")
    finally:
        client.close()


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup):
    """The session's worker, on the test database (started on first use, stopped before the database is dropped)."""
    if "worker" in _running:
        yield _running["worker"]
        return
    with tempfile.TemporaryDirectory(prefix="vanphong-worker-") as directory:
        root = Path(directory)
        (root / "files").mkdir()
        worker = Worker(
            broker_url=BROKER_URL,
            database_url=database_url_for_worker(),
            storage_root=root / "files",
            log_path=root / "worker.log",
        )
        _running["worker"] = worker
        try:
            worker.start()
            yield worker
        finally:
            worker.stop()
            del _running["worker"]


@pytest.fixture
def celery_worker(celery_worker_process, transactional_db, settings):
    """This test sends its tasks to the session's worker; see the module's docstring."""
    settings.VANPHONG_TASK_BACKEND = "celery"
    settings.VANPHONG_CELERY_QUEUE = celery_worker_process.queue
    settings.MEDIA_ROOT = str(celery_worker_process.storage_root)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    yield celery_worker_process
    celery_worker_process.settle()
