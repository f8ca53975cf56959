"""The working calendar in the database: loading it, editing it, and recomputing
the open clocks an edit affects."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.calendar import end_of_day, start_of_day
from core.exceptions import ValidationFailed
from core.models import CalendarDay, CalendarDayKind, CalendarYear, Deadline, User
from core.services.after_commit import enqueue_on_commit
from core.services.events import node_event_record


def package_years() -> list[int]:
    """The years the ``chinese-calendar`` package has schedules for."""
    from chinese_calendar import constants

    return sorted({d.year for d in constants.holidays} | {d.year for d in constants.workdays})


@transaction.atomic
def calendar_load_from_package(*, years: list[int] | None = None, force: bool = False) -> list[int]:
    """Load holidays and 调休 make-up days from ``chinese-calendar``. A year already
    loaded is left alone (an admin may have corrected it) unless ``force``.
    Returns the years written."""
    from chinese_calendar import constants

    available = package_years()
    wanted = available if years is None else [y for y in years if y in available]
    loaded = set(CalendarYear.objects.values_list("year", flat=True))
    written = []
    for year in wanted:
        if year in loaded and not force:
            continue
        CalendarDay.objects.filter(date__year=year).delete()
        days = [
            CalendarDay(date=d, kind=CalendarDayKind.HOLIDAY, name=str(name))
            for d, name in constants.holidays.items()
            if d.year == year
        ] + [
            CalendarDay(date=d, kind=CalendarDayKind.WORKDAY, name=str(name))
            for d, name in constants.workdays.items()
            if d.year == year and d.weekday() >= 5
        ]
        CalendarDay.objects.bulk_create(days)
        CalendarYear.objects.update_or_create(year=year, defaults={"source": "chinese-calendar"})
        written.append(year)
    if written:
        _recompute_after_commit(dt.date(min(written), 1, 1), dt.date(max(written), 12, 31))
    return written


def _recompute_after_commit(first: dt.date, last: dt.date) -> None:
    from core import tasks

    enqueue_on_commit(tasks.recompute_clocks_for_dates, first=first.isoformat(), last=last.isoformat())


def affected_deadlines(first: dt.date, last: dt.date):
    """Running clocks whose schedule could involve a day in [first, last]: started by
    then, and not entirely over (last threshold unknown or not before ``first``)."""
    from django.db.models import Q

    from core.models.clocks import RUNNING

    return Deadline.objects.filter(RUNNING, started_at__lte=end_of_day(last)).filter(
        Q(upper_at__isnull=True)
        | Q(upper_at__gte=start_of_day(first))
        | Q(escalate_at__isnull=True)
        | Q(warn_at__isnull=True)
        | Q(provisional=True)
    )


@transaction.atomic
def calendar_day_set(*, date: dt.date, kind: str, name: str = "", actor: User | None) -> CalendarDay:
    """Mark ``date`` a holiday or a make-up working day (the State Council can change
    a year's schedule); open clocks are recomputed after commit."""
    if kind not in CalendarDayKind.values:
        raise ValidationFailed.for_field("kind", _("类型必须是节假日或调休上班日。"))
    day, _created = CalendarDay.objects.update_or_create(
        date=date, defaults={"kind": kind, "name": name[:50]}
    )
    _record(actor, "calendar.day_set", {"date": date.isoformat(), "kind": kind, "name": name[:50]})
    _recompute_after_commit(date, date)
    return day


@transaction.atomic
def calendar_day_remove(*, date: dt.date, actor: User | None) -> None:
    """Back to the ordinary week for ``date``."""
    CalendarDay.objects.filter(date=date).delete()
    _record(actor, "calendar.day_removed", {"date": date.isoformat()})
    _recompute_after_commit(date, date)


@transaction.atomic
def calendar_year_mark_loaded(*, year: int, actor: User | None, source: str = "manual") -> CalendarYear:
    """Declare a year's schedule complete after entering its days by hand."""
    row, _created = CalendarYear.objects.update_or_create(year=year, defaults={"source": source[:100]})
    _record(actor, "calendar.year_loaded", {"year": year, "source": source[:100]})
    _recompute_after_commit(dt.date(year, 1, 1), dt.date(year, 12, 31))
    return row


def _record(actor: User | None, kind: str, payload: dict) -> None:
    node_event_record(kind=kind, court=None, occurred_at=timezone.now(), actor=actor, payload=payload)
