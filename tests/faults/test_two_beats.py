"""Two ``celery beat`` processes against one database (a failover overlap, a
deployment mistake): every periodic effect still happens once. Beat stamps each
message with its entry and scheduled slot; the first message of a slot claims it
(``PeriodicRun``), the other beat's is skipped — and the tasks are idempotent
besides (alerts unique per clock and level, the digest's ``SKIP LOCKED`` claim)."""

import re

import pytest
from django.db.models import Sum
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from core.models import Notification, PeriodicRun, Role
from supervision.models import Alert
from tests.core.factories import make_member
from tests.enforcement.factories import make_case
from tests.faults.harness import (
    PrivateRedis,
    new_queue,
    start_celery,
    start_worker,
    stop,
    subprocess_env,
    wait_for,
)

SCAN = "supervision-scan-deadlines"
DIGEST = "supervision-alert-digest"


def _mails(directory) -> dict[str, int]:
    counts: dict[str, int] = {}
    for path in directory.glob("*.log"):
        for to in re.findall(r"^To: (.+)$", path.read_text(), flags=re.MULTILINE):
            counts[to] = counts.get(to, 0) + 1
    return counts


def _skipped(name: str) -> int:
    return PeriodicRun.objects.filter(name=name).aggregate(n=Sum("skipped"))["n"] or 0


@pytest.mark.worker
def test_two_beats_run_each_slot_once(transactional_db, courts, clerk, handler, bureau_head, case_supervisor, tmp_path):
    local_supervisor = make_member(Role.CASE_SUPERVISOR, courts.lu0102, "local_supervisor")
    people = (handler, local_supervisor, bureau_head, case_supervisor)
    for user in people:
        user.email = f"{user.username}@court.example"
        user.save(update_fields=["email"])
    case = make_case(clerk, courts.lu0102, received="2026-09-29 10:00", handler=handler)
    # the handler's 案件分配 notification (issue 16) went out before this test's beats:
    # the digests here carry the alerts only, one e-mail per person
    Notification.objects.update(emailed_at=timezone.now())

    broker = PrivateRedis(tmp_path)
    broker.start()
    queue = new_queue()
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = subprocess_env(
        broker.url,
        queue,
        SCAN_INTERVAL_SECONDS="2",
        ALERT_DIGEST_INTERVAL_SECONDS="2",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail_dir),
    )
    beat_args = ["beat", "--max-interval=1", "--loglevel=INFO"]
    worker = start_worker(env)
    beats = [start_celery(beat_args, env)]
    outputs = []
    try:
        # the second beat once the first has written the schedule (both would race
        # to insert the same rows otherwise — django-celery-beat's, not ours)
        assert wait_for(lambda: PeriodicTask.objects.filter(name=DIGEST).exists(), timeout=90)
        beats.append(start_celery(beat_args, env))
        # both beats fire every 2 s: wait for slots of each entry that both sent
        assert wait_for(lambda: _skipped(SCAN) >= 2 and _skipped(DIGEST) >= 2, timeout=90)
        assert wait_for(lambda: sum(_mails(mail_dir).values()) >= len(people), timeout=30)
    finally:
        outputs = [stop(beat) for beat in beats]
        # drained: nothing queued, nothing delivered but unacknowledged (a skipped
        # message is acknowledged like any other)
        client = broker.client()
        assert wait_for(lambda: client.llen(queue) == 0 and client.hlen("unacked") == 0, timeout=30)
        worker_output = stop(worker)
        broker.stop()
        print(*outputs, worker_output, sep="\n")  # noqa: T201 - shown when the test fails

    # both beats really sent: slots of each entry got a second message, skipped
    assert _skipped(SCAN) >= 2 and _skipped(DIGEST) >= 2
    # one run per slot: a row per (entry, slot), each run to the end by one message
    for name in (SCAN, DIGEST):
        runs = PeriodicRun.objects.filter(name=name)
        assert runs.count() >= 2 and not runs.filter(finished_at__isnull=True).exists()
        assert len(set(runs.values_list("task_id", flat=True))) == runs.count()
    ran = len(re.findall(r"Task supervision\.tasks\.scan_deadlines\[[^\]]+\] succeeded", worker_output))
    assert ran == PeriodicRun.objects.filter(name=SCAN).count()  # the skipped ones did not run
    # the effects, once: each alert raised once, each digest e-mail sent once
    assert Alert.objects.filter(case=case).count() == Alert.objects.filter(case=case).distinct("deadline", "level").count()
    assert Alert.objects.filter(case=case).exists()
    assert _mails(mail_dir) == {u.email: 1 for u in people}
