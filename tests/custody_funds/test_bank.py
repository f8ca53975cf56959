"""A Jepsen-style bank test of the case-funds ledger, on PostgreSQL with real
transactions: threads, each with its own database connection, run the money
workflow concurrently for a bounded time —

* the bank feed posts receipts by account number (a few with a mistyped number,
  kept as 不明款, or with another court's number; some references are resent,
  identically or altered);
* matchers race each other to match the unidentified receipts to their cases;
* drafters draft disbursements (some against a case that never receives money) and
  submit or cancel them; approvers approve or reject (maker ≠ checker: a bureau
  head sometimes tries to approve their own draft); payers notify finance and pay —

while reader threads take snapshots (one REPEATABLE READ transaction each) and
check that every snapshot balances. At the end the history the clients saw is
reconciled exactly against the database, and every refused operation is shown to
have written nothing.

The suite runs it for ``BANK_SECONDS`` (default 15). For minutes::

    BANK_SECONDS=180 make test PYTEST_ARGS='tests/custody_funds/test_bank.py -rP'

(on a slow machine it runs on, up to four times as long, until it has done every
kind of operation the assertions look for). The figures — operations committed,
refusals by code, snapshots checked, money received, paid and held — are printed
(``-rP`` shows them) and written to ``test-artifacts/bank.json``.
"""

import itertools
import json
import os
import random
import sys
import threading
import time
import traceback
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from core.exceptions import ApplicationError
from core.models import NodeEvent, Role
from custody_funds.models import (
    PENDING_STATUSES,
    AccountKind,
    Disbursement,
    DisbursementStatus,
    LedgerAccount,
    Posting,
    PostingLeg,
    Receipt,
    ReceiptStatus,
)
from custody_funds.services import funds
from enforcement.models import Case, Party
from tests.core.factories import make_member
from tests.enforcement.factories import make_case

pytestmark = pytest.mark.django_db(transaction=True)

SECONDS = float(os.environ.get("BANK_SECONDS") or 15)
ARTIFACT = Path(__file__).resolve().parents[2] / "test-artifacts" / "bank.json"
ZERO = Decimal("0.00")
# A disbursement only moves forward; the history keeps the furthest state a client saw
# committed (two clients may report the same disbursement out of order).
RANK = {
    DisbursementStatus.DRAFT: 0, DisbursementStatus.SUBMITTED: 1, DisbursementStatus.CANCELLED: 1,
    DisbursementStatus.APPROVED: 2, DisbursementStatus.REJECTED: 3, DisbursementStatus.NOTIFIED: 3,
    DisbursementStatus.PAID: 4,
}


# --- the history the clients saw ---------------------------------------------------------


class History:
    """What every client thread did, as it saw it: operations committed, refusals by
    code, unexpected errors, and the money of the committed operations."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.ok: Counter = Counter()
        self.refused: Counter = Counter()
        self.errors: list[str] = []
        self.receipts: dict[str, dict] = {}  # reference → what was sent and what became of it
        self.drafts: dict[int, dict] = {}  # disbursement id → case, amount, final state seen
        self.snapshots = 0
        self.violations: list[str] = []
        self.references = itertools.count(1)

    def moved(self, pk: int, status: str) -> None:
        with self.lock:
            entry = self.drafts[pk]
            if RANK[status] > RANK[entry["status"]]:
                entry["status"] = status

    def attempt(self, op: str, fn):
        """Run one operation (its own transaction); (True, result) if it committed,
        (False, code) if refused."""
        try:
            result = fn()
        except ApplicationError as exc:
            code = exc.code
        except TransitionNotAllowed:
            code = "invalid_transition"  # what the API answers (409)
        except ConcurrentTransition:
            code = "concurrent_change"
        except Exception as exc:  # a deadlock, a serialization failure, a bug: all fail the test
            with self.lock:
                self.errors.append(f"{op}: {type(exc).__name__}: {exc}\n{traceback.format_exc(limit=6)}")
            return False, "error"
        else:
            with self.lock:
                self.ok[op] += 1
            return True, result
        with self.lock:
            self.refused[(op, code)] += 1
        return False, code


# --- snapshots ---------------------------------------------------------------------------


def take_snapshot(court_ids: list[int]) -> dict:
    """Everything the invariants need, read in one REPEATABLE READ transaction."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SHOW transaction_isolation")
            level = cursor.fetchone()[0]
        accounts = list(
            LedgerAccount.objects.filter(court_id__in=court_ids).values("id", "kind", "court_id", "case_id", "balance", "pending")
        )
        legs = dict(
            PostingLeg.objects.filter(account__court_id__in=court_ids)
            .values("account").annotate(total=Sum("amount")).values_list("account", "total")
        )
        unbalanced = list(
            PostingLeg.objects.values("posting").annotate(total=Sum("amount")).exclude(total=0).values_list("posting", "total")
        )
        receipts = list(
            Receipt.objects.filter(court_id__in=court_ids)
            .values("court_id", "status", "case_id").annotate(total=Sum("amount"), n=Count("id"))
        )
        disbursements = list(
            Disbursement.objects.filter(case__court_id__in=court_ids)
            .values("case_id", "status").annotate(total=Sum("amount"), n=Count("id"))
        )
        postings = dict(Posting.objects.values("kind").annotate(n=Count("id")).values_list("kind", "n"))
        paid_without_posting = Disbursement.objects.filter(status=DisbursementStatus.PAID, posting__isnull=True).count()
        matched_by_hand = Receipt.objects.filter(court_id__in=court_ids, status=ReceiptStatus.MATCHED).exclude(
            match_reason="按账号自动匹配"
        ).count()
    return {
        "level": level, "accounts": accounts, "legs": legs, "unbalanced": unbalanced, "receipts": receipts,
        "disbursements": disbursements, "postings": postings, "paid_without_posting": paid_without_posting,
        "matched_by_hand": matched_by_hand,
    }


def violations(snap: dict, court_ids: list[int]) -> list[str]:
    """Every invariant a consistent snapshot of the ledger satisfies; the broken ones."""
    bad: list[str] = []
    if snap["level"] != "repeatable read":
        bad.append(f"snapshot taken at {snap['level']!r}")
    if snap["unbalanced"]:
        bad.append(f"postings whose legs do not sum to zero: {snap['unbalanced'][:5]}")
    by_kind: dict[tuple[int, str], dict] = {}
    case_accounts: dict[int, dict] = {}
    for account in snap["accounts"]:
        derived = snap["legs"].get(account["id"], ZERO)
        if derived != account["balance"]:
            bad.append(f"account {account['id']} ({account['kind']}): balance column {account['balance']} ≠ legs {derived}")
        if account["kind"] == AccountKind.CASE:
            case_accounts[account["case_id"]] = account
            if account["balance"] < 0 or account["pending"] < 0 or account["pending"] > account["balance"]:
                bad.append(f"case account {account['id']}: balance {account['balance']}, pending {account['pending']}")
        else:
            by_kind[(account["court_id"], account["kind"])] = account
            if account["kind"] != AccountKind.BANK and account["balance"] < 0:
                bad.append(f"{account['kind']} account of court {account['court_id']} is negative: {account['balance']}")

    def balance(court_id: int, kind: str) -> Decimal:
        account = by_kind.get((court_id, kind))
        return account["balance"] if account else ZERO

    pending: dict[int, Decimal] = {}
    paid: dict[int, Decimal] = {}
    paid_count = 0
    for row in snap["disbursements"]:
        if row["status"] in PENDING_STATUSES:
            pending[row["case_id"]] = pending.get(row["case_id"], ZERO) + row["total"]
        if row["status"] == DisbursementStatus.PAID:
            paid[row["case_id"]] = paid.get(row["case_id"], ZERO) + row["total"]
            paid_count += row["n"]
    received: dict[int, Decimal] = {}
    matched: dict[int, Decimal] = {}
    unidentified: dict[int, Decimal] = {}
    receipt_count = 0
    for row in snap["receipts"]:
        receipt_count += row["n"]
        received[row["court_id"]] = received.get(row["court_id"], ZERO) + row["total"]
        if row["status"] == ReceiptStatus.MATCHED:
            matched[row["case_id"]] = matched.get(row["case_id"], ZERO) + row["total"]
        else:
            unidentified[row["court_id"]] = unidentified.get(row["court_id"], ZERO) + row["total"]

    for case_id, account in case_accounts.items():
        expected = matched.get(case_id, ZERO) - paid.get(case_id, ZERO)
        if account["balance"] != expected:
            bad.append(f"case {case_id}: balance {account['balance']} ≠ matched receipts − paid = {expected}")
        if account["pending"] != pending.get(case_id, ZERO):
            bad.append(f"case {case_id}: pending {account['pending']} ≠ open disbursements {pending.get(case_id, ZERO)}")
    for court_id in court_ids:
        total_in = received.get(court_id, ZERO)
        cases_of_court = [a for a in case_accounts.values() if a["court_id"] == court_id]
        held = sum((a["balance"] for a in cases_of_court), ZERO) + balance(court_id, AccountKind.UNIDENTIFIED)
        paid_out = balance(court_id, AccountKind.PAID_OUT)
        if -balance(court_id, AccountKind.BANK) != total_in:
            bad.append(f"court {court_id}: bank account {balance(court_id, AccountKind.BANK)} ≠ −received {total_in}")
        if total_in != paid_out + held:
            bad.append(f"court {court_id}: received {total_in} ≠ paid {paid_out} + held {held}")
        if balance(court_id, AccountKind.UNIDENTIFIED) != unidentified.get(court_id, ZERO):
            bad.append(
                f"court {court_id}: 不明款 account {balance(court_id, AccountKind.UNIDENTIFIED)} "
                f"≠ unidentified receipts {unidentified.get(court_id, ZERO)}"
            )
        court_paid = sum((paid.get(a["case_id"], ZERO) for a in cases_of_court), ZERO)
        if paid_out != court_paid:
            bad.append(f"court {court_id}: paid-out account {paid_out} ≠ paid disbursements {court_paid}")
    postings = snap["postings"]
    if postings.get("receipt", 0) + postings.get("receipt_unidentified", 0) != receipt_count:
        bad.append(f"receipt postings {postings} ≠ {receipt_count} receipts")
    if postings.get("receipt_match", 0) != snap["matched_by_hand"]:
        bad.append(f"match postings {postings.get('receipt_match', 0)} ≠ {snap['matched_by_hand']} receipts matched by hand")
    if postings.get("disbursement", 0) != paid_count or snap["paid_without_posting"]:
        bad.append(f"disbursement postings {postings.get('disbursement', 0)} ≠ {paid_count} paid disbursements")
    return bad


# --- the test ------------------------------------------------------------------------------


def _typo(number: str, rng: random.Random) -> str:
    """One digit changed: the Damm check digit catches it, the receipt waits as 不明款."""
    i = rng.randrange(len(number))
    return number[:i] + str((int(number[i]) + rng.randint(1, 9)) % 10) + number[i + 1:]


def _money(rng: random.Random, low_cents: int, high_cents: int) -> Decimal:
    return Decimal(rng.randint(low_cents, high_cents)) / 100


def test_bank_concurrent_money_workflow_always_balances(courts, clerk, handler, bureau_head):
    # --- two courts, each with its staff and four funded cases; one case never gets money
    staff = {}
    cases: dict[int, list[int]] = {}
    for court, tag in ((courts.lu0102, "a"), (courts.lu0103, "b")):
        people = {
            "clerk": clerk if tag == "a" else make_member(Role.CLERK, court, "bank_clerk_b"),
            "handler": handler if tag == "a" else make_member(Role.HANDLER, court, "bank_handler_b"),
            "head": bureau_head if tag == "a" else make_member(Role.BUREAU_HEAD, court, "bank_head_b"),
            "head2": make_member(Role.BUREAU_HEAD, court, f"bank_head2_{tag}"),
            "finance": make_member(Role.FINANCE, court, f"bank_finance_{tag}"),
        }
        staff[court.pk] = people
        cases[court.pk] = [
            make_case(people["clerk"], court, number=f"({2026}){court.code}执{7000 + i}号",
                      claim="99999999.00", handler=people["handler"]).pk
            for i in range(4)
        ]
    dry = make_case(clerk, courts.lu0102, number="(2026)鲁0102执7900号", claim="99999999.00", handler=handler).pk
    court_ids = [courts.lu0102.pk, courts.lu0103.pk]
    court_obj = {courts.lu0102.pk: courts.lu0102, courts.lu0103.pk: courts.lu0103}
    court_of = {case_id: court_id for court_id, ids in cases.items() for case_id in ids} | {dry: courts.lu0102.pk}
    number_of = dict(LedgerAccount.objects.filter(case_id__in=court_of).values_list("case_id", "number"))
    payee_of = {p.case_id: (p.pk, p.payout_account.account_number)
                for p in Party.objects.filter(case_id__in=court_of, role="applicant").select_related("payout_account")}
    events_before = Counter(dict(NodeEvent.objects.values("kind").annotate(n=Count("id")).values_list("kind", "n")))

    history = History()
    stop = threading.Event()

    def load_case(case_id: int) -> Case:
        return Case.objects.select_related("court", "handler").get(pk=case_id)

    # --- the clients ------------------------------------------------------------------------

    def feed(rng: random.Random) -> None:
        court_id = rng.choice(court_ids)
        case_id = rng.choice(cases[court_id])
        number, intended, amount = number_of[case_id], case_id, _money(rng, 100, 50_000)
        roll = rng.random()
        with history.lock:
            sent = list(history.receipts.values()) if roll < 0.08 else []
        if sent:  # the bank resends a reference: identical (replayed) or altered (refused)
            old = rng.choice(sent)
            altered = rng.random() < 0.5
            ok, result = history.attempt(
                "receipt_resent_altered" if altered else "receipt_resent",
                lambda: funds.receipt_record(
                    actor=staff[old["court"]]["clerk"], court=court_obj[old["court"]],
                    reference=old["reference"], account_number=old["number"],
                    amount=old["amount"] + (Decimal("0.01") if altered else 0), arrived_at=old["arrived_at"],
                ),
            )
            if ok:
                receipt, created = result
                if created or receipt.pk != old["id"]:
                    with history.lock:
                        history.errors.append(f"resent reference {old['reference']} made a new receipt")
            return
        if roll < 0.25:
            number = _typo(number, rng)  # 不明款
        elif roll < 0.30:
            other = court_ids[1 - court_ids.index(court_id)]
            number = number_of[rng.choice(cases[other])]  # a valid number of the other court
        reference = f"B{next(history.references):07d}"
        arrived_at = timezone.now()
        ok, result = history.attempt(
            "receipt",
            lambda: funds.receipt_record(
                actor=staff[court_id]["clerk"], court=court_obj[court_id], reference=reference,
                account_number=number, amount=amount, arrived_at=arrived_at, payer="某某公司",
            ),
        )
        if ok:
            receipt, created = result
            with history.lock:
                history.receipts[reference] = {
                    "id": receipt.pk, "court": court_id, "reference": reference, "number": number, "amount": amount,
                    "arrived_at": arrived_at, "case": receipt.case_id, "intended": intended, "created": created,
                }

    def match(rng: random.Random) -> None:
        court_id = rng.choice(court_ids)
        waiting = list(
            Receipt.objects.filter(court_id=court_id, status=ReceiptStatus.UNIDENTIFIED).order_by("pk")
            .values_list("pk", "reference")[:3]
        )
        if not waiting:
            time.sleep(0.005)
            return
        pk, reference = rng.choice(waiting)  # the matchers often pick the same one: a race
        with history.lock:
            sent = history.receipts.get(reference)
        if sent is None:  # committed, but its client has not written it down yet
            return
        intended = sent["intended"]
        actor = staff[court_id]["finance" if rng.random() < 0.5 else "clerk"]
        if rng.random() < 0.05:  # to a case of another court: refused
            other_case = rng.choice(cases[court_ids[1 - court_ids.index(court_id)]])
            history.attempt("match_other_court", lambda: funds.receipt_match(
                actor=actor, receipt=Receipt(pk=pk), case=load_case(other_case), reason="付款人称系该案案款"))
        ok, result = history.attempt("match", lambda: funds.receipt_match(
            actor=actor, receipt=Receipt(pk=pk), case=load_case(intended), reason="付款人提供转账凭证"))
        if ok:
            with history.lock:
                history.receipts[reference]["case"] = result.case_id

    def draft(rng: random.Random) -> None:
        court_id = rng.choice(court_ids)
        case_id = dry if court_id == courts.lu0102.pk and rng.random() < 0.05 else rng.choice(cases[court_id])
        people = staff[court_id]
        actor = people["head"] if rng.random() < 0.3 else people["handler"]
        payee, payout = payee_of[case_id]
        amount = _money(rng, 1_000, 120_000)
        ok, d = history.attempt("draft", lambda: funds.disbursement_draft(
            actor=actor, case=load_case(case_id), payee_id=payee, amount=amount, account_number=payout))
        if not ok:
            return
        with history.lock:
            history.drafts[d.pk] = {"case": case_id, "amount": amount, "status": DisbursementStatus.DRAFT}
        if rng.random() < 0.1:
            ok, _d = history.attempt("cancel", lambda: funds.disbursement_cancel(actor=people["handler"], disbursement=d, note="撤销"))
            status = DisbursementStatus.CANCELLED
        else:
            ok, _d = history.attempt("submit", lambda: funds.disbursement_submit(actor=actor, disbursement=d))
            status = DisbursementStatus.SUBMITTED
        if ok:
            history.moved(d.pk, status)

    def decide(rng: random.Random) -> None:
        court_id = rng.choice(court_ids)
        waiting = list(
            Disbursement.objects.filter(case__court_id=court_id, status=DisbursementStatus.SUBMITTED).order_by("pk")
            .values_list("pk", "drafted_by_id")[:4]
        )
        if not waiting:
            time.sleep(0.005)
            return
        pk, drafter = rng.choice(waiting)
        people = staff[court_id]
        d = Disbursement(pk=pk)
        if drafter == people["head"].pk and rng.random() < 0.5:  # maker ≠ checker
            history.attempt("approve_own_draft", lambda: funds.disbursement_approve(actor=people["head"], disbursement=d))
        checker = people["head2"] if drafter == people["head"].pk else rng.choice([people["head"], people["head2"]])
        if rng.random() < 0.08:
            ok, _r = history.attempt("reject", lambda: funds.disbursement_reject(actor=checker, disbursement=d, note="金额有误"))
            status = DisbursementStatus.REJECTED
        else:
            ok, _r = history.attempt("approve", lambda: funds.disbursement_approve(actor=checker, disbursement=d))
            status = DisbursementStatus.APPROVED
        if ok:
            history.moved(pk, status)

    def pay(rng: random.Random) -> None:
        court_id = rng.choice(court_ids)
        waiting = list(
            Disbursement.objects.filter(
                case__court_id=court_id, status__in=[DisbursementStatus.APPROVED, DisbursementStatus.NOTIFIED]
            ).order_by("pk").values_list("pk", "status")[:4]
        )
        if not waiting:
            time.sleep(0.005)
            return
        pk, status = rng.choice(waiting)
        people = staff[court_id]
        d = Disbursement(pk=pk)
        if status == DisbursementStatus.APPROVED:
            ok, _r = history.attempt("notify_finance", lambda: funds.disbursement_notify_finance(actor=people["handler"], disbursement=d))
            new = DisbursementStatus.NOTIFIED
        else:
            ok, _r = history.attempt("pay", lambda: funds.disbursement_pay(actor=people["finance"], disbursement=d, bank_reference=f"P{pk}"))
            new = DisbursementStatus.PAID
        if ok:
            history.moved(pk, new)

    def read(rng: random.Random) -> None:
        snap = take_snapshot(court_ids)
        found = violations(snap, court_ids)
        with history.lock:
            history.snapshots += 1
            history.violations.extend(found)
        if found:
            stop.set()

    def run(name: str, step, seed: int) -> None:
        rng = random.Random(seed)
        try:
            while not stop.is_set():
                try:
                    step(rng)
                except Exception as exc:  # outside an operation: the client itself broke
                    with history.lock:
                        history.errors.append(f"{name}: {type(exc).__name__}: {exc}\n{traceback.format_exc(limit=6)}")
                    if len(history.errors) > 20:
                        stop.set()
        finally:
            connection.close()

    clients = [("feed", feed)] * 3 + [("match", match)] * 2 + [("draft", draft)] * 2 + [("decide", decide)] * 2 \
        + [("pay", pay)] * 2 + [("read", read)] * 2
    seed = int(os.environ.get("BANK_SEED") or random.SystemRandom().randrange(10**6))
    threads = [threading.Thread(target=run, args=(f"{name}{i}", step, seed + i), name=f"bank-{name}{i}")
               for i, (name, step) in enumerate(clients)]
    def enough() -> bool:  # the workload has done each thing the assertions below look for
        with history.lock:
            return (history.ok["receipt"] >= 20 and history.ok["match"] >= 1 and history.ok["pay"] >= 1
                    and history.snapshots >= 10 and history.refused[("draft", "insufficient_balance")] >= 1
                    and history.refused[("approve_own_draft", "maker_checker")] >= 1)

    started = time.monotonic()
    for t in threads:
        t.start()
    # BANK_SECONDS, and longer on a slow machine until the workload has done enough
    # (at most four times as long, or two minutes).
    while not stop.wait(0.2):
        elapsed = time.monotonic() - started
        if (elapsed >= SECONDS and enough()) or elapsed >= max(4 * SECONDS, 120):
            break
    stop.set()
    for t in threads:
        t.join(60)
    elapsed = time.monotonic() - started
    assert not any(t.is_alive() for t in threads), "a client thread is still running"

    # --- quiesced: one more snapshot, then the exact reconciliation ------------------------
    final = take_snapshot(court_ids)
    history.snapshots += 1
    history.violations.extend(violations(final, court_ids))

    figures = {
        "seconds": round(elapsed, 1), "seed": seed, "threads": len(threads),
        "committed": dict(sorted(history.ok.items())), "committed_total": sum(history.ok.values()),
        "refused": {f"{op}:{code}": n for (op, code), n in sorted(history.refused.items())},
        "refused_total": sum(history.refused.values()), "snapshots_checked": history.snapshots,
        "errors": len(history.errors), "violations": len(history.violations),
    }
    receipts = [r for r in history.receipts.values() if r["created"]]
    paid = [d for d in history.drafts.values() if d["status"] == DisbursementStatus.PAID]
    received_total = sum((r["amount"] for r in receipts), ZERO)
    paid_total = sum((d["amount"] for d in paid), ZERO)
    held_total = LedgerAccount.objects.filter(
        court_id__in=court_ids, kind__in=[AccountKind.CASE, AccountKind.UNIDENTIFIED]
    ).aggregate(t=Sum("balance"))["t"] or ZERO
    figures |= {"received": str(received_total), "paid": str(paid_total), "held": str(held_total)}
    report = json.dumps(figures, ensure_ascii=False, indent=1)
    sys.stdout.write(f"\nbank test figures:\n{report}\n")
    ARTIFACT.parent.mkdir(exist_ok=True)
    ARTIFACT.write_text(report + "\n", encoding="utf-8")

    assert not history.errors, "\n".join(history.errors[:5])
    assert not history.violations, "\n".join(dict.fromkeys(history.violations))  # first of each kind

    # the workload really ran: money in, money out, snapshots, and the refusals it provokes
    # (the dry case's drafts, a bureau head approving their own draft)
    assert enough(), figures

    # exact reconciliation: received − paid = held, to the cent, as the clients saw it
    def court_total(kind: str) -> Decimal:
        return LedgerAccount.objects.filter(court_id__in=court_ids, kind=kind).aggregate(t=Sum("balance"))["t"] or ZERO

    assert -court_total(AccountKind.BANK) == received_total
    assert court_total(AccountKind.PAID_OUT) == paid_total
    assert received_total - paid_total == held_total
    for case_id in court_of:
        account = LedgerAccount.objects.get(case_id=case_id)
        got = sum((r["amount"] for r in receipts if r["case"] == case_id), ZERO)
        gone = sum((d["amount"] for d in paid if d["case"] == case_id), ZERO)
        open_ = sum((d["amount"] for d in history.drafts.values() if d["case"] == case_id and d["status"] in PENDING_STATUSES), ZERO)
        assert (account.balance, account.pending) == (got - gone, open_), case_id
    assert sum((r["amount"] for r in receipts if r["case"] is None), ZERO) == court_total(AccountKind.UNIDENTIFIED)

    # every row the database holds is one the clients saw committed; refusals wrote nothing
    assert Receipt.objects.filter(court_id__in=court_ids).count() == len(receipts) == history.ok["receipt"]
    assert Disbursement.objects.filter(case_id__in=court_of).count() == len(history.drafts) == history.ok["draft"]
    for d in Disbursement.objects.filter(case_id__in=court_of):
        assert d.status == history.drafts[d.pk]["status"] and d.amount == history.drafts[d.pk]["amount"], d.pk
    dry_account = LedgerAccount.objects.get(case_id=dry)
    assert (dry_account.balance, dry_account.pending) == (ZERO, ZERO)
    assert Posting.objects.filter(kind="receipt_match").count() == history.ok["match"]
    assert Posting.objects.filter(kind="disbursement").count() == history.ok["pay"]
    events = Counter(dict(NodeEvent.objects.values("kind").annotate(n=Count("id")).values_list("kind", "n"))) - events_before
    assert events["funds.receipt"] + events["funds.receipt_unidentified"] == history.ok["receipt"]
    assert events["funds.receipt_matched"] == history.ok["match"]
    for op in ("drafted", "submitted", "approved", "rejected", "cancelled", "notified", "paid"):
        name = {"drafted": "draft", "submitted": "submit", "approved": "approve", "rejected": "reject",
                "cancelled": "cancel", "notified": "notify_finance", "paid": "pay"}[op]
        assert events[f"funds.disbursement_{op}"] == history.ok[name], op
