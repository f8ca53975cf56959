"""消极执行 screening (山东高院实施细则 第26条: 利用案件流程信息管理系统对消极执行现象进行
自动筛查; 322号 §12 执行节点自动提醒、执行风险自动预警; 双查规定 §6 节点超期、数据造假).

Five lists, each scoped to what the user sees (optionally one court's subtree):

* ``idle`` — open cases with no node for N days (``?days=``, default
  ``SUPERVISION_IDLE_DAYS``);
* ``uncontrolled`` — assets found by a search and still not controlled (with the
  CONTROL_AFTER_FEEDBACK clock, 322号 §13, when one runs);
* ``overdue_duration`` — cases past their CASE_DURATION (执行期限);
* ``node_dates`` — nodes flagged as backdated beyond the tolerance, or dated after
  they were recorded;
* ``research_due`` — 终本 cases whose six-monthly re-search (终本规定 §9) is due or
  overdue.

Each list is a countable, sliceable sequence of JSON-friendly rows, so the page,
the REST endpoint (paginated) and the Excel export share it.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.calendar import local_date
from core.events import node_label
from core.exceptions import NotFound, ValidationFailed
from core.exports import Column, Exporter, register
from core.models import NodeEvent, User
from core.models.clocks import RUNNING
from core.services.events import CLOCK_SKEW, FLAG_BACKDATED
from supervision.dashboards import (
    PERMISSION,
    CappedList,
    RunningClockList,
    Scope,
    clean_court,
    clock_cells,
    court_param,
    scope_for,
)

MAX_IDLE_DAYS = 3650


def _iso(moment: dt.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment is not None else None


def _case_url(case_id: int | None) -> str:
    return reverse("enforcement:case-detail", args=[case_id]) if case_id else ""


class MappedList(CappedList):
    """A queryset whose items are turned into rows only for the slice asked for.
    ``count_qs`` (default: the queryset) is what gets counted — without the
    per-row annotations the page needs."""

    def __init__(self, qs: QuerySet, to_row: Callable[[Any], dict], count_qs: QuerySet | None = None):
        self.qs, self.to_row = qs, to_row
        self.count_source = count_qs if count_qs is not None else qs

    def _count_qs(self) -> QuerySet:
        return self.count_source.order_by()

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self.to_row(obj) for obj in self.qs[index]]
        return self.to_row(self.qs[index])

    def iter_all(self, chunk: int = 1000) -> Iterable[dict]:
        for obj in self.qs.iterator(chunk_size=chunk):
            yield self.to_row(obj)


# --- the lists ----------------------------------------------------------------------------------


def idle_days(params: dict) -> int:
    raw = (params.get("days") or "").strip()
    if not raw:
        return settings.SUPERVISION_IDLE_DAYS
    try:
        days = int(raw)
    except ValueError:
        raise ValidationFailed.for_field("days", _("天数须为整数。")) from None
    if not 1 <= days <= MAX_IDLE_DAYS:
        raise ValidationFailed.for_field("days", _("天数须在 1 至 %(max)s 之间。") % {"max": MAX_IDLE_DAYS})
    return days


def idle_cases(scope: Scope, params: dict, now: dt.datetime) -> MappedList:
    """Open cases (收案、执行中; 中止 cases wait lawfully) with no node since the cutoff."""
    from enforcement.models import Case, CaseStatus

    days = idle_days(params)
    cutoff = now - dt.timedelta(days=days)
    recent = NodeEvent.objects.filter(case=OuterRef("pk"), occurred_at__gte=cutoff)
    last = NodeEvent.objects.filter(case=OuterRef("pk")).order_by("-occurred_at").values("occurred_at")[:1]
    base = Case.objects.filter(
        court_id__in=scope.court_ids, status__in=[CaseStatus.RECEIVED, CaseStatus.EXECUTING]
    ).filter(~Exists(recent))
    qs = (
        base.annotate(last_node_at=Subquery(last))
        .select_related("court", "handler")
        .order_by("received_at", "pk")
    )
    today = local_date(now)

    def row(case) -> dict:
        last_at = case.last_node_at or case.received_at
        return {
            "case_id": case.pk,
            "case_number": case.case_number,
            "court": case.court.code,
            "court_name": case.court.name,
            "handler": str(case.handler or ""),
            "status": case.status,
            "status_label": str(case.get_status_display()),
            "received_at": _iso(case.received_at),
            "last_node_at": _iso(last_at),
            "idle_days": (today - local_date(last_at)).days,
            "url": _case_url(case.pk),
        }

    return MappedList(qs, row, count_qs=base)


def uncontrolled_assets(scope: Scope, params: dict, now: dt.datetime) -> MappedList:
    """Assets a search found that are still neither controlled nor recorded as not
    controllable (322号 §13), in open cases, oldest first."""
    from django.contrib.contenttypes.models import ContentType

    from core.models import Deadline
    from enforcement.models import Asset, AssetStatus, CaseStatus

    clock = Deadline.objects.filter(
        RUNNING,
        rule__code="CONTROL_AFTER_FEEDBACK",
        subject_type=ContentType.objects.get_for_model(Asset),
        subject_id=OuterRef("pk"),
    ).order_by("due_at")
    base = Asset.objects.filter(case__court_id__in=scope.court_ids, status=AssetStatus.FOUND).exclude(
        case__status=CaseStatus.CLOSED
    )
    qs = (
        base.annotate(control_due_at=Subquery(clock.values("due_at")[:1]))
        .select_related("case", "case__court", "case__handler", "category")
        .order_by("found_at", "pk")
    )
    today = local_date(now)

    def row(asset) -> dict:
        due = asset.control_due_at
        overdue = due is not None and due < now
        return {
            "asset": asset.pk,
            "case_id": asset.case_id,
            "case_number": asset.case.case_number,
            "court": asset.case.court.code,
            "court_name": asset.case.court.name,
            "handler": str(asset.case.handler or ""),
            "category": asset.category.name,
            "description": asset.description,
            "value": f"{asset.value:.2f}" if asset.value is not None else None,
            "found_at": _iso(asset.found_at),
            "days_since_found": (today - local_date(asset.found_at)).days,
            "control_due_at": _iso(due),
            "overdue": overdue,
            "days_overdue": max(0, (today - local_date(due)).days) if overdue else 0,
            "url": _case_url(asset.case_id),
        }

    return MappedList(qs, row, count_qs=base)


def overdue_duration(scope: Scope, params: dict, now: dt.datetime) -> RunningClockList:
    return RunningClockList(scope.court_ids, "overdue", now, ("CASE_DURATION",))


def research_due(scope: Scope, params: dict, now: dt.datetime) -> RunningClockList:
    return RunningClockList(scope.court_ids, "warned", now, ("TERMINATED_RESEARCH",))


def _backdated_q() -> Q:
    if connection.vendor == "postgresql":
        return Q(flags__contains=[FLAG_BACKDATED])
    return Q(flags__icontains=f'"{FLAG_BACKDATED}"')  # SQLite has no JSON containment


def node_dates(scope: Scope, params: dict, now: dt.datetime) -> MappedList:
    """Nodes flagged as backdated beyond the tolerance (``NODE_BACKDATE_TOLERANCE_HOURS``)
    or dated after they were recorded (imports bypass the future-date check),
    most recently recorded first (双查规定 §6: 数据造假)."""
    qs = (
        NodeEvent.objects.filter(court_id__in=scope.court_ids)
        .filter(_backdated_q() | Q(occurred_at__gt=F("recorded_at") + CLOCK_SKEW))
        # a 一案双查 step is no case node, and its clue is not for every dashboard reader
        .exclude(kind__startswith="dualcheck.")
        .select_related("court", "case", "actor")
        .order_by("-recorded_at", "-pk")
    )

    def row(event) -> dict:
        future = event.occurred_at > event.recorded_at + CLOCK_SKEW
        gap = event.recorded_at - event.occurred_at
        return {
            "event": event.pk,
            "case_id": event.case_id,
            "case_number": event.case.case_number if event.case_id else "",
            "court": event.court.code if event.court_id else "",
            "court_name": event.court.name if event.court_id else "",
            "kind": event.kind,
            "kind_label": str(node_label(event.kind)),
            "subject": event.subject_label,
            "occurred_at": _iso(event.occurred_at),
            "recorded_at": _iso(event.recorded_at),
            "gap_days": round(gap.total_seconds() / 86400, 1),
            "issue": "future" if future else "backdated",
            "issue_label": _("节点时间晚于登记时间") if future else _("倒签（补录超过容许时限）"),
            "actor": str(event.actor or ""),
            "url": _case_url(event.case_id),
        }

    return MappedList(qs, row)


# --- the catalogue --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScreeningKind:
    key: str
    title: Any
    criteria: Any
    basis: Any
    columns: list[Column]
    listing: Callable[[Scope, dict, dt.datetime], MappedList | RunningClockList]
    cells: Callable[[dict], list]


_CASE = Column(gettext_lazy("案号"), 26)
_COURT = Column(gettext_lazy("法院"), 20)
_HANDLER = Column(gettext_lazy("承办人"), 10)


def _dt(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


KINDS: dict[str, ScreeningKind] = {
    k.key: k
    for k in [
        ScreeningKind(
            key="idle",
            title=gettext_lazy("长期未办理节点"),
            criteria=gettext_lazy("收案或执行中的案件，自截止日起没有任何节点记录（中止执行的案件不列入）。"),
            basis=gettext_lazy("山东高院实施细则 第26条；322号 第12条"),
            columns=[
                _CASE,
                _COURT,
                _HANDLER,
                Column(gettext_lazy("状态"), 10),
                Column(gettext_lazy("收案时间"), 17, "datetime"),
                Column(gettext_lazy("最近节点"), 17, "datetime"),
                Column(gettext_lazy("未办理天数"), 12, "int"),
            ],
            listing=idle_cases,
            cells=lambda r: [
                r["case_number"],
                r["court_name"],
                r["handler"],
                r["status_label"],
                _dt(r["received_at"]),
                _dt(r["last_node_at"]),
                r["idle_days"],
            ],
        ),
        ScreeningKind(
            key="uncontrolled",
            title=gettext_lazy("查明财产未控制"),
            criteria=gettext_lazy(
                "网络查控反馈的财产既未采取控制措施，也未记录无法控制的理由；无法线上控制的，应在 3 个工作日内控制。"
            ),
            basis=gettext_lazy("322号 第13条"),
            columns=[
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
            listing=uncontrolled_assets,
            cells=lambda r: [
                r["case_number"],
                r["court_name"],
                r["handler"],
                r["category"],
                r["description"],
                Decimal(r["value"]) if r["value"] else None,
                _dt(r["found_at"]),
                _dt(r["control_due_at"]),
                r["days_overdue"],
            ],
        ),
        ScreeningKind(
            key="overdue_duration",
            title=gettext_lazy("超过执行期限"),
            criteria=gettext_lazy(
                "未结案件自立案起已超过执行期限（6 个月，经批准延长的按延长后计算），中止期间不计。"
            ),
            basis=gettext_lazy("审限规定 第5条"),
            columns=[
                _CASE,
                _COURT,
                Column(gettext_lazy("期限"), 14),
                Column(gettext_lazy("事项"), 30),
                _HANDLER,
                Column(gettext_lazy("立案"), 17, "datetime"),
                Column(gettext_lazy("届满日"), 12, "date"),
                Column(gettext_lazy("超期天数"), 10, "int"),
                Column(gettext_lazy("剩余天数"), 10, "int"),
            ],
            listing=overdue_duration,
            cells=clock_cells,
        ),
        ScreeningKind(
            key="node_dates",
            title=gettext_lazy("节点时间异常"),
            criteria=gettext_lazy("节点发生时间早于登记时间超过容许时限（倒签），或晚于登记时间（预填）。"),
            basis=gettext_lazy("双查规定 第6条；322号 第12条"),
            columns=[
                _CASE,
                _COURT,
                Column(gettext_lazy("节点"), 18),
                Column(gettext_lazy("问题"), 20),
                Column(gettext_lazy("发生时间"), 17, "datetime"),
                Column(gettext_lazy("登记时间"), 17, "datetime"),
                Column(gettext_lazy("相差天数"), 10),
                Column(gettext_lazy("登记人"), 10),
            ],
            listing=node_dates,
            cells=lambda r: [
                r["case_number"] or r["subject"],
                r["court_name"],
                r["kind_label"],
                r["issue_label"],
                _dt(r["occurred_at"]),
                _dt(r["recorded_at"]),
                r["gap_days"],
                r["actor"],
            ],
        ),
        ScreeningKind(
            key="research_due",
            title=gettext_lazy("终本案件待定期查询"),
            criteria=gettext_lazy(
                "终结本次执行程序的案件，每 6 个月须再次网络查控（5 年内）；已进入预警期或已超期的列入。"
            ),
            basis=gettext_lazy("终本规定 第9条"),
            columns=[
                _CASE,
                _COURT,
                Column(gettext_lazy("期限"), 14),
                Column(gettext_lazy("事项"), 30),
                _HANDLER,
                Column(gettext_lazy("起算"), 17, "datetime"),
                Column(gettext_lazy("届满日"), 12, "date"),
                Column(gettext_lazy("超期天数"), 10, "int"),
                Column(gettext_lazy("剩余天数"), 10, "int"),
            ],
            listing=research_due,
            cells=clock_cells,
        ),
    ]
}


def screening_kind(key: str) -> ScreeningKind:
    try:
        return KINDS[key]
    except KeyError:
        raise NotFound(_("没有该筛查项目。")) from None


def screening_params(user: User, params: dict, kind: str = "") -> dict:
    """Validated filters: court (visible), days (idle list)."""
    cleaned = clean_court(user, params)
    key = kind or (params.get("kind") or "").strip()
    screening_kind(key)
    cleaned["kind"] = key
    if key == "idle":
        cleaned["days"] = str(idle_days(params))
    return cleaned


def screening_list(*, user: User, kind: str, params: dict, now: dt.datetime | None = None):
    """The rows of one screening list for ``user`` (countable and sliceable)."""
    now = now or timezone.now()
    spec = screening_kind(kind)
    scope = scope_for(user, court_param(params))
    return spec.listing(scope, params, now)


# --- exports ------------------------------------------------------------------------------------


def _exporter(spec: ScreeningKind) -> Exporter:
    def rows(user: User, params: dict) -> Iterable[list]:
        for row in screening_list(user=user, kind=spec.key, params=params).iter_all():
            yield spec.cells(row)

    def count(user: User, params: dict) -> int:
        return screening_list(user=user, kind=spec.key, params=params).exact_count()

    def describe(params: dict) -> str:
        parts = [params.get("court", "")]
        if spec.key == "idle":
            parts.append(_("%(n)s 日无节点") % {"n": params.get("days")})
        return " ".join(p for p in parts if p)

    return register(
        Exporter(
            key=f"supervision.screening.{spec.key}",
            title=format_lazy("{}-{}", gettext_lazy("消极执行筛查"), spec.title),
            columns=spec.columns,
            rows=rows,
            count=count,
            clean=lambda user, params: screening_params(user, params, spec.key),
            permission=PERMISSION,
            describe=describe,
        )
    )


for _spec in KINDS.values():
    _exporter(_spec)
