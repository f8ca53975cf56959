"""The predicted working calendar (core/calendar_prediction.py) against the published
schedules, the law (《全国年节及纪念日放假办法》, 2024 revision) and the 调休 principles.

No database: everything here is pure date arithmetic. The figures pinned here are
the ones docs/calendar.md (## 预测日历) quotes; ``python -m core.calendar_prediction
2025 2026`` prints them."""

import dataclasses
import datetime as dt
import math

import chinese_calendar
import pytest
from chinese_calendar import constants
from hypothesis import given, settings
from hypothesis import strategies as st

from core import calendar_prediction as cp
from core.calendar import WorkingCalendar
from core.calendar_prediction import (
    PredictedHoliday,
    compare_with,
    predict_year,
    predict_year_detail,
    real_exceptions_from_package,
)

D = dt.date


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def _is_working(exceptions, day: dt.date) -> bool:
    return exceptions.get(day, day.weekday() < 5)


def _longest_run(exceptions, first: dt.date, last: dt.date) -> int:
    best = run = 0
    for day in _days(first, last):
        run = run + 1 if _is_working(exceptions, day) else 0
        best = max(best, run)
    return best


# --- against the published schedules --------------------------------------------
# The statutory days themselves (放假办法 第二条) as the real calendars place them.
STATUTORY = {
    2025: [
        D(2025, 1, 1),  # 元旦 (Wed)
        *_days(D(2025, 1, 28), D(2025, 1, 31)),  # 除夕 .. 正月初三
        D(2025, 4, 4),  # 清明
        D(2025, 5, 1),
        D(2025, 5, 2),  # 劳动节
        D(2025, 5, 31),  # 端午 (Sat)
        D(2025, 10, 6),  # 中秋, inside 国庆
        *_days(D(2025, 10, 1), D(2025, 10, 3)),  # 国庆
    ],
    2026: [
        D(2026, 1, 1),
        *_days(D(2026, 2, 16), D(2026, 2, 19)),  # 除夕 (Mon) .. 初三
        D(2026, 4, 5),  # 清明 (Sun)
        D(2026, 5, 1),
        D(2026, 5, 2),
        D(2026, 6, 19),  # 端午
        D(2026, 9, 25),  # 中秋
        *_days(D(2026, 10, 1), D(2026, 10, 3)),
    ],
}

# Pinned: how far the prediction is from the real schedule (days whose working/rest
# status differs; start dates whose 5- and 10-working-day due date differs, and the
# largest shift in days). A change to the algorithm that moves these must be
# deliberate, and docs/calendar.md updated with it.
MEASURED = {
    2025: {"days": 0, "due_5": (0, 0), "due_10": (0, 0)},
    2026: {"days": 0, "due_5": (0, 0), "due_10": (0, 0)},
}
# The baseline the doc compares with: the law's days off and no 调休 at all.
MEASURED_LAW_ONLY = {
    2025: {"days": 11, "due_5": (55, 7), "due_10": (66, 7)},
    2026: {"days": 15, "due_5": (64, 6), "due_10": (88, 6)},
}


@pytest.mark.parametrize("year", [2025, 2026])
def test_prediction_distance_from_the_published_schedule(year):
    real = real_exceptions_from_package(year)
    assert real, f"chinese_calendar has no schedule for {year}"
    result = compare_with(year, real)
    expected = MEASURED[year]
    assert len(result["days_different"]) == expected["days"], result["days_different"]
    assert (result["due_5_different"], result["due_5_max_shift"]) == expected["due_5"]
    assert (result["due_10_different"], result["due_10_max_shift"]) == expected["due_10"]
    assert result["start_dates"] == len(_days(D(year, 1, 1), D(year, 12, 31)))


@pytest.mark.parametrize("year", [2025, 2026])
def test_law_only_baseline_distance(year):
    real = real_exceptions_from_package(year)
    result = compare_with(year, real, cp.statutory_only(year))
    expected = MEASURED_LAW_ONLY[year]
    assert len(result["days_different"]) == expected["days"]
    assert (result["due_5_different"], result["due_5_max_shift"]) == expected["due_5"]
    assert (result["due_10_different"], result["due_10_max_shift"]) == expected["due_10"]


@pytest.mark.parametrize("year", [2025, 2026])
def test_prediction_is_the_published_exceptions_map(year):
    # Not only the same working days: the same map, entry for entry, as
    # core.services.calendar loads it from chinese_calendar.
    assert predict_year(year) == real_exceptions_from_package(year)


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_statutory_day_is_predicted_as_rest(year):
    predicted = predict_year(year)
    for day in STATUTORY[year]:
        assert constants.holidays.get(day), f"{day} is not a real holiday: fix the fixture"
        assert predicted[day] is False, day


def test_2025_and_2026_notices_in_detail():
    # 国办发明电〔2024〕12号 (2025) and the 2026 notice, holiday by holiday.
    def shape(year):
        return [(h.name, h.rest_days[0], h.rest_days[-1], h.workdays) for h in predict_year_detail(year)]

    assert shape(2025) == [
        ("元旦", D(2025, 1, 1), D(2025, 1, 1), ()),
        ("春节", D(2025, 1, 28), D(2025, 2, 4), (D(2025, 1, 26), D(2025, 2, 8))),
        ("清明节", D(2025, 4, 4), D(2025, 4, 6), ()),
        ("劳动节", D(2025, 5, 1), D(2025, 5, 5), (D(2025, 4, 27),)),
        ("端午节", D(2025, 5, 31), D(2025, 6, 2), ()),
        ("国庆节、中秋节", D(2025, 10, 1), D(2025, 10, 8), (D(2025, 9, 28), D(2025, 10, 11))),
    ]
    assert shape(2026) == [
        ("元旦", D(2026, 1, 1), D(2026, 1, 3), (D(2026, 1, 4),)),
        # 8 days from 除夕 (Mon 2月16日) plus the unworked Sunday before: the notice's 9.
        ("春节", D(2026, 2, 15), D(2026, 2, 23), (D(2026, 2, 14), D(2026, 2, 28))),
        ("清明节", D(2026, 4, 4), D(2026, 4, 6), ()),
        ("劳动节", D(2026, 5, 1), D(2026, 5, 5), (D(2026, 5, 9),)),
        ("端午节", D(2026, 6, 19), D(2026, 6, 21), ()),
        ("中秋节", D(2026, 9, 25), D(2026, 9, 27), ()),
        ("国庆节", D(2026, 10, 1), D(2026, 10, 7), (D(2026, 9, 20), D(2026, 10, 10))),
    ]


# --- make-up placement against older published schedules ------------------------
def _real_blocks(year):
    """The published holiday blocks of ``year`` (contiguous runs of holidays; 元旦's
    December days belong to the next year) and how many make-up days each had."""

    def belongs(day, name):
        if name == "New Year's Day" and day.month == 12:
            return day.year + 1 == year
        return day.year == year

    days = sorted(d for d, name in constants.holidays.items() if belongs(d, name))
    blocks = [[days[0]]]
    for day in days[1:]:
        if (day - blocks[-1][-1]).days == 1:
            blocks[-1].append(day)
        else:
            blocks.append([day])
    makeup = sorted(d for d, name in constants.workdays.items() if d.weekday() >= 5 and belongs(d, name))
    needed = [0] * len(blocks)
    for day in makeup:
        name = constants.workdays[day]
        own = [i for i, b in enumerate(blocks) if any(constants.holidays[d] == name for d in b)]
        nearest = min(own, key=lambda i: min(abs((day - blocks[i][0]).days), abs((day - blocks[i][-1]).days)))
        needed[nearest] += 1
    return blocks, needed, makeup


def _real_longest_run(year):
    exceptions = {}
    for y in (year - 1, year, year + 1):
        exceptions.update(real_exceptions_from_package(y))
    return _longest_run(exceptions, D(year, 1, 1), D(year, 12, 31))


# The years whose published schedule kept to 6 working days in a row (the rule the
# law wrote down in 2024); the others had runs of 7 under the older practice.
SIX_DAY_YEARS = [2014, 2015, 2017, 2018, 2020, 2021, 2024, 2025, 2026]
SEVEN_DAY_YEARS = [2016, 2019, 2022, 2023]


@pytest.mark.parametrize("year", SIX_DAY_YEARS)
def test_makeup_placement_reproduces_published_years(year):
    assert _real_longest_run(year) <= 6
    blocks, needed, makeup = _real_blocks(year)
    placed = sorted(d for days in cp.place_makeup_days(blocks, needed) for d in days)
    assert placed == makeup


@pytest.mark.parametrize("year", SEVEN_DAY_YEARS)
def test_years_left_out_of_the_placement_check_broke_the_six_day_rule(year):
    assert _real_longest_run(year) == 7


# --- lunar and solar anchors -----------------------------------------------------
def test_lunar_anchors():
    assert cp.chuxi(2025) == D(2025, 1, 28)
    assert cp.chuxi(2026) == D(2026, 2, 16)
    assert cp.chuxi(2027) == D(2027, 2, 5)  # 春节 (正月初一) 2027-02-06
    assert cp.duanwu(2027) == D(2027, 6, 9)
    assert cp.zhongqiu(2027) == D(2027, 9, 15)
    assert cp.zhongqiu(2025) == D(2025, 10, 6)
    assert cp.duanwu(2026) == D(2026, 6, 19)
    law = cp.statutory_days(2027)
    assert law["春节"] == tuple(_days(D(2027, 2, 5), D(2027, 2, 8)))
    assert law["端午节"] == (D(2027, 6, 9),) and law["中秋节"] == (D(2027, 9, 15),)


@pytest.mark.parametrize("year", range(2008, 2027))
def test_lunar_and_solar_dates_are_published_holidays(year):
    # 端午, 中秋 and 清明 have been holidays since 2008: chinese_calendar's real
    # schedules confirm the lunar table and the 清明 formula.
    def published(day):
        # The package lists 2012-06-22 and 06-24 but not the Saturday between them,
        # 端午 itself (that notice: 6月22日至24日放假公休); take a day inside a block.
        one = dt.timedelta(days=1)
        if day in constants.holidays:
            return constants.holidays[day]
        before, after = constants.holidays.get(day - one), constants.holidays.get(day + one)
        return before if before == after else None

    assert published(cp.duanwu(year)) == "Dragon Boat Festival"
    assert published(cp.zhongqiu(year)) in {"Mid-autumn Festival", "National Day"}
    assert published(cp.qingming(year)) == "Tomb-sweeping Day"


def _sun_longitude(jde: float) -> float:
    """Apparent ecliptic longitude of the sun, degrees (Meeus, Astronomical
    Algorithms ch. 25, low accuracy: about 0.01°, i.e. a quarter of an hour)."""
    t = (jde - 2451545.0) / 36525
    mean = 280.46646 + 36000.76983 * t + 0.0003032 * t * t
    anomaly = math.radians(357.52911 + 35999.05029 * t - 0.0001537 * t * t)
    centre = (
        (1.914602 - 0.004817 * t - 0.000014 * t * t) * math.sin(anomaly)
        + (0.019993 - 0.000101 * t) * math.sin(2 * anomaly)
        + 0.000289 * math.sin(3 * anomaly)
    )
    omega = math.radians(125.04 - 1934.136 * t)
    return (mean + centre - 0.00569 - 0.00478 * math.sin(omega)) % 360


def _astronomical_qingming(year: int) -> tuple[dt.date, float]:
    """The Beijing date of 清明 (sun at 15°) and the hour it happens."""
    jd_epoch = 2451544.5  # 2000-01-01 00:00 UT
    lo = jd_epoch + (D(year, 3, 30) - D(2000, 1, 1)).days
    hi = lo + 12
    for _ in range(60):
        mid = (lo + hi) / 2
        if (_sun_longitude(mid) - 15 + 180) % 360 - 180 < 0:
            lo = mid
        else:
            hi = mid
    delta_t = 62.92 + 0.32217 * (year - 2000) + 0.005589 * (year - 2000) ** 2  # seconds, TT - UT
    beijing = lo - delta_t / 86400 + 8 / 24
    days = beijing - jd_epoch
    return D(2000, 1, 1) + dt.timedelta(days=math.floor(days)), (days % 1) * 24


def test_qingming_formula_against_astronomy_and_chinese_calendar():
    for year in range(2000, 2100):
        formula = cp.qingming(year)
        astronomy, hour = _astronomical_qingming(year)
        assert formula == astronomy, (year, formula, astronomy, hour)
        terms = chinese_calendar.get_solar_terms(D(year, 4, 1), D(year, 4, 10))
        assert (formula, "清明") in terms


# --- properties of every predicted year -----------------------------------------
years = st.integers(min_value=2027, max_value=cp.LAST_YEAR)


@settings(deadline=None)
@given(years)
def test_makeup_days_are_weekends_outside_every_block(year):
    detail = predict_year_detail(year)
    rest = {d for h in detail for d in h.rest_days}
    for holiday in detail:
        for day in holiday.workdays:
            assert day.weekday() >= 5, (holiday, day)
            assert day not in rest
    for day, working in predict_year(year).items():
        assert day.year == year
        if working:
            assert day.weekday() >= 5


@settings(deadline=None)
@given(years)
def test_statutory_days_are_rest(year):
    predicted = predict_year(year)
    law = cp.statutory_days(year)
    for days in law.values():
        for day in days:
            if day.year == year:
                assert predicted[day] is False, day
    detail = {h.name: h for h in predict_year_detail(year)}
    spring = detail["春节"]
    eve = cp.chuxi(year)
    assert set(_days(eve, eve + dt.timedelta(days=3))) <= set(spring.rest_days)  # 除夕 .. 初三
    assert spring.rest_days[0] <= eve and len(spring.rest_days) >= 8  # 自农历除夕起放假调休8天
    national = detail.get("国庆节") or detail["国庆节、中秋节"]
    assert len(national.rest_days) >= 7  # 国庆节自10月1日起放假调休7天
    assert len(detail["劳动节"].rest_days) == 5


@settings(deadline=None)
@given(years)
def test_blocks_are_contiguous_and_disjoint(year):
    seen = set()
    for holiday in predict_year_detail(year):
        days = holiday.rest_days
        assert list(days) == sorted(days)
        assert (days[-1] - days[0]).days == len(days) - 1, holiday
        assert set(holiday.statutory_days) <= set(days)
        assert not seen & set(days)
        seen |= set(days)
        if holiday.name in {"元旦", "清明节", "端午节", "中秋节"}:
            # 放假调休或连休3天（如逢周三则只在当日放假）
            expected = 1 if holiday.statutory_days[0].weekday() == 2 else 3
            assert len(days) == expected


@settings(deadline=None)
@given(years)
def test_no_more_than_six_working_days_in_a_row(year):
    # 放假办法 第七条: 法定节假日假期前后连续工作一般不超过6天 — kept in every year.
    exceptions = {}
    for y in (year - 1, year, year + 1):
        if cp.FIRST_YEAR <= y <= cp.LAST_YEAR:
            exceptions.update(predict_year(y))
    assert _longest_run(exceptions, D(year, 1, 1), D(year, 12, 31)) <= 6


@settings(deadline=None)
@given(years)
def test_rest_and_work_balance_the_law(year):
    # Over the year, the weekdays off exceed the weekend days worked by exactly the
    # statutory days (13 since the 2024 revision), weekend ones compensated; next year's 元旦 can
    # move a December day, so count holidays by the notice they belong to.
    weekday_rest = sum(1 for h in predict_year_detail(year) for d in h.rest_days if d.weekday() < 5)
    worked = sum(len(h.workdays) for h in predict_year_detail(year))
    assert weekday_rest - worked == 13


def test_every_supported_year_is_predicted():
    for year in range(cp.FIRST_YEAR, cp.LAST_YEAR + 1):
        assert predict_year(year)
        assert len(predict_year_detail(year)) in {6, 7}


@pytest.mark.parametrize("year", [1999, 2024, 2100, 3000])
def test_outside_the_supported_range(year):
    with pytest.raises(ValueError):
        predict_year(year)
    with pytest.raises(ValueError):
        predict_year_detail(year)


def test_next_years_new_year_reaches_into_december():
    # 2030-01-01 is a Tuesday: 2029-12-30 .. 2030-01-01 off, Saturday 12-29 worked.
    december = {d: v for d, v in predict_year(2029).items() if d.month == 12}
    assert december == {D(2029, 12, 29): True, D(2029, 12, 30): False, D(2029, 12, 31): False}
    assert predict_year_detail(2030)[0] == PredictedHoliday(
        name="元旦",
        rest_days=(D(2029, 12, 30), D(2029, 12, 31), D(2030, 1, 1)),
        workdays=(D(2029, 12, 29),),
        statutory_days=(D(2030, 1, 1),),
    )
    # predict_year(2099) needs 2100's 元旦, which needs no lunar table.
    assert predict_year(2099)


# --- the cache cannot be corrupted ----------------------------------------------
def test_results_are_copies_or_immutable():
    first = predict_year(2030)
    first.clear()
    assert predict_year(2030)
    detail = predict_year_detail(2030)
    detail.clear()
    assert predict_year_detail(2030)
    holiday = predict_year_detail(2030)[1]
    with pytest.raises(dataclasses.FrozenInstanceError):
        holiday.name = "x"  # type: ignore[misc]
    assert isinstance(holiday.rest_days, tuple) and isinstance(holiday.workdays, tuple)


# --- the comparison's arithmetic is the project's -------------------------------
def test_compare_with_counts_working_days_like_working_calendar():
    exceptions = {**predict_year(2025), **predict_year(2026)}
    calendar = WorkingCalendar(loaded_years=frozenset({2025, 2026}), exceptions=exceptions)
    for start in _days(D(2025, 1, 1), D(2025, 12, 31)):
        for n in (1, 5, 10):
            assert cp.add_working_days(exceptions, start, n) == calendar.add_working_days(start, n)


def test_compare_with_reports_differences():
    real = real_exceptions_from_package(2026)
    wrong = dict(real)
    wrong[D(2026, 2, 14)] = False  # forget the make-up Saturday before 春节
    result = compare_with(2026, real, wrong)
    assert result["days_different"] == [D(2026, 2, 14)]
    # One day wrong just before an 8-day holiday moves a due date across all of it
    # (docs/calendar.md quotes these figures).
    assert (result["due_5_different"], result["due_5_max_shift"]) == (5, 10)
    assert (result["due_10_different"], result["due_10_max_shift"]) == (12, 10)
    # Entries outside the year are ignored on both sides.
    assert compare_with(2026, {**real, D(2027, 1, 4): False}, real)["days_different"] == []
