"""End to end on the production shape: Celery beat (django-celery-beat's database
scheduler, schedule declared in code) sends the scan, a real worker fans it out
per court through Redis, and the alert lands in PostgreSQL."""

import os
import signal
import subprocess
import uuid

import pytest
from django.conf import settings

from core.models import DeadlineStatus
from supervision.models import Alert, AlertLevel, CourtRuleStat
from tests.core.test_celery_worker import ROOT, wait_for
from tests.enforcement.factories import make_case
from tests.frozen_process import frozen_env, python_module
from tests.supervision.factories import search_clock


def _start(args, env):
    return subprocess.Popen(
        python_module("celery", "-A", "config", *args),  # on the suite's frozen clock
        cwd=ROOT,
        env={**env, **frozen_env()},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _stop(proc) -> str:
    proc.send_signal(signal.SIGTERM)
    try:
        output, _ = proc.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        output, _ = proc.communicate()
    return output.decode(errors="replace")


@pytest.fixture
def worker_and_beat(transactional_db):
    queue = f"test-beat-{uuid.uuid4().hex[:8]}"
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "SCAN_INTERVAL_SECONDS": "2",
    }
    worker = _start(
        [
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ],
        env,
    )
    beat = _start(["beat", "--max-interval=1", "--loglevel=INFO"], env)
    try:
        yield
    finally:
        print(_stop(beat))  # noqa: T201 - shown when the test fails
        print(_stop(worker))  # noqa: T201


@pytest.mark.worker
def test_beat_and_a_worker_raise_an_overdue_alert_end_to_end(courts, clerk, handler, worker_and_beat):
    case = make_case(clerk, courts.lu0102, received="2026-09-29 10:00", handler=handler)
    clock = search_clock(case)

    assert wait_for(lambda: Alert.objects.filter(deadline=clock, level=AlertLevel.UPPER).exists(), timeout=60)

    clock.refresh_from_db()
    assert clock.status == DeadlineStatus.BREACHED
    assert set(Alert.objects.filter(deadline=clock).values_list("level", flat=True)) == {
        AlertLevel.OVERDUE,
        AlertLevel.ESCALATED,
        AlertLevel.UPPER,
    }
    # the worker refreshed the court's dashboard counters after its scan
    assert wait_for(lambda: CourtRuleStat.objects.filter(court=courts.lu0102).exists(), timeout=30)
    # beat keeps firing every 2 s: later scans raise nothing twice
    first = CourtRuleStat.objects.filter(court=courts.lu0102).first().computed_at
    assert wait_for(
        lambda: CourtRuleStat.objects.filter(court=courts.lu0102).first().computed_at > first, timeout=30
    )
    assert Alert.objects.filter(deadline=clock).count() == 3
