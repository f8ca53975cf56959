"""``python -m bench.run`` (``make bench``): build a synthetic province in a fresh
PostgreSQL database and measure, in one run, the figures of DESIGN "Scale" and more:

1. the first scan (raising alerts) of every court, against the raw-SQL lower bound
   (one ``INSERT … SELECT`` of the same alert set into a scratch copy of
   ``supervision_alert``);
2. a repeated scan with nothing new: rows written and time, against a plain
   ``SELECT`` of the candidate set;
3. the high court's dashboard over the whole province (after refreshing the
   per-court counters): server time and query count;
4. the alerts API page of a basic court: p50 and p95;
5. loading a year's working calendar into the province (``bench/calendar_load.py``):
   ``calendar_year_load`` + ``calendar_load_recompute`` against one raw ``UPDATE … FROM``
   of the same rows and values, and the longest a concurrent scan waits meanwhile;
6. bulk ingest through ``POST /api/v1/cases/bulk/`` (``bench/bulk_ingest.py``): cases/s
   against a raw ``COPY`` of the same rows into the same tables.

Environment: ``BENCH_CASES`` (default 200,000), ``BENCH_DATABASE_URL`` (default
``postgres://postgres@127.0.0.1:5432/zhixing_bench``; the database is dropped and
re-created, so its name must contain "bench"), ``BENCH_DOC`` (the report to update,
default ``docs/performance.md``; empty: do not write), ``BENCH_ROUNDS`` (repetitions
of the repeatable measurements, default 5), ``BENCH_REQUESTS`` (API requests,
default 200), ``BENCH_EXPLAIN=1`` (print EXPLAIN ANALYZE of the scan statements of
the busiest court), ``BENCH_PARTS`` (``scan,year,bulk`` by default: steps 1–4, step 5,
step 6; each writes its own block of the report), ``BENCH_YEAR_ROUNDS`` (rounds of step 5,
default 3), ``BENCH_BULK_REQUESTS`` and ``BENCH_BULK_SIZE`` (step 6: requests, cases per
request; default 5 × 1,000).
"""

# ruff: noqa: S608 — SQL below is assembled from constants of this package and of
# supervision.services.scan; every value goes in as a bound parameter.

import datetime as dt
import os
import platform
import statistics
import sys
import time
import warnings
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/zhixing_bench"
FORBIDDEN_DATABASES = {
    "zhixing",
    "zhixing_me",
    "zhixing_h1",
    "zhixing_h2",
    "postgres",
    "template0",
    "template1",
}
ROOT = Path(__file__).resolve().parent.parent
WATCHED_TABLES = ["core_deadline", "supervision_alert", "core_deadlineevent"]
SCRATCH_TABLE = "bench_alert_lower_bound"
GOALS = {"first_scan": 2.0, "repeat_scan": 1.5, "dashboard_ms": 300.0}


_T0 = time.monotonic()


def say(message: str) -> None:
    sys.stdout.write(f"[{time.monotonic() - _T0:7.1f} s] {message}\n")
    sys.stdout.flush()


# --- database ------------------------------------------------------------------------


def _database_name(url: str) -> str:
    import environ

    return environ.Env.db_url_config(url)["NAME"]


def recreate_database(url: str) -> None:
    """Drop and create the bench database (refuses any name without "bench")."""
    import environ
    import psycopg2
    from psycopg2 import sql

    config = environ.Env.db_url_config(url)
    name = config["NAME"]
    if name in FORBIDDEN_DATABASES or "bench" not in name:
        raise SystemExit(f"BENCH_DATABASE_URL must name a bench database (got {name!r}); it is dropped.")
    conn = psycopg2.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    conn.close()


def _rows(sql: str, params=None) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _scalar(sql: str, params=None):
    return _rows(sql, params)[0][0]


def _execute(sql: str, params=None) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def checkpoint() -> None:
    """Flush dirty pages now, so a timed phase does not pay for the previous one's
    writes (needs superuser or pg_checkpoint; skipped otherwise)."""
    from django.db import DatabaseError

    try:
        _execute("CHECKPOINT")
    except DatabaseError:
        pass


def table_writes() -> dict[str, tuple[int, int, int]]:
    """Rows inserted, updated, deleted so far per watched table (statistics of this
    backend flushed first, so the figures are exact)."""
    _scalar("SELECT pg_stat_force_next_flush()")
    # A new snapshot: the statistics views are cached per transaction otherwise.
    _scalar("SELECT pg_stat_clear_snapshot()")
    rows = _rows(
        "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables WHERE relname = ANY(%s)",
        [WATCHED_TABLES],
    )
    return {name: (ins, upd, dele) for name, ins, upd, dele in rows}


def writes_between(before: dict, after: dict) -> dict[str, int]:
    return {
        name: sum(a - b for a, b in zip(after.get(name, (0, 0, 0)), before.get(name, (0, 0, 0)), strict=True))
        for name in WATCHED_TABLES
    }


# --- the scan, seen from outside ---------------------------------------------------------


def _candidate_ctes(*, all_courts: bool) -> str:
    """The ``WITH running …, candidate …`` part of the scan's own candidate query,
    for one court or (without the court condition) for the whole province."""
    from supervision.services import scan

    tail = "SELECT id, level FROM candidate"
    court_condition = "d.court_id = %(court)s AND "
    text = scan.CANDIDATES_SQL
    if not text.rstrip().endswith(tail) or court_condition not in text:
        raise SystemExit("supervision.services.scan.CANDIDATES_SQL changed shape; update bench/run.py")
    ctes = text.rstrip()[: -len(tail)]
    if not all_courts:
        return ctes
    # the province at once: each clock's own court, and the court above it
    upper = (
        "COALESCE((SELECT ct.parent_id FROM core_court ct WHERE ct.id = running.court_id), running.court_id)"
    )
    return ctes.replace(court_condition, "").replace("%(upper_court)s", upper)


ALERT_COLUMNS = (
    "deadline_id, court_id, case_id, rule_id, level, threshold_at, raised_at, due_at, provisional, "
    "handler_id, to_court_id, to_role"
)


def lower_bound_sql() -> str:
    return (
        _candidate_ctes(all_courts=True)
        + f"INSERT INTO {SCRATCH_TABLE} ({ALERT_COLUMNS}) "
        + "SELECT id, court_id, case_id, rule_id, level, threshold_at, %(at)s, due_at, provisional, "
        + "handler_id, to_court_id, to_role FROM candidate"
    )


class StatementTimer:
    """``connection.execute_wrapper`` that adds up time per kind of statement."""

    KINDS = [
        ("pg_advisory_xact_lock", "lock court"),
        ('UPDATE "core_deadline"', "mark breached (UPDATE core_deadline)"),
        ("INSERT INTO supervision_alert", "raise alerts (INSERT … SELECT; returns the clocks to mark)"),
        ("UPDATE supervision_alert", "resolve alerts (UPDATE)"),
    ]

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            kind = next((label for needle, label in self.KINDS if needle in sql), "other (savepoints …)")
            self.seconds[kind] += time.perf_counter() - started


def scan_all(courts: list[int], at: dt.datetime, timer: StatementTimer | None = None):
    from django.db import connection

    from supervision.services.scan import scan_court

    totals = defaultdict(int)
    started = time.perf_counter()
    with connection.execute_wrapper(timer) if timer else nullcontext():
        for court_id in courts:
            result = scan_court(court_id=court_id, at=at)
            totals["breached"] += result.breached
            totals["raised"] += result.raised
    return time.perf_counter() - started, dict(totals)


def _scan_one(job: tuple[int, dt.datetime]) -> tuple[int, int]:
    from supervision.services.scan import scan_court

    court_id, at = job
    result = scan_court(court_id=court_id, at=at)
    return result.breached, result.raised


def scan_fan_out(courts: list[int], at: dt.datetime, workers: int) -> tuple[float, dict]:
    """One court per task over ``workers`` processes (what Celery does)."""
    from django.db import connections

    connections.close_all()  # children must not share the parent's connection
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
        results = list(pool.map(_scan_one, [(c, at) for c in courts], chunksize=1))
    seconds = time.perf_counter() - started
    return seconds, {
        "breached": sum(r[0] for r in results),
        "raised": sum(r[1] for r in results),
    }


def select_candidates(courts: list[int], at: dt.datetime, *, parallel: bool) -> tuple[float, int]:
    """Read the candidate set court by court (``CANDIDATES_SQL``, every row fetched),
    with the planner's default parallel plans or with parallel workers off (the
    scan's INSERT never runs in parallel, and on two busy cores starting workers
    can cost more than it saves)."""
    from django.db import connection

    from supervision.services.scan import CANDIDATES_SQL

    rows = 0
    with connection.cursor() as cursor:
        if not parallel:
            cursor.execute("SET max_parallel_workers_per_gather = 0")
        started = time.perf_counter()
        for court_id in courts:
            cursor.execute(CANDIDATES_SQL, {"court": court_id, "at": at, "upper_court": court_id})
            rows += len(cursor.fetchall())
        seconds = time.perf_counter() - started
        cursor.execute("RESET max_parallel_workers_per_gather")
    return seconds, rows


def explain(court_id: int, at: dt.datetime) -> str:
    """EXPLAIN ANALYZE of the scan's statements for one court, rolled back."""
    from django.db import connection, transaction

    from supervision.services import scan

    out = []
    params = {"court": court_id, "at": at, "upper_court": court_id}
    statements = [
        ("CANDIDATES_SQL", scan.CANDIDATES_SQL),
        ("RAISE_SQL", scan.RAISE_SQL),
        ("RESOLVE_SQL", scan.RESOLVE_SQL),
    ]
    for label, sql in statements:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT set_config('jit', 'off', true)")  # as the scan runs
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            out.append(f"--- {label} (court {court_id})\n" + "\n".join(r[0] for r in cursor.fetchall()))
            transaction.set_rollback(True)
    return "\n".join(out)


def explain_first(court_id: int, at: dt.datetime) -> str:
    """EXPLAIN ANALYZE of the first scan's writes for one court, rolled back, as the
    scan runs them (JIT off): RAISE_SQL, then the breach UPDATE of the clocks it
    returned (what ``clocks_mark_breached`` runs with ``deadline_ids``)."""
    from django.db import connection, transaction

    from supervision.services import scan

    params = {"court": court_id, "at": at, "upper_court": court_id}
    mark = (
        "UPDATE core_deadline SET status = 'breached' WHERE id = ANY(%(ids)s) AND court_id = %(court)s "
        "AND status = 'open' AND completed_at IS NULL AND paused_at IS NULL AND due_at < %(at)s"
    )
    out = []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('jit', 'off', true)")
        cursor.execute("SAVEPOINT bench_explain")
        cursor.execute(scan.RAISE_SQL, params)
        ids = cursor.fetchone()[1]
        cursor.execute("ROLLBACK TO SAVEPOINT bench_explain")
        for label, sql in [("RAISE_SQL", scan.RAISE_SQL), ("mark breached", mark)]:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, {**params, "ids": ids})
            out.append(f"--- {label} (court {court_id})\n" + "\n".join(r[0] for r in cursor.fetchall()))
        started = time.perf_counter()
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred foreign-key checks, now
        out.append(f"--- deferred foreign-key checks of those rows: {time.perf_counter() - started:.3f} s")
        transaction.set_rollback(True)
    return "\n".join(out)


# --- results -------------------------------------------------------------------------------


@dataclass
class Results:
    cases: int
    command: str
    started: dt.datetime
    machine: dict[str, str] = field(default_factory=dict)
    province: object = None
    generation_seconds: float = 0.0
    candidates: int = 0
    lower_bound_rows: int = 0
    lower_bound_s: float = 0.0
    lower_bound_fk_s: float = 0.0
    lower_bound_fks: int = 0
    lower_bound_fk1_s: float = 0.0
    first_scan_s: float = 0.0
    first_scan: dict = field(default_factory=dict)
    first_scan_parts: dict = field(default_factory=dict)
    repeat_scan_s: float = 0.0
    repeat_scan_runs: list = field(default_factory=list)
    repeat_scan: dict = field(default_factory=dict)
    repeat_scan_parts: dict = field(default_factory=dict)
    repeat_writes: dict = field(default_factory=dict)
    repeat_fan_out_s: float = 0.0
    repeat_fan_out_writes: dict = field(default_factory=dict)
    select_parallel_s: float = 0.0
    select_serial_s: float = 0.0
    select_s: float = 0.0
    select_rows: int = 0
    stats_refresh_s: float = 0.0
    stats_rows: int = 0
    dashboard: dict = field(default_factory=dict)
    api: dict = field(default_factory=dict)
    dashboard_api: dict = field(default_factory=dict)
    courts: int = 0
    notes: list = field(default_factory=list)


def machine_info() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    settings_rows = _rows(
        "SELECT name, setting, unit FROM pg_settings WHERE name = ANY(%s) ORDER BY name",
        [["shared_buffers", "work_mem", "effective_cache_size", "max_parallel_workers_per_gather"]],
    )
    pg_settings = ", ".join(f"{name}={_pg_size(value, unit)}" for name, value, unit in settings_rows)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return {
        "load": load,
        "cpu": f"{cpu}, {os.cpu_count()} logical cores",
        "ram": ram,
        "postgres": _scalar("SELECT version()"),
        "postgres_settings": pg_settings,
        "python": platform.python_version(),
    }


def _pg_size(value: str, unit: str | None) -> str:
    if unit == "8kB":
        return f"{int(value) * 8 // 1024}MB"
    if unit == "kB":
        return f"{int(value) // 1024}MB"
    return value


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def _s(seconds: float) -> str:
    return f"{seconds:,.1f} s" if seconds >= 10 else f"{seconds:,.2f} s"


def _verdict(value: float, goal: float) -> str:
    return "met" if value <= goal else "**missed**"


def render(r: Results) -> str:
    p = r.province
    lines = [
        f"<!-- bench:{r.cases} -->",
        f"### {r.cases:,} cases",
        "",
        f"- Command: `{r.command}`",
        f"- Date: {r.started:%Y-%m-%d %H:%M} (Asia/Shanghai); scan moment `at` = generation time",
        f"- Machine: {r.machine['cpu']}, {r.machine['ram']} RAM "
        f"(load average at the start: {r.machine['load']}; the machine was shared with other work)",
        f"- Database: {r.machine['postgres']}",
        f"- PostgreSQL settings (stock): {r.machine['postgres_settings']}",
        "",
        "**Sizes**",
        "",
        "| | |",
        "|---|---:|",
        f"| courts (1 supreme, 1 high, 16 intermediate, 150 basic) | {p.courts:,} |",
        f"| users (handlers, 专人监管, 执行局长, finance) | {p.users:,} |",
        f"| enforcement cases | {p.cases:,} |",
        "| — by status | "
        + ", ".join(f"{k} {v:,}" for k, v in sorted(p.case_status.items(), key=lambda kv: -kv[1]))
        + " |",
        f"| clocks (`core_deadline`) | {p.clocks:,} |",
        f"| — running / paused / completed | {p.running_clocks:,} / {p.paused_clocks:,} / {p.completed_clocks:,} |",
        f"| resolved history alerts before the first scan | {p.history_alerts:,} |",
        f"| alerts raised by the first scan | {r.first_scan.get('raised', 0):,} |",
        f"| clocks marked breached by the first scan | {r.first_scan.get('breached', 0):,} |",
        f"| generation (SQL, incl. index rebuild and VACUUM ANALYZE) | {_s(r.generation_seconds)} |",
        "",
        "**Measurements**",
        "",
        "| # | measurement | figure | reference | ratio | goal |",
        "|---|---|---:|---:|---:|---|",
    ]
    first_ratio = r.first_scan_s / r.lower_bound_s if r.lower_bound_s else float("nan")
    lines.append(
        f"| 1 | first scan, {r.courts} courts serially in one process | {_s(r.first_scan_s)} "
        f"| lower bound {_s(r.lower_bound_s)} | {first_ratio:.2f}× "
        f"| ≤ 2× — {_verdict(first_ratio, GOALS['first_scan'])} |"
    )
    if r.lower_bound_fk_s:
        lines.append(
            f"| 1 | lower bound again, with supervision_alert's {r.lower_bound_fks} foreign keys "
            f"(deferred, checked at COMMIT) | {_s(r.lower_bound_fk_s)} | {_s(r.lower_bound_s)} "
            f"| {r.lower_bound_fk_s / r.lower_bound_s:.2f}× | (scan ÷ this: "
            f"{r.first_scan_s / r.lower_bound_fk_s:.2f}×) |"
        )
    if r.lower_bound_fk1_s:
        lines.append(
            "| 1 | lower bound again, with the clock's foreign key (`deadline_id`) only "
            f"| {_s(r.lower_bound_fk1_s)} | {_s(r.lower_bound_s)} | {r.lower_bound_fk1_s / r.lower_bound_s:.2f}× | |"
        )
    same = "same" if r.lower_bound_rows == r.first_scan.get("raised") else "**DIFFERENT**"
    lines.append(
        f"| 1 | rows: lower bound vs scan | {r.lower_bound_rows:,} | {r.first_scan.get('raised', 0):,} | | {same} |"
    )
    repeat_ratio = r.repeat_scan_s / r.select_s if r.select_s else float("nan")
    watched = ("core_deadline", "supervision_alert")
    written = sum(v for k, v in r.repeat_writes.items() if k in watched) + sum(
        v for k, v in r.repeat_fan_out_writes.items() if k in watched
    )
    lines.append(
        f"| 2 | repeated scan, nothing new (median of {len(r.repeat_scan_runs)}) | {_s(r.repeat_scan_s)} "
        f"| plain SELECT of the candidate set ({r.select_rows:,} rows), {_s(r.select_s)} "
        f"| {repeat_ratio:.2f}× | ≤ 1.5× — {_verdict(repeat_ratio, GOALS['repeat_scan'])} |"
    )
    lines.append(
        f"| 2 | — the SELECT: parallel plans allowed / parallel workers off "
        f"| {_s(r.select_parallel_s)} / {_s(r.select_serial_s)} | | | reference = the faster |"
    )
    lines.append(
        f"| 2 | rows written by the {len(r.repeat_scan_runs)} repeated scans and the fan-out "
        "(core_deadline + supervision_alert) "
        f"| {written} | | | 0 — {'met' if written == 0 else '**missed**'} |"
    )
    if r.repeat_fan_out_s:
        lines.append(
            f"| 2 | repeated scan, one court per task over {os.cpu_count()} processes "
            f"| {_s(r.repeat_fan_out_s)} | serial {_s(r.repeat_scan_s)} "
            f"| {r.repeat_scan_s / r.repeat_fan_out_s:.2f}× faster | |"
        )
    lines.append(
        f"| 3 | counters refresh (`court_stats_refresh`, every court) | {_s(r.stats_refresh_s)} "
        f"| {r.stats_rows:,} rows | | per scan cycle |"
    )
    d = r.dashboard
    if d.get("median_ms") is not None:
        lines.append(
            f"| 3 | high court dashboard, whole province (median of {d['runs']}) | {d['median_ms']:.1f} ms "
            f"| p95 {d['p95_ms']:.1f} ms | | ≤ 300 ms — {_verdict(d['median_ms'], GOALS['dashboard_ms'])} |"
        )
        lines.append(
            f"| 3 | dashboard queries: high court / intermediate court / basic court "
            f"| {d['queries_high']} / {d['queries_intermediate']} / {d['queries_basic']} | | | constant |"
        )
    else:
        lines.append(f"| 3 | high court dashboard | not measured: {d.get('missing', '?')} | | | |")
    da = r.dashboard_api
    if da.get("p50_ms") is not None:
        lines.append(
            f"| 3 | `GET {da['path']}` as the high court's 专人监管 ({da['requests']} requests) "
            f"| p50 {da['p50_ms']:.1f} ms | p95 {da['p95_ms']:.1f} ms | | {da['queries']} queries |"
        )
    elif da:
        lines.append(f"| 3 | dashboard API | not measured: {da.get('missing', '?')} | | | |")
    a = r.api
    if a.get("p50_ms") is not None:
        lines.append(
            f"| 4 | `GET {a['path']}` ({a['requests']} requests, {a['count']:,} matching, "
            f"{a['page']} per page) | p50 {a['p50_ms']:.1f} ms | p95 {a['p95_ms']:.1f} ms "
            f"| | {a['queries']} queries |"
        )
    else:
        lines.append(f"| 4 | alerts API | not measured: {a.get('missing', '?')} | | | |")
    lines += [
        "",
        "**Where the time goes** (sum over all courts; the rest is COMMIT — deferred foreign-key checks — and Python)",
        "",
    ]
    lines += ["| statement | first scan | repeated scan |", "|---|---:|---:|"]
    kinds = list(dict.fromkeys([*r.first_scan_parts, *r.repeat_scan_parts]))
    for kind in kinds:
        lines.append(
            f"| {kind} | {_s(r.first_scan_parts.get(kind, 0.0))} | {_s(r.repeat_scan_parts.get(kind, 0.0))} |"
        )
    rest_first = r.first_scan_s - sum(r.first_scan_parts.values())
    rest_repeat = r.repeat_scan_runs[0] - sum(r.repeat_scan_parts.values()) if r.repeat_scan_runs else 0.0
    lines.append(f"| commit + Python | {_s(rest_first)} | {_s(rest_repeat)} |")
    lines += [
        "",
        f"Rows written by the {len(r.repeat_scan_runs)} repeated scans, per table: "
        + ", ".join(f"{k} {v:,}" for k, v in r.repeat_writes.items())
        + ".",
    ]
    gen = p.seconds
    lines += ["", "Generation steps: " + ", ".join(f"{k} {_s(v)}" for k, v in gen.items()) + "."]
    for note in r.notes:
        lines += ["", note]
    lines.append(f"<!-- /bench:{r.cases} -->")
    return "\n".join(lines) + "\n"


DOC_HEADER = """# Performance

Figures of `make bench` (see "Results" below). The results are written here by
`python -m bench.run`.

## Results

<!-- bench:results -->
"""


def write_doc(
    path: Path, block: str, cases: int, *, kind: str = "bench", heading: str = "## Results"
) -> None:
    """Replace this size's block of ``kind`` in ``path`` (or add it after the
    ``<!-- kind:results -->`` anchor, adding the anchor under ``heading`` if missing)."""
    text = path.read_text(encoding="utf-8") if path.exists() else DOC_HEADER
    start, end = f"<!-- {kind}:{cases} -->", f"<!-- /{kind}:{cases} -->"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        _, after = rest.split(end, 1)
        text = before + block.rstrip("\n") + after
    else:
        anchor = f"<!-- {kind}:results -->"
        if anchor not in text:
            text = text.rstrip("\n") + f"\n\n{heading}\n\n" + anchor + "\n"
        text = text.replace(anchor, anchor + "\n\n" + block.rstrip("\n"), 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[index]


# --- steps 3 and 4 --------------------------------------------------------------------------


def measure_dashboard(rounds: int) -> dict:
    try:
        from supervision.selectors import dashboard as dashboards
    except ImportError as exc:
        return {"missing": f"supervision.dashboards not importable ({exc})"}
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.models import Court, CourtLevel, Role, User

    def supervisor_of(level: str) -> User:
        court = (
            Court.objects.filter(level=level, memberships__role=Role.CASE_SUPERVISOR).order_by("path").first()
        )
        return User.objects.get(memberships__court=court, memberships__role=Role.CASE_SUPERVISOR)

    def once(user: User) -> tuple[float, int]:
        fresh = User.objects.get(pk=user.pk)  # a request starts with a fresh user
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            data = dashboards.dashboard_data(user=fresh, court=None)
            _force(data)
            seconds = time.perf_counter() - started
        return seconds, len(ctx.captured_queries)

    high = supervisor_of(CourtLevel.HIGH)
    for _ in range(3):  # warm-up
        once(high)
    runs = max(20, rounds * 10)
    times = []
    for _ in range(runs):
        fresh = User.objects.get(pk=high.pk)
        started = time.perf_counter()
        _force(dashboards.dashboard_data(user=fresh, court=None))
        times.append(time.perf_counter() - started)
    return {
        "runs": runs,
        "median_ms": statistics.median(times) * 1000,
        "p95_ms": percentile(times, 0.95) * 1000,
        "queries_high": once(high)[1],
        "queries_intermediate": once(supervisor_of(CourtLevel.INTERMEDIATE))[1],
        "queries_basic": once(supervisor_of(CourtLevel.BASIC))[1],
    }


def _force(data) -> None:
    """Evaluate anything lazy the dashboard returned (querysets, generators)."""
    from django.db.models import QuerySet

    if isinstance(data, QuerySet):
        list(data)
    elif isinstance(data, dict):
        for value in data.values():
            _force(value)
    elif isinstance(data, list | tuple):
        for value in data:
            _force(value)


def persistent_connections() -> None:
    """As in production (config/settings/production.py, CONN_MAX_AGE=60): the test
    client's requests keep the connection instead of reconnecting each time."""
    from django.db import connection

    connection.settings_dict["CONN_MAX_AGE"] = 60
    connection.close()


def time_requests(client, url: str, requests: int) -> dict:
    """p50/p95 of ``requests`` GETs after a warm-up, and the queries of one more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = client.get(url)
    if first.status_code != 200:
        return {"missing": f"GET {url} answered {first.status_code}: {first.content[:300]!r}"}
    for _ in range(10):
        client.get(url)
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        if response.status_code != 200:
            return {"missing": f"GET {url} answered {response.status_code}"}
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return {
        "path": url,
        "requests": requests,
        "body": first.json(),
        "p50_ms": percentile(times, 0.50) * 1000,
        "p95_ms": percentile(times, 0.95) * 1000,
        "queries": len(ctx.captured_queries),
    }


def measure_api(code: str, requests: int) -> dict:
    from django.test import Client
    from django.urls import NoReverseMatch, Resolver404, resolve

    from core.models import Court
    from core.services.people import api_client_create

    path = "/api/v1/alerts/"
    try:
        resolve(path)
    except (Resolver404, NoReverseMatch):
        return {"missing": f"{path} is not routed yet (supervision/api/alerts.py)"}
    except Exception as exc:  # the module may be mid-edit: report it, do not crash
        return {"missing": f"{path} could not be loaded ({type(exc).__name__}: {exc})"}
    _user, key = api_client_create(court=Court.objects.get(code=code), name="bench")
    persistent_connections()
    client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Token {key}")
    timed = time_requests(client, f"{path}?court={code}&level=overdue", requests)
    if "missing" in timed:
        return timed
    body = timed.pop("body")
    results = body.get("results", []) if isinstance(body, dict) else body
    timed["count"] = body.get("count", len(results)) if isinstance(body, dict) else len(results)
    timed["page"] = len(results)
    return timed


def measure_dashboard_api(requests: int) -> dict:
    """``GET /api/v1/dashboard/`` as the high court's 专人监管 (session login): the
    dashboard end to end, serialisation included."""
    from django.test import Client
    from django.urls import Resolver404, resolve

    from core.models import CourtLevel, Role, User

    path = "/api/v1/dashboard/"
    try:
        resolve(path)
    except Resolver404:
        return {"missing": f"{path} is not routed"}
    except Exception as exc:  # the module may be mid-edit: report it, do not crash
        return {"missing": f"{path} could not be loaded ({type(exc).__name__}: {exc})"}
    user = User.objects.get(memberships__court__level=CourtLevel.HIGH, memberships__role=Role.CASE_SUPERVISOR)
    persistent_connections()
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    timed = time_requests(client, path, requests)
    timed.pop("body", None)
    return timed


def measure_scans(results: Results, courts: list[int], at: dt.datetime, rounds: int, requests: int) -> None:
    """Steps 1–4: the first scan against its lower bound, the repeated scan against a
    plain SELECT, the counters and the dashboard, the alerts API."""
    from django.db import transaction

    from core.models import Court
    from supervision.services.stats import court_stats_refresh

    province = results.province
    # 1. lower bound, then the real first scan --------------------------------------------
    say("1. warming the cache with the candidate set (not measured)")
    all_params = {"at": at}
    results.candidates = _scalar(
        _candidate_ctes(all_courts=True) + "SELECT count(*) FROM candidate", all_params
    )
    _execute(f"DROP TABLE IF EXISTS {SCRATCH_TABLE}")
    _execute(f"CREATE TABLE {SCRATCH_TABLE} (LIKE supervision_alert INCLUDING ALL)")
    _execute("VACUUM ANALYZE")
    checkpoint()
    say(f"1. lower bound: one INSERT … SELECT of {results.candidates:,} candidates into a scratch table")
    started = time.perf_counter()
    with transaction.atomic():
        results.lower_bound_rows = _execute(lower_bound_sql(), all_params)
    results.lower_bound_s = time.perf_counter() - started
    say(f"   {results.lower_bound_rows:,} rows in {results.lower_bound_s:.2f} s")
    # The same again with supervision_alert's foreign keys (deferred: checked at COMMIT),
    # to show what they cost the real scan.
    _execute(f"TRUNCATE {SCRATCH_TABLE}")
    foreign_keys = _rows(
        "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = 'supervision_alert'::regclass AND contype = 'f' ORDER BY conname"
    )
    for (definition,) in foreign_keys:
        _execute(f"ALTER TABLE {SCRATCH_TABLE} ADD {definition}")
    checkpoint()
    started = time.perf_counter()
    with transaction.atomic():
        _execute(lower_bound_sql(), all_params)
    results.lower_bound_fk_s = time.perf_counter() - started
    results.lower_bound_fks = len(foreign_keys)
    say(f"   with the {len(foreign_keys)} foreign keys: {results.lower_bound_fk_s:.2f} s")
    # And with the clock's foreign key only: court, case, rule, handler and to_court
    # are copies of what the clock row already references.
    _execute(f"TRUNCATE {SCRATCH_TABLE}")
    for (name,) in _rows(
        "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f' "
        "AND pg_get_constraintdef(oid) NOT LIKE 'FOREIGN KEY (deadline_id)%%'",
        [SCRATCH_TABLE],
    ):
        _execute(f'ALTER TABLE {SCRATCH_TABLE} DROP CONSTRAINT "{name}"')
    checkpoint()
    started = time.perf_counter()
    with transaction.atomic():
        _execute(lower_bound_sql(), all_params)
    results.lower_bound_fk1_s = time.perf_counter() - started
    say(f"   with the deadline foreign key only: {results.lower_bound_fk1_s:.2f} s")
    if os.environ.get("BENCH_EXPLAIN"):
        say(
            "EXPLAIN ANALYZE of the busiest court (first scan state, rolled back)\n"
            + explain_first(courts[0], at)
        )

    _execute(f"DROP TABLE {SCRATCH_TABLE}")
    checkpoint()
    say(f"1. first scan of {len(courts)} courts, serially")
    timer = StatementTimer()
    results.first_scan_s, results.first_scan = scan_all(courts, at, timer)
    results.first_scan_parts = dict(timer.seconds)
    say(f"   {results.first_scan} in {results.first_scan_s:.2f} s")
    if results.first_scan.get("raised") != results.lower_bound_rows:
        results.notes.append(
            f"**Warning:** the scan raised {results.first_scan.get('raised'):,} alerts, the lower bound "
            f"inserted {results.lower_bound_rows:,}."
        )
    _execute("VACUUM ANALYZE core_deadline")
    _execute("VACUUM ANALYZE supervision_alert")
    checkpoint()

    # 2. repeated scan against a plain SELECT --------------------------------------------------
    say("2. repeated scan (nothing new) against a plain SELECT of the candidate set")
    parallel_runs, serial_runs, scan_runs = [], [], []
    before = table_writes()
    for round_no in range(rounds):
        seconds, results.select_rows = select_candidates(courts, at, parallel=True)
        parallel_runs.append(seconds)
        seconds, _ = select_candidates(courts, at, parallel=False)
        serial_runs.append(seconds)
        timer = StatementTimer()
        seconds, totals = scan_all(courts, at, timer)
        scan_runs.append(seconds)
        if round_no == 0:
            results.repeat_scan = totals
            results.repeat_scan_parts = dict(timer.seconds)
        say(
            f"   round {round_no + 1}: SELECT {parallel_runs[-1]:.2f} s (parallel) / {serial_runs[-1]:.2f} s "
            f"(serial), scan {seconds:.2f} s {totals}"
        )
    results.select_parallel_s = statistics.median(parallel_runs)
    results.select_serial_s = statistics.median(serial_runs)
    results.select_s = min(results.select_parallel_s, results.select_serial_s)
    results.repeat_scan_s = statistics.median(scan_runs)
    results.repeat_scan_runs = scan_runs
    results.repeat_writes = writes_between(before, table_writes())
    say(f"   rows written: {results.repeat_writes}")

    workers = os.cpu_count() or 2
    if workers > 1:
        before = table_writes()
        results.repeat_fan_out_s, fan_totals = scan_fan_out(courts, at, workers)
        time.sleep(2)  # the workers' statistics reach the server when they disconnect
        results.repeat_fan_out_writes = writes_between(before, table_writes())
        say(f"   fan-out over {workers} processes: {results.repeat_fan_out_s:.2f} s {fan_totals}")

    if os.environ.get("BENCH_EXPLAIN"):
        say("EXPLAIN ANALYZE of the busiest court (repeated scan state)\n" + explain(courts[0], at))

    # 3. counters and the dashboard -------------------------------------------------------
    say("3. refreshing the dashboard counters of every court")
    started = time.perf_counter()
    results.stats_rows = sum(court_stats_refresh(court_id=c, at=at) for c in courts)
    results.stats_refresh_s = time.perf_counter() - started
    say(f"   {results.stats_rows:,} rows in {results.stats_refresh_s:.2f} s")
    say("3. high court dashboard")
    results.dashboard = measure_dashboard(rounds)
    say(f"   {results.dashboard}")
    results.dashboard_api = measure_dashboard_api(max(50, requests // 4))
    say(f"   API: {results.dashboard_api}")

    # 4. alerts API -----------------------------------------------------------------------------
    say(f"4. alerts API of {province.largest_basic}")
    results.api = measure_api(province.largest_basic, requests)
    say(f"   {results.api}")

    high = Court.objects.get(code=province.high_court)
    results.notes.append(
        f"The high court's 专人监管 is user `bench_{high.pk}_case_supervisor`; the API client is bound to "
        f"{province.largest_basic}, the busiest basic court."
    )


def _report(block: str, doc: str, cases: int, *, kind: str, heading: str) -> None:
    """Print a step's block and write it into ``doc`` (unless empty)."""
    sys.stdout.write("\n" + block)
    if doc:
        write_doc(ROOT / doc, block, cases, kind=kind, heading=heading)
        say(f"written to {doc}")


# --- main ------------------------------------------------------------------------------------


def main() -> int:
    cases = int(os.environ.get("BENCH_CASES") or 200_000)
    url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL
    rounds = int(os.environ.get("BENCH_ROUNDS") or 5)
    requests = int(os.environ.get("BENCH_REQUESTS") or 200)
    doc = os.environ.get("BENCH_DOC", "docs/performance.md")
    parts = {p.strip() for p in (os.environ.get("BENCH_PARTS") or "scan,year,bulk").split(",")}
    command = f"BENCH_CASES={cases} make bench"
    if parts != {"scan", "year", "bulk"}:
        command = f"BENCH_PARTS={','.join(sorted(parts))} " + command
    if url != DEFAULT_URL:
        command = f"BENCH_DATABASE_URL={url} " + command

    warnings.filterwarnings("ignore", message="No directory at")  # no collectstatic needed here
    say(f"bench: {cases:,} cases into {_database_name(url)}")
    recreate_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from bench import province as province_module
    from supervision.services.scan import courts_to_scan

    call_command("migrate", interactive=False, verbosity=0)
    at = timezone.now().replace(microsecond=0)
    results = Results(cases=cases, command=command, started=timezone.localtime(at))
    results.machine = machine_info()

    say("generating the province")
    started = time.perf_counter()
    province = province_module.generate(cases=cases, now=at, log=say)
    results.generation_seconds = time.perf_counter() - started
    results.province = province
    say(
        f"generated {province.cases:,} cases, {province.clocks:,} clocks "
        f"({province.running_clocks:,} running) in {results.generation_seconds:.1f} s"
    )

    # Biggest courts first: the order does not change the serial total, and the
    # fan-out balances better.
    by_size = dict(_rows("SELECT court_id, count(*) FROM core_deadline GROUP BY court_id"))
    courts = sorted(courts_to_scan(), key=lambda c: -by_size.get(c, 0))
    results.courts = len(courts)

    if "scan" in parts:
        measure_scans(results, courts, at, rounds, requests)
        block = render(results)
        sys.stdout.write("\n" + block)
        if doc:
            write_doc(ROOT / doc, block, cases)
            say(f"written to {doc}")
    if "year" in parts:
        from bench import calendar_load

        year_rounds = int(os.environ.get("BENCH_YEAR_ROUNDS") or 3)
        year = calendar_load.measure(at=at, courts=courts, rounds=year_rounds, log=say)
        block = calendar_load.render(
            year, cases=cases, command=command, started=results.started, machine=results.machine
        )
        _report(block, doc, cases, kind="bench-year", heading="### Results")
    if "bulk" in parts:
        from bench import bulk_ingest

        say("6. bulk ingest through POST /api/v1/cases/bulk/ against a raw COPY of the same rows")
        run = bulk_ingest.measure(
            code=province.largest_basic,
            size=int(os.environ.get("BENCH_BULK_SIZE") or 1000),
            requests=int(os.environ.get("BENCH_BULK_REQUESTS") or 5),
            log=say,
        )
        block = bulk_ingest.render(
            run, cases=cases, command=command, started=results.started, machine=results.machine
        )
        _report(block, doc, cases, kind="bench-bulk", heading="### Bulk ingest")
    connection.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
