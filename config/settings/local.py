"""The embedded default for `make run`: SQLite, no Redis, Celery eager."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# No beat process here: runserver runs the beat schedule in a thread (core.scheduler).
EMBEDDED_SCHEDULER = env.bool("EMBEDDED_SCHEDULER", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
