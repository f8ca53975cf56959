from typing import Any

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

# DecimalField keyword arguments of every amount (Any: they are passed as **kwargs)
MONEY: dict[str, Any] = {"max_digits": 16, "decimal_places": 2}


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("已收案")
    EXECUTING = "executing", _("执行中")
    SUSPENDED = "suspended", _("中止执行")
    CLOSED = "closed", _("已结案")
    CLOSING = "closing", _("终本裁定送达中")


class ClosureType(models.TextChoices):
    FULLY_EXECUTED = "fully_executed", _("执行完毕")
    TERMINATED_THIS_ROUND = "terminated_this_round", _("终结本次执行程序")
    TERMINATED = "terminated", _("终结执行")
    NOT_EXECUTED = "not_executed", _("不予执行")
    REJECTED = "rejected", _("驳回申请")
    WITHDRAWN = "withdrawn", _("撤回申请")
    BANKRUPTCY = "bankruptcy", _("移送破产审查")
    # 销案: 管辖异议成立移送、他院立案在先、受托法院退回 (执行立结案意见 法发〔2014〕26号,
    # outside the seeds, unverified); lifecycle spec §1 column 销案.
    CANCELLED = "cancelled", _("销案")


class Track(models.TextChoices):
    SIMPLE = "simple", _("简易执行")
    ORDINARY = "ordinary", _("普通执行")


@pghistory.track()
class Case(ConcurrentTransitionMixin, models.Model):
    """An enforcement case. Every change goes through ``enforcement.services``;
    ``status`` is a protected state machine (``received → executing ⇄ suspended →
    closed``)."""

    case_number = models.CharField(_("案号"), max_length=64, unique=True)
    court = models.ForeignKey("core.Court", on_delete=models.PROTECT, related_name="cases")
    type_code = models.CharField(_("类型代字"), max_length=4)
    filed_on = models.DateField(_("立案日期"))
    received_at = models.DateTimeField(_("移送执行时间"))
    claim_amount = models.DecimalField(_("申请执行标的"), **MONEY)
    costs = models.DecimalField(_("执行费用"), default=0, **MONEY)
    basis_document = models.CharField(_("执行依据"), max_length=200)
    track = models.CharField(_("繁简"), max_length=10, choices=Track.choices, default=Track.SIMPLE)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_cases",
    )
    team = models.CharField(_("办案团队"), max_length=50, blank=True)
    status = FSMField(_("状态"), default=CaseStatus.RECEIVED, choices=CaseStatus.choices, protected=True)
    # Nodes the 终本 gate asks about (终本规定 §1)
    notice_served_at = models.DateTimeField(_("执行通知书送达"), null=True, blank=True)
    property_order_served_at = models.DateTimeField(_("报告财产令送达"), null=True, blank=True)
    applicant_interviewed_at = models.DateTimeField(_("约谈申请执行人"), null=True, blank=True)
    fulfilled_at = models.DateTimeField(_("履行完毕时间"), null=True, blank=True)
    fulfilment_note = models.CharField(_("履行情况"), max_length=500, blank=True)
    closure_type = models.CharField(_("结案方式"), max_length=30, choices=ClosureType.choices, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    closure_document = models.CharField(_("结案文书"), max_length=200, blank=True)
    # 终本 in two steps: the bureau head's approval makes the ruling (the case is ``closing``);
    # it closes on the ruling's last service on a party.
    terminated_ruling_at = models.DateTimeField(_("终本裁定作出时间"), null=True, blank=True)
    restored_from = models.ForeignKey(
        "self",
        verbose_name=_("恢复执行前案"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="restorations",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("执行案件")
        verbose_name_plural = _("执行案件")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["court", "status", "-received_at"], name="case_court_status"),
            models.Index(fields=["handler", "status"], name="case_handler_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(claim_amount__gt=0), name="case_claim_positive"),
            models.CheckConstraint(condition=Q(costs__gte=0), name="case_costs_non_negative"),
            models.CheckConstraint(
                condition=~Q(status=CaseStatus.CLOSED) | ~Q(closure_type=""),
                name="case_closed_has_type",
            ),
        ]

    def __str__(self) -> str:
        return self.case_number

    @property
    def total_due(self):
        return self.claim_amount + self.costs

    # --- transitions: fields only, no I/O (STYLE §4) -------------------------------
    @transition(field=status, source=CaseStatus.RECEIVED, target=CaseStatus.EXECUTING)
    def start(self) -> None:
        pass

    @transition(field=status, source=CaseStatus.EXECUTING, target=CaseStatus.SUSPENDED)
    def suspend(self) -> None:
        pass

    @transition(field=status, source=CaseStatus.SUSPENDED, target=CaseStatus.EXECUTING)
    def resume(self) -> None:
        pass

    @transition(
        field=status,
        source=[CaseStatus.RECEIVED, CaseStatus.EXECUTING, CaseStatus.SUSPENDED],
        target=CaseStatus.CLOSING,
    )
    def rule_terminated(self, *, ruled_at, document: str) -> None:
        """终本 approved: the ruling is made; the case closes when it is served on every party."""
        self.closure_type = ClosureType.TERMINATED_THIS_ROUND
        self.terminated_ruling_at = ruled_at
        self.closure_document = document

    @transition(
        field=status,
        source=[CaseStatus.RECEIVED, CaseStatus.EXECUTING, CaseStatus.SUSPENDED, CaseStatus.CLOSING],
        target=CaseStatus.CLOSED,
    )
    def close(self, *, closure_type: str, closed_at, document: str) -> None:
        self.closure_type = closure_type
        self.closed_at = closed_at
        self.closure_document = document


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("申请执行人")
    RESPONDENT = "respondent", _("被执行人")


class PartyKind(models.TextChoices):
    PERSON = "person", _("自然人")
    ORGANIZATION = "organization", _("法人或其他组织")


class Party(models.Model):
    """A party. ID and phone numbers are stored whole and masked on every way out."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("诉讼地位"), max_length=12, choices=PartyRole.choices)
    kind = models.CharField(_("类型"), max_length=14, choices=PartyKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    id_number = models.CharField(_("证件号码"), max_length=18)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        ordering = ["role", "id"]
        indexes = [models.Index(fields=["name"], name="party_name")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}"


@pghistory.track()
class PayoutAccount(models.Model):
    """The account the applicant confirmed at filing for receiving case funds
    (322号 §20: 执行立案时，必须向申请执行人确认接受案款方式和具体账户)."""

    party = models.OneToOneField(Party, on_delete=models.CASCADE, related_name="payout_account")
    bank = models.CharField(_("开户行"), max_length=100)
    account_number = models.CharField(_("账号"), max_length=40)
    holder = models.CharField(_("户名"), max_length=100)
    confirmed_at = models.DateTimeField(_("确认时间"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("收款账户")
        verbose_name_plural = _("收款账户")

    def __str__(self) -> str:
        return f"{self.bank} {self.holder}"


class ApprovalKind(models.TextChoices):
    OVER_SEIZURE = "over_seizure", _("超标的查封审批")
    CLOSURE = "closure", _("终结本次执行审批")
    EXTENSION = "extension", _("延长期限审批")
    # 申请执行人同意删除失信信息 needs the court's approval (失信规定 §10(三)); asked for in
    # place where the consent is refused to someone who may not approve it (issue 16)
    DISHONEST_DELETE = "dishonest_delete", _("删除失信信息审批")


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")
    USED = "used", _("已使用")


class Approval(ConcurrentTransitionMixin, models.Model):
    """A request for the bureau head (overrides, 终本, extensions). The requester
    never decides their own request (maker ≠ checker)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="approvals")
    kind = models.CharField(_("事项"), max_length=20, choices=ApprovalKind.choices)
    status = FSMField(default=ApprovalStatus.PENDING, choices=ApprovalStatus.choices, protected=True)
    reason = models.CharField(_("理由"), max_length=1000)
    payload = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("审批")
        verbose_name_plural = _("审批")
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["status", "kind"], name="approval_status_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case}"

    @transition(field=status, source=ApprovalStatus.PENDING, target=ApprovalStatus.APPROVED)
    def approve(self, *, by, at, note: str) -> None:
        self.decided_by, self.decided_at, self.decision_note = by, at, note

    @transition(field=status, source=ApprovalStatus.PENDING, target=ApprovalStatus.REJECTED)
    def reject(self, *, by, at, note: str) -> None:
        self.decided_by, self.decided_at, self.decision_note = by, at, note

    @transition(field=status, source=ApprovalStatus.APPROVED, target=ApprovalStatus.USED)
    def use(self) -> None:
        pass
