"""The working calendar's pages: the wall calendar (loaded or predicted), and 载入年度
节假日安排 — paste the State Council's notice, see the year it means, confirm."""

import calendar as pycalendar
import datetime as dt

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from core.calendar import WorkingCalendar
from core.calendar_notice import parse_notice
from core.decorators import perm_required
from core.exceptions import ApplicationError
from core.forms import CalendarNoticeForm, DueDateForm
from core.models import CalendarLoad, CalendarYear, Court
from core.services.calendar import calendar_differences_from_prediction, calendar_year_load


def wall_calendar(year: int, *, exception, today: dt.date, marks: frozenset = frozenset()) -> list[dict]:
    """Twelve months of weeks for the template: ``exception(day)`` gives True for a
    make-up working day, False for a holiday, None for an ordinary day; ``marks``
    are days to flag (where the official schedule differs from the prediction)."""
    months = []
    weeks_of = pycalendar.Calendar(firstweekday=0).monthdatescalendar
    for month in range(1, 13):
        weeks = []
        for week in weeks_of(year, month):
            row = []
            for day in week:
                kind = exception(day) if day.month == month else None
                row.append(
                    {
                        "date": day,
                        "in_month": day.month == month,
                        "holiday": kind is False,
                        "makeup": kind is True,
                        "weekend": kind is None and day.weekday() >= 5,
                        "marked": day in marks,
                        "today": day == today,
                    }
                )
            weeks.append(row)
        months.append({"month": month, "first_day": dt.date(year, month, 1), "weeks": weeks})
    return months


@require_GET
@perm_required("core.view_calendar")
def calendar_page(request):
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    year = min(max(year, 1949), 2099)
    calendar = WorkingCalendar.load()
    loaded = calendar.is_loaded(year)
    try:
        months = wall_calendar(year, exception=calendar.exception, today=today)
    except ApplicationError:  # a year the prediction cannot place either
        months = []
    context = {
        "year": year,
        "loaded": loaded,
        "months": months,
        "loaded_years": sorted(calendar.loaded_years),
        "years": CalendarYear.objects.select_related("loaded_by").order_by("-year")[:5],
        "form": DueDateForm(initial={"start": today}),
        "can_load": request.user.has_perm("core.manage_calendar"),
    }
    return render(request, "core/calendar.html", context)


@require_http_methods(["GET", "POST"])
@perm_required("core.manage_calendar")
def calendar_load(request):
    """Paste → preview (the whole year as a wall calendar, make-up days marked 班,
    days that differ from the prediction outlined) → confirm."""
    form = CalendarNoticeForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["notice"]
        try:
            parsed = parse_notice(text)
        except ApplicationError as exc:
            form.add_error("notice", exc.message)
        else:
            holidays, workdays = list(parsed.holidays), list(parsed.workdays)
            if request.POST.get("confirm") == "1":
                try:
                    load = calendar_year_load(
                        year=parsed.year,
                        holidays=holidays,
                        workdays=workdays,
                        actor=request.user,
                        source="国务院办公厅通知",
                        notice_text=text,
                    )
                except ApplicationError as exc:
                    form.add_error("notice", exc.message)
                else:
                    return redirect("core:calendar-load-detail", pk=load.pk)
            else:
                differences = calendar_differences_from_prediction(
                    year=parsed.year, holidays=holidays, workdays=workdays
                )
                official = {**{d: False for d in holidays}, **{d: True for d in workdays}}
                preview = {
                    "parsed": parsed,
                    "differences": differences,
                    "months": wall_calendar(
                        parsed.year,
                        exception=official.get,
                        today=timezone.localdate(),
                        marks=frozenset(d.date for d in differences),
                    ),
                    "already_loaded": CalendarYear.objects.filter(year=parsed.year).first(),
                    "outside_year": [d for d in [*holidays, *workdays] if d.year != parsed.year],
                }
    loads = CalendarLoad.objects.select_related("loaded_by").order_by("-loaded_at", "-id")[:10]
    return render(request, "core/calendar_load.html", {"form": form, "preview": preview, "loads": loads})


def _load_or_404(pk: int) -> CalendarLoad:
    load = CalendarLoad.objects.select_related("loaded_by").filter(pk=pk).first()
    if load is None:
        raise Http404
    return load


@require_GET
@perm_required("core.manage_calendar")
def calendar_load_detail(request, pk: int):
    load = _load_or_404(pk)
    courts = Court.objects.in_bulk([int(k) for k in load.by_court]) if load.by_court else {}
    parts = sorted(
        ({"court": courts.get(int(k)), **v} for k, v in load.by_court.items()),
        key=lambda p: p["court"].path if p["court"] else "",
    )
    return render(request, "core/calendar_load_detail.html", {"load": load, "parts": parts})


@require_GET
@perm_required("core.manage_calendar")
def calendar_load_progress(request, pk: int):
    """htmx: the progress bar, polled until the recompute is done."""
    return render(request, "core/_calendar_load_progress.html", {"load": _load_or_404(pk)})


@require_GET
@perm_required("core.view_calendar")
def due_date_partial(request):
    """htmx: the due date for the calculator form, or the form's errors."""
    form = DueDateForm(request.GET)
    result = error = None
    provisional = False
    if form.is_valid():
        data = form.cleaned_data
        calendar = WorkingCalendar.load()
        result = calendar.due_date(data["start"], data["days"], data["unit"])
        provisional = calendar.is_provisional(data["start"], result)
    return render(
        request,
        "core/_due_date.html",
        {"form": form, "result": result, "error": error, "provisional": provisional},
    )
