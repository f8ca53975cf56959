"""The Celery wiring end to end: a task enqueued after commit travels through the
real Redis broker to a real worker process, which reads PostgreSQL and acts."""

import datetime as dt
import os
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from core import tasks
from core.models import IdempotencyRecord
from core.outbox.outbox import enqueue_on_commit
from tests.core.factories import UserFactory
from tests.frozen_process import frozen_env, python_module

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker(transactional_db):
    """A real worker on a queue of its own, pointed at this test's database."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        # the same broker as this process; the queue of its own keeps tests apart
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
    }
    proc = subprocess.Popen(
        python_module("celery", "-A", "config", "worker", "--pool=solo", "-Q", queue,
                      "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"),
        cwd=ROOT, env={**env, **frozen_env()}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # on the suite's frozen clock, as this process
    try:
        yield queue
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            output, _ = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            output, _ = proc.communicate()
        print(output.decode(errors="replace"))  # noqa: T201 - shown when the test fails


def wait_for(predicate, timeout=90.0):  # generous: a worker starts slowly on a loaded machine
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


@pytest.mark.worker
def test_task_enqueued_after_commit_runs_on_a_real_worker(worker):
    user = UserFactory()
    stale = IdempotencyRecord.objects.create(user=user, key="old", method="POST", path="/x", request_hash="h")
    fresh = IdempotencyRecord.objects.create(user=user, key="new", method="POST", path="/x", request_hash="h")
    IdempotencyRecord.objects.filter(pk=stale.pk).update(created_at=timezone.now() - dt.timedelta(days=3))
    assert connection.in_atomic_block is False  # real transactions: the worker sees committed rows

    with transaction.atomic():
        transaction.on_commit(lambda: tasks.purge_idempotency_keys.apply_async(queue=worker))

    assert wait_for(lambda: not IdempotencyRecord.objects.filter(pk=stale.pk).exists())
    assert IdempotencyRecord.objects.filter(pk=fresh.pk).exists()


def test_a_rolled_back_transaction_never_sends_its_task(db, monkeypatch):
    sent = []
    monkeypatch.setattr(tasks.purge_idempotency_keys, "delay", lambda **kw: sent.append(kw))
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(tasks.purge_idempotency_keys)
        raise RuntimeError("rolled back")
    assert sent == []


def test_enqueue_binds_arguments_now_not_at_commit(db, monkeypatch, django_capture_on_commit_callbacks):
    sent = []
    monkeypatch.setattr(tasks.recompute_clocks_for_dates, "delay", lambda **kw: sent.append(kw))
    with django_capture_on_commit_callbacks(execute=True):
        for day in ("2026-11-02", "2026-11-03"):
            enqueue_on_commit(tasks.recompute_clocks_for_dates, first=day, last=day)
    assert sent == [{"first": "2026-11-02", "last": "2026-11-02"}, {"first": "2026-11-03", "last": "2026-11-03"}]
