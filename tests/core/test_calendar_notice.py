"""Tests for ``core.calendar_notice``: the State Council's holiday notice → working calendar.

No database. The real test data are the notices in ``<repo>/../shared/calendar-notices``;
older notices (2016–2018, 2021, 2022, 2025) are reproduced below from www.gov.cn and checked
against the ``chinese_calendar`` package too.
"""

import datetime as dt
import re
from pathlib import Path

import pytest
from chinese_calendar import constants as cc
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from core.calendar_notice import NoticeHoliday, NoticeParseError, ParsedNotice, parse_notice
from core.exceptions import ValidationFailed

D = dt.date
REPO = Path(__file__).resolve().parents[2]
# CI clones the repository next to shared/, so look beside the repository, not inside it.
NOTICES_DIR = REPO.parent / "shared" / "calendar-notices"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]


def _notice(*items: str, year: int = 2026) -> str:
    """A notice in the real layout: title, salutation, preamble, one item per paragraph."""
    return "\n\n".join(
        [
            f"国务院办公厅关于{year}年部分节假日安排的通知",
            "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
            f"经国务院批准，现将{year}年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节"
            "放假调休日期的具体安排通知如下。",
            *items,
            "节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作。",
        ]
    )


def _refusal(text: str) -> NoticeParseError:
    with pytest.raises(NoticeParseError) as caught:
        parse_notice(text)
    return caught.value


# --- chinese_calendar as the reference ---------------------------------------------------------


def _cc_days_of_notice(table: dict, year: int) -> set[dt.date]:
    """The days of ``table`` (``cc.holidays`` or ``cc.workdays``) that the notice for ``year``
    arranges. chinese_calendar keys days by date: 元旦's days in December belong to the next
    year's notice (2022-12-31 is in the 2023 notice, 2018-12-29 in the 2019 one)."""

    def notice_year(day: dt.date, holiday: str) -> int:
        new_years_eve = day.month == 12 and holiday == cc.Holiday.new_years_day.value
        return day.year + 1 if new_years_eve else day.year

    return {day for day, holiday in table.items() if notice_year(day, holiday) == year}


# Genuine disagreements, where the notice text wins. The 2024 notice says "元旦：1月1日放假，
# 与周末连休" and names only 1月1日; chinese_calendar also lists the weekend before it
# (Sat 2023-12-30, Sun 2023-12-31) as 元旦 — unlike every other "与周末连休" it lists
# (2024-06-10, 2018-06-18, 2016-04-04 …: the named day only). Both are weekend days, so the
# working calendar is the same either way.
CC_EXTRA_HOLIDAYS = {2024: {D(2023, 12, 30), D(2023, 12, 31)}}


def _assert_matches_chinese_calendar(parsed: ParsedNotice, year: int) -> None:
    extra = CC_EXTRA_HOLIDAYS.get(year, set())
    assert all(day.weekday() >= 5 for day in extra)
    assert set(parsed.holidays) == _cc_days_of_notice(cc.holidays, year) - extra
    assert set(parsed.workdays) == _cc_days_of_notice(cc.workdays, year)
    assert list(parsed.holidays) == sorted(set(parsed.holidays))
    assert list(parsed.workdays) == sorted(set(parsed.workdays))


# --- the shared notices ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def notices_dir() -> Path:
    # A missing folder is a broken checkout, not a reason to skip.
    assert NOTICES_DIR.is_dir(), f"缺少国务院节假日通知样本目录：{NOTICES_DIR}"
    return NOTICES_DIR


@pytest.mark.parametrize("year", [2023, 2024, 2026])
def test_shared_notice_parses_to_the_days_chinese_calendar_has(notices_dir, year):
    parsed = parse_notice((notices_dir / f"{year}.txt").read_text(encoding="utf-8"))

    assert parsed.year == year
    _assert_matches_chinese_calendar(parsed, year)


def test_2023_notice_items(notices_dir):
    parsed = parse_notice((notices_dir / "2023.txt").read_text(encoding="utf-8"))

    assert [(item.name, item.line) for item in parsed.items] == [
        ("元旦", 8),
        ("春节", 10),
        ("清明节", 12),
        ("劳动节", 14),
        ("端午节", 16),
        ("中秋节、国庆节", 18),
    ]
    # 元旦 starts in the previous year
    assert parsed.items[0].rest_days == (D(2022, 12, 31), D(2023, 1, 1), D(2023, 1, 2))
    assert parsed.items[5] == NoticeHoliday(
        name="中秋节、国庆节",
        line=18,
        rest_days=tuple(_days(D(2023, 9, 29), D(2023, 10, 6))),
        workdays=(D(2023, 10, 7), D(2023, 10, 8)),
    )
    assert (len(parsed.holidays), len(parsed.workdays)) == (27, 7)


def test_2024_notice_does_not_take_new_years_eve_as_a_holiday(notices_dir):
    parsed = parse_notice((notices_dir / "2024.txt").read_text(encoding="utf-8"))

    spring = parsed.items[1]
    assert spring.name == "春节"
    assert D(2024, 2, 9) not in parsed.holidays  # "鼓励……安排职工在除夕（2月9日）休息"
    assert spring.rest_days == tuple(_days(D(2024, 2, 10), D(2024, 2, 17)))
    assert spring.workdays == (D(2024, 2, 4), D(2024, 2, 18))
    assert parsed.items[0].rest_days == (D(2024, 1, 1),)  # "与周末连休"
    assert (len(parsed.holidays), len(parsed.workdays)) == (28, 8)


def test_2026_notice_items(notices_dir):
    parsed = parse_notice((notices_dir / "2026.txt").read_text(encoding="utf-8"))

    assert parsed.items[1] == NoticeHoliday(
        name="春节",
        line=9,
        rest_days=tuple(_days(D(2026, 2, 15), D(2026, 2, 23))),
        workdays=(D(2026, 2, 14), D(2026, 2, 28)),
    )
    assert [item.name for item in parsed.items] == [
        "元旦",
        "春节",
        "清明节",
        "劳动节",
        "端午节",
        "中秋节",
        "国庆节",
    ]
    assert (len(parsed.holidays), len(parsed.workdays)) == (33, 6)


# --- older notices, as published on www.gov.cn --------------------------------------------------

_SALUTATION = "各省、自治区、直辖市人民政府，国务院各部委、各直属机构："
_CLOSING = (
    "节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作，遇有重大突发事件，"
    "要按规定及时报告并妥善处置，确保人民群众祥和平安度过节日假期。"
)


def _gov_cn(year: int, number: str, items: list[str], signed: str, *, preamble: str = "") -> str:
    return "\n".join(
        [
            f"国务院办公厅关于{year}年",  # gov.cn breaks the title here
            "部分节假日安排的通知",
            number,
            _SALUTATION,
            preamble
            or f"经国务院批准，现将{year}年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节"
            "放假调休日期的具体安排通知如下。",
            *items,
            _CLOSING,
            "国务院办公厅",
            signed,
        ]
    )


OLDER_NOTICES = {
    2016: _gov_cn(
        2016,
        "国办发明电〔2015〕18号",
        [
            "一、元旦：1月1日放假，与周末连休。",
            "二、春节：2月7日至13日放假调休，共7天。2月6日（星期六）、2月14日（星期日）上班。",
            "三、清明节：4月4日放假，与周末连休。",
            "四、劳动节：5月1日放假，5月2日（星期一）补休。",
            "五、端午节：6月9日至11日放假调休，共3天。6月12日（星期日）上班。",
            "六、中秋节：9月15日至17日放假调休，共3天。9月18日（星期日）上班。",
            "七、国庆节：10月1日至7日放假调休，共7天。10月8日（星期六）、10月9日（星期日）上班。",
        ],
        "2015年12月10日",
    ),
    2017: _gov_cn(
        2017,
        "国办发明电〔2016〕17号",
        [
            "一、元旦：1月1日放假，1月2日（星期一）补休。",
            "二、春节：1月27日至2月2日放假调休，共7天。1月22日（星期日）、2月4日（星期六）上班。",
            "三、清明节：4月2日至4日放假调休，共3天。4月1日（星期六）上班。",
            "四、劳动节：5月1日放假，与周末连休。",
            "五、端午节：5月28日至30日放假调休，共3天。5月27日（星期六）上班。",
            "六、中秋节、国庆节：10月1日至8日放假调休，共8天。9月30日（星期六）上班。",
        ],
        "2016年12月1日",
    ),
    2018: _gov_cn(
        2018,
        "国办发明电〔2017〕12号",
        [
            "一、元旦：1月1日放假，与周末连休。",
            "二、春节：2月15日至21日放假调休，共7天。2月11日（星期日）、2月24日（星期六）上班。",
            "三、清明节：4月5日至7日放假调休，共3天。4月8日（星期日）上班。",
            "四、劳动节：4月29日至5月1日放假调休，共3天。4月28日（星期六）上班。",
            "五、端午节：6月18日放假，与周末连休。",
            "六、中秋节：9月24日放假，与周末连休。",
            "七、国庆节：10月1日至7日放假调休，共7天。9月29日（星期六）、9月30日（星期日）上班。",
        ],
        "2017年11月30日",
    ),
    2021: _gov_cn(
        2021,
        "国办发明电〔2020〕27号",
        [
            "一、元旦：2021年1月1日至3日放假，共3天。",
            "二、春节：2月11日至17日放假调休，共7天。2月7日（星期日）、2月20日（星期六）上班。",
            "三、清明节：4月3日至5日放假调休，共3天。",
            "四、劳动节：5月1日至5日放假调休，共5天。4月25日（星期日）、5月8日（星期六）上班。",
            "五、端午节：6月12日至14日放假，共3天。",
            "六、中秋节：9月19日至21日放假调休，共3天。9月18日（星期六）上班。",
            "七、国庆节：10月1日至7日放假调休，共7天。9月26日（星期日）、10月9日（星期六）上班。",
        ],
        "2020年11月25日",
    ),
    2022: _gov_cn(
        2022,
        "国办发明电〔2021〕11号",
        [
            "一、元旦：2022年1月1日至3日放假，共3天。",
            "二、春节：1月31日至2月6日放假调休，共7天。1月29日（星期六）、1月30日（星期日）上班。",
            "三、清明节：4月3日至5日放假调休，共3天。4月2日（星期六）上班。",
            "四、劳动节：4月30日至5月4日放假调休，共5天。4月24日（星期日）、5月7日（星期六）上班。",
            "五、端午节：6月3日至5日放假，共3天。",
            "六、中秋节：9月10日至12日放假，共3天。",
            "七、国庆节：10月1日至7日放假调休，共7天。10月8日（星期六）、10月9日（星期日）上班。",
        ],
        "2021年10月25日",
    ),
    2025: _gov_cn(
        2025,
        "国办发明电〔2024〕12号",
        [
            "一、元旦：1月1日（周三）放假1天，不调休。",
            "二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。"
            "1月26日（周日）、2月8日（周六）上班。",
            "三、清明节：4月4日（周五）至6日（周日）放假，共3天。",
            "四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。",
            "五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。",
            "六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。",
        ],
        "2024年11月12日",
        # The 2025 preamble names dates and rules that are not holidays.
        preamble="经党中央、国务院批准，根据2024年11月修订的《全国年节及纪念日放假办法》，自2025年1月1日起，"
        "全体公民放假的假日增加2天，其中春节、劳动节各增加1天。据此对放假调休原则作进一步优化完善，"
        "除个别特殊情形外，春节自农历除夕起放假调休8天，国庆节自10月1日起放假调休7天，劳动节放假调休5天，"
        "元旦、清明节、端午节、中秋节分别放假调休或连休3天（如逢周三则只在当日放假），"
        "国庆节放假如逢中秋节则合并放假8天。\n"
        "按照上述原则，现将2025年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。",
    ),
}


@pytest.mark.parametrize("year", sorted(OLDER_NOTICES))
def test_older_notice_parses_to_the_days_chinese_calendar_has(year):
    parsed = parse_notice(OLDER_NOTICES[year])

    assert parsed.year == year
    _assert_matches_chinese_calendar(parsed, year)


def test_2025_notice_joined_item_and_cross_month_range():
    parsed = parse_notice(OLDER_NOTICES[2025])

    assert parsed.items[-1].name == "国庆节、中秋节"
    assert parsed.items[-1].rest_days == tuple(_days(D(2025, 10, 1), D(2025, 10, 8)))
    assert parsed.items[4].rest_days == (D(2025, 5, 31), D(2025, 6, 1), D(2025, 6, 2))
    assert parsed.items[0].rest_days == (D(2025, 1, 1),)


# --- each wording, in a small synthetic notice -----------------------------------------------


def test_year_from_the_title():
    parsed = parse_notice("国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：1月1日放假，共1天。")

    assert parsed.year == 2027
    assert parsed.holidays == (D(2027, 1, 1),)


def test_year_from_the_body_when_the_title_is_missing():
    parsed = parse_notice("经国务院批准，现将2027年元旦放假日期通知如下。\n一、元旦：1月1日放假，共1天。")

    assert parsed.year == 2027


def test_document_number_and_signing_date_are_not_the_year():
    text = "国办发明电〔2025〕9号\n国务院办公厅关于2026年部分节假日安排的通知\n一、元旦：1月1日放假。\n2025年11月4日"

    assert parse_notice(text).year == 2026


def test_range_within_a_month():
    parsed = parse_notice(_notice("三、清明节：4月4日至6日放假调休，共3天。"))

    assert parsed.items == (
        NoticeHoliday(
            name="清明节", line=7, rest_days=(D(2026, 4, 4), D(2026, 4, 5), D(2026, 4, 6)), workdays=()
        ),
    )


def test_range_across_months():
    parsed = parse_notice(_notice("五、端午节：5月31日至6月2日放假，共3天。", year=2025))

    assert parsed.holidays == (D(2025, 5, 31), D(2025, 6, 1), D(2025, 6, 2))


def test_range_across_years_includes_the_day_in_the_previous_year():
    parsed = parse_notice(_notice("一、元旦：2022年12月31日至2023年1月2日放假调休，共3天。", year=2023))

    assert parsed.holidays == (D(2022, 12, 31), D(2023, 1, 1), D(2023, 1, 2))


def test_range_end_takes_the_year_of_its_start():
    parsed = parse_notice(_notice("一、元旦：2018年12月30日至31日放假调休，共2天。", year=2019))

    assert parsed.holidays == (D(2018, 12, 30), D(2018, 12, 31))


def test_range_includes_the_weekend_days_inside_it():
    parsed = parse_notice(_notice("七、国庆节：10月1日至7日放假调休，共7天。"))

    assert parsed.holidays == tuple(_days(D(2026, 10, 1), D(2026, 10, 7)))
    assert {D(2026, 10, 3), D(2026, 10, 4)} <= set(parsed.holidays)  # Saturday, Sunday


@pytest.mark.parametrize(
    "item",
    [
        "一、元旦：1月1日放假，共1天。",
        "一、元旦：1月1日（周四）放假1天，不调休。",
        "一、元旦：1月1日放假，与周末连休。",
        "一、元旦：1月1日放假。",
    ],
)
def test_single_day(item):
    parsed = parse_notice(_notice(item))

    assert parsed.holidays == (D(2026, 1, 1),)
    assert parsed.workdays == ()


def test_makeup_rest_day_is_a_rest_day():
    parsed = parse_notice(_notice("四、劳动节：5月1日放假，5月2日（星期一）补休。", year=2016))

    assert parsed.items[0].rest_days == (D(2016, 5, 1), D(2016, 5, 2))
    assert parsed.workdays == ()


@pytest.mark.parametrize(
    "note",
    ["（周四）", "（星期四）", "（农历十一月十三、周四）", "（农历十一月十三、星期四）", "(周四)", ""],
)
def test_weekday_notes(note):
    parsed = parse_notice(
        _notice(f"一、元旦：1月1日{note}至3日（周六）放假调休，共3天。1月4日（周日）上班。")
    )

    assert parsed.holidays == (D(2026, 1, 1), D(2026, 1, 2), D(2026, 1, 3))
    assert parsed.workdays == (D(2026, 1, 4),)


def test_lunar_notes_with_weekdays_on_both_ends_of_a_range():
    item = "二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。"

    assert parse_notice(_notice(item, year=2025)).holidays == tuple(_days(D(2025, 1, 28), D(2025, 2, 4)))


def test_lunar_notes_naming_the_twelfth_month():
    item = "二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。"

    assert parse_notice(_notice(item)).holidays == tuple(_days(D(2026, 2, 15), D(2026, 2, 23)))


def test_sunday_may_be_written_with_tian():
    parsed = parse_notice(_notice("一、元旦：1月1日放假。1月4日（星期天）上班。"))

    assert parsed.workdays == (D(2026, 1, 4),)


def test_joined_holiday_item():
    parsed = parse_notice(_notice("六、中秋节、国庆节：9月29日至10月6日放假调休，共8天。", year=2023))

    assert [item.name for item in parsed.items] == ["中秋节、国庆节"]
    assert len(parsed.holidays) == 8


def test_list_of_makeup_workdays():
    parsed = parse_notice(
        _notice("二、春节：2月15日至23日放假调休，共9天。2月14日（周六）、2月28日（周六）上班。")
    )

    assert parsed.items[0].workdays == (D(2026, 2, 14), D(2026, 2, 28))
    assert parsed.workdays == (D(2026, 2, 14), D(2026, 2, 28))


def test_list_member_without_month_takes_the_previous_month():
    # 2010 notice: "6月12日（星期六）、13日（星期日）上班"
    parsed = parse_notice(
        _notice(
            "五、端午节：6月14日至16日放假调休，共3天。6月12日（星期六）、13日（星期日）上班。", year=2010
        )
    )

    assert parsed.workdays == (D(2010, 6, 12), D(2010, 6, 13))


def test_makeup_workday_in_the_previous_year():
    text = _notice(
        "一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。2018年12月29日（星期六）上班。", year=2019
    )

    assert parse_notice(text).workdays == (D(2018, 12, 29),)


def test_encouragement_to_rest_on_new_years_eve_is_not_a_holiday():
    item = (
        "二、春节：2月10日至17日放假调休，共8天。2月4日（星期日）、2月18日（星期日）上班。"
        "鼓励各单位结合带薪年休假等制度落实，安排职工在除夕（2月9日）休息。"
    )
    parsed = parse_notice(_notice(item, year=2024))

    assert D(2024, 2, 9) not in parsed.holidays
    assert parsed.holidays == tuple(_days(D(2024, 2, 10), D(2024, 2, 17)))


def test_closing_paragraphs_are_ignored():
    text = _notice("一、元旦：1月1日放假。") + (
        "\n\n鼓励单位和个人结合落实带薪年休假等制度，实际形成较长假期，推动错峰出行。"
        "\n\n国务院办公厅\n2025年11月4日"
    )

    assert parse_notice(text).holidays == (D(2026, 1, 1),)


def test_full_width_digits_and_stray_spaces():
    parsed = parse_notice(_notice("\u3000\u3000一、元旦：１月１日（周四）至 ３日（周六）放假调休，共３天。"))

    assert parsed.holidays == (D(2026, 1, 1), D(2026, 1, 2), D(2026, 1, 3))


def test_windows_line_endings_keep_line_numbers():
    parsed = parse_notice("国务院办公厅关于2026年部分节假日安排的通知\r\n\r\n一、元旦：1月1日放假。\r\n")

    assert parsed.items[0].line == 3


def test_chinese_numeral_count():
    parsed = parse_notice(_notice("七、国庆节：10月1日至7日放假调休，共七天。"))

    assert len(parsed.holidays) == 7


# --- refusals -----------------------------------------------------------------------------------


def _assert_refused(text: str, *, line: int | None, says: str) -> NoticeParseError:
    error = _refusal(text)
    assert error.line == line
    assert error.extra["line"] == line
    assert CHINESE.search(str(error.message))
    assert says in str(error.message)
    if line is not None:
        assert str(error.message).startswith(f"第 {line} 行：")
    return error


def test_refusal_is_a_validation_error_on_the_notice_field():
    error = _refusal(_notice("三、清明节：4月4日至6日放假调休，共4天。"))

    assert isinstance(error, ValidationFailed)
    assert error.status_code == 400
    assert error.code == "invalid_holiday_notice"
    assert error.extra == {"fields": {"notice": [str(error.message)]}, "line": 7}
    assert str(error) == str(error.message)  # what a management command prints


def test_refuses_a_count_that_disagrees_with_the_range():
    error = _assert_refused(_notice("三、清明节：4月4日至6日放假调休，共4天。"), line=7, says="共4天")

    assert str(error.message) == "第 7 行：共4天与 4月4日至6日 的天数（3）不符。"


def test_refuses_a_count_that_disagrees_with_a_single_day():
    _assert_refused(_notice("一、元旦：1月1日（周四）放假2天，不调休。"), line=7, says="（1）不符")


def test_refuses_a_count_without_dates():
    _assert_refused(_notice("一、元旦：放假，共3天。"), line=7, says="共3天")


@pytest.mark.parametrize(
    ("item", "says"),
    [
        ("一、元旦：1月1日（周五）放假，共1天。", "1月1日是周四，与注明的“周五”不符"),
        ("一、元旦：1月1日（周四）至3日（星期日）放假调休，共3天。", "1月3日是周六，与注明的“星期日”不符"),
        ("一、元旦：1月1日放假。1月4日（周六）上班。", "1月4日是周日"),
        ("二、春节：2月15日（农历腊月二十八、周一）至23日放假调休，共9天。", "2月15日是周日"),
    ],
)
def test_refuses_a_weekday_note_that_disagrees_with_the_date(item, says):
    _assert_refused(_notice(item), line=7, says=says)


def test_refuses_a_notice_without_a_year():
    _assert_refused("一、元旦：1月1日放假，共1天。", line=None, says="找不到通知的年份")


def test_refuses_an_empty_notice():
    _assert_refused("", line=None, says="找不到通知的年份")


def test_refuses_a_body_year_that_disagrees_with_the_title():
    text = "国务院办公厅关于2026年部分节假日安排的通知\n\n现将2025年元旦放假安排通知如下。\n一、元旦：1月1日放假。"

    _assert_refused(text, line=3, says="2025")


def test_refuses_a_notice_without_holiday_items():
    _assert_refused(_notice(), line=None, says="没有节假日安排条目")


def test_refuses_an_item_without_rest_days():
    _assert_refused(_notice("一、元旦：1月4日（周日）上班。"), line=7, says="“元旦”没有写明放假日期")


@pytest.mark.parametrize(
    ("item", "says"),
    [
        ("二、春节：2月30日放假。", "日期“2月30日”不存在"),
        ("三、清明节：4月29日至31日放假调休，共3天。", "日期“4月31日”不存在"),
        ("一、元旦：13月1日放假。", "日期“13月1日”不存在"),
        ("一、元旦：2025年2月29日放假。", "日期“2025年2月29日”不存在"),
    ],
)
def test_refuses_a_date_that_does_not_exist(item, says):
    _assert_refused(_notice(item), line=7, says=says)


def test_refuses_a_reversed_range():
    _assert_refused(
        _notice("一、元旦：12月31日至1月2日放假调休，共3天。"), line=7, says="起始日期晚于结束日期"
    )


def test_refuses_a_date_outside_the_notice_year():
    _assert_refused(_notice("一、元旦：2024年1月1日放假。"), line=7, says="不属于 2026 年")


def test_refuses_a_day_without_a_month():
    _assert_refused(_notice("一、元旦：1日放假。"), line=7, says="“1日”没有写明月份")


def test_refuses_dates_mixed_with_unknown_words():
    _assert_refused(_notice("二、春节：除夕及2月16日至23日放假调休，共9天。"), line=7, says="无法识别")


def test_refuses_a_day_named_twice():
    text = _notice("六、中秋节：9月25日至27日放假，共3天。", "七、国庆节：9月27日至10月7日放假调休，共11天。")

    _assert_refused(text, line=9, says="9月27日 已在第 7 行列出")


def test_refuses_a_makeup_workday_that_is_a_weekday():
    _assert_refused(_notice("一、元旦：1月1日放假。1月5日（周一）上班。"), line=7, says="本就是工作日")


# --- round trip: a random schedule rendered in the notice's style ---------------------------------

_NAMES = ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节", "中秋节、国庆节"]
_NUMERALS = "一二三四五六七八九十"
_WEEKDAY_CHARS = "一二三四五六日"


def _weekday_note(day: dt.date, style: str) -> str:
    return f"（{style}{_WEEKDAY_CHARS[day.weekday()]}）" if style else ""


def _written(day: dt.date, year: int, *, after: dt.date | None = None) -> str:
    """ "M月D日" as the notices write it; the year only when it is not the notice's, the month
    not when it repeats ``after`` (the start of a range)."""
    if day.year != year or (after is not None and after.year != day.year):
        return f"{day.year}年{day.month}月{day.day}日"
    if after is not None and after.month == day.month:
        return f"{day.day}日"
    return f"{day.month}月{day.day}日"


@st.composite
def schedules(draw):
    year = draw(st.integers(2001, 2099))
    # rest spans placed one after another, the first possibly starting in the previous December
    cursor = D(year, 1, 1) - dt.timedelta(days=draw(st.integers(0, 3)))
    items = []
    for index in range(draw(st.integers(1, 7))):
        start = cursor + dt.timedelta(days=draw(st.integers(0 if index == 0 else 2, 70)))
        kind = draw(st.sampled_from(["range", "single", "makeup_rest"]))
        if kind == "range":
            days = _days(start, start + dt.timedelta(days=draw(st.integers(2, 9)) - 1))
        elif kind == "single":
            days = [start]
        else:
            days = [start, start + dt.timedelta(days=draw(st.integers(1, 3)))]
        if days[-1].year > year:
            break
        items.append({"kind": kind, "days": days})
        cursor = days[-1]
    assume(items)

    rest = {day for item in items for day in item["days"]}
    taken: set[dt.date] = set()
    for item in items:
        near = [
            day
            for day in _days(
                item["days"][0] - dt.timedelta(days=14), item["days"][-1] + dt.timedelta(days=14)
            )
            if day.weekday() >= 5
            and day not in rest
            and day not in taken
            and D(year - 1, 12, 1) <= day <= D(year, 12, 31)
        ]
        workdays = sorted(draw(st.lists(st.sampled_from(near), max_size=2, unique=True))) if near else []
        taken.update(workdays)
        item["workdays"] = workdays
        item["name"] = draw(st.sampled_from(_NAMES))
        item["style"] = draw(st.sampled_from(["", "周", "星期"]))
        item["single_wording"] = draw(st.sampled_from(["共1天", "放假1天", "与周末连休"]))
        item["encourage"] = draw(st.booleans())
    return year, items


def _render(year: int, items: list[dict]) -> str:
    paragraphs = []
    for number, item in zip(_NUMERALS, items, strict=False):
        days, style = item["days"], item["style"]
        first, last = days[0], days[-1]
        if item["kind"] == "range":
            text = (
                f"{_written(first, year)}{_weekday_note(first, style)}至"
                f"{_written(last, year, after=first)}{_weekday_note(last, style)}放假调休，共{len(days)}天。"
            )
        elif item["kind"] == "makeup_rest":
            text = f"{_written(first, year)}放假，{_written(last, year)}{_weekday_note(last, style or '星期')}补休。"
        elif item["single_wording"] == "共1天":
            text = f"{_written(first, year)}{_weekday_note(first, style)}放假，共1天。"
        elif item["single_wording"] == "放假1天":
            text = f"{_written(first, year)}{_weekday_note(first, style)}放假1天，不调休。"
        else:
            text = f"{_written(first, year)}放假，与周末连休。"
        if item["workdays"]:
            listed = "、".join(
                f"{_written(day, year)}{_weekday_note(day, style or '星期')}" for day in item["workdays"]
            )
            text += f"{listed}上班。"
        if item["encourage"]:
            eve = first - dt.timedelta(days=1)
            text += f"鼓励各单位结合带薪年休假等制度落实，安排职工在除夕（{_written(eve, year)}）休息。"
        paragraphs.append(f"{number}、{item['name']}：{text}")
    return (
        _notice(*paragraphs, year=year)
        + "\n\n鼓励单位和个人结合落实带薪年休假等制度，实际形成较长假期，推动错峰出行。"
    )


@settings(max_examples=200, deadline=None)
@given(schedules())
def test_rendered_schedule_parses_back_to_the_same_days(schedule):
    year, items = schedule

    parsed = parse_notice(_render(year, items))

    assert parsed.year == year
    assert [item.rest_days for item in parsed.items] == [tuple(item["days"]) for item in items]
    assert [item.workdays for item in parsed.items] == [tuple(item["workdays"]) for item in items]
    assert [item.line for item in parsed.items] == [7 + 2 * index for index in range(len(items))]
    assert parsed.holidays == tuple(sorted(day for item in items for day in item["days"]))
    assert parsed.workdays == tuple(sorted(day for item in items for day in item["workdays"]))
