"""Thin Celery wrappers (STYLE §5, §11): ids and ISO strings in, the database re-read,
idempotent so ``acks_late`` and retries are safe (``acks_late`` and
``reject_on_worker_lost`` for every task come from the settings,
``CELERY_TASK_ACKS_LATE`` and ``CELERY_TASK_REJECT_ON_WORKER_LOST``).

The services ask for these tasks by name (``core.services.calendar``,
``core.exports``), so this module imports them and they never import it back."""

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from core.exports import export_run
from core.models import Deadline, IdempotencyRecord
from core.outbox.outbox import outbox_purge, outbox_relay
from core.services.calendar import affected_deadlines, calendar_load_recompute
from core.services.clocks import clocks_recompute


@shared_task
def recompute_clocks_for_dates(*, first: str, last: str) -> int:
    return clocks_recompute(
        queryset=affected_deadlines(dt.date.fromisoformat(first), dt.date.fromisoformat(last))
    )


@shared_task
def recompute_calendar_load(*, load_id: int) -> int:
    """Recompute the open clocks a year's load touches (``CalendarLoad``)."""
    return calendar_load_recompute(load_id=load_id).processed


@shared_task
def recompute_unknown_thresholds() -> int:
    """Settle provisional due dates and fill in thresholds that fell in a year whose
    calendar was not loaded yet (normally triggered by loading the year; this is
    the daily safety net)."""
    return clocks_recompute(
        queryset=Deadline.objects.filter(
            Q(provisional=True) | Q(escalate_at__isnull=True) | Q(upper_at__isnull=True)
        )
    )


@shared_task
def purge_idempotency_keys() -> int:
    cutoff = timezone.now() - dt.timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS)
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted


@shared_task
def run_export(*, job_id: str) -> str:
    """Write the workbook of one ``ExportJob`` (``core.exports``). Idempotent: a
    finished job is left alone, one left ``running`` by a lost worker starts over."""
    return export_run(job_id=job_id)


@shared_task
def relay_outbox(older_than: float | None = None, redeliver_after: float | None = None) -> int:
    """Beat, every minute: publish the outbox rows the broker never got or lost, and
    deliver the e-mails nobody delivered (``core.outbox``)."""
    return outbox_relay(older_than=older_than, redeliver_after=redeliver_after)


@shared_task
def purge_outbox() -> int:
    """Nightly: finished outbox rows, sent e-mails and periodic-run claims past the
    retention go."""
    return outbox_purge()
