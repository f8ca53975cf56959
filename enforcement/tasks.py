"""Thin Celery wrappers for enforcement's periodic work (idempotent)."""

from celery import shared_task
from django.utils import timezone


@shared_task(acks_late=True)
def move_overdue_simple_cases() -> int:
    """322号 §7: a simple-track case not finished in time moves to ordinary."""
    from enforcement.services.cases import cases_move_overdue_simple_to_ordinary

    return cases_move_overdue_simple_to_ordinary(now=timezone.now())
