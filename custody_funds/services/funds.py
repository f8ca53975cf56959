"""Receipts (到账), unidentified funds (不明款) and disbursements (支付案款) with the
10 + 5 working-day clocks of 322号 §22."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.exceptions import (
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    RuleViolation,
    ValidationFailed,
)
from core.models import Court, Role, User
from core.selectors import court_scope_q, user_has_role_at, user_has_role_over
from core.services import clocks
from core.services.events import node_event_record, node_time_check
from custody_funds.models import (
    AccountKind,
    Disbursement,
    DisbursementStatus,
    LedgerAccount,
    Receipt,
    ReceiptStatus,
)
from custody_funds.services import ledger

MATCHERS = (Role.FINANCE, Role.CLERK, Role.HANDLER, Role.BUREAU_HEAD, Role.API_CLIENT)
DRAFTERS = (Role.HANDLER, Role.CLERK, Role.BUREAU_HEAD, Role.API_CLIENT)
APPROVERS = (Role.BUREAU_HEAD, Role.COURT_LEADER)


def _node(*, case, kind, at, actor, subject=None, payload=None, court=None):
    return node_event_record(
        kind=kind, court=court or case.court, case=case, occurred_at=at, actor=actor, subject=subject,
        subject_label=str(case) if case is not None else "", payload=payload, flags=node_time_check(at),
    )


def _require_role_at(user: User, court: Court, roles) -> None:
    if not user_has_role_at(user, court, roles):
        raise PermissionDenied(_("您在该法院没有办理此事项的角色。"))


def _positive(amount: Decimal, field: str = "amount") -> Decimal:
    if amount <= 0:
        raise ValidationFailed.for_field(field, _("金额必须大于零。"))
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationFailed.for_field(field, _("金额最多两位小数。"))
    return amount


# --- receipts ---------------------------------------------------------------------------


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
    _require_role_at(actor, court, MATCHERS)
    _positive(amount)
    reference = reference.strip()
    if not reference:
        raise ValidationFailed.for_field("reference", _("请填写银行流水号。"))
    flags = node_time_check(arrived_at)
    if channel == "cash":
        if second_officer is None or second_officer.pk == actor.pk:
            raise ValidationFailed.for_field("second_officer", _("现金收款须由两名工作人员共同经手登记。"))
        _require_role_at(second_officer, court, MATCHERS)
    existing = Receipt.objects.select_for_update().filter(court=court, reference=reference).first()
    if existing is not None:
        if existing.amount != amount or existing.account_number != account_number.strip():
            raise Conflict(_("流水号 %(r)s 已登记为另一笔到账。") % {"r": reference}, code="receipt_reference_reused")
        return existing, False
    number = account_number.strip()
    account = None
    if ledger.account_number_valid(number):
        account = LedgerAccount.objects.filter(kind=AccountKind.CASE, number=number, court=court).select_related("case").first()
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
            kind="funds.receipt_unidentified", court=court, occurred_at=arrived_at, actor=actor, subject=receipt,
            payload={"amount": str(amount), "account_number": number[:40], "check_digit_ok": ledger.account_number_valid(number)},
            flags=flags,
        )
        return receipt, True
    case = account.case
    receipt.match(case=case, at=arrived_at, by=actor, reason="按账号自动匹配")
    receipt.save()
    ledger.post(
        key=f"receipt:{receipt.pk}", kind="receipt", actor=actor, case=case,
        legs=[(bank, -amount), (account, amount)], memo=f"到账 {reference}",
    )
    _start_funds_notice(receipt, case, arrived_at)
    _node(case=case, kind="funds.receipt", at=arrived_at, actor=actor, subject=receipt, payload={"amount": str(amount)})
    return receipt, True


def _start_funds_notice(receipt: Receipt, case, at: dt.datetime) -> None:
    clocks.clock_start(
        rule_code="FUNDS_NOTICE", court=case.court, case=case, subject=receipt,
        subject_label=f"{case} · 到账 {receipt.amount} 元", started_at=at, responsible=case.handler,
    )


@transaction.atomic
def receipt_match(*, actor: User, receipt: Receipt, case, reason: str) -> Receipt:
    """Match an unidentified receipt to a case (who and why are recorded). The
    10-working-day FUNDS_NOTICE clock starts from the match (到账 matched to the case)."""
    receipt = Receipt.objects.select_for_update().get(pk=receipt.pk)
    _require_role_at(actor, receipt.court, MATCHERS + (Role.CASE_SUPERVISOR,))
    if not reason.strip():
        raise ValidationFailed.for_field("reason", _("请说明匹配依据。"))
    if case.court_id != receipt.court_id:
        raise ValidationFailed.for_field("case", _("只能匹配到本院的案件。"))
    if receipt.status != ReceiptStatus.UNIDENTIFIED:
        raise InvalidTransition(_("该笔到账已匹配。"))
    now = timezone.now()
    receipt.match(case=case, at=now, by=actor, reason=reason[:300])
    receipt.save()
    account = ledger.fund_account_open(case=case)
    ledger.post(
        key=f"match:{receipt.pk}", kind="receipt_match", actor=actor, case=case,
        legs=[(ledger.court_account(receipt.court, AccountKind.UNIDENTIFIED), -receipt.amount), (account, receipt.amount)],
        memo=f"不明款匹配 {receipt.reference}：{reason[:200]}",
    )
    _start_funds_notice(receipt, case, now)
    _node(case=case, kind="funds.receipt_matched", at=now, actor=actor, subject=receipt,
          payload={"amount": str(receipt.amount), "reason": reason[:300]})
    return receipt


# --- disbursements ------------------------------------------------------------------------


def _lock(disbursement: Disbursement) -> Disbursement:
    return Disbursement.objects.select_for_update(of=("self",)).select_related("case__court", "payee").get(pk=disbursement.pk)


@transaction.atomic
def disbursement_draft(
    *,
    actor: User,
    case,
    payee_id: int,
    amount: Decimal,
    account_number: str,
    account_change_request: str = "",
    bank: str = "",
    holder: str = "",
) -> Disbursement:
    """Draft a payment to an applicant of the case. The account must be the one the
    applicant confirmed at filing (``payee_not_confirmed``) unless the applicant's
    written request to change it is recorded — then the bureau head's approval
    covers the change. The amount is reserved at once (``insufficient_balance``)."""
    _require_role_at(actor, case.court, DRAFTERS)
    _positive(amount)
    payee = case.parties.filter(pk=payee_id, role="applicant").select_related("payout_account").first()
    if payee is None:
        raise ValidationFailed.for_field("payee", _("收款人必须是本案申请执行人。"))
    confirmed = getattr(payee, "payout_account", None)
    number = account_number.replace(" ", "")
    if confirmed is None or confirmed.account_number != number:
        if not account_change_request.strip():
            raise RuleViolation(
                _("收款账户与立案时申请执行人确认的账户不一致（322号第20条）。如申请执行人书面申请变更，请记录其申请，由执行局长审批。"),
                code="payee_not_confirmed",
                extra={"confirmed": bool(confirmed)},
            )
    account = LedgerAccount.objects.filter(case=case).first() or ledger.fund_account_open(case=case)
    ledger.reserve(account=account, amount=amount)
    same = confirmed is not None and confirmed.account_number == number
    disbursement = Disbursement.objects.create(
        case=case, payee=payee, amount=amount, account_number=number[:40],
        bank=(confirmed.bank if same else bank.strip())[:100],
        holder=(confirmed.holder if same else (holder.strip() or payee.name))[:100],
        account_change_request=account_change_request[:300], drafted_by=actor,
    )
    _node(case=case, kind="funds.disbursement_drafted", at=timezone.now(), actor=actor, subject=disbursement,
          payload={"amount": str(amount), "changed_account": bool(account_change_request.strip())})
    return disbursement


@transaction.atomic
def disbursement_submit(*, actor: User, disbursement: Disbursement) -> Disbursement:
    d = _lock(disbursement)
    _require_role_at(actor, d.case.court, DRAFTERS)
    d.submit()
    d.save()
    _node(case=d.case, kind="funds.disbursement_submitted", at=timezone.now(), actor=actor, subject=d)
    return d


@transaction.atomic
def disbursement_approve(*, actor: User, disbursement: Disbursement) -> Disbursement:
    """执行局长审批: never the drafter (maker ≠ checker); API clients never approve."""
    d = _lock(disbursement)
    if not user_has_role_over(actor, d.case.court, APPROVERS):
        raise PermissionDenied(_("只有本院或上级法院的执行局长、院领导可以审批案款发放。"))
    if actor.pk == d.drafted_by_id:
        raise PermissionDenied(_("审批人不能审批自己起草的发放。"), code="maker_checker")
    now = timezone.now()
    d.approve(by=actor, at=now)
    d.save()
    _node(case=d.case, kind="funds.disbursement_approved", at=now, actor=actor, subject=d,
          payload={"changed_account": bool(d.account_change_request)})
    return d


@transaction.atomic
def disbursement_notify_finance(*, actor: User, disbursement: Disbursement) -> Disbursement:
    """支付案款通知 to finance: stops FUNDS_NOTICE for the receipts it covers (oldest
    first) and starts FUNDS_PAYMENT (5 working days)."""
    d = _lock(disbursement)
    _require_role_at(actor, d.case.court, DRAFTERS)
    now = timezone.now()
    d.notify_finance(at=now)
    d.save()
    _stop_covered_notices(d.case, now, actor)
    clocks.clock_start(
        rule_code="FUNDS_PAYMENT", court=d.case.court, case=d.case, subject=d,
        subject_label=f"{d.case} · 发放 {d.amount} 元", started_at=now, responsible=None,
    )
    _node(case=d.case, kind="funds.disbursement_notified", at=now, actor=actor, subject=d)
    return d


def _stop_covered_notices(case, at: dt.datetime, actor: User | None) -> None:
    """A receipt's FUNDS_NOTICE stops once notices (and approved holds of a disputed
    part, or deposits) cover it, oldest receipt first."""
    from custody_funds.models import FundsHold, HoldStatus

    handled = Disbursement.objects.filter(
        case=case, status__in=[DisbursementStatus.NOTIFIED, DisbursementStatus.PAID]
    ).aggregate(total=Sum("amount"))["total"] or Decimal(0)
    handled += FundsHold.objects.filter(
        case=case, status=HoldStatus.APPROVED, amount__isnull=False
    ).aggregate(total=Sum("amount"))["total"] or Decimal(0)
    covered = Decimal(0)
    for receipt in Receipt.objects.filter(case=case, status=ReceiptStatus.MATCHED).order_by("arrived_at", "pk"):
        covered += receipt.amount
        if covered > handled:
            break
        clocks.clocks_stop_for_subject(subject=receipt, rule_codes=["FUNDS_NOTICE"], stopped_at=at, actor=actor)


@transaction.atomic
def disbursement_pay(*, actor: User, disbursement: Disbursement, bank_reference: str) -> Disbursement:
    """财务发放: posts the ledger, frees the reservation, stops FUNDS_PAYMENT. When the
    claim is paid in full, enforcement is told (执行完毕 becomes possible)."""
    d = _lock(disbursement)
    if not user_has_role_at(actor, d.case.court, [Role.FINANCE]):
        raise PermissionDenied(_("案款由本院财务部门发放。"))
    if actor.pk in (d.drafted_by_id, d.approved_by_id):
        # Segregation of duties: whoever drafted or approved a payment never also pays it.
        raise PermissionDenied(_("起草或批准这笔发放的人不能同时办理付款。"), code="maker_checker")
    if not bank_reference.strip():
        raise ValidationFailed.for_field("bank_reference", _("请填写付款流水号。"))
    now = timezone.now()
    account = LedgerAccount.objects.get(case=d.case)
    posting = ledger.post(
        key=f"disbursement:{d.pk}", kind="disbursement", actor=actor, case=d.case,
        legs=[(account, -d.amount), (ledger.court_account(d.case.court, AccountKind.PAID_OUT), d.amount)],
        memo=f"发放 {d.holder} {bank_reference}", release_pending={account.pk: d.amount},
    )
    d.pay(by=actor, at=now, reference=bank_reference[:64], posting=posting)
    d.save()
    clocks.clocks_stop_for_subject(subject=d, rule_codes=["FUNDS_PAYMENT"], stopped_at=now, actor=actor)
    _node(case=d.case, kind="funds.disbursement_paid", at=now, actor=actor, subject=d, payload={"amount": str(d.amount)})
    paid = Disbursement.objects.filter(case=d.case, status=DisbursementStatus.PAID).aggregate(t=Sum("amount"))["t"] or 0
    if paid >= d.case.claim_amount:
        from enforcement.services.cases import case_mark_claim_satisfied

        case_mark_claim_satisfied(case=d.case, at=now, source=f"案款已全额发放（{paid} 元）")
    return d


@transaction.atomic
def disbursement_reject(*, actor: User, disbursement: Disbursement, note: str) -> Disbursement:
    d = _lock(disbursement)
    if not user_has_role_over(actor, d.case.court, APPROVERS):
        raise PermissionDenied(_("只有执行局长、院领导可以驳回。"))
    if actor.pk == d.drafted_by_id:
        raise PermissionDenied(_("审批人不能审批自己起草的发放。"), code="maker_checker")
    d.reject(note=note[:300])
    d.save()
    ledger.release(account=LedgerAccount.objects.get(case=d.case), amount=d.amount)
    _node(case=d.case, kind="funds.disbursement_rejected", at=timezone.now(), actor=actor, subject=d, payload={"note": note[:300]})
    return d


@transaction.atomic
def disbursement_cancel(*, actor: User, disbursement: Disbursement, note: str) -> Disbursement:
    d = _lock(disbursement)
    _require_role_at(actor, d.case.court, DRAFTERS)
    d.cancel(note=note[:300])
    d.save()
    ledger.release(account=LedgerAccount.objects.get(case=d.case), amount=d.amount)
    _node(case=d.case, kind="funds.disbursement_cancelled", at=timezone.now(), actor=actor, subject=d, payload={"note": note[:300]})
    return d


def receipts_visible_to(user: User):
    return Receipt.objects.filter(court_scope_q(user)).select_related("court", "case")


def disbursements_visible_to(user: User):
    return Disbursement.objects.filter(court_scope_q(user, field="case__court")).select_related("case", "payee")


def receipt_get(user: User, pk) -> Receipt:
    receipt = receipts_visible_to(user).filter(pk=pk).first()
    if receipt is None:
        raise NotFound()
    return receipt


# --- 延缓发放 and 提存 -------------------------------------------------------------------


@transaction.atomic
def hold_request(*, actor: User, case, kind: str, reason: str, note: str, amount: Decimal | None = None):
    """Ask the bureau head to delay payment (延缓发放) or deposit the money (提存)."""
    from custody_funds.models import DELAY_REASONS, DEPOSIT_REASONS, FundsHold, HoldKind

    _require_role_at(actor, case.court, DRAFTERS)
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
        ledger.reserve(account=LedgerAccount.objects.get(case=case), amount=amount)
    hold = FundsHold.objects.create(
        case=case, kind=kind, reason=reason, note=note[:500], amount=amount if holds_money else None,
        requested_by=actor,
    )
    _node(case=case, kind=f"funds.{kind}_requested", at=timezone.now(), actor=actor, subject=hold,
          payload={"reason": reason, "amount": str(amount) if amount is not None else None})
    return hold


@transaction.atomic
def hold_decide(*, actor: User, hold, approve: bool):
    """Approve (maker ≠ checker): a delay pauses the case's running FUNDS_NOTICE
    clocks; a deposit moves the money out of the case account and stops them."""
    from custody_funds.models import FundsHold, HoldKind

    hold = FundsHold.objects.select_for_update(of=("self",)).select_related("case__court").get(pk=hold.pk)
    if not user_has_role_over(actor, hold.case.court, APPROVERS):
        raise PermissionDenied(_("只有本院或上级法院的执行局长、院领导可以审批。"))
    if actor.pk == hold.requested_by_id:
        raise PermissionDenied(_("审批人不能审批自己提出的申请。"), code="maker_checker")
    now = timezone.now()
    account = LedgerAccount.objects.get(case=hold.case)
    if not approve:
        hold.reject(by=actor, at=now)
        hold.save()
        if hold.amount is not None:
            ledger.release(account=account, amount=hold.amount)
        _node(case=hold.case, kind=f"funds.{hold.kind}_rejected", at=now, actor=actor, subject=hold)
        return hold
    hold.approve(by=actor, at=now)
    notices = clocks.running_deadlines_for(hold.case, ["FUNDS_NOTICE"]).order_by("pk")
    if hold.kind == HoldKind.DELAY and hold.reason == "disputed":
        _stop_covered_notices(hold.case, now, actor)  # the disputed part counts as handled
    elif hold.kind == HoldKind.DELAY:
        for deadline in notices.filter(paused_at__isnull=True):
            clocks.clock_pause(deadline=deadline, paused_at=now, reason=f"延缓发放：{hold.reason_label}", actor=actor)
    else:
        hold.posting = ledger.post(
            key=f"deposit:{hold.pk}", kind="deposit", actor=actor, case=hold.case,
            legs=[(account, -hold.amount), (ledger.court_account(hold.case.court, AccountKind.DEPOSITED), hold.amount)],
            memo=f"提存：{hold.reason_label}", release_pending={account.pk: hold.amount},
        )
        for deadline in notices:
            clocks.clock_stop(deadline=deadline, stopped_at=now, actor=actor, note="已提存")
    hold.save()
    _node(case=hold.case, kind=f"funds.{hold.kind}_approved", at=now, actor=actor, subject=hold)
    return hold


@transaction.atomic
def hold_release(*, actor: User, hold):
    """End a delay: the paused FUNDS_NOTICE clocks run again, their due dates moved
    by the working days they stood still."""
    from custody_funds.models import FundsHold, HoldKind

    hold = FundsHold.objects.select_for_update(of=("self",)).select_related("case__court").get(pk=hold.pk)
    _require_role_at(actor, hold.case.court, DRAFTERS)
    if hold.kind != HoldKind.DELAY:
        raise InvalidTransition(_("提存不能解除。"))
    now = timezone.now()
    hold.release(at=now)
    hold.save()
    if hold.amount is not None:  # the disputed part is settled: it can now be paid
        ledger.release(account=LedgerAccount.objects.get(case=hold.case), amount=hold.amount)
    for deadline in clocks.running_deadlines_for(hold.case, ["FUNDS_NOTICE"]).filter(paused_at__isnull=False).order_by("pk"):
        clocks.clock_resume(deadline=deadline, resumed_at=now, actor=actor)
    _node(case=hold.case, kind="funds.delay_released", at=now, actor=actor, subject=hold)
    return hold
