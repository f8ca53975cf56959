"""Clocks in bulk: recompute the running clocks' schedules after a calendar or rule
change (chunked, memoised, one ``UPDATE`` a chunk), and mark the overdue ones
breached (the supervision scan)."""

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.db.models import F, Lookup, Q, QuerySet
from django.utils import timezone

from core.calendar import WorkingCalendar, local_date, start_of_day
from core.exceptions import CalendarNotLoaded
from core.models import Deadline, DeadlineExtension, DeadlinePause, DeadlineRule, DeadlineStatus, PeriodUnit
from core.models.clocks import RUNNING
from core.services.clocks.lifecycle import require_aware
from core.services.clocks.schedule import SCHEDULE_FIELDS, Schedule, compute_schedule, schedule_apply
from core.signals import clocks_rescheduled


def clocks_mark_breached(
    *, court_id: int, at: dt.datetime, deadline_ids: Collection[int] | None = None
) -> int:
    """Mark the running, unpaused clocks of one court whose due moment has passed as
    ``breached``; no indexed column changes, so rows are updated in place (HOT), and
    a repeated run writes nothing. Returns the number of clocks marked.

    ``deadline_ids`` narrows the UPDATE to those clocks: the supervision scan passes
    the ones it found still ``open`` past their due moment while reading its
    candidates, so a scan with nothing new runs no UPDATE at all instead of walking
    every overdue clock of the court to find none. The conditions are checked again
    either way (a clock stopped, paused or extended meanwhile is left alone).
    Without it, one UPDATE over the ``deadline_running_due`` partial index."""
    require_aware(at, "at")
    if deadline_ids is not None and not deadline_ids:
        return 0
    clocks = Deadline.objects.filter(
        court_id=court_id,
        status=DeadlineStatus.OPEN,
        completed_at__isnull=True,
        paused_at__isnull=True,
        due_at__lt=at,
    )
    if deadline_ids is not None:
        clocks = clocks.filter(_pk_among(deadline_ids))
    return clocks.update(status=DeadlineStatus.BREACHED)


class _PkAmong(Lookup):
    """``id = ANY(%s)``: the ids as one array parameter (PostgreSQL)."""

    prepare_rhs = False

    def as_sql(self, compiler, connection):  # type: ignore[override]  # Django's signature, untyped
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*lhs_params, self.rhs]


def _pk_among(ids: Collection[int]) -> Q | Lookup:
    """``pk IN ids``; on PostgreSQL ``id = ANY(%s)`` (the first scan of a big court
    passes thousands of ids; a placeholder each took two to three times as long)."""
    if connection.vendor != "postgresql":
        return Q(pk__in=ids)
    return _PkAmong(F("pk"), list(ids))


def clocks_recompute(*, queryset: QuerySet[Deadline] | None = None, chunk_size: int = 5000) -> int:
    """Recompute due dates and thresholds of running clocks (after a calendar or
    rule edit); returns the number of clocks whose schedule changed."""
    base = queryset if queryset is not None else Deadline.objects.all()
    return clocks_recompute_reporting(queryset=base, chunk_size=chunk_size).changed


@dataclass
class RecomputeReport:
    """What a recompute moved: clocks examined and changed, due dates earlier and
    later, clocks overdue only because of the new schedule, and provisional clocks
    now settled — in total and per court id."""

    examined: int = 0
    changed: int = 0
    earlier: int = 0
    later: int = 0
    now_overdue: int = 0
    settled: int = 0
    by_court: dict[int, dict[str, int]] | None = None

    def count(self, court_id: int, key: str) -> None:
        setattr(self, key, getattr(self, key) + 1)
        if self.by_court is None:
            self.by_court = {}
        part = self.by_court.setdefault(court_id, {"earlier": 0, "later": 0, "now_overdue": 0, "settled": 0})
        part[key] += 1


_RECOMPUTE_COLUMNS = (
    "pk",
    "court_id",
    "rule_id",
    "variant",
    "duration",
    "unit",
    "roll_to_working_day",
    "started_at",
    "status",
    *SCHEDULE_FIELDS,
)


def _schedule_key(row: dict) -> tuple | None:
    """Clocks that share this key share their schedule (up to the warn thresholds'
    floor at the start moment), so a province's clocks cost one computation per
    (rule, start day, period) instead of one per clock. Hour periods count from the
    exact moment and are computed one by one."""
    if row["unit"] == PeriodUnit.HOURS:
        return None
    return (
        row["rule_id"],
        row["variant"],
        local_date(row["started_at"]),
        row["duration"],
        row["unit"],
        row["roll_to_working_day"],
    )


def clocks_recompute_reporting(
    *,
    queryset: QuerySet[Deadline],
    chunk_size: int = 5000,
    progress: Callable[[int], None] | None = None,
    now: dt.datetime | None = None,
) -> RecomputeReport:
    """Recompute the running clocks of ``queryset`` on the current calendar, in
    chunks of ``chunk_size`` by primary key, each in its own short transaction that
    locks only its rows (a scan waits at most one chunk). Rows are read as plain
    values with one statement per chunk (the ids as one array; whether a clock has
    pauses or extensions comes with the row, and only those clocks' are fetched),
    schedules are memoised per ``_schedule_key``, and a chunk's changes are written
    with one ``UPDATE`` (``_write_schedules``). A breached clock whose corrected due
    moment lies ahead runs again as open (the breach was the prediction's, not the
    court's); ``clocks_rescheduled`` lets supervision resolve the alerts that no
    longer apply. ``progress(n)`` is called after each chunk. Measured by ``make
    bench`` (docs/performance.md, "载入年度日历 / Loading a year")."""
    now = now or timezone.now()
    calendar = WorkingCalendar.load()
    rules = {r.pk: r for r in DeadlineRule.objects.all()}
    memo: dict[tuple, Schedule] = {}
    report = RecomputeReport(by_court={})
    ids = list(queryset.filter(RUNNING).order_by("pk").values_list("pk", flat=True))
    for offset in range(0, len(ids), chunk_size):
        chunk_ids = ids[offset : offset + chunk_size]
        with transaction.atomic():
            rows, pauses, extensions = _chunk_locked(chunk_ids)
            changed: list[tuple[dict, Schedule, str]] = []
            for row in rows:
                schedule = _recompute_row(row, rules, calendar, memo, pauses, extensions)
                if schedule is None:
                    continue
                status = row["status"]
                if status == DeadlineStatus.BREACHED and schedule.due_at >= now:
                    status = DeadlineStatus.OPEN
                if status == row["status"] and all(row[f] == getattr(schedule, f) for f in SCHEDULE_FIELDS):
                    continue
                changed.append((row, schedule, status))
                court = row["court_id"]
                if schedule.due_at < row["due_at"]:
                    report.count(court, "earlier")
                elif schedule.due_at > row["due_at"]:
                    report.count(court, "later")
                if schedule.due_at < now <= row["due_at"]:
                    report.count(court, "now_overdue")
                if row["provisional"] and not schedule.provisional:
                    report.count(court, "settled")
            _write_schedules(changed)
            if changed:
                clocks_rescheduled.send(sender=Deadline, deadline_ids=[r["pk"] for r, _s, _st in changed], at=now)
            report.changed += len(changed)
        report.examined += len(rows)
        if progress is not None:
            progress(report.examined)
    return report


def _chunk_locked(
    chunk_ids: list[int],
) -> tuple[list[dict], dict[int, list[DeadlinePause]], dict[int, list[DeadlineExtension]]]:
    """One chunk's running clocks as plain values, locked (caller is inside
    ``transaction.atomic``), with the pauses and extensions of those that have any."""
    rows = list(
        Deadline.objects.filter(_pk_among(chunk_ids))
        .filter(RUNNING)
        .select_for_update(of=("self",))
        .order_by("pk")
        .annotate(
            has_pauses=models.Exists(DeadlinePause.objects.filter(deadline=models.OuterRef("pk"))),
            has_extensions=models.Exists(DeadlineExtension.objects.filter(deadline=models.OuterRef("pk"))),
        )
        .values(*_RECOMPUTE_COLUMNS, "has_pauses", "has_extensions")
    )
    # Most clocks were never paused or extended: fetch only the others'.
    pauses: dict[int, list[DeadlinePause]] = {}
    paused = [row["pk"] for row in rows if row["has_pauses"]]
    for pause in DeadlinePause.objects.filter(deadline_id__in=paused) if paused else ():
        pauses.setdefault(pause.deadline_id, []).append(pause)
    extensions: dict[int, list[DeadlineExtension]] = {}
    extended = [row["pk"] for row in rows if row["has_extensions"]]
    for extension in DeadlineExtension.objects.filter(deadline_id__in=extended) if extended else ():
        extensions.setdefault(extension.deadline_id, []).append(extension)
    return rows, pauses, extensions


def _recompute_row(
    row: dict,
    rules: dict[int, DeadlineRule],
    calendar: WorkingCalendar,
    memo: dict[tuple, Schedule],
    pauses: dict[int, list[DeadlinePause]],
    extensions: dict[int, list[DeadlineExtension]],
) -> Schedule | None:
    rule = rules[row["rule_id"]]
    own_pauses = pauses.get(row["pk"], ())
    own_extensions = extensions.get(row["pk"], ())
    key = None if (own_pauses or own_extensions) else _schedule_key(row)
    try:
        if key is None:
            return compute_schedule(
                deadline=_row_deadline(row),
                rule=rule,
                calendar=calendar,
                pauses=own_pauses,
                extensions=own_extensions,
            )
        shared = memo.get(key)
        if shared is None:
            # computed from the start of the day: the shared part of every clock
            # that starts on that day; each clock's warnings are floored at its own
            # start moment below, as compute_schedule does
            probe = _row_deadline({**row, "started_at": start_of_day(key[2])})
            shared = memo[key] = compute_schedule(deadline=probe, rule=rule, calendar=calendar)
    except CalendarNotLoaded:
        return None  # a year the prediction cannot place: left as it is
    started = row["started_at"]
    if (shared.warn_at is None or shared.warn_at >= started) and (
        shared.warn_again_at is None or shared.warn_again_at >= started
    ):
        return shared  # no warning to floor: the very same schedule (one entry in the write)
    return Schedule(
        original_due_at=shared.original_due_at,
        due_at=shared.due_at,
        provisional=shared.provisional,
        warn_at=max(shared.warn_at, started) if shared.warn_at else None,
        warn_again_at=max(shared.warn_again_at, started) if shared.warn_again_at else None,
        escalate_at=shared.escalate_at,
        upper_at=shared.upper_at,
    )


def _row_deadline(row: dict) -> Deadline:
    return Deadline(
        pk=row["pk"],
        rule_id=row["rule_id"],
        variant=row["variant"],
        duration=row["duration"],
        unit=row["unit"],
        roll_to_working_day=row["roll_to_working_day"],
        started_at=row["started_at"],
    )


def _write_schedules(changed: list[tuple[dict, Schedule, str]]) -> None:
    """Write a chunk's new schedules. On PostgreSQL one ``UPDATE … FROM unnest(…)``:
    clocks that share a schedule (most of a chunk: ``_recompute_row`` hands out the
    memoised one) share one entry, so the statement carries each distinct schedule
    once and, per clock, only its id and the entry's number — two integer arrays
    instead of nine literals a row to adapt, send and parse."""
    if not changed:
        return
    columns = [*SCHEDULE_FIELDS, "status"]
    if connection.vendor == "postgresql":
        entries: dict[tuple[Schedule, str], int] = {}
        ids, numbers = [], []
        for row, schedule, status in changed:
            ids.append(row["pk"])
            numbers.append(entries.setdefault((schedule, status), len(entries) + 1))
        arrays = [[getattr(schedule, f) for schedule, _status in entries] for f in SCHEDULE_FIELDS]
        arrays.append([status for _schedule, status in entries])
        types = {"provisional": "boolean", "status": "text"}
        placeholders = ", ".join(f"%s::{types.get(c, 'timestamptz')}[]" for c in columns)
        table = Deadline._meta.db_table
        sql = (
            f"UPDATE {table} AS d SET {', '.join(f'{c} = s.{c}' for c in columns)} "  # noqa: S608 (names are ours)
            "FROM unnest(%s::bigint[], %s::integer[]) AS c(id, entry) "
            f"JOIN unnest({placeholders}) WITH ORDINALITY AS s({', '.join(columns)}, entry) "
            "ON s.entry = c.entry WHERE d.id = c.id AND d.completed_at IS NULL"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [ids, numbers, *arrays])
        return
    objects = []
    for row, schedule, status in changed:
        deadline = Deadline(pk=row["pk"], status=status)
        schedule_apply(deadline, schedule)
        objects.append(deadline)
    Deadline.objects.bulk_update(objects, columns)
