"""A predicted Chinese working calendar for years whose State Council schedule
(国务院办公厅关于某年部分节假日安排的通知) is not published yet.

Pure Python: no Django, no database. The result has the shape of the ``exceptions``
map of ``core.calendar.WorkingCalendar`` (date -> False for a rest day, True for a
make-up working day 调休上班), so it can stand in for a year nobody has loaded.

The law
-------
《全国年节及纪念日放假办法》 as revised by the State Council on 2024-11-10 (in force
2025-01-01), 第二条 — 全体公民放假的节日:
  (一)元旦，放假1天（1月1日）；
  (二)春节，放假4天（农历除夕、正月初一至初三）；
  (三)清明节，放假1天（农历清明当日）；
  (四)劳动节，放假2天（5月1日、2日）；
  (五)端午节，放假1天（农历端午当日）；
  (六)中秋节，放假1天（农历中秋当日）；
  (七)国庆节，放假3天（10月1日至3日）。
第七条: "全体公民放假的假日，可合理安排统一放假调休，结合落实带薪年休假等制度，
实际形成较长假期。除个别特殊情形外，法定节假日假期前后连续工作一般不超过6天。"

The 调休 principles (国务院办公厅关于2025年部分节假日安排的通知, 国办发明电〔2024〕12号):
"除个别特殊情形外，春节自农历除夕起放假调休8天，国庆节自10月1日起放假调休7天，
劳动节放假调休5天，元旦、清明节、端午节、中秋节分别放假调休或连休3天（如逢周三则只在
当日放假），国庆节放假如逢中秋节则合并放假8天。"

The algorithm (docs/calendar.md, section 预测日历, has the long form)
--------------------------------------------------------------------
1. Statutory days from the law: lunar dates via ``lunardate``, 清明 via the 寿星
   formula (``qingming``).
2. One block of consecutive rest days per holiday, of the length the principles give
   (3 for 元旦/清明/端午/中秋, 1 if that holiday is a Wednesday; 5 for 劳动节; 8 from
   除夕 for 春节; 7 from 10月1日 for 国庆, or 8 merged with 中秋 when 中秋 falls between
   9月28日 and 10月8日). Where the principles leave the position open (the 3- and
   5-day blocks), the block is the window containing every statutory day that needs
   the fewest make-up days, then the one starting nearest the first statutory day,
   then the later one.
3. Make-up days: a block takes as many weekday rest days as it has statutory days
   (a statutory day that falls on a weekend is compensated); every further weekday in
   the block is worked back on a Saturday or Sunday (调休上班). Those weekend days are
   chosen, holiday by holiday in date order, for (a) the fewest working days beyond
   6 in a row (第七条), then (b) the fewest lone rest days, then (c) an even split
   before/after the holiday, then (d) the least distance to it (``place_makeup_days``).
4. Weekend days adjacent to a block that are not worked become part of it (2026's
   春节: 8 days from 除夕 on a Monday plus the Sunday before = the published 9 days).

Against the published schedules of 2025 and 2026 (``chinese_calendar``) this
reproduces every rest day and every make-up day (``python -m core.calendar_prediction
2025 2026``); later years are a prediction, to be replaced by the real notice.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from chinese_calendar import constants
from lunardate import LunarDate

# The principles above apply from 2025 (the revised 放假办法 is in force from
# 2025-01-01); ``lunardate`` knows lunar years up to 2099.
FIRST_YEAR = 2025
LAST_YEAR = 2099

# A block's make-up days are looked for within this many days of it, and runs of
# working days are checked within twice that.
_SEARCH_DAYS = 21
MAX_CONSECUTIVE_WORKING_DAYS = 6  # 放假办法 第七条

_ONE_DAY = dt.timedelta(days=1)
_WEDNESDAY = 2


@dataclass(frozen=True)
class PredictedHoliday:
    """One holiday of the predicted schedule, as a notice would state it."""

    name: str  # e.g. "春节"; "国庆节、中秋节" when merged
    rest_days: tuple[dt.date, ...]  # every day off, weekend days included, sorted
    workdays: tuple[dt.date, ...]  # make-up working days (调休上班), sorted
    statutory_days: tuple[dt.date, ...] = ()  # the law's days (第二条), sorted


@dataclass(frozen=True)
class _Rule:
    name: str
    statutory: tuple[dt.date, ...]  # may repeat a date (国庆 and 中秋 on 10月1日)
    length: int
    start: dt.date | None = None  # a fixed first day ("自农历除夕起", "自10月1日起")


# --- statutory dates -------------------------------------------------------------
def _check_year(year: int) -> None:
    if isinstance(year, bool) or not isinstance(year, int):
        raise TypeError(f"year must be an int, not {type(year).__name__}")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"the predicted calendar covers {FIRST_YEAR}-{LAST_YEAR}, not {year}")


def _lunar(year: int, month: int, day: int) -> dt.date:
    return LunarDate(year, month, day).to_solar_date()


def chuxi(year: int) -> dt.date:
    """除夕: the last day of the lunar year that ends in ``year`` (the eve of 正月初一)."""
    return _lunar(year, 1, 1) - _ONE_DAY


def duanwu(year: int) -> dt.date:
    """端午: lunar 5/5 (never a leap month's)."""
    return _lunar(year, 5, 5)


def zhongqiu(year: int) -> dt.date:
    """中秋: lunar 8/15."""
    return _lunar(year, 8, 15)


def qingming(year: int) -> dt.date:
    """The 清明 solar term (the sun at 15° ecliptic longitude, Beijing time), by the
    寿星 formula for the 21st century: day = int(Y*0.2422 + 4.81) - int(Y/4), Y the
    last two digits of the year. Checked against an astronomical computation for
    every year 2000-2099 (tests)."""
    if not 2000 <= year <= 2099:
        raise ValueError(f"the 清明 formula covers 2000-2099, not {year}")
    y = year % 100
    return dt.date(year, 4, int(y * 0.2422 + 4.81) - y // 4)


def statutory_days(year: int) -> dict[str, tuple[dt.date, ...]]:
    """The law's holidays in ``year`` (放假办法 第二条), by name."""
    _check_year(year)
    eve = chuxi(year)
    return {
        "元旦": (dt.date(year, 1, 1),),
        "春节": tuple(eve + dt.timedelta(days=i) for i in range(4)),
        "清明节": (qingming(year),),
        "劳动节": (dt.date(year, 5, 1), dt.date(year, 5, 2)),
        "端午节": (duanwu(year),),
        "中秋节": (zhongqiu(year),),
        "国庆节": (dt.date(year, 10, 1), dt.date(year, 10, 2), dt.date(year, 10, 3)),
    }


# --- blocks ----------------------------------------------------------------------
def _days(start: dt.date, length: int) -> tuple[dt.date, ...]:
    return tuple(start + dt.timedelta(days=i) for i in range(length))


def _weekdays_in(days: Sequence[dt.date]) -> int:
    return sum(1 for d in days if d.weekday() < 5)


def _block(rule: _Rule) -> tuple[dt.date, ...]:
    """The rule's block of consecutive rest days."""
    if rule.start is not None:
        return _days(rule.start, rule.length)
    first, last = min(rule.statutory), max(rule.statutory)
    starts = [
        last - dt.timedelta(days=rule.length - 1) + dt.timedelta(days=i)
        for i in range(rule.length - (last - first).days)
    ]
    # fewest make-up days, then nearest to the first statutory day, then later
    best = min(
        starts,
        key=lambda s: (_weekdays_in(_days(s, rule.length)), abs((s - first).days), -s.toordinal()),
    )
    return _days(best, rule.length)


def _short_rule(name: str, day: dt.date) -> _Rule:
    """元旦、清明节、端午节、中秋节: 放假调休或连休3天（如逢周三则只在当日放假）."""
    length = 1 if day.weekday() == _WEDNESDAY else 3
    return _Rule(name, (day,), length)


def _rules(year: int) -> list[_Rule]:
    """Every holiday of ``year``'s notice except 元旦 (see ``_new_year``)."""
    law = statutory_days(year)
    mid_autumn = law["中秋节"][0]
    national = law["国庆节"]
    rules = [
        _Rule("春节", law["春节"], 8, start=law["春节"][0]),  # 春节自农历除夕起放假调休8天
        _short_rule("清明节", law["清明节"][0]),
        _Rule("劳动节", law["劳动节"], 5),  # 劳动节放假调休5天
        _short_rule("端午节", law["端午节"][0]),
    ]
    if dt.date(year, 9, 28) <= mid_autumn <= dt.date(year, 10, 8):
        # 国庆节放假如逢中秋节则合并放假8天: from 中秋 when it comes first (2023's
        # 9月29日-10月6日 under the old rules), else from 10月1日.
        rules.append(_Rule("国庆节、中秋节", (*national, mid_autumn), 8, start=min(mid_autumn, national[0])))
    else:
        rules.append(_short_rule("中秋节", mid_autumn))
        rules.append(_Rule("国庆节", national, 7, start=national[0]))  # 国庆节自10月1日起放假调休7天
    return rules


# --- make-up days ----------------------------------------------------------------
def _dates(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def _excess_run_days(working: Callable[[dt.date], bool], days: Sequence[dt.date]) -> int:
    """Over the runs of consecutive working days in ``days``, the sum of the days
    beyond ``MAX_CONSECUTIVE_WORKING_DAYS``."""
    excess = run = 0
    for day in days:
        if working(day):
            run += 1
        else:
            excess += max(0, run - MAX_CONSECUTIVE_WORKING_DAYS)
            run = 0
    return excess + max(0, run - MAX_CONSECUTIVE_WORKING_DAYS)


def place_makeup_days(
    blocks: Sequence[Sequence[dt.date]], needed: Sequence[int]
) -> list[tuple[dt.date, ...]]:
    """The make-up working days (调休上班) of each block of consecutive rest days:
    ``needed[i]`` Saturdays or Sundays near ``blocks[i]``, outside every block.

    Blocks are served in date order, each seeing the make-up days already given to
    the earlier ones. Among the weekend days within ``_SEARCH_DAYS`` of the block,
    the combination chosen is the one with, in this order:
      1. the fewest working days beyond 6 in a row (放假办法 第七条: 法定节假日假期前后
         连续工作一般不超过6天), counted over the surrounding weeks;
      2. the fewest lone rest days (a rest day between two working days): work the
         Saturday and keep the Sunday that touches the holiday, as 2026's 春节 did
         (2月14日 worked, 2月15日 joined the break);
      3. make-up days split as evenly as possible before and after the holiday
         (2026's 国庆: 9月20日 and 10月10日 rather than 10月10日 and 10月17日);
      4. the smallest total distance to the block; then the earlier days.
    Given the real holiday blocks, this reproduces every published make-up day of
    2014, 2015, 2017, 2018, 2020, 2021, 2024, 2025 and 2026 — all the years whose
    schedule kept to 6 working days in a row (tests)."""
    rest = {d for block in blocks for d in block}
    makeup: set[dt.date] = set()
    span = dt.timedelta(days=_SEARCH_DAYS)
    chosen: dict[int, tuple[dt.date, ...]] = {}
    for index in sorted(range(len(blocks)), key=lambda i: min(blocks[i])):
        start, end = min(blocks[index]), max(blocks[index])
        count = max(0, needed[index])
        if not count:
            chosen[index] = ()
            continue
        candidates = [
            d
            for d in _dates(start - span, end + span)
            if d.weekday() >= 5 and d not in rest and d not in makeup
        ]
        around = _dates(start - 2 * span, end + 2 * span)

        def cost(combo: tuple[dt.date, ...], start=start, end=end, around=around) -> tuple:
            extra = frozenset(combo)

            def working(day: dt.date) -> bool:
                if day in makeup or day in extra:
                    return True
                return day.weekday() < 5 and day not in rest

            lone = sum(
                1 for d in around if not working(d) and working(d - _ONE_DAY) and working(d + _ONE_DAY)
            )
            before = sum(1 for d in combo if d < start)
            distance = sum((start - d).days if d < start else (d - end).days for d in combo)
            return (_excess_run_days(working, around), lone, abs(2 * before - len(combo)), distance, combo)

        best = min(itertools.combinations(candidates, count), key=cost, default=())
        makeup.update(best)
        chosen[index] = best
    return [chosen[i] for i in range(len(blocks))]


def _schedule(rules: Sequence[_Rule]) -> tuple[PredictedHoliday, ...]:
    rules = sorted(rules, key=lambda r: _block(r)[0])
    blocks = [_block(rule) for rule in rules]
    # Each weekday off beyond the statutory days is worked back on a weekend day; a
    # statutory day on a weekend is compensated by a weekday off (2026's 清明 on a
    # Sunday: 4月4日-6日).
    needed = [_weekdays_in(block) - len(rule.statutory) for rule, block in zip(rules, blocks, strict=True)]
    workdays = place_makeup_days(blocks, needed)
    makeup = {d for days in workdays for d in days}
    holidays = []
    for rule, block, extra_work in zip(rules, blocks, workdays, strict=True):
        days = set(block)
        # Unworked weekend days next to the block are part of the break.
        for day, step in ((block[0] - _ONE_DAY, -_ONE_DAY), (block[-1] + _ONE_DAY, _ONE_DAY)):
            while day.weekday() >= 5 and day not in makeup:
                days.add(day)
                day += step
        holidays.append(
            PredictedHoliday(
                name=rule.name,
                rest_days=tuple(sorted(days)),
                workdays=tuple(sorted(extra_work)),
                statutory_days=tuple(sorted(set(rule.statutory))),
            )
        )
    return tuple(holidays)


@functools.lru_cache(maxsize=128)
def _new_year(year: int) -> PredictedHoliday:
    """元旦 of ``year``, on its own: its block and make-up days may fall in December
    of the year before, and it never interacts with 春节 (除夕 is 1月20日 at the
    earliest)."""
    return _schedule([_short_rule("元旦", dt.date(year, 1, 1))])[0]


@functools.lru_cache(maxsize=128)
def _detail(year: int) -> tuple[PredictedHoliday, ...]:
    _check_year(year)
    return (_new_year(year), *_schedule(_rules(year)))


@functools.lru_cache(maxsize=128)
def _exceptions(year: int) -> tuple[tuple[dt.date, bool], ...]:
    # year's own holidays, plus the December days of next year's 元旦 (e.g. a
    # make-up Saturday 12月29日 when 1月1日 is a Tuesday).
    holidays = (*_detail(year), _new_year(year + 1))
    result: dict[dt.date, bool] = {}
    for holiday in holidays:
        result.update((d, False) for d in holiday.rest_days if d.year == year)
        result.update((d, True) for d in holiday.workdays if d.year == year)
    return tuple(sorted(result.items()))


# --- public API ------------------------------------------------------------------
def predict_year(year: int) -> dict[dt.date, bool]:
    """Exceptions to the Monday–Friday week predicted for ``year``: False for a rest day
    (every day of each holiday block, weekend days inside a block included), True for a
    make-up working day (调休上班, always a Saturday or Sunday). Same shape as the
    ``exceptions`` map of core.calendar.WorkingCalendar; only dates within ``year``
    (next year's 元旦 can put days into late December). A new dict on every call.

    Raises ValueError outside FIRST_YEAR..LAST_YEAR (2025-2099)."""
    _check_year(year)
    return dict(_exceptions(year))


def predict_year_detail(year: int) -> list[PredictedHoliday]:
    """The predicted holidays of ``year``'s notice in date order (元旦's days can lie in
    December of the year before). Raises ValueError outside 2025-2099."""
    return list(_detail(year))


# --- comparing with a real schedule ----------------------------------------------
def _is_working(exceptions: Mapping[dt.date, bool], day: dt.date) -> bool:
    if day in exceptions:
        return exceptions[day]
    return day.weekday() < 5


def add_working_days(exceptions: Mapping[dt.date, bool], start: dt.date, n: int) -> dt.date:
    """The n-th working day after ``start`` (start not counted), n >= 0 — the rule of
    ``core.calendar.WorkingCalendar.add_working_days``."""
    day = start
    while n:
        day += _ONE_DAY
        if _is_working(exceptions, day):
            n -= 1
    return day


def compare_with(
    year: int,
    real_exceptions: Mapping[dt.date, bool],
    predicted_exceptions: Mapping[dt.date, bool] | None = None,
) -> dict:
    """How far a prediction for ``year`` (default ``predict_year(year)``) is from the
    real schedule ``real_exceptions`` (same shape; entries outside ``year`` ignored).

    Days outside ``year`` are taken as a plain Monday–Friday week on both sides, so
    only ``year``'s differences count. Returns ``days_different`` (the dates whose
    working/rest status differs, sorted) and, for 5 and 10 working days, the number
    of start dates in ``year`` whose due date differs and the largest difference in
    calendar days between the two due dates."""
    if predicted_exceptions is None:
        predicted_exceptions = predict_year(year)
    real = {d: v for d, v in real_exceptions.items() if d.year == year}
    predicted = {d: v for d, v in predicted_exceptions.items() if d.year == year}
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    different = [d for d in days if _is_working(real, d) != _is_working(predicted, d)]
    result: dict = {"year": year, "days_different": different}
    for n in (5, 10):
        shifts = [abs((add_working_days(predicted, d, n) - add_working_days(real, d, n)).days) for d in days]
        result[f"due_{n}_different"] = sum(1 for s in shifts if s)
        result[f"due_{n}_max_shift"] = max(shifts)
    result["start_dates"] = len(days)
    return result


def statutory_only(year: int) -> dict[dt.date, bool]:
    """A baseline for comparison: the law's days off (第二条) and no 调休 at all."""
    return {d: False for days in statutory_days(year).values() for d in days}


def real_exceptions_from_package(year: int) -> dict[dt.date, bool]:
    """The published schedule of ``year`` from the ``chinese_calendar`` package, the way
    ``core.services.calendar`` loads it (holidays False, weekend make-up days True)."""
    result = {d: False for d in constants.holidays if d.year == year}
    result.update({d: True for d in constants.workdays if d.year == year and d.weekday() >= 5})
    return result


def _main(argv: Sequence[str]) -> int:
    """``python -m core.calendar_prediction 2025 2026``: the figures of docs/calendar.md."""
    for year in (int(a) for a in argv):
        real = real_exceptions_from_package(year)
        for label, predicted in (("prediction", predict_year(year)), ("law only", statutory_only(year))):
            r = compare_with(year, real, predicted)
            print(  # noqa: T201
                f"{year} {label}: {len(r['days_different'])} days different; "
                f"5 working days: {r['due_5_different']}/{r['start_dates']} due dates differ, "
                f"max {r['due_5_max_shift']} days; "
                f"10 working days: {r['due_10_different']}/{r['start_dates']} differ, "
                f"max {r['due_10_max_shift']} days"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:] or ["2025", "2026"]))
