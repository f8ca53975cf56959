"""Exports of the quality indicators: per court, and compliance per rule."""

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exports import Column, Exporter, register
from core.models import User
from supervision.filters import indicator_params
from supervision.permissions import VIEW_DASHBOARD
from supervision.selectors.indicators import indicators_data

Params = Mapping[str, Any]


# --- 质效指标 --------------------------------------------------------------------------------------


def _indicators_describe(params: Params) -> str:
    period = ""
    if params.get("from") or params.get("to"):
        period = f"{params.get('from', '')}—{params.get('to', '')}"
    return " ".join(p for p in (params.get("court", ""), period) if p)


def _indicator_rows(user: User, params: Params) -> Iterable[list]:
    data = indicators_data(user=user, params=params)
    for row in [*data["courts"], {**data["total"], "code": "", "name": _("合计"), "is_self": False}]:
        name = f"{row['name']}（{_('本院')}）" if row["is_self"] else row["name"]
        yield [
            row["code"],
            name,
            row["closed"],
            row["within_limit"],
            row["within_limit_rate"],
            row["terminated"],
            row["terminated_rate"],
            Decimal(row["claim_amount"]),
            Decimal(row["paid_amount"]),
            row["delivered_rate"],
            row["petitions_received"] if data["petitions_available"] else None,
            row["petitions_concluded"] if data["petitions_available"] else None,
            row["petition_rate"],
            row["clocks_met"],
            row["clocks_breached"],
            row["compliance_rate"],
        ]


def _indicator_rule_rows(user: User, params: Params) -> Iterable[list]:
    data = indicators_data(user=user, params=params)
    for row in data["rules"]:
        yield [row["name"], row["met"], row["breached"], row["rate"]]  # the name, never the rule's code


register(
    Exporter(
        key="supervision.indicators",
        title=gettext_lazy("质效指标"),
        columns=[
            Column(gettext_lazy("法院代字"), 10),
            Column(gettext_lazy("法院"), 24),
            Column(gettext_lazy("结案数"), 10, "int"),
            Column(gettext_lazy("期限内结案数"), 12, "int"),
            Column(gettext_lazy("法定期限内结案率"), 14, "percent"),
            Column(gettext_lazy("终本结案数"), 12, "int"),
            Column(gettext_lazy("终本率"), 10, "percent"),
            Column(gettext_lazy("申请执行标的（元）"), 18, "money"),
            Column(gettext_lazy("已发放案款（元）"), 18, "money"),
            Column(gettext_lazy("执行到位率"), 12, "percent"),
            Column(gettext_lazy("收到信访"), 10, "int"),
            Column(gettext_lazy("办结信访"), 10, "int"),
            Column(gettext_lazy("信访办结率"), 12, "percent"),
            Column(gettext_lazy("按期完成期限"), 12, "int"),
            Column(gettext_lazy("超期期限"), 10, "int"),
            Column(gettext_lazy("期限遵守率"), 12, "percent"),
        ],
        rows=_indicator_rows,
        clean=indicator_params,
        permission=VIEW_DASHBOARD,
        describe=_indicators_describe,
    )
)
register(
    Exporter(
        key="supervision.indicators.rules",
        title=gettext_lazy("期限遵守率（按规则）"),
        columns=[
            Column(gettext_lazy("期限"), 20),
            Column(gettext_lazy("按期完成"), 10, "int"),
            Column(gettext_lazy("超期"), 10, "int"),
            Column(gettext_lazy("期限遵守率"), 12, "percent"),
        ],
        rows=_indicator_rule_rows,
        clean=indicator_params,
        permission=VIEW_DASHBOARD,
        describe=_indicators_describe,
    )
)
