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
the REST endpoint (paginated) and the Excel export (``supervision.exports``, which
adds each list's columns) share it.
"""

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Exists, F, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.calendar import WorkingCalendar, end_of_day, local_date
from core.events import node_label
from core.exceptions import NotFound, ValidationFailed
from core.models import Deadline, NodeEvent, User
from core.models.clocks import RUNNING
from core.services.events import CLOCK_SKEW, FLAG_BACKDATED
from enforcement.models import (
    Asset,
    AssetStatus,
    Case,
    CaseStatus,
    DocumentService,
    DocumentServiceMethod,
    Party,
    ServedDocument,
)
from supervision.selectors.clocks import MappedList, RunningClockList
from supervision.selectors.scope import Scope, court_param, iso, scope_for

MAX_IDLE_DAYS = 3650


def _case_url(case_id: int | None) -> str:
    return reverse("enforcement:case-detail", args=[case_id]) if case_id else ""


# --- the lists ----------------------------------------------------------------------------------


def idle_days(params: Mapping[str, Any]) -> int:
    """The idle list's ``days`` (default ``SUPERVISION_IDLE_DAYS``)."""
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


def idle_cases(scope: Scope, params: Mapping[str, Any], now: dt.datetime) -> MappedList:
    """Open cases (收案、执行中; 中止 cases wait lawfully) with no node since the cutoff."""
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

    def row(case: Case) -> dict:
        last_at = case.last_node_at or case.received_at  # type: ignore[attr-defined]  # annotated above
        return {
            "case_id": case.pk,
            "case_number": case.case_number,
            "court": case.court.code,
            "court_name": case.court.name,
            "handler": str(case.handler or ""),
            "status": case.status,
            "status_label": str(case.get_status_display()),
            "received_at": iso(case.received_at),
            "last_node_at": iso(last_at),
            "idle_days": (today - local_date(last_at)).days,
            "url": _case_url(case.pk),
        }

    return MappedList(qs, row, count_qs=base)


def uncontrolled_assets(scope: Scope, params: Mapping[str, Any], now: dt.datetime) -> MappedList:
    """Assets a search found that are still neither controlled nor recorded as not
    controllable (322号 §13), in open cases, oldest first."""
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

    def row(asset: Asset) -> dict:
        due = asset.control_due_at  # type: ignore[attr-defined]  # annotated above
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
            "found_at": iso(asset.found_at),
            "days_since_found": (today - local_date(asset.found_at)).days,
            "control_due_at": iso(due),
            "overdue": overdue,
            "days_overdue": max(0, (today - local_date(due)).days) if overdue else 0,
            "url": _case_url(asset.case_id),
        }

    return MappedList(qs, row, count_qs=base)


def overdue_duration(scope: Scope, params: Mapping[str, Any], now: dt.datetime) -> RunningClockList:
    return RunningClockList(scope.court_ids, "overdue", now, ("CASE_DURATION",))


def research_due(scope: Scope, params: Mapping[str, Any], now: dt.datetime) -> RunningClockList:
    return RunningClockList(scope.court_ids, "warned", now, ("TERMINATED_RESEARCH",))


def ruling_unserved(scope: Scope, params: Mapping[str, Any], now: dt.datetime) -> MappedList:
    """``closing`` 终本 cases whose ruling is still unserved on some party
    ``ENFORCEMENT_RULING_SERVICE_WORKING_DAYS`` working days after it was made (a court setting;
    h/gateproc), oldest ruling first."""
    days = settings.ENFORCEMENT_RULING_SERVICE_WORKING_DAYS
    calendar = WorkingCalendar.load()
    closing = Case.objects.filter(court_id__in=scope.court_ids, status=CaseStatus.CLOSING,
                                  terminated_ruling_at__isnull=False)
    due: dict[int, dt.date] = {}
    for pk, ruled_at in closing.values_list("pk", "terminated_ruling_at"):
        last = calendar.add_working_days(local_date(ruled_at), days)
        if end_of_day(last) < now:
            due[pk] = last
    served = DocumentService.objects.filter(case=OuterRef("case"), party=OuterRef("pk"),
                                            document=ServedDocument.TERMINATED_RULING).exclude(method=DocumentServiceMethod.FAILED)
    base = Case.objects.filter(pk__in=list(due))
    qs = base.select_related("court", "handler").prefetch_related(
        Prefetch("parties", queryset=Party.objects.filter(~Exists(served)).order_by("id"), to_attr="unserved")
    ).order_by("terminated_ruling_at", "pk")
    today = local_date(now)

    def row(case: Case) -> dict:
        return {
            "case_id": case.pk,
            "case_number": case.case_number,
            "court": case.court.code,
            "court_name": case.court.name,
            "handler": str(case.handler or ""),
            "ruling_at": iso(case.terminated_ruling_at),
            "service_due_on": due[case.pk].isoformat(),
            "days_overdue": (today - due[case.pk]).days,
            "unserved": [p.name for p in case.unserved],  # type: ignore[attr-defined]  # prefetched above
            "url": _case_url(case.pk),
        }

    return MappedList(qs, row, count_qs=base)


def _backdated_q() -> Q:
    if connection.vendor == "postgresql":
        return Q(flags__contains=[FLAG_BACKDATED])
    return Q(flags__icontains=f'"{FLAG_BACKDATED}"')  # SQLite has no JSON containment


def node_dates(scope: Scope, params: Mapping[str, Any], now: dt.datetime) -> MappedList:
    """Nodes flagged as backdated beyond the tolerance (``NODE_BACKDATE_TOLERANCE_HOURS_PERSON``,
    an API client's ``backdate_window_hours``)
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

    def row(event: NodeEvent) -> dict:
        future = event.occurred_at > event.recorded_at + CLOCK_SKEW
        gap = event.recorded_at - event.occurred_at
        return {
            "event": event.pk,
            "case_id": event.case_id,
            "case_number": event.case.case_number if event.case is not None else "",
            "court": event.court.code if event.court is not None else "",
            "court_name": event.court.name if event.court is not None else "",
            "kind": event.kind,
            "kind_label": str(node_label(event.kind)),
            "subject": event.subject_label,
            "occurred_at": iso(event.occurred_at),
            "recorded_at": iso(event.recorded_at),
            "gap_days": round(gap.total_seconds() / 86400, 1),
            "issue": "future" if future else "backdated",
            "issue_label": _("节点时间晚于登记时间") if future else _("倒签（补录超过容许时限）"),
            "actor": str(event.actor or ""),
            "url": _case_url(event.case_id),
        }

    return MappedList(qs, row)


# --- the catalogue --------------------------------------------------------------------------------

Listing = Callable[[Scope, Mapping[str, Any], dt.datetime], MappedList | RunningClockList]


@dataclass(frozen=True)
class ScreeningKind:
    key: str
    title: Any
    criteria: Any
    basis: Any
    listing: Listing


KINDS: dict[str, ScreeningKind] = {
    k.key: k
    for k in [
        ScreeningKind(
            key="idle",
            title=gettext_lazy("长期未办理节点"),
            criteria=gettext_lazy("收案或执行中的案件，自截止日起没有任何节点记录（中止执行的案件不列入）。"),
            basis=gettext_lazy("山东高院实施细则 第26条；322号 第12条"),
            listing=idle_cases,
        ),
        ScreeningKind(
            key="uncontrolled",
            title=gettext_lazy("查明财产未控制"),
            criteria=gettext_lazy(
                "网络查控反馈的财产既未采取控制措施，也未记录无法控制的理由；无法线上控制的，应在 3 个工作日内控制。"
            ),
            basis=gettext_lazy("322号 第13条"),
            listing=uncontrolled_assets,
        ),
        ScreeningKind(
            key="overdue_duration",
            title=gettext_lazy("超过执行期限"),
            criteria=gettext_lazy(
                "未结案件自立案起已超过执行期限（6 个月，经批准延长的按延长后计算），中止期间不计。"
            ),
            basis=gettext_lazy("审限规定 第5条"),
            listing=overdue_duration,
        ),
        ScreeningKind(
            key="node_dates",
            title=gettext_lazy("节点时间异常"),
            criteria=gettext_lazy("节点发生时间早于登记时间超过容许时限（倒签），或晚于登记时间（预填）。"),
            basis=gettext_lazy("双查规定 第6条；322号 第12条"),
            listing=node_dates,
        ),
        ScreeningKind(
            key="research_due",
            title=gettext_lazy("终本案件待定期查询"),
            criteria=gettext_lazy(
                "终结本次执行程序的案件，每 6 个月须再次网络查控（5 年内）；已进入预警期或已超期的列入。"
            ),
            basis=gettext_lazy("终本规定 第9条"),
            listing=research_due,
        ),
        ScreeningKind(
            key="ruling_unserved",
            title=gettext_lazy("终本裁定未送达"),
            criteria=gettext_lazy(
                "已作出终结本次执行程序裁定、尚未送达全部当事人的案件，自裁定作出之日起超过本院设定的工作日数"
                "（默认 10 个工作日，本院设定，非法定期限）。"
            ),
            basis=gettext_lazy("322号 第24条（送达当事人）"),
            listing=ruling_unserved,
        ),
    ]
}


def screening_kind(key: str) -> ScreeningKind:
    try:
        return KINDS[key]
    except KeyError:
        raise NotFound(_("没有该筛查项目。")) from None


def screening_list(
    *, user: User, kind: str, params: Mapping[str, Any], now: dt.datetime | None = None
) -> MappedList | RunningClockList:
    """The rows of one screening list for ``user`` (countable and sliceable)."""
    now = now or timezone.now()
    spec = screening_kind(kind)
    scope = scope_for(user, court_param(params))
    return spec.listing(scope, params, now)


# --- h/coercion: 终本 cases whose obstruction, report default or 下落不明 went unanswered ------------


def coercion_missing(scope: Scope, params: Mapping[str, Any], now: dt.datetime) -> MappedList:
    """终本 cases with a 规避/妨害执行 finding, a 财产报告 default or a 下落不明 respondent on
    record that no 罚款/拘留/拒执罪移送 (or the bureau head's reasoned decision not to
    sanction), respectively no 下落不明查找, answered after it (322号 §24; 终本规定 §1(五)) —
    the rows #3, #14, #15 of the 终本 gate, for cases closed before the gate held them."""
    from enforcement.models import (
        ClosureType,
        CoercionEntry,
        CoercionFinding,
        FindingKind,
        ObstructionDecision,
    )
    from enforcement.models.coercion import REPORT_DEFAULTS, SANCTION_KINDS

    def after(qs):
        return qs.filter(case=OuterRef("case"), party=OuterRef("party"), decided_at__gte=OuterRef("found_at"))

    unanswered = (
        CoercionFinding.objects.annotate(
            searched=Exists(after(CoercionEntry.objects.filter(kind="whereabouts_search"))),
            sanctioned=Exists(after(CoercionEntry.objects.filter(kind__in=SANCTION_KINDS))),
            excused=Exists(after(ObstructionDecision.objects.all())),
        )
        .filter(
            Q(kind=FindingKind.WHEREABOUTS_UNKNOWN, searched=False)
            | Q(kind__in=[FindingKind.EVASION, *REPORT_DEFAULTS], sanctioned=False, excused=False)
        )
    )
    base = Case.objects.filter(
        court_id__in=scope.court_ids, status=CaseStatus.CLOSED, closure_type=ClosureType.TERMINATED_THIS_ROUND
    ).filter(Exists(unanswered.filter(case=OuterRef("pk"))))
    qs = base.select_related("court", "handler").order_by("closed_at", "pk")
    labels = dict(FindingKind.choices)

    def row(case: Case) -> dict:
        findings = list(
            unanswered.filter(case=case).select_related("party").order_by("found_at", "pk")
        )
        return {
            "case_id": case.pk,
            "case_number": case.case_number,
            "court": case.court.code,
            "court_name": case.court.name,
            "handler": str(case.handler or ""),
            "closed_at": iso(case.closed_at),
            "findings": [
                {"kind": f.kind, "kind_label": str(labels[f.kind]), "party": f.party.name, "found_at": iso(f.found_at)}
                for f in findings
            ],
            "findings_text": "；".join(f"{f.party.name}：{labels[f.kind]}" for f in findings),
            "url": _case_url(case.pk),
        }

    return MappedList(qs, row, count_qs=base)


KINDS["coercion_missing"] = ScreeningKind(
    key="coercion_missing",
    title=gettext_lazy("终本案件缺强制措施"),
    criteria=gettext_lazy(
        "已终结本次执行程序的案件，记录有规避、妨害执行、拒绝或虚假报告财产、逾期报告财产或下落不明的情形，"
        "其后却没有罚款、拘留、拒执罪移送（或执行局长不予采取的决定）或下落不明查找的记录。"
    ),
    basis=gettext_lazy("322号 第24条；终本规定 第1条第（五）项（未核实）"),
    listing=coercion_missing,
)
