"""Ledger invariants under random sequences of receipts, drafts, approvals,
payments, cancellations and reversals (hypothesis stateful testing)."""

import itertools
from decimal import Decimal

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from core.exceptions import ApplicationError
from core.models import Role
from custody_funds.models import Disbursement, DisbursementStatus, LedgerAccount, Posting, PostingLeg
from custody_funds.services import funds, ledger
from enforcement.models import Party
from tests.conftest import at
from tests.core.factories import make_member
from tests.enforcement.factories import make_case

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000.00"), places=2)
_numbers = itertools.count(9000)


@pytest.mark.django_db
def test_ledger_invariants(courts):
    clerk = make_member(Role.CLERK, courts.lu0102, "p_clerk")
    handler = make_member(Role.HANDLER, courts.lu0102, "p_handler")
    head = make_member(Role.BUREAU_HEAD, courts.lu0102, "p_head")
    finance = make_member(Role.FINANCE, courts.lu0102, "p_finance")

    class Ledger(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.case = make_case(clerk, courts.lu0102, number=f"(2026)鲁0102执{next(_numbers)}号", handler=handler)
            self.account = LedgerAccount.objects.get(case=self.case)
            self.payee = Party.objects.get(case=self.case, role="applicant")
            self.refs = itertools.count()

        @rule(amount=amounts)
        def receive(self, amount):
            funds.receipt_record(actor=clerk, court=courts.lu0102, reference=f"{self.case.pk}-{next(self.refs)}",
                                 account_number=self.account.number, amount=amount, arrived_at=at("2026-10-12 10:00"))

        @rule(amount=amounts)
        def draft(self, amount):
            try:
                funds.disbursement_draft(actor=handler, case=self.case, payee_id=self.payee.pk, amount=amount,
                                         account_number=self.payee.payout_account.account_number)
            except ApplicationError as exc:
                assert exc.code == "insufficient_balance"

        @rule()
        def advance_one(self):
            d = Disbursement.objects.filter(case=self.case).exclude(
                status__in=[DisbursementStatus.PAID, DisbursementStatus.REJECTED, DisbursementStatus.CANCELLED]
            ).order_by("pk").first()
            if d is None:
                return
            step = {
                DisbursementStatus.DRAFT: lambda: funds.disbursement_submit(actor=handler, disbursement=d),
                DisbursementStatus.SUBMITTED: lambda: funds.disbursement_approve(actor=head, disbursement=d),
                DisbursementStatus.APPROVED: lambda: funds.disbursement_notify_finance(actor=handler, disbursement=d),
                DisbursementStatus.NOTIFIED: lambda: funds.disbursement_pay(actor=finance, disbursement=d, bank_reference=f"P{d.pk}"),
            }[d.status]
            step()

        @rule()
        def cancel_latest_draft(self):
            d = Disbursement.objects.filter(case=self.case, status=DisbursementStatus.DRAFT).order_by("-pk").first()
            if d is not None:
                funds.disbursement_cancel(actor=handler, disbursement=d, note="撤销")

        @rule()
        def reverse_a_receipt(self):
            posting = Posting.objects.filter(case=self.case, kind="receipt", reversal__isnull=True).order_by("pk").first()
            if posting is None:
                return
            try:
                ledger.reverse(posting=posting, actor=clerk, memo="退回")
            except ApplicationError as exc:
                assert exc.code == "insufficient_balance"  # money already reserved or paid cannot be reversed

        @invariant()
        def balanced_and_never_negative(self):
            account = LedgerAccount.objects.get(pk=self.account.pk)
            legs = PostingLeg.objects.filter(account=account).aggregate(t=Sum("amount"))["t"] or Decimal(0)
            assert account.balance == legs
            reserved = Disbursement.objects.filter(
                case=self.case, status__in=[DisbursementStatus.DRAFT, DisbursementStatus.SUBMITTED,
                                            DisbursementStatus.APPROVED, DisbursementStatus.NOTIFIED]
            ).aggregate(t=Sum("amount"))["t"] or Decimal(0)
            assert account.pending == reserved
            assert account.balance >= 0 and account.pending >= 0 and account.available >= 0
            assert (PostingLeg.objects.aggregate(t=Sum("amount"))["t"] or 0) == 0  # every posting sums to zero

    Ledger.TestCase.settings = settings(
        max_examples=15, stateful_step_count=12, deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    Ledger.TestCase().runTest()
