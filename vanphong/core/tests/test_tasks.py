"""The task port, with the in-process backend the tests and the demo use: work is done after the commit, never
for a rolled-back transaction, with the arguments a worker would get."""

import datetime
import logging
import threading

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from vanphong.core.tasks import TaskError, enqueue, run, task
from vanphong.organizations.models import Agency

DONE: list[dict] = []


@task
def remember(*, word, numbers=()):
    DONE.append({"word": word, "numbers": numbers})


@task
def break_down(*, word):
    raise RuntimeError(f"cannot handle {word}")


def not_a_task(*, word):
    DONE.append({"word": word})


@pytest.fixture(autouse=True)
def nothing_done_yet():
    DONE.clear()
    yield
    DONE.clear()


@pytest.mark.django_db(transaction=True)
def test_a_task_runs_once_the_transaction_commits():
    with transaction.atomic():
        enqueue(remember, word="công văn")
        assert DONE == [], "nothing runs before the commit"
    assert DONE == [{"word": "công văn", "numbers": ()}]


@pytest.mark.django_db(transaction=True)
def test_a_task_asked_for_by_a_rolled_back_transaction_never_runs():
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(remember, word="công văn")
        raise RuntimeError("the clerk's action failed")
    assert DONE == []


@pytest.mark.django_db(transaction=True)
def test_a_task_waits_for_the_outermost_transaction():
    with transaction.atomic():
        with transaction.atomic():
            enqueue(remember, word="inner")
        assert DONE == [], "a savepoint released is not a commit"
    assert [item["word"] for item in DONE] == ["inner"]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_task_runs_at_once():
    enqueue(remember, word="now")
    assert [item["word"] for item in DONE] == ["now"]


@pytest.mark.django_db(transaction=True)
def test_a_failing_task_is_logged_and_does_not_undo_the_action_that_asked_for_it(caplog):
    with caplog.at_level(logging.ERROR, logger="vanphong.core.tasks"), transaction.atomic():
        Agency.objects.create(name="Sở Nội vụ tỉnh Nghệ An")
        enqueue(break_down, word="hồ sơ")
        enqueue(remember, word="after")
    assert Agency.objects.filter(name="Sở Nội vụ tỉnh Nghệ An").exists()
    assert "vanphong.core.tests.test_tasks.break_down" in caplog.text
    assert "cannot handle hồ sơ" in caplog.text
    assert [item["word"] for item in DONE] == ["after"], "the next task still runs"


def test_a_task_gets_its_arguments_as_a_worker_would_after_json(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(remember, word="số", numbers=(1, 2))
    assert DONE == [{"word": "số", "numbers": [1, 2]}]


def test_arguments_that_json_cannot_carry_are_refused_when_enqueued(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(TypeError):
        enqueue(remember, word=datetime.date(2026, 3, 5))
    assert callbacks == []


def test_a_plain_function_cannot_be_enqueued(db):
    with pytest.raises(TaskError):
        enqueue(not_a_task, word="x")


def test_a_nested_function_cannot_be_a_task():
    with pytest.raises(TaskError):

        @task
        def inner(): ...


def test_a_worker_finds_a_task_by_its_dotted_name():
    assert remember.task_name == "vanphong.core.tests.test_tasks.remember"
    run("vanphong.core.tests.test_tasks.remember", {"word": "by name"})
    assert DONE == [{"word": "by name", "numbers": ()}]
    with pytest.raises(TaskError):
        run("vanphong.core.tests.test_tasks.nothing_by_that_name", {})
    with pytest.raises(TaskError):
        run("vanphong.nowhere.tasks.anything", {})


def test_an_unknown_backend_is_a_configuration_error(db, settings):
    settings.VANPHONG_TASK_BACKEND = "carrier-pigeon"
    with pytest.raises(ImproperlyConfigured, match="carrier-pigeon"):
        enqueue(remember, word="x")


SLOW_STARTED = threading.Event()
SLOW_RELEASE = threading.Event()


@task
def wait_for_release(*, word):
    SLOW_STARTED.set()
    SLOW_RELEASE.wait(timeout=10)
    DONE.append({"word": word, "thread": threading.current_thread().name})


@pytest.mark.django_db(transaction=True)
def test_the_thread_backend_never_keeps_the_request_waiting(settings):
    """The demo's backend: the caller's commit returns while the work is still running in another thread."""
    settings.VANPHONG_TASK_BACKEND = "thread"
    SLOW_STARTED.clear()
    SLOW_RELEASE.clear()
    with transaction.atomic():
        enqueue(wait_for_release, word="ocr")
    assert SLOW_STARTED.wait(timeout=10)  # begun after the commit …
    assert DONE == []  # … and not finished, yet the caller is here
    SLOW_RELEASE.set()
    for _attempt in range(100):
        if DONE:
            break
        threading.Event().wait(0.05)
    assert [{"word": "ocr", "thread": DONE[0]["thread"]}] == DONE
    assert DONE[0]["thread"].startswith("vanphong-task")
