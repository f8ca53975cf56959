"""Tests for ``core.identity``: 居民身份证号码 (GB 11643-1999), 统一社会信用代码 (GB 32100-2015),
phone numbers and masking.

No database. Check characters of the valid examples are computed here from the standards'
definitions (not with the implementation's helpers), so a wrong table in the implementation
cannot make its own tests pass.
"""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from core.exceptions import ValidationFailed
from core.identity import (
    mask_id,
    mask_phone,
    validate_credit_code,
    validate_party_id,
    validate_phone,
    validate_resident_id,
)

# --- independent reference implementations ------------------------------------------------


def id_check_char(body: str) -> str:
    """GB 11643-1999 / ISO 7064 MOD 11-2: with W_i = 2^(i-1) mod 11 (i counted from the right,
    the check character having i = 1), the full weighted sum must be ≡ 1 (mod 11); a check
    value of 10 is written X."""
    assert len(body) == 17 and body.isdigit()
    total = sum(int(char) * pow(2, 17 - index, 11) for index, char in enumerate(body))
    value = (1 - total) % 11
    return "X" if value == 10 else str(value)


CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def credit_check_char(body: str) -> str:
    """GB 32100-2015 §4.4: W_i = 3^(i-1) mod 31, C18 = 31 - (Σ C_i·W_i mod 31), 31 → 0."""
    assert len(body) == 17
    total = sum(CREDIT_ALPHABET.index(char) * pow(3, index, 31) for index, char in enumerate(body))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def make_id(body: str) -> str:
    return body + id_check_char(body)


def make_credit(body: str) -> str:
    return body + credit_check_char(body)


def wrong_id_check(body: str) -> str:
    """``body`` plus a check character that is not the right one."""
    right = id_check_char(body)
    return body + ("0" if right != "0" else "1")


def test_reference_weights_are_the_ones_printed_in_the_standards() -> None:
    assert [pow(2, 17 - i, 11) for i in range(17)] == [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    assert [pow(3, i, 31) for i in range(17)] == [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ]  # fmt: skip
    # sum mod 11 = 0..10 → check character, as tabulated in GB 11643-1999
    mapping = "".join(
        next(c for c in "0123456789X" if (s + (10 if c == "X" else int(c))) % 11 == 1) for s in range(11)
    )
    assert mapping == "10X98765432"


def test_the_standards_examples_check_out_with_the_reference_implementation() -> None:
    assert make_id("11010519491231002") == "11010519491231002X"  # GB 11643-1999 example
    assert make_credit("91350100M000100Y4") == "91350100M000100Y43"


def assert_refused(func: Callable[[Any], str], value: object, code: str, fragment: str) -> None:
    with pytest.raises(ValidationFailed) as info:
        func(value)
    assert info.value.code == code
    assert info.value.status_code == 400
    assert fragment in str(info.value.message), str(info.value.message)


# --- 居民身份证号码 ------------------------------------------------------------------------

VALID_RESIDENT_IDS = [
    # (input, normalised)
    ("11010519491231002X", "11010519491231002X"),  # the example of GB 11643-1999
    (make_id("44030519900101123"), make_id("44030519900101123")),
    (make_id("31010420000229456"), make_id("31010420000229456")),  # 29 February, leap year
    (make_id("51010419000101001"), make_id("51010419000101001")),  # earliest accepted date
    (make_id("65010219851010888"), make_id("65010219851010888")),  # 新疆
    (make_id("15010219700615003"), make_id("15010219700615003")),  # 内蒙古
    (make_id("46010520101231999"), make_id("46010520101231999")),  # 海南
    (make_id("54010219600301000"), make_id("54010219600301000")),  # 西藏
    (make_id("81000019970701011"), make_id("81000019970701011")),  # 港澳台居民居住证: 香港
    (make_id("82000019991220017"), make_id("82000019991220017")),  # 澳门
    (make_id("83000019880808123"), make_id("83000019880808123")),  # 台湾 (居住证)
    (make_id("71000019500101005"), make_id("71000019500101005")),  # 台湾 (GB/T 2260)
    # input variants
    ("11010519491231002x", "11010519491231002X"),
    ("  11010519491231002X\n", "11010519491231002X"),
    ("\u300011010519491231002X\t", "11010519491231002X"),
    ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),
    ("１１０１０５１９４９１２３１００２ｘ", "11010519491231002X"),
]


def test_valid_examples_include_both_kinds_of_check_character() -> None:
    checks = {normalised[-1] for _, normalised in VALID_RESIDENT_IDS}
    assert "X" in checks and checks - {"X"}


@pytest.mark.parametrize(("value", "normalised"), VALID_RESIDENT_IDS)
def test_valid_resident_id(value: str, normalised: str) -> None:
    assert validate_resident_id(value) == normalised


INVALID_RESIDENT_IDS = [
    # (input, fragment of the message)
    ("", "不能为空"),
    ("   ", "不能为空"),
    ("110105491231002", "15位的旧身份证号码"),
    ("1101051949123100", "应为18位，实际为16位"),
    ("1101051949123100211", "应为18位，实际为19位"),
    ("11010519491231002XX", "应为18位，实际为19位"),
    ("110105 19491231002X", "不得含有空白字符"),
    ("11010519491231002Y", "第18位“Y”无效"),
    ("110105194912310O2X", "第16位“O”无效：前17位必须是数字"),
    ("A1010519491231002X", "第1位“A”无效"),
    ("11010519491231002\u00b2", "第18位“\u00b2”无效"),  # superscript two is not a digit
    ("１１０１０５１９４９１２３１００２Ｙ", "第18位“Ｙ”无效"),
    ("110105194912310021", "第18位应为“X”，实际为“1”"),
    (wrong_id_check("44030519900101123"), f"第18位应为“{id_check_char('44030519900101123')}”"),
    (make_id("91010519491231002"), "前两位“91”不是有效的省级行政区划代码"),
    (make_id("00010519491231002"), "前两位“00”"),
    (make_id("16010519491231002"), "前两位“16”"),
    (make_id("84000019880808123"), "前两位“84”"),
    (make_id("11010519490230002"), "出生日期“19490230”不是有效的日期"),
    (make_id("11010519001301002"), "出生日期“19001301”不是有效的日期"),
    (make_id("11010519000001002"), "出生日期“19000001”不是有效的日期"),
    (make_id("11010518991231002"), "1899-12-31早于1900年1月1日"),
    (make_id("11010521000101002"), "2100-01-01晚于今天"),
    (make_id("11010519000229002"), "“19000229”不是有效的日期"),  # 1900 was not a leap year
]


@pytest.mark.parametrize(("value", "fragment"), INVALID_RESIDENT_IDS)
def test_invalid_resident_id(value: str, fragment: str) -> None:
    assert_refused(validate_resident_id, value, "invalid_id_number", fragment)


@pytest.mark.parametrize("value", [None, 11010519491231002, b"11010519491231002X"])
def test_resident_id_must_be_text(value: object) -> None:
    assert_refused(validate_resident_id, value, "invalid_id_number", "必须是文本")


def test_birth_date_bound_follows_the_local_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a, **kw: datetime.date(2026, 3, 15))

    born_today = make_id("37010220260315001")
    assert validate_resident_id(born_today) == born_today
    assert_refused(
        validate_resident_id, make_id("37010220260316001"), "invalid_id_number", "2026-03-16晚于今天"
    )


# --- 统一社会信用代码 ----------------------------------------------------------------------

VALID_CREDIT_CODES = [
    ("91350100M000100Y43", "91350100M000100Y43"),  # the example commonly cited for GB 32100-2015
    (make_credit("91110108MA01ABCD2"), make_credit("91110108MA01ABCD2")),  # 工商: 企业
    (make_credit("92370102MA3C4D5E6"), make_credit("92370102MA3C4D5E6")),  # 工商: 个体工商户
    (make_credit("11100000000013127"), make_credit("11100000000013127")),  # 机构编制: 机关
    (make_credit("12440300455755612"), make_credit("12440300455755612")),  # 机构编制: 事业单位
    (make_credit("51310000500020456"), make_credit("51310000500020456")),  # 民政: 社会团体
    (make_credit("31110000400000448"), make_credit("31110000400000448")),  # 司法行政: 律师事务所
    (make_credit("N2320100MA1XY47UW"), make_credit("N2320100MA1XY47UW")),  # 农业: 农民专业合作社
    (make_credit("Y1430100K00000000"), make_credit("Y1430100K00000000")),  # 其他
    # input variants
    ("91350100m000100y43", "91350100M000100Y43"),
    (" 91350100M000100Y43\u3000", "91350100M000100Y43"),
    ("９１３５０１００Ｍ０００１００Ｙ４３", "91350100M000100Y43"),
    ("９１３５０１００ｍ０００１００ｙ４３", "91350100M000100Y43"),
]


@pytest.mark.parametrize(("value", "normalised"), VALID_CREDIT_CODES)
def test_valid_credit_code(value: str, normalised: str) -> None:
    assert validate_credit_code(value) == normalised


def test_valid_credit_codes_cover_check_character_zero_and_letters() -> None:
    # find bodies whose check character is "0" and a letter, to cover the 31 → 0 rule
    bodies = (f"91110108MA01{n:05d}" for n in range(100000))
    zero = next(body for body in bodies if credit_check_char(body) == "0")
    assert validate_credit_code(zero + "0") == zero + "0"
    letter = next(body for body in bodies if credit_check_char(body) == "Y")
    assert validate_credit_code(letter + "Y") == letter + "Y"


INVALID_CREDIT_CODES = [
    ("", "不能为空"),
    ("  ", "不能为空"),
    ("110108012345678", "15位的工商注册号"),
    ("91350100M000100Y4", "应为18位，实际为17位"),
    ("91350100M000100Y433", "应为18位，实际为19位"),
    ("M0001004", "应为18位，实际为8位"),
    ("91350100 M000100Y43", "不得含有空白字符"),
    ("91350100M00O100Y43", "第12位“O”无效：统一社会信用代码不使用字母I、O、Z、S、V"),
    ("91350100MI00100Y43", "第10位“I”无效"),
    ("91350100M000100Z43", "第16位“Z”无效"),
    ("S1350100M000100Y43", "第1位“S”无效"),
    ("91350100M000100Y4v", "第18位“V”无效"),  # lower case is normalised before the check
    ("91350100M000100Y4!", "第18位“!”无效：只能使用数字和除I、O、Z、S、V以外的大写字母"),
    ("91350100M0001-0Y43", "第14位“-”无效"),
    ("91A50100M000100Y43", "第3位“A”无效：第3至8位是登记管理机关行政区划码，必须是数字"),
    ("9135010BM000100Y43", "第8位“B”无效"),
    ("91350100M000100Y44", "第18位应为“3”，实际为“4”"),
    ("91350100M000100Y40", "第18位应为“3”，实际为“0”"),
    ("91350100M000101Y43", "校验码错误"),
]


@pytest.mark.parametrize(("value", "fragment"), INVALID_CREDIT_CODES)
def test_invalid_credit_code(value: str, fragment: str) -> None:
    assert_refused(validate_credit_code, value, "invalid_credit_code", fragment)


@pytest.mark.parametrize("value", [None, 913501, ["91350100M000100Y43"]])
def test_credit_code_must_be_text(value: object) -> None:
    assert_refused(validate_credit_code, value, "invalid_credit_code", "必须是文本")


# --- validate_party_id --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "normalised"),
    [
        ("person", "11010519491231002x", "11010519491231002X"),
        ("person", make_id("44030519900101123"), make_id("44030519900101123")),
        ("organization", "91350100m000100y43", "91350100M000100Y43"),
        ("organization", make_credit("12440300455755612"), make_credit("12440300455755612")),
    ],
)
def test_valid_party_id(kind: str, value: str, normalised: str) -> None:
    assert validate_party_id(kind, value) == normalised


@pytest.mark.parametrize(
    ("kind", "value", "code", "fragment"),
    [
        ("person", "110105194912310021", "invalid_id_number", "第18位应为“X”"),
        ("person", "91350100M000100Y43", "invalid_id_number", "填写的是统一社会信用代码，但当事人是自然人"),
        ("organization", "91350100M000100Y44", "invalid_credit_code", "第18位应为“3”"),
        (
            "organization",
            "11010519491231002X",
            "invalid_credit_code",
            "填写的是居民身份证号码，但当事人是单位",
        ),
        ("company", "91350100M000100Y43", "invalid_party_kind", "当事人类型“company”无效"),
        ("Person", "11010519491231002X", "invalid_party_kind", "当事人类型“Person”无效"),
        ("", "11010519491231002X", "invalid_party_kind", "应为“person”（自然人）或“organization”"),
    ],
)
def test_invalid_party_id(kind: str, value: str, code: str, fragment: str) -> None:
    assert_refused(lambda v: validate_party_id(kind, v), value, code, fragment)


# --- 电话号码 ------------------------------------------------------------------------------

VALID_PHONES = [
    ("13800138000", "13800138000"),
    ("19912345678", "19912345678"),
    ("138 0013 8000", "13800138000"),
    ("138-0013-8000", "13800138000"),
    ("+86 138 0013 8000", "13800138000"),
    ("+86-13800138000", "13800138000"),
    ("+8615012345678", "15012345678"),
    ("8613800138000", "13800138000"),
    ("86 138 0013 8000", "13800138000"),
    ("0086 13800138000", "13800138000"),
    ("１３８００１３８０００", "13800138000"),
    ("＋８６１３８００１３８０００", "13800138000"),
    ("010-62345678", "010-62345678"),
    ("01062345678", "010-62345678"),
    ("021 6888 8888", "021-68888888"),
    ("02987654321", "029-87654321"),
    ("0531-88888888", "0531-88888888"),
    ("053188888888", "0531-88888888"),
    ("0755-2345678", "0755-2345678"),
    ("07552345678", "0755-2345678"),
    ("0531-88888888-123", "0531-88888888-123"),
    ("053188888888-8001", "0531-88888888-8001"),
    ("010-62345678-1", "010-62345678-1"),
    ("0755－2345678", "0755-2345678"),  # full-width hyphen
    ("0531 — 88888888", "0531-88888888"),  # em dash
    ("0571\u20138888 8888", "0571-88888888"),  # en dash
    ("  029-87654321\n", "029-87654321"),
]


@pytest.mark.parametrize(("value", "normalised"), VALID_PHONES)
def test_valid_phone(value: str, normalised: str) -> None:
    assert validate_phone(value) == normalised


INVALID_PHONES = [
    ("", "不能为空"),
    (" \t", "不能为空"),
    ("1380013800", "手机号码应为11位数字，实际为10位"),
    ("138001380001", "手机号码应为11位数字，实际为12位"),
    ("12800138000", "手机号码号段“12”无效"),
    ("10086123456", "手机号码号段“10”无效"),
    ("+86 128 0013 8000", "号段“12”"),
    ("+86 1380013800", "实际为10位"),
    ("+86 010 62345678", "国家代码+86只用于手机号码"),
    ("+1 202 555 0100", "只支持中国大陆的电话号码"),
    ("0044 20 7946 0958", "只支持中国大陆的电话号码"),
    ("138 0013 800a", "字符“a”无效"),
    ("(010)62345678", "字符“(”无效"),
    ("0531-8888888 转 123", "字符“转”无效"),
    ("138+00138000", "“+”只能出现在国家代码"),
    ("+", "“+”只能出现在国家代码"),
    ("62345678", "固定电话缺少区号"),
    ("23800138000", "应为11位手机号码或带区号的固定电话号码"),
    ("031-2345678", "区号“031”无效"),
    ("05312-345678", "区号“05312”无效"),
    ("011-62345678", "区号“011”无效"),
    ("0531-234567", "应为7位或8位数字，实际为6位"),
    ("0531-234567890", "应为7位或8位数字，实际为9位"),
    ("0531234567890", "应为7位或8位数字，实际为9位"),
    ("010-02345678", "不能以0或1开头"),
    ("02112345678", "不能以0或1开头"),
    ("0531--88888888", "连字符位置不正确"),
    ("0531-88888888-", "连字符位置不正确"),
    ("-0531-88888888", "连字符位置不正确"),
    ("0531-8888-8888-1", "连字符位置不正确"),
    ("0531-88888888-1234567", "分机号最多6位数字"),
]


@pytest.mark.parametrize(("value", "fragment"), INVALID_PHONES)
def test_invalid_phone(value: str, fragment: str) -> None:
    assert_refused(validate_phone, value, "invalid_phone", fragment)


@pytest.mark.parametrize("value", [None, 13800138000])
def test_phone_must_be_text(value: object) -> None:
    assert_refused(validate_phone, value, "invalid_phone", "必须是文本")


# --- masking ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("11010519491231002X", "110105********002X"),  # the birth date is hidden
        (" 11010519491231002X ", "110105********002X"),
        ("91350100M000100Y43", "913501********0Y43"),
        ("ABCDEFGHIJK", "ABCDEF*HIJK"),
        ("ABC", "A*C"),
        ("AB", "**"),
        ("", ""),
    ],
)
def test_mask_id(value: str, masked: str) -> None:
    assert mask_id(value) == masked


def test_mask_id_hides_the_birth_date_of_every_valid_example() -> None:
    for _, normalised in VALID_RESIDENT_IDS:
        masked = mask_id(normalised)
        assert len(masked) == 18
        assert masked[6:14] == "*" * 8
        assert masked[:6] == normalised[:6] and masked[-4:] == normalised[-4:]


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13800138000", "138****8000"),
        ("+86 138 0013 8000", "138****8000"),
        ("19912345678", "199****5678"),
        ("0531-88888888", "0531-******88"),
        ("053188888812", "0531-******12"),
        ("010-62345678", "010-******78"),
        ("0755-2345678", "0755-*****78"),
        ("0531-88888888-123", "0531-******88-***"),
        ("", ""),
        # not a valid phone number: only the first 3 and last 2 characters stay visible
        ("12345678901", "123******01"),
        ("12", "**"),
    ],
)
def test_mask_phone(value: str, masked: str) -> None:
    assert mask_phone(value) == masked


# --- properties ---------------------------------------------------------------------------

PROVINCES = (
    [str(n) for n in range(11, 16)]
    + [str(n) for n in range(21, 24)]
    + [str(n) for n in range(31, 38)]
    + [str(n) for n in range(41, 47)]
    + [str(n) for n in range(50, 55)]
    + [str(n) for n in range(61, 66)]
    + ["71", "81", "82", "83"]
)


@st.composite
def resident_id_bodies(draw: st.DrawFn) -> str:
    province = draw(st.sampled_from(PROVINCES))
    area = draw(st.from_regex(r"\A[0-9]{4}\Z"))
    birth = draw(st.dates(min_value=datetime.date(1900, 1, 1), max_value=timezone.localdate()))
    sequence = draw(st.from_regex(r"\A[0-9]{3}\Z"))
    return f"{province}{area}{birth:%Y%m%d}{sequence}"


@pytest.mark.date_sensitive  # birth dates up to today
@settings(max_examples=150, deadline=None)
@given(resident_id_bodies())
def test_property_check_character_validates_and_any_single_digit_change_is_refused(body: str) -> None:
    number = make_id(body)
    assert validate_resident_id(number) == number
    assert validate_resident_id(number.lower()) == number

    for index, original in enumerate(number):
        if not original.isdigit():
            continue
        for digit in "0123456789":
            if digit == original:
                continue
            mutated = number[:index] + digit + number[index + 1 :]
            with pytest.raises(ValidationFailed) as info:
                validate_resident_id(mutated)
            assert info.value.code == "invalid_id_number"


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from("1234589ANY"),
    st.sampled_from("1239"),
    st.from_regex(r"\A[0-9]{6}\Z"),
    st.text(alphabet=CREDIT_ALPHABET, min_size=9, max_size=9),
)
def test_property_credit_code_check_and_single_character_changes(
    authority: str, category: str, division: str, organisation: str
) -> None:
    code = make_credit(authority + category + division + organisation)
    assert validate_credit_code(code) == code
    assert validate_credit_code(code.lower()) == code

    for index, original in enumerate(code):
        for char in CREDIT_ALPHABET:
            if char == original:
                continue
            with pytest.raises(ValidationFailed):
                validate_credit_code(code[:index] + char + code[index + 1 :])
