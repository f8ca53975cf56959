"""Receipts (到账), unidentified funds (不明款) and disbursements (支付案款) with the
10 + 5 working-day clocks of 322号 §22, and 延缓发放/提存 holds.

Who may act is ``custody_funds.policy`` (checked after the row lock); the reads and
the locks are ``custody_funds.selectors``. The long services check in a
``_<verb>_check`` step that raises and write in the service itself."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import messages
from core.calendar import WorkingCalendar, local_date
from core.exceptions import Conflict, FieldErrors, InvalidTransition, RuleViolation, ValidationFailed
from core.models import Court, Deadline, NodeEvent, User
from core.services import clocks
from core.services.events import node_event_record, node_time_check
from custody_funds import policy, selectors
from custody_funds.events import HOLD_APPROVED, HOLD_REJECTED, HOLD_REQUESTED, FundsNode
from custody_funds.models import (
    DELAY_REASONS,
    DEPOSIT_REASONS,
    AccountKind,
    Disbursement,
    DisbursementStatus,
    FundsHold,
    HoldKind,
    LedgerAccount,
    Receipt,
    ReceiptStatus,
)
from custody_funds.services import ledger
from custody_funds.services.notifications import notify_funds_decided, notify_funds_request
from enforcement.models import Case, Party
from enforcement.services.cases import case_mark_claim_satisfied

NOTICE_RULE, PAYMENT_RULE = selectors.NOTICE_RULE, selectors.PAYMENT_RULE


def _node(
    *,
    case: Case,
    kind: FundsNode,
    at: dt.datetime,
    actor: User | None,
    subject: Receipt | Disbursement | FundsHold | None = None,
    payload: dict[str, Any] | None = None,  # Any: JSON values of the node's payload
) -> NodeEvent:
    return node_event_record(
        kind=kind, court=case.court, case=case, occurred_at=at, actor=actor, subject=subject,
        subject_label=str(case), payload=payload, flags=node_time_check(at, actor=actor),
    )


def _positive(amount: Decimal, field: str = "amount") -> Decimal:
    if amount <= 0:
        raise ValidationFailed.for_field(field, messages.AMOUNT_NOT_POSITIVE)
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationFailed.for_field(field, messages.AMOUNT_PLACES)
    return amount


# --- receipts ---------------------------------------------------------------------------


def _receipt_record_check(
    *,
    actor: User,
    court: Court,
    reference: str,
    amount: Decimal,
    arrived_at: dt.datetime,
    channel: str,
    second_officer: User | None,
) -> list[str]:
    """The node's time flags, once the receipt is found acceptable."""
    policy.require_record_receipts(actor, court)
    _positive(amount)
    if not reference:
        raise ValidationFailed.for_field("reference", _("请填写银行流水号。"))
    flags = node_time_check(arrived_at, actor=actor)
    if channel == "cash":
        if second_officer is None or second_officer.pk == actor.pk:
            raise ValidationFailed.for_field("second_officer", _("现金收款须由两名工作人员共同经手登记。"))
        policy.require_record_receipts(second_officer, court)
    return flags


@transaction.atomic
def receipt_record(
    *,
    actor: User,
    court: Court,
    reference: str,
    account_number: str,
    amount: Decimal,
    arrived_at: dt.datetime,
    payer: str = "",
    channel: str = "bank",
    second_officer: User | None = None,
) -> tuple[Receipt, bool]:
    """A payment arrives. Matched by the account number to the case that owns it, or
    kept as unidentified (不明款). Idempotent by the bank's reference: the same
    reference again returns the first receipt (``created`` False); with different
    content it is refused. Cash needs a second officer (款物规定: 双人经手)."""
    reference = reference.strip()
    flags = _receipt_record_check(
        actor=actor, court=court, reference=reference, amount=amount, arrived_at=arrived_at, channel=channel,
        second_officer=second_officer,
    )
    existing = selectors.receipt_by_reference_for_update(court, reference)
    if existing is not None:
        if existing.amount != amount or existing.account_number != account_number.strip():
            raise Conflict(_("流水号 %(r)s 已登记为另一笔到账。") % {"r": reference}, code="receipt_reference_reused")
        return existing, False
    number = account_number.strip()
    account = selectors.case_account_by_number(court, number) if ledger.account_number_valid(number) else None
    receipt = Receipt.objects.create(
        court=court, reference=reference[:64], account_number=number[:40], amount=amount, arrived_at=arrived_at,
        payer=payer[:100], channel=channel, recorded_by=actor, second_officer=second_officer,
    )
    bank = ledger.court_account(court, AccountKind.BANK)
    if account is None:
        ledger.post(
            key=f"receipt:{receipt.pk}", kind="receipt_unidentified", actor=actor,
            legs=[(bank, -amount), (ledger.court_account(court, AccountKind.UNIDENTIFIED), amount)],
            memo=f"不明款 {reference}",
        )
        node_event_record(
            kind=FundsNode.RECEIPT_UNIDENTIFIED, court=court, occurred_at=arrived_at, actor=actor, subject=receipt,
            payload={"amount": str(amount), "account_number": number[:40], "check_digit_ok": ledger.account_number_valid(number)},
            flags=flags,
        )
        return receipt, True
    case = account.case
    assert case is not None  # a case account (selectors.case_account_by_number)
    receipt.match(case=case, at=arrived_at, by=actor, reason="按账号自动匹配")
    receipt.save()
    ledger.post(
        key=f"receipt:{receipt.pk}", kind="receipt", actor=actor, case=case,
        legs=[(bank, -amount), (account, amount)], memo=f"到账 {reference}",
    )
    _start_funds_notice(receipt, case, arrived_at)
    _node(case=case, kind=FundsNode.RECEIPT, at=arrived_at, actor=actor, subject=receipt, payload={"amount": str(amount)})
    return receipt, True


def _start_funds_notice(receipt: Receipt, case: Case, at: dt.datetime) -> Deadline | None:
    return clocks.clock_start(
        rule_code=NOTICE_RULE, court=case.court, case=case, subject=receipt,
        subject_label=f"{case} · 到账 {receipt.amount} 元", started_at=at, responsible=case.handler,
    )


def _closed_case_check(case: Case, *, confirm: bool, reason: str) -> dict[str, str]:
    """Matching money to a closed (or closing) case needs ``confirm`` and a reason;
    returns what the receipt and the node record about it (nothing for an open case)."""
    if not policy.case_closed_for_matching(case):
        return {}
    state = policy.case_state_label(case)
    if not confirm:
        raise RuleViolation(
            _("案件 %(n)s 的状态为%(s)s。确需将到账匹配到该案的，请确认并说明理由。") % {"n": case.case_number, "s": state},
            code="case_closed",
            extra={"case": case.pk, "case_status": case.status, "case_status_label": state,
                   "closure_type": case.closure_type},
        )
    if not reason.strip():
        raise ValidationFailed.for_field(
            "closed_case_reason", _("案件状态为%(s)s，请说明匹配到该案的理由。") % {"s": state}
        )
    return {"status": str(case.status), "status_label": state, "reason": reason.strip()[:300]}


@transaction.atomic
def receipt_match(
    *, actor: User, receipt: Receipt, case: Case, reason: str, confirm_closed_case: bool = False,
    closed_case_reason: str = "",
) -> Receipt:
    """Match an unidentified receipt to a case (who and why are recorded). The
    10-working-day FUNDS_NOTICE clock counts from the arrival (到账, 322号 §22), not
    from the match: money left unmatched (§19) does not buy the handler a fresh
    period. Matched after that period ended, the clock is ``breached`` at once and
    the scan raises its overdue alerts as for any overdue clock. A case already
    closed or closing (结案/终本) is refused (422 ``case_closed``, naming its state)
    unless ``confirm_closed_case`` with a ``closed_case_reason``; both are recorded."""
    receipt = selectors.receipt_get_for_update(receipt.pk)
    policy.require_match_receipts(actor, receipt.court)
    if not reason.strip():
        raise ValidationFailed.for_field("reason", _("请说明匹配依据。"))
    if case.court_id != receipt.court_id:
        raise ValidationFailed.for_field("case", _("只能匹配到本院的案件。"))
    if receipt.status != ReceiptStatus.UNIDENTIFIED:
        raise InvalidTransition(_("该笔到账已匹配。"))
    closed = _closed_case_check(case, confirm=confirm_closed_case, reason=closed_case_reason)
    now = timezone.now()
    receipt.match(case=case, at=now, by=actor, reason=reason[:300], closed_case_status=closed.get("status", ""),
                  closed_case_reason=closed.get("reason", ""))
    receipt.save()
    account = ledger.fund_account_open(case=case)
    ledger.post(
        key=f"match:{receipt.pk}", kind="receipt_match", actor=actor, case=case,
        legs=[(ledger.court_account(receipt.court, AccountKind.UNIDENTIFIED), -receipt.amount), (account, receipt.amount)],
        memo=f"不明款匹配 {receipt.reference}：{reason[:200]}",
    )
    late = _funds_notice_from_arrival(receipt, case, now)
    payload: dict[str, Any] = {"amount": str(receipt.amount), "reason": reason[:300], **late}
    if closed:
        payload["closed_case_confirmed"] = closed
    _node(case=case, kind=FundsNode.RECEIPT_MATCHED, at=now, actor=actor, subject=receipt, payload=payload)
    return receipt


def _funds_notice_from_arrival(receipt: Receipt, case: Case, now: dt.datetime) -> dict[str, Any]:
    """Start FUNDS_NOTICE at the receipt's arrival (or at the case's receipt, if the
    money came before the case was registered: it was no 执行案款 before). Returns
    what the match node records about the late start (Any: JSON values)."""
    started_at = max(receipt.arrived_at, case.received_at)
    deadline = _start_funds_notice(receipt, case, started_at)
    if deadline is None:  # the rule is switched off
        return {}
    breached = deadline.due_at < now
    if breached:
        clocks.clocks_mark_breached(court_id=case.court_id, at=now, deadline_ids=[deadline.pk])
    return {
        "funds_notice_started_at": started_at.isoformat(),
        "funds_notice_due_at": deadline.due_at.isoformat(),
        "funds_notice_breached_at_match": breached,
        "late_start_reason": "unidentified_receipt",
        "unmatched_working_days": WorkingCalendar.load().working_days_between(
            local_date(receipt.arrived_at), local_date(now)
        ),
    }


# --- disbursements ------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountChange:
    """The applicant's written request to be paid to another account (322号 §20), as
    the person who received it records it: the document's number (收文号 / 申请书编号),
    the day it was received, and a note of what it asks."""

    document: str = ""
    received_on: dt.date | None = None
    note: str = ""

    def __bool__(self) -> bool:
        return bool(self.document.strip() or self.received_on or self.note.strip())


def _account_change_check(*, actor: User, case: Case, change: AccountChange) -> None:
    """A payout to an account other than the confirmed one: only a person of the case's
    court records the applicant's written request (an API client never redirects a
    payout, whatever text it sends), and the record names the document and the day."""
    policy.require_record_account_change(actor, case.court)
    fields: dict[str, list[str]] = {}
    if not change.document.strip():
        fields["account_change_document"] = [str(_("请填写申请执行人书面变更申请的文号（收文号或申请书编号）。"))]
    if change.received_on is None:
        fields["account_change_received_on"] = [str(_("请填写收到书面申请的日期。"))]
    elif change.received_on > timezone.localdate():
        fields["account_change_received_on"] = [str(_("收到书面申请的日期不能晚于今天。"))]
    if fields:
        raise ValidationFailed(_("请完整登记申请执行人的书面变更申请。"), code="account_change_incomplete",
                               extra={"fields": fields})


def _disbursement_draft_check(
    *, actor: User, case: Case, payee_id: int, amount: Decimal, number: str, change: AccountChange
) -> Party:
    """The payee, once the actor, the amount and the account are found acceptable."""
    policy.require_handle_funds(actor, case.court)
    errors = FieldErrors()  # the amount and the payee in one answer
    errors.catch(_positive, amount)
    payee = selectors.applicant_get(case, payee_id)
    if payee is None:
        errors.add("payee", _("收款人必须是本案申请执行人。"))
    errors.raise_if_any()
    assert payee is not None
    confirmed = getattr(payee, "payout_account", None)
    if confirmed is not None and confirmed.account_number == number:
        return payee
    if not change:
        raise RuleViolation(
            _("收款账户与立案时申请执行人确认的账户不一致（322号第20条）。如申请执行人书面申请变更，请登记其申请，由执行局长审批。"),
            code="payee_not_confirmed",
            extra={"confirmed": bool(confirmed)},
        )
    _account_change_check(actor=actor, case=case, change=change)
    return payee


@transaction.atomic
def disbursement_draft(
    *,
    actor: User,
    case: Case,
    payee_id: int,
    amount: Decimal,
    account_number: str,
    change: AccountChange | None = None,
    bank: str = "",
    holder: str = "",
) -> Disbursement:
    """Draft a payment to an applicant of the case. The account must be the one the
    applicant confirmed at filing (``payee_not_confirmed``) unless a person records
    the applicant's written request to change it (``AccountChange``) — then the
    bureau head's approval covers the change. The amount is reserved at once
    (``insufficient_balance``)."""
    number = account_number.replace(" ", "")
    change = change or AccountChange()
    payee = _disbursement_draft_check(
        actor=actor, case=case, payee_id=payee_id, amount=amount, number=number, change=change
    )
    confirmed = getattr(payee, "payout_account", None)
    account = selectors.case_account(case) or ledger.fund_account_open(case=case)
    ledger.reserve(account=account, amount=amount)
    changed = confirmed is None or confirmed.account_number != number
    if confirmed is not None and not changed:
        bank, holder = confirmed.bank, confirmed.holder
    else:
        bank, holder = bank.strip(), holder.strip() or payee.name
    disbursement = Disbursement.objects.create(
        case=case, payee=payee, amount=amount, account_number=number[:40], bank=bank[:100], holder=holder[:100],
        account_change_request=change.note.strip()[:300] if changed else "",
        account_change_document=change.document.strip()[:60] if changed else "",
        account_change_received_on=change.received_on if changed else None,
        account_change_recorded_by=actor if changed else None,
        drafted_by=actor,
    )
    payload: dict[str, Any] = {"amount": str(amount), "changed_account": changed}
    if changed:
        payload["account_change_document"] = disbursement.account_change_document
        payload["account_change_received_on"] = change.received_on.isoformat() if change.received_on else None
    _node(case=case, kind=FundsNode.DISBURSEMENT_DRAFTED, at=timezone.now(), actor=actor, subject=disbursement,
          payload=payload)
    return disbursement


@transaction.atomic
def disbursement_submit(*, actor: User, disbursement: Disbursement) -> Disbursement:
    d = selectors.disbursement_get_for_update(disbursement.pk)
    policy.require_handle_funds(actor, d.case.court)
    d.submit()
    d.save()
    _node(case=d.case, kind=FundsNode.DISBURSEMENT_SUBMITTED, at=timezone.now(), actor=actor, subject=d)
    notify_funds_request(obj=d, actor=actor)
    return d


@transaction.atomic
def disbursement_approve(*, actor: User, disbursement: Disbursement) -> Disbursement:
    """执行局长审批: never the drafter (maker ≠ checker); API clients never approve."""
    d = selectors.disbursement_get_for_update(disbursement.pk)
    policy.require_decide_disbursement(actor, d)
    now = timezone.now()
    d.approve(by=actor, at=now)
    d.save()
    _node(case=d.case, kind=FundsNode.DISBURSEMENT_APPROVED, at=now, actor=actor, subject=d,
          payload={"changed_account": d.account_changed})
    notify_funds_decided(obj=d, requester_id=d.drafted_by_id, approved=True, actor=actor)
    return d


@transaction.atomic
def disbursement_notify_finance(*, actor: User, disbursement: Disbursement) -> Disbursement:
    """支付案款通知 to finance: stops FUNDS_NOTICE for the receipts it covers (oldest
    first) and starts FUNDS_PAYMENT (5 working days)."""
    d = selectors.disbursement_get_for_update(disbursement.pk)
    policy.require_handle_funds(actor, d.case.court)
    now = timezone.now()
    d.notify_finance(at=now)
    d.save()
    _stop_covered_notices(d.case, now, actor)
    clocks.clock_start(
        rule_code=PAYMENT_RULE, court=d.case.court, case=d.case, subject=d,
        subject_label=f"{d.case} · 发放 {d.amount} 元", started_at=now, responsible=None,
    )
    _node(case=d.case, kind=FundsNode.DISBURSEMENT_NOTIFIED, at=now, actor=actor, subject=d)
    return d


def _stop_covered_notices(case: Case, at: dt.datetime, actor: User | None) -> None:
    """A receipt's FUNDS_NOTICE stops once notices (and approved holds of a disputed
    part, or deposits) cover it, oldest receipt first."""
    handled = selectors.disbursed_total(case, [DisbursementStatus.NOTIFIED, DisbursementStatus.PAID])
    handled += selectors.held_total(case)
    covered = Decimal(0)
    for receipt in selectors.matched_receipts(case):
        covered += receipt.amount
        if covered > handled:
            break
        clocks.clocks_stop_for_subject(subject=receipt, rule_codes=[NOTICE_RULE], stopped_at=at, actor=actor)


@transaction.atomic
def disbursement_pay(*, actor: User, disbursement: Disbursement, bank_reference: str) -> Disbursement:
    """财务发放: posts the ledger, frees the reservation, stops FUNDS_PAYMENT. When the
    claim is paid in full, enforcement is told (执行完毕 becomes possible)."""
    d = selectors.disbursement_get_for_update(disbursement.pk)
    policy.require_pay(actor, d)
    if not bank_reference.strip():
        raise ValidationFailed.for_field("bank_reference", _("请填写付款流水号。"))
    now = timezone.now()
    account = selectors.case_account_get(d.case)
    posting = ledger.post(
        key=f"disbursement:{d.pk}", kind="disbursement", actor=actor, case=d.case,
        legs=[(account, -d.amount), (ledger.court_account(d.case.court, AccountKind.PAID_OUT), d.amount)],
        memo=f"发放 {d.holder} {bank_reference}", release_pending={account.pk: d.amount},
    )
    d.pay(by=actor, at=now, reference=bank_reference[:64], posting=posting)
    d.save()
    clocks.clocks_stop_for_subject(subject=d, rule_codes=[PAYMENT_RULE], stopped_at=now, actor=actor)
    _node(case=d.case, kind=FundsNode.DISBURSEMENT_PAID, at=now, actor=actor, subject=d, payload={"amount": str(d.amount)})
    paid = selectors.disbursed_total(d.case, [DisbursementStatus.PAID])
    if paid >= d.case.claim_amount:
        case_mark_claim_satisfied(case=d.case, at=now, source=f"案款已全额发放（{paid} 元）")
    return d


@transaction.atomic
def disbursement_reject(*, actor: User, disbursement: Disbursement, note: str) -> Disbursement:
    d = selectors.disbursement_get_for_update(disbursement.pk)
    policy.require_decide_disbursement(actor, d, rejecting=True)
    d.reject(note=note[:300])
    d.save()
    ledger.release(account=selectors.case_account_get(d.case), amount=d.amount)
    _node(case=d.case, kind=FundsNode.DISBURSEMENT_REJECTED, at=timezone.now(), actor=actor, subject=d,
          payload={"note": note[:300]})
    notify_funds_decided(obj=d, requester_id=d.drafted_by_id, approved=False, actor=actor)
    return d


@transaction.atomic
def disbursement_cancel(*, actor: User, disbursement: Disbursement, note: str) -> Disbursement:
    d = selectors.disbursement_get_for_update(disbursement.pk)
    policy.require_handle_funds(actor, d.case.court)
    d.cancel(note=note[:300])
    d.save()
    ledger.release(account=selectors.case_account_get(d.case), amount=d.amount)
    # 322号 §22 / spec [C4]: the cancelled disbursement's payment clock has no object
    # left — it ends moot (or stays breached if finance was already late); the money
    # is back in the account, where FUNDS_NOTICE still governs it.
    for deadline in clocks.running_deadlines_for(d, [PAYMENT_RULE]).order_by("pk"):
        clocks.clock_end_moot(deadline=deadline, ended_at=timezone.now(), reason="disbursement_cancelled", actor=actor)
    _node(case=d.case, kind=FundsNode.DISBURSEMENT_CANCELLED, at=timezone.now(), actor=actor, subject=d,
          payload={"note": note[:300]})
    return d


# --- 延缓发放 and 提存 -------------------------------------------------------------------


def _hold_request_check(*, actor: User, case: Case, kind: str, reason: str, note: str, amount: Decimal | None) -> bool:
    """Whether the hold sets money aside (a deposit, or the disputed part of a delay),
    once the request is found acceptable."""
    policy.require_handle_funds(actor, case.court)
    reasons = DELAY_REASONS if kind == HoldKind.DELAY else DEPOSIT_REASONS if kind == HoldKind.DEPOSIT else None
    if reasons is None:
        raise ValidationFailed.for_field("kind", _("类型应为 delay（延缓发放）或 deposit（提存）。"))
    if reason not in reasons:
        raise ValidationFailed.for_field("reason", _("事由须为款物管理规定所列情形之一：%(r)s") % {"r": "、".join(reasons)})
    if not note.strip():
        raise ValidationFailed.for_field("note", _("请说明具体情况。"))
    holds_money = kind == HoldKind.DEPOSIT or reason == "disputed"
    if holds_money:
        if amount is None:
            raise ValidationFailed.for_field("amount", _("提存或争议部分须写明金额。"))
        _positive(amount)
    return holds_money


@transaction.atomic
def hold_request(
    *, actor: User, case: Case, kind: str, reason: str, note: str, amount: Decimal | None = None
) -> FundsHold:
    """Ask the bureau head to delay payment (延缓发放) or deposit the money (提存)."""
    holds_money = _hold_request_check(actor=actor, case=case, kind=kind, reason=reason, note=note, amount=amount)
    if holds_money:
        assert amount is not None  # checked above
        ledger.reserve(account=selectors.case_account_get(case), amount=amount)
    hold = FundsHold.objects.create(
        case=case, kind=kind, reason=reason, note=note[:500], amount=amount if holds_money else None,
        requested_by=actor,
    )
    _node(case=case, kind=HOLD_REQUESTED[kind], at=timezone.now(), actor=actor, subject=hold,
          payload={"reason": reason, "amount": str(amount) if amount is not None else None})
    notify_funds_request(obj=hold, actor=actor)
    return hold


@transaction.atomic
def hold_decide(*, actor: User, hold: FundsHold, approve: bool) -> FundsHold:
    """Approve (maker ≠ checker): a delay pauses the case's running FUNDS_NOTICE
    clocks; a deposit moves the money out of the case account and stops them."""
    hold = selectors.hold_get_for_update(hold.pk)
    policy.require_decide_hold(actor, hold)
    now = timezone.now()
    account = selectors.case_account_get(hold.case)
    if not approve:
        hold.reject(by=actor, at=now)
        hold.save()
        if hold.amount is not None:
            ledger.release(account=account, amount=hold.amount)
        _node(case=hold.case, kind=HOLD_REJECTED[hold.kind], at=now, actor=actor, subject=hold)
        notify_funds_decided(obj=hold, requester_id=hold.requested_by_id, approved=False, actor=actor)
        return hold
    hold.approve(by=actor, at=now)
    _hold_approved_clocks_and_money(hold, account, now, actor)
    hold.save()
    _node(case=hold.case, kind=HOLD_APPROVED[hold.kind], at=now, actor=actor, subject=hold)
    notify_funds_decided(obj=hold, requester_id=hold.requested_by_id, approved=True, actor=actor)
    return hold


def _hold_approved_clocks_and_money(hold: FundsHold, account: LedgerAccount, now: dt.datetime, actor: User) -> None:
    """A disputed part counts as handled; another delay pauses the running notices; a
    deposit posts the money out (``hold.posting``, saved by the caller) and stops them."""
    notices = clocks.running_deadlines_for(hold.case, [NOTICE_RULE]).order_by("pk")
    if hold.kind == HoldKind.DELAY and hold.reason == "disputed":
        _stop_covered_notices(hold.case, now, actor)  # the disputed part counts as handled
    elif hold.kind == HoldKind.DELAY:
        for deadline in notices.filter(paused_at__isnull=True):
            clocks.clock_pause(deadline=deadline, paused_at=now, reason=f"延缓发放：{hold.reason_label}", actor=actor)
    else:
        assert hold.amount is not None  # a deposit always holds money (hold_request)
        hold.posting = ledger.post(
            key=f"deposit:{hold.pk}", kind="deposit", actor=actor, case=hold.case,
            legs=[(account, -hold.amount), (ledger.court_account(hold.case.court, AccountKind.DEPOSITED), hold.amount)],
            memo=f"提存：{hold.reason_label}", release_pending={account.pk: hold.amount},
        )
        for deadline in notices:
            clocks.clock_stop(deadline=deadline, stopped_at=now, actor=actor, note="已提存")


@transaction.atomic
def hold_release(*, actor: User, hold: FundsHold) -> FundsHold:
    """End a delay: the paused FUNDS_NOTICE clocks run again, their due dates moved
    by the working days they stood still."""
    hold = selectors.hold_get_for_update(hold.pk)
    policy.require_handle_funds(actor, hold.case.court)
    if hold.kind != HoldKind.DELAY:
        raise InvalidTransition(_("提存不能解除。"))
    now = timezone.now()
    hold.release(at=now)
    hold.save()
    if hold.amount is not None:  # the disputed part is settled: it can now be paid
        ledger.release(account=selectors.case_account_get(hold.case), amount=hold.amount)
    for deadline in clocks.running_deadlines_for(hold.case, [NOTICE_RULE]).filter(paused_at__isnull=False).order_by("pk"):
        clocks.clock_resume(deadline=deadline, resumed_at=now, actor=actor)
    _node(case=hold.case, kind=FundsNode.DELAY_RELEASED, at=now, actor=actor, subject=hold)
    return hold
