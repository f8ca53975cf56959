"""50 concurrent disbursements against one account, with real transactions and
threads on PostgreSQL: no overdraft, exact totals."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from core.exceptions import ApplicationError
from custody_funds.models import Disbursement, LedgerAccount
from custody_funds.services import funds
from enforcement.models import Party
from tests.conftest import at
from tests.enforcement.factories import make_case

pytestmark = pytest.mark.django_db(transaction=True)


def test_fifty_concurrent_drafts_never_overdraw(courts, clerk, handler):
    case = make_case(clerk, courts.lu0102, handler=handler)
    funds.receipt_record(actor=clerk, court=courts.lu0102, reference="R1", account_number=case.fund_account.number,
                         amount=Decimal("1000.00"), arrived_at=at("2026-10-12 10:00"))
    payee = Party.objects.get(case=case, role="applicant")
    number = payee.payout_account.account_number
    barrier = threading.Barrier(50)
    outcomes: list[str] = []
    lock = threading.Lock()

    def draft():
        try:
            barrier.wait()
            funds.disbursement_draft(actor=handler, case=case, payee_id=payee.pk, amount=Decimal("30.00"), account_number=number)
            result = "ok"
        except ApplicationError as exc:
            result = exc.code
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=draft) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not any(t.is_alive() for t in threads), "a thread is still running"
    account = LedgerAccount.objects.get(case=case)
    assert outcomes.count("ok") == 33  # 33 × 30 = 990 ≤ 1000 < 34 × 30
    assert outcomes.count("insufficient_balance") == 17
    assert account.pending == Decimal("990.00") and account.balance == Decimal("1000.00")
    assert Disbursement.objects.filter(case=case).count() == 33
