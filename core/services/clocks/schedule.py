"""The schedule of a clock: its due moment and the ladder thresholds (warn, warn
again, escalate, upper), computed in working days so that the supervision scan only
compares timestamps (DESIGN "The clock engine")."""

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from core.calendar import WorkingCalendar, end_of_day, local_date
from core.exceptions import CalendarNotLoaded
from core.models import Deadline, DeadlineExtension, DeadlinePause, DeadlineRule, PeriodUnit

SCHEDULE_FIELDS = [
    "original_due_at",
    "due_at",
    "provisional",
    "warn_at",
    "warn_again_at",
    "escalate_at",
    "upper_at",
]


@dataclass(frozen=True)
class Schedule:
    original_due_at: dt.datetime
    due_at: dt.datetime
    provisional: bool
    warn_at: dt.datetime | None
    warn_again_at: dt.datetime | None
    escalate_at: dt.datetime | None
    upper_at: dt.datetime | None


@dataclass(frozen=True)
class _Due:
    """The first three fields of a schedule: when the period first ended, when it ends
    now (after pauses and extensions), and whether a predicted year decided it."""

    original: dt.datetime
    due: dt.datetime
    provisional: bool


def compute_schedule(
    *,
    deadline: Deadline,
    rule: DeadlineRule,
    calendar: WorkingCalendar,
    pauses: Iterable[DeadlinePause] = (),
    extensions: Iterable[DeadlineExtension] = (),
) -> Schedule:
    """The due moment and the ladder thresholds of ``deadline``.

    A period that reaches into a year whose official schedule is not loaded is
    counted on the predicted calendar and marked ``provisional`` (暂定): the node
    that started it happened and is recorded; only the date is uncertain. Loading
    the year recomputes it (``core.services.calendar``). Only a year the prediction
    cannot place raises ``CalendarNotLoaded``; a threshold there stays ``None``.
    """
    spans = _closed_pause_spans(pauses)
    added = sum(e.added for e in extensions)
    if deadline.unit == PeriodUnit.HOURS:
        due = _due_in_hours(deadline, spans, added)
    else:
        due = _due_in_days(deadline, calendar, spans, added)
    return _with_thresholds(deadline, rule, calendar, due)


def _closed_pause_spans(pauses: Iterable[DeadlinePause]) -> list[tuple[dt.datetime, dt.datetime]]:
    """(paused at, resumed at) of the pauses that ended; an open pause moves nothing yet."""
    return [(p.paused_at, p.resumed_at) for p in pauses if p.resumed_at is not None]


def _due_in_hours(deadline: Deadline, spans: Sequence[tuple[dt.datetime, dt.datetime]], added: int) -> _Due:
    """Hours need no calendar (never provisional): the period runs through rest days."""
    original = deadline.started_at + dt.timedelta(hours=deadline.duration)
    stood_still = sum((resumed - paused for paused, resumed in spans), dt.timedelta())
    return _Due(original=original, due=original + stood_still + dt.timedelta(hours=added), provisional=False)


def _raw_last_day(deadline: Deadline, calendar: WorkingCalendar, start: dt.date) -> dt.date:
    """The period's last day as counted, before any roll past rest days."""
    if deadline.unit == PeriodUnit.WORKING_DAYS:
        return calendar.add_working_days(start, deadline.duration)
    if deadline.unit == PeriodUnit.CALENDAR_DAYS:
        return start + dt.timedelta(days=deadline.duration)
    return calendar.add_months(start, deadline.duration, roll=False)


def _moved_day(
    deadline: Deadline,
    calendar: WorkingCalendar,
    day: dt.date,
    spans: Sequence[tuple[dt.datetime, dt.datetime]],
    added: int,
) -> dt.date:
    """``day`` moved by the time the clock stood still and by its extensions, both in
    the clock's own unit."""
    if deadline.unit == PeriodUnit.WORKING_DAYS:
        shift = sum(calendar.working_days_between(local_date(paused), local_date(resumed)) for paused, resumed in spans)
        return calendar.add_working_days(day, shift + added)
    day += dt.timedelta(days=sum((local_date(resumed) - local_date(paused)).days for paused, resumed in spans))
    if deadline.unit == PeriodUnit.CALENDAR_DAYS:
        return day + dt.timedelta(days=added)
    return calendar.add_months(day, added, roll=False)


def _due_in_days(
    deadline: Deadline,
    calendar: WorkingCalendar,
    spans: Sequence[tuple[dt.datetime, dt.datetime]],
    added: int,
) -> _Due:
    unit = deadline.unit
    start = local_date(deadline.started_at)
    roll = deadline.roll_to_working_day and unit != PeriodUnit.WORKING_DAYS
    raw = _raw_last_day(deadline, calendar, start)
    original_day = calendar.roll_forward(raw) if roll else raw
    unrolled = _moved_day(deadline, calendar, raw, spans, added)
    day = calendar.roll_forward(unrolled) if roll else unrolled
    # Only the current due day decides (an original date in a predicted year
    # that an extension has since moved is history, not a promise), and only
    # where the calendar was consulted: every day counted for working days, the
    # move past rest days for the others; an expiry on its own date needs none.
    if unit == PeriodUnit.WORKING_DAYS:
        provisional = calendar.is_provisional(start, day)
    else:
        provisional = roll and calendar.is_provisional(unrolled, day)
    return _Due(original=end_of_day(original_day), due=end_of_day(day), provisional=provisional)


def _unless_unloaded(compute: Callable[[], dt.datetime]) -> dt.datetime | None:
    """Thresholds beyond the loaded (and predicted) calendar stay unknown."""
    try:
        return compute()
    except CalendarNotLoaded:
        return None


def _with_thresholds(deadline: Deadline, rule: DeadlineRule, calendar: WorkingCalendar, due: _Due) -> Schedule:
    variant: dict[str, Any] = rule.variants.get(deadline.variant, {}) if deadline.variant else {}
    warn_unit = variant.get("warn_before_unit", rule.warn_before_unit)

    def warn(amount: int | None) -> dt.datetime | None:
        if amount is None:
            return None
        moment = _unless_unloaded(lambda: calendar.shift_back(due.due, amount, warn_unit))
        return max(moment, deadline.started_at) if moment is not None else None

    due_day = local_date(due.due)
    return Schedule(
        original_due_at=due.original,
        due_at=due.due,
        provisional=due.provisional,
        warn_at=warn(variant.get("warn_before", rule.warn_before)),
        warn_again_at=warn(rule.warn_again_before),
        escalate_at=_unless_unloaded(lambda: end_of_day(calendar.add_working_days(due_day, rule.escalate_after))),
        upper_at=_unless_unloaded(lambda: end_of_day(calendar.add_working_days(due_day, rule.upper_after))),
    )


def schedule_apply(deadline: Deadline, schedule: Schedule) -> None:
    """Copy ``schedule`` onto ``deadline`` (not saved)."""
    for name in SCHEDULE_FIELDS:
        setattr(deadline, name, getattr(schedule, name))
