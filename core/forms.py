"""Forms of the kernel pages, and the input rules every browser form shares with the
API (``core.api.fields``): amounts and dates in ASCII digits, dates within the years a
court record can carry."""

import datetime as dt
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import messages
from core.api.fields import EARLIEST, LATEST
from core.models import PeriodUnit

ASCII_ONLY = _("请使用半角数字（0-9）填写。")


def refuse_non_ascii(value) -> None:
    """``Decimal`` and ``strptime`` read full-width (and other scripts') digits
    as numbers; a court record takes them only as typed in ASCII."""
    if isinstance(value, str) and not value.isascii():
        raise ValidationError(ASCII_ONLY, code="invalid")


def court_date_range(value) -> None:
    """A validator for a date or an aware datetime (local date in the server zone)."""
    day = timezone.localtime(value).date() if isinstance(value, dt.datetime) else value
    if not EARLIEST <= day <= LATEST:
        raise ValidationError(
            _("日期须在 %(a)s 至 %(b)s 之间。") % {"a": EARLIEST.isoformat(), "b": LATEST.isoformat()},
            code="range",
        )


class MoneyFormField(forms.DecimalField):
    """CNY with at most two places, typed in ASCII digits, refused in the house wording
    (``core.messages``) rather than Django's "确保该值大于或等于0" or "确认总共不超过 16 个数字"."""

    def __init__(self, *, min_value: Any = None, **kwargs: Any) -> None:
        below = messages.AMOUNT_NOT_POSITIVE if min_value is not None and min_value > 0 else messages.AMOUNT_NEGATIVE
        kwargs["error_messages"] = {
            "invalid": messages.AMOUNT_INVALID,
            "min_value": below,
            "max_digits": messages.AMOUNT_TOO_LARGE,
            "max_whole_digits": messages.AMOUNT_TOO_LARGE,
            "max_decimal_places": messages.AMOUNT_PLACES,
            **kwargs.get("error_messages", {}),
        }
        super().__init__(min_value=min_value, **kwargs)

    def to_python(self, value):
        refuse_non_ascii(value.strip() if isinstance(value, str) else value)
        return super().to_python(value)


class CourtDateField(forms.DateField):
    default_validators = [court_date_range]

    def to_python(self, value):
        refuse_non_ascii(value)
        return super().to_python(value)


class CourtDateTimeMixin:
    """For the ``datetime-local`` fields of the apps: ASCII, 1950–2099."""

    default_validators: list[Any] = [court_date_range]

    def to_python(self, value):
        refuse_non_ascii(value)
        return super().to_python(value)  # type: ignore[misc]


class IsoDateInput(forms.DateInput):
    """A date picker whose value is ISO: a date input shows nothing for the locale's
    2026/12/06 (issue 16, the due-date calculator's empty 起算日)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DueDateForm(forms.Form):
    start = CourtDateField(label=_("起算日"), widget=IsoDateInput())
    days = forms.IntegerField(label=_("期限"), min_value=0, max_value=3660, initial=5)
    unit = forms.ChoiceField(
        label=_("单位"),
        choices=[
            (PeriodUnit.WORKING_DAYS, PeriodUnit.WORKING_DAYS.label),
            (PeriodUnit.CALENDAR_DAYS, PeriodUnit.CALENDAR_DAYS.label),
            (PeriodUnit.MONTHS, PeriodUnit.MONTHS.label),
        ],
        initial=PeriodUnit.WORKING_DAYS,
    )


class CalendarNoticeForm(forms.Form):
    notice = forms.CharField(
        label=_("通知全文"),
        max_length=20000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "placeholder": _("粘贴国务院办公厅关于某年部分节假日安排的通知全文")}),
    )


class BackdateDecisionForm(forms.Form):
    """补录核实: 属实 (the clock stops at the declared time) or 不属实 (at the entry
    time), with the reviewer's reason (322号 §12)."""

    decision = forms.ChoiceField(
        label=_("核实结果"),
        choices=[("approve", _("属实")), ("reject", _("不属实"))],
        error_messages={"required": _("请选择核实结果。"), "invalid_choice": _("请选择核实结果。")},
    )
    reason = forms.CharField(
        label=_("核实意见"),
        max_length=500,
        error_messages={"required": _("请填写核实意见。"), "max_length": _("核实意见最多 500 字。")},
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("请填写核实意见。"), code="required")
        return reason


URGENCY_CHOICES = [
    ("overdue", _("已超期")),
    ("today", _("今日届满")),
    ("week", _("7日内届满")),
    ("later", _("7日后届满")),
]


class TodoFilterForm(forms.Form):
    """我的待办's filters: rule, urgency, and a court among those the user sees. An
    unknown value is an error next to its field (the queue is then shown unfiltered)."""

    rule = forms.ChoiceField(label=_("期限"), required=False)
    urgency = forms.ChoiceField(
        label=_("紧急程度"), required=False, choices=[("", _("全部")), *URGENCY_CHOICES]
    )
    court = forms.ChoiceField(label=_("法院"), required=False)

    def __init__(self, *args: Any, rules: Any = (), courts: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("全部"))]
        cast(forms.ChoiceField, self.fields["rule"]).choices = [
            *everything,
            *((r.code, r.name_zh) for r in rules),
        ]
        cast(forms.ChoiceField, self.fields["court"]).choices = [
            *everything,
            *((c.code, c.name) for c in courts),
        ]
        for name in self.fields:
            self.fields[name].error_messages["invalid_choice"] = _("请从列表中选择。")
