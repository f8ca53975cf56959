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
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Count, Min, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.calendar import start_of_day
from core.models import Deadline, DeadlineStatus, User
from custody_funds.models import Disbursement, DisbursementStatus
from dualcheck.selectors import clock_rule_ids
from enforcement.models import Case, CaseStatus, ClosureType
from supervision.filters import period
from supervision.models import CourtRuleStat, Petition
from supervision.selectors.scope import Scope, court_param, rate, scope_for

FORMULAS = [
    {
        "key": "within_limit_rate",
        "name": gettext_lazy("法定期限内结案率"),
        "formula": gettext_lazy(
            "期限内结案数 ÷ 结案数 × 100%（期限内：执行期限在届满前完成，经批准延长或中止的按调整后的期限计）"
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
            "按期完成的期限数 ÷ （按期完成 + 超期）的期限数 × 100%（统计期间届满的期限；免除的、待核实的不计，待核实的期限数另列）"
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
    "clocks_pending",
)
_AMOUNTS = ("claim_amount", "paid_amount")


def petition_model() -> type[Petition] | None:
    """The petition model; ``None`` where petitions are not kept (a test stands
    in for such a deployment), and the 信访办结率 shows "—" with the reason."""
    return Petition


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


Adder = Any  # (court id, counter name, value) -> None


def _case_counts(ids: list[int], start: dt.date | None, end: dt.date | None, add: Adder) -> None:
    """Cases closed in the period, of them 终本 and within CASE_DURATION; the claims
    and what was paid out on them."""
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


def _petition_counts(
    petition: type[Petition], ids: list[int], start: dt.date | None, end: dt.date | None, add: Adder
) -> None:
    received = petition.objects.filter(court_id__in=ids).filter(_range_q("received_at", start, end))
    for row in received.values("court_id").annotate(
        n=Count("pk"), concluded=Count("pk", filter=Q(concluded_at__isnull=False))
    ):
        add(row["court_id"], "petitions_received", row["n"])
        add(row["court_id"], "petitions_concluded", row["concluded"])


def _clock_counts(
    ids: list[int], start: dt.date | None, end: dt.date | None, add: Adder
) -> tuple[list[dict[str, Any]], str, dt.datetime | None]:
    """Clock compliance: live over clocks due in the period, or the scan's counters.
    Returns the per-rule rows, the source and when the counters were computed.

    待核实 clocks (a backdated stop awaiting the bureau head, 322号 §12) are in
    neither term of the rate; their count is shown beside it, always live."""
    pending = Deadline.objects.filter(
        court_id__in=ids, status=DeadlineStatus.PENDING_VERIFICATION, claimed_at__isnull=False
    ).exclude(rule_id__in=clock_rule_ids())
    for row in pending.filter(_range_q("due_at", start, end)).values("court_id").annotate(n=Count("pk")):
        add(row["court_id"], "clocks_pending", row["n"])
    if start or end:
        clocks: QuerySet[Deadline] = (
            Deadline.objects.filter(
                court_id__in=ids, status__in=[DeadlineStatus.MET, DeadlineStatus.BREACHED]
            )
            .exclude(rule_id__in=clock_rule_ids())  # the 一案双查 clocks: clocks.HIDDEN_RULES
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
        return by_rule, "live", None
    stats = CourtRuleStat.objects.filter(court_id__in=ids).exclude(rule_id__in=clock_rule_ids())
    by_rule = list(
        stats.values("rule__code", "rule__name_zh")
        # sums over the courts (django-stubs reads them as the model's fields redefined)
        .annotate(met=Sum("met"), breached=Sum("breached"), computed=Min("computed_at"))  # type: ignore[no-redef]
        .order_by("rule__code")
    )
    for row in stats.values("court_id").annotate(met=Sum("met"), breached=Sum("breached")):  # type: ignore[no-redef]
        add(row["court_id"], "clocks_met", row["met"])
        add(row["court_id"], "clocks_breached", row["breached"])
    computed_at = min((r["computed"] for r in by_rule if r["computed"]), default=None)
    return by_rule, "stats", computed_at


def _lines(
    scope: Scope, per_court: dict[int, dict[str, Any]]
) -> tuple[dict[int, dict[str, Any]], dict[str, Any]]:
    """The scope's rows (each child with its subtree) and their total."""
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
    return lines, total


def indicators_data(
    *, user: User, params: Mapping[str, Any] | None = None, now: dt.datetime | None = None
) -> dict[str, Any]:
    """The indicators of ``user``'s view (optionally ``params['court']``'s subtree and
    the period ``params['from']``–``params['to']``), JSON-serialisable."""
    params = params or {}
    now = now or timezone.now()
    scope: Scope = scope_for(user, court_param(params))
    ids = scope.court_ids
    start, end = period(params)
    per_court: dict[int, dict[str, Any]] = {}

    def add(court_id: int, name: str, value: Any) -> None:
        per_court.setdefault(court_id, _blank())[name] += value or 0

    _case_counts(ids, start, end, add)
    petition = petition_model()
    if petition is not None:
        _petition_counts(petition, ids, start, end, add)
    by_rule, source, computed_at = _clock_counts(ids, start, end, add)
    lines, total = _lines(scope, per_court)
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
        "court": scope.root_ref(),
        "breadcrumb": scope.breadcrumb_refs(),
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
