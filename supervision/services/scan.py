"""The deadline scan (DESIGN "Escalation ladder", 322号 §8).

For one court and one moment ``at`` the scan is three set-based statements in one
transaction, under a per-court lock:

1. mark the court's running clocks whose due moment has passed ``breached``;
2. raise every ladder level each running clock has reached and not yet had —
   ``INSERT … SELECT … ON CONFLICT DO NOTHING`` on (clock, level);
3. resolve the alerts of clocks that have stopped (the ``clocks_stopped`` receiver
   does this at once; the scan is the safety net for anything it missed).

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
from core.services.clocks import clocks_mark_breached
from supervision.models import AlertLevel, CourtScan

# Namespace of the per-court advisory lock (any constant unique to this lock).
SCAN_LOCK_NAMESPACE = 7301

_RUNNING = f"d.completed_at IS NULL AND d.status IN ('{DeadlineStatus.OPEN}', '{DeadlineStatus.BREACHED}') AND d.paused_at IS NULL"

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
        "COALESCE(parent_id, court_id)",
        f"'{Role.CASE_SUPERVISOR}'",
    ),
]

_CANDIDATES = """
WITH running AS (
    SELECT d.id, d.court_id, d.case_id, d.rule_id, d.due_at, d.warn_at, d.warn_again_at,
           d.escalate_at, d.upper_at, ct.parent_id, r.code AS rule_code,
           COALESCE(d.responsible_id, c.handler_id) AS handler_id
    FROM core_deadline d
    JOIN core_court ct ON ct.id = d.court_id
    JOIN core_deadlinerule r ON r.id = d.rule_id
    LEFT JOIN enforcement_case c ON c.id = d.case_id
    WHERE d.court_id = %(court)s AND {running}
      AND (d.warn_at <= %(at)s OR d.due_at < %(at)s)
),
candidate AS (
{levels}
)
""".format(
    running=_RUNNING,
    levels="\n    UNION ALL\n".join(
        f"    SELECT id, court_id, case_id, rule_id, due_at, handler_id, '{level}' AS level, "
        f"{column} AS threshold_at, {to_court} AS to_court_id, {to_role} AS to_role "
        f"FROM running WHERE {condition}"
        for level, column, condition, to_court, to_role in _LEVELS
    ),
)

RAISE_SQL = (
    _CANDIDATES
    + """
INSERT INTO supervision_alert
    (deadline_id, court_id, case_id, rule_id, level, threshold_at, raised_at, due_at,
     handler_id, to_court_id, to_role)
SELECT id, court_id, case_id, rule_id, level, threshold_at, %(at)s, due_at,
       handler_id, to_court_id, to_role
FROM candidate
WHERE NOT EXISTS (
    SELECT 1 FROM supervision_alert a WHERE a.deadline_id = candidate.id AND a.level = candidate.level
)
ON CONFLICT (deadline_id, level) DO NOTHING
"""
)

# The same candidate set, only read (what a repeated scan has to look at).
CANDIDATES_SQL = _CANDIDATES + "SELECT id, level FROM candidate"

RESOLVE_SQL = f"""
UPDATE supervision_alert SET resolved_at = (
    SELECT COALESCE(d.completed_at, %(at)s) FROM core_deadline d
    WHERE d.id = supervision_alert.deadline_id
)
WHERE court_id = %(court)s AND resolved_at IS NULL AND EXISTS (
    SELECT 1 FROM core_deadline d
    WHERE d.id = supervision_alert.deadline_id
      AND NOT (d.completed_at IS NULL AND d.status IN ('{DeadlineStatus.OPEN}', '{DeadlineStatus.BREACHED}'))
)
"""


@dataclass(frozen=True)
class ScanResult:
    court_id: int
    at: dt.datetime
    breached: int
    raised: int
    resolved: int
    duration_ms: int


def _lock_court(court_id: int) -> None:
    """Only one scan of a court at a time; a second waits and then finds nothing
    new. (SQLite, the embedded default, has a single writer anyway.)"""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [SCAN_LOCK_NAMESPACE, court_id])


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


def alerts_raise(*, court_id: int, at: dt.datetime) -> int:
    """Statement 2 of the scan; returns the number of alerts raised."""
    return _execute(RAISE_SQL, _params(court_id, at))


def alerts_resolve_stopped(*, court_id: int, at: dt.datetime) -> int:
    """Statement 3 of the scan; returns the number of alerts resolved."""
    return _execute(RESOLVE_SQL, _params(court_id, at))


def scan_court(*, court_id: int, at: dt.datetime) -> ScanResult:
    """Scan one court as of ``at`` (normally now; ``scan_deadlines --at`` replays a
    moment). Idempotent."""
    if timezone.is_naive(at):
        raise ValidationFailed.for_field("at", "at must carry a time zone")
    started = time.monotonic()
    with transaction.atomic():
        _lock_court(court_id)
        breached = clocks_mark_breached(court_id=court_id, at=at)
        raised = alerts_raise(court_id=court_id, at=at)
        resolved = alerts_resolve_stopped(court_id=court_id, at=at)
        CourtScan.objects.bulk_create(
            [
                CourtScan(
                    court_id=court_id,
                    scanned_at=at,
                    finished_at=timezone.now(),
                    duration_ms=int((time.monotonic() - started) * 1000),
                    breached=breached,
                    raised=raised,
                    resolved=resolved,
                )
            ],
            update_conflicts=True,
            unique_fields=["court"],
            update_fields=["scanned_at", "finished_at", "duration_ms", "breached", "raised", "resolved"],
        )
    duration_ms = int((time.monotonic() - started) * 1000)
    return ScanResult(court_id, at, breached, raised, resolved, duration_ms)


def courts_to_scan() -> list[int]:
    """Every active court (a court without clocks costs three index probes)."""
    return list(Court.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True))
