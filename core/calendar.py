"""Working-day arithmetic on the Chinese working calendar.

Rules (DESIGN "The clock engine"; 民事诉讼法 §85 on 期间):
- the day a period starts is not counted;
- N working days = the N-th working day after the start date, ending at 24:00
  Asia/Shanghai of that day; an event on a non-working day therefore counts from the
  next working day;
- a calendar-day or month period whose last day is a rest day ends on the next
  working day (unless the rule says the period lapses on its own date);
- hour periods count from the event, to the minute.

A node that happened is never refused for lack of a calendar: a day in a year whose
official schedule is not loaded is answered from the **predicted** calendar
(``core.calendar_prediction``: the statutory holidays of the 2024 放假办法 placed on
their lunar/solar dates, plus the published 调休 principles), and the caller marks
what it computed as provisional (``is_provisional``). A *strict* calendar
(``WorkingCalendar.load(predict=False)``, the due-date calculator's contract) raises
``CalendarNotLoaded`` instead. Periods that need no calendar (hours; an expiry that
lapses on its own date) never consult it.

``WorkingCalendar`` is a snapshot of the database calendar; load it once and reuse it
for a batch (recomputing thousands of clocks costs two queries).
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from django.utils import timezone

from core.calendar_prediction import predict_year
from core.exceptions import CalendarNotLoaded

# A due moment is the last second of the due day, local time, so its local date is
# the due date (API.md: ``due_date`` is the local date of ``due_at``).
END_OF_DAY = dt.time(23, 59, 59)


@dataclass(frozen=True)
class WorkingCalendar:
    loaded_years: frozenset[int]
    # date -> True for a make-up working day (调休上班), False for a holiday/rest day
    exceptions: dict[dt.date, bool] = field(default_factory=dict)
    # Answer unloaded years from the predicted calendar (the default: a node that
    # happened is always recorded); False raises ``CalendarNotLoaded`` instead.
    predict: bool = True
    # Answers already worked out by this snapshot ((start, n) → day for
    # ``add_working_days``, day → bool for ``is_working_day``): the clocks of a bulk
    # registration ask the same few questions thousands of times. Not an init field,
    # so ``replace()`` (``strict()``) starts empty.
    _memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def load(cls, *, predict: bool = True) -> WorkingCalendar:
        # The model module imports nothing from here, but core.models' package
        # __init__ pulls in every kernel model; importing it at module level would
        # make this pure-arithmetic module load the ORM for every importer.
        from core.models import CalendarDay, CalendarDayKind, CalendarYear

        years = frozenset(CalendarYear.objects.values_list("year", flat=True))
        exceptions = {
            day: kind == CalendarDayKind.WORKDAY
            for day, kind in CalendarDay.objects.values_list("date", "kind")
            if day.year in years
        }
        return cls(loaded_years=years, exceptions=exceptions, predict=predict)

    def strict(self) -> WorkingCalendar:
        """The same calendar, refusing (``CalendarNotLoaded``) instead of predicting."""
        return replace(self, predict=False)

    # --- days -------------------------------------------------------------------
    def check_year(self, year: int) -> None:
        if year not in self.loaded_years and not self.predict:
            raise CalendarNotLoaded(year)

    def is_loaded(self, year: int) -> bool:
        return year in self.loaded_years

    def is_provisional(self, first: dt.date, last: dt.date) -> bool:
        """Whether counting from ``first`` to ``last`` rests on a predicted year."""
        low, high = min(first, last).year, max(first, last).year
        return any(year not in self.loaded_years for year in range(low, high + 1))

    def is_working_day(self, day: dt.date) -> bool:
        known = self._memo.get(day)
        if known is not None:
            return known
        working = self._is_working_day(day)
        self._memo[day] = working
        return working

    def _is_working_day(self, day: dt.date) -> bool:
        if day.year in self.loaded_years:
            exceptions = self.exceptions
        elif self.predict:
            exceptions = predicted_exceptions(day.year)
        else:
            raise CalendarNotLoaded(day.year)
        found = exceptions.get(day)
        return day.weekday() < 5 if found is None else found

    def exception(self, day: dt.date) -> bool | None:
        """True for a make-up working day, False for a holiday, None for an ordinary
        day — on the loaded calendar or, for an unloaded year, the predicted one."""
        if day.year in self.loaded_years:
            return self.exceptions.get(day)
        if not self.predict:
            raise CalendarNotLoaded(day.year)
        return predicted_exceptions(day.year).get(day)

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        return self.add_working_days(day, 1)

    def roll_forward(self, day: dt.date) -> dt.date:
        """``day`` itself if it is a working day, else the next working day."""
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after ``start`` (start not counted); negative n counts
        back (the n-th working day before ``start``). n == 0 returns ``start``."""
        key = (start, n)
        known = self._memo.get(key)
        if known is not None:
            return known
        step = 1 if n >= 0 else -1
        remaining = abs(n)
        day = start
        while remaining:
            day += dt.timedelta(days=step)
            if self.is_working_day(day):
                remaining -= 1
        self._memo[key] = day
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; negative when ``end`` is before ``start``."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def add_calendar_days(self, start: dt.date, n: int, *, roll: bool = True) -> dt.date:
        day = start + dt.timedelta(days=n)
        return self.roll_forward(day) if roll else day

    def add_months(self, start: dt.date, n: int, *, roll: bool = True) -> dt.date:
        """The corresponding day n months later; the month's last day when it has no
        corresponding day (31 Aug + 6 months = 28/29 Feb)."""
        month_index = start.month - 1 + n
        year = start.year + month_index // 12
        month = month_index % 12 + 1
        last = pycalendar.monthrange(year, month)[1]
        day = dt.date(year, month, min(start.day, last))
        return self.roll_forward(day) if roll else day

    # --- moments ----------------------------------------------------------------
    def due_date(self, start: dt.date, duration: int, unit: str, *, roll: bool = True) -> dt.date:
        """The last day of a period of ``duration`` ``unit`` starting on ``start``."""
        from core.models import PeriodUnit  # ORM-free at import (see load())

        if unit == PeriodUnit.WORKING_DAYS:
            return self.add_working_days(start, duration)
        if unit == PeriodUnit.CALENDAR_DAYS:
            return self.add_calendar_days(start, duration, roll=roll)
        if unit == PeriodUnit.MONTHS:
            return self.add_months(start, duration, roll=roll)
        raise ValueError(f"due_date() takes day units, not {unit!r}")

    def due_at(self, started_at: dt.datetime, duration: int, unit: str, *, roll: bool = True) -> dt.datetime:
        """The moment a period ends: ``started_at`` + hours for hour periods, else
        the end (23:59:59 local) of the period's last day."""
        from core.models import PeriodUnit  # ORM-free at import (see load())

        if unit == PeriodUnit.HOURS:
            # Hours need no calendar: the period runs through rest days.
            return started_at + dt.timedelta(hours=duration)
        start = local_date(started_at)
        return end_of_day(self.due_date(start, duration, unit, roll=roll))

    def shift_back(self, moment: dt.datetime, amount: int, unit: str) -> dt.datetime:
        """A threshold ``amount`` ``unit`` before ``moment`` (for warnings): hours are
        exact; days give the start (00:00 local) of the day that many (working) days
        before the due date."""
        from core.models import PeriodUnit  # ORM-free at import (see load())

        if unit == PeriodUnit.HOURS:
            return moment - dt.timedelta(hours=amount)
        day = local_date(moment)
        if unit == PeriodUnit.WORKING_DAYS:
            target = self.add_working_days(day, -amount)
        elif unit == PeriodUnit.MONTHS:
            target = self.add_months(day, -amount, roll=False)
        else:
            target = day - dt.timedelta(days=amount)
        return start_of_day(target)

    def years_needed(self, days: Iterable[dt.date]) -> set[int]:
        return {d.year for d in days} - set(self.loaded_years)


@lru_cache(maxsize=256)
def predicted_exceptions(year: int) -> dict[dt.date, bool]:
    """The predicted holidays and make-up days of ``year`` (cached; read-only by
    convention: callers never mutate it). A year the prediction cannot place (its
    lunar table ends) raises ``CalendarNotLoaded``: that one is never guessed."""
    try:
        return predict_year(year)
    except ValueError:
        raise CalendarNotLoaded(year) from None


# Days, their starts and ends are the courts' (settings.TIME_ZONE, China time),
# whatever time zone a request may have activated. The default time zone is cached by
# Django; the current one is a context-local lookup per call (a tenth of the due-date
# computation of a bulk registration).


def start_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_default_timezone())


def end_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, END_OF_DAY, tzinfo=timezone.get_default_timezone())


def local_date(moment: dt.datetime) -> dt.date:
    if moment.tzinfo is None:
        raise ValueError("local_date() cannot be applied to a naive datetime")
    return moment.astimezone(timezone.get_default_timezone()).date()
