"""Step 6 of ``make bench`` (``BENCH_PARTS`` ``bulk``): bulk ingest through
``POST /api/v1/cases/bulk/`` on top of the synthetic province, against the raw-SQL
lower bound of the same rows (issue 17: ≥ 2,000 cases/s).

The endpoint: ``BENCH_BULK_REQUESTS`` requests (default 5) of ``BENCH_BULK_SIZE``
cases each (default 1,000: the endpoint's maximum), sent one after another by
Django's test client in this process (the whole request: authentication,
idempotency, validation, the set write, the answer; no gunicorn, no network) as the
API client of the busiest basic court. Each case is a 执 case with one applicant (a
person, with the payout account) and one respondent (a company), as an integrating
court system sends them.

Through gunicorn, as the outside probe of issue 17 measured it: the production
settings and ``config/gunicorn.py`` (``BENCH_BULK_WORKERS`` workers, default 4, with
the configuration's two threads each) on loopback, and ``BENCH_BULK_CLIENTS`` clients
(default 4) each sending
``BENCH_BULK_REQUESTS`` requests of ``BENCH_BULK_SIZE`` cases one after another, all
at once: cases/s is the cases created over the wall time from the first request sent
to the last answer. That is the figure of issue 17's goal (an integrating court
system sends its migration over several connections).

The lower bound: the rows that the endpoint wrote for the same number of cases
(cases, parties, payout accounts, ledger accounts, clocks, node events — read back
from the database, outside the timing), written again with new ids and case numbers
by ``COPY … FROM STDIN`` into the same tables (their indexes, constraints and
history triggers included), one transaction per request's worth of rows; the new ids
are drawn and the COPY text made before the clock starts. What the bound leaves out
is the application: parsing, checks, due dates, the answer.
"""

# ruff: noqa: S608 — table and column names below come from the models' own metadata.

import datetime as dt
import io
import json
import os
import statistics
import time
from dataclasses import dataclass, field
from decimal import Decimal

SEQUENCE_BASE = 9_000_000_000  # case numbers far above the province's own (10 digits at most)


@dataclass
class ServedRun:
    """The parallel run through gunicorn."""

    clients: int
    workers: int
    size: int
    requests: int
    wall_s: float = 0.0
    created: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    per_request: list[float] = field(default_factory=list)

    @property
    def cases_per_s(self) -> float:
        return self.created / self.wall_s if self.wall_s else 0.0


@dataclass
class BulkRun:
    size: int
    requests: int
    court: str
    existing_cases: int
    seconds: list[float] = field(default_factory=list)
    created: int = 0
    failed: int = 0
    bound_seconds: list[float] = field(default_factory=list)
    bound_rows: dict[str, int] = field(default_factory=dict)
    load: tuple[float, float, float] = (0.0, 0.0, 0.0)
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)
    served: ServedRun | None = None

    @property
    def total_s(self) -> float:
        return sum(self.seconds)

    @property
    def cases_per_s(self) -> float:
        return self.created / self.total_s if self.total_s else 0.0

    @property
    def bound_cases_per_s(self) -> float:
        total = sum(self.bound_seconds)
        return self.created / total if total else 0.0

    @property
    def ratio(self) -> float:
        total = sum(self.bound_seconds)
        return self.total_s / total if total else 0.0


def _payloads(code: str, year: int, start: int, size: int, received_at: dt.datetime) -> list[dict]:
    from core.identity import credit_code_check_char, resident_id_check_char

    bodies = []
    for k in range(start, start + size):
        person17 = f"37010219900101{k % 1000:03d}"
        org17 = f"91370100MA{k % 10_000_000:07d}"
        bodies.append(
            {
                "case_number": f"({year}){code}执{SEQUENCE_BASE + k}号",
                "court": code,
                "filed_on": (received_at - dt.timedelta(days=2)).date().isoformat(),
                "received_at": received_at.isoformat(),
                "claim_amount": f"{10_000 + k % 90_000}.00",
                "basis_document": f"({year - 1}){code}民初{k}号民事判决书",
                "applicants": [
                    {
                        "name": f"申请人{k}",
                        "kind": "person",
                        "id_number": person17 + resident_id_check_char(person17),
                        "phone": f"138{k % 100_000_000:08d}",
                        "payout_account": {
                            "bank": "中国工商银行济南分行",
                            "account_number": f"6222{k:015d}",
                            "holder": f"申请人{k}",
                        },
                    }
                ],
                "respondents": [
                    {
                        "name": f"被执行公司{k}",
                        "kind": "organization",
                        "id_number": org17 + credit_code_check_char(org17),
                    }
                ],
            }
        )
    return bodies


# --- the raw-SQL bound ---------------------------------------------------------------------


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, dt.datetime | dt.date):
        value = value.isoformat()
    elif isinstance(value, Decimal):
        value = str(value)
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _table_rows(cursor, table: str, where: str, ids: list[int]) -> tuple[list[str], list[list]]:
    cursor.execute(f"SELECT * FROM {table} WHERE {where} = ANY(%s) ORDER BY id", [ids])
    columns = [d.name for d in cursor.description]
    return columns, [list(row) for row in cursor.fetchall()]


def _read_back(case_ids: list[int]) -> dict[str, tuple[list[str], list[list]]]:
    """Every row the endpoint wrote for ``case_ids``, per table (not timed)."""
    from django.db import connection

    with connection.cursor() as cursor:
        tables = {
            "enforcement_case": _table_rows(cursor, "enforcement_case", "id", case_ids),
            "enforcement_party": _table_rows(cursor, "enforcement_party", "case_id", case_ids),
        }
        party_ids = [row[0] for row in tables["enforcement_party"][1]]
        tables["enforcement_payoutaccount"] = _table_rows(
            cursor, "enforcement_payoutaccount", "party_id", party_ids
        )
        tables["custody_funds_ledgeraccount"] = _table_rows(
            cursor, "custody_funds_ledgeraccount", "case_id", case_ids
        )
        tables["core_deadline"] = _table_rows(cursor, "core_deadline", "case_id", case_ids)
        tables["core_nodeevent"] = _table_rows(cursor, "core_nodeevent", "case_id", case_ids)
    return tables


def _copy_prepare(tables: dict[str, tuple[list[str], list[list]]], round_no: int) -> list[tuple[str, str]]:
    """``tables``' rows under new ids (and new case numbers, account numbers) as
    ``COPY`` statements and their text (ids drawn from the tables' sequences)."""
    from django.db import connection

    from custody_funds.services.ledger import account_number_for

    new_ids: dict[str, dict[int, int]] = {}
    with connection.cursor() as cursor:
        for table, (_columns, rows) in tables.items():
            cursor.execute(
                f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)",
                [len(rows)],
            )
            new_ids[table] = {row[0]: fresh for row, (fresh,) in zip(rows, cursor.fetchall(), strict=True)}
    remap = {"case_id": new_ids["enforcement_case"], "party_id": new_ids["enforcement_party"]}
    copies = []
    for table, (columns, rows) in tables.items():
        lines = []
        for row in rows:
            values = dict(zip(columns, row, strict=True))
            values["id"] = new_ids[table][values["id"]]
            for column, mapping in remap.items():
                if values.get(column) is not None:
                    values[column] = mapping[values[column]]
            if table == "enforcement_case":
                values["case_number"] = values["case_number"].replace("号", f"-{round_no}号")
            if table == "custody_funds_ledgeraccount":
                values["number"] = account_number_for(court_id=values["court_id"], case_id=values["case_id"])
            if table in ("core_deadline", "core_nodeevent") and values.get("subject_id") in remap["case_id"]:
                values["subject_id"] = remap["case_id"][values["subject_id"]]
            lines.append("\t".join(_copy_text(values[c]) for c in columns) + "\n")
        copies.append((f"COPY {table} ({', '.join(columns)}) FROM STDIN", "".join(lines)))
    return copies


def _checkpoint() -> None:
    """As before every timed write phase of the bench: no phase pays for flushing the
    pages another one dirtied (the province's generation above all). Then a new
    connection: in one long-lived session of the bench process, each round's COMMIT
    took 0.17 s longer than the one before (0.33 → 1.04 s for the bound over five
    rounds, the same growth in the endpoint); with a fresh session every round costs
    the same (0.22 s). The cause was not found; gunicorn's workers are measured
    below on their own sessions (see docs/performance.md)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")
    connection.close()


def _copy_again(copies: list[tuple[str, str]]) -> float:
    """Run the COPY statements in one transaction; returns the seconds it took
    (the rows' text was made beforehand, outside the timing)."""
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for statement, text in copies:
            cursor.copy_expert(statement, io.StringIO(text))
    return time.perf_counter() - started


# --- the run ---------------------------------------------------------------------------------


def measure_served(*, code: str, key: str, size: int, requests: int, clients: int, workers: int,
                   received_at: dt.datetime, first: int, log) -> ServedRun:
    """``clients`` clients at once, each ``requests`` requests of ``size`` cases, through
    gunicorn (production settings) on loopback."""
    import secrets
    import tempfile
    import threading
    from pathlib import Path

    from django.db import connection

    from bench import soak

    run = ServedRun(clients=clients, workers=workers, size=size, requests=requests)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("BENCH_", "PYTEST", "DJANGO_", "PGOPTIONS"))},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": f"{soak.HOST},localhost",
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "REDIS_URL": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "GUNICORN_TIMEOUT": "120",
    }
    port = soak.free_port()
    log_path = Path(tempfile.mkdtemp(prefix="zhixing-bench-bulk-")) / "gunicorn.log"
    connection.close()
    server = soak.start_gunicorn(env, port, workers, int(os.environ.get("GUNICORN_THREADS") or 2), log_path)
    headers = {"Authorization": f"Token {key}", "Content-Type": "application/json"}
    try:
        # one small request per worker first (not counted): imports, caches
        for w in range(workers):
            body = json.dumps({"cases": _payloads(code, received_at.year, first + w * 10, 10, received_at)})
            soak.request(port, "POST", "/api/v1/cases/bulk/", body.encode(), headers)
        first += workers * 10
        bodies = [
            [
                json.dumps(
                    {"cases": _payloads(code, received_at.year, first + (c * requests + r) * size, size, received_at)},
                    ensure_ascii=False,
                ).encode()
                for r in range(requests)
            ]
            for c in range(clients)
        ]
        lock = threading.Lock()

        def send(mine: list[bytes]) -> None:
            for body in mine:
                status, _h, data, seconds, error = soak.request(port, "POST", "/api/v1/cases/bulk/", body, headers)
                with lock:
                    run.per_request.append(seconds)
                    if status != 200:
                        run.errors.append(f"{status} {error or data[:200]!r}")
                        continue
                    answer = json.loads(data)
                    run.created += answer["created"]
                    run.failed += answer["failed"]

        threads = [threading.Thread(target=send, args=(mine,)) for mine in bodies]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        run.wall_s = time.perf_counter() - started
    finally:
        soak.stop_gunicorn(server)
    log(
        f"   through gunicorn, {clients} clients × {requests} requests × {size:,} cases: {run.created:,} created "
        f"in {run.wall_s:.2f} s = {run.cases_per_s:,.0f} cases/s"
        + f" (per request {', '.join(f'{t:.2f}' for t in run.per_request)} s)"
        + (f"; errors: {run.errors[:3]}" if run.errors else "")
    )
    return run


def measure(*, code: str, size: int, requests: int, log) -> BulkRun:
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from core.models import Court
    from core.services.people import api_client_create
    from enforcement.models import Case

    court = Court.objects.get(code=code)
    _user, key = api_client_create(court=court, name="bench bulk ingest")
    connection.settings_dict["CONN_MAX_AGE"] = 60
    connection.close()
    client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Token {key}")
    now = timezone.now()
    received_at = timezone.localtime(now - dt.timedelta(hours=1)).replace(microsecond=0)
    run = BulkRun(size=size, requests=requests, court=code, existing_cases=Case.objects.count())
    run.load = os.getloadavg()

    # one small request first (not counted): imports, caches, the client's token
    warm = client.post(
        "/api/v1/cases/bulk/",
        {"cases": _payloads(code, received_at.year, 0, 10, received_at)},
        content_type="application/json",
    )
    if warm.status_code != 200 or warm.json()["created"] != 10:
        raise SystemExit(f"bulk ingest warm-up failed: {warm.status_code} {warm.content[:500]!r}")

    for r in range(requests):
        bodies = _payloads(code, received_at.year, 1_000 + r * size, size, received_at)
        body = json.dumps({"cases": bodies}, ensure_ascii=False)
        _checkpoint()
        started = time.perf_counter()
        response = client.post("/api/v1/cases/bulk/", body, content_type="application/json")
        run.seconds.append(time.perf_counter() - started)
        answer = response.json()
        if response.status_code != 200:
            raise SystemExit(f"bulk ingest answered {response.status_code}: {response.content[:500]!r}")
        run.created += answer["created"]
        run.failed += answer["failed"]
        if answer["failed"]:
            errors = [r["error"] for r in answer["results"] if r["result"] == "error"][:3]
            log(f"   request {r + 1}: {answer['failed']} items refused, e.g. {errors}")
        log(f"   request {r + 1}/{requests}: {answer['created']} created in {run.seconds[-1]:.2f} s")
        case_ids = [item["id"] for item in answer["results"] if item["result"] == "created"]
        tables = _read_back(case_ids)
        run.bound_rows = {table: len(rows) for table, (_c, rows) in tables.items()}
        copies = _copy_prepare(tables, r)
        _checkpoint()
        run.bound_seconds.append(_copy_again(copies))
        log(f"   raw COPY of the same rows: {run.bound_seconds[-1]:.2f} s")
    clients = int(os.environ.get("BENCH_BULK_CLIENTS") or 4)
    if clients:
        run.served = measure_served(
            code=code, key=key, size=size, requests=requests, clients=clients,
            workers=int(os.environ.get("BENCH_BULK_WORKERS") or 4), received_at=received_at,
            first=1_000 + requests * size, log=log,
        )
    run.load_after = os.getloadavg()
    return run


def render(run: BulkRun, *, cases: int, command: str, started, machine: dict) -> str:
    rows = ", ".join(f"{table} {n:,}" for table, n in run.bound_rows.items())
    median = statistics.median(run.seconds) if run.seconds else 0.0
    goal = 2_000.0
    served = run.served
    best = served.cases_per_s if served is not None else run.cases_per_s
    verdict = "met" if best >= goal else "NOT met"
    lines = [
        f"<!-- bench-bulk:{cases} -->",
        f"### Bulk ingest at {cases:,} cases ({started:%Y-%m-%d %H:%M})",
        "",
        f"`{command}` — `POST /api/v1/cases/bulk/` through Django's test client in the bench process "
        f"(no gunicorn, no network), {run.requests} requests × {run.size:,} cases, one after another, as the "
        f"API client of {run.court}; {run.existing_cases:,} cases in the database before. "
        f"Load average (1/5/15 min) {run.load[0]:.2f}/{run.load[1]:.2f}/{run.load[2]:.2f} before, "
        f"{run.load_after[0]:.2f}/{run.load_after[1]:.2f}/{run.load_after[2]:.2f} after "
        f"({machine.get('cpu', '')}; the machine is shared).",
        "",
        "| | figure |",
        "|---|---|",
        f"| created / refused | {run.created:,} / {run.failed:,} |",
        f"| endpoint, total | {run.total_s:.2f} s ({median:.2f} s per request, median) |",
        f"| endpoint, cases/s (one request at a time) | {run.cases_per_s:,.0f} |",
        f"| raw bound (COPY of the same rows), total | {sum(run.bound_seconds):.2f} s |",
        f"| raw bound, cases/s | {run.bound_cases_per_s:,.0f} |",
        f"| endpoint / raw bound | {run.ratio:.1f}× |",
        *(
            [
                f"| through gunicorn ({served.workers} workers × 2 threads), {served.clients} clients at once × "
                f"{served.requests} × {served.size:,} cases | {served.created:,} created, {served.failed:,} refused, "
                f"{len(served.errors)} failed requests in {served.wall_s:.2f} s |",
                f"| **through gunicorn, cases/s** | **{served.cases_per_s:,.0f}** (goal ≥ {goal:,.0f}: {verdict}); "
                f"{run.bound_cases_per_s / served.cases_per_s if served.cases_per_s else 0:.1f}× the raw bound's time |",
            ]
            if served is not None
            else [f"| (goal ≥ {goal:,.0f} cases/s) | {verdict} |"]
        ),
        "",
        f"Rows per request, endpoint and bound alike: {rows}; history rows by the tables' triggers in both.",
        f"<!-- /bench-bulk:{cases} -->",
    ]
    return "\n".join(lines) + "\n"
