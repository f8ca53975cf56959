"""Parse and normalise enforcement case numbers (案号).

Rules: 最高人民法院《关于人民法院案件案号的若干规定》(法〔2015〕137号, in force 2016-01-01)
as amended by 《关于修改〈关于人民法院案件案号的若干规定〉的决定》(法〔2018〕335号).

Layout (法〔2015〕137号 第三条, as amended by 法〔2018〕335号 第二项)::

    "(" + 收案年度 + ")" + 法院代字 + 专门审判代字 + 类型代字 + 案件编号 + "号"

e.g. ``(2026)鲁0102执123号``, ``(2026)鲁执恢5号``, ``(2025)最高法执监12号``.

Only the enforcement (执行) case types are accepted; a civil or criminal case number is
refused with a message naming the allowed type codes. Every refusal is a
``ValidationFailed(code="invalid_case_number")`` whose message says what is wrong.

All eight enforcement type codes are valid case numbers, but only the 执行实施 types
(``IMPLEMENTATION_TYPE_CODES``: 执, 执恢, 执保) are enforcement cases that run the
enforcement clocks; 执异/执复/执监 are 执行审查 (322号 §6 puts them with the 执行裁判庭 or a
专门合议庭, apart from 执行实施), 执协 is 执行争议协调 and 执他 is "other".
:func:`implementation_type_check` refuses them with ``case_type_not_implementation``.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ValidationFailed

__all__ = [
    "COURT_PREFIXES",
    "ENFORCEMENT_TYPE_CODES",
    "SPECIAL_TRIAL_CODES",
    "SUPREME_COURT_CODE",
    "IMPLEMENTATION_TYPE_CODES",
    "NOT_IMPLEMENTATION_ERROR_CODE",
    "REVIEW_TYPE_CODES",
    "CaseNumber",
    "implementation_type_check",
    "normalize_case_number",
    "parse_case_number",
]

ERROR_CODE = "invalid_case_number"

# 收案年度: the calendar year the case was accepted (法〔2015〕137号 第二条第二款). 1949 (the
# founding of the PRC) is the floor; one year ahead is allowed for filings around New Year.
MIN_YEAR = 1949

# 法院代字 (法〔2015〕137号 第四条): 最高人民法院 is "最高法"; a higher court uses its
# province-level abbreviation, except 内蒙古 "内", 解放军军事法院 "军" and
# 新疆维吾尔自治区高级人民法院生产建设兵团分院 "兵".
SUPREME_COURT_CODE = "最高法"
COURT_PREFIXES: frozenset[str] = frozenset(
    "京津冀晋内辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川黔滇藏陕甘青宁新"  # the 31 mainland units
    "兵"  # 新疆维吾尔自治区高级人民法院生产建设兵团分院
    "军"  # 中国人民解放军军事法院 (named in 第四条第三款; its lower courts follow 第五条 too)
)
# 第五条: an intermediate court appends a 2-digit code, a basic court a 4-digit code, to the
# code of the higher court it belongs to (e.g. 鲁01, 鲁0102; specialised intermediate courts
# take 71-99 per 第五条第二款第三项 as amended by 法〔2018〕335号, e.g. 京73). The 最高法 code
# never carries digits. We do not check codes against the SPC's published 法院代字表.
INTERMEDIATE_DIGITS = 2
BASIC_DIGITS = 4

# 专门审判代字 (added to 第二条 by 法〔2018〕335号): "最高人民法院确定的专门审判类别简称，
# 用1个中文汉字表示".
# The only one we are sure of is "知" (专利等知识产权案件, used e.g. by the SPC's 知识产权法庭:
# "(2019)最高法知民终1号"). Others the SPC may designate are refused until added here.
SPECIAL_TRIAL_CODES: tuple[str, ...] = ("知",)

# 类型代字 of enforcement cases (《人民法院案件类型及其代字标准》, annex to 法〔2015〕137号):
# 首次执行 执, 恢复执行 执恢, 财产保全执行 执保, 执行异议 执异, 执行复议 执复, 执行监督 执监,
# 执行协调 执协, 其他执行 执他.
ENFORCEMENT_TYPE_CODES: tuple[str, ...] = (
    "执",
    "执恢",
    "执保",
    "执异",
    "执复",
    "执监",
    "执协",
    "执他",
)
# 执行实施 (enforcement proper): registered as enforcement cases, with the enforcement clocks
# (which ones per type: ``core.rule_catalogue.CASE_TYPE_CLOCKS``).
IMPLEMENTATION_TYPE_CODES: tuple[str, ...] = ("执", "执恢", "执保")
# 执行审查 (执异, 执复, 执监), 执行协调 (执协) and 其他执行 (执他): valid case numbers, never
# registered as enforcement cases (lifecycle spec §5; 322号 §6).
REVIEW_TYPE_CODES: tuple[str, ...] = tuple(c for c in ENFORCEMENT_TYPE_CODES if c not in IMPLEMENTATION_TYPE_CODES)
NOT_IMPLEMENTATION_ERROR_CODE = "case_type_not_implementation"
# Longest first, so that "执恢" is never read as "执" followed by junk.
_TYPE_CODES_LONGEST_FIRST: tuple[str, ...] = tuple(sorted(ENFORCEMENT_TYPE_CODES, key=len, reverse=True))

# Input variants normalised before parsing: full-width brackets （ ） (U+FF08/U+FF09),
# tortoise-shell brackets 〔 〕 (U+3014/U+3015, the style of 法〔2015〕137号 itself) and
# full-width digits ０-９ (U+FF10..U+FF19).
_INPUT_TRANSLATION = str.maketrans(
    {
        "\uff08": "(",
        "\uff09": ")",
        "\u3014": "(",
        "\u3015": ")",
        **{chr(0xFF10 + d): str(d) for d in range(10)},
    }
)


def _fail(message: str) -> ValidationFailed:
    return ValidationFailed(message, code=ERROR_CODE)


def _is_digit(char: str) -> bool:
    """ASCII digits only: ``str.isdigit`` would also accept e.g. ``²`` or Arabic-Indic digits."""
    return "0" <= char <= "9"


def _leading_digits(text: str) -> str:
    end = 0
    while end < len(text) and _is_digit(text[end]):
        end += 1
    return text[:end]


def _max_year() -> int:
    return timezone.localdate().year + 1


def _allowed_type_codes() -> str:
    return "、".join(ENFORCEMENT_TYPE_CODES)


def _check_year(year: int) -> None:
    max_year = _max_year()
    if not MIN_YEAR <= year <= max_year:
        raise _fail(
            _("收案年度 %(year)s 超出范围：应在 %(min)s 至 %(max)s 之间。")
            % {"year": year, "min": MIN_YEAR, "max": max_year}
        )


def _check_court_digits(digits: str) -> None:
    """第五条: 2 digits (中级法院) or 4 digits (基层法院).

    A ``00`` half is refused: the codes derive from administrative-division codes (and 71-99
    for specialised courts), where ``00`` designates the prefecture itself, not a court. This
    is our reading of 第五条, not a sentence of it.
    """
    if len(digits) not in (0, INTERMEDIATE_DIGITS, BASIC_DIGITS):
        raise _fail(
            _("法院代字的数字代码“%(digits)s”无效：中级法院为2位数字，基层法院为4位数字。")
            % {"digits": digits}
        )
    if "00" in (digits[:2], digits[2:4]):
        raise _fail(_("法院代字的数字代码“%(digits)s”无效：不存在代码为“00”的法院。") % {"digits": digits})


def _check_court_code(court_code: str) -> None:
    if court_code == SUPREME_COURT_CODE:
        return
    if not court_code or court_code[0] not in COURT_PREFIXES:
        raise _fail(_("法院代字“%(code)s”无效。") % {"code": court_code})
    digits = court_code[1:]
    if _leading_digits(digits) != digits:
        raise _fail(_("法院代字“%(code)s”无效。") % {"code": court_code})
    _check_court_digits(digits)


def _check_special_code(special_code: str) -> None:
    if special_code not in SPECIAL_TRIAL_CODES:
        raise _fail(
            _("专门审判代字“%(code)s”无效，目前支持的专门审判代字为：%(allowed)s。")
            % {"code": special_code, "allowed": "、".join(SPECIAL_TRIAL_CODES)}
        )


def _check_type_code(type_code: str) -> None:
    if type_code not in ENFORCEMENT_TYPE_CODES:
        raise _fail(
            _("类型代字“%(code)s”不是执行案件的类型代字，允许的类型代字为：%(allowed)s。")
            % {"code": type_code, "allowed": _allowed_type_codes()}
        )


# 案件编号 is the running number of a court's cases of one type in one year (第十条). The
# regulation sets no width. Ten digits is far beyond any court's yearly count (the
# busiest file well under a million cases a year), so a longer number is a typing error
# or a probe, refused before it reaches the database (issue 17).
MAX_SEQUENCE_DIGITS = 10


def _check_sequence(sequence: int) -> None:
    if isinstance(sequence, bool) or not isinstance(sequence, int) or sequence < 1:
        raise _fail(_("案件编号必须是正整数。"))
    if sequence >= 10**MAX_SEQUENCE_DIGITS:
        raise _fail(_("案件编号过长：最多 %(n)s 位数字。") % {"n": MAX_SEQUENCE_DIGITS})


# Chinese numerals written instead of an Arabic 案件编号, e.g. "执一号" (other scripts' digits,
# e.g. Arabic-Indic, are caught by ``str.isnumeric``).
_CHINESE_NUMERALS = frozenset("〇零一二三四五六七八九十百千万两")


def _explain_bad_letters(letters: str, *, has_special_code: bool) -> None:
    """Raise the most helpful error for a run of letters that is not one type code."""
    # Longest type code first: "执恢一" is 执恢 + a Chinese-numeral 案件编号, not 执 + "恢一".
    prefix = next((c for c in _TYPE_CODES_LONGEST_FIRST if letters.startswith(c)), "")
    remainder = letters[len(prefix) :]
    if prefix and all(c in _CHINESE_NUMERALS or c.isnumeric() for c in remainder):
        raise _fail(_("案件编号必须用阿拉伯数字0-9表示。"))
    # One unknown character in front of a type code reads as an unsupported 专门审判代字
    # (e.g. "鲁01环执1号"); anything else is a bad type code.
    suffix = next((c for c in _TYPE_CODES_LONGEST_FIRST if letters.endswith(c)), "")
    if not has_special_code and suffix and len(letters) == len(suffix) + 1:
        _check_special_code(letters[0])
    _check_type_code(letters)


@dataclass(frozen=True)
class CaseNumber:
    """A valid enforcement case number, split into the elements of 法〔2015〕137号 第二条.

    Build it with :func:`parse_case_number`; direct construction is validated too, but with
    less specific messages.
    """

    year: int
    court_code: str  # 法院代字, e.g. "鲁0102", "鲁01", "鲁", "最高法"
    special_code: str  # 专门审判代字, "" when absent
    type_code: str  # 类型代字, one of ENFORCEMENT_TYPE_CODES
    sequence: int  # 案件编号

    def __post_init__(self) -> None:
        if isinstance(self.year, bool) or not isinstance(self.year, int):
            raise _fail(_("收案年度必须是整数。"))
        _check_year(self.year)
        _check_court_code(self.court_code)
        if self.special_code:
            _check_special_code(self.special_code)
        _check_type_code(self.type_code)
        _check_sequence(self.sequence)

    @property
    def normalized(self) -> str:
        return f"({self.year}){self.court_code}{self.special_code}{self.type_code}{self.sequence}号"

    def __str__(self) -> str:
        return self.normalized


def parse_case_number(text: str) -> CaseNumber:
    """Parse ``text`` into a :class:`CaseNumber` or raise ``ValidationFailed``.

    Surrounding whitespace is stripped; full-width and tortoise-shell brackets and full-width
    digits are accepted and normalised. Whitespace inside the number is an error.
    """
    if not isinstance(text, str):
        raise _fail(_("案号必须是文本。"))
    text = text.strip().translate(_INPUT_TRANSLATION)
    if not text:
        raise _fail(_("案号不能为空。"))
    if any(char.isspace() for char in text):
        raise _fail(_("案号中间不得含有空白字符。"))

    # --- 收案年度: "(" + 4 digits + ")" (第三条) -------------------------------------------
    if not text.startswith("("):
        raise _fail(_("案号应以括号括起的收案年度开头，例如“(2026)”。"))
    year_text = _leading_digits(text[1:])
    after_year = text[1 + len(year_text) :]
    if not after_year.startswith(")"):
        if ")" in after_year:
            raise _fail(_("收案年度必须是4位阿拉伯数字。"))
        raise _fail(_("收案年度缺少右括号“)”。"))
    if len(year_text) != 4:
        raise _fail(_("收案年度必须是4位阿拉伯数字。"))
    year = int(year_text)
    _check_year(year)
    rest = after_year[1:]

    # --- 法院代字 (第四条、第五条) ----------------------------------------------------------
    if rest.startswith(SUPREME_COURT_CODE):
        court_code = SUPREME_COURT_CODE
        rest = rest[len(court_code) :]
        if _leading_digits(rest):
            raise _fail(_("法院代字“最高法”之后不得带数字代码。"))
    elif not rest or rest[0] == "执" or _is_digit(rest[0]):
        raise _fail(_("案号缺少法院代字（如“最高法”“鲁”“鲁01”“鲁0102”）。"))
    elif rest[0] == "最":
        raise _fail(_("最高人民法院的法院代字应为“最高法”。"))
    elif rest[0] in COURT_PREFIXES:
        digits = _leading_digits(rest[1:])
        _check_court_digits(digits)
        court_code = rest[0] + digits
        rest = rest[len(court_code) :]
    else:
        raise _fail(
            _("无法识别的法院代字“%(code)s”：应为“最高法”或省级简称（可带2位或4位数字代码）。")
            % {"code": rest[0]}
        )

    # --- 专门审判代字 + 类型代字: the letters up to the 案件编号 -------------------------------
    letters = rest
    for index, char in enumerate(rest):
        if _is_digit(char):
            letters = rest[:index]
            break
    tail = rest[len(letters) :]
    missing_sequence = not tail and letters.endswith("号")
    if missing_sequence:
        letters = letters[:-1]

    special_code = ""
    if letters[:1] in SPECIAL_TRIAL_CODES:
        special_code, letters = letters[:1], letters[1:]
    if not letters:
        raise _fail(
            _("案号缺少类型代字，允许的类型代字为：%(allowed)s。") % {"allowed": _allowed_type_codes()}
        )
    if letters not in ENFORCEMENT_TYPE_CODES:
        _explain_bad_letters(letters, has_special_code=bool(special_code))
    # The whole run of letters is exactly one type code, so "执恢" is never read as "执" + "恢".
    type_code = letters

    # --- 案件编号 + "号" (第二条第五款、第十条) ------------------------------------------------
    if missing_sequence or not tail:
        raise _fail(_("案号缺少案件编号。"))
    sequence_text = _leading_digits(tail)
    suffix_text = tail[len(sequence_text) :]
    if sequence_text and set(sequence_text) == {"0"}:
        raise _fail(_("案件编号必须是正整数，不能为0。"))
    if sequence_text.startswith("0"):
        raise _fail(_("案件编号不得以0开头。"))
    if len(sequence_text) > MAX_SEQUENCE_DIGITS:
        raise _fail(_("案件编号过长：最多 %(n)s 位数字。") % {"n": MAX_SEQUENCE_DIGITS})
    if not suffix_text:
        raise _fail(_("案号必须以“号”结尾。"))
    if not suffix_text.startswith("号"):
        raise _fail(
            _("案件编号“%(text)s”无效：案件编号必须是正整数，其后紧接“号”。")
            % {"text": sequence_text + suffix_text}
        )
    if suffix_text != "号":
        raise _fail(_("“号”之后不得有其他字符。"))

    return CaseNumber(
        year=year,
        court_code=court_code,
        special_code=special_code,
        type_code=type_code,
        sequence=int(sequence_text),
    )


def implementation_type_check(number: CaseNumber) -> None:
    """Refuse a review, coordination or "other" case number (执异, 执复, 执监, 执协, 执他) where
    an enforcement case (执行实施) is expected: ``ValidationFailed`` with code
    ``case_type_not_implementation`` and ``extra`` ``{type_code, allowed}``."""
    if number.type_code in IMPLEMENTATION_TYPE_CODES:
        return
    raise ValidationFailed(
        _(
            "类型代字为“%(code)s”的案件属于执行审查、执行协调或其他执行案件，不作为执行实施案件登记，"
            "不计算执行期限；可登记的类型代字为：%(allowed)s。"
        )
        % {"code": number.type_code, "allowed": "、".join(IMPLEMENTATION_TYPE_CODES)},
        code=NOT_IMPLEMENTATION_ERROR_CODE,
        extra={"type_code": number.type_code, "allowed": list(IMPLEMENTATION_TYPE_CODES)},
    )


def normalize_case_number(text: str) -> str:
    """Return the canonical half-width form of ``text``, e.g. ``(2026)鲁0102执123号``."""
    return parse_case_number(text).normalized
