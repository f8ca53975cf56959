"""Thin Celery wrappers (STYLE §5, §11): ids and ISO strings in, idempotent, so
``acks_late`` and retries are safe (``acks_late`` and ``reject_on_worker_lost`` for
every task come from the settings, ``CELERY_TASK_ACKS_LATE`` and
``CELERY_TASK_REJECT_ON_WORKER_LOST``). The scan fans out one task per court: more
workers, faster scan."""

import datetime as dt

from celery import group, shared_task
from django.db import DatabaseError
from django.utils import timezone

from supervision.services.alerts import alerts_send_digest, calendar_notice_check
from supervision.services.scan import alerts_resolve_stopped, courts_to_scan
from supervision.services.scan import scan_court as scan
from supervision.services.stats import court_stats_refresh


def _moment(at: str | None) -> dt.datetime:
    return dt.datetime.fromisoformat(at) if at else timezone.now()


@shared_task
def scan_deadlines(at: str | None = None) -> int:
    """Beat entry point: one ``scan_court`` task per active court, all as of the
    same moment. Returns the number of courts dispatched."""
    moment = _moment(at).isoformat()
    court_ids = courts_to_scan()
    group(scan_court.s(court_id=court_id, at=moment) for court_id in court_ids).apply_async()
    calendar_notice_check()
    return len(court_ids)


@shared_task(
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    max_retries=5,
)
def scan_court(*, court_id: int, at: str) -> dict:
    """Scan one court, then refresh its dashboard counters. Safe to run twice."""
    moment = _moment(at)
    result = scan(court_id=court_id, at=moment)
    court_stats_refresh(court_id=court_id, at=moment)
    return {"court": court_id, "breached": result.breached, "raised": result.raised}


@shared_task
def resolve_stale_alerts() -> int:
    """Nightly safety net: resolve open alerts of clocks that stopped without the
    ``clocks_stopped`` signal (bulk imports, repairs). One UPDATE per court."""
    moment = timezone.now()
    return sum(alerts_resolve_stopped(court_id=court_id, at=moment) for court_id in courts_to_scan())


@shared_task
def send_alert_digest() -> int:
    """The daily digest. A worker lost before the claim commits: the message comes
    back and the digest runs again; lost after it: the claimed alerts' e-mails are
    in the outbox and the relay delivers them, each once."""
    return alerts_send_digest()


@shared_task
def check_calendar_loaded() -> bool:
    return calendar_notice_check() is not None
