"""The embedded scheduler of ``make run``: no Redis, no beat process, so the
serving process itself runs the beat schedule (``CELERY_BEAT_SCHEDULE``, the same
entries production's beat runs) in a daemon thread, each task synchronously.

Only for the embedded default (``EMBEDDED_SCHEDULER``); production runs Celery
beat and workers (docker-compose.yml)."""

import logging
import os
import threading
import time
from typing import Any

from celery import current_app
from celery.schedules import maybe_schedule
from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

logger = logging.getLogger(__name__)

_started = threading.Event()


def embedded_scheduler_start() -> bool:
    """Start the thread once, in runserver's serving process only (the
    autoreloader's parent process sets no ``RUN_MAIN``)."""
    if not getattr(settings, "EMBEDDED_SCHEDULER", False) or _started.is_set():
        return False
    if os.environ.get("RUN_MAIN") != "true":
        return False
    _started.set()
    threading.Thread(target=_loop, name="embedded-beat", daemon=True).start()
    logger.info("embedded scheduler started with %d entries", len(settings.CELERY_BEAT_SCHEDULE))
    return True


def scheduler_entries(app: Any = None) -> dict:
    """``CELERY_BEAT_SCHEDULE`` as (task name, schedule object, kwargs) per entry, for
    ``app`` (by default the current one, which ``config.celery_app`` builds)."""
    app = app or current_app
    app.loader.import_default_modules()  # the apps' tasks modules (autodiscovery)
    return {
        name: (spec["task"], maybe_schedule(spec["schedule"], app=app), spec.get("kwargs", {}))
        for name, spec in settings.CELERY_BEAT_SCHEDULE.items()
    }


def scheduler_tick(entries: dict, last_run: dict) -> float:
    """Run every entry that is due (synchronously) and record when; returns the
    seconds until the next entry may be due."""
    wait = 60.0
    for name, (task_name, schedule, kwargs) in entries.items():
        due, next_in = schedule.is_due(last_run[name])
        if due:
            last_run[name] = timezone.now()
            try:
                current_app.tasks[task_name].apply(kwargs=kwargs, throw=True)
            except Exception:
                logger.exception("embedded scheduler: %s failed", name)
            due, next_in = schedule.is_due(last_run[name])
        wait = min(wait, max(float(next_in), 1.0))
    return wait


def _loop() -> None:
    time.sleep(5)  # let the server come up first
    entries = scheduler_entries()
    last_run = dict.fromkeys(entries, timezone.now())
    while True:
        wait = scheduler_tick(entries, last_run)
        close_old_connections()
        time.sleep(wait)
