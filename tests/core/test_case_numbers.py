"""Tests for ``core.case_numbers`` (案号, 法〔2015〕137号 as amended by 法〔2018〕335号).

No database: these are pure parsing tests; Django settings are only needed for gettext and
``timezone.localdate``.
"""

import datetime

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from core.case_numbers import (
    COURT_PREFIXES,
    ENFORCEMENT_TYPE_CODES,
    IMPLEMENTATION_TYPE_CODES,
    REVIEW_TYPE_CODES,
    SPECIAL_TRIAL_CODES,
    CaseNumber,
    implementation_type_check,
    normalize_case_number,
    parse_case_number,
)
from core.exceptions import ValidationFailed

FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


def test_enforcement_type_codes_are_exactly_the_eight_enforcement_types() -> None:
    assert ENFORCEMENT_TYPE_CODES == ("执", "执恢", "执保", "执异", "执复", "执监", "执协", "执他")


def test_only_implementation_types_are_enforcement_cases() -> None:
    assert IMPLEMENTATION_TYPE_CODES == ("执", "执恢", "执保")
    assert REVIEW_TYPE_CODES == ("执异", "执复", "执监", "执协", "执他")


@pytest.mark.parametrize("code", ["执异", "执复", "执监", "执协", "执他"])
def test_review_and_coordination_numbers_parse_but_are_not_implementation(code: str) -> None:
    number = parse_case_number(f"(2026)鲁0102{code}5号")  # a valid case number
    assert number.type_code == code
    with pytest.raises(ValidationFailed) as refused:
        implementation_type_check(number)
    assert refused.value.code == "case_type_not_implementation"
    assert refused.value.extra == {"type_code": code, "allowed": ["执", "执恢", "执保"]}
    assert f"“{code}”" in str(refused.value.message) and "执行实施" in str(refused.value.message)


@pytest.mark.parametrize("code", ["执", "执恢", "执保"])
def test_implementation_numbers_pass(code: str) -> None:
    assert implementation_type_check(parse_case_number(f"(2026)鲁0102{code}5号")) is None


# text, year, court_code, special_code, type_code, sequence, normalized
VALID = [
    ("(2026)鲁0102执123号", 2026, "鲁0102", "", "执", 123, "(2026)鲁0102执123号"),
    ("(2026)鲁执恢5号", 2026, "鲁", "", "执恢", 5, "(2026)鲁执恢5号"),
    ("(2025)最高法执监12号", 2025, "最高法", "", "执监", 12, "(2025)最高法执监12号"),
    ("(2024)京01执保1号", 2024, "京01", "", "执保", 1, "(2024)京01执保1号"),
    ("(2023)沪0115执异88号", 2023, "沪0115", "", "执异", 88, "(2023)沪0115执异88号"),
    ("(2022)粤03执复7号", 2022, "粤03", "", "执复", 7, "(2022)粤03执复7号"),
    ("(2021)苏执协2号", 2021, "苏", "", "执协", 2, "(2021)苏执协2号"),
    ("(2020)浙0106执他300号", 2020, "浙0106", "", "执他", 300, "(2020)浙0106执他300号"),
    ("(2019)内01执10号", 2019, "内01", "", "执", 10, "(2019)内01执10号"),
    ("(2018)兵0101执恢3号", 2018, "兵0101", "", "执恢", 3, "(2018)兵0101执恢3号"),
    ("(2016)新执监1号", 2016, "新", "", "执监", 1, "(2016)新执监1号"),
    ("(1949)京执1号", 1949, "京", "", "执", 1, "(1949)京执1号"),
    ("(2019)最高法知执监4号", 2019, "最高法", "知", "执监", 4, "(2019)最高法知执监4号"),
    ("(2023)京73知执1号", 2023, "京73", "知", "执", 1, "(2023)京73知执1号"),
    ("(2024)军执1号", 2024, "军", "", "执", 1, "(2024)军执1号"),
    # input variants, normalised to half-width brackets and ASCII digits
    ("（2026）鲁0102执123号", 2026, "鲁0102", "", "执", 123, "(2026)鲁0102执123号"),
    ("〔2026〕鲁01执恢9号", 2026, "鲁01", "", "执恢", 9, "(2026)鲁01执恢9号"),
    ("（２０２６）鲁０１０２执１２３号", 2026, "鲁0102", "", "执", 123, "(2026)鲁0102执123号"),
    ("  (2026)川执保45号\n", 2026, "川", "", "执保", 45, "(2026)川执保45号"),
    ("\u3000（2025）最高法执他1号\t", 2025, "最高法", "", "执他", 1, "(2025)最高法执他1号"),
    ("(2026)滇2901执1234567号", 2026, "滇2901", "", "执", 1234567, "(2026)滇2901执1234567号"),
]


@pytest.mark.parametrize(
    ("text", "year", "court_code", "special_code", "type_code", "sequence", "normalized"),
    VALID,
)
def test_parse_valid(
    text: str,
    year: int,
    court_code: str,
    special_code: str,
    type_code: str,
    sequence: int,
    normalized: str,
) -> None:
    parsed = parse_case_number(text)

    assert parsed == CaseNumber(
        year=year,
        court_code=court_code,
        special_code=special_code,
        type_code=type_code,
        sequence=sequence,
    )
    assert parsed.normalized == normalized
    assert str(parsed) == normalized
    assert normalize_case_number(text) == normalized
    assert normalize_case_number(normalized) == normalized


def test_year_upper_bound_is_next_year(today) -> None:
    next_year = today.year + 1
    assert parse_case_number(f"({next_year})鲁执1号").year == next_year
    with pytest.raises(ValidationFailed) as excinfo:
        parse_case_number(f"({next_year + 1})鲁执1号")
    assert "超出范围" in str(excinfo.value.message)


def test_year_upper_bound_follows_local_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a, **kw: datetime.date(2030, 12, 31))
    assert parse_case_number("(2031)鲁执1号").year == 2031
    with pytest.raises(ValidationFailed):
        parse_case_number("(2032)鲁执1号")


# text, a fragment the message must contain (it names the problem)
INVALID = [
    ("", "不能为空"),
    ("   ", "不能为空"),
    ("(2026)鲁 0102执123号", "空白"),
    ("2026鲁0102执123号", "括号"),
    ("[2026]鲁0102执123号", "括号"),
    ("(2026鲁0102执123号", "右括号"),
    ("(26)鲁执1号", "4位"),
    ("(20260)鲁执1号", "4位"),
    ("(2026年)鲁执1号", "4位"),
    ("(1948)鲁执1号", "超出范围"),
    ("(9999)鲁执1号", "超出范围"),
    ("(2026)港01执1号", "法院代字"),
    ("(2026)山东执1号", "法院代字"),
    ("(2026)执1号", "缺少法院代字"),
    ("(2026)0102执1号", "缺少法院代字"),
    ("(2026)最高院执1号", "最高法"),
    ("(2026)最高法01执1号", "最高法"),
    ("(2026)鲁1执1号", "数字代码"),
    ("(2026)鲁010执1号", "数字代码"),
    ("(2026)鲁010203执1号", "数字代码"),
    ("(2026)鲁00执1号", "00"),
    ("(2026)鲁0100执1号", "00"),
    ("(2026)鲁0102民初1号", "类型代字"),
    ("(2026)鲁0102执行1号", "类型代字"),
    ("(2026)鲁0102执请1号", "类型代字"),
    ("(2026)鲁01刑终1号", "类型代字"),
    ("(2026)鲁号", "缺少类型代字"),
    ("(2026)鲁01123号", "数字代码"),  # without a type code the digits all read as court code
    ("(2026)鲁01知123号", "缺少类型代字"),
    ("(2026)鲁01环执1号", "专门审判代字"),
    ("(2026)鲁0102执号", "缺少案件编号"),
    ("(2026)鲁0102执", "缺少案件编号"),
    ("(2026)鲁0102执一号", "阿拉伯数字0-9"),
    ("(2026)鲁0102执0号", "案件编号"),
    ("(2026)鲁0102执0123号", "不得以0开头"),
    ("(2026)鲁0102执12a号", "案件编号"),
    ("(2026)鲁0102执-1号", "类型代字"),
    ("(2026)鲁0102执123", "号"),
    ("(2026)鲁0102执123號", "案件编号"),
    ("(2026)鲁0102执123号之一", "之后不得有其他字符"),
    ("(2026)鲁0102执123号号", "之后不得有其他字符"),
    ("(2026)鲁0102执\u0661号", "阿拉伯数字0-9"),  # Arabic-Indic digit one
]


@pytest.mark.parametrize(("text", "fragment"), INVALID)
def test_parse_invalid(text: str, fragment: str) -> None:
    with pytest.raises(ValidationFailed) as excinfo:
        parse_case_number(text)

    assert excinfo.value.code == "invalid_case_number"
    assert fragment in str(excinfo.value.message)


def test_bad_type_code_message_lists_the_allowed_codes() -> None:
    with pytest.raises(ValidationFailed) as excinfo:
        parse_case_number("(2026)鲁0102民初1号")

    message = str(excinfo.value.message)
    assert "民初" in message
    for code in ENFORCEMENT_TYPE_CODES:
        assert code in message


@pytest.mark.parametrize(
    "value", [None, 2026, b"(2026)\xe9\xb2\x81\xe6\x89\xa71", ["(2026)鲁执1号"]]
)
def test_non_string_input_is_refused(value: object) -> None:
    with pytest.raises(ValidationFailed) as excinfo:
        parse_case_number(value)  # type: ignore[arg-type]

    assert excinfo.value.code == "invalid_case_number"
    assert "文本" in str(excinfo.value.message)


def test_longest_type_code_wins() -> None:
    parsed = parse_case_number("(2026)鲁执恢5号")

    assert parsed.type_code == "执恢"
    assert parsed.sequence == 5


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"year": 1900}, "超出范围"),
        ({"court_code": "港"}, "法院代字"),
        ({"court_code": "鲁123"}, "数字代码"),
        ({"special_code": "环"}, "专门审判代字"),
        ({"type_code": "民初"}, "类型代字"),
        ({"sequence": 0}, "案件编号"),
        ({"sequence": True}, "案件编号"),
    ],
)
def test_direct_construction_is_validated(kwargs: dict[str, object], fragment: str) -> None:
    fields: dict[str, object] = {
        "year": 2026,
        "court_code": "鲁0102",
        "special_code": "",
        "type_code": "执",
        "sequence": 1,
        **kwargs,
    }
    with pytest.raises(ValidationFailed) as excinfo:
        CaseNumber(**fields)  # type: ignore[arg-type]

    assert excinfo.value.code == "invalid_case_number"
    assert fragment in str(excinfo.value.message)


# --- property: normalisation is idempotent -----------------------------------------------

_two_digits = st.integers(min_value=1, max_value=99).map(lambda n: f"{n:02d}")
_court_codes = st.one_of(
    st.just("最高法"),
    st.builds(
        lambda prefix, digits: prefix + digits,
        st.sampled_from(sorted(COURT_PREFIXES)),
        st.one_of(st.just(""), _two_digits, st.builds(str.__add__, _two_digits, _two_digits)),
    ),
)


@st.composite
def _valid_case_numbers(draw: st.DrawFn) -> tuple[str, str]:
    """A valid case number dressed in accepted input variants, and its canonical form."""
    year = draw(st.integers(min_value=1949, max_value=timezone.localdate().year + 1))
    court = draw(_court_codes)
    special = draw(st.sampled_from(("", *SPECIAL_TRIAL_CODES)))
    type_code = draw(st.sampled_from(ENFORCEMENT_TYPE_CODES))
    sequence = draw(st.integers(min_value=1, max_value=10**9))
    canonical = f"({year}){court}{special}{type_code}{sequence}号"

    left, right = draw(st.sampled_from([("(", ")"), ("（", "）"), ("〔", "〕"), ("(", "）")]))
    text = f"{left}{year}{right}{court}{special}{type_code}{sequence}号"
    if draw(st.booleans()):
        text = text.translate(FULL_WIDTH_DIGITS)
    padding = st.text(alphabet=" \t\n\u3000", max_size=3)
    return draw(padding) + text + draw(padding), canonical


@pytest.mark.date_sensitive  # years up to next year's
@settings(deadline=None)
@given(_valid_case_numbers())
def test_normalize_is_idempotent(sample: tuple[str, str]) -> None:
    text, canonical = sample

    once = normalize_case_number(text)

    assert once == canonical
    assert normalize_case_number(once) == once
    assert parse_case_number(once) == parse_case_number(text)
