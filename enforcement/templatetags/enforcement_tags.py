"""Display helpers of the enforcement pages: masking (脱敏) and small labels."""

from decimal import Decimal, InvalidOperation

from django import template

from core.identity import mask_account as _mask_account
from core.identity import mask_id as _mask_id
from core.identity import mask_phone as _mask_phone

register = template.Library()


@register.filter
def mask_id(value: str) -> str:
    return _mask_id(value or "")


@register.filter
def mask_phone(value: str) -> str:
    return _mask_phone(value) if value else ""


@register.filter
def mask_account(value: str) -> str:
    return _mask_account(value) if value else ""


@register.filter
def bound_value(field):
    """The value a bound or initial field shows (for custom widgets)."""
    return field.value()


@register.filter
def money(value) -> str:
    """¥ amounts as courts write them: thousands separated, two decimals (the zh-hans
    locale of Django does not group digits)."""
    if value is None or value == "":
        return ""
    try:
        return f"{Decimal(value):,.2f}"
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
