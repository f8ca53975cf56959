"""The supervision dashboard (监督看板, 322号 §8, §12): reads only, scoped by court.

``dashboard_data(user=..., court=...)`` is the single entry point used by the page,
the REST endpoint and the benchmark. It costs a constant number of queries
whatever the size of the province:

* clock counts per rule and per court, breach rates, alerts waiting to be
  acknowledged and the 30-day trend come from the counters ``CourtRuleStat`` /
  ``CourtAlertDay`` that each court's scan refreshes (``supervision.services.
  stats``) — a few hundred rows summed with one grouped query each;
* the case lists (most overdue, funds held past their limits, control measures
  expiring) are live: one ``LATERAL`` probe per court (and rule) on the partial
  indexes of running clocks, each stopping after ``LIST_SIZE`` rows, then one
  query for the details;
* unidentified receipts are live: one aggregate on the receipt queue index.

The court-scoping helpers here (``Scope``) are shared by the screening and
indicator modules.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Max, Min, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.calendar import local_date
from core.exceptions import NotFound, ValidationFailed
from core.exports import Column, Exporter, register
from core.models import Court, Deadline, User
from core.models.clocks import RUNNING
from core.selectors import visible_courts
from dualcheck.selectors import CLOCK_RULES, clock_rule_ids
from supervision.models import CourtAlertDay, CourtRuleStat

LIST_SIZE = 20
# Lists count at most this many rows (``CappedList``).
COUNT_CAP = 10_000
# Deeper than this per court, one sort of the whole matching set is cheaper than
# probing every court for offset + limit rows (measured on 4.4 M clocks over 171
# courts: page 1 42 ms by probes vs ~200 ms by sort; row 500 556 ms vs ~220 ms).
LATERAL_MAX_DEPTH = 200
TREND_DAYS = 30
EXPIRY_HORIZON_DAYS = 30
FUNDS_RULES = ("FUNDS_NOTICE", "FUNDS_PAYMENT")
# Never on a dashboard, a counter, a list or an export of clocks: the 一案双查 report
# clocks. Their subject is an investigation of the court they run at, which that
# court's staff — and its API client — may not learn of (双查规定 §5; DESIGN "一案双查");
# who sees the clue sees them on the clue and the 一案双查 board, and their alerts.
HIDDEN_RULES = CLOCK_RULES
CONTROL_RULE = "CONTROL_EXPIRY"
PERMISSION = "supervision.view_dashboard"

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

# Clock states shown on the dashboard, with the same meaning as the counters of
# ``court_stats_refresh`` (so a count and the list behind it agree).
STATUS_LABELS = {
    "overdue": gettext_lazy("超期未完成"),
    "due_soon": gettext_lazy("临期（已预警）"),
    "open": gettext_lazy("进行中"),
    "paused": gettext_lazy("中止计算"),
    "due_30": gettext_lazy("30日内届满"),
    "provisional": gettext_lazy("暂定（按预测日历）"),
    "warned": gettext_lazy("已预警或超期"),
}


# --- scope ------------------------------------------------------------------------------------


@dataclass
class Scope:
    """What one user sees when looking at ``root`` (a court they can see) or, without
    a court, at everything they can see. ``courts`` are the visible courts of the
    subtree; ``rows`` the lines of per-court tables: the root court itself ("本院")
    and each visible child, whose figures include everything below it."""

    user: User
    root: Court | None
    roots: list[Court]
    courts: list[Court]
    rows: list[Court]
    breadcrumb: list[Court] = field(default_factory=list)
    # Every court the user can see (for court pickers).
    visible: list[Court] = field(default_factory=list)

    @property
    def court_ids(self) -> list[int]:
        return [c.pk for c in self.courts]

    def row_of(self, court: Court) -> Court | None:
        """The line of the per-court tables that ``court``'s figures add up to."""
        if self.root is not None and court.pk == self.root.pk:
            return self.root
        for row in self.rows:
            if row.pk != getattr(self.root, "pk", None) and court.path.startswith(row.path):
                return row
        return None

    def rollup(self) -> dict[int, int]:
        """court id → id of its line in per-court tables."""
        result = {}
        for court in self.courts:
            row = self.row_of(court)
            if row is not None:
                result[court.pk] = row.pk
        return result


_VISIBLE_ATTR = "_supervision_visible_courts"


def scope_for(user: User, court: Court | str | None = None) -> Scope:
    """Resolve the court a supervisor is looking at (two queries: memberships,
    visible courts). A court outside the user's view is 404, never 403."""
    visible = getattr(user, _VISIBLE_ATTR, None)
    if visible is None:
        visible = list(visible_courts(user).only("pk", "code", "name", "level", "path", "depth", "parent_id"))
        # Read once per request, like the memberships it derives from (the user
        # object lives for one request; a task loads the user afresh).
        setattr(user, _VISIBLE_ATTR, visible)
    by_code = {c.code: c for c in visible}
    ids = {c.pk for c in visible}
    code = court.code if isinstance(court, Court) else (court or "").strip()
    if code:
        root = by_code.get(code)
        if root is None:
            raise NotFound(_("法院 %(code)s 不存在或不在您的可见范围内。") % {"code": code})
        roots = [root]
    else:
        roots = [c for c in visible if c.parent_id not in ids]
        root = roots[0] if len(roots) == 1 else None
    subtree = [c for c in visible if any(c.path.startswith(r.path) for r in roots)]
    if root is not None:
        rows = [root] + [c for c in subtree if c.parent_id == root.pk]
        breadcrumb = sorted((c for c in visible if root.path.startswith(c.path)), key=lambda c: c.depth)
    else:
        rows, breadcrumb = roots, []
    return Scope(
        user=user, root=root, roots=roots, courts=subtree, rows=rows, breadcrumb=breadcrumb, visible=visible
    )


def court_param(params: dict) -> str:
    return (params.get("court") or "").strip()


def clean_court(user: User, params: dict) -> dict:
    """Exporter/API filter: an optional visible court code."""
    code = court_param(params)
    if code:
        scope_for(user, code)  # 404 outside the view
    return {"court": code} if code else {}


def _iso(moment: dt.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment is not None else None


def rate(numerator: int | Decimal, denominator: int | Decimal) -> float | None:
    """A ratio rounded to four places, ``None`` when there is nothing to divide."""
    if not denominator:
        return None
    return round(float(numerator) / float(denominator), 4)


# --- running clocks, probed per court ------------------------------------------------------------

_RUNNING_SQL = "d.completed_at IS NULL AND d.status IN ('open', 'breached')"
_STATUS_SQL = {
    "overdue": "d.paused_at IS NULL AND d.due_at < %(now)s",
    "due_soon": "d.paused_at IS NULL AND d.due_at >= %(now)s AND d.warn_at <= %(now)s",
    "open": "d.paused_at IS NULL",
    "paused": "d.paused_at IS NOT NULL",
    "due_30": "d.paused_at IS NULL AND d.due_at >= %(now)s AND d.due_at < %(horizon)s",
    "provisional": "d.provisional",
    "warned": "d.paused_at IS NULL AND d.warn_at <= %(now)s",
}


def _status_q(status: str, now: dt.datetime) -> Q:
    horizon = now + dt.timedelta(days=EXPIRY_HORIZON_DAYS)
    return {
        "overdue": Q(paused_at__isnull=True, due_at__lt=now),
        "due_soon": Q(paused_at__isnull=True, due_at__gte=now, warn_at__lte=now),
        "open": Q(paused_at__isnull=True),
        "paused": Q(paused_at__isnull=False),
        "due_30": Q(paused_at__isnull=True, due_at__gte=now, due_at__lt=horizon),
        "provisional": Q(provisional=True),
        "warned": Q(paused_at__isnull=True, warn_at__lte=now),
    }[status]


def running_clocks(
    court_ids: Sequence[int], status: str, now: dt.datetime, rule_codes: Sequence[str] = ()
) -> QuerySet:
    """The running clocks in ``status`` (ORM form, for counts), the 一案双查 report
    clocks left out (``HIDDEN_RULES``)."""
    qs = Deadline.objects.filter(RUNNING, _status_q(status, now), court_id__in=list(court_ids)).exclude(
        rule_id__in=clock_rule_ids()
    )
    if rule_codes:
        qs = qs.filter(rule__code__in=list(rule_codes))
    return qs


def running_clock_ids(
    court_ids: Sequence[int],
    status: str,
    now: dt.datetime,
    *,
    rule_codes: Sequence[str] = (),
    offset: int = 0,
    limit: int = LIST_SIZE,
) -> list[int]:
    """Ids of running clocks in ``status``, earliest due first, page ``offset:limit``.

    On PostgreSQL one ``LATERAL`` probe per court (and per rule) walks the partial
    index of running clocks — ``deadline_running_due`` (court, due_at) or, with
    rules, ``deadline_running_rule_due`` (court, rule, due_at) — and stops after
    ``offset + limit`` rows, so the cost depends on the number of courts, not of
    clocks. Elsewhere (SQLite, ``make run``) a plain ordered query does the same.
    """
    if status not in _STATUS_SQL:
        raise ValueError(status)
    if not court_ids or limit <= 0:
        return []
    if connection.vendor != "postgresql" or offset + limit > LATERAL_MAX_DEPTH:
        qs = running_clocks(court_ids, status, now, rule_codes).order_by("due_at", "pk")
        return list(qs.values_list("pk", flat=True)[offset : offset + limit])
    rules_join = ""
    rule_where = "AND d.rule_id NOT IN (SELECT id FROM core_deadlinerule WHERE code = ANY(%(hidden)s))"
    if rule_codes:
        rules_join = "CROSS JOIN (SELECT id FROM core_deadlinerule WHERE code = ANY(%(codes)s)) r"
        rule_where += " AND d.rule_id = r.id"
    sql = f"""
        SELECT x.id FROM unnest(%(courts)s::bigint[]) AS ct(id)
        {rules_join}
        CROSS JOIN LATERAL (
            SELECT d.id, d.due_at FROM core_deadline d
            WHERE d.court_id = ct.id {rule_where} AND {_RUNNING_SQL} AND {_STATUS_SQL[status]}
            ORDER BY d.due_at
            LIMIT %(depth)s
        ) x
        ORDER BY x.due_at, x.id
        OFFSET %(offset)s LIMIT %(limit)s
    """  # noqa: S608 — fragments are constants of this module; values are bound
    params = {
        "courts": list(court_ids),
        "codes": list(rule_codes),
        "hidden": list(HIDDEN_RULES),
        "now": now,
        "horizon": now + dt.timedelta(days=EXPIRY_HORIZON_DAYS),
        "depth": offset + limit,
        "offset": offset,
        "limit": limit,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def clocks_by_ids(ids: Iterable[int]) -> dict[int, Deadline]:
    ids = list(ids)
    if not ids:
        return {}
    qs = Deadline.objects.filter(pk__in=ids).select_related(
        "rule", "court", "case", "case__handler", "responsible"
    )
    return {d.pk: d for d in qs}


def clock_row(d: Deadline, now: dt.datetime) -> dict[str, Any]:
    """One clock as a JSON-friendly row of the case lists."""
    due_date = local_date(d.due_at)
    overdue = d.paused_at is None and d.due_at < now
    return {
        "deadline": d.pk,
        "case_id": d.case_id,
        "case_number": d.case.case_number if d.case_id else "",
        "subject": d.subject_label,
        "court": d.court.code,
        "court_name": d.court.name,
        "rule": d.rule.code,
        "rule_name": d.rule.name_zh,
        "handler": str(d.responsible or (d.case.handler if d.case_id and d.case.handler_id else "") or ""),
        "started_at": _iso(d.started_at),
        "due_at": _iso(d.due_at),
        "due_date": due_date.isoformat(),
        "days_overdue": max(0, (local_date(now) - due_date).days) if overdue else 0,
        "days_left": (due_date - local_date(now)).days if not overdue else 0,
        "status": d.status,
        "paused": d.paused_at is not None,
        "provisional": d.provisional,
        "url": reverse("enforcement:case-detail", args=[d.case_id]) if d.case_id else "",
    }


class CappedList:
    """A countable, sliceable list for Django's ``Paginator`` whose count stops at
    ``COUNT_CAP``: counting every overdue clock of a province costs seconds, and
    nobody pages through more than the first ten thousand rows — they drill into a
    court instead. ``capped`` says the real number is larger; ``exact_count`` (for
    exports, in a task) counts everything."""

    def _count_qs(self) -> QuerySet:
        raise NotImplementedError

    _count: int | None = None
    capped = False

    def count(self) -> int:
        if self._count is None:
            n = self._count_qs()[: COUNT_CAP + 1].count()
            self.capped = n > COUNT_CAP
            self._count = min(n, COUNT_CAP)
        return self._count

    def exact_count(self) -> int:
        return self._count_qs().count()

    def __len__(self) -> int:
        return self.count()


class RunningClockList(CappedList):
    """Running clocks of a scope in one state, as a lazily sliced sequence (so
    Django's ``Paginator`` asks only for the page it shows)."""

    def __init__(
        self, court_ids: Sequence[int], status: str, now: dt.datetime, rule_codes: Sequence[str] = ()
    ):
        self.court_ids, self.status, self.now, self.rule_codes = (
            list(court_ids),
            status,
            now,
            tuple(rule_codes),
        )

    def _count_qs(self) -> QuerySet:
        return running_clocks(self.court_ids, self.status, self.now, self.rule_codes)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            rows = self[index : index + 1]
            if not rows:
                raise IndexError(index)
            return rows[0]
        start = index.start or 0
        stop = index.stop if index.stop is not None else start + LIST_SIZE
        ids = running_clock_ids(
            self.court_ids,
            self.status,
            self.now,
            rule_codes=self.rule_codes,
            offset=start,
            limit=stop - start,
        )
        clocks = clocks_by_ids(ids)
        return [clock_row(clocks[pk], self.now) for pk in ids if pk in clocks]

    def iter_all(self, chunk: int = 1000) -> Iterable[dict]:
        """Every row, in order (exports): keyset over (due_at, id) in chunks."""
        qs = running_clocks(self.court_ids, self.status, self.now, self.rule_codes).select_related(
            "rule", "court", "case", "case__handler", "responsible"
        )
        for d in qs.order_by("due_at", "pk").iterator(chunk_size=chunk):
            yield clock_row(d, self.now)


# --- the dashboard ---------------------------------------------------------------------------------


def _sums() -> dict:
    return {name: Sum(name) for name in COUNTERS}


def _counters(row: dict | None) -> dict[str, Any]:
    row = row or {}
    values = {name: int(row.get(name) or 0) for name in COUNTERS}
    values["breach_rate"] = rate(values["breached"], values["met"] + values["breached"])
    return values


def _receipts(court_ids: list[int], now: dt.datetime) -> dict[str, Any]:
    """不明款 by age (322号 §21: no receipt may stay unmatched to a case)."""
    from custody_funds.models import Receipt

    edges = [(0, 7), (8, 30), (31, 90), (91, None)]
    labels = [_("7日以内"), _("8至30日"), _("31至90日"), _("90日以上")]
    aggregates: dict[str, Any] = {"n": Count("pk"), "total": Sum("amount"), "oldest": Min("arrived_at")}
    for index, (low, high) in enumerate(edges):
        q = Q(arrived_at__lte=now - dt.timedelta(days=low)) if low else Q()
        if high is not None:
            q &= Q(arrived_at__gt=now - dt.timedelta(days=high + 1))
        aggregates[f"n{index}"] = Count("pk", filter=q)
        aggregates[f"a{index}"] = Sum("amount", filter=q)
    totals = Receipt.objects.filter(court_id__in=court_ids, case__isnull=True).aggregate(**aggregates)
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


def dashboard_data(*, user: User, court: Court | str | None = None, now: dt.datetime | None = None) -> dict:
    """Everything the dashboard shows for ``user`` looking at ``court`` (a code or
    a court; default: their own top court), JSON-serialisable."""
    now = now or timezone.now()
    scope = scope_for(user, court)
    ids = scope.court_ids

    # Counters per rule and per court (pre-aggregated by the scan, which leaves the
    # hidden rules out; excluded here too for counters written before it did).
    stats = CourtRuleStat.objects.filter(court_id__in=ids).exclude(rule_id__in=clock_rule_ids())
    by_rule = list(
        stats.values("rule_id", "rule__code", "rule__name_zh", "rule__basis")
        .annotate(**_sums(), computed_min=Min("computed_at"), computed_max=Max("computed_at"))
        .order_by("rule__code")
    )
    by_court = {row["court_id"]: row for row in stats.values("court_id").annotate(**_sums())}

    computed = [r["computed_min"] for r in by_rule if r["computed_min"]]
    computed_latest = [r["computed_max"] for r in by_rule if r["computed_max"]]
    rules = [
        {"code": r["rule__code"], "name": r["rule__name_zh"], "basis": r["rule__basis"], **_counters(r)}
        for r in by_rule
    ]
    totals = _counters({name: sum(r[name] for r in rules) for name in COUNTERS})

    rollup = scope.rollup()
    lines: dict[int, dict[str, int]] = {row.pk: dict.fromkeys(COUNTERS, 0) for row in scope.rows}
    for court_id, row in by_court.items():
        line = rollup.get(court_id)
        if line is not None:
            for name in COUNTERS:
                lines[line][name] += int(row[name] or 0)
    courts = [
        {
            "code": row.code,
            "name": row.name,
            "level": row.level,
            "is_self": scope.root is not None and row.pk == scope.root.pk,
            **_counters(lines[row.pk]),
        }
        for row in scope.rows
    ]

    # 30-day trend of alerts raised and resolved.
    today = local_date(now)
    first = today - dt.timedelta(days=TREND_DAYS - 1)
    days = {
        row["day"]: row
        for row in CourtAlertDay.objects.filter(court_id__in=ids, day__gte=first, day__lte=today)
        .values("day")
        .annotate(raised=Sum("raised"), resolved=Sum("resolved"))
    }
    trend = []
    for offset in range(TREND_DAYS):
        day = first + dt.timedelta(days=offset)
        row = days.get(day, {})
        trend.append(
            {"date": day.isoformat(), "raised": row.get("raised") or 0, "resolved": row.get("resolved") or 0}
        )

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
        "court": (
            {"code": scope.root.code, "name": scope.root.name, "level": scope.root.level}
            if scope.root
            else None
        ),
        "breadcrumb": [{"code": c.code, "name": c.name} for c in scope.breadcrumb],
        "generated_at": _iso(now),
        "computed_at": _iso(min(computed)) if computed else None,
        "computed_at_latest": _iso(max(computed_latest)) if computed_latest else None,
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


# --- exports of the dashboard tables --------------------------------------------------------------


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


def _describe(params: dict) -> str:
    return params.get("court", "")


def _rule_rows(user: User, params: dict) -> Iterable[list]:
    data = dashboard_data(user=user, court=court_param(params))
    for r in data["rules"]:
        yield [r["code"], r["name"], *_counter_cells(r), r["basis"]]


def _court_rows(user: User, params: dict) -> Iterable[list]:
    data = dashboard_data(user=user, court=court_param(params))
    for c in data["courts"]:
        name = f"{c['name']}（{_('本院')}）" if c["is_self"] else c["name"]
        yield [c["code"], name, *_counter_cells(c)]


def _trend_rows(user: User, params: dict) -> Iterable[list]:
    data = dashboard_data(user=user, court=court_param(params))
    for row in data["trend"]:
        yield [dt.date.fromisoformat(row["date"]), row["raised"], row["resolved"]]


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


def _clock_exporter(key: str, title, status: str, rule_codes: Sequence[str] = ()) -> Exporter:
    def rows(user: User, params: dict) -> Iterable[list]:
        scope = scope_for(user, court_param(params))
        for row in RunningClockList(scope.court_ids, status, timezone.now(), rule_codes).iter_all():
            yield clock_cells(row)

    def count(user: User, params: dict) -> int:
        scope = scope_for(user, court_param(params))
        return RunningClockList(scope.court_ids, status, timezone.now(), rule_codes).exact_count()

    return register(
        Exporter(
            key=key,
            title=title,
            columns=_CLOCK_COLUMNS,
            rows=rows,
            count=count,
            clean=clean_court,
            permission=PERMISSION,
            describe=_describe,
        )
    )


def _receipt_rows(user: User, params: dict) -> Iterable[list]:
    from custody_funds.models import Receipt

    scope = scope_for(user, court_param(params))
    today = local_date(timezone.now())
    qs = (
        Receipt.objects.filter(court_id__in=scope.court_ids, case__isnull=True)
        .select_related("court")
        .order_by("arrived_at", "pk")
    )
    for r in qs.iterator(chunk_size=1000):
        yield [
            r.court.name,
            r.reference,
            r.amount,
            r.arrived_at,
            (today - local_date(r.arrived_at)).days,
            r.payer,
        ]


def _receipt_count(user: User, params: dict) -> int:
    from custody_funds.models import Receipt

    scope = scope_for(user, court_param(params))
    return Receipt.objects.filter(court_id__in=scope.court_ids, case__isnull=True).count()


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
        permission=PERMISSION,
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
        permission=PERMISSION,
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
        permission=PERMISSION,
        describe=_describe,
    )
)
_clock_exporter("supervision.dashboard.overdue", gettext_lazy("超期未完成的期限"), "overdue")
_clock_exporter("supervision.dashboard.funds", gettext_lazy("案款超期未发放"), "overdue", FUNDS_RULES)
_clock_exporter(
    "supervision.dashboard.control_expiring", gettext_lazy("30日内到期的控制措施"), "due_30", (CONTROL_RULE,)
)
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
        permission=PERMISSION,
        describe=_describe,
    )
)


def clock_list_params(user: User, params: dict) -> dict:
    """Filters of the per-rule case list (``?rule=&status=&court=``)."""
    cleaned = clean_court(user, params)
    status = (params.get("status") or "overdue").strip()
    if status not in STATUS_LABELS:
        raise ValidationFailed.for_field("status", _("状态无效。"))
    cleaned["status"] = status
    rule = (params.get("rule") or "").strip()
    if rule:
        from core.models import DeadlineRule

        if not DeadlineRule.objects.filter(code=rule).exists():
            raise ValidationFailed.for_field("rule", _("没有该期限规则。"))
        cleaned["rule"] = rule
    return cleaned


def _clock_list_rows(user: User, params: dict) -> Iterable[list]:
    scope = scope_for(user, court_param(params))
    rules = (params["rule"],) if params.get("rule") else ()
    for row in RunningClockList(scope.court_ids, params["status"], timezone.now(), rules).iter_all():
        yield clock_cells(row)


def _clock_list_count(user: User, params: dict) -> int:
    scope = scope_for(user, court_param(params))
    rules = (params["rule"],) if params.get("rule") else ()
    return RunningClockList(scope.court_ids, params["status"], timezone.now(), rules).exact_count()


register(
    Exporter(
        key="supervision.clocks",
        title=gettext_lazy("期限清单"),
        columns=_CLOCK_COLUMNS,
        rows=_clock_list_rows,
        count=_clock_list_count,
        clean=clock_list_params,
        permission=PERMISSION,
        describe=lambda p: " ".join(
            v for v in (p.get("court", ""), p.get("rule", ""), str(STATUS_LABELS[p["status"]])) if v
        ),
    )
)
