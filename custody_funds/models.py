"""One case, one account (一案一账号, 322号 §19–22; 款物规定 法发〔2017〕6号).

The ledger is double-entry and append-only: a ``Posting`` has legs that sum to zero
(checked by PostgreSQL at commit), nothing is ever updated or deleted (mistakes are
reversed by new postings), and each posting has a unique idempotency key. Account
balances are cached on ``LedgerAccount`` and changed only under row locks taken in
a fixed order; CHECK constraints keep a case's balance, pending and available
amounts from going negative.
"""

from typing import Any

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

MONEY: dict[str, Any] = {"max_digits": 16, "decimal_places": 2}  # Any: DecimalField keyword arguments


class AccountKind(models.TextChoices):
    CASE = "case", _("案款账户（一案一账号）")
    BANK = "bank", _("执行款专户（银行）")
    UNIDENTIFIED = "unidentified", _("不明款挂账")
    PAID_OUT = "paid_out", _("已发放")
    DEPOSITED = "deposited", _("已提存")


class LedgerAccount(models.Model):
    """A ledger account. Case accounts hold money for a case's creditors; the other
    kinds are per court. Only ``custody_funds.services.ledger`` writes balances."""

    kind = models.CharField(max_length=14, choices=AccountKind.choices)
    court = models.ForeignKey("core.Court", on_delete=models.PROTECT, related_name="+")
    case = models.OneToOneField(
        "enforcement.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="fund_account"
    )
    # The virtual sub-account number printed on notices (case accounts only).
    number = models.CharField(_("账号"), max_length=20, null=True, blank=True, unique=True)
    balance = models.DecimalField(default=0, **MONEY)
    pending = models.DecimalField(default=0, **MONEY)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("账户")
        verbose_name_plural = _("账户")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=AccountKind.CASE) | (Q(balance__gte=0) & Q(pending__gte=0) & Q(balance__gte=F("pending"))),
                name="case_account_never_negative",
            ),
            models.UniqueConstraint(
                fields=["court", "kind"],
                condition=~Q(kind=AccountKind.CASE),
                name="one_court_account_per_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind=AccountKind.CASE, case__isnull=False, number__isnull=False)
                | (~Q(kind=AccountKind.CASE) & Q(case__isnull=True)),
                name="case_account_has_case_and_number",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"{self.court_id}:{self.kind}"

    @property
    def available(self):
        return self.balance - self.pending


# ``Posting.kind`` in words (账户明细, the ledger export).
POSTING_LABELS = {
    "receipt": _("到账"),
    "receipt_unidentified": _("不明款挂账"),
    "receipt_match": _("不明款匹配入账"),
    "disbursement": _("发放"),
    "deposit": _("提存"),
    "reversal": _("冲正"),
}


class Posting(models.Model):
    """One balanced ledger entry."""

    idempotency_key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=30)
    memo = models.CharField(max_length=300, blank=True)
    case = models.ForeignKey("enforcement.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversal")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("记账凭证")
        verbose_name_plural = _("记账凭证")
        ordering = ["id"]
        triggers = [
            pgtrigger.Protect(name="posting_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind}"


class PostingLeg(models.Model):
    posting = models.ForeignKey(Posting, on_delete=models.PROTECT, related_name="legs")
    account = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="legs")
    amount = models.DecimalField(**MONEY)  # signed: + increases the account's balance

    class Meta:
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="leg_not_zero")]
        indexes = [models.Index(fields=["account", "posting"], name="leg_account_posting")]
        triggers = [
            pgtrigger.Protect(name="leg_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
            # Legs of a posting sum to zero — checked once the transaction commits, so
            # a posting's legs can be inserted one by one.
            pgtrigger.Trigger(
                name="posting_balanced",
                when=pgtrigger.After,
                operation=pgtrigger.Insert,
                timing=pgtrigger.Deferred,
                func="""
                    IF (SELECT COALESCE(SUM(amount), 0) FROM custody_funds_postingleg
                        WHERE posting_id = NEW.posting_id) <> 0 THEN
                        RAISE EXCEPTION 'posting % is not balanced', NEW.posting_id
                            USING ERRCODE = 'check_violation';
                    END IF;
                    RETURN NULL;
                """,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.amount}"


class ReceiptStatus(models.TextChoices):
    UNIDENTIFIED = "unidentified", _("不明款")
    MATCHED = "matched", _("已匹配")


class Receipt(ConcurrentTransitionMixin, models.Model):
    """A payment into the court's custody account, from the bank feed or in cash."""

    court = models.ForeignKey("core.Court", on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(_("银行流水号"), max_length=64)
    account_number = models.CharField(_("收款账号"), max_length=40, blank=True)
    amount = models.DecimalField(_("金额"), **MONEY)
    arrived_at = models.DateTimeField(_("到账时间"))
    payer = models.CharField(_("付款人"), max_length=100, blank=True)
    channel = models.CharField(max_length=10, default="bank")  # bank | cash
    case = models.ForeignKey("enforcement.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="receipts")
    status = FSMField(default=ReceiptStatus.UNIDENTIFIED, choices=ReceiptStatus.choices, protected=True)
    matched_at = models.DateTimeField(null=True, blank=True)
    matched_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    match_reason = models.CharField(max_length=300, blank=True)
    # Matched to a case already closed or closing (结案/终本): the case's state then and
    # why the matcher confirmed it (e.g. 终本后恢复执行 money, a refund due to the respondent).
    matched_case_status = models.CharField(_("匹配时案件状态"), max_length=20, blank=True)
    closed_case_reason = models.CharField(_("确认匹配到已结案案件的理由"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    second_officer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("到账")
        verbose_name_plural = _("到账")
        ordering = ["-arrived_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["court", "reference"], name="receipt_reference_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="receipt_positive"),
        ]
        indexes = [models.Index(fields=["court", "status", "arrived_at"], name="receipt_queue")]

    def __str__(self) -> str:
        return f"{self.reference} {self.amount}"

    @transition(field=status, source=ReceiptStatus.UNIDENTIFIED, target=ReceiptStatus.MATCHED)
    def match(self, *, case, at, by, reason: str, closed_case_status: str = "", closed_case_reason: str = "") -> None:
        self.case, self.matched_at, self.matched_by, self.match_reason = case, at, by, reason
        self.matched_case_status, self.closed_case_reason = closed_case_status, closed_case_reason


class DisbursementStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审批")
    APPROVED = "approved", _("已批准")
    NOTIFIED = "notified", _("已通知财务")
    PAID = "paid", _("已发放")
    REJECTED = "rejected", _("已驳回")
    CANCELLED = "cancelled", _("已撤销")


PENDING_STATUSES = (
    DisbursementStatus.DRAFT,
    DisbursementStatus.SUBMITTED,
    DisbursementStatus.APPROVED,
    DisbursementStatus.NOTIFIED,
)


class Disbursement(ConcurrentTransitionMixin, models.Model):
    """支付案款: handler drafts → bureau head approves (maker ≠ checker) → notice to
    finance → finance pays. The amount is reserved (``pending``) from the draft on."""

    case = models.ForeignKey("enforcement.Case", on_delete=models.PROTECT, related_name="disbursements")
    payee = models.ForeignKey("enforcement.Party", on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("金额"), **MONEY)
    bank = models.CharField(_("开户行"), max_length=100)
    account_number = models.CharField(_("收款账号"), max_length=40)
    holder = models.CharField(_("户名"), max_length=100)
    # A payee account other than the one confirmed at filing needs the applicant's
    # written request and the bureau head's approval (322号 §20). The request is
    # evidence a named person records — its document number and the day it was
    # received — never an API client's free text (issue 17); the note says what it asks.
    account_change_request = models.CharField(_("变更说明"), max_length=300, blank=True)
    account_change_document = models.CharField(_("书面变更申请文号"), max_length=60, blank=True)
    account_change_received_on = models.DateField(_("收到书面申请日期"), null=True, blank=True)
    account_change_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("变更申请登记人"),
    )
    status = FSMField(default=DisbursementStatus.DRAFT, choices=DisbursementStatus.choices, protected=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drafted_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    paid_at = models.DateTimeField(null=True, blank=True)
    bank_reference = models.CharField(max_length=64, blank=True)
    note = models.CharField(max_length=300, blank=True)
    posting = models.OneToOneField(Posting, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("案款发放")
        verbose_name_plural = _("案款发放")
        ordering = ["-drafted_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_positive"),
            # a recorded change request names its document, its day and who recorded it
            models.CheckConstraint(
                condition=Q(account_change_document="")
                | Q(account_change_received_on__isnull=False, account_change_recorded_by__isnull=False),
                name="disbursement_account_change_evidence",
            ),
        ]
        indexes = [models.Index(fields=["status", "notified_at"], name="disbursement_queue")]

    def __str__(self) -> str:
        return f"{self.case} → {self.holder} {self.amount}"

    @property
    def account_changed(self) -> bool:
        """Paid to an account other than the one confirmed at filing (with the
        applicant's recorded request, or — before issue 17 — a note of it)."""
        return bool(self.account_change_document or self.account_change_request)

    @transition(field=status, source=DisbursementStatus.DRAFT, target=DisbursementStatus.SUBMITTED)
    def submit(self) -> None:
        pass

    @transition(field=status, source=DisbursementStatus.SUBMITTED, target=DisbursementStatus.APPROVED)
    def approve(self, *, by, at) -> None:
        self.approved_by, self.approved_at = by, at

    @transition(field=status, source=DisbursementStatus.APPROVED, target=DisbursementStatus.NOTIFIED)
    def notify_finance(self, *, at) -> None:
        self.notified_at = at

    @transition(field=status, source=DisbursementStatus.NOTIFIED, target=DisbursementStatus.PAID)
    def pay(self, *, by, at, reference: str, posting) -> None:
        self.paid_by, self.paid_at, self.bank_reference, self.posting = by, at, reference, posting

    @transition(field=status, source=[DisbursementStatus.SUBMITTED, DisbursementStatus.APPROVED], target=DisbursementStatus.REJECTED)
    def reject(self, *, note: str) -> None:
        self.note = note

    # Also after the notice to finance, before payment (e.g. the payee account proves
    # wrong): the disbursement's FUNDS_PAYMENT then ends moot (lifecycle spec [C4]).
    @transition(
        field=status,
        source=[DisbursementStatus.DRAFT, DisbursementStatus.SUBMITTED, DisbursementStatus.NOTIFIED],
        target=DisbursementStatus.CANCELLED,
    )
    def cancel(self, *, note: str) -> None:
        self.note = note


class HoldKind(models.TextChoices):
    DELAY = "delay", _("延缓发放")
    DEPOSIT = "deposit", _("提存")


# 款物规定 (法发〔2017〕6号): the lawful reasons to delay payment or deposit it with a notary.
DELAY_REASONS = {
    # 322号 §22: 部分案款有争议的，应当先将无争议部分及时发放 — only the disputed
    # amount is held; the undisputed rest stays on its clocks.
    "disputed": _("部分案款有争议（无争议部分先行发放）"),
    "to_distribute": _("需要进行案款分配"),
    "frozen_elsewhere": _("申请执行人因另案诉讼、执行或涉嫌犯罪等原因导致执行款被保全或冻结"),
    "not_collected": _("申请执行人经通知未领取"),
    "case_suspended": _("案件被依法中止或者暂缓执行"),
    "other": _("有其他正当理由需要延缓发放"),
}
DEPOSIT_REASONS = {
    "refused": _("申请执行人无正当理由拒绝领取"),
    "missing": _("申请执行人下落不明"),
    "deceased": _("申请执行人死亡未确定继承人或者丧失民事行为能力未确定监护人"),
    "unreachable": _("按照申请执行人提供的联系方式无法通知其领取"),
    "other": _("其他不能发放的情形"),
}


class HoldStatus(models.TextChoices):
    REQUESTED = "requested", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")
    RELEASED = "released", _("已解除")


class FundsHold(ConcurrentTransitionMixin, models.Model):
    """延缓发放 (the FUNDS_NOTICE clocks stand still until released) or 提存 (the
    money leaves the case account for a notary's deposit), each with a reason from
    the 款物规定 list and the bureau head's approval."""

    case = models.ForeignKey("enforcement.Case", on_delete=models.PROTECT, related_name="funds_holds")
    kind = models.CharField(_("类型"), max_length=8, choices=HoldKind.choices)
    reason = models.CharField(_("事由"), max_length=20)
    note = models.CharField(_("说明"), max_length=500)
    amount = models.DecimalField(_("金额"), null=True, blank=True, **MONEY)
    status = FSMField(default=HoldStatus.REQUESTED, choices=HoldStatus.choices, protected=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    posting = models.OneToOneField(Posting, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("延缓发放/提存")
        verbose_name_plural = _("延缓发放/提存")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case}"

    @property
    def reason_label(self):
        return (DELAY_REASONS if self.kind == HoldKind.DELAY else DEPOSIT_REASONS).get(self.reason, self.reason)

    @transition(field=status, source=HoldStatus.REQUESTED, target=HoldStatus.APPROVED)
    def approve(self, *, by, at) -> None:
        self.decided_by, self.decided_at = by, at

    @transition(field=status, source=HoldStatus.REQUESTED, target=HoldStatus.REJECTED)
    def reject(self, *, by, at) -> None:
        self.decided_by, self.decided_at = by, at

    @transition(field=status, source=HoldStatus.APPROVED, target=HoldStatus.RELEASED)
    def release(self, *, at) -> None:
        self.released_at = at
