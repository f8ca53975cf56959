"""强制措施与调查措施 register of a case (issue 15; spec §3 rows #3, #14, #15, #16).

* ``CoercionEntry`` — one measure taken: 罚款, 拘留, 搜查, 委托专项审计, 悬赏, 律师调查令,
  下落不明查找, 拒执罪移送 (移送公安 / 自诉告知, with its outcome). Each with its document
  number and date(s) and the person concerned (a respondent, or another obstructing person).
* ``CoercionFinding`` — what triggers the 终本 gate: a 规避/妨害执行 finding, a 财产报告
  default (late / refused / false) and 下落不明, each on a respondent.
* ``MeasureApplication`` — the applicant's application for 审计 / 搜查 / 悬赏 / 调查令:
  granted (and done when its register entry is recorded) or refused with reasons.
* ``ObstructionDecision`` — the bureau head's reasoned decision not to sanction a
  respondent's obstruction (``obstruction.not_sanctioned``), never by the handler.

Legal limits (民事诉讼法 2023年修正 第一百一十八条, outside the seeds, **unverified**):
罚款 of a person ≤ 100,000 元, of an organisation 50,000 – 1,000,000 元; 拘留 ≤ 15 日.
"""

from decimal import Decimal

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enforcement.models.cases import MONEY, Case, Party, PartyKind

# 民事诉讼法（2023年修正）第一百一十八条 (outside the seeds, unverified): the caps the
# services enforce, and the citation the pages print with "未核实".
FINE_MAX_PERSON = Decimal("100000.00")
FINE_MIN_ORGANIZATION = Decimal("50000.00")
FINE_MAX_ORGANIZATION = Decimal("1000000.00")
DETENTION_MAX_DAYS = 15
SANCTION_BASIS = _("民事诉讼法（2023年修正）第一百一十八条（未核实）")


class CoercionKind(models.TextChoices):
    FINE = "fine", _("罚款")
    DETENTION = "detention", _("拘留")
    SEARCH = "search", _("搜查")
    AUDIT = "audit", _("委托专项审计")
    REWARD = "reward", _("悬赏")
    INVESTIGATION_ORDER = "investigation_order", _("律师调查令")
    WHEREABOUTS_SEARCH = "whereabouts_search", _("下落不明查找")
    REFUSAL_CRIME_REFERRAL = "refusal_crime_referral", _("拒执罪移送")


# The kinds that sanction an obstruction (gate rows #3, #15): 罚款, 拘留, 拒执罪移送.
SANCTION_KINDS = (CoercionKind.FINE, CoercionKind.DETENTION, CoercionKind.REFUSAL_CRIME_REFERRAL)


class ReferralRoute(models.TextChoices):
    POLICE = "police", _("移送公安机关")
    PRIVATE = "private", _("告知自诉")


class ReferralOutcome(models.TextChoices):
    PENDING = "pending", _("待反馈")
    FILED = "filed", _("已立案")
    NOT_FILED = "not_filed", _("不予立案")
    CONVICTED = "convicted", _("判决有罪")
    ACQUITTED = "acquitted", _("判决无罪")
    WITHDRAWN = "withdrawn", _("撤回/未起诉")


@pghistory.track()
class CoercionEntry(models.Model):
    """One 强制措施 or 调查措施 of the register."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="coercion_entries")
    kind = models.CharField(_("措施"), max_length=24, choices=CoercionKind.choices)
    party = models.ForeignKey(
        Party, verbose_name=_("被执行人"), null=True, blank=True, on_delete=models.PROTECT, related_name="coercion_entries"
    )
    # another obstructing person (案外人), or the 主要负责人/直接责任人员 of an organisation
    person_name = models.CharField(_("被采取措施人"), max_length=100, blank=True)
    target_kind = models.CharField(_("对象类型"), max_length=14, choices=PartyKind.choices, blank=True)
    document_number = models.CharField(_("文书文号"), max_length=100)
    decided_at = models.DateTimeField(_("决定/实施时间"))
    amount = models.DecimalField(_("罚款金额"), null=True, blank=True, **MONEY)
    start_on = models.DateField(_("拘留起始日"), null=True, blank=True)
    end_on = models.DateField(_("拘留届满日"), null=True, blank=True)
    note = models.CharField(_("情况/结果"), max_length=1000, blank=True)
    route = models.CharField(_("移送途径"), max_length=10, choices=ReferralRoute.choices, blank=True)
    outcome = models.CharField(_("处理结果"), max_length=12, choices=ReferralOutcome.choices, blank=True)
    outcome_on = models.DateField(_("结果日期"), null=True, blank=True)
    outcome_document = models.CharField(_("结果文书"), max_length=100, blank=True)
    application = models.ForeignKey(
        "enforcement.MeasureApplication", null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("强制措施与调查措施")
        verbose_name_plural = _("强制措施与调查措施")
        ordering = ["decided_at", "id"]
        indexes = [models.Index(fields=["kind", "decided_at"], name="coercion_kind_decided")]
        constraints = [
            models.CheckConstraint(condition=~Q(kind="fine") | Q(amount__gt=0), name="coercion_fine_has_amount"),
            models.CheckConstraint(
                condition=~Q(kind="detention") | (Q(start_on__isnull=False) & Q(end_on__isnull=False)),
                name="coercion_detention_has_dates",
            ),
            models.CheckConstraint(
                condition=~Q(kind="refusal_crime_referral") | ~Q(route=""), name="coercion_referral_has_route"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.target_name}"

    @property
    def target_name(self) -> str:
        if self.party_id and self.person_name:
            return f"{self.party.name}（{self.person_name}）"
        return self.party.name if self.party_id else self.person_name


class FindingKind(models.TextChoices):
    EVASION = "evasion", _("规避/妨害执行")
    REPORT_LATE = "report_late", _("逾期报告财产")
    REPORT_REFUSED = "report_refused", _("拒绝报告财产")
    REPORT_FALSE = "report_false", _("虚假报告财产")
    WHEREABOUTS_UNKNOWN = "whereabouts_unknown", _("下落不明")


REPORT_DEFAULTS = (FindingKind.REPORT_LATE, FindingKind.REPORT_REFUSED, FindingKind.REPORT_FALSE)


@pghistory.track()
class CoercionFinding(models.Model):
    """A finding on a respondent that the 终本 gate asks about (#3, #14, #15)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="coercion_findings")
    party = models.ForeignKey(Party, verbose_name=_("被执行人"), on_delete=models.PROTECT, related_name="coercion_findings")
    kind = models.CharField(_("情形"), max_length=20, choices=FindingKind.choices)
    found_at = models.DateTimeField(_("认定时间"))
    note = models.CharField(_("事实与证据"), max_length=1000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("妨害执行情形")
        verbose_name_plural = _("妨害执行情形")
        ordering = ["found_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.party.name}"


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("待决定")
    GRANTED = "granted", _("已准许，待实施")
    DONE = "done", _("已实施")
    REFUSED = "refused", _("不予准许")


# What the applicant may apply for (322号 §24: 委托专项审计、搜查等).
APPLICATION_KINDS = (CoercionKind.AUDIT, CoercionKind.SEARCH, CoercionKind.REWARD, CoercionKind.INVESTIGATION_ORDER)


@pghistory.track()
class MeasureApplication(models.Model):
    """The applicant's application for an investigation measure (gate row #16)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="measure_applications")
    applicant = models.ForeignKey(
        Party, verbose_name=_("申请执行人"), on_delete=models.PROTECT, related_name="measure_applications"
    )
    kind = models.CharField(
        _("申请事项"), max_length=24, choices=[(k.value, k.label) for k in APPLICATION_KINDS]
    )
    applied_at = models.DateTimeField(_("申请时间"))
    note = models.CharField(_("申请理由"), max_length=1000, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.PENDING)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reason = models.CharField(_("决定理由"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("调查措施申请")
        verbose_name_plural = _("调查措施申请")
        ordering = ["applied_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}申请"


@pghistory.track()
class ObstructionDecision(models.Model):
    """The bureau head's reasoned decision not to sanction (``obstruction.not_sanctioned``)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="obstruction_decisions")
    party = models.ForeignKey(Party, verbose_name=_("被执行人"), on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("决定时间"))
    reason = models.CharField(_("理由"), max_length=1000)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("不予采取强制措施决定")
        verbose_name_plural = _("不予采取强制措施决定")
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return f"{_('不予采取强制措施')} {self.party.name}"
