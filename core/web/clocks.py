"""One row per clock, the same on every page: due date, time left or overdue in the
clock's own unit, urgency colour, 中止, 暂定.

Time is counted in the rule's own unit: working days for a working-day clock (on
the working calendar, "剩余 3 个工作日"), hours for an hour clock ("剩余 6 小时"), and
calendar days for every other clock: a CASE_DURATION clock of six months shows
"剩余 45 日", never 45 months or 45 working days. The queue, the alert inbox and the
case page all show it through ``templates/core/_clock_left.html``. One ``ClockRows`` serves one
page (one calendar load, only if a working-day clock is shown)."""

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.calendar import WorkingCalendar, local_date
from core.exceptions import CalendarNotLoaded
from core.models import Deadline, PeriodUnit

WORKING_DAYS_LABEL = _("个工作日")
CALENDAR_DAYS_LABEL = _("日")
HOURS_LABEL = PeriodUnit.HOURS.label
HOUR = dt.timedelta(hours=1)


def urgency(days_left: int | None, overdue: bool) -> str:
    """The colour class of a clock (我的待办 and every clock table)."""
    if overdue:
        return "overdue"
    if days_left is None:
        return "unknown"
    if days_left <= 1:
        return "urgent"
    if days_left <= 3:
        return "soon"
    return "ok"


@dataclass
class ClockRow:
    deadline: Deadline
    due_date: dt.date
    running: bool
    paused: bool
    overdue: bool
    # time left (running, not overdue) / late (overdue), in ``unit_label``; None
    # when the working calendar of a year it needs is not loaded
    days_left: int | None
    days_late: int | None
    unit_label: Any
    urgency: str
    provisional: bool

    def __getitem__(self, key: str) -> Any:
        """Rows used to be dicts; templates and exports read either way."""
        return getattr(self, key)


class ClockRows:
    """Builds ``ClockRow``s for one page at one moment."""

    def __init__(self, now: dt.datetime | None = None) -> None:
        self.now = now or timezone.now()
        self.today = local_date(self.now)
        self._calendar: WorkingCalendar | None = None

    @property
    def calendar(self) -> WorkingCalendar:
        if self._calendar is None:
            self._calendar = WorkingCalendar.load()
        return self._calendar

    def between(self, start: dt.date, end: dt.date, unit: str) -> int | None:
        """Days from ``start`` to ``end`` in the unit the clock is shown in."""
        if unit == PeriodUnit.WORKING_DAYS:
            try:
                return self.calendar.working_days_between(start, end)
            except CalendarNotLoaded:
                return None
        return (end - start).days

    def row(self, deadline: Deadline | None) -> ClockRow | None:
        if deadline is None:
            return None
        due = local_date(deadline.due_at)
        running = deadline.is_running
        paused = running and deadline.paused_at is not None
        overdue = running and not paused and deadline.due_at < self.now
        left = late = None
        hours = deadline.unit == PeriodUnit.HOURS
        if hours:
            # hours count from the event (DESIGN "Counting"): whole hours left, rounded up
            if running and not overdue:
                left = math.ceil((deadline.due_at - self.now) / HOUR)
            if overdue:
                late = int((self.now - deadline.due_at) / HOUR)
        else:
            if running and not overdue:
                left = self.between(self.today, due, deadline.unit)
            if overdue:
                late = self.between(due, self.today, deadline.unit)
                late = None if late is None else max(late, 0)
        if not running:
            level = "done"
        elif paused:
            level = "paused"
        else:
            level = urgency(left if not hours or left is None else left // 24, overdue)
        working = deadline.unit == PeriodUnit.WORKING_DAYS
        return ClockRow(
            deadline=deadline,
            due_date=due,
            running=running,
            paused=paused,
            overdue=overdue,
            days_left=left,
            days_late=late,
            unit_label=WORKING_DAYS_LABEL if working else HOURS_LABEL if hours else CALENDAR_DAYS_LABEL,
            urgency=level,
            provisional=bool(getattr(deadline, "provisional", False)),
        )

    def rows(self, deadlines: Any) -> list[ClockRow]:
        return [row for d in deadlines if (row := self.row(d)) is not None]
