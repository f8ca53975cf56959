"""Restart Redis with tasks queued: nothing is lost. A private redis-server without
persistence, so a restart forgets the queue exactly as production's would; the
transactional outbox in PostgreSQL is what remembers."""

import datetime as dt
import time

import pytest
from django.core.management import call_command

import supervision.exports  # noqa: F401 - registers the exporter used below
from core.exports import export_start
from core.models import Deadline, ExportJob, ExportStatus, TaskOutbox
from core.services import clocks
from core.services.calendar import calendar_day_set
from tests.conftest import at
from tests.faults.harness import PrivateRedis, app_broker, start_worker, stop, subprocess_env, wait_for

QUEUE = "celery"  # this process publishes to the default queue; the Redis is the test's own


def _row(job) -> TaskOutbox:
    return TaskOutbox.objects.get(task="core.tasks.run_export", kwargs__job_id=str(job.pk))


@pytest.mark.worker
def test_a_redis_restart_with_tasks_queued_loses_nothing(transactional_db, courts, case_supervisor, tmp_path, capsys):
    broker = PrivateRedis(tmp_path)
    broker.start()
    clock = clocks.clock_start(rule_code="SEARCH_START", court=courts.lu0102, started_at=at("2026-11-02 10:00"))
    worker = None
    try:
        with app_broker(broker.url):
            # given: a task enqueued and sitting in Redis, no worker yet
            queued = export_start(user=case_supervisor, key="supervision.indicators", params={})
            assert _row(queued).sent_at is not None and broker.queued(QUEUE) == 1

            # when: Redis goes down (the queued message with it) ...
            broker.stop()
            # ... and the change is made while it is down: the request still succeeds
            started = time.monotonic()
            during = export_start(user=case_supervisor, key="supervision.indicators", params={})
            calendar_day_set(date=dt.date(2026, 11, 4), kind="holiday", name="临时调整", actor=None)
            down_ms = (time.monotonic() - started) * 1000
            assert ExportJob.objects.filter(pk=during.pk, status=ExportStatus.QUEUED).exists()
            unsent = TaskOutbox.objects.filter(sent_at__isnull=True)
            assert unsent.count() == 2 and all(row.last_error and row.attempts == 1 for row in unsent)

            # Redis comes back empty
            broker.start()
            assert broker.queued(QUEUE) == 0

            # then: the relay publishes what was never sent and what Redis lost
            call_command("relay_outbox", older_than=0, redeliver_after=0)
            assert "published 3" in capsys.readouterr().out
            assert broker.queued(QUEUE) == 3

            worker = start_worker(subprocess_env(broker.url, QUEUE))
            started = time.monotonic()
            assert wait_for(lambda: not TaskOutbox.objects.filter(done_at__isnull=True).exists(), timeout=90)
            drained_s = time.monotonic() - started

            # each task ran exactly once, and its effect is there
            for job in (queued, during):
                job = ExportJob.objects.get(pk=job.pk)
                assert job.status == ExportStatus.DONE and job.attempts == 1, job.error
            assert Deadline.objects.get(pk=clock.pk).due_at.date() == dt.date(2026, 11, 10)  # the holiday counted

            # a relay now finds nothing to do (done rows are never published again)
            call_command("relay_outbox", older_than=0, redeliver_after=0)
            assert "published 0" in capsys.readouterr().out
            assert broker.queued(QUEUE) == 0
    finally:
        if worker is not None:
            print(stop(worker))  # noqa: T201 - shown when the test fails
        broker.stop()
    with capsys.disabled():
        print(f"\n[faults] publishing with Redis down: {down_ms:.0f} ms for 2 requests; "  # noqa: T201
              f"relay -> worker done: {drained_s:.1f} s (incl. worker start)")
