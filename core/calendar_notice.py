"""Read the State Council's annual holiday notice into a year's working calendar.

Input is the text of 《国务院办公厅关于XXXX年部分节假日安排的通知》 as published on
www.gov.cn, e.g.::

    国务院办公厅关于2026年部分节假日安排的通知
    ...
    一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
    二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。
    2月14日（周六）、2月28日（周六）上班。
    ...
    鼓励单位和个人结合落实带薪年休假等制度……

How the text is read:

- The year comes from the title (``关于2026年部分节假日安排``, also when the title is broken
  after ``年``) or, failing that, the body (``现将2026年元旦、春节……``). The document number
  (国办发明电〔2025〕…号) and the signing date are never taken for the year.
- Only the numbered items (``一、元旦：…``) are read; the preamble and the closing
  paragraphs are ignored. An item is one line; every item must name at least one rest day.
- Inside an item, each comma-separated phrase is read by its keyword: dates before
  ``放假`` (a day or a range ``A至B``) and before ``补休`` are rest days, dates before
  ``上班`` are make-up working days (调休上班). ``共N天`` and ``放假N天`` must equal the
  number of rest days named since the start of the sentence. Phrases without those
  keywords (``与周末连休``, ``不调休``, the 2024 notice's ``鼓励各单位……安排职工在除夕
  （2月9日）休息``) name no days.
- A date may omit what the date before it in the same phrase already said: the end of a
  range takes the start's year (and month, ``4月4日至6日``); a day in a list that omits the
  month takes the previous day's month and year (``6月12日（星期六）、13日（星期日）上班``,
  2010 notice). Otherwise a date without a year is in the notice's year; a day in the
  previous year is always written with its year (``2022年12月31日至2023年1月2日``).
- A note in brackets after a date may hold the weekday (``周四``, ``星期六``) and other
  words (``农历除夕``); the weekday must be right.

Holidays named only as "与周末连休" (e.g. 2024's "1月1日放假，与周末连休") are just the
named day: the adjacent weekend is rest anyway, so the working calendar is the same.

Every refusal is a :class:`NoticeParseError` — a ``ValidationFailed`` on the field
``notice`` whose message starts with "第 N 行：" when a line is to blame and whose
``extra["line"]`` carries N (``None`` when the notice as a whole is wrong).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from itertools import pairwise

from django.utils.translation import gettext as _

from core.exceptions import ValidationFailed

__all__ = ["NoticeHoliday", "NoticeParseError", "ParsedNotice", "parse_notice"]

ERROR_CODE = "invalid_holiday_notice"
# The form/serializer field the notice text arrives in.
FIELD = "notice"


class NoticeParseError(ValidationFailed):
    """The notice cannot be read; ``line`` is the 1-based line to blame, if any."""

    default_code = ERROR_CODE

    def __init__(self, detail: str, *, line: int | None = None):
        if line is not None:
            message = _("第 %(line)s 行：%(detail)s") % {"line": line, "detail": detail}
        else:
            message = detail
        super().__init__(message, code=ERROR_CODE, extra={"fields": {FIELD: [message]}, "line": line})
        self.line = line


@dataclass(frozen=True)
class NoticeHoliday:
    """One numbered item of the notice, e.g. "二、春节：…"."""

    name: str  # "春节"; "中秋节、国庆节" for a joined item
    line: int  # 1-based line of the item in the text
    rest_days: tuple[dt.date, ...]  # sorted; weekend days inside a range included
    workdays: tuple[dt.date, ...]  # sorted make-up working days (调休上班)


@dataclass(frozen=True)
class ParsedNotice:
    year: int
    items: tuple[NoticeHoliday, ...]
    holidays: tuple[dt.date, ...]  # sorted; may start in December of the previous year
    workdays: tuple[dt.date, ...]  # sorted


# --- patterns (applied to lines after NFKC, so "（：，；" arrive as "(:,;") -------------------

_TITLE_YEAR_RE = re.compile(r"关于([0-9]{4})年部分节假日安排")
_BODY_YEAR_RE = re.compile(r"现将([0-9]{4})年")
_ITEM_RE = re.compile(r"^[一二三四五六七八九十]+、(?P<name>[^:,。]{1,20}?):(?P<body>.*)$")
_DATE_RE = re.compile(
    r"(?:(?P<year>[0-9]{4})年)?(?:(?P<month>[0-9]{1,2})月)?(?P<day>[0-9]{1,2})日(?:\((?P<note>[^()]*)\))?"
)
_WEEKDAY_NOTE_RE = re.compile(r"(?:周|星期)([一二三四五六日天])")
_COUNT_RE = re.compile(r"(?:共|放假)(?P<n>[0-9]+|十[一二三四五六七八九]?|[一二三四五六七八九])天")
_SENTENCE_SPLIT_RE = re.compile(r"[。;]")

_RANGE_LINKS = frozenset({"至", "到", "-", "—", "~"})
_LIST_LINKS = frozenset({"、", "和", "及"})
# Words allowed around the dates of a phrase, as in "9月3日至5日调休放假".
_FILLER_RE = re.compile(r"调休")

_REST, _MAKEUP_REST, _WORK = "放假", "补休", "上班"

_WEEKDAYS = "一二三四五六日"  # Monday first, as ``date.weekday()``
_CHINESE_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九", start=1)}


@dataclass(frozen=True)
class _Span:
    """Consecutive days named by one date or range; ``text`` as the notice wrote it."""

    start: dt.date
    end: dt.date
    text: str

    @property
    def days(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=k) for k in range((self.end - self.start).days + 1)]


def parse_notice(text: str) -> ParsedNotice:
    """Parse the notice ``text`` or raise :class:`NoticeParseError` naming the line."""
    lines = [_normalize(raw) for raw in text.splitlines()]
    year = _notice_year(lines)

    items: list[NoticeHoliday] = []
    seen: dict[dt.date, int] = {}  # day -> line that named it
    for number, line in enumerate(lines, start=1):
        match = _ITEM_RE.match(line)
        if match is None:
            continue
        item = _parse_item(match["name"], match["body"], year=year, line=number)
        for day in (*item.rest_days, *item.workdays):
            if day in seen:
                raise NoticeParseError(
                    _("%(day)s 已在第 %(other)s 行列出。")
                    % {"day": _day_text(day, year), "other": seen[day]},
                    line=number,
                )
            seen[day] = number
        items.append(item)

    if not items:
        raise NoticeParseError(_("通知中没有节假日安排条目（形如“一、元旦：1月1日放假……”）。"))
    return ParsedNotice(
        year=year,
        items=tuple(items),
        holidays=tuple(sorted(day for item in items for day in item.rest_days)),
        workdays=tuple(sorted(day for item in items for day in item.workdays)),
    )


def _normalize(line: str) -> str:
    # NFKC folds full-width digits and punctuation; whitespace (incl. U+3000) carries no
    # meaning in Chinese text and pasted notices are full of it.
    line = unicodedata.normalize("NFKC", line).replace("\ufeff", "").replace("\u200b", "")
    return re.sub(r"\s+", "", line)


def _notice_year(lines: list[str]) -> int:
    # The title may be broken after "年" (gov.cn prints "关于2016年" / "部分节假日安排的通知").
    title = _TITLE_YEAR_RE.search("".join(lines))
    body_year, body_line = None, None
    for number, line in enumerate(lines, start=1):
        found = _BODY_YEAR_RE.search(line)
        if found:
            body_year, body_line = int(found[1]), number
            break
    if title and body_year is not None and int(title[1]) != body_year:
        raise NoticeParseError(
            _("正文的年份 %(body)s 与标题的年份 %(title)s 不一致。") % {"body": body_year, "title": title[1]},
            line=body_line,
        )
    if title:
        return int(title[1])
    if body_year is not None:
        return body_year
    raise NoticeParseError(
        _(
            "找不到通知的年份：标题应为“国务院办公厅关于2026年部分节假日安排的通知”，或正文写明“现将2026年……”。"
        )
    )


def _parse_item(name: str, body: str, *, year: int, line: int) -> NoticeHoliday:
    rest: list[dt.date] = []
    work: list[dt.date] = []
    for sentence in _SENTENCE_SPLIT_RE.split(body):
        uncounted: list[_Span] = []  # rest days named since the sentence began or the last 共N天
        for phrase in sentence.split(","):
            keyword = next((k for k in (_WORK, _MAKEUP_REST, _REST) if k in phrase), None)
            if keyword is not None:
                spans = _read_spans(phrase[: phrase.index(keyword)], year=year, line=line)
                if keyword == _WORK:
                    work.extend(day for span in spans for day in span.days)
                else:
                    rest.extend(day for span in spans for day in span.days)
                    uncounted.extend(spans)
            count = _COUNT_RE.search(phrase)
            if count is not None:
                _check_count(count, uncounted, line=line)
                uncounted = []

    if not rest:
        raise NoticeParseError(_("“%(name)s”没有写明放假日期。") % {"name": name}, line=line)
    for day in work:
        if day.weekday() < 5:
            raise NoticeParseError(
                _("%(day)s是%(weekday)s，本就是工作日，不能列为调休上班日。")
                % {"day": _day_text(day, year), "weekday": _weekday_text(day)},
                line=line,
            )
    return NoticeHoliday(name=name, line=line, rest_days=tuple(sorted(rest)), workdays=tuple(sorted(work)))


def _check_count(count: re.Match[str], spans: list[_Span], *, line: int) -> None:
    stated = _count_value(count["n"])
    if not spans:
        raise NoticeParseError(_("“%(phrase)s”之前没有写明放假日期。") % {"phrase": count[0]}, line=line)
    actual = sum(len(span.days) for span in spans)
    if stated != actual:
        raise NoticeParseError(
            _("共%(stated)s天与 %(span)s 的天数（%(actual)s）不符。")
            % {"stated": stated, "span": "、".join(span.text for span in spans), "actual": actual},
            line=line,
        )


def _count_value(numeral: str) -> int:
    if numeral.isascii():
        return int(numeral)
    if numeral.startswith("十"):
        return 10 + _CHINESE_DIGITS.get(numeral[1:], 0)
    return _CHINESE_DIGITS[numeral]


def _read_spans(text: str, *, year: int, line: int) -> list[_Span]:
    """The days and ranges written in ``text`` (the words before a keyword).

    A phrase that names no date gives no span; one that names dates must hold nothing
    else but the links between them, or it is refused rather than half read.
    """
    tokens = list(_DATE_RE.finditer(text))
    if not tokens:
        return []
    lead, tail = text[: tokens[0].start()], text[tokens[-1].end() :]
    links = [text[a.end() : b.start()] for a, b in pairwise(tokens)]
    if _FILLER_RE.sub("", lead) or _FILLER_RE.sub("", tail):
        raise _unreadable(text, line=line)

    spans: list[_Span] = []
    previous: dt.date | None = None
    index = 0
    while index < len(tokens):
        start = _resolve(tokens[index], previous=previous, inherit_year=False, year=year, line=line)
        link = links[index] if index < len(links) else None
        if link in _RANGE_LINKS:
            end = _resolve(tokens[index + 1], previous=start, inherit_year=True, year=year, line=line)
            if end < start:
                raise NoticeParseError(
                    _("“%(text)s”的起始日期晚于结束日期。")
                    % {"text": f"{_day_text(start, year)}至{_day_text(end, year)}"},
                    line=line,
                )
            spans.append(_Span(start, end, f"{_bare(tokens[index])}至{_bare(tokens[index + 1])}"))
            index += 2
            previous = end
        else:
            spans.append(_Span(start, start, _bare(tokens[index])))
            index += 1
            previous = start
        # What joins this span to the next must be a list link ("、"), not another range.
        if index < len(tokens) and links[index - 1] not in _LIST_LINKS:
            raise _unreadable(text, line=line)
    return spans


def _unreadable(text: str, *, line: int) -> NoticeParseError:
    return NoticeParseError(_("无法识别“%(text)s”中的日期。") % {"text": text}, line=line)


def _resolve(
    token: re.Match[str], *, previous: dt.date | None, inherit_year: bool, year: int, line: int
) -> dt.date:
    """The date ``token`` names, completed from ``previous`` (see the module docstring)."""
    day = int(token["day"])
    if token["month"] is not None:
        month = int(token["month"])
        if token["year"] is not None:
            token_year = int(token["year"])
        elif inherit_year and previous is not None:
            token_year = previous.year
        else:
            token_year = year
    elif previous is not None and token["year"] is None:
        month, token_year = previous.month, previous.year
    else:
        raise NoticeParseError(_("“%(text)s”没有写明月份。") % {"text": _bare(token)}, line=line)

    shown = f"{month}月{day}日" if token_year == year else f"{token_year}年{month}月{day}日"
    try:
        date = dt.date(token_year, month, day)
    except ValueError:
        raise NoticeParseError(_("日期“%(text)s”不存在。") % {"text": shown}, line=line)

    note = token["note"] or ""
    noted = _WEEKDAY_NOTE_RE.search(note)
    if noted is not None:
        noted_weekday = 6 if noted[1] in "日天" else _WEEKDAYS.index(noted[1])
        if noted_weekday != date.weekday():
            raise NoticeParseError(
                _("%(day)s是%(actual)s，与注明的“%(noted)s”不符。")
                % {"day": shown, "actual": _weekday_text(date), "noted": noted[0]},
                line=line,
            )
    # A notice arranges its own year; only 元旦 reaches back into the previous December.
    if not dt.date(year - 1, 12, 1) <= date <= dt.date(year, 12, 31):
        raise NoticeParseError(
            _("%(day)s不属于 %(year)s 年的节假日安排。") % {"day": shown, "year": year}, line=line
        )
    return date


def _bare(token: re.Match[str]) -> str:
    """The date as written, without its bracketed note."""
    return token[0][: token.start("note") - token.start() - 1] if token["note"] is not None else token[0]


def _day_text(day: dt.date, year: int) -> str:
    return f"{day.month}月{day.day}日" if day.year == year else f"{day.year}年{day.month}月{day.day}日"


def _weekday_text(day: dt.date) -> str:
    return "周" + _WEEKDAYS[day.weekday()]
