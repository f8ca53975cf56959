"""The embedded default (`make run`: ``config.settings.local``, SQLite, runserver's
thread per request) under simultaneous writes.

SQLite has one writer at a time and ``select_for_update`` does nothing there. Every
``transaction.atomic()`` begins IMMEDIATE (takes the write lock before its first read)
and waits for it (busy timeout), so writers queue instead of failing with ``database is
locked``, and the ledger's balance check runs under that lock (the CHECK constraint
backs it). This drives a real runserver in a subprocess on a SQLite file of its own:
the suite's PostgreSQL is not touched."""

import html
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from decimal import Decimal
from pathlib import Path

import pytest

from tests.enforcement.factories import case_payload
from tests.frozen_process import frozen_env, python_module

ROOT = Path(__file__).resolve().parents[2]
RACERS = 20

# The schema straight from the models, as pytest-django's --nomigrations builds it
# (replaying the migrations on SQLite takes about a minute of CPU), then the reference
# data the migrations seed, one court chain and an API client whose key is printed.
SETUP = """
import importlib, json
import django
django.setup()
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

class NoMigrations:
    def __contains__(self, app):
        return True
    def __getitem__(self, app):
        return None

settings.MIGRATION_MODULES = NoMigrations()
call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)
seed = importlib.import_module("core.migrations.0002_seed_rules_and_calendar")
seed.seed_rules(apps, None)
seed.seed_calendar(apps, None)
from enforcement import asset_catalogue
from enforcement.models import AssetCategory
asset_catalogue.sync(AssetCategory)
from core.models import CourtLevel
from core.services.courts import court_upsert
from core.services.people import api_client_create
court = None
for code, name, level in [("最高法", "最高人民法院", CourtLevel.SUPREME), ("鲁", "山东省高级人民法院", CourtLevel.HIGH),
                          ("鲁01", "济南市中级人民法院", CourtLevel.INTERMEDIATE), ("鲁0102", "历下区人民法院", CourtLevel.BASIC)]:
    court = court_upsert(code=code, name=name, level=level, parent=court)
_user, key = api_client_create(court=court, name="并发测试")
print(json.dumps({"key": key}))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class EmbeddedServer:
    """``manage.py runserver --noreload`` (threaded, as `make run` serves) on a free
    loopback port against ``config.settings.local`` and its own SQLite file, on the
    suite's frozen clock (tests/frozen_process.py)."""

    def __init__(self, workdir: Path):
        self.db = workdir / "embedded.sqlite3"
        self.log = workdir / "runserver.log"
        self.port = _free_port()
        self.env = {
            k: v for k, v in os.environ.items() if k not in ("CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE")
        }
        self.env.update(
            DJANGO_SETTINGS_MODULE="config.settings.local",
            DATABASE_URL=f"sqlite:///{self.db}",
            REDIS_URL="",  # as `make run`: no Redis (an empty value also beats a .env file)
            DJANGO_LOG_LEVEL="WARNING",
        )
        self.proc: subprocess.Popen | None = None
        self.key = ""

    def setup(self) -> None:
        done = subprocess.run(
            [sys.executable, "-c", SETUP], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        self.key = json.loads(done.stdout.strip().splitlines()[-1])["key"]

    def start(self) -> None:
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                python_module("django", "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{self.port}"),
                cwd=ROOT, env={**self.env, **frozen_env()}, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log.read_text()
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.1)
        pytest.fail("runserver did not answer /healthz:\n" + self.log.read_text())

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict | str]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}",
            data=json.dumps(body).encode() if body is not None else None,
            method=method,
            headers={"Content-Type": "application/json", "Authorization": f"Token {self.key}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        text = raw.decode("utf-8", "replace")
        try:
            return status, json.loads(text)
        except ValueError:  # runserver's HTML debug page for a 500: keep the exception
            found = re.search(r'<pre class="exception_value">(.*?)</pre>', text, re.S)
            return status, html.unescape(found.group(1)).strip() if found else text[:200]

    def race(self, calls: list[tuple[str, str, dict]]) -> list[tuple[int, dict | str]]:
        """Send every call at once, each from a thread of its own."""
        barrier = threading.Barrier(len(calls))
        answers: list = [None] * len(calls)

        def send(i: int) -> None:
            barrier.wait()
            try:
                answers[i] = self.request(*calls[i])
            except OSError as exc:  # a dropped connection counts as a failure, not a hang
                answers[i] = (0, repr(exc))

        threads = [threading.Thread(target=send, args=(i,)) for i in range(len(calls))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(90)
        assert not any(t.is_alive() for t in threads), "a request is still waiting"
        return answers


@pytest.fixture
def embedded(tmp_path):
    server = EmbeddedServer(tmp_path)
    server.setup()
    server.start()
    yield server
    server.stop()


def _statuses(answers) -> dict[int, int]:
    counts: dict[int, int] = {}
    for status, _body in answers:
        counts[status] = counts.get(status, 0) + 1
    return counts


def test_simultaneous_writes_queue_and_the_ledger_never_overdraws(embedded):
    # given: a case whose account holds 100.00 (one bank receipt)
    status, case = embedded.request("POST", "/api/v1/cases/", case_payload("(2026)鲁0102执1001号"))
    assert status == 201, case
    status, detail = embedded.request("GET", f"/api/v1/cases/{case['id']}/")
    assert status == 200, detail
    payee = detail["applicants"][0]["id"]
    status, receipt = embedded.request("POST", "/api/v1/receipts/", {
        "account_number": case["fund_account"], "amount": "100.00", "arrived_at": "2026-10-09T10:00:00+08:00",
        "payer": "某某公司", "reference": "BANK-20261009-0001",
    })  # fmt: skip
    assert status == 201 and receipt["case"] == case["id"], receipt

    # when: twenty drafts of 30.00 arrive at once (room for three)
    draft = {"payee": payee, "amount": "30.00", "account_number": "6222020200112233445"}
    answers = embedded.race([("POST", f"/api/v1/cases/{case['id']}/disbursements/", draft)] * RACERS)

    # then: three reserved, seventeen refused by the contract's 422, nothing failed
    assert _statuses(answers) == {201: 3, 422: RACERS - 3}, answers
    assert {body["code"] for status, body in answers if status == 422} == {"insufficient_balance"}
    status, funds = embedded.request("GET", f"/api/v1/cases/{case['id']}/funds/")
    assert status == 200, funds
    assert (Decimal(funds["balance"]), Decimal(funds["pending"]), Decimal(funds["available"])) == (
        Decimal("100.00"), Decimal("90.00"), Decimal("10.00"),
    )  # fmt: skip

    # when: twenty other writes at once, registrations of twenty new cases
    answers = embedded.race([
        ("POST", "/api/v1/cases/", case_payload(f"(2026)鲁0102执{2001 + i}号")) for i in range(RACERS)
    ])  # fmt: skip

    # then: every one queued for the write lock and went through
    assert _statuses(answers) == {201: RACERS}, answers
    assert len({body["fund_account"] for _s, body in answers}) == RACERS  # one account each (一案一账号)

    embedded.stop()
    log = embedded.log.read_text()
    assert "database is locked" not in log and "Traceback" not in log, log
    _assert_the_books_agree(embedded.db, case_id=case["id"], requests=2 + 2 * RACERS)


def _assert_the_books_agree(db: Path, *, case_id: int, requests: int) -> None:
    """Straight from the SQLite file: the stored balances are what the postings say,
    every posting balances, and the audit middleware's autocommit INSERT (outside any
    atomic block) was written for every write request, none lost to a locked database."""
    conn = sqlite3.connect(db)
    try:

        def value(sql: str, *args):
            return conn.execute(sql, args).fetchone()[0]

        def money(sql: str, *args) -> Decimal:
            return Decimal(str(value(sql, *args) or 0)).quantize(Decimal("0.01"))

        account = value("SELECT id FROM custody_funds_ledgeraccount WHERE case_id = ?", case_id)
        balance = money("SELECT balance FROM custody_funds_ledgeraccount WHERE id = ?", account)
        pending = money("SELECT pending FROM custody_funds_ledgeraccount WHERE id = ?", account)
        assert balance == money(
            "SELECT SUM(amount) FROM custody_funds_postingleg WHERE account_id = ?", account
        )
        assert balance == money("SELECT SUM(amount) FROM custody_funds_receipt WHERE case_id = ?", case_id)
        drafts = "FROM custody_funds_disbursement WHERE case_id = ? AND status = 'draft'"
        assert pending == money(f"SELECT SUM(amount) {drafts}", case_id)
        assert value(f"SELECT COUNT(*) {drafts}", case_id) == 3
        assert balance - pending >= 0
        assert not conn.execute(
            "SELECT posting_id FROM custody_funds_postingleg GROUP BY posting_id HAVING ROUND(SUM(amount), 2) != 0"
        ).fetchall()
        assert value("SELECT COUNT(*) FROM enforcement_case") == 1 + RACERS
        assert value("SELECT COUNT(*) FROM audit_auditrecord WHERE method = 'POST'") == requests
        assert value("PRAGMA journal_mode") == "wal"
    finally:
        conn.close()
