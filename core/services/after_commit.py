"""Side effects after commit, through a transactional outbox (Zulip
``send_event_on_commit``, Saleor; the outbox pattern). PostgreSQL, not the broker,
is the source of truth for work a transaction promised.

``enqueue_on_commit(task, **kwargs)`` writes a ``TaskOutbox`` row in the caller's
transaction and, once it commits, publishes the task and marks the row sent:

- a transaction that rolls back sends nothing (no row, no callback);
- a broker that is down at commit costs the request nothing: the failure is
  logged and kept on the row, and ``outbox_relay`` (beat, every minute;
  ``manage.py relay_outbox``) publishes it later;
- a message the broker loses after it was sent (Redis restarted without
  persistence with the task still queued) is published again once the row has
  waited ``OUTBOX_REDELIVER_AFTER_SECONDS`` without a worker marking it done
  (``config.celery_app.Task.after_return``).

Every publish of a row happens under its row lock (``SELECT … FOR UPDATE SKIP
LOCKED``): the after-commit publisher and any number of relays never publish the
same row at once. Delivery stays at least once — a process can die between
publishing and recording it — so tasks are idempotent (STYLE §11).

Tasks get ids, never model instances; the row binds the arguments now, so a loop
cannot hand every callback the last value (Saleor's late-binding bug).

E-mail follows the same shape (``email_queue`` in the deciding transaction,
``emails_deliver`` right after it, the relay for what a dead process left), and
``periodic_claim`` makes a beat entry run once per scheduled slot however many
beat processes send it.
"""

import datetime as dt
import logging
import math
import threading
import time
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from core.models import OutboundEmail, PeriodicRun, TaskOutbox

logger = logging.getLogger(__name__)

_ERROR_MAX = 2000
# How many rows one relay run takes (the next run takes the rest).
RELAY_BATCH = 500
# A row published this many times without a worker finishing it is left to a
# person (the admin lists it): a task that kills its worker every time must not
# loop for ever.
OUTBOX_MAX_ATTEMPTS = 25

_publishing = threading.local()


# --- tasks ------------------------------------------------------------------------------


def enqueue_on_commit(task: Any, /, **kwargs: Any) -> TaskOutbox:
    """Record ``task(**kwargs)`` in the current transaction; publish it once the
    transaction commits. ``kwargs`` must be JSON (ids, ISO strings)."""
    row = TaskOutbox.objects.create(task=task.name, kwargs=kwargs)
    transaction.on_commit(partial(_publish_after_commit, task, row.pk), robust=True)
    return row


def publishing_outbox_id() -> int | None:
    """The outbox row being published by this thread (the ``before_task_publish``
    handler of ``config.celery_app`` puts it in the message headers)."""
    return getattr(_publishing, "outbox_id", None)


def _eager(task: Any = None) -> bool:
    from config.celery_app import app

    return bool((task.app if task is not None else app).conf.task_always_eager)


def _task(name: str) -> Any:
    from config.celery_app import app

    if name not in app.tasks:
        app.loader.import_default_modules()  # a management command has not imported them yet
    return app.tasks[name]


def _error(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:_ERROR_MAX]


def _publish(row: TaskOutbox, task: Any = None) -> bool:
    """Send ``row`` to the broker (in the embedded default, run it). Never raises:
    a failure is logged and kept on the row, which the caller saves."""
    row.attempts += 1
    previous = publishing_outbox_id()
    _publishing.outbox_id = row.pk
    try:
        (task or _task(row.task)).delay(**row.kwargs)
    except Exception as exc:
        row.last_error = _error(exc)
        logger.warning("outbox %s: publishing %s failed (the relay retries): %s", row.pk, row.task, row.last_error)
        return False
    finally:
        _publishing.outbox_id = previous
    row.sent_at = timezone.now()
    row.last_error = ""
    return True


_SAVED = ["sent_at", "done_at", "attempts", "last_error"]


def _publish_eager(pk: int, task: Any = None) -> bool:
    """The embedded default (``make run``: Celery eager, SQLite): the task runs here
    and now, outside any transaction; success is sent and done at once."""
    row = TaskOutbox.objects.filter(pk=pk, done_at__isnull=True).first()
    if row is None:
        return False
    if ok := _publish(row, task):
        row.done_at = row.sent_at
    row.save(update_fields=_SAVED)
    return ok


def _publish_after_commit(task: Any, pk: int) -> None:
    if _eager(task):
        _publish_eager(pk, task)
        return
    with transaction.atomic():
        row = TaskOutbox.objects.select_for_update(skip_locked=True).filter(pk=pk, sent_at__isnull=True).first()
        if row is None:  # a relay holds it (or sent it already)
            return
        _publish(row, task)
        row.save(update_fields=_SAVED)


def outbox_mark_done(pk: Any) -> int:
    """A worker ran the task published from row ``pk`` (to the end: a final failure
    is done too — the outbox guarantees delivery, not success)."""
    return TaskOutbox.objects.filter(pk=pk, done_at__isnull=True).update(done_at=timezone.now())


def outbox_relay(
    *,
    older_than: float | None = None,
    redeliver_after: float | None = None,
    limit: int = RELAY_BATCH,
    now: dt.datetime | None = None,
) -> int:
    """Publish the rows that need it; returns how many were published.

    - never sent (the broker was down, or the process died after commit) and older
      than ``older_than`` seconds (``OUTBOX_RELAY_AFTER_SECONDS``), so the
      after-commit publisher has had its chance;
    - sent more than ``redeliver_after`` seconds ago (``OUTBOX_REDELIVER_AFTER_SECONDS``)
      and still not done: the message was lost with the broker's memory.

    Rows are taken ``FOR UPDATE SKIP LOCKED``: two relays split the work and never
    publish a row twice; e-mails left undelivered are delivered the same way."""
    now = now or timezone.now()
    if older_than is None:
        older_than = settings.OUTBOX_RELAY_AFTER_SECONDS
    if redeliver_after is None:
        redeliver_after = settings.OUTBOX_REDELIVER_AFTER_SECONDS
    due = Q(sent_at__isnull=True, created_at__lte=now - dt.timedelta(seconds=older_than)) | Q(
        sent_at__lte=now - dt.timedelta(seconds=redeliver_after), attempts__lt=OUTBOX_MAX_ATTEMPTS
    )
    published = _publish_rows(TaskOutbox.objects.filter(due), limit=limit)
    emails_relay(older_than=older_than, limit=limit, now=now)
    return published


def outbox_republish(*, ids: Iterable[int]) -> int:
    """Publish these unfinished rows now, whatever their age (the admin's action)."""
    return _publish_rows(TaskOutbox.objects.filter(pk__in=list(ids)), limit=RELAY_BATCH)


def _publish_rows(queryset: Any, *, limit: int) -> int:
    pending = queryset.filter(done_at__isnull=True).order_by("pk")
    published = 0
    if _eager():
        for pk in list(pending.values_list("pk", flat=True)[:limit]):
            published += _publish_eager(pk)
        return published
    with transaction.atomic():
        rows = list(pending.select_for_update(skip_locked=True)[:limit])
        for row in rows:
            published += _publish(row)
        TaskOutbox.objects.bulk_update(rows, _SAVED)
    if rows:
        logger.info("outbox relay: %d of %d task(s) published", published, len(rows))
    return published


def outbox_purge(*, now: dt.datetime | None = None, days: int | None = None) -> int:
    """Delete what is done and older than the retention (``OUTBOX_RETENTION_DAYS``):
    finished task rows, sent e-mails, periodic-run claims. Rows never finished stay
    (the admin shows them)."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.OUTBOX_RETENTION_DAYS if days is None else days)
    deleted = TaskOutbox.objects.filter(done_at__lt=cutoff).delete()[0]
    deleted += OutboundEmail.objects.filter(sent_at__lt=cutoff).delete()[0]
    deleted += PeriodicRun.objects.filter(claimed_at__lt=cutoff).delete()[0]
    return deleted


# --- e-mail ----------------------------------------------------------------------------


def email_queue(*, subject: str, body: str, to: Iterable[str]) -> OutboundEmail:
    """Record an e-mail in the current transaction (deliver it with
    ``emails_deliver`` after commit; the relay delivers it if nobody does)."""
    return OutboundEmail.objects.create(subject=subject[:300], body=body, to=list(to))


def _message(row: OutboundEmail) -> EmailMessage:
    return EmailMessage(subject=row.subject, body=row.body, to=row.to)


def _deliver_one(connection: Any, pk: int) -> bool:
    """Send one e-mail under its row lock and record it in the same transaction.
    A crash between the mail server's acceptance and the commit is the one window in
    which it can go twice. Raises what the backend raised (nothing recorded)."""
    with transaction.atomic():
        row = OutboundEmail.objects.select_for_update(skip_locked=True).filter(pk=pk, sent_at__isnull=True).first()
        if row is None:  # sent already, or someone is sending it
            return False
        fault_point("email.sending")
        connection.send_messages([_message(row)])
        OutboundEmail.objects.filter(pk=pk).update(sent_at=timezone.now(), attempts=F("attempts") + 1, last_error="")
    return True


def emails_deliver(ids: Iterable[int]) -> int:
    """Deliver these e-mails now, over one connection, each once. Call it after the
    transaction that queued them commits. Returns how many went; raises what the
    mail backend raised (the rest stay queued)."""
    ids = list(ids)
    if not ids:
        return 0
    sent = 0
    with get_connection() as connection:
        for pk in ids:
            sent += _deliver_one(connection, pk)
    return sent


def emails_relay(*, older_than: float, limit: int = RELAY_BATCH, now: dt.datetime | None = None) -> int:
    """Deliver the e-mails nobody delivered (the process died after commit, or the
    mail server refused). Stops at the first failure (recorded on the row): the
    server is likely down for the rest too."""
    now = now or timezone.now()
    ids = list(
        OutboundEmail.objects.filter(sent_at__isnull=True, created_at__lte=now - dt.timedelta(seconds=older_than))
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    if not ids:
        return 0
    try:
        with get_connection() as connection:
            for pk in ids:
                try:
                    sent += _deliver_one(connection, pk)
                except Exception as exc:
                    OutboundEmail.objects.filter(pk=pk).update(attempts=F("attempts") + 1, last_error=_error(exc))
                    raise
    except Exception as exc:
        logger.warning("outbox relay: e-mail delivery failed (retried next run): %s", _error(exc))
    if sent:
        logger.info("outbox relay: %d e-mail(s) delivered", sent)
    return sent


# --- periodic slots --------------------------------------------------------------------------


def schedule_slot(schedule: Any, now: dt.datetime) -> dt.datetime | None:
    """The scheduled moment ``now`` belongs to: for an interval, the start of its
    window on a fixed grid (so beats started at different times agree); for a
    crontab, the latest matching minute at or before ``now``. ``None`` for other
    schedules (no slot: every message runs)."""
    from celery.schedules import crontab
    from celery.schedules import schedule as interval

    if isinstance(schedule, crontab):
        return _crontab_slot(schedule, now)
    if isinstance(schedule, interval):
        seconds = schedule.run_every.total_seconds()
        if seconds <= 0:
            return None
        start = math.floor(now.timestamp() / seconds) * seconds
        return dt.datetime.fromtimestamp(start, tz=dt.UTC)
    return None


def _crontab_slot(cron: Any, now: dt.datetime) -> dt.datetime | None:
    minute = dt.timedelta(minutes=1)
    t = timezone.localtime(now).replace(second=0, microsecond=0, tzinfo=None)  # TIME_ZONE = CELERY_TIMEZONE
    for _step in range(400 * 24 * 2):  # a day, an hour, a minute back at a time: a year at most
        if not (t.month in cron.month_of_year and t.day in cron.day_of_month and t.isoweekday() % 7 in cron.day_of_week):
            t = t.replace(hour=0, minute=0) - minute
        elif t.hour not in cron.hour:
            t = t.replace(minute=0) - minute
        elif t.minute not in cron.minute:
            t -= minute
        else:
            return timezone.make_aware(t)
    return None


def periodic_claim(*, name: str, slot: str | dt.datetime, task_id: str) -> bool:
    """May the message ``task_id`` run beat entry ``name`` for ``slot``? Yes if it is
    the first for the slot, or the same message again (redelivered after its worker
    died: it may not have finished). Another beat's message for the slot: no."""
    if isinstance(slot, str):
        slot = dt.datetime.fromisoformat(slot)
    try:
        with transaction.atomic():
            run, created = PeriodicRun.objects.get_or_create(name=name, slot=slot, defaults={"task_id": task_id})
    except IntegrityError:  # pragma: no cover - get_or_create retries the read itself
        created, run = False, PeriodicRun.objects.get(name=name, slot=slot)
    if created or run.task_id == task_id:
        return True
    PeriodicRun.objects.filter(pk=run.pk).update(skipped=F("skipped") + 1)
    logger.info("periodic %s: slot %s already run by %s; %s skipped", name, slot.isoformat(), run.task_id, task_id)
    return False


def periodic_finish(*, name: str, slot: str | dt.datetime, task_id: str) -> None:
    if isinstance(slot, str):
        slot = dt.datetime.fromisoformat(slot)
    PeriodicRun.objects.filter(name=name, slot=slot, task_id=task_id).update(finished_at=timezone.now())


# --- fault injection (tests) ----------------------------------------------------------------


def fault_point(name: str) -> None:
    """Where the fault tests (``tests/faults``) stop a worker: if ``FAULT_PAUSE_AT``
    names this point (only ``config.settings.test`` reads it, from the environment),
    write ``FAULT_PAUSE_FILE`` and sleep so the test can kill the process here.
    Elsewhere one attribute read."""
    if getattr(settings, "FAULT_PAUSE_AT", "") != name:
        return
    Path(settings.FAULT_PAUSE_FILE).write_text(name)
    time.sleep(getattr(settings, "FAULT_PAUSE_SECONDS", 300))
