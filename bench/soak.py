"""``python -m bench.soak`` (``make soak``): the production shape under a bounded mixed
load for a fixed time, and what it did to the database.

1. A fresh PostgreSQL database (dropped and re-created), migrated, with the demo
   province (``seed_demo``: courts, one user per role, the demo cases, funds,
   supervision and 一案双查 data) grown to ``SOAK_CASES`` cases by the same demo
   plan (``enforcement.demo``: every case through the services, as a clerk would).
2. gunicorn (``config/gunicorn.py``, ``SOAK_WORKERS`` workers × ``SOAK_THREADS``
   threads) on a free loopback port with ``config.settings.production``: DEBUG off,
   Redis cache and throttling, persistent database connections.
3. ``SOAK_CONCURRENCY`` client threads for ``SOAK_SECONDS``, each one API client
   (token) of a basic court and one 专人监管 session, each on one HTTP/1.1
   connection it reuses for every request, as an integrating system does
   (``http.client`` opens a new one when the server closed it). Reads: the case list (a random page), a case, its funds, the alerts
   list and the supervision dashboard. Writes (``SOAK_WRITE_SHARE`` of requests, each
   with a fresh ``Idempotency-Key``): bank-feed receipts by account number (one in
   five mistyped: 不明款) and property clues (a case step); one write in twenty
   replays an earlier one with its key and body, which must answer
   ``Idempotent-Replayed: true`` and write nothing.
   Workers are recycled during the load (``SOAK_MAX_REQUESTS`` requests per worker,
   ± ``SOAK_MAX_REQUESTS_JITTER``), as production recycles them after
   ``GUNICORN_MAX_REQUESTS``: a request the server drops while a worker leaves is a
   transport failure (gunicorn #3038; ``config/gunicorn_worker.py``).
4. Throughput, p50/p95/p99 of reads and writes, errors (every answer that is not
   2xx, and every transport failure), worker recycles and requests lost, and the rows written: node events created must
   equal the successful writes, and — once the ``audit`` app is installed — audit
   records created must equal the write requests sent (replays included).

The figures replace the section between ``<!-- soak:start -->`` and
``<!-- soak:end -->`` of ``SOAK_DOC`` (default ``docs/reliability.md``; empty: do not
write). Exit status 1 when there was any error (client or server log) or a count does
not match.

Environment: ``SOAK_SECONDS`` (60), ``SOAK_CONCURRENCY`` (16), ``SOAK_CASES`` (3000),
``SOAK_WORKERS`` (4), ``SOAK_THREADS`` (2), ``SOAK_WRITE_SHARE`` (0.25),
``SOAK_MAX_REQUESTS`` (100), ``SOAK_MAX_REQUESTS_JITTER`` (20),
``SOAK_DATABASE_URL`` (``postgres://postgres@127.0.0.1:5432/zhixing_soak``; its name
must contain "soak"), ``SOAK_REDIS_URL`` (``redis://127.0.0.1:6379/9``),
``SOAK_SEED`` (the load's random seed), ``SOAK_DOC``, ``SOAK_REUSE_DB=1`` (keep the
database of an earlier run — migrated, seeding skipped — to measure again quickly).
"""

# ruff: noqa: S311, S603 — the load's randomness is not security; gunicorn is started
# from this virtualenv with fixed arguments.

import datetime as dt
import http.client
import io
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from bench.run import machine_info, percentile, say

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/zhixing_soak"
DEFAULT_REDIS = "redis://127.0.0.1:6379/9"
FORBIDDEN_DATABASES = {"zhixing", "zhixing_me", "postgres", "template0", "template1"}
ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- soak:start -->", "<!-- soak:end -->"
BASIC_COURTS = ["鲁0102", "鲁0103", "鲁0202"]  # the demo province's basic courts (core.demo)
SUPERVISING_COURTS = ["鲁", "鲁01", "鲁02"]
HOST = "127.0.0.1"


# --- database and data ---------------------------------------------------------------------


def recreate_database(url: str) -> str:
    """Drop and create the soak database (refuses any name without "soak")."""
    import environ
    import psycopg2
    from psycopg2 import sql

    config = environ.Env.db_url_config(url)
    name = config["NAME"]
    if name in FORBIDDEN_DATABASES or "soak" not in name:
        raise SystemExit(f"SOAK_DATABASE_URL must name a soak database (got {name!r}); it is dropped.")
    conn = psycopg2.connect(
        dbname="postgres", user=config.get("USER") or None, password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None, port=config.get("PORT") or None,
    )
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    conn.close()
    return name


def _grow_court(job: tuple[str, int]) -> int:
    """More demo cases for one court (a forked process): numbers 1 … ``per_court``
    through ``enforcement.demo``'s plan; the ones that exist are skipped."""
    from enforcement import demo

    code, per_court = job
    demo.COURTS = [code]
    demo.CASES_PER_COURT = per_court
    return demo.seed()


def seed(cases: int) -> None:
    from django.core.management import call_command
    from django.db import connection, connections
    from django.utils import timezone

    from enforcement.models import Case
    from supervision.services.scan import courts_to_scan, scan_court
    from supervision.services.stats import court_stats_refresh

    say("seed_demo: courts, users, demo cases, funds, supervision, 一案双查")
    call_command("seed_demo", stdout=io.StringIO())
    per_court = -(-cases // len(BASIC_COURTS))
    if per_court * len(BASIC_COURTS) > Case.objects.count():
        say(f"growing to ~{cases:,} cases: the demo plan up to No. {per_court} in {', '.join(BASIC_COURTS)}")
        connections.close_all()  # the children must not share this process's connection
        with ProcessPoolExecutor(max_workers=len(BASIC_COURTS), mp_context=get_context("fork")) as pool:
            made = sum(pool.map(_grow_court, [(code, per_court) for code in BASIC_COURTS]))
        say(f"   {made:,} more cases")
    at = timezone.now()
    for court_id in courts_to_scan():  # alerts and the dashboard's counters, as beat would leave them
        scan_court(court_id=court_id, at=at)
        court_stats_refresh(court_id=court_id, at=at)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


@dataclass
class Identity:
    court: str
    token: str
    session: str  # the Cookie header of the 专人监管's session
    cases: list[int]
    open_cases: list[int]
    accounts: list[str]


def identities(concurrency: int, run_id: str) -> list[Identity]:
    """One API client (a court system) and one 专人监管 session per client thread: the
    throttle counts per user, as it would for that many real callers."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from core.models import Court, Department, Role, User
    from core.services.people import api_client_create, membership_grant
    from custody_funds.models import LedgerAccount
    from enforcement.models import Case, CaseStatus

    by_court: dict[str, tuple[list[int], list[int], list[str]]] = {}
    for code in BASIC_COURTS:
        rows = list(Case.objects.filter(court__code=code).values_list("pk", "status"))
        numbers = list(LedgerAccount.objects.filter(case__court__code=code).values_list("number", flat=True))
        by_court[code] = ([pk for pk, _s in rows], [pk for pk, s in rows if s != CaseStatus.CLOSED], numbers)
    out = []
    for i in range(concurrency):
        code = BASIC_COURTS[i % len(BASIC_COURTS)]
        _user, key = api_client_create(court=Court.objects.get(code=code), name=f"soak-{run_id}-{i}")
        supervisor = User(username=f"soak_supervisor_{run_id}_{i}", display_name=f"专人监管{i}")
        supervisor.set_unusable_password()
        supervisor.save()
        membership_grant(
            user=supervisor, court=Court.objects.get(code=SUPERVISING_COURTS[i % len(SUPERVISING_COURTS)]),
            role=Role.CASE_SUPERVISOR, department=Department.COMMAND_CENTRE,
        )
        session = SessionStore()
        session[SESSION_KEY] = str(supervisor.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = supervisor.get_session_auth_hash()
        session.create()
        cases, open_cases, numbers = by_court[code]
        cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
        out.append(Identity(code, key, cookie, cases, open_cases, numbers))
    return out


def counts() -> dict[str, int]:
    from django.apps import apps

    from core.models import NodeEvent
    from custody_funds.models import Receipt
    from enforcement.models import PropertyClue

    found = {
        "node_events": NodeEvent.objects.count(),
        "receipts": Receipt.objects.count(),
        "clues": PropertyClue.objects.count(),
        "clue_events": NodeEvent.objects.filter(kind="clue.received").count(),
        "receipt_events": NodeEvent.objects.filter(kind__in=["funds.receipt", "funds.receipt_unidentified"]).count(),
    }
    if apps.is_installed("audit"):
        found["audit"] = apps.get_model("audit", "AuditRecord").objects.count()
    return found


def sizes() -> dict[str, int]:
    from core.models import Court, Deadline, NodeEvent, User
    from enforcement.models import Case

    return {
        "courts": Court.objects.count(), "users": User.objects.count(), "cases": Case.objects.count(),
        "clocks": Deadline.objects.count(), "node_events": NodeEvent.objects.count(),
    }


# --- gunicorn ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict, port: int, workers: int, threads: int, log: Path) -> subprocess.Popen:
    env = env | {
        "GUNICORN_BIND": f"{HOST}:{port}", "GUNICORN_WORKERS": str(workers), "GUNICORN_THREADS": str(threads),
        "GUNICORN_MAX_REQUESTS": os.environ.get("SOAK_MAX_REQUESTS", "100"),
        "GUNICORN_MAX_REQUESTS_JITTER": os.environ.get("SOAK_MAX_REQUESTS_JITTER", "20"),
    }
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi:application", "-c", "config/gunicorn.py"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited ({process.returncode}); see {log}")
        status, _h, _b, _s, _e = request(port, "GET", "/healthz")
        if status == 200:
            return process
        time.sleep(0.3)
    stop_gunicorn(process)
    raise SystemExit(f"gunicorn did not answer /healthz within 60 s; see {log}")


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # graceful: in-flight requests finish
        try:
            process.wait(45)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # its own session, started above
            process.wait(10)


def server_log(log: Path, offset: int, end: int | None = None) -> dict:
    """From ``offset`` to ``end`` (the load only): the server's own time per request
    (the access log's ``duration_us``, config/gunicorn.py), the workers recycled and
    any error the server logged."""
    times: dict[str, list[float]] = {"read": [], "write": []}
    problems: list[str] = []
    recycles = 0
    with log.open("rb") as raw:
        raw.seek(offset)
        # the load only: up to ``end``, the size when the last client finished (what
        # gunicorn logs while it is being stopped afterwards is not the load's)
        text = raw.read(-1 if end is None else max(0, end - offset)).decode("utf-8", "replace")
    for line in text.splitlines(keepends=True):
        if "Autorestarting worker" in line:
            recycles += 1
            continue
        entry = None
        if line.startswith("{"):
            try:
                entry = json.loads(line)
            except ValueError:
                entry = None
        if isinstance(entry, dict) and "duration_us" in entry and "method" in entry:
            if entry.get("path") != "/healthz":
                times["read" if entry["method"] == "GET" else "write"].append(int(entry["duration_us"]) / 1e6)
        elif (isinstance(entry, dict) and entry.get("level") in ("ERROR", "CRITICAL")) or any(
            word in line for word in ("[CRITICAL]", "[ERROR]", "Traceback", "WORKER TIMEOUT")
        ):
            problems.append(line.strip()[:300])
    return {"times": times, "problems": problems, "recycles": recycles}


# --- the load ------------------------------------------------------------------------------------


def request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
            conn: http.client.HTTPConnection | None = None):
    """One request: (status, headers, body, seconds, error). On ``conn`` (the
    client's reused connection) when given, else on a connection of its own."""
    own = conn is None
    if conn is None:
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
    started = time.perf_counter()
    try:
        conn.request(method, path, body=body, headers={"Host": f"{HOST}:{port}", **(headers or {})})
        response = conn.getresponse()
        data = response.read()
        return response.status, response.headers, data, time.perf_counter() - started, None
    except (OSError, http.client.HTTPException) as exc:
        conn.close()  # the next request opens a new connection
        return None, None, b"", time.perf_counter() - started, f"{type(exc).__name__}: {exc}"
    finally:
        if own:
            conn.close()


@dataclass
class Tally:
    """What the clients saw; merged from every thread at the end."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    error_samples: list[str] = field(default_factory=list)
    writes_sent: int = 0
    writes_ok: Counter = field(default_factory=Counter)  # fresh writes answered 2xx, by operation
    replays_sent: int = 0
    replays_ok: int = 0


READS = [("case_list", 35), ("case_detail", 30), ("case_funds", 15), ("alerts", 10), ("dashboard", 10)]


def client(port: int, me: Identity, index: int, run_id: str, stop: threading.Event, write_share: float,
           rng: random.Random, tally: Tally, lock: threading.Lock) -> None:
    local = Tally()
    try:
        _load(port, me, index, run_id, stop, write_share, rng, local)
    except Exception as exc:  # the load generator itself broke: an error, never a silent thread
        local.errors["load generator"] += 1
        local.error_samples.append(f"load generator: {type(exc).__name__}: {exc}")
    finally:
        with lock:
            for name, values in local.latencies.items():
                tally.latencies[name].extend(values)
            tally.statuses.update(local.statuses)
            tally.errors.update(local.errors)
            tally.error_samples.extend(local.error_samples)
            tally.writes_sent += local.writes_sent
            tally.writes_ok.update(local.writes_ok)
            tally.replays_sent += local.replays_sent
            tally.replays_ok += local.replays_ok


def _load(port: int, me: Identity, index: int, run_id: str, stop: threading.Event, write_share: float,
          rng: random.Random, local: Tally) -> None:
    done: list[tuple[str, str, bytes, str]] = []  # successful writes: op, path, body, key
    token = {"Authorization": f"Token {me.token}", "Accept": "application/json"}
    json_headers = token | {"Content-Type": "application/json"}
    session = {"Cookie": me.session, "Accept": "application/json"}
    pages = max(1, -(-len(me.cases) // 50))
    serial = 0
    conn = http.client.HTTPConnection(HOST, port, timeout=60)  # reused, as an integrating system does
    while not stop.is_set():
        if rng.random() < write_share:
            now = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
            if done and rng.random() < 0.05:
                op, path, body, key = rng.choice(done)
                kind, label = "write", f"{op} (replay)"
                local.replays_sent += 1
            else:
                serial += 1
                key = f"soak-{run_id}-{index}-{serial}"
                if rng.random() < 0.5:
                    op, path = "receipt", "/api/v1/receipts/"
                    number = rng.choice(me.accounts)
                    if rng.random() < 0.2:  # a mistyped digit: kept as 不明款
                        i = rng.randrange(len(number))
                        number = number[:i] + str((int(number[i]) + 1) % 10) + number[i + 1:]
                    payload = {"account_number": number, "amount": f"{rng.randint(100, 5_000_000) / 100:.2f}",
                               "arrived_at": now.isoformat(), "payer": "某某公司", "reference": key, "court": me.court}
                else:
                    op, path = "clue", f"/api/v1/cases/{rng.choice(me.open_cases)}/property-clues/"
                    payload = {"received_at": now.isoformat(), "description": f"申请执行人反映被执行人名下有车辆一辆（{key}）",
                               "source": "申请执行人", "specific": rng.random() < 0.5, "urgent": rng.random() < 0.3}
                body = json.dumps(payload, ensure_ascii=False).encode()
                kind, label = "write", op
            local.writes_sent += 1
            status, headers, data, seconds, error = request(
                port, "POST", path, body, json_headers | {"Idempotency-Key": key}, conn
            )
            ok = status is not None and 200 <= status < 300
            if ok and label.endswith("(replay)"):
                if headers.get("Idempotent-Replayed") == "true":
                    local.replays_ok += 1
                else:
                    ok, error = False, "replay not marked Idempotent-Replayed (written twice?)"
            elif ok:
                local.writes_ok[op] += 1
                if len(done) < 200:
                    done.append((op, path, body, key))
        else:
            op = rng.choices([name for name, _w in READS], weights=[w for _n, w in READS])[0]
            case = rng.choice(me.cases)
            path, headers = {
                "case_list": (f"/api/v1/cases/?court={_q(me.court)}&page={rng.randint(1, pages)}", token),
                "case_detail": (f"/api/v1/cases/{case}/", token),
                "case_funds": (f"/api/v1/cases/{case}/funds/", token),
                "alerts": (f"/api/v1/alerts/?court={_q(me.court)}", token),
                "dashboard": ("/api/v1/dashboard/", session),
            }[op]
            kind, label = "read", op
            status, _h, data, seconds, error = request(port, "GET", path, None, headers, conn)
            ok = status is not None and 200 <= status < 300
        local.latencies[kind].append(seconds)
        local.latencies[label].append(seconds)
        local.statuses[(label, status)] += 1
        if not ok:
            local.errors[label] += 1
            if len(local.error_samples) < 5:
                local.error_samples.append(f"{label} {status}: {error or data[:300].decode('utf-8', 'replace')}")


def _q(text: str) -> str:
    from urllib.parse import quote

    return quote(text)


def warm_up(port: int, people: list[Identity]) -> None:
    """A few requests of every kind, not measured: every worker imports and connects."""
    for me in people[: len(BASIC_COURTS)]:
        token = {"Authorization": f"Token {me.token}"}
        for _ in range(8):
            request(port, "GET", f"/api/v1/cases/?court={_q(me.court)}", None, token)
            request(port, "GET", f"/api/v1/cases/{me.cases[0]}/", None, token)
            request(port, "GET", "/api/v1/dashboard/", None, {"Cookie": me.session})


# --- the report ----------------------------------------------------------------------------------


def _ms(values: list[float], q: float) -> str:
    return f"{percentile(values, q) * 1000:,.1f}" if values else "–"


def render(r: dict) -> str:
    t: Tally = r["tally"]
    seconds = r["elapsed"]
    total = len(t.latencies["read"]) + len(t.latencies["write"])
    errors = sum(t.errors.values())
    m = r["machine"]
    server = r["server"]
    lines = [
        START,
        "## Soak: gunicorn under a mixed read/write load",
        "",
        f"- Command: `{r['command']}`",
        f"- Date: {r['date']:%Y-%m-%d %H:%M} (Asia/Shanghai)",
        f"- Machine: {m['cpu']}, {m['ram']} RAM (load average at the start: {m['load']}; "
        "gunicorn, PostgreSQL, Redis and the load generator share these cores"
        + (", and the machine was shared with other work: with a load average above the core count, the times "
           "below are mostly waiting for a CPU)" if r["busy"] else ")"),
        f"- Database: {m['postgres']}",
        f"- Server: gunicorn ({r['workers']} workers × {r['threads']} threads, `config/gunicorn.py`) on "
        f"loopback, `config.settings.production` (DEBUG off, `CONN_MAX_AGE=60`, Redis cache and API throttling "
        "at the production rates, `DJANGO_SECURE_SSL_REDIRECT=false` as behind a TLS proxy)",
        f"- Load: {r['concurrency']} client threads (Python `http.client`, each reusing one HTTP/1.1 connection, no think "
        f"time) for {r['configured']:g} s (figures over the {seconds:.1f} s until the last answer); each thread is one API client of a basic court and one 专人监管 session; "
        f"{r['write_share']:.0%} writes, each with a fresh `Idempotency-Key`; seed {r['seed']}",
        f"- Data: {r['sizes']['courts']} courts, {r['sizes']['users']:,} users, {r['sizes']['cases']:,} cases "
        f"(`seed_demo`, grown by the demo plan), {r['sizes']['clocks']:,} clocks, "
        f"{r['sizes']['node_events']:,} node events before the run; "
        + ("database kept from an earlier run (`SOAK_REUSE_DB=1`)" if r["reused"]
           else f"migrating and seeding took {r['seed_seconds']:.0f} s"),
        "",
        "| | requests | req/s | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for kind in ("read", "write"):
        values = t.latencies[kind]
        kind_errors = sum(n for label, n in t.errors.items() if (label in dict(READS)) == (kind == "read"))
        lines.append(
            f"| **{kind}s** | {len(values):,} | {len(values) / seconds:,.1f} | {_ms(values, 0.5)} | {_ms(values, 0.95)} "
            f"| {_ms(values, 0.99)} | {kind_errors} |"
        )
    everything = t.latencies["read"] + t.latencies["write"]
    lines.append(
        f"| **all** | {total:,} | {total / seconds:,.1f} | {_ms(everything, 0.5)} | {_ms(everything, 0.95)} "
        f"| {_ms(everything, 0.99)} | {errors} |"
    )
    for kind in ("read", "write"):
        values = server["times"][kind]
        if values:
            lines.append(
                f"| {kind}s, time inside gunicorn (access log) | {len(values):,} | | {_ms(values, 0.5)} "
                f"| {_ms(values, 0.95)} | {_ms(values, 0.99)} | |"
            )
    endpoints = {
        "case_list": "GET /api/v1/cases/?court=…&page=…", "case_detail": "GET /api/v1/cases/{id}/",
        "case_funds": "GET /api/v1/cases/{id}/funds/", "alerts": "GET /api/v1/alerts/?court=…",
        "dashboard": "GET /api/v1/dashboard/ (session)", "receipt": "POST /api/v1/receipts/ (bank feed)",
        "clue": "POST /api/v1/cases/{id}/property-clues/", "receipt (replay)": "POST /api/v1/receipts/ (replay)",
        "clue (replay)": "POST …/property-clues/ (replay)",
    }
    lines += ["", "| endpoint | requests | p50 ms | p95 ms | p99 ms | errors |", "|---|---:|---:|---:|---:|---:|"]
    for label, title in endpoints.items():
        values = t.latencies.get(label, [])
        if values:
            lines.append(f"| `{title}` | {len(values):,} | {_ms(values, 0.5)} | {_ms(values, 0.95)} "
                         f"| {_ms(values, 0.99)} | {t.errors.get(label, 0)} |")
    d = r["delta"]
    ok_writes = sum(t.writes_ok.values())
    lines += ["", "| check | expected | found | |", "|---|---:|---:|---|"]
    for title, expected, found in r["checks"]:
        lines.append(f"| {title} | {expected:,} | {found:,} | {'ok' if expected == found else '**MISMATCH**'} |")
    if "audit" not in d:
        lines.append("| audit records created = write requests sent | – | – | `audit` app not installed yet |")
    by_status: Counter = Counter()
    for (_label, status), n in t.statuses.items():
        by_status[status if status is not None else "no answer"] += n
    statuses = ", ".join(f"{status}: {n:,}" for status, n in sorted(by_status.items(), key=lambda kv: str(kv[0])))
    lines += [
        "",
        f"Answers by status: {statuses}. Writes: {t.writes_sent:,} sent ({t.replays_sent:,} replays), "
        f"{ok_writes:,} fresh writes committed ({', '.join(f'{k} {v:,}' for k, v in sorted(t.writes_ok.items()))}), "
        f"{t.replays_ok:,} replays answered from the idempotency record.",
    ]
    if t.error_samples:
        lines += ["", "First errors:", ""] + [f"- `{e[:200]}`" for e in t.error_samples[:5]]
    lines += [
        "",
        "Client times are from the load generator (connect, request, answer); the difference to the time inside "
        "gunicorn is queueing for a free worker thread and the load generator itself (same two cores).",
        "",
        f"Workers recycled during the load: {server['recycles']} (`SOAK_MAX_REQUESTS` "
        f"{os.environ.get('SOAK_MAX_REQUESTS', '100')} ± {os.environ.get('SOAK_MAX_REQUESTS_JITTER', '20')} requests "
        "per worker; `config/gunicorn_worker.py` serves what a leaving worker accepted, `keepalive = 0`).",
        "",
        f"Errors logged by the server during the load: {len(server['problems'])}"
        + (":" if server["problems"] else "."),
    ]
    lines += [f"- `{p[:200]}`" for p in server["problems"][:5]]
    lines += [
        "",
        f"Verdict: **{'pass' if r['passed'] else 'FAIL'}** (client errors {errors}, server errors "
        f"{len(server['problems'])}; every count must match).",
        END,
    ]
    return "\n".join(lines) + "\n"


def write_doc(path: Path, block: str) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else "# Reliability and security figures\n"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        _old, after = rest.split(END, 1)
        text = before + block.rstrip("\n") + after
    else:
        text = text.rstrip("\n") + "\n\n" + block
    path.write_text(text, encoding="utf-8")


# --- main ------------------------------------------------------------------------------------------


def main() -> int:
    seconds = float(os.environ.get("SOAK_SECONDS") or 60)
    concurrency = int(os.environ.get("SOAK_CONCURRENCY") or 16)
    cases = int(os.environ.get("SOAK_CASES") or 3000)
    workers = int(os.environ.get("SOAK_WORKERS") or 4)
    threads = int(os.environ.get("SOAK_THREADS") or 2)
    write_share = float(os.environ.get("SOAK_WRITE_SHARE") or 0.25)
    url = os.environ.get("SOAK_DATABASE_URL") or DEFAULT_URL
    redis_url = os.environ.get("SOAK_REDIS_URL") or DEFAULT_REDIS
    doc = os.environ.get("SOAK_DOC", "docs/reliability.md")
    load_seed = int(os.environ.get("SOAK_SEED") or random.SystemRandom().randrange(10**6))
    command = " ".join(
        [f"SOAK_SECONDS={seconds:g}", f"SOAK_CONCURRENCY={concurrency}"]
        + [f"{k}={os.environ[k]}" for k in ("SOAK_CASES", "SOAK_WORKERS", "SOAK_THREADS", "SOAK_WRITE_SHARE",
                                            "SOAK_DATABASE_URL", "SOAK_REUSE_DB") if os.environ.get(k)]
        + ["make soak"]
    )

    reuse = os.environ.get("SOAK_REUSE_DB") == "1"
    if reuse:
        say("soak: reusing the database of an earlier run (SOAK_REUSE_DB=1)")
    else:
        name = recreate_database(url)
        say(f"soak: database {name} re-created")
    # The production settings, for this process (migrate, seed, counts) and for gunicorn.
    server_env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SOAK_", "PYTEST", "DJANGO_", "PGOPTIONS"))},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": f"{HOST},localhost",
        "DATABASE_URL": url,
        "REDIS_URL": redis_url,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
    }
    os.environ.update(server_env)
    # Seeding is a bulk load into a throw-away database: no need to wait for each
    # commit to reach the disk. gunicorn does not get this (server_env has no PGOPTIONS).
    os.environ["PGOPTIONS"] = "-c synchronous_commit=off"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    started_seed = time.monotonic()
    say("migrate")
    call_command("migrate", interactive=False, verbosity=0)
    if not reuse:
        seed(cases)
    run_id = secrets.token_hex(3)
    people = identities(concurrency, run_id)
    seed_seconds = time.monotonic() - started_seed
    facts = {"machine": machine_info(), "sizes": sizes(), "busy": os.getloadavg()[0] > (os.cpu_count() or 1)}
    say(f"ready in {seed_seconds:.0f} s: {facts['sizes']}")
    connections.close_all()
    os.environ.pop("PGOPTIONS")

    port = free_port()
    log = Path(tempfile.mkdtemp(prefix="zhixing-soak-")) / "gunicorn.log"
    say(f"gunicorn: {workers} workers × {threads} threads on {HOST}:{port} (log {log})")
    server = start_gunicorn(server_env, port, workers, threads, log)
    try:
        warm_up(port, people)
        before = counts()
        connections.close_all()
        offset = log.stat().st_size
        say(f"load: {concurrency} clients for {seconds:.0f} s, {write_share:.0%} writes")
        tally, lock, stop = Tally(), threading.Lock(), threading.Event()
        rng = random.Random(load_seed)
        clients = [
            threading.Thread(target=client, args=(port, me, i, run_id, stop, write_share, random.Random(rng.random()),
                                                  tally, lock), name=f"soak-client-{i}")
            for i, me in enumerate(people)
        ]
        started = time.perf_counter()
        for t in clients:
            t.start()
        stop.wait(seconds)
        stop.set()
        for t in clients:
            t.join(120)
        elapsed = time.perf_counter() - started
        if any(t.is_alive() for t in clients):
            raise SystemExit("a client thread did not finish")
        end = log.stat().st_size
    finally:
        stop_gunicorn(server)
    after = counts()
    delta = {k: after[k] - before.get(k, 0) for k in after}
    ok_writes = sum(tally.writes_ok.values())
    checks = [
        ("node events created = writes committed", ok_writes, delta["node_events"]),
        ("— `funds.receipt*` events = receipts committed", tally.writes_ok["receipt"], delta["receipt_events"]),
        ("— `clue.received` events = clues committed", tally.writes_ok["clue"], delta["clue_events"]),
        ("receipt rows created = receipts committed", tally.writes_ok["receipt"], delta["receipts"]),
        ("property clue rows created = clues committed", tally.writes_ok["clue"], delta["clues"]),
        ("replays answered `Idempotent-Replayed: true`", tally.replays_sent, tally.replays_ok),
        ("requests without an answer (transport failures)", 0, sum(n for (_l, st), n in tally.statuses.items() if st is None)),
    ]
    if "audit" in delta:
        checks.append(("audit records created = write requests sent", tally.writes_sent, delta["audit"]))
    errors = sum(tally.errors.values())
    server = server_log(log, offset, end)
    passed = errors == 0 and not server["problems"] and all(expected == found for _t, expected, found in checks)
    block = render({
        "tally": tally, "elapsed": elapsed, "configured": seconds, "server": server, "command": command, "date": timezone.localtime(),
        "workers": workers, "threads": threads, "concurrency": concurrency, "write_share": write_share,
        "seed": load_seed, "seed_seconds": seed_seconds, "reused": reuse, "delta": delta, "checks": checks, "passed": passed, **facts,
    })
    sys.stdout.write("\n" + block)
    if doc:
        write_doc(ROOT / doc, block)
        say(f"written to {doc}")
    say(f"gunicorn log: {log}")
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
