"""The embedded default for `make run`: SQLite, no Redis, Celery eager."""

from .base import *  # noqa: F403
from .base import DATABASES, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# No beat process here: runserver runs the beat schedule in a thread (core.outbox.scheduler).
EMBEDDED_SCHEDULER = env.bool("EMBEDDED_SCHEDULER", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# runserver answers each request in a thread of its own and SQLite has one writer at a
# time. A deferred transaction (plain BEGIN) that has read and then writes fails at once
# with "database is locked" when another connection wrote in between: waiting would not
# help, its snapshot is stale. BEGIN IMMEDIATE takes the write lock before the first
# read, so every transaction.atomic() queues for it (``timeout``: sqlite3's busy
# handler, which autocommit writes such as the audit record wait on too) and then reads
# what the writer before it committed. select_for_update is a no-op on SQLite: this lock
# is what serialises the ledger's balance checks here. WAL keeps readers going while one
# transaction writes; synchronous=NORMAL is WAL's usual pairing (a power cut may lose the
# last commits, never corrupt the file). A DATABASE_URL to PostgreSQL needs none of it.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES = {
        **DATABASES,
        "default": {
            **DATABASES["default"],
            "OPTIONS": {
                **DATABASES["default"].get("OPTIONS", {}),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,  # seconds a writer waits for the lock
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            },
        },
    }
