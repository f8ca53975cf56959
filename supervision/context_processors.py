"""The working-calendar banner (DESIGN "Working calendar"): from November until next
year's schedule is loaded (and all year while this year's is not), administrators
and 专人监管 see on every page how many running clocks in their courts are
provisional — from the per-court counters the scan refreshes, so a province's page
costs two small queries, not a count over its clocks."""

from typing import Any

from django.http import HttpRequest

from core.models import Role
from core.selectors import active_memberships
from core.services.calendar import calendar_missing_year, can_load_calendar
from supervision.selectors.dashboard import provisional_clock_count


def calendar_banner(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    is_admin = can_load_calendar(user)
    if not is_admin and not any(m.role == Role.CASE_SUPERVISOR for m in active_memberships(user)):
        return {}
    missing = calendar_missing_year()
    if missing is None:
        return {}
    provisional = provisional_clock_count(user)
    return {"calendar_banner": {"year": missing, "provisional": provisional, "can_load": is_admin}}
