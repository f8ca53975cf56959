"""Thin Celery wrappers (STYLE §5, §11): ids and ISO strings in, the database re-read,
idempotent so ``acks_late`` and retries are safe."""

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from core.models import Deadline, IdempotencyRecord


@shared_task(acks_late=True)
def recompute_clocks_for_dates(*, first: str, last: str) -> int:
    from core.services.calendar import affected_deadlines
    from core.services.clocks import clocks_recompute

    return clocks_recompute(
        queryset=affected_deadlines(dt.date.fromisoformat(first), dt.date.fromisoformat(last))
    )


@shared_task(acks_late=True, reject_on_worker_lost=True)
def recompute_calendar_load(*, load_id: int) -> int:
    """Recompute the open clocks a year's load touches (``CalendarLoad``)."""
    from core.services.calendar import calendar_load_recompute

    return calendar_load_recompute(load_id=load_id).processed


@shared_task(acks_late=True)
def recompute_unknown_thresholds() -> int:
    """Settle provisional due dates and fill in thresholds that fell in a year whose
    calendar was not loaded yet (normally triggered by loading the year; this is
    the daily safety net)."""
    from core.services.clocks import clocks_recompute

    return clocks_recompute(
        queryset=Deadline.objects.filter(
            Q(provisional=True) | Q(escalate_at__isnull=True) | Q(upper_at__isnull=True)
        )
    )


@shared_task(acks_late=True)
def purge_idempotency_keys() -> int:
    cutoff = timezone.now() - dt.timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS)
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_export(*, job_id: str) -> str:
    """Write the workbook of one ``ExportJob`` (``core.exports``). Idempotent: a
    finished job is left alone, one left ``running`` by a lost worker starts over."""
    from core.exports import export_run

    return export_run(job_id=job_id)


@shared_task
def relay_outbox(older_than: float | None = None, redeliver_after: float | None = None) -> int:
    """Beat, every minute: publish the outbox rows the broker never got or lost, and
    deliver the e-mails nobody delivered (``core.services.after_commit``)."""
    from core.services.after_commit import outbox_relay

    return outbox_relay(older_than=older_than, redeliver_after=redeliver_after)


@shared_task
def purge_outbox() -> int:
    """Nightly: finished outbox rows, sent e-mails and periodic-run claims past the
    retention go."""
    from core.services.after_commit import outbox_purge

    return outbox_purge()
