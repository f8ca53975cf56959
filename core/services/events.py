"""Node events: the append-only record of every node (DESIGN "Node events")."""

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.exceptions import RuleViolation
from core.models import ApiToken, Court, NodeEvent, Role, User
from core.selectors import user_has_role
from core.services.bulk import rows_insert

# Clocks of different machines disagree by a little; a node "in the future" by less
# than this is accepted as now.
CLOCK_SKEW = dt.timedelta(minutes=5)

FLAG_BACKDATED = "backdated"

P = ParamSpec("P")

FLAG_IMPORTED = "imported"

# Set while loading historical records (demo data, a migration from another court
# system): old nodes are then marked "imported" rather than "backdated", so data-fraud
# screening is not flooded with history that was never typed in late.
_historical_import: ContextVar[bool] = ContextVar("historical_import", default=False)


@contextmanager
def historical_import() -> Iterator[None]:
    token = _historical_import.set(True)
    try:
        yield
    finally:
        _historical_import.reset(token)


def is_historical_import() -> bool:
    return _historical_import.get()


def api_token_of(actor: User | None) -> ApiToken | None:
    """The integrated system ``actor`` is (its active API token), or ``None`` for a
    person. The token authentication leaves the token on the user it returns; other
    callers (a service called directly) look it up once per user object."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    if not hasattr(actor, "_api_token"):
        token = None
        if user_has_role(actor, [Role.API_CLIENT]):  # memberships are cached on the user
            token = ApiToken.objects.filter(user=actor, revoked_at__isnull=True).order_by("-created_at").first()
        actor._api_token = token  # type: ignore[attr-defined]  # a per-object cache
    return getattr(actor, "_api_token", None)


def backdate_tolerance(actor: User | None) -> dt.timedelta:
    """How long after its declared time a node may be entered and still take effect
    at that time (322号 §12): an integrated system's own window (its syncs run late),
    else the person tolerance ``NODE_BACKDATE_TOLERANCE_HOURS_PERSON``."""
    token = api_token_of(actor)
    if token is not None:
        return dt.timedelta(hours=token.backdate_window_hours)
    return dt.timedelta(hours=settings.NODE_BACKDATE_TOLERANCE_HOURS_PERSON)


def node_time_check(
    occurred_at: dt.datetime, *, now: dt.datetime | None = None, actor: User | None = None
) -> list[str]:
    """Refuse a node dated in the future; flag one entered later than ``actor``'s
    tolerance after its declared time (``backdate_tolerance``; 双查规定 §6: 节点超期、
    数据造假; 322号 §12). Returns the flags to store on the event."""
    now = now or timezone.now()
    if timezone.is_naive(occurred_at):
        raise RuleViolation(_("节点时间必须带时区。"), code="naive_datetime")
    if occurred_at > now + CLOCK_SKEW:
        raise RuleViolation(
            _("时间 %(at)s 晚于当前时间，不能预先登记尚未发生的事项。")
            % {"at": timezone.localtime(occurred_at).strftime("%Y-%m-%d %H:%M")},
            code="node_in_future",
            extra={"occurred_at": occurred_at.isoformat()},
        )
    if occurred_at >= now - backdate_tolerance(actor):
        return []
    return [FLAG_IMPORTED] if _historical_import.get() else [FLAG_BACKDATED]


def node_event_build(
    *,
    kind: str,
    court: Court | None,
    occurred_at: dt.datetime,
    actor: User | None,
    subject: models.Model | None = None,
    subject_label: str = "",
    case: models.Model | None = None,
    payload: dict[str, Any] | None = None,
    flags: list[str] | None = None,
) -> NodeEvent:
    """A node event, not yet saved (``node_event_record`` saves one,
    ``node_events_record_many`` many at once). A node an integrated system sends
    carries its ``source_system`` and ``source_time`` (322号 §12: its time is the
    source system's)."""
    token = api_token_of(actor)
    if token is not None:
        payload = {"source_system": token.name, "source_time": occurred_at.isoformat(), **(payload or {})}
    return NodeEvent(
        kind=kind,
        court=court,
        case=case,  # type: ignore[misc]  # an enforcement.Case, which core may not import (layering)
        subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        subject_id=subject.pk if subject is not None else None,
        subject_label=subject_label or (str(subject) if subject is not None else ""),
        occurred_at=occurred_at,
        actor=actor if actor is not None and actor.is_authenticated else None,
        payload=payload or {},
        flags=flags or [],
    )


def event_saver(build: Callable[P, NodeEvent]) -> Callable[P, NodeEvent]:
    """``build`` (which makes an unsaved node event) turned into the function that
    appends it, with the same arguments."""

    def record(*args: P.args, **kwargs: P.kwargs) -> NodeEvent:
        event = build(*args, **kwargs)
        event.save(force_insert=True)
        return event

    return record


# Append a node event (``node_event_build``'s arguments, typed as such). The
# caller's transaction makes it part of the change.
node_event_record = event_saver(node_event_build)


def node_events_record_many(events: list[NodeEvent]) -> list[NodeEvent]:
    """Append the node events ``node_event_build`` made, in one set write
    (``rows_insert``) and in their order. Nothing per event happens on save (no
    signal, no chain: the seal chain is built afterwards by ``audit``'s sealer, over
    whatever rows were committed), so a bulk insert is what saving them one by one
    writes."""
    return list(rows_insert(events))
