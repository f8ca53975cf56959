"""Thin Celery wrappers for enforcement's periodic work (idempotent; ``acks_late``
for every task comes from the settings, ``CELERY_TASK_ACKS_LATE``)."""

from celery import shared_task
from django.utils import timezone

from enforcement.services.cases import cases_move_overdue_simple_to_ordinary


@shared_task
def move_overdue_simple_cases() -> int:
    """322号 §7: a simple-track case not finished in time moves to ordinary."""
    return cases_move_overdue_simple_to_ordinary(now=timezone.now())
