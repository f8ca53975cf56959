"""The supervision dashboard (监督看板, 322号 §8, §12): reads only, scoped by court.

``dashboard_data(user=..., court=...)`` is the single entry point used by the page,
the REST endpoint, the exports and the benchmark. It costs a constant number of
queries whatever the size of the province:

* clock counts per rule and per court, breach rates, alerts waiting to be
  acknowledged and the 30-day trend come from the counters ``CourtRuleStat`` /
  ``CourtAlertDay`` that each court's scan refreshes (``supervision.services.
  stats``) — a few hundred rows summed with one grouped query each;
* the case lists (most overdue, funds held past their limits, control measures
  expiring) are live: one ``LATERAL`` probe per court (and rule) on the partial
  indexes of running clocks, each stopping after ``LIST_SIZE`` rows, then one
  query for the details (``supervision.selectors.clocks``);
* unidentified receipts are live: one aggregate on the receipt queue index.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Min, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.calendar import local_date
from core.models import Court, User
from core.selectors import court_scope_q
from custody_funds.models import Receipt
from dualcheck.selectors import clock_rule_ids
from supervision.models import CourtAlertDay, CourtRuleStat
from supervision.selectors.clocks import clock_row, clocks_by_ids, running_clock_ids
from supervision.selectors.scope import Scope, iso, rate, scope_for

TREND_DAYS = 30
FUNDS_RULES = ("FUNDS_NOTICE", "FUNDS_PAYMENT")
CONTROL_RULE = "CONTROL_EXPIRY"

COUNTERS = (
    "open",
    "due_soon",
    "overdue",
    "paused",
    "due_30",
    "provisional",
    "met",
    "breached",
    "waived",
    "alerts_open",
    "alerts_unacknowledged",
)


def _sums() -> dict[str, Sum]:
    return {name: Sum(name) for name in COUNTERS}


def _counters(row: dict | None) -> dict[str, Any]:
    row = row or {}
    values: dict[str, Any] = {name: int(row.get(name) or 0) for name in COUNTERS}
    values["breach_rate"] = rate(values["breached"], values["met"] + values["breached"])
    return values


def provisional_clock_count(user: User) -> int:
    """Running clocks of the user's courts whose due date rests on the predicted
    calendar (暂定), from the scan's counters: one small aggregate."""
    return CourtRuleStat.objects.filter(court_scope_q(user)).aggregate(n=Sum("provisional"))["n"] or 0


def unidentified_receipts(court_ids: list[int]) -> QuerySet[Receipt]:
    """不明款: receipts of the courts matched to no case (322号 §21)."""
    return Receipt.objects.filter(court_id__in=court_ids, case__isnull=True)


def _receipts(court_ids: list[int], now: dt.datetime) -> dict[str, Any]:
    """不明款 by age (322号 §21: no receipt may stay unmatched to a case)."""
    edges = [(0, 7), (8, 30), (31, 90), (91, None)]
    labels = [_("7日以内"), _("8至30日"), _("31至90日"), _("90日以上")]
    aggregates: dict[str, Any] = {"n": Count("pk"), "total": Sum("amount"), "oldest": Min("arrived_at")}
    for index, (low, high) in enumerate(edges):
        q = Q(arrived_at__lte=now - dt.timedelta(days=low)) if low else Q()
        if high is not None:
            q &= Q(arrived_at__gt=now - dt.timedelta(days=high + 1))
        aggregates[f"n{index}"] = Count("pk", filter=q)
        aggregates[f"a{index}"] = Sum("amount", filter=q)
    totals = unidentified_receipts(court_ids).aggregate(**aggregates)
    buckets = [
        {
            "key": f"{low}-{high if high is not None else ''}",
            "label": labels[index],
            "min_days": low,
            "max_days": high,
            "count": totals[f"n{index}"] or 0,
            "amount": f"{totals[f'a{index}'] or Decimal(0):.2f}",
        }
        for index, (low, high) in enumerate(edges)
    ]
    oldest = totals["oldest"]
    return {
        "count": totals["n"] or 0,
        "amount": f"{totals['total'] or Decimal(0):.2f}",
        "oldest_days": (local_date(now) - local_date(oldest)).days if oldest else None,
        "buckets": buckets,
    }


def _rule_basis(r: dict[str, Any]) -> str:
    """The rule's citation as every page shows it (lifecycle spec §1.1): the law in
    force, the seed's wording beside a superseded number, 未核实 until confirmed."""
    text = r["rule__basis_in_force"] or r["rule__basis"]
    if r["rule__basis_seed"]:
        text = f"{text}（{_('原文引作')}{r['rule__basis_seed']}）"
    if not r["rule__verified"]:
        text = f"{text}（{_('未核实')}）"
    return text


def _by_rule(ids: list[int]) -> tuple[QuerySet[CourtRuleStat], list[dict[str, Any]]]:
    """The scan's counters of the courts (the hidden rules left out, also for
    counters written before the scan left them out) and their sums per rule."""
    stats = CourtRuleStat.objects.filter(court_id__in=ids).exclude(rule_id__in=clock_rule_ids())
    by_rule = list(
        stats.values(
            "rule_id",
            "rule__code",
            "rule__name_zh",
            "rule__basis",
            "rule__basis_in_force",
            "rule__basis_seed",
            "rule__verified",
        )
        .annotate(**_sums(), computed_min=Min("computed_at"), computed_max=Max("computed_at"))
        .order_by("rule__code")
    )
    return stats, by_rule


def _court_lines(scope: Scope, stats: QuerySet[CourtRuleStat]) -> list[dict[str, Any]]:
    """One line per row of the scope: the court itself, each child with its subtree."""
    by_court = {row["court_id"]: row for row in stats.values("court_id").annotate(**_sums())}
    rollup = scope.rollup()
    lines: dict[int, dict[str, int]] = {row.pk: dict.fromkeys(COUNTERS, 0) for row in scope.rows}
    for court_id, row in by_court.items():
        line = rollup.get(court_id)
        if line is not None:
            for name in COUNTERS:
                lines[line][name] += int(row[name] or 0)
    return [
        {
            "code": row.code,
            "name": row.name,
            "level": row.level,
            "is_self": scope.root is not None and row.pk == scope.root.pk,
            **_counters(lines[row.pk]),
        }
        for row in scope.rows
    ]


def _trend(ids: list[int], now: dt.datetime) -> list[dict[str, Any]]:
    """30-day trend of alerts raised and resolved."""
    today = local_date(now)
    first = today - dt.timedelta(days=TREND_DAYS - 1)
    days = {
        row["day"]: row
        for row in CourtAlertDay.objects.filter(court_id__in=ids, day__gte=first, day__lte=today)
        .values("day")
        # the day's sums over the courts (django-stubs reads them as the model's fields redefined)
        .annotate(raised=Sum("raised"), resolved=Sum("resolved"))  # type: ignore[no-redef]
    }
    trend = []
    for offset in range(TREND_DAYS):
        day = first + dt.timedelta(days=offset)
        row = days.get(day, {})
        trend.append(
            {"date": day.isoformat(), "raised": row.get("raised") or 0, "resolved": row.get("resolved") or 0}
        )
    return trend


def dashboard_data(
    *, user: User, court: Court | str | None = None, now: dt.datetime | None = None
) -> dict[str, Any]:
    """Everything the dashboard shows for ``user`` looking at ``court`` (a code or
    a court; default: their own top court), JSON-serialisable."""
    now = now or timezone.now()
    scope = scope_for(user, court)
    ids = scope.court_ids

    stats, by_rule = _by_rule(ids)
    computed = [r["computed_min"] for r in by_rule if r["computed_min"]]
    computed_latest = [r["computed_max"] for r in by_rule if r["computed_max"]]
    rules = [
        {"code": r["rule__code"], "name": r["rule__name_zh"], "basis": _rule_basis(r), **_counters(r)}
        for r in by_rule
    ]
    totals = _counters({name: sum(r[name] for r in rules) for name in COUNTERS})
    courts = _court_lines(scope, stats)
    trend = _trend(ids, now)

    # Live case lists: one probe per court (and rule), then one query for details.
    overdue_ids = running_clock_ids(ids, "overdue", now)
    funds_ids = running_clock_ids(ids, "overdue", now, rule_codes=FUNDS_RULES)
    expiring_ids = running_clock_ids(ids, "due_30", now, rule_codes=(CONTROL_RULE,))
    # Always one query for the details, even with nothing listed, so the count of
    # queries is the same for every court (the benchmark compares levels).
    clocks = clocks_by_ids([*overdue_ids, *funds_ids, *expiring_ids] or [0])

    def listed(pks: list[int]) -> list[dict]:
        return [clock_row(clocks[pk], now) for pk in pks if pk in clocks]

    by_code = {r["code"]: r for r in rules}
    control = by_code.get(CONTROL_RULE, _counters(None))
    return {
        "court": scope.root_ref(),
        "breadcrumb": scope.breadcrumb_refs(),
        "generated_at": iso(now),
        "computed_at": iso(min(computed)) if computed else None,
        "computed_at_latest": iso(max(computed_latest)) if computed_latest else None,
        "totals": totals,
        "rules": rules,
        "courts": courts,
        "trend": trend,
        "top_overdue": listed(overdue_ids),
        "funds": {
            "notice_overdue": by_code.get("FUNDS_NOTICE", {}).get("overdue", 0),
            "payment_overdue": by_code.get("FUNDS_PAYMENT", {}).get("overdue", 0),
            "cases": listed(funds_ids),
        },
        "unidentified_receipts": _receipts(ids, now),
        "control_expiring": {"count": control["due_30"], "cases": listed(expiring_ids)},
        "alerts_unacknowledged": {
            "count": totals["alerts_unacknowledged"],
            "open": totals["alerts_open"],
            "by_court": [
                {"code": c["code"], "name": c["name"], "count": c["alerts_unacknowledged"]} for c in courts
            ],
        },
    }
