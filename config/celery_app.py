"""Celery application (cookiecutter-django shape).

Settings come from Django settings under the ``CELERY_`` namespace (``acks_late`` and
``reject_on_worker_lost`` for every task among them: ``CELERY_TASK_ACKS_LATE``,
``CELERY_TASK_REJECT_ON_WORKER_LOST``); the beat schedule is declared in code
(``config.settings.base.CELERY_BEAT_SCHEDULE``) and stored by django-celery-beat's
database scheduler.

Every task's base is ``core.outbox.task.OutboxTask``: it ties a message to its
outbox row (marked done once the task ran) and a beat message to its slot (one run
per slot, however many beats). ``core.outbox`` has the rest of the guarantees.
"""

import os

from celery import Celery

from core.outbox.task import OutboxTask

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("zhixing", task_cls=OutboxTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
