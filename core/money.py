"""Amounts of money as courts write them: grouped digits with two places, and the
Chinese capitals of payment documents (大写金额)."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ("", "拾", "佰", "仟")  # within a group of four digits
GROUPS = ("", "万", "亿", "万亿")  # a group's unit


def _group(number: int) -> str:
    """0 < number < 10000, written with its inner zeros (1004 → 壹仟零肆)."""
    out: list[str] = []
    zero = False
    for place in range(3, -1, -1):
        digit = number // 10**place % 10
        if digit == 0:
            zero = bool(out)  # a zero between written digits is read once
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(DIGITS[digit] + PLACES[place])
    return "".join(out)


def amount_in_chinese_capitals(amount: Decimal) -> str:
    """An amount of yuan in the capitals written on payment documents
    (中国人民银行《支付结算办法》附件《正确填写票据和结算凭证的基本规定》):
    ``Decimal("100000.00")`` → 壹拾万元整, ``Decimal("1234.56")`` → 壹仟贰佰叁拾肆元伍角陆分,
    ``Decimal("0.05")`` → 伍分, ``Decimal("1004.05")`` → 壹仟零肆元零伍分.

    "整" follows an amount that ends at 元 or 角; none follows 分. 拾 is always
    preceded by its digit (壹拾), as banks require. Rounds half up to the fen."""
    amount = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if amount < 0:
        raise ValueError("a negative amount has no capitals")
    fen_total = int(amount * 100)
    yuan, jiao, fen = fen_total // 100, fen_total // 10 % 10, fen_total % 10
    if yuan >= 10**16:
        raise ValueError("amount too large")
    if fen_total == 0:
        return "零元整"
    parts: list[str] = []
    groups = []
    rest = yuan
    while rest:
        groups.append(rest % 10000)
        rest //= 10000
    pending_zero = False
    for index in range(len(groups) - 1, -1, -1):
        value = groups[index]
        if value == 0:
            pending_zero = bool(parts)
            continue
        # a lower group that does not fill its thousands place needs a 零 (1,0100 → 壹万零壹佰)
        if parts and (pending_zero or value < 1000):
            parts.append("零")
        pending_zero = False
        parts.append(_group(value) + GROUPS[index])
    text = "".join(parts)
    if yuan:
        text += "元"
    if jiao == 0 and fen == 0:
        return text + "整"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif yuan:
        text += "零"  # 1004.05 → …元零伍分
    if fen:
        return text + DIGITS[fen] + "分"
    return text + "整"


def money_text(value: object) -> str:
    """¥ amounts as courts write them: thousands separated, two decimals (the zh-hans
    locale of Django does not group digits). Empty for nothing, as typed otherwise."""
    if value is None or value == "":
        return ""
    try:
        return f"{Decimal(value):,.2f}"  # type: ignore[arg-type]
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
