"""Receivers of kernel signals; each calls one service."""

from supervision.services.alerts import alerts_reschedule, alerts_resolve_for_deadlines


def resolve_alerts(sender, *, deadline_ids, stopped_at, **kwargs) -> None:
    alerts_resolve_for_deadlines(deadline_ids=deadline_ids, stopped_at=stopped_at)


def reschedule_alerts(sender, *, deadline_ids, at, **kwargs) -> None:
    alerts_reschedule(deadline_ids=deadline_ids, at=at)
