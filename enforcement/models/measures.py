import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from enforcement.models.assets import Asset
from enforcement.models.cases import MONEY, Case, Party


class ControlKind(models.TextChoices):
    FREEZE_DEPOSIT = "freeze_deposit", _("冻结存款")
    SEIZE_REAL_ESTATE = "seize_real_estate", _("查封不动产")
    SEIZE_MOVABLE = "seize_movable", _("查封、扣押动产")
    FREEZE_EQUITY = "freeze_equity", _("冻结股权")
    FREEZE_OTHER = "freeze_other", _("冻结其他财产权")


# 民诉法解释 §485: deposits 1 year, movables 2, real estate and other rights 3.
CONTROL_TERM_VARIANT = {
    ControlKind.FREEZE_DEPOSIT: "deposit",
    ControlKind.SEIZE_MOVABLE: "movable",
    ControlKind.SEIZE_REAL_ESTATE: "real_estate",
    ControlKind.FREEZE_EQUITY: "other",
    ControlKind.FREEZE_OTHER: "other",
}
CONTROL_TERM_MONTHS = {"deposit": 12, "movable": 24, "real_estate": 36, "other": 36}


class ControlStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    RELEASED = "released", _("已解除")
    DISPOSED = "disposed", _("已处置")
    EXPIRED = "expired", _("已失效")


@pghistory.track()
class ControlMeasure(ConcurrentTransitionMixin, models.Model):
    """查封、扣押、冻结 on one asset."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="control_measures")
    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="measures")
    kind = models.CharField(_("措施"), max_length=20, choices=ControlKind.choices)
    # 322号 §15: a deposit freeze states a concrete amount.
    amount = models.DecimalField(_("控制金额"), null=True, blank=True, **MONEY)
    effective_at = models.DateTimeField(_("生效时间"))
    expires_on = models.DateField(_("到期日"))
    renewals = models.PositiveSmallIntegerField(_("续行次数"), default=0)
    status = FSMField(default=ControlStatus.ACTIVE, choices=ControlStatus.choices, protected=True)
    released_at = models.DateTimeField(null=True, blank=True)
    override = models.ForeignKey(
        "enforcement.Approval", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    # 分割查封 (322号 §15): the part seized and its value, or the whole because the
    # registry refused to split it (its refusal on record).
    share = models.CharField(_("查封部分（份额/面积）"), max_length=200, blank=True)
    share_value = models.DecimalField(_("查封部分价值"), null=True, blank=True, **MONEY)
    whole_because_indivisible = models.BooleanField(_("因不能分割而整体查封"), default=False)
    registry_refusal = models.CharField(_("登记机构不能分割查封的说明"), max_length=500, blank=True)
    # 322号 §15 "选择对当事人生产生活影响较小且方便执行的财产": why this asset.
    selection_reason = models.CharField(_("选择该财产的理由"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("控制措施")
        verbose_name_plural = _("控制措施")
        ordering = ["effective_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=ControlKind.FREEZE_DEPOSIT) | Q(amount__gt=0),
                name="control_deposit_freeze_has_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.asset}"

    @transition(field=status, source=ControlStatus.ACTIVE, target=ControlStatus.ACTIVE)
    def renew(self, *, expires_on) -> None:
        self.expires_on = expires_on
        self.renewals += 1

    @transition(field=status, source=ControlStatus.ACTIVE, target=ControlStatus.RELEASED)
    def release(self, *, at) -> None:
        self.released_at = at

    @transition(field=status, source=ControlStatus.ACTIVE, target=ControlStatus.DISPOSED)
    def dispose(self) -> None:
        pass

    @transition(field=status, source=ControlStatus.ACTIVE, target=ControlStatus.EXPIRED)
    def lapse(self) -> None:
        pass


class ClueStatus(models.TextChoices):
    RECEIVED = "received", _("已收到")
    VERIFYING = "verifying", _("核查中")
    TRUE = "verified_true", _("经查属实")
    FALSE = "verified_false", _("经查不实")


class PropertyClue(ConcurrentTransitionMixin, models.Model):
    """财产线索 from the applicant or others (322号 §13: specific and urgent → 24 h)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="clues")
    received_at = models.DateTimeField(_("收到时间"))
    source = models.CharField(_("提供人"), max_length=100, blank=True)
    description = models.CharField(_("线索内容"), max_length=1000)
    specific = models.BooleanField(_("明确具体"), default=False)
    urgent = models.BooleanField(_("情况紧急"), default=False)
    status = FSMField(default=ClueStatus.RECEIVED, choices=ClueStatus.choices, protected=True)
    verification_started_at = models.DateTimeField(null=True, blank=True)
    result_note = models.CharField(_("核查结果"), max_length=1000, blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True)
    # The asset a clue found true led to (322号 §13: 经查属实的，应当立即采取控制措施).
    asset = models.ForeignKey(
        Asset, null=True, blank=True, on_delete=models.PROTECT, related_name="clues", verbose_name=_("查明的财产")
    )

    class Meta:
        verbose_name = _("财产线索")
        verbose_name_plural = _("财产线索")
        ordering = ["received_at", "id"]

    def __str__(self) -> str:
        return self.description[:40]

    @transition(field=status, source=ClueStatus.RECEIVED, target=ClueStatus.VERIFYING)
    def start_verification(self, *, at) -> None:
        self.verification_started_at = at

    @transition(field=status, source=ClueStatus.VERIFYING, target=ClueStatus.TRUE)
    def confirm(self, *, at, note: str) -> None:
        self.concluded_at, self.result_note = at, note

    @transition(field=status, source=ClueStatus.VERIFYING, target=ClueStatus.FALSE)
    def refute(self, *, at, note: str) -> None:
        self.concluded_at, self.result_note = at, note


class PriceMethod(models.TextChoices):
    NEGOTIATION = "negotiation", _("当事人议价")
    ONLINE_INQUIRY = "online_inquiry", _("网络询价")
    DIRECTED_INQUIRY = "directed_inquiry", _("定向询价")
    APPRAISAL = "appraisal", _("委托评估")


class SaleMode(models.TextChoices):
    AUCTION = "auction", _("拍卖")
    SELL_OFF = "sell_off", _("变卖")


class DisposalStatus(models.TextChoices):
    PRICE_PENDING = "price_pending", _("确定参考价中")
    PRICE_FIXED = "price_fixed", _("参考价已确定")
    AUCTION = "auction_launched", _("拍卖中")
    SOLD = "sold", _("已成交")
    UNSOLD = "unsold", _("流拍/未成交")


class Disposal(ConcurrentTransitionMixin, models.Model):
    """Sale of a controlled asset: reference price (322号 §16) then auction."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="disposals")
    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="disposals")
    method = models.CharField(_("参考价确定方式"), max_length=20, choices=PriceMethod.choices)
    status = FSMField(default=DisposalStatus.PRICE_PENDING, choices=DisposalStatus.choices, protected=True)
    price_started_at = models.DateTimeField(_("启动确定参考价"))
    reference_price = models.DecimalField(_("参考价"), null=True, blank=True, **MONEY)
    price_fixed_at = models.DateTimeField(null=True, blank=True)
    platform = models.CharField(_("拍卖平台"), max_length=50, default="网络司法拍卖")
    auction_launched_at = models.DateTimeField(null=True, blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True)
    sale_amount = models.DecimalField(_("成交价"), null=True, blank=True, **MONEY)
    mode = models.CharField(_("处置方式"), max_length=10, choices=SaleMode.choices, default=SaleMode.AUCTION)
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)

    class Meta:
        verbose_name = _("财产处置")
        verbose_name_plural = _("财产处置")
        ordering = ["price_started_at", "id"]

    def __str__(self) -> str:
        return f"{self.asset} {self.get_status_display()}"

    @transition(field=status, source=DisposalStatus.PRICE_PENDING, target=DisposalStatus.PRICE_FIXED)
    def fix_price(self, *, price, at) -> None:
        self.reference_price, self.price_fixed_at = price, at

    @transition(field=status, source=DisposalStatus.PRICE_FIXED, target=DisposalStatus.AUCTION)
    def launch_auction(self, *, at, platform: str) -> None:
        self.auction_launched_at, self.platform = at, platform

    @transition(field=status, source=DisposalStatus.AUCTION, target=DisposalStatus.SOLD)
    def sell(self, *, at, amount) -> None:
        self.concluded_at, self.sale_amount = at, amount

    @transition(field=status, source=DisposalStatus.AUCTION, target=DisposalStatus.UNSOLD)
    def fail(self, *, at) -> None:
        self.concluded_at = at


class SelfDisposalStatus(models.TextChoices):
    ALLOWED = "allowed", _("准许自行处置")
    SOLD = "sold", _("已成交")
    REVOKED = "revoked", _("已撤销")


class SelfDisposal(ConcurrentTransitionMixin, models.Model):
    """自行处置 (322号 §17): the debtor sells under control, for at most 90 days."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="self_disposals")
    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="self_disposals")
    allowed_at = models.DateTimeField(_("准许时间"))
    days = models.PositiveSmallIntegerField(_("期限（日）"))
    status = FSMField(default=SelfDisposalStatus.ALLOWED, choices=SelfDisposalStatus.choices, protected=True)
    concluded_at = models.DateTimeField(null=True, blank=True)
    sale_amount = models.DecimalField(null=True, blank=True, **MONEY)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(days__gte=1) & Q(days__lte=90), name="self_disposal_max_90_days")
        ]

    def __str__(self) -> str:
        return f"{self.asset} {self.get_status_display()}"

    @transition(field=status, source=SelfDisposalStatus.ALLOWED, target=SelfDisposalStatus.SOLD)
    def sell(self, *, at, amount) -> None:
        self.concluded_at, self.sale_amount = at, amount

    @transition(field=status, source=SelfDisposalStatus.ALLOWED, target=SelfDisposalStatus.REVOKED)
    def revoke(self, *, at) -> None:
        self.concluded_at = at


class CreditKind(models.TextChoices):
    RESTRICTION = "restriction", _("限制消费令")
    DISHONEST = "dishonest", _("失信被执行人名单")


class CreditStatus(models.TextChoices):
    ISSUED = "issued", _("已发布")
    RELEASED = "released", _("已解除/删除")


class ServiceMethod(models.TextChoices):
    """送达方式 of a 限制消费令 / 失信决定书 (322号 §23 "制作决定书送达当事人")."""

    DIRECT = "direct", _("直接送达")
    MAIL = "mail", _("邮寄送达")
    ELECTRONIC = "electronic", _("电子送达")
    LEFT = "left", _("留置送达")
    ANNOUNCEMENT = "announcement", _("公告送达")


class CorrectionOutcome(models.TextChoices):
    UPHELD = "upheld", _("维持")
    CORRECTED = "corrected", _("予以纠正")


class CreditMeasure(ConcurrentTransitionMixin, models.Model):
    """限制消费令 and 失信名单 entries (322号 §23), with the optional 宽限期.

    In force (生效) = issued, served, not released, and any 宽限期 over (``in_force``)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="credit_measures")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="credit_measures")
    kind = models.CharField(_("措施"), max_length=12, choices=CreditKind.choices)
    issued_at = models.DateTimeField(_("决定时间"))
    grace_until = models.DateField(_("宽限期至"), null=True, blank=True)
    status = FSMField(default=CreditStatus.ISSUED, choices=CreditStatus.choices, protected=True)
    released_at = models.DateTimeField(null=True, blank=True)
    release_reason = models.CharField(max_length=500, blank=True)
    # the decision (决定书) and who made it
    decision_no = models.CharField(_("决定书文号"), max_length=100, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # service (送达) of the decision
    served_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    service_method = models.CharField(_("送达方式"), max_length=14, choices=ServiceMethod.choices, blank=True)
    service_recipient = models.CharField(_("受送达人"), max_length=100, blank=True)
    # 纠正申请 (322号 §23 "应及时审查，及时纠正") and its decision
    correction_requested_at = models.DateTimeField(_("纠正申请时间"), null=True, blank=True)
    correction_request = models.CharField(_("纠正申请理由"), max_length=1000, blank=True)
    correction_decided_at = models.DateTimeField(_("纠正决定时间"), null=True, blank=True)
    correction_outcome = models.CharField(_("纠正决定"), max_length=10, choices=CorrectionOutcome.choices, blank=True)
    correction_reasons = models.CharField(_("纠正决定理由"), max_length=1000, blank=True)
    correction_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("信用惩戒措施")
        verbose_name_plural = _("信用惩戒措施")
        ordering = ["issued_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.party.name}"

    @transition(field=status, source=CreditStatus.ISSUED, target=CreditStatus.RELEASED)
    def release(self, *, at, reason: str) -> None:
        self.released_at, self.release_reason = at, reason

    @property
    def correction_pending(self) -> bool:
        return self.correction_requested_at is not None and self.correction_decided_at is None

    def in_force(self, on) -> bool:
        """Issued, served, not released and its 宽限期 (if any) over on date ``on``."""
        return (
            self.status == CreditStatus.ISSUED
            and self.served_at is not None
            and (self.grace_until is None or self.grace_until < on)
        )


class RestrictedRole(models.TextChoices):
    LEGAL_REPRESENTATIVE = "legal_representative", _("法定代表人")
    PRINCIPAL = "principal", _("主要负责人")
    ACTUAL_CONTROLLER = "actual_controller", _("实际控制人")
    DIRECTLY_RESPONSIBLE = "directly_responsible", _("直接责任人员")


class RestrictedPerson(models.Model):
    """A person an organisation's 限制消费令 restricts (法定代表人 …), from–to; released on
    application with the registry's change record (322号 §23 "被执行人的法定代表人发生变更的，
    应当依当事人申请及时解除对原法定代表人的限制消费令")."""

    measure = models.ForeignKey(CreditMeasure, on_delete=models.CASCADE, related_name="restricted_persons")
    name = models.CharField(_("姓名"), max_length=100)
    id_number = models.CharField(_("证件号码"), max_length=18)
    role = models.CharField(_("身份"), max_length=24, choices=RestrictedRole.choices)
    since = models.DateField(_("任职起"), null=True, blank=True)
    until = models.DateField(_("任职止"), null=True, blank=True)
    released_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    change_record = models.CharField(_("登记机关变更记录"), max_length=500, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("被限制消费人员")
        verbose_name_plural = _("被限制消费人员")
        ordering = ["measure_id", "id"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}"


class ObjectionStatus(models.TextChoices):
    PENDING = "pending", _("审查中")
    DECIDED = "decided", _("已裁定")


class ObjectionRuling(models.TextChoices):
    UPHELD = "upheld", _("异议成立（解除超标的部分）")
    DISMISSED = "dismissed", _("驳回异议")


@pghistory.track()
class SeizureObjection(ConcurrentTransitionMixin, models.Model):
    """超标的查封异议 (322号 §15): filed by a party, decided by a ruling; the measure
    stays in force while it is pending ("评估期间不停止查封")."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="seizure_objections")
    measure = models.ForeignKey(ControlMeasure, on_delete=models.PROTECT, related_name="objections")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+", verbose_name=_("异议人"))
    filed_at = models.DateTimeField(_("提出异议时间"))
    grounds = models.CharField(_("异议理由"), max_length=1000)
    appraisal_requested = models.BooleanField(_("申请评估"), default=False)
    appraisal_value = models.DecimalField(_("评估结果（元）"), null=True, blank=True, **MONEY)
    objection_case_number = models.CharField(_("执异案号"), max_length=60, blank=True)
    status = FSMField(default=ObjectionStatus.PENDING, choices=ObjectionStatus.choices, protected=True)
    ruling = models.CharField(_("裁定结果"), max_length=10, choices=ObjectionRuling.choices, blank=True)
    ruling_note = models.CharField(_("裁定理由"), max_length=1000, blank=True)
    decided_at = models.DateTimeField(_("裁定时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("超标的查封异议")
        verbose_name_plural = _("超标的查封异议")
        ordering = ["filed_at", "id"]

    def __str__(self) -> str:
        return f"{self.measure} · {self.get_status_display()}"

    @transition(field=status, source=ObjectionStatus.PENDING, target=ObjectionStatus.DECIDED)
    def decide(self, *, ruling: str, at, note: str, appraisal_value, case_number: str) -> None:
        self.ruling, self.decided_at, self.ruling_note = ruling, at, note
        if appraisal_value is not None:
            self.appraisal_value = appraisal_value
        if case_number:
            self.objection_case_number = case_number


class SplitStatus(models.TextChoices):
    OPEN = "open", _("待分割")
    CLOSED = "closed", _("已解除超标的部分")


@pghistory.track()
class SplitSeizure(ConcurrentTransitionMixin, models.Model):
    """A whole seizure of real estate the registry would not split (322号 §15): the
    respondent's application → coordination with the registry → 分割登记 → release
    of the excess part, which closes the item."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="split_seizures")
    measure = models.ForeignKey(ControlMeasure, on_delete=models.PROTECT, related_name="splits")
    opened_at = models.DateTimeField(_("整体查封时间"))
    applied_at = models.DateTimeField(_("被执行人申请分割时间"), null=True, blank=True)
    coordinated_at = models.DateTimeField(_("协调登记机构时间"), null=True, blank=True)
    registered_at = models.DateTimeField(_("办理分割登记时间"), null=True, blank=True)
    status = FSMField(default=SplitStatus.OPEN, choices=SplitStatus.choices, protected=True)
    closed_at = models.DateTimeField(_("解除超标的部分时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("分割查封事项")
        verbose_name_plural = _("分割查封事项")
        ordering = ["opened_at", "id"]

    def __str__(self) -> str:
        return f"{self.measure} · {self.get_status_display()}"

    @transition(field=status, source=SplitStatus.OPEN, target=SplitStatus.CLOSED)
    def close(self, *, at) -> None:
        self.closed_at = at
