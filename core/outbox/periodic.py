"""One run per beat slot: a message sent by beat carries its entry and slot
(``core.outbox.task``); ``periodic_claim`` lets the first message of a slot run it
and skips any other (a second beat process)."""

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.models import PeriodicRun

logger = logging.getLogger(__name__)


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
