"""Loading a year's working calendar into the synthetic province (``make bench``,
step 5): ``calendar_year_load`` + ``calendar_load_recompute`` against a raw-SQL
lower bound, and what a concurrent deadline scan waits meanwhile.

The scenario (``prepare``):

* the year ``Y`` is the one after the generation moment ``at``; it is removed from
  the calendar if the database had it (the ``chinese-calendar`` package may know
  it), so clocks reaching into it are counted on the predicted calendar;
* a third of the running clocks (``completed_at IS NULL``, not paused), drawn at
  random among the rules whose due day consults the calendar (working days, or a
  period that rolls past rest days), are re-dated to straddle 1 January ``Y``:
  started in the last days/months of ``Y - 1``, due in ``Y``;
* every other clock that still reaches ``Y`` (the province's clocks are due up to
  180 days after ``at``) is moved back by whole weeks until its last threshold
  lies before ``Y``, so the load touches the chosen third and nothing else;
* the chosen clocks then get their real schedule on the predicted calendar by
  running the real recompute once (``clocks_recompute``): ``provisional`` and
  every threshold are what ``clock_start`` would have written;
* one scan of every court (not measured) settles the alerts, so the scans timed
  afterwards are the steady state ("nothing new").

The notice (``notice_days``) is the prediction of ``Y`` with three days changed:
the first weekday after 元旦 becomes a holiday, and the last make-up day of 春节
moves a week later. Every clock counting working days past early January moves.

Measured (``measure``), each from the same starting state (``reset``: ``Y``
removed again, the clocks written back as they were, ``VACUUM ANALYZE``,
``CHECKPOINT``):

a. our path: ``calendar_year_load(…)`` then ``calendar_load_recompute(load_id=…,
   chunk_size=5000)``, wall time, ``BENCH_YEAR_ROUNDS`` times (median);
b. the lower bound: the rows (a) wrote, with the values it wrote (taken from the
   table after (a) into ``bench_year_new``), written back by one ``UPDATE
   core_deadline d SET <the 7 schedule columns and status> FROM bench_year_new n
   WHERE d.id = n.id`` in one transaction — same rows, same columns, same history
   trigger; checked against the rows (a) updated (``pg_stat_user_tables``);
b′. the same statement restricted to (a)'s chunks of 5,000 ids, one transaction
   each (``lower_bound_chunked``: one statement over the whole set pays for its
   AFTER trigger at the end, out of cache);
c. the same (a) once more while another process scans every court in a loop
   (``scan_court``, biggest court first, at ``at``); each scan's duration against
   the median of three idle passes of the same court, and what its backend was
   doing (``pg_stat_activity`` sampled every 5 ms: waiting on a lock, on I/O, or
   running).
"""

# ruff: noqa: S608 — SQL below is assembled from constants of this module only;
# every value goes in as a bound parameter.

import datetime as dt
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass, field
from multiprocessing import get_context

from django.db import connection, connections, transaction
from django.utils import timezone

TZ = "Asia/Shanghai"
SHARE = 1 / 3  # of the running clocks: provisional, reaching into the year loaded
CHUNK_SIZE = 5000  # calendar_load_recompute's default (the Celery task and load_calendar use it)
IDLE_PASSES = 3
COLUMNS = [
    "original_due_at",
    "due_at",
    "provisional",
    "warn_at",
    "warn_again_at",
    "escalate_at",
    "upper_at",
    "status",
]
RESCHEDULE_RECEIVER = "supervision.reschedule_alerts"  # dispatch_uid in supervision/apps.py
OLD_TABLE = "bench_year_old"
NEW_TABLE = "bench_year_new"


def _execute(sql: str, params=None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _rows(sql: str, params=None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _scalar(sql: str, params=None):
    return _rows(sql, params)[0][0]


def _checkpoint() -> None:
    from django.db import DatabaseError

    try:
        _execute("CHECKPOINT")
    except DatabaseError:
        pass


def _updated_rows() -> int:
    """Rows updated in ``core_deadline`` so far (this backend's statistics flushed)."""
    _scalar("SELECT pg_stat_force_next_flush()")
    _scalar("SELECT pg_stat_clear_snapshot()")
    return int(_scalar("SELECT n_tup_upd FROM pg_stat_user_tables WHERE relname = 'core_deadline'"))


# --- the notice ------------------------------------------------------------------------


def notice_days(year: int) -> tuple[list[dt.date], list[dt.date]]:
    """Holidays and make-up days of a notice for ``year`` that differs from the
    prediction on three days: the first weekday after 元旦 is a holiday too, and the
    last make-up day of 春节 moves one week later (a weekend day either way)."""
    from core.calendar_prediction import predict_year, predict_year_detail

    official = predict_year(year)
    day = dt.date(year, 1, 2)
    while day.weekday() >= 5 or day in official:
        day += dt.timedelta(days=1)
    official[day] = False
    spring = next(h for h in predict_year_detail(year) if h.name.startswith("春节"))
    if spring.workdays:
        moved = spring.workdays[-1]
        later = moved + dt.timedelta(days=7)
        while later in official:
            later += dt.timedelta(days=7)
        del official[moved]
        official[later] = True
    holidays = sorted(d for d, working in official.items() if not working and d.year == year)
    workdays = sorted(d for d, working in official.items() if working and d.year == year)
    return holidays, workdays


# --- the scenario ----------------------------------------------------------------------


@dataclass
class Scenario:
    year: int
    running: int = 0
    chosen: int = 0
    moved_back: int = 0
    provisional: int = 0
    affected: int = 0
    unloaded_rows: int = 0
    differences: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def _period_days(n: str, unit: str) -> str:
    """Calendar-day approximation of ``n`` ``unit`` (as bench.province has it)."""
    return (
        f"(CASE {unit} WHEN 'working_days' THEN ceil({n} * 7 / 5.0) WHEN 'months' THEN {n} * 30 "
        f"WHEN 'hours' THEN ceil({n} / 24.0) ELSE {n} END)::int"
    )


def _unload(year: int) -> int:
    """Forget ``year``'s schedule (it is then predicted)."""
    removed = _execute(
        "DELETE FROM core_calendarday WHERE date BETWEEN %s AND %s",
        [dt.date(year, 1, 1), dt.date(year, 12, 31)],
    )
    removed += _execute("DELETE FROM core_calendaryear WHERE year = %s", [year])
    return removed


def prepare(*, at: dt.datetime, courts: list[int], log) -> Scenario:
    """Turn the generated province into the scenario of the module docstring."""
    from core.calendar import start_of_day
    from core.services.calendar import affected_deadlines
    from core.services.clocks import clocks_recompute
    from supervision.services.scan import scan_court

    year = timezone.localtime(at).year + 1
    scenario = Scenario(year=year)
    jan_first = dt.date(year, 1, 1)
    boundary = start_of_day(jan_first)

    def step(name: str, fn, *args):
        started = time.perf_counter()
        out = fn(*args)
        scenario.seconds[name] = time.perf_counter() - started
        log(f"   {name}: {scenario.seconds[name]:.1f} s")
        return out

    scenario.unloaded_rows = _unload(year)
    scenario.running = int(
        _scalar("SELECT count(*) FROM core_deadline WHERE completed_at IS NULL AND paused_at IS NULL")
    )
    target = round(scenario.running * SHARE)

    def choose() -> int:
        _execute("SELECT setseed(0.2027)")
        _execute("DROP TABLE IF EXISTS bench_year_chosen")
        _execute(
            """
            CREATE TABLE bench_year_chosen AS
            SELECT d.id FROM core_deadline d
            WHERE d.completed_at IS NULL AND d.paused_at IS NULL AND d.unit <> 'hours'
              AND (d.unit = 'working_days' OR d.roll_to_working_day)
            ORDER BY random() LIMIT %s
            """,
            [target],
        )
        _execute("ALTER TABLE bench_year_chosen ADD PRIMARY KEY (id)")
        # Started before 1 January, due after it: for working days at most half the
        # period's calendar length before (so the count surely crosses into the
        # year), for months and days anywhere in the period.
        period = _period_days("d.duration", "d.unit")
        return _execute(
            f"""
            WITH dated AS (
                SELECT d.id, ((%(jan)s::date - 1 - floor(random() * greatest(1, CASE d.unit
                            WHEN 'working_days' THEN {period} / 2 ELSE {period} - 1 END))::int)
                        + time '09:00') AT TIME ZONE '{TZ}' AS started_at,
                       {period} AS period
                FROM core_deadline d JOIN bench_year_chosen c ON c.id = d.id
            )
            UPDATE core_deadline d
            SET started_at = dated.started_at,
                original_due_at = dated.started_at + dated.period * interval '1 day',
                due_at = dated.started_at + dated.period * interval '1 day',
                warn_at = dated.started_at, warn_again_at = NULL,
                escalate_at = dated.started_at + (dated.period + 3) * interval '1 day',
                upper_at = dated.started_at + (dated.period + 7) * interval '1 day',
                provisional = true
            FROM dated WHERE d.id = dated.id
            """,
            {"jan": jan_first},
        )

    scenario.chosen = step("re-date a third of the running clocks into the year", choose)

    def move_back() -> int:
        # Whole weeks, so weekdays stay weekdays; pauses move with their clock.
        _execute("DROP TABLE IF EXISTS bench_year_moved")
        _execute(
            """
            CREATE TEMP TABLE bench_year_moved AS
            SELECT d.id, (floor(extract(epoch FROM greatest(d.due_at, d.warn_at, d.warn_again_at,
                                   d.escalate_at, d.upper_at) - %(b)s) / 604800) + 1)::int * 7 AS days
            FROM core_deadline d
            WHERE d.completed_at IS NULL AND NOT EXISTS (SELECT 1 FROM bench_year_chosen c WHERE c.id = d.id)
              AND greatest(d.due_at, d.warn_at, d.warn_again_at, d.escalate_at, d.upper_at) >= %(b)s
            """,
            {"b": boundary},
        )
        moved = _execute(
            """
            UPDATE core_deadline d
            SET started_at = d.started_at - m.days * interval '1 day',
                original_due_at = d.original_due_at - m.days * interval '1 day',
                due_at = d.due_at - m.days * interval '1 day',
                warn_at = d.warn_at - m.days * interval '1 day',
                warn_again_at = d.warn_again_at - m.days * interval '1 day',
                escalate_at = d.escalate_at - m.days * interval '1 day',
                upper_at = d.upper_at - m.days * interval '1 day',
                paused_at = d.paused_at - m.days * interval '1 day'
            FROM bench_year_moved m WHERE m.id = d.id
            """
        )
        _execute(
            """
            UPDATE core_deadlinepause p SET paused_at = p.paused_at - m.days * interval '1 day'
            FROM bench_year_moved m WHERE m.id = p.deadline_id
            """
        )
        _execute("DROP TABLE bench_year_moved")
        return moved

    scenario.moved_back = step("move the other clocks out of the year", move_back)
    _execute("VACUUM ANALYZE core_deadline")
    _execute("VACUUM ANALYZE core_deadlinepause")
    queryset = affected_deadlines(jan_first, dt.date(year, 12, 31))
    step(
        "their schedules on the predicted calendar (clocks_recompute, not measured)",
        lambda: clocks_recompute(queryset=queryset, chunk_size=CHUNK_SIZE),
    )
    scenario.affected = queryset.count()
    scenario.provisional = int(
        _scalar("SELECT count(*) FROM core_deadline WHERE completed_at IS NULL AND provisional")
    )
    holidays, workdays = notice_days(year)
    from core.services.calendar import calendar_differences_from_prediction

    scenario.differences = [
        f"{d.date:%m-%d} {'上班' if d.official_working else '休息'}"
        for d in calendar_differences_from_prediction(year=year, holidays=holidays, workdays=workdays)
    ]

    def settle() -> None:
        for court_id in courts:
            scan_court(court_id=court_id, at=at)

    step("one scan of every court to settle the alerts (not measured)", settle)
    _execute(f"DROP TABLE IF EXISTS {OLD_TABLE}")
    _execute(
        f"CREATE TABLE {OLD_TABLE} AS SELECT id, {', '.join(COLUMNS)} FROM core_deadline "
        "WHERE completed_at IS NULL"
    )
    _execute(f"ALTER TABLE {OLD_TABLE} ADD PRIMARY KEY (id)")
    _execute("DROP TABLE bench_year_chosen")
    _execute("VACUUM ANALYZE")
    return scenario


def reset(year: int) -> None:
    """Back to the state before the load: ``year`` predicted again, every clock's
    schedule and status as ``prepare`` left them (only rows that differ are
    written), dead rows vacuumed, dirty pages flushed."""
    changed = ", ".join(COLUMNS)
    old = ", ".join(f"o.{c}" for c in COLUMNS)
    _unload(year)
    _execute(
        f"UPDATE core_deadline d SET ({changed}) = ({old}) FROM {OLD_TABLE} o "
        f"WHERE d.id = o.id AND ({', '.join(f'd.{c}' for c in COLUMNS)}) IS DISTINCT FROM ({old})"
    )
    _execute("VACUUM ANALYZE core_deadline")
    _execute("VACUUM ANALYZE core_deadlineevent")
    _checkpoint()


# --- (a) our path ---------------------------------------------------------------------


class RecomputeTimer:
    """``connection.execute_wrapper`` adding up the recompute's time per statement."""

    KINDS = [
        ("FOR UPDATE", "read the chunk (SELECT … FOR UPDATE)"),
        ("UPDATE core_deadline AS d", "write the chunk (one UPDATE … FROM unnest)"),
        ("core_deadlinepause", "pauses of the chunk"),
        ("core_deadlineextension", "extensions of the chunk"),
        ('UPDATE "core_calendarload"', "progress (UPDATE core_calendarload)"),
        ("UPDATE supervision_alert", "open alerts follow the clocks (`alerts_reschedule`, per chunk)"),
        ('UPDATE "supervision_alert"', "open alerts follow the clocks (`alerts_reschedule`, per chunk)"),
        ("SELECT COUNT(*)", "count the affected clocks"),
        ('"id" AS "pk" FROM', "ids of the affected clocks"),
    ]

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            kind = next((label for needle, label in self.KINDS if needle in sql), "other statements")
            self.seconds[kind] += time.perf_counter() - started


@dataclass
class LoadRun:
    seconds: float
    load_seconds: float
    recompute_seconds: float
    examined: int
    moved_earlier: int
    moved_later: int
    settled: int
    now_overdue: int
    written: int
    parts: dict = field(default_factory=dict)
    started: float = 0.0
    finished: float = 0.0


def load_year(year: int, *, timer: RecomputeTimer | None = None) -> LoadRun:
    """Our path, as ``manage.py load_calendar`` runs it: the load, then the
    recompute after its commit."""
    from core.services.calendar import calendar_load_recompute, calendar_year_load

    holidays, workdays = notice_days(year)
    before = _updated_rows()
    timer = timer or RecomputeTimer()
    started = time.perf_counter()
    mono_start = time.monotonic()
    with connection.execute_wrapper(timer):
        load = calendar_year_load(
            year=year,
            holidays=holidays,
            workdays=workdays,
            actor=None,
            source="bench",
            check_permission=False,
            recompute_in_background=False,
        )
        loaded = time.perf_counter()
        load = calendar_load_recompute(load_id=load.pk, chunk_size=CHUNK_SIZE)
    finished = time.perf_counter()
    mono_end = time.monotonic()
    written = _updated_rows() - before
    return LoadRun(
        seconds=finished - started,
        load_seconds=loaded - started,
        recompute_seconds=finished - loaded,
        examined=load.processed,
        moved_earlier=load.moved_earlier,
        moved_later=load.moved_later,
        settled=load.settled,
        now_overdue=load.now_overdue,
        written=written,
        parts=dict(timer.seconds),
        started=mono_start,
        finished=mono_end,
    )


# --- (b) the lower bound ------------------------------------------------------------


def snapshot_new() -> int:
    """The rows the load changed, with their new values (after ``load_year``)."""
    old = ", ".join(f"o.{c}" for c in COLUMNS)
    _execute(f"DROP TABLE IF EXISTS {NEW_TABLE}")
    _execute(
        f"CREATE TABLE {NEW_TABLE} AS SELECT d.id, {', '.join(f'd.{c}' for c in COLUMNS)} "
        f"FROM core_deadline d JOIN {OLD_TABLE} o ON o.id = d.id "
        f"WHERE ({', '.join(f'd.{c}' for c in COLUMNS)}) IS DISTINCT FROM ({old})"
    )
    _execute(f"ALTER TABLE {NEW_TABLE} ADD PRIMARY KEY (id)")
    _execute(f"ANALYZE {NEW_TABLE}")
    return int(_scalar(f"SELECT count(*) FROM {NEW_TABLE}"))


def lower_bound_sql() -> str:
    assignments = ", ".join(f"{c} = n.{c}" for c in COLUMNS)
    return (
        f"UPDATE core_deadline d SET {assignments} FROM {NEW_TABLE} n "
        "WHERE d.id = n.id AND d.completed_at IS NULL"
    )


def lower_bound() -> tuple[float, int]:
    started = time.perf_counter()
    with transaction.atomic():
        rows = _execute(lower_bound_sql())
    return time.perf_counter() - started, rows


def lower_bound_chunked() -> tuple[float, int]:
    """The same writes in (a)'s chunks: ``CHUNK_SIZE`` rows by id, one statement and
    one transaction each. One statement over a few hundred thousand rows runs
    its history trigger (an AFTER trigger) only at its end, re-reading every row
    after the cache has moved on; a chunk's rows are still in it."""
    ids = [row[0] for row in _rows(f"SELECT id FROM {NEW_TABLE} ORDER BY id")]
    rows = 0
    started = time.perf_counter()
    for offset in range(0, len(ids), CHUNK_SIZE):
        with transaction.atomic():
            rows += _execute(lower_bound_sql() + " AND n.id = ANY(%s)", [ids[offset : offset + CHUNK_SIZE]])
    return time.perf_counter() - started, rows


# --- (c) a scan meanwhile ---------------------------------------------------------------


SAMPLE_SECONDS = 0.005


def _sample_waits(pid: int, params: dict, stop, samples: list) -> None:
    """Thread of the scanning process: every 5 ms, what the scanning backend is
    doing (``pg_stat_activity``: waiting on a lock, on I/O, or running)."""
    import psycopg2

    conn = psycopg2.connect(**params)
    conn.autocommit = True
    with conn.cursor() as cursor:
        while not stop.is_set():
            cursor.execute(
                "SELECT state, wait_event_type, wait_event FROM pg_stat_activity WHERE pid = %s", [pid]
            )
            row = cursor.fetchone()
            if row and row[0] == "active":
                samples.append((time.monotonic(), f"{row[1]}:{row[2]}" if row[1] else "running"))
            time.sleep(SAMPLE_SECONDS)
    conn.close()


def _scan_loop(courts: list[int], at: dt.datetime, passes: int, stop, pipe) -> None:
    """Child process: scan every court in turn, ``passes`` times or until ``stop``
    is set; send back (court, started, seconds) per scan (monotonic clock, shared
    by the processes of one machine) and the wait samples of its backend."""
    import threading

    from supervision.services.scan import scan_court

    connection.ensure_connection()
    samples: list = []
    sampling = threading.Event()
    sampler = threading.Thread(
        target=_sample_waits,
        args=(connection.connection.get_backend_pid(), connection.get_connection_params(), sampling, samples),
        daemon=True,
    )
    sampler.start()
    out = []
    done = 0
    pipe.send("ready")
    while (passes and done < passes) or (not passes and not stop.is_set()):
        for court_id in courts:
            if not passes and stop.is_set():
                break
            started = time.monotonic()
            scan_court(court_id=court_id, at=at)
            out.append((court_id, started, time.monotonic() - started))
        done += 1
    sampling.set()
    sampler.join()
    connection.close()
    pipe.send((out, samples))
    pipe.close()


def _start_scans(courts: list[int], at: dt.datetime, passes: int):
    context = get_context("fork")
    connections.close_all()  # the child must not share this process's connection
    stop = context.Event()
    parent, child = context.Pipe()
    process = context.Process(target=_scan_loop, args=(courts, at, passes, stop, child), daemon=True)
    process.start()
    parent.recv()  # "ready"
    return process, stop, parent


def idle_scans(courts: list[int], at: dt.datetime) -> list[tuple[int, float, float]]:
    process, _stop, pipe = _start_scans(courts, at, IDLE_PASSES)
    scans, _samples = pipe.recv()
    process.join()
    return scans


def scans_during_load(courts: list[int], at: dt.datetime, year: int) -> tuple[LoadRun, list, list]:
    """(a) while another process scans; the scans that overlapped it, and the
    samples of the scanning backend during it ((moment, what) every 5 ms)."""
    process, stop, pipe = _start_scans(courts, at, 0)
    time.sleep(0.5)  # the child is scanning
    run = load_year(year)
    stop.set()
    scans, samples = pipe.recv()
    process.join()
    overlapping = [s for s in scans if s[1] < run.finished and s[1] + s[2] > run.started]
    samples = [(moment, what) for moment, what in samples if run.started <= moment <= run.finished]
    return run, overlapping, samples


# --- all of it --------------------------------------------------------------------------


@dataclass
class YearResults:
    scenario: Scenario
    runs: list[LoadRun] = field(default_factory=list)
    bound_runs: list[float] = field(default_factory=list)
    bound_rows: int = 0
    chunked_runs: list[float] = field(default_factory=list)
    chunked_rows: int = 0
    new_rows: int = 0
    idle: dict[int, float] = field(default_factory=dict)
    idle_pass_s: float = 0.0
    without_receiver: LoadRun | None = None
    during_run: LoadRun | None = None
    during: list = field(default_factory=list)
    during_samples: list = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def median_s(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def bound_s(self) -> float:
        return statistics.median(self.bound_runs)

    @property
    def ratio(self) -> float:
        return self.median_s / self.bound_s if self.bound_s else float("nan")

    @property
    def chunked_s(self) -> float:
        return statistics.median(self.chunked_runs) if self.chunked_runs else float("nan")


def measure(*, at: dt.datetime, courts: list[int], rounds: int, log) -> YearResults:
    log("5. loading a year: preparing the scenario")
    scenario = prepare(at=at, courts=courts, log=log)
    log(
        f"   year {scenario.year}: {scenario.provisional:,} provisional of {scenario.running:,} running clocks; "
        f"{scenario.affected:,} affected; notice differs on {', '.join(scenario.differences)}"
    )
    results = YearResults(scenario=scenario)
    year = scenario.year

    reset(year)
    log("5c. idle scans (every court, three passes)")
    scans = idle_scans(courts, at)
    by_court: dict[int, list[float]] = defaultdict(list)
    for court_id, _started, seconds in scans:
        by_court[court_id].append(seconds)
    results.idle = {c: statistics.median(v) for c, v in by_court.items()}
    results.idle_pass_s = sum(results.idle.values())
    log(f"   a pass of {len(courts)} courts: {results.idle_pass_s:.2f} s (sum of medians)")

    for round_no in range(rounds):
        reset(year)
        run = load_year(year)
        results.runs.append(run)
        log(
            f"5a. round {round_no + 1}: load + recompute {run.seconds:.2f} s (load {run.load_seconds:.2f} s), "
            f"{run.examined:,} examined, {run.written:,} written, earlier {run.moved_earlier:,}, "
            f"later {run.moved_later:,}, settled {run.settled:,}"
        )
        if round_no == 0:
            results.new_rows = snapshot_new()
        reset(year)
        seconds, rows = lower_bound()
        results.bound_runs.append(seconds)
        results.bound_rows = rows
        log(f"5b. round {round_no + 1}: lower bound {seconds:.2f} s, {rows:,} rows")
        reset(year)
        seconds, rows = lower_bound_chunked()
        results.chunked_runs.append(seconds)
        results.chunked_rows = rows
        log(f"5b. round {round_no + 1}: the same in chunks of {CHUNK_SIZE:,} {seconds:.2f} s, {rows:,} rows")
    if any(r.written not in (results.bound_rows, results.chunked_rows) for r in results.runs) or (
        results.bound_rows != results.chunked_rows
    ):
        results.notes.append(
            f"**Warning:** the load wrote {[r.written for r in results.runs]} rows, the lower bound "
            f"{results.bound_rows:,}, in chunks {results.chunked_rows:,}."
        )

    # Diagnostic: the same without supervision's receiver of ``clocks_rescheduled``
    # (the open alerts follow their clocks in each chunk's transaction), to show
    # what it costs of (a).
    from core.signals import clocks_rescheduled
    from supervision import receivers

    reset(year)
    if clocks_rescheduled.disconnect(dispatch_uid=RESCHEDULE_RECEIVER):
        try:
            results.without_receiver = load_year(year)
        finally:
            clocks_rescheduled.connect(receivers.reschedule_alerts, dispatch_uid=RESCHEDULE_RECEIVER)
        log(f"5a. without supervision's receiver: {results.without_receiver.seconds:.2f} s")
        reset(year)
    log("5c. load + recompute again while another process scans every court in a loop")
    results.during_run, results.during, results.during_samples = scans_during_load(courts, at, year)
    log(f"   load {results.during_run.seconds:.2f} s, {len(results.during)} scans meanwhile")
    _execute(f"DROP TABLE IF EXISTS {NEW_TABLE}")
    _execute(f"DROP TABLE IF EXISTS {OLD_TABLE}")
    return results


# --- the report -------------------------------------------------------------------------


def _s(seconds: float) -> str:
    return f"{seconds:,.1f} s" if seconds >= 10 else f"{seconds:,.2f} s"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def render(r: YearResults, *, cases: int, command: str, started: dt.datetime, machine: dict) -> str:
    s = r.scenario
    median_run = sorted(r.runs, key=lambda run: run.seconds)[len(r.runs) // 2]
    fastest = min(run.seconds for run in r.runs) / min(r.bound_runs)
    same = all(run.written == r.bound_rows for run in r.runs)
    lines = [
        f"<!-- bench-year:{cases} -->",
        f"#### {cases:,} cases",
        "",
        f"- Command: `{command}`",
        f"- Date: {started:%Y-%m-%d %H:%M} (Asia/Shanghai); year loaded: {s.year}",
        f"- Machine: {machine['cpu']}, {machine['ram']} RAM (load average at the start of the bench: "
        f"{machine['load']}; shared with other work)",
        "",
        "| | |",
        "|---|---:|",
        f"| running clocks (not paused) | {s.running:,} |",
        f"| — re-dated into {s.year} (a third) / provisional on the predicted calendar | "
        f"{s.chosen:,} / {s.provisional:,} |",
        f"| — other clocks moved back out of {s.year} | {s.moved_back:,} |",
        f"| clocks the load examines (`affected_deadlines`) | {median_run.examined:,} |",
        f"| the notice differs from the prediction on | {', '.join(s.differences)} |",
        f"| clocks written / due earlier / due later / settled (no longer 暂定) | {median_run.written:,} / "
        f"{median_run.moved_earlier:,} / {median_run.moved_later:,} / {median_run.settled:,} |",
        "",
        "| measurement | figure | reference | ratio | goal |",
        "|---|---:|---:|---:|---|",
        f"| (a) `calendar_year_load` + `calendar_load_recompute(chunk_size={CHUNK_SIZE})`, median of "
        f"{len(r.runs)} ({', '.join(_s(run.seconds) for run in r.runs)}) | {_s(r.median_s)} "
        f"| (b) {_s(r.bound_s)} | **{r.ratio:.2f}×** (fastest of each: {fastest:.2f}×) "
        f"| ≤ 2× — {'met' if r.ratio <= 2 else '**missed**'} |",
        f"| (b) one `UPDATE core_deadline d SET <8 columns> FROM bench_year_new n WHERE d.id = n.id`, median of "
        f"{len(r.bound_runs)} ({', '.join(_s(x) for x in r.bound_runs)}) | {_s(r.bound_s)} "
        f"| {r.bound_rows:,} rows; (a) updated {median_run.written:,} | | "
        f"{'same rows' if same else '**DIFFERENT rows**'} |",
        f"| (b′) the same `UPDATE`, restricted to (a)'s chunks (`AND n.id = ANY(<{CHUNK_SIZE:,} ids>)`, one "
        f"transaction each), median of {len(r.chunked_runs)} ({', '.join(_s(x) for x in r.chunked_runs)}) "
        f"| {_s(r.chunked_s)} | {r.chunked_rows:,} rows | (a) ÷ (b′): {r.median_s / r.chunked_s:.2f}× | |",
        f"| — of (a): `calendar_year_load` (days, year, load row, event) | {_s(median_run.load_seconds)} | | | |",
    ]
    if r.without_receiver is not None:
        w = r.without_receiver.seconds
        lines.append(
            "| (a) once more without supervision's `clocks_rescheduled` receiver (`alerts_reschedule`: open "
            f"alerts follow their clocks, in each chunk) — diagnostic | {_s(w)} | (b) {_s(r.bound_s)} "
            f"| {w / r.bound_s:.2f}× (÷ (b′): {w / r.chunked_s:.2f}×) | |"
        )
    if r.during_run is not None:
        lines.append(
            f"| (a) again, while another process scans every court in a loop | {_s(r.during_run.seconds)} "
            f"| alone {_s(r.median_s)} | {r.during_run.seconds / r.median_s:.2f}× | |"
        )
    if r.during:
        longest = max(r.during, key=lambda x: x[2])
        worst = max((seconds - r.idle.get(court, 0.0), court, seconds) for court, _st, seconds in r.during)
        lines += [
            f"| (c) longest single scan (`scan_court`) during (a) — {len(r.during):,} scans, "
            f"{len({c for c, *_ in r.during})} courts | {_ms(longest[2])} "
            f"| idle, same court: {_ms(r.idle.get(longest[0], 0.0))} | | longest idle scan "
            f"{_ms(max(r.idle.values()))} |",
            f"| (c) **max wait**: the most one scan took beyond its court's idle median | {_ms(worst[0])} "
            f"| {_ms(worst[2])} against {_ms(r.idle.get(worst[1], 0.0))} | | |",
            f"| (c) median scan of a court: during (a) / idle "
            f"| {_ms(statistics.median([x for _c, _st, x in r.during]))} "
            f"| {_ms(statistics.median(list(r.idle.values())))} | | |",
        ]
    if r.during_samples:

        def shares(samples: list) -> str:
            counts: dict[str, int] = defaultdict(int)
            for _moment, what in samples:
                counts[what] += 1
            total = sum(counts.values())
            return ", ".join(
                f"`{what}` {count / total:.0%}"
                for what, count in sorted(counts.items(), key=lambda kv: -kv[1])
            )

        longest = max(r.during, key=lambda x: x[2])
        inside = [x for x in r.during_samples if longest[1] <= x[0] <= longest[1] + longest[2]]
        lines += [
            "",
            "What the scanning backend was doing during (a), sampled every 5 ms in `pg_stat_activity` "
            f"({len(r.during_samples):,} samples while a statement was active): {shares(r.during_samples)}.",
        ]
        if inside:
            lines.append(f"During the longest scan ({len(inside)} samples): {shares(inside)}.")
    lines += [
        "",
        "Where (a)'s time goes (median round)",
        "",
        "| part | time |",
        "|---|---:|",
    ]
    for kind, seconds in sorted(median_run.parts.items(), key=lambda kv: -kv[1]):
        lines.append(f"| {kind} | {_s(seconds)} |")
    lines.append(
        "| Python (reading rows into dicts, computing and comparing schedules) and commits "
        f"| {_s(median_run.seconds - sum(median_run.parts.values()))} |"
    )
    lines += [
        "",
        "Preparation (not measured): " + ", ".join(f"{k} {_s(v)}" for k, v in s.seconds.items()) + ".",
    ]
    for note in r.notes:
        lines += ["", note]
    lines.append(f"<!-- /bench-year:{cases} -->")
    return "\n".join(lines) + "\n"
