"""Browser pages of the kernel (server-rendered, htmx for partial updates): home, 我的待办,
the rule catalogue, the court tree. The working calendar's pages are in
``core.views.calendar``, the exports' in ``core.views.exports``."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.calendar import WorkingCalendar, local_date
from core.decorators import perm_required
from core.exceptions import CalendarNotLoaded
from core.models import DeadlineRule
from core.selectors import deadlines_todo, visible_courts
from core.web import urgency


@login_required
def home(request):
    return redirect("core:todo")


def _working_days_left(calendar: WorkingCalendar, today: dt.date, due: dt.date) -> int | None:
    try:
        return calendar.working_days_between(today, due)
    except CalendarNotLoaded:
        return None


@require_GET
@perm_required("core.use_browser")
def todo(request):
    """我的待办: the clocks the signed-in user is responsible for."""
    now = timezone.now()
    today = local_date(now)
    calendar = WorkingCalendar.load()
    rows = []
    for deadline in deadlines_todo(request.user)[:500]:
        overdue = deadline.paused_at is None and deadline.due_at < now
        left = _working_days_left(calendar, today, local_date(deadline.due_at))
        rows.append(
            {
                "deadline": deadline,
                "due_date": local_date(deadline.due_at),
                "days_left": left,
                "urgency": "paused" if deadline.paused_at else urgency(left, overdue),
            }
        )
    return render(request, "core/todo.html", {"rows": rows, "now": now})


@require_GET
@perm_required("core.use_browser")
def rule_catalogue(request):
    rules = DeadlineRule.objects.order_by("code")
    return render(request, "core/rules.html", {"rules": rules})


@require_GET
@perm_required("core.use_browser")
def court_tree(request):
    courts = visible_courts(request.user).select_related("parent")
    return render(request, "core/courts.html", {"courts": courts})
