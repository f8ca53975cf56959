"""What the case-funds pages share: page sizes, the clock rows of FUNDS_NOTICE /
FUNDS_PAYMENT, and amounts in words."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from core.calendar import WorkingCalendar, local_date
from core.exceptions import CalendarNotLoaded
from core.models import Deadline
from core.web import urgency

PAGE_SIZE = 50


def yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}"


class Clocks:
    """Due date, working days left and state of FUNDS_NOTICE / FUNDS_PAYMENT clocks,
    with one calendar load for the page."""

    def __init__(self):
        self.now = timezone.now()
        self.today = local_date(self.now)
        self.calendar = WorkingCalendar.load()

    def row(self, deadline: Deadline | None) -> dict | None:
        if deadline is None:
            return None
        due = local_date(deadline.due_at)
        paused = deadline.is_running and deadline.paused_at is not None
        left = None
        if deadline.is_running:
            try:
                left = self.calendar.working_days_between(self.today, due)
            except CalendarNotLoaded:
                left = None
            overdue = not paused and deadline.due_at < self.now
            level = "paused" if paused else urgency(left, overdue)
        else:
            overdue, level = False, "done"
        return {
            "deadline": deadline, "due_date": due, "days_left": left, "urgency": level, "overdue": overdue,
            "paused": paused, "running": deadline.is_running,
        }

    def age(self, moment: dt.datetime) -> dict:
        """How long a receipt has waited: calendar days and working days."""
        day = local_date(moment)
        try:
            working = self.calendar.working_days_between(day, self.today)
        except CalendarNotLoaded:
            working = None
        return {"days": (self.today - day).days, "working_days": working}
