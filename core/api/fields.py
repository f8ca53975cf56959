"""Serializer fields with the contract's strict formats."""

import contextlib
import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

from core import messages

_MONEY = re.compile(r"^-?[0-9]{1,14}(\.[0-9]{1,2})?$")


class MoneyField(serializers.Field):
    """CNY as a decimal string with at most two places (``"1234.56"``). JSON numbers
    are accepted when they are exact in that form; ``NaN``, exponents, thousands
    separators and full-width digits are refused. Always rendered with two places."""

    default_error_messages = {
        "invalid": _('金额格式应为最多两位小数的数字字符串，如 "1234.56"。'),
        "positive": messages.AMOUNT_NOT_POSITIVE,
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


# Dates a court record can carry. Beyond them a date is a typo (or an attack): year 1
# renders with Asia/Shanghai's local mean time offset (+08:05:43, not valid RFC 3339)
# and year 9999 overflows when converted to local time.
EARLIEST = dt.date(1950, 1, 1)
LATEST = dt.date(2099, 12, 31)

_RANGE = _("日期须在 1950-01-01 至 2099-12-31 之间。")
# The contract's formats (API.md "Money ... Dates YYYY-MM-DD; datetimes ISO 8601 with
# offset"), the extended form only: Python also parses "20260930" or "2026-W40-3".
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_DATETIME = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:?[0-9]{2})?$"
)


class DateTimeField(serializers.DateTimeField):
    """An ISO 8601 datetime WITH its offset (API.md: ``2026-09-30T10:00:00+08:00``),
    in ASCII, between 1950 and 2099. A naive time is refused rather than guessed."""

    default_error_messages = {
        "naive": _("时间须带时区偏移，如 2026-09-30T10:00:00+08:00。"),
        "range": _RANGE,
    }

    def to_internal_value(self, value):
        if isinstance(value, str):
            if not _DATETIME.fullmatch(value):
                self.fail("invalid", format="YYYY-MM-DDThh:mm[:ss[.uuuuuu]]±hh:mm")
            parsed = None
            with contextlib.suppress(ValueError, TypeError):
                parsed = parse_datetime(value)
            if parsed is not None and timezone.is_naive(parsed):
                self.fail("naive")
        result = super().to_internal_value(value)
        if not EARLIEST <= timezone.localtime(result).date() <= LATEST:
            self.fail("range")
        return result


class DateField(serializers.DateField):
    """A ``YYYY-MM-DD`` date in ASCII, between 1950 and 2099."""

    default_error_messages = {"range": _RANGE}

    def to_internal_value(self, value):
        if isinstance(value, str) and not _DATE.fullmatch(value):
            self.fail("invalid", format="YYYY-MM-DD")
        result = super().to_internal_value(value)
        if not EARLIEST <= result <= LATEST:
            self.fail("range")
        return result
