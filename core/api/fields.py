"""Serializer fields with the contract's strict formats."""

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

_MONEY = re.compile(r"^-?[0-9]{1,14}(\.[0-9]{1,2})?$")


class MoneyField(serializers.Field):
    """CNY as a decimal string with at most two places (``"1234.56"``). JSON numbers
    are accepted when they are exact in that form; ``NaN``, exponents, thousands
    separators and full-width digits are refused. Always rendered with two places."""

    default_error_messages = {
        "invalid": _('金额格式应为最多两位小数的数字字符串，如 "1234.56"。'),
        "positive": _("金额必须大于零。"),
    }

    def __init__(self, *, positive: bool = True, **kwargs):
        self.positive = positive
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (str, int, float)):
            self.fail("invalid")
        text = data.strip() if isinstance(data, str) else repr(data)
        if not text.isascii() or not _MONEY.match(text):
            self.fail("invalid")
        try:
            value = Decimal(text).quantize(Decimal("0.01"))
        except InvalidOperation:
            self.fail("invalid")
        if self.positive and value <= 0:
            self.fail("positive")
        return value

    def to_representation(self, value):
        return f"{Decimal(value).quantize(Decimal('0.01'))}"


class MoneyFieldSchema(OpenApiSerializerFieldExtension):
    """A decimal string; the minus sign only where the field accepts (and may render)
    amounts that are not positive, e.g. signed ledger legs."""

    target_class = MoneyField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        sign = "" if self.target.positive else "-?"
        return {"type": "string", "pattern": rf"^{sign}[0-9]{{1,14}}(\.[0-9]{{1,2}})?$", "example": "1234.56"}
