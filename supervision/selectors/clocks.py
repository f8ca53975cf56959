"""Running clocks of a scope, per state, as the supervisory pages list them: the
一案双查 report clocks left out (``HIDDEN_RULES``), probed court by court on the
partial indexes of running clocks (``running_clock_ids``), and as countable,
sliceable lists for Django's ``Paginator`` whose count stops at ``COUNT_CAP``."""

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy

from core.calendar import local_date
from core.models import Deadline, DeadlineRule
from core.models.clocks import RUNNING
from dualcheck.selectors import CLOCK_RULES, clock_rule_ids
from supervision.selectors.scope import iso

LIST_SIZE = 20
# Lists count at most this many rows (``CappedList``).
COUNT_CAP = 10_000
# Deeper than this per court, one sort of the whole matching set is cheaper than
# probing every court for offset + limit rows (measured on 4.4 M clocks over 171
# courts: page 1 42 ms by probes vs ~200 ms by sort; row 500 556 ms vs ~220 ms).
LATERAL_MAX_DEPTH = 200
EXPIRY_HORIZON_DAYS = 30
# Never on a dashboard, a counter, a list or an export of clocks: the 一案双查 report
# clocks. Their subject is an investigation of the court they run at, which that
# court's staff — and its API client — may not learn of (双查规定 §5; DESIGN "一案双查");
# who sees the clue sees them on the clue and the 一案双查 board, and their alerts.
HIDDEN_RULES = CLOCK_RULES

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
    params: dict[str, Any] = {
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


def deadline_rule_get(code: str) -> DeadlineRule | None:
    """The catalogue row of a rule code (the clock list's heading), if any."""
    return DeadlineRule.objects.filter(code=code).first()


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
    case = d.case  # select_related by the callers (None: a clock about no case)
    return {
        "deadline": d.pk,
        "case_id": d.case_id,
        "case_number": case.case_number if case is not None else "",
        "subject": d.subject_label,
        "court": d.court.code,
        "court_name": d.court.name,
        "rule": d.rule.code,
        "rule_name": d.rule.name_zh,
        "handler": str(d.responsible or (case.handler if case is not None and case.handler_id else "") or ""),
        "started_at": iso(d.started_at),
        "due_at": iso(d.due_at),
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
    ) -> None:
        self.court_ids, self.status, self.now, self.rule_codes = (
            list(court_ids),
            status,
            now,
            tuple(rule_codes),
        )

    def _count_qs(self) -> QuerySet:
        return running_clocks(self.court_ids, self.status, self.now, self.rule_codes)

    def __getitem__(self, index: Any) -> Any:
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


class MappedList(CappedList):
    """A queryset whose items are turned into rows only for the slice asked for.
    ``count_qs`` (default: the queryset) is what gets counted — without the
    per-row annotations the page needs."""

    def __init__(self, qs: QuerySet, to_row: Callable[[Any], dict], count_qs: QuerySet | None = None) -> None:
        self.qs, self.to_row = qs, to_row
        self.count_source = count_qs if count_qs is not None else qs

    def _count_qs(self) -> QuerySet:
        return self.count_source.order_by()

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self.to_row(obj) for obj in self.qs[index]]
        return self.to_row(self.qs[index])

    def iter_all(self, chunk: int = 1000) -> Iterable[dict]:
        for obj in self.qs.iterator(chunk_size=chunk):
            yield self.to_row(obj)
