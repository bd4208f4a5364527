"""The Celery app that the workers load (`celery -A vanphong worker -Q default`) and that
vanphong.core.tasks.CeleryBackend sends tasks with, when VANPHONG_TASK_BACKEND is "celery".

Celery knows a single task, "vanphong.run_task", which runs one of ours by its dotted name: the worker imports the
task's module on first use (vanphong.core.tasks.registered), so a new @task needs no change here. Progress of long
work is kept in the database (vanphong.core.progress), so no result backend is configured.

The operator's settings (vanphong/settings/base.py): VANPHONG_CELERY_BROKER_URL, VANPHONG_CELERY_QUEUE and the time
limits VANPHONG_CELERY_SOFT_TIME_LIMIT, VANPHONG_CELERY_TIME_LIMIT. The rest is the platform's choice:

- JSON only, both ways: what a task gets is what enqueue() checked it can carry, and a worker never unpickles.
- A task is acknowledged once it has run (acks_late) and a worker takes one task at a time (prefetch 1): a worker
  that dies mid-task does not lose the tasks queued behind it, and a long OCR does not hold others back.
- Redis hands an unacknowledged task to another worker after its visibility timeout; it is set beyond the hard time
  limit, so that a long task still running is not started a second time.

Celery's Django fix-up (DJANGO_SETTINGS_MODULE in the environment) sets Django up in the worker and closes the
database connections around each task.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanphong.settings.production")

from django.conf import settings

CELERY_TASK_NAME = "vanphong.run_task"

app = Celery("vanphong")
app.conf.update(
    broker_url=settings.VANPHONG_CELERY_BROKER_URL,
    broker_connection_retry_on_startup=True,
    broker_transport_options={"visibility_timeout": settings.VANPHONG_CELERY_TIME_LIMIT + 600},
    result_backend=None,
    task_ignore_result=True,
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    event_serializer="json",
    task_acks_late=True,
    worker_prefetch_multiplier=1,
    task_default_queue=settings.VANPHONG_CELERY_QUEUE,
    task_soft_time_limit=settings.VANPHONG_CELERY_SOFT_TIME_LIMIT,
    task_time_limit=settings.VANPHONG_CELERY_TIME_LIMIT,
    enable_utc=True,
    timezone="UTC",
)


@app.task(name=CELERY_TASK_NAME)
def run_task(name: str, kwargs: dict) -> None:
    """Run our task `name` (vanphong.core.tasks.run). A task that raises is logged by the worker with its traceback
    and acknowledged: it is not retried, and the worker goes on with the next."""
    from vanphong.core.tasks import run

    run(name, kwargs)
