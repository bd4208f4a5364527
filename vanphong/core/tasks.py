"""The task port: the one way an app hands work to the background (e-mail, reminders, conversions, exchange).

    from vanphong.core.tasks import enqueue, task

    @task
    def send_email(*, notification_id): ...

    enqueue(send_email, notification_id=notification.pk)

A task is a module-level function registered under its dotted name ("vanphong.notifications.tasks.send_email"),
so that a worker in another process can find it by importing its module. Its arguments are keyword arguments that
survive JSON: the task receives them as they come back from JSON (a tuple arrives as a list), whichever backend
runs it, so a task that works in the tests also works in a worker.

Work is always handed over after the current transaction commits (`transaction.on_commit`): a task never sees rows
that are not yet committed, and work of a rolled-back transaction is never done. Outside a transaction it is handed
over at once.

The backend is chosen by the setting VANPHONG_TASK_BACKEND:

- "inprocess" (the default, and what the tests use): runs the task in this process right after the commit. A task
  that fails is logged and does not undo or fail the action that asked for it, as it would not with a worker.
- "celery": sends the task, after the commit, to Celery workers through a broker (CeleryBackend below,
  vanphong/celery.py). A task that fails is logged by the worker, which goes on with the next.

Long work reports how far it has got with vanphong.core.progress, which a page polls instead of waiting.
"""

import importlib
import json
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, transaction

logger = logging.getLogger(__name__)

_REGISTRY: dict[str, Callable] = {}


class TaskError(Exception):
    """A task that cannot be handed over: not registered, or not found by a worker."""


def task(function: Callable) -> Callable:
    """Register `function` as a task under its dotted name (also set as `function.task_name`)."""
    if "." in function.__qualname__:
        raise TaskError(f"{function.__qualname__}: a task must be a module-level function, so a worker can import it.")
    name = f"{function.__module__}.{function.__qualname__}"
    _REGISTRY[name] = function
    function.task_name = name
    return function


def enqueue(task_function: Callable, **kwargs) -> None:
    """Run `task_function(**kwargs)` in the background once the current transaction commits.
    Raises TypeError when an argument does not survive JSON, TaskError when the function is not a task."""
    name = getattr(task_function, "task_name", None)
    if name is None or _REGISTRY.get(name) is not task_function:
        raise TaskError(f"{task_function!r} is not a task: decorate it with @vanphong.core.tasks.task.")
    payload = json.loads(json.dumps(kwargs))  # TypeError now, in the caller, rather than later in a worker
    _backend().enqueue(name, payload)


def run(name: str, kwargs: dict):
    """Run the task registered as `name`. Backends and workers call this; an app calls enqueue()."""
    return registered(name)(**kwargs)


def registered(name: str) -> Callable:
    """The task registered as `name`, importing its module first if this process has not done so yet."""
    if name not in _REGISTRY:
        module_name = name.rpartition(".")[0]
        try:
            importlib.import_module(module_name)
        except ImportError as error:
            raise TaskError(f"No task named {name}.") from error
    try:
        return _REGISTRY[name]
    except KeyError:
        raise TaskError(f"No task named {name}.") from None


class InProcessBackend:
    """Runs each task in this process right after the commit."""

    def enqueue(self, name: str, kwargs: dict) -> None:
        transaction.on_commit(lambda: self.run_logged(name, kwargs))

    @staticmethod
    def run_logged(name: str, kwargs: dict) -> None:
        try:
            run(name, kwargs)
        except Exception:
            logger.exception("Task %s failed (arguments %s).", name, kwargs)


class CeleryBackend:
    """Sends each task, after the commit, to the Celery workers through the broker (vanphong/celery.py: the app the
    workers load, its settings VANPHONG_CELERY_*, and docs/operations-celery.md). Celery is imported only when a
    task is sent, so a platform running with "inprocess" never imports it.

    Every vanphong task goes through the one Celery task "vanphong.run_task", named by its dotted name, so Celery
    never needs to know the individual tasks; the worker imports the task's module on first use (see registered()).
    It goes to the queue VANPHONG_CELERY_QUEUE, read when the task is sent. A task that fails is logged by the worker
    and not retried; a task that reports progress (vanphong.core.progress.tracking) is marked failed. A task that
    cannot be sent (broker down) is logged and lost; the action that asked for it stands.
    """

    CELERY_TASK_NAME = "vanphong.run_task"

    def __init__(self, app=None):
        self._app = app

    @property
    def app(self):
        if self._app is None:
            try:
                from vanphong.celery import app
            except ImportError as error:
                raise ImproperlyConfigured(
                    'VANPHONG_TASK_BACKEND is "celery" but celery is not installed; see vanphong.core.tasks.'
                ) from error
            self._app = app
        return self._app

    def enqueue(self, name: str, kwargs: dict) -> None:
        app = self.app  # fail in the caller when Celery is missing, not later in a commit hook
        queue = getattr(settings, "VANPHONG_CELERY_QUEUE", "default")
        # Robust: when the broker cannot be reached the action has been committed already; the error is logged and
        # the request goes on, as it would with a task that fails.
        transaction.on_commit(
            lambda: app.send_task(self.CELERY_TASK_NAME, kwargs={"name": name, "kwargs": kwargs}, queue=queue),
            robust=True,
        )


class ThreadBackend(InProcessBackend):
    """Runs each task in a background thread of this process after the commit, one at a time: the embedded
    demo's way of never keeping a request waiting for long work (OCR) without a broker and workers. Work still
    queued when the process stops is lost, as it would be in a worker that is killed."""

    _executor = None
    _lock = threading.Lock()

    @classmethod
    def executor(cls):
        with cls._lock:
            if cls._executor is None:
                cls._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vanphong-task")
            return cls._executor

    def enqueue(self, name: str, kwargs: dict) -> None:
        transaction.on_commit(lambda: self.executor().submit(self.run_in_thread, name, kwargs))

    @classmethod
    def run_in_thread(cls, name: str, kwargs: dict) -> None:
        try:
            cls.run_logged(name, kwargs)
        finally:
            connections.close_all()  # this thread's own connections


BACKENDS = {"inprocess": InProcessBackend, "thread": ThreadBackend, "celery": CeleryBackend}


def _backend():
    choice = getattr(settings, "VANPHONG_TASK_BACKEND", "inprocess")
    try:
        return BACKENDS[choice]()
    except KeyError:
        raise ImproperlyConfigured(
            f"VANPHONG_TASK_BACKEND is {choice!r}; it must be one of {', '.join(sorted(BACKENDS))}."
        ) from None
