"""A worker SIGKILLed mid-scan and mid-notification: a new worker finishes the work,
exactly once.

The first worker is started with ``FAULT_PAUSE_AT`` (``core.outbox.faults.
fault_point``): it writes a marker file at that point and sleeps, and the test kills
it there. The message was never acknowledged (``acks_late``), so Redis hands it out
again once ``visibility_timeout`` has passed (one second here, an hour in
production) — at the next worker's start."""

import re
import signal

import pytest
from django.utils import timezone

from core.models import DeadlineStatus, OutboundEmail, TaskOutbox
from supervision.models import Alert, AlertLevel, CourtRuleStat
from tests.enforcement.factories import make_case
from tests.faults.harness import PrivateRedis, new_queue, send, start_worker, stop, subprocess_env, wait_for
from tests.supervision.factories import search_clock

VISIBILITY = {"CELERY_BROKER_VISIBILITY_TIMEOUT": "1"}


@pytest.fixture
def broker(tmp_path):
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


def _killed_at(point, broker, queue, tmp_path, **env):
    """A worker that stops at ``point``; returns it once it is there."""
    marker = tmp_path / f"{point}.reached"
    worker = start_worker(
        subprocess_env(broker.url, queue, FAULT_PAUSE_AT=point, FAULT_PAUSE_FILE=str(marker), **VISIBILITY, **env)
    )
    return worker, marker


def _idle(broker, queue) -> bool:
    """Nothing queued and nothing delivered but unacknowledged."""
    client = broker.client()
    return client.llen(queue) == 0 and client.hlen("unacked") == 0


def _ran(output: str, task: str) -> int:
    return len(re.findall(rf"Task {re.escape(task)}\[[^\]]+\] succeeded", output))


@pytest.mark.worker
def test_a_worker_killed_mid_scan_leaves_nothing_half_done_and_the_next_one_finishes(
    transactional_db, courts, clerk, handler, broker, tmp_path
):
    case = make_case(clerk, courts.lu0102, received="2026-09-29 10:00", handler=handler)
    clock = search_clock(case)
    queue = new_queue()
    moment = timezone.now().isoformat()
    first, marker = _killed_at("scan.raised", broker, queue, tmp_path)
    second = None
    try:
        send(broker.url, "supervision.tasks.scan_court", queue, court_id=courts.lu0102.pk, at=moment)
        assert wait_for(marker.exists, timeout=90), stop(first)
        # inside the scan's transaction: the alerts are inserted but not committed
        assert not Alert.objects.filter(deadline=clock).exists()
        stop(first, signal.SIGKILL)
        assert first.returncode == -signal.SIGKILL
        assert not Alert.objects.filter(deadline=clock).exists()  # rolled back with the connection
        clock.refresh_from_db()
        assert clock.status == DeadlineStatus.OPEN

        second = start_worker(subprocess_env(broker.url, queue, **VISIBILITY))
        assert wait_for(lambda: CourtRuleStat.objects.filter(court=courts.lu0102).exists(), timeout=90)
        assert wait_for(lambda: _idle(broker, queue), timeout=30)
    finally:
        output = stop(second) if second is not None else ""
        print(output)  # noqa: T201 - shown when the test fails

    assert _ran(output, "supervision.tasks.scan_court") == 1  # redelivered once, run once
    alerts = Alert.objects.filter(deadline=clock)
    assert sorted(alerts.values_list("level", flat=True)) == sorted(
        [AlertLevel.OVERDUE, AlertLevel.ESCALATED, AlertLevel.UPPER]
    )
    assert {a.raised_at.isoformat() for a in alerts} == {moment}  # the message's moment, not the rerun's
    clock.refresh_from_db()
    assert clock.status == DeadlineStatus.BREACHED


def _mails(directory) -> dict[str, int]:
    """Messages per recipient in the file backend's output."""
    counts: dict[str, int] = {}
    for path in directory.glob("*.log"):
        for to in re.findall(r"^To: (.+)$", path.read_text(), flags=re.MULTILINE):
            counts[to] = counts.get(to, 0) + 1
    return counts


@pytest.mark.worker
@pytest.mark.parametrize("point", ["digest.claimed", "email.sending"])
def test_a_worker_killed_mid_digest_sends_each_mail_once_later(transactional_db, raised, broker, tmp_path, point):
    """``digest.claimed``: alerts claimed and e-mails recorded (committed), nothing
    sent. ``email.sending``: inside the first e-mail's row lock, before the mail
    server is asked."""
    queue = new_queue()
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    mail_env = {"DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": str(mail_dir)}
    first, marker = _killed_at(point, broker, queue, tmp_path, **mail_env)
    second = None
    try:
        send(broker.url, "supervision.tasks.send_alert_digest", queue)
        assert wait_for(marker.exists, timeout=90), stop(first)
        stop(first, signal.SIGKILL)
        # the claim and the e-mails it decided on were committed together; none went
        assert not Alert.objects.filter(notified_at__isnull=True).exists()
        assert OutboundEmail.objects.filter(sent_at__isnull=True).count() == len(raised)
        assert _mails(mail_dir) == {}

        second = start_worker(subprocess_env(broker.url, queue, **VISIBILITY, **mail_env))
        # the digest comes back (unacknowledged) and finds nothing left to claim;
        # the relay delivers what the dead worker recorded
        assert wait_for(lambda: _idle(broker, queue), timeout=90)
        send(broker.url, "core.tasks.relay_outbox", queue, older_than=0)
        assert wait_for(lambda: not OutboundEmail.objects.filter(sent_at__isnull=True).exists(), timeout=30)
        # and again: a second relay and a second digest send nothing more
        send(broker.url, "core.tasks.relay_outbox", queue, older_than=0)
        send(broker.url, "supervision.tasks.send_alert_digest", queue)
        assert wait_for(lambda: _idle(broker, queue), timeout=30)
    finally:
        output = stop(second) if second is not None else ""
        print(output)  # noqa: T201 - shown when the test fails

    assert _ran(output, "supervision.tasks.send_alert_digest") == 2  # the redelivered one and ours
    assert _mails(mail_dir) == dict.fromkeys(raised, 1)  # each recipient's digest, once
    assert not TaskOutbox.objects.exists()  # nothing here went through the task outbox
