"""Progress of long background work (OCR, virus scanning, text extraction, exchange), kept in the database so that a
page polls it and never waits for the work itself. Generic: the app picks a key per piece of work, and checks who
may see it in its own view before it calls read().

In the request that asks for the work:

    from vanphong.core import progress
    from vanphong.core.tasks import enqueue

    progress.queued(f"intake.ocr:{scan.pk}")          # the page shows "waiting" at once
    enqueue(recognise_text, scan_id=scan.pk)

In the task, wherever it runs (in-process or on a Celery worker):

    @task
    def recognise_text(*, scan_id):
        with progress.tracking(f"intake.ocr:{scan_id}") as tracker:
            pages = ...
            tracker.expect(len(pages))
            for page in pages:
                ...
                tracker.advance()          # each step is committed at once: the page sees it while the task runs
            # or, where a library counts: engine.ocr(data, progress=tracker.report)  -> report(done, total)
    # on leaving the block: "done"; on an exception: "failed" (and the exception goes on, so the worker logs it)

In the view the page polls: `progress.read(key)` -> TaskProgress or None (state, done, total, percent, message).

Each call writes and commits its own row update, so progress is visible only while the task does not hold a
transaction open around its work: a task that needs one should commit step by step.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models import F
from django.utils import timezone

from .models import TaskProgress

State = TaskProgress.State


def queued(key: str, *, total: int | None = None, message: str = "") -> TaskProgress:
    """Note that the work `key` is waiting for a worker (starting again from nothing if it ran before)."""
    return _put(key, state=State.QUEUED, done=0, total=total, message=message)


def start(key: str, *, total: int | None = None, message: str = "") -> TaskProgress:
    """Note that the work `key` has begun: running, nothing done yet, `total` steps if known."""
    return _put(key, state=State.RUNNING, done=0, total=total, message=message)


def advance(key: str, *, by: int = 1, total: int | None = None, message: str | None = None) -> None:
    """Count `by` more steps of `key` as done (and set how many there are in all, or the message, when given)."""
    changes = {"done": F("done") + by, "state": State.RUNNING, "updated_at": timezone.now()}
    if total is not None:
        changes["total"] = total
    if message is not None:
        changes["message"] = message
    if not TaskProgress.objects.filter(key=key).update(**changes):
        _put(key, state=State.RUNNING, done=by, total=total, message=message or "")


def finish(key: str, *, message: str | None = None) -> None:
    """Note that the work `key` is done (with a last message, when given)."""
    _end(key, State.DONE, message)


def fail(key: str, *, message: str | None = None) -> None:
    """Note that the work `key` failed; `message`, when given, is what the person waiting for it may read."""
    _end(key, State.FAILED, message)


def read(key: str) -> TaskProgress | None:
    """The progress of the work `key`, None when no work of that key was ever asked for."""
    return TaskProgress.objects.filter(key=key).first()


class Tracker:
    """The handle a task gets from tracking(): counts its steps under one key."""

    def __init__(self, key: str):
        self.key = key

    def expect(self, total: int) -> None:
        """Say how many steps there are in all, once the task knows (the pages of a scan, say)."""
        TaskProgress.objects.filter(key=self.key).update(total=total, updated_at=timezone.now())

    def advance(self, by: int = 1, *, message: str | None = None) -> None:
        advance(self.key, by=by, message=message)

    def report(self, done: int, total: int | None = None) -> None:
        """Set the steps done (and in all) as counted by someone else: fits a `progress(done, total)` callback,
        such as that of vanphong.intake.ocr."""
        changes = {"done": done, "state": State.RUNNING, "updated_at": timezone.now()}
        if total is not None:
            changes["total"] = total
        TaskProgress.objects.filter(key=self.key).update(**changes)


@contextmanager
def tracking(key: str, *, total: int | None = None, message: str = "") -> Iterator[Tracker]:
    """Run the block as the work `key`: running on entry, done on leaving it, failed when it raises. The exception
    is not swallowed: the backend logs it (a Celery worker with its traceback) and the worker goes on. The exception's
    text is not shown to the person waiting (it is not written for them); a task that has something to tell them
    calls fail(key, message=...) itself and returns."""
    start(key, total=total, message=message)
    try:
        yield Tracker(key)
    except BaseException:  # a soft time limit or a worker's shutdown also leaves the work failed, not "running"
        fail(key)
        raise
    finish(key)


def _end(key: str, state: str, message: str | None) -> None:
    changes = {"state": state, "updated_at": timezone.now()}
    if message is not None:
        changes["message"] = message
    if not TaskProgress.objects.filter(key=key).update(**changes):
        _put(key, state=state, done=0, total=None, message=message or "")


def _put(key: str, **fields) -> TaskProgress:
    fields["updated_at"] = timezone.now()
    progress, _created = TaskProgress.objects.update_or_create(key=key, defaults=fields)
    return progress
