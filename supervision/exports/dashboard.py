"""Exports of the supervision dashboard: its tables per rule, per court and the
trend, the lists of running clocks behind its panels and numbers, and 不明款."""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.calendar import local_date
from core.exports import Column, Exporter, register
from core.models import User
from supervision.filters import clean_court, clock_list_params
from supervision.permissions import VIEW_DASHBOARD
from supervision.selectors.clocks import STATUS_LABELS, RunningClockList
from supervision.selectors.dashboard import CONTROL_RULE, FUNDS_RULES, dashboard_data, unidentified_receipts
from supervision.selectors.scope import court_param, scope_for

Params = Mapping[str, Any]


# --- the dashboard's tables ---------------------------------------------------------------------

_COUNTER_COLUMNS = [
    Column(gettext_lazy("进行中"), 10, "int"),
    Column(gettext_lazy("临期"), 8, "int"),
    Column(gettext_lazy("超期未完成"), 12, "int"),
    Column(gettext_lazy("中止"), 8, "int"),
    Column(gettext_lazy("30日内届满"), 12, "int"),
    Column(gettext_lazy("按期完成"), 10, "int"),
    Column(gettext_lazy("超期"), 8, "int"),
    Column(gettext_lazy("超期率"), 10, "percent"),
    Column(gettext_lazy("未解除预警"), 12, "int"),
    Column(gettext_lazy("待签收预警"), 12, "int"),
]


def _counter_cells(row: dict) -> list:
    return [
        row["open"],
        row["due_soon"],
        row["overdue"],
        row["paused"],
        row["due_30"],
        row["met"],
        row["breached"],
        row["breach_rate"],
        row["alerts_open"],
        row["alerts_unacknowledged"],
    ]


def _describe(params: Params) -> str:
    return params.get("court", "")


def _rule_rows(user: User, params: Params) -> Iterable[list]:
    data = dashboard_data(user=user, court=court_param(params))
    for r in data["rules"]:
        yield [r["name"], *_counter_cells(r), r["basis"]]  # the name, never the rule's code


def _court_rows(user: User, params: Params) -> Iterable[list]:
    data = dashboard_data(user=user, court=court_param(params))
    for c in data["courts"]:
        name = f"{c['name']}（{_('本院')}）" if c["is_self"] else c["name"]
        yield [c["code"], name, *_counter_cells(c)]


def _trend_rows(user: User, params: Params) -> Iterable[list]:
    data = dashboard_data(user=user, court=court_param(params))
    for row in data["trend"]:
        yield [dt.date.fromisoformat(row["date"]), row["raised"], row["resolved"]]


register(
    Exporter(
        key="supervision.dashboard.rules",
        title=gettext_lazy("期限监管-按规则统计"),
        columns=[
            Column(gettext_lazy("期限"), 20),
            *_COUNTER_COLUMNS,
            Column(gettext_lazy("依据"), 24),
        ],
        rows=_rule_rows,
        clean=clean_court,
        permission=VIEW_DASHBOARD,
        describe=_describe,
    )
)
register(
    Exporter(
        key="supervision.dashboard.courts",
        title=gettext_lazy("期限监管-按法院统计"),
        columns=[Column(gettext_lazy("法院代字"), 10), Column(gettext_lazy("法院"), 24), *_COUNTER_COLUMNS],
        rows=_court_rows,
        clean=clean_court,
        permission=VIEW_DASHBOARD,
        describe=_describe,
    )
)
register(
    Exporter(
        key="supervision.dashboard.trend",
        title=gettext_lazy("预警趋势（30日）"),
        columns=[
            Column(gettext_lazy("日期"), 12, "date"),
            Column(gettext_lazy("发出预警"), 10, "int"),
            Column(gettext_lazy("解除预警"), 10, "int"),
        ],
        rows=_trend_rows,
        clean=clean_court,
        permission=VIEW_DASHBOARD,
        describe=_describe,
    )
)


# --- lists of running clocks ----------------------------------------------------------------------

_CLOCK_COLUMNS = [
    Column(gettext_lazy("案号"), 26),
    Column(gettext_lazy("法院"), 18),
    Column(gettext_lazy("期限规则"), 18),
    Column(gettext_lazy("事项"), 36),
    Column(gettext_lazy("责任人"), 10),
    Column(gettext_lazy("起算"), 17, "datetime"),
    Column(gettext_lazy("届满日"), 12, "date"),
    Column(gettext_lazy("暂定"), 6),
    Column(gettext_lazy("超期天数"), 10, "int"),
    Column(gettext_lazy("剩余天数"), 10, "int"),
]


def clock_cells(row: dict) -> list:
    """One row of ``supervision.selectors.clocks.clock_row`` as cells."""
    return [
        row["case_number"],
        row["court_name"],
        row["rule_name"],
        row["subject"],
        row["handler"],
        dt.datetime.fromisoformat(row["started_at"]) if row["started_at"] else None,
        dt.date.fromisoformat(row["due_date"]),
        _("暂定") if row.get("provisional") else "",
        row["days_overdue"],
        row["days_left"],
    ]


def _clocks(user: User, params: Params, status: str, rule_codes: Sequence[str]) -> RunningClockList:
    scope = scope_for(user, court_param(params))
    return RunningClockList(scope.court_ids, status, timezone.now(), rule_codes)


class _ClockExport:
    """Rows and count of one fixed list of running clocks (a dashboard panel)."""

    def __init__(self, status: str, rule_codes: Sequence[str] = ()) -> None:
        self.status, self.rule_codes = status, tuple(rule_codes)

    def rows(self, user: User, params: Params) -> Iterable[list]:
        for row in _clocks(user, params, self.status, self.rule_codes).iter_all():
            yield clock_cells(row)

    def count(self, user: User, params: Params) -> int:
        return _clocks(user, params, self.status, self.rule_codes).exact_count()


def _clock_exporter(key: str, title: Any, status: str, rule_codes: Sequence[str] = ()) -> Exporter:
    spec = _ClockExport(status, rule_codes)
    return register(
        Exporter(
            key=key,
            title=title,
            columns=_CLOCK_COLUMNS,
            rows=spec.rows,
            count=spec.count,
            clean=clean_court,
            permission=VIEW_DASHBOARD,
            describe=_describe,
            module=__name__,
        )
    )


_clock_exporter("supervision.dashboard.overdue", gettext_lazy("超期未完成的期限"), "overdue")
_clock_exporter("supervision.dashboard.funds", gettext_lazy("案款超期未发放"), "overdue", FUNDS_RULES)
_clock_exporter(
    "supervision.dashboard.control_expiring", gettext_lazy("30日内到期的控制措施"), "due_30", (CONTROL_RULE,)
)


def _clock_list_rules(params: Params) -> tuple[str, ...]:
    return (params["rule"],) if params.get("rule") else ()


def _clock_list_rows(user: User, params: Params) -> Iterable[list]:
    for row in _clocks(user, params, params["status"], _clock_list_rules(params)).iter_all():
        yield clock_cells(row)


def _clock_list_count(user: User, params: Params) -> int:
    return _clocks(user, params, params["status"], _clock_list_rules(params)).exact_count()


def _clock_list_describe(params: Params) -> str:
    return " ".join(
        v
        for v in (params.get("court", ""), params.get("rule", ""), str(STATUS_LABELS[params["status"]]))
        if v
    )


register(
    Exporter(
        key="supervision.clocks",
        title=gettext_lazy("期限清单"),
        columns=_CLOCK_COLUMNS,
        rows=_clock_list_rows,
        count=_clock_list_count,
        clean=clock_list_params,
        permission=VIEW_DASHBOARD,
        describe=_clock_list_describe,
    )
)


# --- 不明款 --------------------------------------------------------------------------------------


def _receipt_rows(user: User, params: Params) -> Iterable[list]:
    scope = scope_for(user, court_param(params))
    today = local_date(timezone.now())
    qs = unidentified_receipts(scope.court_ids).select_related("court").order_by("arrived_at", "pk")
    for r in qs.iterator(chunk_size=1000):
        yield [
            r.court.name,
            r.reference,
            r.amount,
            r.arrived_at,
            (today - local_date(r.arrived_at)).days,
            r.payer,
        ]


def _receipt_count(user: User, params: Params) -> int:
    return unidentified_receipts(scope_for(user, court_param(params)).court_ids).count()


register(
    Exporter(
        key="supervision.dashboard.receipts",
        title=gettext_lazy("不明款"),
        columns=[
            Column(gettext_lazy("法院"), 22),
            Column(gettext_lazy("银行流水号"), 20),
            Column(gettext_lazy("金额（元）"), 14, "money"),
            Column(gettext_lazy("到账时间"), 17, "datetime"),
            Column(gettext_lazy("挂账天数"), 10, "int"),
            Column(gettext_lazy("付款人"), 20),
        ],
        rows=_receipt_rows,
        count=_receipt_count,
        clean=clean_court,
        permission=VIEW_DASHBOARD,
        describe=_describe,
    )
)
