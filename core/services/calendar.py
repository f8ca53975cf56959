"""The working calendar in the database: loading a year (from the State Council's
notice, the package, or by hand), editing it, and recomputing the open clocks a
change affects — with a report of what moved."""

import datetime as dt
from dataclasses import dataclass

from chinese_calendar import constants
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core.calendar import end_of_day, predicted_exceptions, start_of_day
from core.events import CoreNode
from core.exceptions import CalendarNotLoaded, PermissionDenied, ValidationFailed
from core.models import (
    CalendarDay,
    CalendarDayKind,
    CalendarLoad,
    CalendarLoadStatus,
    CalendarYear,
    Court,
    Deadline,
    Membership,
    Role,
    User,
)
from core.models.clocks import RUNNING
from core.outbox.emails import email_queue
from core.outbox.outbox import enqueue_on_commit
from core.selectors import active_memberships
from core.services.clocks import clocks_recompute_reporting
from core.services.events import node_event_record

# The tasks this module asks for after commit, by name: ``core.tasks`` imports this
# module (its tasks are thin wrappers), so naming them keeps the import one-way.
RECOMPUTE_CLOCKS_FOR_DATES = "core.tasks.recompute_clocks_for_dates"
RECOMPUTE_CALENDAR_LOAD = "core.tasks.recompute_calendar_load"


def package_years() -> list[int]:
    """The years the ``chinese-calendar`` package has schedules for."""
    return sorted({d.year for d in constants.holidays} | {d.year for d in constants.workdays})


@transaction.atomic
def calendar_load_from_package(*, years: list[int] | None = None, force: bool = False) -> list[int]:
    """Load holidays and 调休 make-up days from ``chinese-calendar``. A year already
    loaded is left alone (an admin may have corrected it) unless ``force``.
    Returns the years written."""
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
    enqueue_on_commit(RECOMPUTE_CLOCKS_FOR_DATES, first=first.isoformat(), last=last.isoformat())


def affected_deadlines(first: dt.date, last: dt.date):
    """Running clocks whose schedule could involve a day in [first, last]: started by
    then, and not entirely over (last threshold unknown or not before ``first``)."""
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
    _record(actor, CoreNode.CALENDAR_DAY_SET, {"date": date.isoformat(), "kind": kind, "name": name[:50]})
    _recompute_after_commit(date, date)
    return day


@transaction.atomic
def calendar_day_remove(*, date: dt.date, actor: User | None) -> None:
    """Back to the ordinary week for ``date``."""
    CalendarDay.objects.filter(date=date).delete()
    _record(actor, CoreNode.CALENDAR_DAY_REMOVED, {"date": date.isoformat()})
    _recompute_after_commit(date, date)


@transaction.atomic
def calendar_year_mark_loaded(*, year: int, actor: User | None, source: str = "manual") -> CalendarYear:
    """Declare a year's schedule complete after entering its days by hand."""
    row, _created = CalendarYear.objects.update_or_create(year=year, defaults={"source": source[:100]})
    _record(actor, CoreNode.CALENDAR_YEAR_LOADED, {"year": year, "source": source[:100]})
    _recompute_after_commit(dt.date(year, 1, 1), dt.date(year, 12, 31))
    return row


def _record(actor: User | None, kind: str, payload: dict) -> None:
    node_event_record(kind=kind, court=None, occurred_at=timezone.now(), actor=actor, payload=payload)


# --- a year from the State Council's notice ---------------------------------------


@dataclass(frozen=True)
class DayDifference:
    """A day the official schedule and the prediction disagree on."""

    date: dt.date
    official_working: bool
    predicted_working: bool

    def as_dict(self) -> dict:
        return {
            "date": self.date.isoformat(),
            "official": "workday" if self.official_working else "rest",
            "predicted": "workday" if self.predicted_working else "rest",
        }


def _official_exceptions(holidays, workdays) -> dict[dt.date, bool]:
    return {**{d: False for d in holidays}, **{d: True for d in workdays}}


def calendar_differences_from_prediction(
    *, year: int, holidays: list[dt.date], workdays: list[dt.date]
) -> list[DayDifference]:
    """Every day of ``year`` whose working status in the official schedule differs
    from the predicted calendar's (what loading the year changes for clocks)."""
    official = _official_exceptions(holidays, workdays)
    try:
        predicted = predicted_exceptions(year)
    except CalendarNotLoaded:
        predicted = {}
    out = []
    day = dt.date(year, 1, 1)
    while day.year == year:
        ordinary = day.weekday() < 5
        is_official = official.get(day, ordinary)
        is_predicted = predicted.get(day, ordinary)
        if is_official != is_predicted:
            out.append(DayDifference(day, is_official, is_predicted))
        day += dt.timedelta(days=1)
    return out


def can_load_calendar(user: User) -> bool:
    """Administrators load a year's working calendar."""
    return bool(
        getattr(user, "is_superuser", False)
        or any(m.role == Role.ADMIN for m in active_memberships(user))
    )


def _validate_days(year: int, holidays: list[dt.date], workdays: list[dt.date]) -> None:
    if not holidays:
        raise ValidationFailed.for_field("holidays", _("没有任何节假日，无法载入。"))
    both = set(holidays) & set(workdays)
    if both:
        raise ValidationFailed.for_field(
            "workdays",
            _("%(days)s 同时被列为放假日和上班日。") % {"days": "、".join(sorted(d.isoformat() for d in both))},
        )
    for day in [*holidays, *workdays]:
        if abs(day.year - year) > 1:
            raise ValidationFailed.for_field(
                "holidays", _("%(day)s 不属于 %(year)s 年的安排。") % {"day": day.isoformat(), "year": year}
            )
    weekday_workdays = [d for d in workdays if d.weekday() < 5]
    if weekday_workdays:
        raise ValidationFailed.for_field(
            "workdays",
            _("调休上班日应为周末：%(days)s 本就是工作日。")
            % {"days": "、".join(d.isoformat() for d in weekday_workdays)},
        )


@transaction.atomic
def _calendar_year_load_check(
    *, year: int, holidays: list[dt.date], workdays: list[dt.date], actor: User | None, check_permission: bool
) -> tuple[list[dt.date], list[dt.date]]:
    """May ``actor`` load a year, and are these its days? Returns them sorted, once each."""
    if check_permission and (actor is None or not can_load_calendar(actor)):
        raise PermissionDenied(_("只有系统管理员可以载入工作日历。"))
    holidays = sorted(set(holidays))
    workdays = sorted(set(workdays))
    _validate_days(year, holidays, workdays)
    return holidays, workdays


def _calendar_days_replace(*, year: int, holidays: list[dt.date], workdays: list[dt.date]) -> None:
    """``year``'s holidays and make-up days replace what the database had for it."""
    CalendarDay.objects.filter(date__year=year).delete()
    in_year = [
        CalendarDay(date=d, kind=CalendarDayKind.HOLIDAY) for d in holidays if d.year == year
    ] + [CalendarDay(date=d, kind=CalendarDayKind.WORKDAY) for d in workdays if d.year == year]
    CalendarDay.objects.bulk_create(in_year)
    # A block that starts in the year before (元旦 from 31 December) also marks that day.
    for day in [*holidays, *workdays]:
        if day.year != year:
            kind = CalendarDayKind.WORKDAY if day in workdays else CalendarDayKind.HOLIDAY
            CalendarDay.objects.update_or_create(date=day, defaults={"kind": kind})


def calendar_year_load(
    *,
    year: int,
    holidays: list[dt.date],
    workdays: list[dt.date],
    actor: User | None,
    source: str = "notice",
    notice_text: str = "",
    check_permission: bool = True,
    recompute_in_background: bool = True,
) -> CalendarLoad:
    """Load (or replace) ``year``'s official schedule: its holidays and make-up days
    replace what the database had for that year, the year is marked loaded, and the
    load is recorded with the notice text and who loaded it. The open clocks it
    touches are recomputed after commit in chunks (``calendar_load_recompute``);
    the returned ``CalendarLoad`` carries the progress and the report. A caller
    that passes ``recompute_in_background=False`` (the management command) runs
    ``calendar_load_recompute`` itself after commit."""
    holidays, workdays = _calendar_year_load_check(
        year=year, holidays=holidays, workdays=workdays, actor=actor, check_permission=check_permission
    )
    differences = calendar_differences_from_prediction(year=year, holidays=holidays, workdays=workdays)
    now = timezone.now()
    _calendar_days_replace(year=year, holidays=holidays, workdays=workdays)
    CalendarYear.objects.update_or_create(
        year=year,
        defaults={
            "source": source[:100],
            "notice_text": notice_text,
            "loaded_by": actor,
            "loaded_at": now,
        },
    )
    load = CalendarLoad.objects.create(
        year=year,
        source=source[:100],
        notice_text=notice_text,
        holidays=[d.isoformat() for d in holidays],
        workdays=[d.isoformat() for d in workdays],
        differences=[d.as_dict() for d in differences],
        loaded_by=actor,
        loaded_at=now,
    )
    _record(
        actor,
        CoreNode.CALENDAR_YEAR_LOADED,
        {
            "year": year,
            "source": source[:100],
            "holidays": len(holidays),
            "workdays": len(workdays),
            "differences_from_prediction": len(differences),
            "load": load.pk,
        },
    )
    if recompute_in_background:
        enqueue_on_commit(RECOMPUTE_CALENDAR_LOAD, load_id=load.pk)
    return load


def calendar_load_recompute(*, load_id: int, chunk_size: int = 5000) -> CalendarLoad:
    """Recompute the open clocks a year's load touches and record what moved.
    Idempotent: a finished load is left alone; one interrupted is recomputed (a
    clock already right is not written again)."""
    load = CalendarLoad.objects.get(pk=load_id)
    if load.status == CalendarLoadStatus.DONE:
        return load
    # A run interrupted part-way (a lost worker; the task is redelivered) already
    # moved some clocks: this run finds only the rest, so its counts are added.
    resumed = load.status in (CalendarLoadStatus.RUNNING, CalendarLoadStatus.FAILED)
    first, last = dt.date(load.year, 1, 1), dt.date(load.year, 12, 31)
    queryset = affected_deadlines(first, last)
    CalendarLoad.objects.filter(pk=load.pk).update(
        status=CalendarLoadStatus.RUNNING, total=queryset.count(), processed=0
    )

    def progress(processed: int) -> None:
        CalendarLoad.objects.filter(pk=load.pk).update(processed=processed)

    try:
        report = clocks_recompute_reporting(queryset=queryset, chunk_size=chunk_size, progress=progress)
    except Exception as exc:
        CalendarLoad.objects.filter(pk=load.pk).update(status=CalendarLoadStatus.FAILED, error=str(exc)[:500])
        raise
    by_court = {str(k): v for k, v in (report.by_court or {}).items()}
    base = {"moved_earlier": 0, "moved_later": 0, "now_overdue": 0, "settled": 0}
    if resumed:
        base = {k: getattr(load, k) for k in base}
        for key, part in load.by_court.items():
            merged = by_court.setdefault(key, {"earlier": 0, "later": 0, "now_overdue": 0, "settled": 0})
            for name, value in part.items():
                merged[name] = merged.get(name, 0) + value
    CalendarLoad.objects.filter(pk=load.pk).update(
        status=CalendarLoadStatus.DONE,
        processed=report.examined,
        moved_earlier=base["moved_earlier"] + report.earlier,
        moved_later=base["moved_later"] + report.later,
        now_overdue=base["now_overdue"] + report.now_overdue,
        settled=base["settled"] + report.settled,
        by_court=by_court,
        finished_at=timezone.now(),
    )
    load.refresh_from_db()
    _mail_supervisors(load)
    return load


def _mail_supervisors(load: CalendarLoad) -> None:
    """Each court's 专人监管 gets its part of the report (clocks that moved, and the
    ones now overdue), by e-mail through the outbox."""
    if not load.by_court:
        return
    courts = Court.objects.in_bulk([int(k) for k in load.by_court])
    supervisors: dict[int, list[str]] = {}
    for court_id, email in Membership.objects.filter(
        court_id__in=courts, role=Role.CASE_SUPERVISOR, revoked_at__isnull=True, user__is_active=True
    ).exclude(user__email="").values_list("court_id", "user__email"):
        supervisors.setdefault(court_id, []).append(email)
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        for key, part in load.by_court.items():
            to = supervisors.get(int(key))
            court = courts.get(int(key))
            if not to or court is None:
                continue
            email_queue(
                subject=_("执行监督平台：%(year)s 年工作日历已载入，本院期限已重算") % {"year": load.year},
                body=_(
                    "%(court)s：%(year)s 年工作日历已按国务院办公厅通知载入。本院正在运行的期限中，"
                    "%(earlier)s 个届满日提前，%(later)s 个推后，%(overdue)s 个因此已超期，"
                    "%(settled)s 个不再是暂定日期。请在监督看板和预警收件箱核对。"
                )
                % {
                    "court": court.name,
                    "year": load.year,
                    "earlier": part.get("earlier", 0),
                    "later": part.get("later", 0),
                    "overdue": part.get("now_overdue", 0),
                    "settled": part.get("settled", 0),
                },
                to=to,
            )



def calendar_missing_year(*, today: dt.date | None = None) -> int | None:
    """The year whose official schedule should be loaded by now and is not: this
    year (clocks in it are provisional), or from November next year — else None.
    One query."""
    today = today or timezone.localdate()
    loaded = set(CalendarYear.objects.filter(year__in=[today.year, today.year + 1]).values_list("year", flat=True))
    if today.year not in loaded:
        return today.year
    if today.month >= 11 and today.year + 1 not in loaded:
        return today.year + 1
    return None
