"""What the case-funds pages share: the page size, amounts in words and the age of
a receipt. Clock rows are ``core.web.clocks``."""

import datetime as dt
from decimal import Decimal

from core.calendar import local_date
from core.models import PeriodUnit
from core.web.clocks import ClockRows

PAGE_SIZE = 50


def yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def receipt_age(clocks: ClockRows, moment: dt.datetime) -> dict:
    """How long a receipt has waited: calendar days and working days (None when the
    working calendar of a year it spans is not loaded)."""
    day = local_date(moment)
    return {
        "days": (clocks.today - day).days,
        "working_days": clocks.between(day, clocks.today, PeriodUnit.WORKING_DAYS),
    }
