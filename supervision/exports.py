"""The Excel exports of the supervisory pages (``core.exports``): the dashboard's
tables and clock lists, the 不明款 list, the clock list behind each number, the five
screening lists and the quality indicators. Registered when the app is ready
(``SupervisionConfig.ready``), in the web process and in the worker alike.

Each exporter's ``clean`` is the filter cleaning of ``supervision.filters``; its
rows come from ``supervision.selectors``."""

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.calendar import local_date
from core.exports import Column, Exporter, register
from core.models import User
from supervision.filters import clean_court, clock_list_params, indicator_params, screening_params
from supervision.permissions import VIEW_DASHBOARD
from supervision.selectors.clocks import STATUS_LABELS, RunningClockList
from supervision.selectors.dashboard import CONTROL_RULE, FUNDS_RULES, dashboard_data, unidentified_receipts
from supervision.selectors.indicators import indicators_data
from supervision.selectors.scope import court_param, scope_for
from supervision.selectors.screening import KINDS, ScreeningKind, screening_list

Params = Mapping[str, Any]
Cells = Callable[[dict], list]


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
        yield [r["code"], r["name"], *_counter_cells(r), r["basis"]]


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
            Column(gettext_lazy("规则代码"), 22),
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
    return " ".join(v for v in (params.get("court", ""), params.get("rule", ""), str(STATUS_LABELS[params["status"]])) if v)


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


# --- 消极执行 screening ---------------------------------------------------------------------------

_CASE = Column(gettext_lazy("案号"), 26)
_COURT = Column(gettext_lazy("法院"), 20)
_HANDLER = Column(gettext_lazy("承办人"), 10)
_SCREENING_CLOCK_COLUMNS = [
    _CASE,
    _COURT,
    Column(gettext_lazy("期限"), 14),
    Column(gettext_lazy("事项"), 30),
    _HANDLER,
]


def _dt(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _idle_cells(r: dict) -> list:
    return [
        r["case_number"],
        r["court_name"],
        r["handler"],
        r["status_label"],
        _dt(r["received_at"]),
        _dt(r["last_node_at"]),
        r["idle_days"],
    ]


def _uncontrolled_cells(r: dict) -> list:
    return [
        r["case_number"],
        r["court_name"],
        r["handler"],
        r["category"],
        r["description"],
        Decimal(r["value"]) if r["value"] else None,
        _dt(r["found_at"]),
        _dt(r["control_due_at"]),
        r["days_overdue"],
    ]


def _node_date_cells(r: dict) -> list:
    return [
        r["case_number"] or r["subject"],
        r["court_name"],
        r["kind_label"],
        r["issue_label"],
        _dt(r["occurred_at"]),
        _dt(r["recorded_at"]),
        r["gap_days"],
        r["actor"],
    ]


# Each screening list's columns and how a row fills them.
SCREENING_TABLES: dict[str, tuple[list[Column], Cells]] = {
    "idle": (
        [
            _CASE,
            _COURT,
            _HANDLER,
            Column(gettext_lazy("状态"), 10),
            Column(gettext_lazy("收案时间"), 17, "datetime"),
            Column(gettext_lazy("最近节点"), 17, "datetime"),
            Column(gettext_lazy("未办理天数"), 12, "int"),
        ],
        _idle_cells,
    ),
    "uncontrolled": (
        [
            _CASE,
            _COURT,
            _HANDLER,
            Column(gettext_lazy("财产类型"), 14),
            Column(gettext_lazy("财产描述"), 30),
            Column(gettext_lazy("价值（元）"), 14, "money"),
            Column(gettext_lazy("查明时间"), 17, "datetime"),
            Column(gettext_lazy("控制期限届满"), 17, "datetime"),
            Column(gettext_lazy("超期天数"), 10, "int"),
        ],
        _uncontrolled_cells,
    ),
    "overdue_duration": (
        [
            *_SCREENING_CLOCK_COLUMNS,
            Column(gettext_lazy("立案"), 17, "datetime"),
            Column(gettext_lazy("届满日"), 12, "date"),
            Column(gettext_lazy("超期天数"), 10, "int"),
            Column(gettext_lazy("剩余天数"), 10, "int"),
        ],
        clock_cells,
    ),
    "node_dates": (
        [
            _CASE,
            _COURT,
            Column(gettext_lazy("节点"), 18),
            Column(gettext_lazy("问题"), 20),
            Column(gettext_lazy("发生时间"), 17, "datetime"),
            Column(gettext_lazy("登记时间"), 17, "datetime"),
            Column(gettext_lazy("相差天数"), 10),
            Column(gettext_lazy("登记人"), 10),
        ],
        _node_date_cells,
    ),
    "research_due": (
        [
            *_SCREENING_CLOCK_COLUMNS,
            Column(gettext_lazy("起算"), 17, "datetime"),
            Column(gettext_lazy("届满日"), 12, "date"),
            Column(gettext_lazy("超期天数"), 10, "int"),
            Column(gettext_lazy("剩余天数"), 10, "int"),
        ],
        clock_cells,
    ),
}


class _ScreeningExport:
    """Rows, count, filters and description of one screening list's export."""

    def __init__(self, spec: ScreeningKind, cells: Cells) -> None:
        self.spec, self.cells = spec, cells

    def rows(self, user: User, params: Params) -> Iterable[list]:
        for row in screening_list(user=user, kind=self.spec.key, params=params).iter_all():
            yield self.cells(row)

    def count(self, user: User, params: Params) -> int:
        return screening_list(user=user, kind=self.spec.key, params=params).exact_count()

    def clean(self, user: User, params: Params) -> dict[str, str]:
        return screening_params(user, params, self.spec.key)

    def describe(self, params: Params) -> str:
        parts = [params.get("court", "")]
        if self.spec.key == "idle":
            parts.append(_("%(n)s 日无节点") % {"n": params.get("days")})
        return " ".join(p for p in parts if p)


for _spec in KINDS.values():
    _columns, _cells = SCREENING_TABLES[_spec.key]
    _export = _ScreeningExport(_spec, _cells)
    register(
        Exporter(
            key=f"supervision.screening.{_spec.key}",
            title=format_lazy("{}-{}", gettext_lazy("消极执行筛查"), _spec.title),
            columns=_columns,
            rows=_export.rows,
            count=_export.count,
            clean=_export.clean,
            permission=VIEW_DASHBOARD,
            describe=_export.describe,
            module=__name__,
        )
    )


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
        yield [row["code"], row["name"], row["met"], row["breached"], row["rate"]]


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
            Column(gettext_lazy("规则代码"), 22),
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
