"""Exports of the five 消极执行 screening lists: each list's columns and cells."""

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exports import Column, Exporter, register
from core.models import User
from supervision.exports.dashboard import clock_cells
from supervision.filters import screening_params
from supervision.permissions import VIEW_DASHBOARD
from supervision.selectors.screening import KINDS, ScreeningKind, screening_list

Params = Mapping[str, Any]
Cells = Callable[[dict], list]


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


def _ruling_unserved_cells(r: dict) -> list:
    return [
        r["case_number"],
        r["court_name"],
        r["handler"],
        _dt(r["ruling_at"]),
        dt.date.fromisoformat(r["service_due_on"]),
        r["days_overdue"],
        "、".join(r["unserved"]),
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
    "ruling_unserved": (
        [
            _CASE,
            _COURT,
            _HANDLER,
            Column(gettext_lazy("裁定作出"), 17, "datetime"),
            Column(gettext_lazy("送达期限届满"), 12, "date"),
            Column(gettext_lazy("超期天数"), 10, "int"),
            Column(gettext_lazy("未送达当事人"), 30),
        ],
        _ruling_unserved_cells,
    ),
}


# h/coercion: 终本 cases lacking a sanction, search or referral
SCREENING_TABLES["coercion_missing"] = (
    [
        _CASE,
        _COURT,
        _HANDLER,
        Column(gettext_lazy("终本时间"), 17, "datetime"),
        Column(gettext_lazy("未处理的情形"), 50),
    ],
    lambda r: [r["case_number"], r["court_name"], r["handler"], _dt(r["closed_at"]), r["findings_text"]],
)


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
