"""The case-funds world of the tests: money received on a case, payments drafted and
taken through approval — each through the services, as the
product does it. Cases, courts and people come from ``tests.enforcement.conftest``
and ``tests.factories``."""

from decimal import Decimal

from core.models import User
from custody_funds.models import Disbursement, Receipt
from custody_funds.services import funds
from enforcement.models import Case, Party
from tests.conftest import at

CONFIRMED = "6222020200112233445"  # the applicant's payout account of make_case


def applicant(case: Case) -> Party:
    return case.parties.get(role="applicant")


def receive(case: Case, actor: User, amount: str = "100000.00", ref: str = "B001",
            when: str = "2026-10-12 10:00", payer: str = "某某公司") -> Receipt:
    """A bank transfer to the case's account (matched by its number)."""
    receipt, _created = funds.receipt_record(
        actor=actor, court=case.court, reference=ref, account_number=case.fund_account.number,
        amount=Decimal(amount), arrived_at=at(when), payer=payer,
    )
    return receipt


def draft(case: Case, actor: User, amount: str = "1000.00", **kwargs) -> Disbursement:
    """A payment to the applicant's confirmed account, drafted."""
    kwargs.setdefault("account_number", CONFIRMED)
    return funds.disbursement_draft(
        actor=actor, case=case, payee_id=applicant(case).pk, amount=Decimal(amount), **kwargs
    )


def submitted(case: Case, handler: User, amount: str = "1000.00") -> Disbursement:
    return funds.disbursement_submit(actor=handler, disbursement=draft(case, handler, amount))


def notified(case: Case, handler: User, approver: User, amount: str = "1000.00") -> Disbursement:
    """Drafted and submitted by ``handler``, approved by ``approver``, notified to finance."""
    d = submitted(case, handler, amount)
    funds.disbursement_approve(actor=approver, disbursement=d)
    return funds.disbursement_notify_finance(actor=handler, disbursement=d)



def stray(court, actor: User, amount: str, ref: str, when: str, payer: str = "") -> Receipt:
    """A transfer naming no case account: a 不明款 of ``court``."""
    receipt, _created = funds.receipt_record(
        actor=actor, court=court, reference=ref, account_number="", amount=Decimal(amount), arrived_at=at(when),
        payer=payer,
    )
    return receipt


def closed(case: Case, clerk: User) -> Case:
    """The case closed at once (撤回申请 needs no approval)."""
    from enforcement.services import closure  # the enforcement service, only for the closed-case tests

    closure.case_close(actor=clerk, case=case, closure="withdrawn", closed_at=at("2026-11-10 11:00"),
                       document="准予撤回执行申请裁定书")
    case.refresh_from_db()
    return case
