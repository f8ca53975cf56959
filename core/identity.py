"""Validate, normalise and mask the identifiers of parties (当事人): ID numbers and phones.

* 公民身份号码 (居民身份证号码): GB 11643-1999《公民身份号码》. 18 characters: 6-digit
  address code (GB/T 2260 行政区划代码) + 8-digit birth date ``YYYYMMDD`` + 3-digit sequence
  code + 1 check character computed with ISO 7064:1983 MOD 11-2.
* 统一社会信用代码: GB 32100-2015《法人和其他组织统一社会信用代码编码规则》. 18 characters:
  登记管理部门代码 (1) + 机构类别代码 (1) + 登记管理机关行政区划码 (6 digits) + 主体标识码
  (组织机构代码, 9) + 校验码 (1).
* Phone numbers: mainland mobile numbers (11 digits, 1[3-9]…) and landlines with a long-distance
  area code (区号) per the national numbering plan.

Every refusal is a ``ValidationFailed`` whose ``code`` is ``invalid_id_number``,
``invalid_credit_code``, ``invalid_phone`` or ``invalid_party_kind`` and whose message says
what is wrong.
"""

import datetime
from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ValidationFailed

__all__ = [
    "CREDIT_CODE_ALPHABET",
    "PARTY_KIND_ORGANIZATION",
    "PARTY_KIND_PERSON",
    "PARTY_KINDS",
    "PROVINCE_CODES",
    "credit_code_check_char",
    "mask_id",
    "mask_phone",
    "resident_id_check_char",
    "validate_credit_code",
    "validate_party_id",
    "validate_phone",
    "validate_resident_id",
]

ID_NUMBER_ERROR = "invalid_id_number"
CREDIT_CODE_ERROR = "invalid_credit_code"
PHONE_ERROR = "invalid_phone"
PARTY_KIND_ERROR = "invalid_party_kind"

PARTY_KIND_PERSON = "person"  # 自然人: 居民身份证号码
PARTY_KIND_ORGANIZATION = "organization"  # 法人和非法人组织: 统一社会信用代码
PARTY_KINDS: tuple[str, ...] = (PARTY_KIND_PERSON, PARTY_KIND_ORGANIZATION)


def _is_digit(char: str) -> bool:
    """ASCII digits only: ``str.isdigit`` would also accept e.g. ``²`` or Arabic-Indic digits."""
    return "0" <= char <= "9"


def _is_digits(text: str) -> bool:
    return bool(text) and all(_is_digit(char) for char in text)


_FULL_WIDTH_DIGITS = {chr(0xFF10 + d): str(d) for d in range(10)}  # ０-９ (U+FF10..U+FF19)


# ---------------------------------------------------------------------------------------------
# 居民身份证号码 (GB 11643-1999)
# ---------------------------------------------------------------------------------------------

RESIDENT_ID_LENGTH = 18
OLD_RESIDENT_ID_LENGTH = 15  # first-generation 15-digit numbers (2-digit year, no check digit)

# GB 11643-1999 §6.2 (ISO 7064 MOD 11-2): W_i = 2^(i-1) mod 11, for positions 17 down to 1;
# the check character is the one whose value makes the weighted sum ≡ 1 (mod 11), i.e. the
# sum of the first 17 mod 11 = 0..10 maps to 1 0 X 9 8 7 6 5 4 3 2.
RESIDENT_ID_WEIGHTS: tuple[int, ...] = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK_CHARS = "10X98765432"

# The first two digits of the address code: province-level units of GB/T 2260.
# 11-15 京津冀晋蒙, 21-23 辽吉黑, 31-37 沪苏浙皖闽赣鲁, 41-46 豫鄂湘粤桂琼, 50-54 渝川黔滇藏,
# 61-65 陕甘青宁新, 71 台湾 (in GB/T 2260), 81 香港 and 82 澳门 (also the prefixes of the
# 港澳居民居住证 numbers), 83 台湾居民居住证 (《港澳台居民居住证申领发放办法》, 2018).
PROVINCE_CODES: frozenset[str] = frozenset(
    [str(code) for code in range(11, 16)]
    + [str(code) for code in range(21, 24)]
    + [str(code) for code in range(31, 38)]
    + [str(code) for code in range(41, 47)]
    + [str(code) for code in range(50, 55)]
    + [str(code) for code in range(61, 66)]
    + ["71", "81", "82", "83"]
)

MIN_BIRTH_DATE = datetime.date(1900, 1, 1)

_RESIDENT_ID_TRANSLATION = str.maketrans({**_FULL_WIDTH_DIGITS, "Ｘ": "X", "ｘ": "X", "x": "X"})


def _id_fail(message: str) -> ValidationFailed:
    return ValidationFailed(message, code=ID_NUMBER_ERROR)


def resident_id_check_char(body: str) -> str:
    """The GB 11643-1999 check character for the 17-digit ``body``."""
    total = sum(int(char) * weight for char, weight in zip(body, RESIDENT_ID_WEIGHTS, strict=True))
    return RESIDENT_ID_CHECK_CHARS[total % 11]


def validate_resident_id(value: str) -> str:
    """Return ``value`` as a normalised 18-character 居民身份证号码 or raise ``ValidationFailed``.

    Surrounding whitespace is stripped; full-width digits and a lower-case or full-width check
    character ``x`` are normalised to ASCII / upper-case ``X``.
    """
    if not isinstance(value, str):
        raise _id_fail(_("身份证号码必须是文本。"))
    text = value.strip().translate(_RESIDENT_ID_TRANSLATION)
    if not text:
        raise _id_fail(_("身份证号码不能为空。"))
    if any(char.isspace() for char in text):
        raise _id_fail(_("身份证号码中间不得含有空白字符。"))
    if len(text) == OLD_RESIDENT_ID_LENGTH and _is_digits(text):
        raise _id_fail(_("这是15位的旧身份证号码，已不能使用：请填写换发后的18位居民身份证号码。"))
    if len(text) != RESIDENT_ID_LENGTH:
        raise _id_fail(_("身份证号码应为18位，实际为%(length)s位。") % {"length": len(text)})
    for position, char in enumerate(text[:-1], start=1):
        if not _is_digit(char):
            raise _id_fail(
                _("身份证号码第%(position)s位“%(char)s”无效：前17位必须是数字。")
                % {"position": position, "char": char}
            )
    check_char = text[-1]
    if not (_is_digit(check_char) or check_char == "X"):
        raise _id_fail(
            _("身份证号码第18位“%(char)s”无效：校验码只能是数字0-9或字母X。") % {"char": check_char}
        )

    # 地址码 (GB 11643-1999 §5.1): only the province-level part is checked; county codes change
    # over time and an ID keeps the code in force when it was issued.
    province = text[:2]
    if province not in PROVINCE_CODES:
        raise _id_fail(_("身份证号码前两位“%(code)s”不是有效的省级行政区划代码。") % {"code": province})

    # 出生日期码 (§5.2): YYYYMMDD, positions 7-14.
    birth_text = text[6:14]
    try:
        birth_date = datetime.date(int(birth_text[:4]), int(birth_text[4:6]), int(birth_text[6:]))
    except ValueError:
        raise _id_fail(_("身份证号码第7至14位的出生日期“%(date)s”不是有效的日期。") % {"date": birth_text})
    if birth_date < MIN_BIRTH_DATE:
        raise _id_fail(
            _("身份证号码中的出生日期%(date)s早于1900年1月1日。") % {"date": birth_date.isoformat()}
        )
    if birth_date > timezone.localdate():
        raise _id_fail(_("身份证号码中的出生日期%(date)s晚于今天。") % {"date": birth_date.isoformat()})

    # 校验码 (§5.4, §6.2).
    expected = resident_id_check_char(text[:17])
    if check_char != expected:
        raise _id_fail(
            _("身份证号码校验码错误：按前17位计算，第18位应为“%(expected)s”，实际为“%(actual)s”。")
            % {"expected": expected, "actual": check_char}
        )
    return text


# ---------------------------------------------------------------------------------------------
# 统一社会信用代码 (GB 32100-2015)
# ---------------------------------------------------------------------------------------------

CREDIT_CODE_LENGTH = 18
OLD_BUSINESS_REGISTRATION_LENGTH = 15  # the 15-digit 工商注册号 it replaced

# GB 32100-2015 §4.1 / 表1: the 31 code characters, digits then capital letters without
# I, O, Z, S, V; a character's value is its index here.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_CODE_VALUES = {char: value for value, char in enumerate(CREDIT_CODE_ALPHABET)}
_EXCLUDED_LETTERS = "IOZSV"

# GB 32100-2015 §4.4: W_i = 3^(i-1) mod 31 for positions 1..17;
# C18 = 31 - (Σ C_i × W_i mod 31), with 31 written as 0.
CREDIT_CODE_WEIGHTS: tuple[int, ...] = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# Positions 1-2 (登记管理部门代码, 机构类别代码) are only checked against the alphabet: the
# table of 附录A is extended by the authorities over time, and refusing a real code is worse
# than letting a mistyped one through (the check character catches most typing errors).
# Positions 3-8 (1-based) are the administrative-division code of the registering authority.
_DIVISION_POSITIONS = range(3, 9)

# Half-width and full-width letters to upper-case ASCII, full-width digits to ASCII.
_CREDIT_CODE_TRANSLATION = str.maketrans(
    {
        **_FULL_WIDTH_DIGITS,
        **{chr(ord("a") + i): chr(ord("A") + i) for i in range(26)},
        **{chr(0xFF21 + i): chr(ord("A") + i) for i in range(26)},  # Ａ-Ｚ
        **{chr(0xFF41 + i): chr(ord("A") + i) for i in range(26)},  # ａ-ｚ
    }
)


def _credit_fail(message: str) -> ValidationFailed:
    return ValidationFailed(message, code=CREDIT_CODE_ERROR)


def credit_code_check_char(body: str) -> str:
    """The GB 32100-2015 check character for the first 17 characters ``body``."""
    total = sum(
        _CREDIT_CODE_VALUES[char] * weight for char, weight in zip(body, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> str:
    """Return ``value`` as a normalised 统一社会信用代码 or raise ``ValidationFailed``.

    Surrounding whitespace is stripped; lower-case and full-width letters and digits are
    normalised to upper-case ASCII.
    """
    if not isinstance(value, str):
        raise _credit_fail(_("统一社会信用代码必须是文本。"))
    text = value.strip().translate(_CREDIT_CODE_TRANSLATION)
    if not text:
        raise _credit_fail(_("统一社会信用代码不能为空。"))
    if any(char.isspace() for char in text):
        raise _credit_fail(_("统一社会信用代码中间不得含有空白字符。"))
    if len(text) == OLD_BUSINESS_REGISTRATION_LENGTH and _is_digits(text):
        raise _credit_fail(
            _("这是15位的工商注册号，不是统一社会信用代码：请填写营业执照上的18位统一社会信用代码。")
        )
    if len(text) != CREDIT_CODE_LENGTH:
        raise _credit_fail(_("统一社会信用代码应为18位，实际为%(length)s位。") % {"length": len(text)})
    for position, char in enumerate(text, start=1):
        if char in _EXCLUDED_LETTERS:
            raise _credit_fail(
                _("统一社会信用代码第%(position)s位“%(char)s”无效：统一社会信用代码不使用字母I、O、Z、S、V。")
                % {"position": position, "char": char}
            )
        if char not in _CREDIT_CODE_VALUES:
            raise _credit_fail(
                _(
                    "统一社会信用代码第%(position)s位“%(char)s”无效：只能使用数字和除I、O、Z、S、V以外的大写字母。"
                )
                % {"position": position, "char": char}
            )
        if position in _DIVISION_POSITIONS and not _is_digit(char):
            raise _credit_fail(
                _(
                    "统一社会信用代码第%(position)s位“%(char)s”无效：第3至8位是登记管理机关行政区划码，必须是数字。"
                )
                % {"position": position, "char": char}
            )
    expected = credit_code_check_char(text[:17])
    if text[17] != expected:
        raise _credit_fail(
            _("统一社会信用代码校验码错误：按前17位计算，第18位应为“%(expected)s”，实际为“%(actual)s”。")
            % {"expected": expected, "actual": text[17]}
        )
    return text


# ---------------------------------------------------------------------------------------------
# 当事人证件号码
# ---------------------------------------------------------------------------------------------


def _passes(validator: Callable[[str], str], value: str) -> bool:
    try:
        validator(value)
    except ValidationFailed:
        return False
    return True


def validate_party_id(kind: str, value: str) -> str:
    """Validate a party's identifier by party ``kind``: ``"person"`` → 居民身份证号码,
    ``"organization"`` → 统一社会信用代码. Returns the normalised value."""
    if kind == PARTY_KIND_PERSON:
        try:
            return validate_resident_id(value)
        except ValidationFailed:
            if _passes(validate_credit_code, value):
                raise _id_fail(
                    _(
                        "填写的是统一社会信用代码，但当事人是自然人：请填写其居民身份证号码，或将当事人类型改为单位。"
                    )
                )
            raise
    if kind == PARTY_KIND_ORGANIZATION:
        try:
            return validate_credit_code(value)
        except ValidationFailed:
            if _passes(validate_resident_id, value):
                raise _credit_fail(
                    _(
                        "填写的是居民身份证号码，但当事人是单位：请填写其统一社会信用代码，或将当事人类型改为自然人。"
                    )
                )
            raise
    raise ValidationFailed(
        _("当事人类型“%(kind)s”无效：应为“%(person)s”（自然人）或“%(organization)s”（法人或非法人组织）。")
        % {"kind": kind, "person": PARTY_KIND_PERSON, "organization": PARTY_KIND_ORGANIZATION},
        code=PARTY_KIND_ERROR,
    )


# ---------------------------------------------------------------------------------------------
# 电话号码
# ---------------------------------------------------------------------------------------------

MOBILE_LENGTH = 11
MIN_LOCAL_LENGTH, MAX_LOCAL_LENGTH = 7, 8
MAX_EXTENSION_LENGTH = 6

# Dash look-alikes normalised to "-": ‐ ‑ ‒ – — − (U+2010-U+2014, U+2212), full-width － (U+FF0D).
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212\uff0d"
_PHONE_TRANSLATION = str.maketrans(
    {**_FULL_WIDTH_DIGITS, **dict.fromkeys(_DASHES, "-"), "\uff0b": "+"}  # ＋ (U+FF0B)
)


def _phone_fail(message: str) -> ValidationFailed:
    return ValidationFailed(message, code=PHONE_ERROR)


def _check_mobile(digits: str) -> str:
    """Mobile numbers: 11 digits, 1 + 3-9 + 9 digits (号段 13x-19x)."""
    if len(digits) != MOBILE_LENGTH:
        raise _phone_fail(_("手机号码应为11位数字，实际为%(length)s位。") % {"length": len(digits)})
    if not "3" <= digits[1] <= "9":
        raise _phone_fail(_("手机号码号段“%(prefix)s”无效：第2位应为3至9。") % {"prefix": digits[:2]})
    return digits


def _area_code_length(digits: str) -> int:
    """Length of the area code (区号, with its leading 0) that ``digits`` starts with, 0 if none.

    National numbering plan: 010 (北京) and 020-029 are 3-digit codes; every other area code
    is 4 digits, 03xx-09xx. 00 is the international prefix, and no other code starts 01.
    """
    if digits.startswith(("010", "02")):
        return 3
    if len(digits) >= 2 and digits[0] == "0" and "3" <= digits[1] <= "9":
        return 4
    return 0


def _bad_area_code(code: str) -> ValidationFailed:
    return _phone_fail(
        _("区号“%(code)s”无效：区号为010、020至029，或以03至09开头的4位数字。") % {"code": code}
    )


def _check_landline(area: str, number: str, extension: str) -> str:
    if len(area) != _area_code_length(area):
        raise _bad_area_code(area)
    if not MIN_LOCAL_LENGTH <= len(number) <= MAX_LOCAL_LENGTH:
        raise _phone_fail(
            _("固定电话号码（区号之后）应为7位或8位数字，实际为%(length)s位。") % {"length": len(number)}
        )
    if number[0] in "01":
        raise _phone_fail(_("固定电话号码（区号之后）不能以0或1开头。"))
    if len(extension) > MAX_EXTENSION_LENGTH:
        raise _phone_fail(_("分机号最多6位数字。"))
    return "-".join(part for part in (area, number, extension) if part)


def validate_phone(value: str) -> str:
    """Return ``value`` as a normalised phone number or raise ``ValidationFailed``.

    Mobile numbers (optionally prefixed with ``+86``, ``0086`` or ``86``) come back as 11 plain digits,
    e.g. ``13800138000``; landlines as ``区号-号码[-分机号]``, e.g. ``0531-88888888-123``.
    Spaces are removed; full-width digits and dash look-alikes are normalised.
    """
    if not isinstance(value, str):
        raise _phone_fail(_("电话号码必须是文本。"))
    text = "".join(value.translate(_PHONE_TRANSLATION).split())
    if not text:
        raise _phone_fail(_("电话号码不能为空。"))
    for char in text:
        if not (_is_digit(char) or char in "-+"):
            raise _phone_fail(
                _("电话号码中的字符“%(char)s”无效：只能包含数字、连字符“-”和国家代码前的“+”。")
                % {"char": char}
            )
    if "+" in text[1:] or text == "+":
        raise _phone_fail(_("“+”只能出现在国家代码“+86”之前。"))
    digits = text.replace("-", "").lstrip("+")

    # Country code 86 (written +86, 0086 or 86): mobiles only; a landline is written with its
    # domestic 区号 (0…). "00" is the international prefix, never the start of an area code.
    if digits.startswith("00"):
        digits = digits[2:]
        text = "+" + text[2:]
    if text.startswith("+") or (digits.startswith("861") and len(digits) == 2 + MOBILE_LENGTH):
        if not digits.startswith("86"):
            raise _phone_fail(_("只支持中国大陆的电话号码（国家代码+86）。"))
        digits = digits[2:]
        if not digits.startswith("1"):
            raise _phone_fail(_("国家代码+86只用于手机号码；固定电话请以区号开头填写，例如010-62345678。"))
        return _check_mobile(digits)

    if digits.startswith("1"):
        return _check_mobile(digits)
    if not digits.startswith("0"):
        raise _phone_fail(
            _("电话号码应为11位手机号码或带区号的固定电话号码（如0531-88888888），固定电话缺少区号。")
            if MIN_LOCAL_LENGTH <= len(digits) <= MAX_LOCAL_LENGTH
            else _("电话号码应为11位手机号码或带区号的固定电话号码（如0531-88888888）。")
        )

    parts = text.split("-")
    if any(not part for part in parts) or len(parts) > 3:
        raise _phone_fail(_("固定电话号码中的连字符位置不正确：应写作“区号-号码”或“区号-号码-分机号”。"))
    if len(parts) == 3:
        area, number, extension = parts
    elif len(parts) == 2 and len(parts[0]) <= 4:  # "区号-号码"
        (area, number), extension = parts, ""
    else:  # "区号号码" or "区号号码-分机号": split by the numbering plan
        combined, extension = parts[0], (parts[1] if len(parts) == 2 else "")
        area_length = _area_code_length(combined)
        if not area_length:
            raise _bad_area_code(combined[:4])
        if extension and len(combined) < area_length + MIN_LOCAL_LENGTH:  # e.g. "05312-345678"
            raise _bad_area_code(combined)
        area, number = combined[:area_length], combined[area_length:]
    return _check_landline(area, number, extension)


# ---------------------------------------------------------------------------------------------
# Masking for display (脱敏)
# ---------------------------------------------------------------------------------------------

_ID_VISIBLE_HEAD, _ID_VISIBLE_TAIL = 6, 4


def mask_id(value: str) -> str:
    """Mask an ID number for display: the first 6 and last 4 characters stay visible.

    For an 18-character 居民身份证号码 this hides the birth date and the sequence code
    (``110105********002X``); a 统一社会信用代码 is masked the same way
    (``913501********0Y43``). Shorter values keep only their first and last character.
    """
    if not value:
        return ""
    text = value.strip()
    if len(text) > _ID_VISIBLE_HEAD + _ID_VISIBLE_TAIL:
        return text[:_ID_VISIBLE_HEAD] + "*" * (len(text) - 10) + text[-_ID_VISIBLE_TAIL:]
    if len(text) >= 3:
        return text[0] + "*" * (len(text) - 2) + text[-1]
    return "*" * len(text)


def mask_phone(value: str) -> str:
    """Mask a phone number for display.

    Mobile: first 3 and last 4 digits visible, ``138****8000``. Landline: the area code and
    the last 2 digits of the number visible, any extension hidden, ``0531-******88``.
    A value that is not a valid phone number keeps only its first 3 and last 2 characters.
    """
    if not value:
        return ""
    try:
        normalized = validate_phone(value)
    except ValidationFailed:
        text = value.strip()
        if len(text) > 5:
            return text[:3] + "*" * (len(text) - 5) + text[-2:]
        return "*" * len(text)
    if "-" not in normalized:  # mobile
        return normalized[:3] + "****" + normalized[-4:]
    area, number, *extension = normalized.split("-")
    masked = f"{area}-{'*' * (len(number) - 2)}{number[-2:]}"
    if extension:
        masked += "-" + "*" * len(extension[0])
    return masked


def mask_account(number: str) -> str:
    """A bank account number with only its first and last four digits shown."""
    if not number:
        return ""
    return f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}" if len(number) > 8 else "****"


def mask_name(value: str, kind: str) -> str:
    """A party's name for a public list (322号 §11, h/gateproc): a natural person keeps the first
    character (the surname, or its first character) and the rest becomes ``*`` (张三 → 张*,
    欧阳锋 → 欧**); an organisation's name is shown whole — it is not personal information, and the
    public lists name the entity. ``kind`` is ``person`` or ``organization``."""
    value = (value or "").strip()
    if kind != "person" or not value:
        return value
    return value[0] + "*" * max(1, len(value) - 1)
