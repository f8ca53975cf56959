"""The working calendar against the State Council's 2026 schedule, hand-computed."""

import datetime as dt

import pytest

from core.calendar import WorkingCalendar
from core.exceptions import CalendarNotLoaded
from core.models import CalendarDay, CalendarYear

D = dt.date

HOLIDAYS_2026 = {
    "元旦": [D(2026, 1, 1), D(2026, 1, 2), D(2026, 1, 3)],
    "春节": [D(2026, 2, d) for d in range(15, 24)],
    "清明节": [D(2026, 4, 4), D(2026, 4, 5), D(2026, 4, 6)],
    "劳动节": [D(2026, 5, d) for d in range(1, 6)],
    "端午节": [D(2026, 6, 19), D(2026, 6, 20), D(2026, 6, 21)],
    "中秋节": [D(2026, 9, 25), D(2026, 9, 26), D(2026, 9, 27)],
    "国庆节": [D(2026, 10, d) for d in range(1, 8)],
}
MAKEUP_WORKDAYS_2026 = [
    D(2026, 1, 4),  # Sunday
    D(2026, 2, 14),  # Saturday
    D(2026, 2, 28),  # Saturday
    D(2026, 5, 9),  # Saturday
    D(2026, 9, 20),  # Sunday
    D(2026, 10, 10),  # Saturday
]


@pytest.fixture
def cal(db) -> WorkingCalendar:
    return WorkingCalendar.load()


@pytest.mark.parametrize(
    ("name", "day"), [(name, day) for name, days in HOLIDAYS_2026.items() for day in days]
)
def test_every_2026_holiday_is_a_rest_day(cal, name, day):
    assert cal.is_working_day(day) is False, f"{name} {day}"


@pytest.mark.parametrize("day", MAKEUP_WORKDAYS_2026)
def test_every_2026_makeup_day_is_a_working_day(cal, day):
    assert day.weekday() >= 5
    assert cal.is_working_day(day) is True


def test_2026_has_exactly_the_published_exceptions(cal):
    weekday_holidays = [d for days in HOLIDAYS_2026.values() for d in days if d.weekday() < 5]
    assert {d for d, working in cal.exceptions.items() if d.year == 2026 and working} == set(
        MAKEUP_WORKDAYS_2026
    )
    rest = {d for d, working in cal.exceptions.items() if d.year == 2026 and not working}
    assert set(weekday_holidays) <= rest
    # 248 working days in 2026: 261 weekdays - 19 weekday holidays + 6 make-up days
    working = sum(cal.is_working_day(D(2026, 1, 1) + dt.timedelta(days=i)) for i in range(365))
    assert working == 261 - len(weekday_holidays) + len(MAKEUP_WORKDAYS_2026)


def test_ordinary_days(cal):
    assert cal.is_working_day(D(2026, 3, 11)) is True  # Wednesday
    assert cal.is_working_day(D(2026, 3, 14)) is False  # Saturday


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        # Spring Festival: 14 Feb is a make-up Saturday, 15–23 Feb rest, 28 Feb make-up.
        (D(2026, 2, 13), 5, D(2026, 2, 27)),
        (D(2026, 2, 12), 3, D(2026, 2, 24)),
        (D(2026, 2, 16), 5, D(2026, 2, 28)),  # event on a holiday counts from the next working day
        (D(2026, 2, 10), 10, D(2026, 3, 2)),
        # National Day: 20 Sep make-up Sunday, 25–27 Sep and 1–7 Oct rest, 10 Oct make-up.
        (D(2026, 9, 30), 5, D(2026, 10, 13)),  # API.md's example
        (D(2026, 9, 18), 3, D(2026, 9, 22)),
        (D(2026, 9, 24), 2, D(2026, 9, 29)),
        (D(2026, 9, 28), 10, D(2026, 10, 16)),  # FUNDS_NOTICE across the holiday
        (D(2026, 10, 3), 1, D(2026, 10, 8)),
        (D(2026, 3, 11), 0, D(2026, 3, 11)),
    ],
)
def test_working_days_after(cal, start, n, due):
    assert cal.add_working_days(start, n) == due
    assert cal.due_date(start, n, "working_days") == due


def test_working_days_count_back(cal):
    assert cal.add_working_days(D(2026, 10, 13), -1) == D(2026, 10, 12)
    assert cal.add_working_days(D(2026, 10, 12), -1) == D(2026, 10, 10)  # make-up Saturday
    assert cal.add_working_days(D(2026, 10, 10), -1) == D(2026, 10, 9)
    assert cal.add_working_days(D(2026, 10, 8), -1) == D(2026, 9, 30)


def test_working_days_between(cal):
    assert cal.working_days_between(D(2026, 9, 30), D(2026, 10, 13)) == 5
    assert cal.working_days_between(D(2026, 10, 13), D(2026, 9, 30)) == -5
    assert cal.working_days_between(D(2026, 10, 1), D(2026, 10, 7)) == 0


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        (D(2026, 9, 21), 10, D(2026, 10, 8)),  # 1 Oct is National Day → first working day after
        (D(2026, 1, 22), 30, D(2026, 2, 24)),  # 21 Feb is Spring Festival
        (D(2026, 4, 25), 10, D(2026, 5, 6)),  # 5 May is Labour Day
        (D(2026, 3, 4), 10, D(2026, 3, 16)),  # an ordinary Saturday is a rest day too
        (D(2026, 4, 29), 10, D(2026, 5, 9)),  # a make-up Saturday is a working day: no move
        (D(2026, 5, 1), 10, D(2026, 5, 11)),
    ],
)
def test_calendar_day_periods_ending_on_a_rest_day_move_to_the_next_working_day(cal, start, n, due):
    assert cal.due_date(start, n, "calendar_days") == due


def test_calendar_day_period_that_lapses_on_its_own_date_does_not_move(cal):
    assert cal.add_calendar_days(D(2026, 9, 21), 10, roll=False) == D(2026, 10, 1)


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        (D(2026, 3, 10), 6, D(2026, 9, 10)),
        (D(2025, 8, 31), 6, D(2026, 2, 28)),  # no 31 Feb: last day of the month, a make-up Saturday
        (D(2026, 4, 1), 6, D(2026, 10, 8)),  # 1 Oct is National Day
    ],
)
def test_month_periods(cal, start, n, due):
    assert cal.due_date(start, n, "months") == due


def test_month_period_without_corresponding_day_ends_on_the_last_day_of_the_month(cal):
    assert cal.add_months(D(2026, 8, 31), 6, roll=False) == D(2027, 2, 28)
    assert cal.add_months(D(2026, 1, 31), 1, roll=False) == D(2026, 2, 28)


def test_hour_periods_count_from_the_event_through_holidays(cal):
    start = dt.datetime(2026, 9, 30, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    due = cal.due_at(start, 24, "hours")
    assert due == dt.datetime(2026, 10, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def test_day_periods_end_at_the_end_of_the_local_day(cal):
    start = dt.datetime(2026, 9, 30, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai
    due = cal.due_at(start, 5, "working_days")
    assert due.isoformat() == "2026-10-13T23:59:59+08:00"


def test_a_strict_calendar_refuses_a_year_not_loaded(cal):
    strict = cal.strict()
    assert 2027 not in strict.loaded_years
    with pytest.raises(CalendarNotLoaded) as excinfo:
        strict.is_working_day(D(2027, 3, 1))
    assert excinfo.value.code == "calendar_not_loaded"
    assert excinfo.value.extra == {"year": 2027}
    assert "2027" in str(excinfo.value.message)
    with pytest.raises(CalendarNotLoaded):
        strict.add_working_days(D(2026, 12, 28), 5)  # runs into 2027


def test_a_year_not_loaded_is_counted_on_the_predicted_calendar_and_says_so(cal):
    # 2027: 元旦 Friday 1 January (predicted with the weekend: 1–3 January off)
    assert not cal.is_working_day(D(2027, 1, 1))
    assert cal.add_working_days(D(2026, 12, 28), 5) == D(2027, 1, 5)
    assert cal.is_provisional(D(2026, 12, 28), D(2027, 1, 5))
    assert not cal.is_provisional(D(2026, 12, 1), D(2026, 12, 8))
    # 春节 2027: 除夕 5 February is predicted as a rest day
    assert not cal.is_working_day(D(2027, 2, 5))


def test_a_loaded_year_edited_by_hand_is_used(db):
    CalendarYear.objects.create(year=2027, source="manual")
    CalendarDay.objects.create(date=D(2027, 1, 1), kind="holiday", name="元旦")
    cal = WorkingCalendar.load()
    assert cal.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)
