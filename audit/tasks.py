"""Thin Celery wrappers (idempotent; ``acks_late`` for every task comes from the
settings, ``CELERY_TASK_ACKS_LATE``)."""

from celery import shared_task

from audit.services import node_events_nightly_check, node_events_seal


@shared_task
def seal_node_events() -> int:
    return node_events_seal()


@shared_task
def verify_node_event_chain() -> dict:
    result = node_events_nightly_check()
    return {"ok": result.ok, "checked": result.checked, "broken_event": result.broken_event_id}
