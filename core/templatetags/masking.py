"""``{% load masking %}``: ID, phone and account numbers masked (脱敏) on every page."""

from django import template

from core.identity import mask_account as _mask_account
from core.identity import mask_id as _mask_id
from core.identity import mask_name as _mask_name
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
def mask_name(party) -> str:
    """A party's name on a public page: a person's masked, an organisation's whole."""
    return _mask_name(getattr(party, "name", ""), getattr(party, "kind", ""))
