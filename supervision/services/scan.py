"""The deadline scan (DESIGN "Escalation ladder", 322号 §8).

For one court and one moment ``at`` the scan is, in one transaction under a
per-court lock:

1. one statement that raises every ladder level each running clock has reached
   and not yet had — ``INSERT … SELECT … ON CONFLICT DO NOTHING`` on (clock,
   level) — and, from the same read of the court's running clocks, returns those
   still ``open`` although their due moment has passed;
2. ``clocks_mark_breached`` for exactly those clocks (core owns that write), which
   a scan with nothing new skips: it found none.

Alerts resolve when their clock stops (the ``clocks_stopped`` receiver, in the
stopping transaction); ``alerts_resolve_stopped`` is the nightly safety net.

A scan repeated, run twice at once, or killed between statements raises nothing
twice and loses nothing: the unique constraint and the single transaction see to
it. Nothing here loops over clocks.
"""

# ruff: noqa: S608 — the SQL below is assembled from constants of this module only;
# every value goes in as a bound parameter.

import datetime as dt
import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from core.exceptions import ValidationFailed
from core.models import Court, DeadlineStatus, Role
from core.outbox.faults import fault_point
from core.services.clocks import clocks_mark_breached
from dualcheck.selectors import CLOCK_RULES
from supervision.models import JOINT_TEAM_POST, AlertLevel

# Namespace of the per-court advisory lock (any constant unique to this lock).
SCAN_LOCK_NAMESPACE = 7301

_RUNNING = f"d.completed_at IS NULL AND d.ended_at IS NULL AND d.status IN ('{DeadlineStatus.OPEN}', '{DeadlineStatus.BREACHED}') AND d.paused_at IS NULL"

# One SELECT per level over the court's running clocks. Warnings are only raised
# while the clock is still running toward its due moment: a clock found already
# overdue goes straight to ``overdue`` (and further), never to a stale warning.
# A clock without a responsible person sends its warnings to the post that acts
# for it (finance for the funds clocks, the court's 专人监管 otherwise).
_NO_HANDLER_ROLE = (
    "CASE WHEN handler_id IS NOT NULL THEN '' "
    f"WHEN substr(rule_code, 1, 6) = 'FUNDS_' THEN '{Role.FINANCE}' "
    f"ELSE '{Role.CASE_SUPERVISOR}' END"
)
_LEVELS = [
    (AlertLevel.WARNING, "warn_at", "warn_at <= %(at)s AND due_at >= %(at)s", "court_id", _NO_HANDLER_ROLE),
    (
        AlertLevel.FINAL_WARNING,
        "warn_again_at",
        "warn_again_at <= %(at)s AND due_at >= %(at)s",
        "court_id",
        _NO_HANDLER_ROLE,
    ),
    (AlertLevel.OVERDUE, "due_at", "due_at < %(at)s", "court_id", f"'{Role.CASE_SUPERVISOR}'"),
    (AlertLevel.ESCALATED, "escalate_at", "escalate_at < %(at)s", "court_id", f"'{Role.BUREAU_HEAD}'"),
    (
        AlertLevel.UPPER,
        "upper_at",
        "upper_at < %(at)s",
        "%(upper_court)s",
        f"'{Role.CASE_SUPERVISOR}'",
    ),
]

# A 一案双查 report clock's alerts never go to a post of the court under
# investigation (its bureau head or 专人监管 may be the officers concerned,
# 双查规定 §5): every level goes to the clue's joint team (``JOINT_TEAM_POST``, at
# the clock's court, resolved when read) and to the clock's responsible person —
# the upper court's referrer, who set the period.
_CONFIDENTIAL = "rule_code IN ({})".format(", ".join(f"'{code}'" for code in CLOCK_RULES))


def _level_select(level: str, column: str, condition: str, to_court: str, to_role: str) -> str:
    return (
        f"    SELECT id, court_id, case_id, rule_id, due_at, provisional, handler_id, '{level}' AS level, "
        f"{column} AS threshold_at, "
        f"CASE WHEN {_CONFIDENTIAL} THEN court_id ELSE {to_court} END AS to_court_id, "
        f"CASE WHEN {_CONFIDENTIAL} THEN '{JOINT_TEAM_POST}' ELSE {to_role} END AS to_role "
        f"FROM running WHERE {condition}"
    )


_CANDIDATES = """
WITH running AS (
    SELECT d.id, d.court_id, d.case_id, d.rule_id, d.status, d.due_at, d.provisional, d.warn_at,
           d.warn_again_at, d.escalate_at, d.upper_at, r.code AS rule_code,
           COALESCE(
               d.responsible_id,
               (SELECT c.handler_id FROM enforcement_case c WHERE c.id = d.case_id)
           ) AS handler_id
    FROM core_deadline d
    JOIN core_deadlinerule r ON r.id = d.rule_id
    WHERE d.court_id = %(court)s AND {running}
      AND (d.warn_at <= %(at)s OR d.due_at < %(at)s)
),
candidate AS (
{levels}
)
""".format(
    running=_RUNNING,
    levels="\n    UNION ALL\n".join(_level_select(*spec) for spec in _LEVELS),
)

# The levels not raised yet. ``NOT EXISTS`` only spares the insert most rows;
# ``ON CONFLICT`` on the unique open (clock, level) is what guarantees "once". So the
# test may be loose, and it is: it looks at the court's open alerts only (a
# running clock's alerts are open), which the planner reads once through
# ``alert_open_by_court`` into a hash instead of probing ``alert_once_per_level``
# once per candidate. A row it lets through (an alert resolved by hand, a clock
# moved to another court) is skipped by ``ON CONFLICT``, which writes nothing.
_INSERT = """
INSERT INTO supervision_alert
    (deadline_id, court_id, case_id, rule_id, level, threshold_at, raised_at, due_at,
     provisional, handler_id, to_court_id, to_role)
SELECT id, court_id, case_id, rule_id, level, threshold_at, %(at)s, due_at,
       provisional, handler_id, to_court_id, to_role
FROM candidate
WHERE NOT EXISTS (
    SELECT 1 FROM supervision_alert a
    WHERE a.court_id = %(court)s AND a.resolved_at IS NULL
      AND a.deadline_id = candidate.id AND a.level = candidate.level
)
ON CONFLICT (deadline_id, level) WHERE resolved_at IS NULL DO NOTHING
"""

# PostgreSQL: the insert as a data-modifying CTE, and from the same (materialised)
# read of the running clocks the ones still ``open`` past their due moment — the
# clocks ``clocks_mark_breached`` has to mark, read without a second pass over the
# court's overdue clocks. Returns one row: (alerts raised, [clock ids]).
RAISE_SQL = (
    _CANDIDATES
    + ",\nraised AS ("
    + _INSERT
    + f"""RETURNING 1
)
SELECT (SELECT count(*) FROM raised),
       ARRAY(SELECT id FROM running WHERE status = '{DeadlineStatus.OPEN}' AND due_at < %(at)s)
"""
)

# Elsewhere (SQLite, the embedded default: no data-modifying CTEs) only the insert.
RAISE_PLAIN_SQL = _CANDIDATES + _INSERT

# The same candidate set, only read (what a repeated scan has to look at).
CANDIDATES_SQL = _CANDIDATES + "SELECT id, level FROM candidate"

RESOLVE_SQL = f"""
UPDATE supervision_alert SET resolved_at = (
    SELECT COALESCE(d.completed_at, d.ended_at, %(at)s) FROM core_deadline d
    WHERE d.id = supervision_alert.deadline_id
)
WHERE court_id = %(court)s AND resolved_at IS NULL AND EXISTS (
    SELECT 1 FROM core_deadline d
    WHERE d.id = supervision_alert.deadline_id
      AND NOT (d.completed_at IS NULL AND d.ended_at IS NULL AND d.status IN ('{DeadlineStatus.OPEN}', '{DeadlineStatus.BREACHED}'))
)
"""


@dataclass(frozen=True)
class ScanResult:
    court_id: int
    at: dt.datetime
    breached: int
    raised: int
    duration_ms: int


def _begin(court_id: int) -> int | None:
    """Take the court's scan lock (only one scan of a court at a time; a second
    waits and then finds nothing new), switch JIT off for these short statements,
    and return the court above — one round trip. (SQLite, the embedded default,
    has a single writer and no JIT.)"""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s), set_config('jit', 'off', true), "
                "(SELECT parent_id FROM core_court WHERE id = %s)",
                [SCAN_LOCK_NAMESPACE, court_id, court_id],
            )
            return cursor.fetchone()[2]
        cursor.execute("SELECT parent_id FROM core_court WHERE id = %s", [court_id])
        row = cursor.fetchone()
        return row[0] if row else None


def _execute(sql: str, params: dict) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if cursor.rowcount >= 0:
            return cursor.rowcount
        # sqlite3 reports -1 for a statement that starts with WITH.
        cursor.execute("SELECT changes()")
        return cursor.fetchone()[0]


def _params(court_id: int, at: dt.datetime) -> dict:
    return {"court": court_id, "at": connection.ops.adapt_datetimefield_value(at)}


def alerts_raise(
    *, court_id: int, at: dt.datetime, upper_court_id: int | None = None
) -> tuple[int, list[int] | None]:
    """Statement 1 of the scan. Returns the number of alerts raised and the court's
    running, unpaused clocks still ``open`` past their due moment (``None`` where
    the database cannot return them from the same statement: the caller then marks
    by the conditions alone). ``upper`` goes to the court above (the top court
    reports to its own 专人监管)."""
    if upper_court_id is None:
        upper_court_id = Court.objects.filter(pk=court_id).values_list("parent_id", flat=True).first()
    params = {**_params(court_id, at), "upper_court": upper_court_id or court_id}
    if connection.vendor != "postgresql":
        return _execute(RAISE_PLAIN_SQL, params), None
    with connection.cursor() as cursor:
        cursor.execute(RAISE_SQL, params)
        raised, overdue_open = cursor.fetchone()
    return raised, overdue_open


def alerts_resolve_stopped(*, court_id: int, at: dt.datetime) -> int:
    """The safety net behind the ``clocks_stopped`` receiver (which resolves alerts
    in the stopping transaction): resolve the open alerts of clocks that stopped
    without telling anyone (a bulk import, a repair by hand). It visits every open
    alert of the court, so it runs nightly, not in every scan."""
    return _execute(RESOLVE_SQL, _params(court_id, at))


def scan_court(*, court_id: int, at: dt.datetime) -> ScanResult:
    """Scan one court as of ``at`` (normally now; ``scan_deadlines --at`` replays a
    moment). Idempotent."""
    if timezone.is_naive(at):
        raise ValidationFailed.for_field("at", "at must carry a time zone")
    started = time.monotonic()
    with transaction.atomic():
        upper_court_id = _begin(court_id)
        raised, overdue_open = alerts_raise(court_id=court_id, at=at, upper_court_id=upper_court_id)
        fault_point("scan.raised")  # tests/faults kill a worker here: nothing of this commits
        breached = clocks_mark_breached(court_id=court_id, at=at, deadline_ids=overdue_open)
    duration_ms = int((time.monotonic() - started) * 1000)
    return ScanResult(court_id, at, breached, raised, duration_ms)


def courts_to_scan() -> list[int]:
    """Every active court (a court without clocks costs three index probes)."""
    return list(Court.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True))
