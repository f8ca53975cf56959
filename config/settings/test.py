"""The test suite runs against real PostgreSQL and Redis (DATABASE_URL, REDIS_URL)."""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zhixing")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# pytest itself always uses locmem (Django's test environment); a worker subprocess
# of the fault tests writes its mail to files the test can count.
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=None)
CELERY_TASK_ALWAYS_EAGER = False  # eager hides commit bugs (STYLE §15)
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=env("REDIS_URL"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": "1000/min", "user": "100000/min"},
}
AXES_FAILURE_LIMIT = 3

# Fault injection (tests/faults, core.outbox.faults.fault_point): a worker
# started with FAULT_PAUSE_AT=<point> writes FAULT_PAUSE_FILE there and sleeps, for
# the test to kill it. Only this settings module reads them.
FAULT_PAUSE_AT = env("FAULT_PAUSE_AT", default="")
FAULT_PAUSE_FILE = env("FAULT_PAUSE_FILE", default="")
FAULT_PAUSE_SECONDS = env.int("FAULT_PAUSE_SECONDS", default=120)
