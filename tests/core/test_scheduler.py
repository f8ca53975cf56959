"""The embedded scheduler of `make run` runs the same beat schedule in-process."""

import datetime as dt

from core.outbox.scheduler import embedded_scheduler_start, scheduler_entries, scheduler_tick
from supervision.models import CourtRuleStat


def test_a_due_entry_runs_and_the_others_wait(courts, clerk, settings, monkeypatch, now):
    from config.celery_app import app
    from tests.enforcement.factories import make_case

    make_case(clerk, courts.lu0102, received="2026-09-29 10:00")

    monkeypatch.setitem(app.conf, "CELERY_TASK_ALWAYS_EAGER", True)  # as in `make run`
    entries = {
        name: entry
        for name, entry in scheduler_entries().items()
        if name in ("supervision-scan-deadlines", "core-purge-idempotency-keys")
    }
    last_run = {
        "supervision-scan-deadlines": now - dt.timedelta(hours=1),  # overdue: runs
        "core-purge-idempotency-keys": now,  # hourly, just ran: waits
    }

    wait = scheduler_tick(entries, last_run)

    assert CourtRuleStat.objects.filter(court=courts.lu0102).exists()  # scanned and counted
    assert last_run["supervision-scan-deadlines"] > now
    assert last_run["core-purge-idempotency-keys"] == now
    assert 1.0 <= wait <= settings.CELERY_BEAT_SCHEDULE["supervision-scan-deadlines"]["schedule"]


def test_the_scheduler_only_starts_in_runservers_serving_process(settings, monkeypatch):
    settings.EMBEDDED_SCHEDULER = True
    monkeypatch.delenv("RUN_MAIN", raising=False)
    assert embedded_scheduler_start() is False
    settings.EMBEDDED_SCHEDULER = False
    monkeypatch.setenv("RUN_MAIN", "true")
    assert embedded_scheduler_start() is False
