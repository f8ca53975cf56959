import pghistory
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from enforcement.models.cases import MONEY, Case


class AssetCategory(models.Model):
    """A category the national online search system (总对总/点对点) can query.
    Seeded by a data migration; courts switch categories off where their network
    has not opened them (``CourtAssetCategory``)."""

    code = models.CharField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    online = models.BooleanField(_("可网络查询"), default=True)
    # Assets that must be sold (拍卖、变卖) to pay the creditor; seizing one starts
    # PRICE_START (322号 §16). Money-like assets are transferred instead.
    needs_disposal = models.BooleanField(_("需变价处置"), default=False)
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("财产类型")
        verbose_name_plural = _("财产类型")
        ordering = ["sort", "code"]

    def __str__(self) -> str:
        return self.name


class CourtAssetCategory(models.Model):
    """A court's switch for one category (enabled unless a row says otherwise)."""

    court = models.ForeignKey("core.Court", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(AssetCategory, on_delete=models.CASCADE, related_name="+")
    enabled = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("本院财产类型设置")
        verbose_name_plural = _("本院财产类型设置")
        constraints = [
            models.UniqueConstraint(fields=["court", "category"], name="court_category_unique")
        ]

    def __str__(self) -> str:
        return f"{self.court_id}:{self.category_id}={self.enabled}"


class SearchChannel(models.TextChoices):
    NATIONAL = "online", _("网络查控（总对总）")
    LOCAL = "online_local", _("网络查控（点对点）")
    OFFLINE = "offline", _("线下调查")


class SearchStatus(models.TextChoices):
    LAUNCHED = "launched", _("已发起")
    FEEDBACK = "feedback_received", _("已反馈")


class AssetSearch(ConcurrentTransitionMixin, models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="searches")
    channel = models.CharField(_("查询渠道"), max_length=14, choices=SearchChannel.choices)
    categories = models.ManyToManyField(AssetCategory, related_name="+", verbose_name=_("查询范围"))
    launched_at = models.DateTimeField(_("发起时间"))
    status = FSMField(default=SearchStatus.LAUNCHED, choices=SearchStatus.choices, protected=True)
    feedback_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    launched_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    # The respondent this search covers (322号 §24: every respondent searched). Legacy rows
    # have none: they count only on a case with a single respondent (services/gate/assets.py).
    respondent = models.ForeignKey(
        "enforcement.Party", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("被查询的被执行人"),
    )
    result_note = models.CharField(_("调查情况"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("财产查询")
        verbose_name_plural = _("财产查询")
        ordering = ["launched_at", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.get_channel_display()} {self.launched_at:%Y-%m-%d}"

    @property
    def is_online(self) -> bool:
        return self.channel in (SearchChannel.NATIONAL, SearchChannel.LOCAL)

    @transition(field=status, source=SearchStatus.LAUNCHED, target=SearchStatus.FEEDBACK)
    def receive_feedback(self, *, at) -> None:
        self.feedback_at = at


class AssetStatus(models.TextChoices):
    FOUND = "found", _("已查明未控制")
    CONTROLLED = "controlled", _("已控制")
    UNCONTROLLABLE = "uncontrollable", _("无法控制")
    DISPOSING = "disposing", _("处置中")
    DISPOSED = "disposed", _("已处置")
    UNSOLD = "unsold", _("处置未成交")
    RELEASED = "released", _("已解除")


class UncontrollableReason(models.TextChoices):
    """The closed list of reasons an asset may stay uncontrolled before 终本 (终本规定 §4(二),
    unverified; 322号 §24). "其他" is deliberately not in it."""

    REGISTERED_NOT_SEIZED = "registered_not_seized", _("登记在册但未能实际扣押（车辆、船舶等）")
    WAITING_NO_PRIORITY = "waiting_no_priority", _("轮候查封且申请执行人无优先权")
    DESTROYED = "destroyed", _("财产已灭失")


class EstimateBasis(models.TextChoices):
    """How a value not yet appraised was estimated (spec §7.1, 322号 §15)."""

    ONLINE_INQUIRY = "online_inquiry", _("网络询价")
    AREA_TRANSACTIONS = "area_transactions", _("同区域成交价")
    TAX_ASSESSMENT = "tax_assessment", _("税务核定价")
    REGISTRY_OR_CONTRACT = "registry_or_contract", _("登记/合同价")
    OTHER = "other", _("其他（须说明）")


# Asset states in which nothing is left to do before 终本 (终本规定 §1(3)).
ASSET_SETTLED = {AssetStatus.UNCONTROLLABLE, AssetStatus.DISPOSED, AssetStatus.UNSOLD, AssetStatus.RELEASED}


@pghistory.track()
class Asset(ConcurrentTransitionMixin, models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assets")
    search = models.ForeignKey(
        AssetSearch, null=True, blank=True, on_delete=models.PROTECT, related_name="findings"
    )
    category = models.ForeignKey(AssetCategory, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("财产描述"), max_length=500)
    value = models.DecimalField(_("价值"), null=True, blank=True, **MONEY)
    controllable_online = models.BooleanField(_("可网络控制"), default=False)
    status = FSMField(default=AssetStatus.FOUND, choices=AssetStatus.choices, protected=True)
    uncontrollable_reason = models.CharField(_("无法控制原因"), max_length=500, blank=True)
    uncontrollable_code = models.CharField(
        _("无法控制原因类别"), max_length=30, choices=UncontrollableReason.choices, blank=True
    )
    uncontrollable_evidence = models.CharField(_("无法控制的证明材料"), max_length=500, blank=True)
    # 轮候查封: another court seized first; disposal needs its transfer when the applicant has priority.
    waiting_seizure = models.BooleanField(_("轮候查封"), default=False)
    first_seizing_court = models.CharField(_("首封法院"), max_length=100, blank=True)
    applicant_priority = models.BooleanField(_("申请执行人享有优先受偿权"), default=False)
    found_at = models.DateTimeField(_("查明时间"))
    # A reasoned estimate while there is no appraisal / reference price (spec §7.1).
    estimated_value = models.DecimalField(_("估算价值"), null=True, blank=True, **MONEY)
    estimate_basis = models.CharField(_("估算依据"), max_length=24, choices=EstimateBasis.choices, blank=True)
    estimate_note = models.CharField(_("估算说明"), max_length=500, blank=True)
    estimated_by = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    estimated_at = models.DateTimeField(_("估算时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("财产")
        verbose_name_plural = _("财产")
        ordering = ["found_at", "id"]
        indexes = [models.Index(fields=["case", "status"], name="asset_case_status")]

    def __str__(self) -> str:
        return f"{self.category} {self.description}"

    @transition(field=status, source=[AssetStatus.FOUND, AssetStatus.RELEASED], target=AssetStatus.CONTROLLED)
    def control(self) -> None:
        pass

    @transition(
        field=status, source=[AssetStatus.FOUND, AssetStatus.UNCONTROLLABLE], target=AssetStatus.UNCONTROLLABLE
    )
    def mark_uncontrollable(self, *, reason: str, code: str = "", evidence: str = "") -> None:
        self.uncontrollable_reason = reason
        self.uncontrollable_code, self.uncontrollable_evidence = code, evidence

    @transition(field=status, source=[AssetStatus.CONTROLLED, AssetStatus.UNSOLD], target=AssetStatus.DISPOSING)
    def start_disposal(self) -> None:
        pass

    @transition(field=status, source=AssetStatus.DISPOSING, target=AssetStatus.DISPOSED)
    def dispose(self) -> None:
        pass

    @transition(field=status, source=AssetStatus.DISPOSING, target=AssetStatus.UNSOLD)
    def fail_disposal(self) -> None:
        pass

    @transition(field=status, source=AssetStatus.CONTROLLED, target=AssetStatus.RELEASED)
    def release(self) -> None:
        pass
