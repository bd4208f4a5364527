"""Tasks on a real Celery worker through Redis, as in production (fixture celery_worker, from conftest.py): the
worker does the work after the commit, reports its progress while it runs, and a task that fails is marked failed
without stopping the worker. Also the Celery app's configuration, and progress reports in-process."""

import hashlib
import logging

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from vanphong.core import progress
from vanphong.core.models import TaskProgress
from vanphong.core.tasks import CeleryBackend, enqueue
from vanphong.core.tests import tasks_for_worker
from vanphong.organizations.models import Agency

State = TaskProgress.State


def test_a_worker_does_the_work_sent_through_redis(celery_worker):
    progress.queued("count:1")
    enqueue(tasks_for_worker.count, key="count:1", steps=3)
    done = celery_worker.wait_for("count:1")
    assert (done.state, done.done, done.total, done.percent) == (State.DONE, 3, 3, 100)


def test_the_work_runs_in_the_worker_process(celery_worker):
    enqueue(tasks_for_worker.tell_where, key="where")
    done = celery_worker.wait_for("where")
    assert done.message == f"pid {celery_worker.process.pid}"


def test_the_worker_shares_the_files_and_the_secret_key_of_the_test(celery_worker, settings):
    name = default_storage.save("question.txt", ContentFile("công văn đến".encode()))
    enqueue(tasks_for_worker.answer, key="answer", name=name)
    done = celery_worker.wait_for("answer")
    assert done.state == State.DONE, celery_worker.log_tail()
    assert done.message == "key " + hashlib.sha256(settings.SECRET_KEY.encode()).hexdigest()[:16]
    with default_storage.open(f"{name}.answer") as file:
        assert file.read().decode() == "CÔNG VĂN ĐẾN"


def test_progress_is_visible_while_the_work_runs(celery_worker):
    progress.queued("long")
    assert progress.read("long").state == State.QUEUED
    enqueue(tasks_for_worker.wait_for_go, key="long", go="long:go")
    halfway = celery_worker.wait_for("long", until=lambda state: state.done >= 1)
    assert (halfway.state, halfway.done, halfway.total, halfway.percent) == (State.RUNNING, 1, 2, 50)
    assert halfway.message == "first half"
    progress.finish("long:go")
    done = celery_worker.wait_for("long")
    assert (done.state, done.done, done.message) == (State.DONE, 2, "second half")


def test_a_failing_task_is_marked_failed_and_the_worker_goes_on(celery_worker):
    enqueue(tasks_for_worker.break_down, key="broken")
    failed = celery_worker.wait_for("broken")
    assert (failed.state, failed.done, failed.total) == (State.FAILED, 1, 3)
    assert "out of order" not in failed.message, "an exception's text is for the log, not for the person waiting"
    enqueue(tasks_for_worker.count, key="after", steps=1)
    assert celery_worker.wait_for("after").state == State.DONE
    assert celery_worker.process.poll() is None
    assert "the scanner is out of order" in celery_worker.log_path.read_text(), "the worker logs the failure"


def test_work_asked_for_by_a_rolled_back_transaction_never_reaches_the_worker(celery_worker):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(tasks_for_worker.count, key="rolled back", steps=1)
        raise RuntimeError("the clerk's action failed")
    with transaction.atomic():
        enqueue(tasks_for_worker.count, key="committed", steps=1)
        assert progress.read("committed") is None, "nothing is sent before the commit"
    celery_worker.wait_for("committed")
    assert progress.read("rolled back") is None, "one worker takes its queue in order: it would have run first"


def test_the_celery_app_takes_its_broker_and_limits_from_the_settings_and_speaks_only_json():
    from vanphong.celery import app, run_task

    assert run_task.name == CeleryBackend.CELERY_TASK_NAME == "vanphong.run_task"
    conf = app.conf
    assert (conf.task_serializer, conf.accept_content, conf.result_backend) == ("json", ["json"], None)
    assert (conf.task_acks_late, conf.worker_prefetch_multiplier, conf.task_ignore_result) == (True, 1, True)
    assert (conf.task_soft_time_limit, conf.task_time_limit) == (1800, 1860)
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit
    assert conf.task_default_queue == "default"


def test_the_celery_backend_sends_the_one_celery_task_after_the_commit(
    db, settings, django_capture_on_commit_callbacks
):
    sent = []

    class FakeApp:
        def send_task(self, name, kwargs, queue):
            sent.append((name, kwargs, queue))

    settings.VANPHONG_CELERY_QUEUE = "ocr"
    backend = CeleryBackend(app=FakeApp())
    with django_capture_on_commit_callbacks(execute=True):
        backend.enqueue(tasks_for_worker.count.task_name, {"key": "k", "steps": 1})
        assert sent == []
    payload = {"name": "vanphong.core.tests.tasks_for_worker.count", "kwargs": {"key": "k", "steps": 1}}
    assert sent == [("vanphong.run_task", payload, "ocr")]


@pytest.mark.django_db(transaction=True)
def test_when_the_broker_is_down_the_action_stands_and_the_error_is_logged(caplog):
    class BrokerDown:
        def send_task(self, name, kwargs, queue):
            raise ConnectionRefusedError("Redis is down")

    with caplog.at_level(logging.ERROR), transaction.atomic():
        Agency.objects.create(name="Sở Nội vụ tỉnh Nghệ An")
        CeleryBackend(app=BrokerDown()).enqueue(tasks_for_worker.count.task_name, {"key": "k", "steps": 1})
    assert Agency.objects.filter(name="Sở Nội vụ tỉnh Nghệ An").exists()
    assert "Redis is down" in caplog.text


# Progress in-process (the default backend runs the task right after the commit)


@pytest.mark.django_db(transaction=True)
def test_in_process_the_same_task_reports_its_progress():
    progress.queued("inprocess")
    enqueue(tasks_for_worker.count, key="inprocess", steps=2)
    assert (progress.read("inprocess").state, progress.read("inprocess").done) == (State.DONE, 2)
    enqueue(tasks_for_worker.break_down, key="inprocess broken")
    assert progress.read("inprocess broken").state == State.FAILED


def test_progress_of_work_never_asked_for_is_none_and_queuing_again_starts_from_nothing(db):
    assert progress.read("nothing") is None
    progress.start("again", total=4)
    progress.advance("again", by=3, message="3/4")
    assert progress.read("again").percent == 75
    with progress.tracking("again", total=4) as tracker:
        tracker.report(2, 5)  # a library's progress(done, total) callback
        assert (progress.read("again").done, progress.read("again").total) == (2, 5)
    progress.queued("again")
    again = progress.read("again")
    assert (again.state, again.done, again.total, again.message, again.percent) == (State.QUEUED, 0, None, "", None)


def test_progress_reported_without_a_start_still_counts(db):
    progress.advance("unannounced", total=10)
    assert (progress.read("unannounced").state, progress.read("unannounced").done) == (State.RUNNING, 1)
    progress.fail("other", message="Tệp không đọc được.")
    assert (progress.read("other").state, progress.read("other").message) == (State.FAILED, "Tệp không đọc được.")
