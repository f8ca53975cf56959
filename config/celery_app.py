"""Celery application (cookiecutter-django shape).

Settings come from Django settings under the ``CELERY_`` namespace; the beat
schedule is declared in code (``config.settings.base.CELERY_BEAT_SCHEDULE``) and
stored by django-celery-beat's database scheduler, so exactly one beat process per
deployment owns it.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("zhixing")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
