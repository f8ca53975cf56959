"""Quality indicators (质效指标) per court of a supervisor's subtree, each with its
formula written out (the page shows ``FORMULAS``).

Rows are the court looked at ("本院": its own cases) and each visible child court
with everything below it, plus the total. The period (``from``/``to``, inclusive
local dates) selects cases by 结案 date, petitions by receipt date and clocks by
due date; without a period the clock compliance comes from the scan's counters
(``CourtRuleStat``) and the rest covers all time. A fixed number of grouped
queries whatever the number of courts.
"""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Count, Min, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.calendar import start_of_day
from core.exceptions import ValidationFailed
from core.exports import Column, Exporter, register
from core.models import Deadline, DeadlineStatus, User
from dualcheck.selectors import clock_rule_ids
from supervision.dashboards import PERMISSION, Scope, clean_court, court_param, rate, scope_for
from supervision.models import CourtRuleStat

FORMULAS = [
    {
        "key": "within_limit_rate",
        "name": gettext_lazy("法定期限内结案率"),
        "formula": gettext_lazy(
            "期限内结案数 ÷ 结案数 × 100%（期限内：执行期限 CASE_DURATION 在届满前完成，经批准延长或中止的按调整后的期限计）"
        ),
        "basis": gettext_lazy("审限规定 第5条"),
    },
    {
        "key": "terminated_rate",
        "name": gettext_lazy("终本率"),
        "formula": gettext_lazy("以“终结本次执行程序”方式结案数 ÷ 结案数 × 100%"),
        "basis": gettext_lazy("终本规定"),
    },
    {
        "key": "delivered_rate",
        "name": gettext_lazy("执行到位率"),
        "formula": gettext_lazy(
            "已向申请执行人发放的案款金额 ÷ 申请执行标的金额 × 100%（统计期间结案的案件；案款以案款账户已发放记录为准）"
        ),
        "basis": gettext_lazy("322号 第19–22条"),
    },
    {
        "key": "petition_rate",
        "name": gettext_lazy("信访办结率"),
        "formula": gettext_lazy("已办结信访件数 ÷ 收到信访件数 × 100%（统计期间收到的执行信访）"),
        "basis": gettext_lazy("322号 第30条"),
    },
    {
        "key": "compliance_rate",
        "name": gettext_lazy("期限遵守率（按规则）"),
        "formula": gettext_lazy(
            "按期完成的期限数 ÷ （按期完成 + 超期）的期限数 × 100%（统计期间届满的期限；免除的不计）"
        ),
        "basis": gettext_lazy("322号 第8条、第12条"),
    },
]

_COUNTS = (
    "closed",
    "within_limit",
    "terminated",
    "petitions_received",
    "petitions_concluded",
    "clocks_met",
    "clocks_breached",
)
_AMOUNTS = ("claim_amount", "paid_amount")


def petition_model():
    """The petition model (built in the same issue); ``None`` while it is absent,
    and the 信访办结率 shows "—" with the reason."""
    try:
        from supervision.models.petitions import Petition
    except ImportError:
        return None
    return Petition


def _date(params: dict, name: str) -> dt.date | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ValidationFailed.for_field(name, _("日期格式应为 YYYY-MM-DD。")) from None


def indicator_params(user: User, params: dict) -> dict:
    """Validated filters: court (visible), from/to (dates, from ≤ to)."""
    cleaned = clean_court(user, params)
    start, end = _date(params, "from"), _date(params, "to")
    if start and end and start > end:
        raise ValidationFailed.for_field("from", _("开始日期不能晚于结束日期。"))
    if start:
        cleaned["from"] = start.isoformat()
    if end:
        cleaned["to"] = end.isoformat()
    return cleaned


def _range_q(field: str, start: dt.date | None, end: dt.date | None) -> Q:
    q = Q()
    if start:
        q &= Q(**{f"{field}__gte": start_of_day(start)})
    if end:
        q &= Q(**{f"{field}__lt": start_of_day(end + dt.timedelta(days=1))})
    return q


def _rates(values: dict[str, Any], petitions: bool) -> dict[str, Any]:
    return {
        **values,
        "claim_amount": f"{values['claim_amount']:.2f}",
        "paid_amount": f"{values['paid_amount']:.2f}",
        "within_limit_rate": rate(values["within_limit"], values["closed"]),
        "terminated_rate": rate(values["terminated"], values["closed"]),
        "delivered_rate": rate(values["paid_amount"], values["claim_amount"]),
        "petition_rate": rate(values["petitions_concluded"], values["petitions_received"])
        if petitions
        else None,
        "compliance_rate": rate(values["clocks_met"], values["clocks_met"] + values["clocks_breached"]),
    }


def _blank() -> dict[str, Any]:
    return {**dict.fromkeys(_COUNTS, 0), **{name: Decimal(0) for name in _AMOUNTS}}


def indicators_data(*, user: User, params: dict | None = None, now: dt.datetime | None = None) -> dict:
    """The indicators of ``user``'s view (optionally ``params['court']``'s subtree and
    the period ``params['from']``–``params['to']``), JSON-serialisable."""
    from custody_funds.models import Disbursement, DisbursementStatus
    from enforcement.models import Case, CaseStatus, ClosureType

    params = params or {}
    now = now or timezone.now()
    scope: Scope = scope_for(user, court_param(params))
    ids = scope.court_ids
    start, end = _date(params, "from"), _date(params, "to")
    if start and end and start > end:
        raise ValidationFailed.for_field("from", _("开始日期不能晚于结束日期。"))
    per_court: dict[int, dict[str, Any]] = {}

    def add(court_id: int, name: str, value) -> None:
        per_court.setdefault(court_id, _blank())[name] += value or 0

    closed = Case.objects.filter(court_id__in=ids, status=CaseStatus.CLOSED).filter(
        _range_q("closed_at", start, end)
    )
    for row in closed.values("court_id").annotate(
        n=Count("pk"),
        terminated=Count("pk", filter=Q(closure_type=ClosureType.TERMINATED_THIS_ROUND)),
        claim=Sum("claim_amount"),
    ):
        add(row["court_id"], "closed", row["n"])
        add(row["court_id"], "terminated", row["terminated"])
        add(row["court_id"], "claim_amount", row["claim"])

    within = Deadline.objects.filter(
        court_id__in=ids,
        rule__code="CASE_DURATION",
        status=DeadlineStatus.MET,
        case__status=CaseStatus.CLOSED,
    ).filter(_range_q("case__closed_at", start, end))
    for row in within.values("court_id").annotate(n=Count("case_id", distinct=True)):
        add(row["court_id"], "within_limit", row["n"])

    paid = Disbursement.objects.filter(
        case__court_id__in=ids, status=DisbursementStatus.PAID, case__status=CaseStatus.CLOSED
    ).filter(_range_q("case__closed_at", start, end))
    for row in paid.values("case__court_id").annotate(total=Sum("amount")):
        add(row["case__court_id"], "paid_amount", row["total"])

    petition = petition_model()
    if petition is not None:
        received = petition.objects.filter(court_id__in=ids).filter(_range_q("received_at", start, end))
        for row in received.values("court_id").annotate(
            n=Count("pk"), concluded=Count("pk", filter=Q(concluded_at__isnull=False))
        ):
            add(row["court_id"], "petitions_received", row["n"])
            add(row["court_id"], "petitions_concluded", row["concluded"])

    # Clock compliance: live over clocks due in the period, or the scan's counters.
    computed_at = None
    if start or end:
        clocks = (
            Deadline.objects.filter(
                court_id__in=ids, status__in=[DeadlineStatus.MET, DeadlineStatus.BREACHED]
            )
            .exclude(rule_id__in=clock_rule_ids())  # the 一案双查 clocks: dashboards.HIDDEN_RULES
            .filter(_range_q("due_at", start, end))
        )
        met_q, breached_q = Q(status=DeadlineStatus.MET), Q(status=DeadlineStatus.BREACHED)
        by_rule = list(
            clocks.values("rule__code", "rule__name_zh")
            .annotate(met=Count("pk", filter=met_q), breached=Count("pk", filter=breached_q))
            .order_by("rule__code")
        )
        for row in clocks.values("court_id").annotate(
            met=Count("pk", filter=met_q), breached=Count("pk", filter=breached_q)
        ):
            add(row["court_id"], "clocks_met", row["met"])
            add(row["court_id"], "clocks_breached", row["breached"])
        source = "live"
    else:
        stats = CourtRuleStat.objects.filter(court_id__in=ids).exclude(rule_id__in=clock_rule_ids())
        by_rule = list(
            stats.values("rule__code", "rule__name_zh")
            .annotate(met=Sum("met"), breached=Sum("breached"), computed=Min("computed_at"))
            .order_by("rule__code")
        )
        for row in stats.values("court_id").annotate(met=Sum("met"), breached=Sum("breached")):
            add(row["court_id"], "clocks_met", row["met"])
            add(row["court_id"], "clocks_breached", row["breached"])
        computed_at = min((r["computed"] for r in by_rule if r["computed"]), default=None)
        source = "stats"

    rollup = scope.rollup()
    lines = {row.pk: _blank() for row in scope.rows}
    for court_id, values in per_court.items():
        line = rollup.get(court_id)
        if line is not None:
            for name, value in values.items():
                lines[line][name] += value
    total = _blank()
    for values in lines.values():
        for name, value in values.items():
            total[name] += value
    has_petitions = petition is not None
    rules = [
        {
            "code": r["rule__code"],
            "name": r["rule__name_zh"],
            "met": int(r["met"] or 0),
            "breached": int(r["breached"] or 0),
            "rate": rate(r["met"] or 0, (r["met"] or 0) + (r["breached"] or 0)),
        }
        for r in by_rule
        if (r["met"] or 0) + (r["breached"] or 0)
    ]
    return {
        "court": (
            {"code": scope.root.code, "name": scope.root.name, "level": scope.root.level}
            if scope.root
            else None
        ),
        "breadcrumb": [{"code": c.code, "name": c.name} for c in scope.breadcrumb],
        "period": {"from": start.isoformat() if start else None, "to": end.isoformat() if end else None},
        "generated_at": timezone.localtime(now).isoformat(),
        "clock_source": source,
        "computed_at": timezone.localtime(computed_at).isoformat() if computed_at else None,
        "petitions_available": has_petitions,
        "petitions_note": None if has_petitions else _("信访模块尚未启用，信访办结率暂无法计算。"),
        "formulas": [{k: str(v) for k, v in f.items()} for f in FORMULAS],
        "courts": [
            {
                "code": row.code,
                "name": row.name,
                "level": row.level,
                "is_self": scope.root is not None and row.pk == scope.root.pk,
                **_rates(lines[row.pk], has_petitions),
            }
            for row in scope.rows
        ],
        "total": _rates(total, has_petitions),
        "rules": rules,
    }


# --- exports ------------------------------------------------------------------------------------------


def _describe(params: dict) -> str:
    period = ""
    if params.get("from") or params.get("to"):
        period = f"{params.get('from', '')}—{params.get('to', '')}"
    return " ".join(p for p in (params.get("court", ""), period) if p)


def _indicator_rows(user: User, params: dict) -> Iterable[list]:
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


def _rule_rows(user: User, params: dict) -> Iterable[list]:
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
        permission=PERMISSION,
        describe=_describe,
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
        rows=_rule_rows,
        clean=indicator_params,
        permission=PERMISSION,
        describe=_describe,
    )
)
