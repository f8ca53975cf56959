"""core.web: the one clock row every page shows, and placing a refusal next to its
input — the pieces every app's pages share."""

import datetime as dt

import pytest
from django import forms

from core.exceptions import RuleViolation, ValidationFailed
from core.models import Deadline, DeadlineStatus, PeriodUnit
from core.web.clocks import ClockRows
from core.web.forms import RowSet, place_error

NOW = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)  # Friday 10:00 in Beijing


def _clock(unit: str, due: dt.datetime, **extra) -> Deadline:
    return Deadline(unit=unit, due_at=due, status=DeadlineStatus.OPEN, duration=6, **extra)


def test_a_month_clock_shows_calendar_days_left_never_months_or_working_days():
    row = ClockRows(NOW).row(_clock(PeriodUnit.MONTHS, NOW + dt.timedelta(days=45)))
    assert (row.days_left, str(row.unit_label), row.urgency) == (45, "日", "ok")


def test_an_overdue_calendar_day_clock_counts_days_late():
    row = ClockRows(NOW).row(_clock(PeriodUnit.CALENDAR_DAYS, NOW - dt.timedelta(days=3)))
    assert (row.overdue, row.days_left, row.days_late, row.urgency) == (True, None, 3, "overdue")


def test_a_paused_clock_is_not_overdue():
    row = ClockRows(NOW).row(_clock(PeriodUnit.CALENDAR_DAYS, NOW - dt.timedelta(days=3), paused_at=NOW))
    assert (row.paused, row.overdue, row.urgency) == (True, False, "paused")


@pytest.mark.django_db
def test_a_working_day_clock_counts_working_days_over_a_weekend():
    # Friday → the next Wednesday: Monday, Tuesday, Wednesday
    row = ClockRows(NOW).row(_clock(PeriodUnit.WORKING_DAYS, NOW + dt.timedelta(days=5)))
    assert (row.days_left, str(row.unit_label), row.urgency) == (3, "个工作日", "soon")


class _Row(forms.Form):
    name = forms.CharField()


class _Form(forms.Form):
    opinion = forms.CharField(required=False)
    held_at = forms.CharField(required=False)


def _bound_rows() -> RowSet:
    return RowSet(_Row, "officers", {"officers-0-name": "甲", "officers-3-name": "乙"})


def test_a_refusal_goes_to_the_row_input_its_path_names():
    form, rows = _Form({}), _bound_rows()
    form.is_valid(), rows.is_valid()
    exc = ValidationFailed("x", extra={"fields": {"officers[1].name": ["该干警不属于本院。"]}})
    assert place_error(form, exc, rowsets=[rows]) is True
    assert rows.filled[1].errors["name"] == ["该干警不属于本院。"]
    assert form.non_field_errors() == []


def test_a_rule_code_names_its_input_and_anything_else_goes_on_top():
    form = _Form({})
    form.is_valid()
    place_error(form, RuleViolation("节点时间不得晚于现在。", code="node_in_future"), code_fields={"node_in_future": "held_at"})
    assert form.errors["held_at"] == ["节点时间不得晚于现在。"]
    other = _Form({})
    other.is_valid()
    assert place_error(other, RuleViolation("案件已结案。", code="case_closed")) is False
    assert other.non_field_errors() == ["案件已结案。"]
