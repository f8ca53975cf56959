"""``{% load money %}``: ``{{ amount|money }}`` (1,234.50) and ``{{ amount|capitals }}``
(壹仟贰佰叁拾肆元伍角整)."""

from decimal import Decimal, InvalidOperation

from django import template

from core.money import amount_in_chinese_capitals, money_text

register = template.Library()


@register.filter
def money(value: object) -> str:
    return money_text(value)


@register.filter
def capitals(value: object) -> str:
    """Empty for a missing or invalid amount."""
    if value is None or value == "":
        return ""
    try:
        return amount_in_chinese_capitals(Decimal(value))  # type: ignore[arg-type]
    except (InvalidOperation, TypeError, ValueError):
        return ""
