"""The transactional outbox without a worker: a rolled-back transaction sends
nothing at any enqueue site; the relay publishes exactly what is due, and two
relays never the same row; a broker that is down costs the request nothing; the
embedded default (Celery eager) still runs tasks at once; periodic slots."""

import ast
import datetime as dt
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from celery.schedules import crontab, schedule
from django.core import mail
from django.db import transaction
from django.utils import timezone

import supervision.exports  # noqa: F401 - registers the exporter used below
from core.exports import export_start
from core.models import Deadline, OutboundEmail, PeriodicRun, TaskOutbox
from core.outbox.common import publishing_outbox_id
from core.outbox.outbox import OUTBOX_MAX_ATTEMPTS, outbox_purge, outbox_relay
from core.outbox.periodic import periodic_claim
from core.outbox.slots import schedule_slot
from core.services import clocks
from core.services.calendar import (
    calendar_day_remove,
    calendar_day_set,
    calendar_load_from_package,
    calendar_year_load,
    calendar_year_mark_loaded,
)
from supervision.models import Alert
from supervision.services import alerts as alerts_service
from supervision.services.alerts import alerts_send_digest
from tests.concurrency import race
from tests.conftest import SHANGHAI, at
from tests.faults.harness import ROOT, app_broker

# Every place that asks for a task after commit, with the task it asks for.
SITES = {
    "export_start": (
        "core.tasks.run_export",
        lambda w: export_start(user=w.case_supervisor, key="supervision.indicators", params={}),
    ),
    "calendar_day_set": (
        "core.tasks.recompute_clocks_for_dates",
        lambda w: calendar_day_set(date=dt.date(2026, 11, 4), kind="holiday", name="临时", actor=None),
    ),
    "calendar_day_remove": (
        "core.tasks.recompute_clocks_for_dates",
        lambda w: calendar_day_remove(date=dt.date(2026, 10, 1), actor=None),
    ),
    "calendar_year_mark_loaded": (
        "core.tasks.recompute_clocks_for_dates",
        lambda w: calendar_year_mark_loaded(year=2031, actor=None),
    ),
    "calendar_load_from_package": (
        "core.tasks.recompute_clocks_for_dates",
        lambda w: calendar_load_from_package(years=[2026], force=True),
    ),
    "calendar_year_load": (
        "core.tasks.recompute_calendar_load",
        lambda w: calendar_year_load(
            year=2031, holidays=[dt.date(2031, 1, 1)], workdays=[], actor=None, check_permission=False
        ),
    ),
}


class Boom(Exception):
    pass


@pytest.mark.parametrize("site", sorted(SITES))
def test_a_rolled_back_transaction_never_sends_its_task(
    courts, case_supervisor, published, site, django_capture_on_commit_callbacks
):
    task, call = SITES[site]
    world = SimpleNamespace(case_supervisor=case_supervisor)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Boom), transaction.atomic():
            call(world)
            raise Boom

    assert callbacks == [] and published == []
    assert not TaskOutbox.objects.exists()

    # the same call committed: one row, published once, its id in the message
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call(world)
    row = TaskOutbox.objects.get()
    assert len(callbacks) == 1 and published == [(task, row.kwargs, row.pk)]
    assert row.task == task and row.sent_at is not None and row.attempts == 1 and row.done_at is None


def test_a_real_rollback_sends_nothing_and_a_real_commit_sends_once(transactional_db, courts, case_supervisor, published):
    """The same with real transactions (no test transaction around them)."""
    with pytest.raises(Boom), transaction.atomic():
        export_start(user=case_supervisor, key="supervision.indicators", params={})
        raise Boom
    assert published == [] and not TaskOutbox.objects.exists()

    job = export_start(user=case_supervisor, key="supervision.indicators", params={})
    row = TaskOutbox.objects.get()
    assert published == [("core.tasks.run_export", {"job_id": str(job.pk)}, row.pk)]
    assert row.sent_at is not None


def _calls(pattern: str) -> set[tuple[str, str]]:
    found = set()
    skip = {"tests", "node_modules", "bench", "static", "locale", "templates", "docs"}
    folders = [p for p in ROOT.iterdir() if p.is_dir() and not p.name.startswith(".") and p.name not in skip]
    for path in (f for folder in folders for f in folder.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith("core/outbox/"):  # the outbox itself
            continue
        for match in re.finditer(pattern, path.read_text()):
            found.add((relative, match.group(1)))
    return found


def _callers(relative: str, callee: str) -> set[str]:
    """The functions of module ``relative`` that call ``callee``."""
    tree = ast.parse((ROOT / relative).read_text())
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
        and any(
            isinstance(call, ast.Call) and getattr(call.func, "id", None) == callee for call in ast.walk(node)
        )
    }


def test_every_enqueue_site_is_one_of_those_proved():
    """A new ``enqueue_on_commit`` (or a bare ``.delay``, or a mail sent directly)
    fails here until the tests above cover it."""
    assert _calls(r"\benqueue_on_commit\(\s*([\w.]+)") == {
        ("core/exports.py", "RUN_EXPORT"),
        ("core/services/calendar.py", "RECOMPUTE_CLOCKS_FOR_DATES"),
        ("core/services/calendar.py", "RECOMPUTE_CALENDAR_LOAD"),
    }
    assert _callers("core/exports.py", "enqueue_on_commit") == {"export_start"}
    assert _callers("core/services/calendar.py", "enqueue_on_commit") == {
        "_recompute_after_commit",
        "calendar_year_load",
    }
    assert _callers("core/services/calendar.py", "_recompute_after_commit") | {
        "export_start",
        "calendar_year_load",
    } == set(SITES)
    # the only other publisher (besides the outbox): the scan's fan-out, inside a task
    assert {path for path, _ in _calls(r"\.(delay|apply_async|send_task)\(")} == {"supervision/tasks.py"}
    # e-mail goes through the outbox too: nothing sends a message directly
    assert _calls(r"\b(email_queue|send_mail|send_mass_mail|mail_admins|EmailMessage|EmailMultiAlternatives)\(") == {
        ("supervision/services/alerts.py", "email_queue"),
        # each court's 专人监管 is told what a year's load moved (inside the recompute task)
        ("core/services/calendar.py", "email_queue"),
        # the nightly chain check's alarm to ADMINS: no transaction decides it
        ("audit/services.py", "mail_admins"),
    }


def test_a_digest_whose_claim_rolls_back_queues_and_sends_nothing(raised, monkeypatch):
    def broken(*args, **kwargs):
        raise Boom

    monkeypatch.setattr(alerts_service, "_digest_body", broken)
    with pytest.raises(Boom):
        alerts_send_digest()
    assert not OutboundEmail.objects.exists() and mail.outbox == []
    assert not Alert.objects.filter(notified_at__isnull=False).exists()


class Died(BaseException):
    """The process ending where it stands (not an ``Exception``: nothing handles it)."""


def test_mail_recorded_by_a_digest_that_died_is_sent_by_the_relay_once(raised, monkeypatch):
    def die(name):
        if name == "digest.claimed":
            raise Died

    monkeypatch.setattr(alerts_service, "fault_point", die)
    with pytest.raises(Died):
        alerts_send_digest()
    assert OutboundEmail.objects.filter(sent_at__isnull=True).count() == len(raised)
    assert mail.outbox == []
    monkeypatch.undo()

    assert alerts_send_digest() == 0  # the claim stands: the next digest takes nothing
    outbox_relay(older_than=0)
    outbox_relay(older_than=0)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(raised)
    assert not OutboundEmail.objects.filter(sent_at__isnull=True).exists()


def test_an_email_the_server_refuses_stays_queued_for_the_next_relay(raised, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    assert alerts_send_digest() == len(raised)
    row = OutboundEmail.objects.create(subject="s", body="b", to=["a@court.example"])

    def refused(self, messages):
        raise ConnectionRefusedError("smtp down")

    with monkeypatch.context() as patch:
        patch.setattr(EmailBackend, "send_messages", refused)
        outbox_relay(older_than=0)
    row.refresh_from_db()
    assert row.sent_at is None and row.attempts == 1 and "smtp down" in row.last_error

    outbox_relay(older_than=0)
    row.refresh_from_db()
    assert row.sent_at is not None and mail.outbox[-1].to == ["a@court.example"]
    assert len(mail.outbox) == len(raised) + 1


def _row(task="core.tasks.purge_idempotency_keys", **fields) -> TaskOutbox:
    return TaskOutbox.objects.create(task=task, kwargs={}, **fields)


def test_the_relay_publishes_what_is_due_and_nothing_else(db, published):
    now = timezone.now()
    ago = lambda seconds: now - dt.timedelta(seconds=seconds)  # noqa: E731
    due = [
        _row(created_at=ago(60)),  # never sent
        _row(created_at=ago(7200), sent_at=ago(3600), attempts=1),  # sent, lost by the broker
    ]
    _row(created_at=ago(5))  # too fresh: the after-commit publisher's
    _row(created_at=ago(600), sent_at=ago(60), attempts=1)  # sent a minute ago: a worker has it
    _row(created_at=ago(7200), sent_at=ago(3600), done_at=ago(3500), attempts=1)  # done
    _row(created_at=ago(7200), sent_at=ago(3600), attempts=OUTBOX_MAX_ATTEMPTS)  # given up

    assert outbox_relay(older_than=30, redeliver_after=1800, now=now) == 2

    assert sorted(outbox for _name, _kw, outbox in published) == [r.pk for r in due]
    for row in due:
        row.refresh_from_db()
        assert row.sent_at >= now and row.attempts == 2 - (row.pk == due[0].pk)


def test_two_relays_at_once_never_publish_a_row_twice(transactional_db, monkeypatch):
    from core.outbox.task import OutboxTask as Task

    rows = [_row(created_at=timezone.now() - dt.timedelta(minutes=5)) for _ in range(40)]
    sent = []

    def slow_publish(self, args=None, kwargs=None, **options):
        import time

        time.sleep(0.005)  # keep the rows locked while the other relay looks
        sent.append(publishing_outbox_id())

    monkeypatch.setattr(Task, "apply_async", slow_publish)
    outcomes = race(2, lambda i: outbox_relay(older_than=0))

    assert sorted(sent) == [r.pk for r in rows]  # each row once
    assert sum(result for _status, result in outcomes) == len(rows)
    assert not TaskOutbox.objects.filter(sent_at__isnull=True).exists()


def test_a_broker_down_at_commit_costs_the_request_nothing(courts, django_capture_on_commit_callbacks):
    clock = clocks.clock_start(rule_code="SEARCH_START", court=courts.lu0102, started_at=at("2026-11-02 10:00"))
    with app_broker("redis://127.0.0.1:9/0"):  # the discard port: nothing listens
        with django_capture_on_commit_callbacks(execute=True):
            calendar_day_set(date=dt.date(2026, 11, 4), kind="holiday", name="临时", actor=None)
        row = TaskOutbox.objects.get()
        assert row.sent_at is None and row.attempts == 1 and row.last_error
        assert outbox_relay(older_than=0) == 0  # still down: kept for the next run
    row.refresh_from_db()
    assert row.sent_at is None and row.attempts == 2
    assert Deadline.objects.get(pk=clock.pk).due_at.date() == dt.date(2026, 11, 9)  # not recomputed yet


def test_the_embedded_default_still_runs_tasks_at_once(courts, monkeypatch, django_capture_on_commit_callbacks):
    """``make run`` (config.settings.local): Celery eager, no broker. The task runs
    right after commit and its row is done."""
    from config.celery_app import app
    from core import tasks

    monkeypatch.setitem(app.conf, "CELERY_TASK_ALWAYS_EAGER", True)
    clock = clocks.clock_start(rule_code="SEARCH_START", court=courts.lu0102, started_at=at("2026-11-02 10:00"))

    with django_capture_on_commit_callbacks(execute=True):
        calendar_day_set(date=dt.date(2026, 11, 4), kind="holiday", name="临时", actor=None)

    assert Deadline.objects.get(pk=clock.pk).due_at.date() == dt.date(2026, 11, 10)
    row = TaskOutbox.objects.get()
    assert row.done_at is not None and row.sent_at is not None

    # a failing task does not fail the change; the embedded relay retries it
    def broken(**kwargs):
        raise RuntimeError("task bug")

    monkeypatch.setattr(tasks.recompute_clocks_for_dates, "run", broken)
    with django_capture_on_commit_callbacks(execute=True):
        calendar_day_remove(date=dt.date(2026, 11, 4), actor=None)
    failed = TaskOutbox.objects.exclude(pk=row.pk).get()
    assert failed.done_at is None and "task bug" in failed.last_error
    monkeypatch.undo()
    monkeypatch.setitem(app.conf, "CELERY_TASK_ALWAYS_EAGER", True)
    assert outbox_relay(older_than=0) == 1
    failed.refresh_from_db()
    assert failed.done_at is not None
    assert Deadline.objects.get(pk=clock.pk).due_at.date() == dt.date(2026, 11, 9)


def test_purge_keeps_what_is_not_done(db):
    old = timezone.now() - dt.timedelta(days=30)
    _row(created_at=old, sent_at=old, done_at=old)
    stuck = _row(created_at=old, sent_at=old)
    fresh = _row(done_at=timezone.now())
    OutboundEmail.objects.create(subject="s", body="b", to=[], created_at=old, sent_at=old)
    unsent = OutboundEmail.objects.create(subject="s", body="b", to=[], created_at=old)
    PeriodicRun.objects.create(name="x", slot=old, task_id="t", claimed_at=old)

    assert outbox_purge() == 3
    assert set(TaskOutbox.objects.values_list("pk", flat=True)) == {stuck.pk, fresh.pk}
    assert list(OutboundEmail.objects.values_list("pk", flat=True)) == [unsent.pk]
    assert not PeriodicRun.objects.exists()


# --- periodic slots ---------------------------------------------------------------------------


def local(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("cron", "now", "slot"),
    [
        (crontab(minute=30, hour=8), "2026-11-03 09:00:00", "2026-11-03 08:30:00"),
        (crontab(minute=30, hour=8), "2026-11-03 08:30:59", "2026-11-03 08:30:00"),
        (crontab(minute=30, hour=8), "2026-11-03 08:29:59", "2026-11-02 08:30:00"),
        (crontab(minute=17), "2026-11-03 00:05:00", "2026-11-02 23:17:00"),
        (crontab(minute=0, hour=9, day_of_month=1), "2026-11-03 12:00:00", "2026-11-01 09:00:00"),
        (crontab(minute=0, hour=9, day_of_week="mon"), "2026-11-08 12:00:00", "2026-11-02 09:00:00"),
    ],
)
def test_a_crontab_slot_is_its_latest_moment_at_or_before_now(cron, now, slot):
    assert schedule_slot(cron, local(now)) == local(slot)


def test_an_interval_slot_is_a_fixed_grid_window():
    every = schedule(dt.timedelta(seconds=300))
    start = dt.datetime(2026, 11, 3, 1, 5, tzinfo=dt.UTC)
    # two beats started at different times, firing 1 s and 299 s into a window, agree
    assert schedule_slot(every, start + dt.timedelta(seconds=1)) == start
    assert schedule_slot(every, start + dt.timedelta(seconds=299)) == start
    assert schedule_slot(every, start + dt.timedelta(seconds=300)) == start + dt.timedelta(seconds=300)


def test_a_slot_runs_for_its_first_message_and_a_redelivery_of_it_only(db):
    slot = timezone.now().replace(microsecond=0)
    assert periodic_claim(name="supervision-alert-digest", slot=slot.isoformat(), task_id="beat-a")
    assert not periodic_claim(name="supervision-alert-digest", slot=slot, task_id="beat-b")
    assert periodic_claim(name="supervision-alert-digest", slot=slot, task_id="beat-a")  # redelivered
    assert periodic_claim(name="supervision-scan-deadlines", slot=slot, task_id="beat-b")  # another entry
    run = PeriodicRun.objects.get(name="supervision-alert-digest")
    assert run.task_id == "beat-a" and run.skipped == 1


def test_the_local_settings_keep_the_embedded_default():
    """``make run`` must not need Redis: eager Celery and the in-process scheduler."""
    source = (Path(ROOT) / "config/settings/local.py").read_text()
    assert 'env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)' in source
    assert 'env.bool("EMBEDDED_SCHEDULER", default=True)' in source
