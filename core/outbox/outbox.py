"""The task outbox: ``enqueue_on_commit`` writes a ``TaskOutbox`` row in the caller's
transaction and publishes it after commit; ``outbox_relay`` publishes what was not
(or was lost); ``outbox_mark_done`` is called by the worker (``core.outbox.task``).
See the package's docstring for the guarantees."""

import datetime as dt
import logging
from collections.abc import Iterable
from functools import partial
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.models import OutboundEmail, PeriodicRun, TaskOutbox
from core.outbox.common import RELAY_BATCH, error_text, publishing_outbox_id, publishing_state
from core.outbox.emails import emails_relay

logger = logging.getLogger(__name__)

# A row published this many times without a worker finishing it is left to a
# person (the admin lists it): a task that kills its worker every time must not
# loop for ever.
OUTBOX_MAX_ATTEMPTS = 25


def enqueue_on_commit(task: Any, /, **kwargs: Any) -> TaskOutbox:
    """Record ``task(**kwargs)`` in the current transaction; publish it once the
    transaction commits. ``kwargs`` must be JSON (ids, ISO strings). ``task`` is a
    task or its registered name (``"core.tasks.run_export"``): a service names its
    task so that the tasks module, which imports the services, is not imported back."""
    if isinstance(task, str):
        name, task = task, None
    else:
        name = task.name
    row = TaskOutbox.objects.create(task=name, kwargs=kwargs)
    transaction.on_commit(partial(_publish_after_commit, task, row.pk), robust=True)
    return row


def _eager(task: Any = None) -> bool:
    return bool((task.app if task is not None else current_app).conf.task_always_eager)


def _task(name: str) -> Any:
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()  # a management command has not imported them yet
    return current_app.tasks[name]


def _publish(row: TaskOutbox, task: Any = None) -> bool:
    """Send ``row`` to the broker (in the embedded default, run it). Never raises:
    a failure is logged and kept on the row, which the caller saves."""
    row.attempts += 1
    previous = publishing_outbox_id()
    publishing_state.outbox_id = row.pk
    try:
        (task or _task(row.task)).delay(**row.kwargs)
    except Exception as exc:
        row.last_error = error_text(exc)
        logger.warning("outbox %s: publishing %s failed (the relay retries): %s", row.pk, row.task, row.last_error)
        return False
    finally:
        publishing_state.outbox_id = previous
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
    """``task`` is ``None`` when it was enqueued by name (looked up at publish)."""
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
