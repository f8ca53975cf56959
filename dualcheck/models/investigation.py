"""Referral, joint investigation team, report and review (双查规定 §5–§8)."""

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dualcheck.models.clues import Clue, ClueOfficer


class ReferralMode(models.TextChoices):
    REFER = "refer", _("交办下级法院")
    DIRECT = "direct", _("上级法院直接调查")


@pghistory.track()
class Referral(models.Model):
    """交办 through the command centre (§5), or the upper court taking the
    investigation itself (§5 ¶2, §8). The SPC directing a high court is a referral to
    that high court."""

    clue = models.ForeignKey(Clue, on_delete=models.PROTECT, related_name="referrals")
    mode = models.CharField(_("方式"), max_length=8, choices=ReferralMode.choices)
    # 交办编号, e.g. 鲁01双查交〔2026〕2号 — the command centre's reference.
    number = models.CharField(_("交办编号"), max_length=48, unique=True)
    target_court = models.ForeignKey(
        "core.Court", verbose_name=_("调查法院"), on_delete=models.PROTECT, related_name="+"
    )
    instructions = models.TextField(_("交办要求"))
    report_days = models.PositiveSmallIntegerField(_("报告期限（日）"))
    deadline = models.ForeignKey(
        "core.Deadline", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    referred_at = models.DateTimeField(_("交办时间"))
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("交办")
        verbose_name_plural = _("交办")
        ordering = ["referred_at", "id"]

    def __str__(self) -> str:
        return self.number


class TeamMethod(models.TextChoices):
    """§6 (一)–(五)."""

    FILE_REVIEW = "file_review", _("调卷审查")
    SYSTEM_CHECK = "system_check", _("系统检查（节点完整、超期、数据造假）")
    HEARING_PARTIES = "hearing_parties", _("听取当事人意见")
    INTERNAL_INTERVIEW = "internal_interview", _("内部谈话")
    OTHER = "other", _("其他方式")


class ScopeItem(models.TextChoices):
    """§7: both the case and the officers, always."""

    PROCEDURE = "procedure", _("执行程序是否合法")
    PASSIVE = "passive", _("消极执行、选择性执行、乱执行")
    DATA_FRAUD = "data_fraud", _("执行质效数据弄虚作假")
    MANAGEMENT = "management", _("执行管理漏洞、机制建设")
    INSTRUCTIONS = "instructions", _("贯彻上级法院部署或意见不及时、不到位")
    DISCIPLINE = "discipline", _("干警违反政治、廉洁、群众、办案纪律与作风建设规定")
    RESPONSIBILITY = "responsibility", _("监督管理主体责任是否到位")
    OTHER_VIOLATIONS = "other_violations", _("其他违规违法违纪行为")


@pghistory.track()
class Team(models.Model):
    """联合调查组 of the investigating court: at least one member from its execution
    department and one from its supervision department (§5). It exists from its
    forming until the clue's conclusion (``dissolved_at``)."""

    clue = models.ForeignKey(Clue, on_delete=models.PROTECT, related_name="teams")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="teams")
    court = models.ForeignKey(
        "core.Court", verbose_name=_("调查法院"), on_delete=models.PROTECT, related_name="+"
    )
    formed_at = models.DateTimeField(_("组成时间"))
    formed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dissolved_at = models.DateTimeField(_("解散时间"), null=True, blank=True)
    # §6 methods used and §7 scope covered: lists of the choices' values, and notes.
    methods = models.JSONField(_("调查方式"), default=list, blank=True)
    scope = models.JSONField(_("检查范围"), default=list, blank=True)
    work_notes = models.TextField(_("工作记录"), blank=True)

    class Meta:
        verbose_name = _("联合调查组")
        verbose_name_plural = _("联合调查组")
        ordering = ["formed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["clue"], condition=Q(dissolved_at__isnull=True), name="team_one_active_per_clue"
            )
        ]

    def __str__(self) -> str:
        return f"{self.court_id} · {self.formed_at:%Y-%m-%d}"


@pghistory.track()
class TeamMember(models.Model):
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    department = models.CharField(_("部门"), max_length=20)
    is_leader = models.BooleanField(_("组长"), default=False)
    added_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("调查组成员")
        verbose_name_plural = _("调查组成员")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"], condition=Q(removed_at__isnull=True), name="teammember_unique_active"
            )
        ]
        indexes = [
            models.Index(fields=["user"], name="teammember_user", condition=Q(removed_at__isnull=True))
        ]

    def __str__(self) -> str:
        return str(self.user)


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已上报")


# The four parts §8 requires, in order: field name → label.
REPORT_SECTIONS = {
    "process": _("调查经过"),
    "facts": _("查明事实"),
    "analysis": _("问题分析"),
    "opinion": _("处理意见"),
}


@pghistory.track()
class Report(models.Model):
    """调查报告 (§8): one per round (the first report, then each supplementary one).
    ``officer_conduct`` and the officer findings are confidential."""

    clue = models.ForeignKey(Clue, on_delete=models.PROTECT, related_name="reports")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="reports")
    round = models.PositiveSmallIntegerField(_("轮次"))
    status = models.CharField(
        _("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    process = models.TextField(_("调查经过"), blank=True)
    facts = models.TextField(_("查明事实"), blank=True)
    analysis = models.TextField(_("问题分析"), blank=True)
    opinion = models.TextField(_("处理意见"), blank=True)
    officer_conduct = models.TextField(_("干警履职情况"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("上报时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("调查报告")
        verbose_name_plural = _("调查报告")
        ordering = ["round"]
        constraints = [
            models.UniqueConstraint(fields=["clue", "round"], name="report_one_per_round"),
            models.CheckConstraint(
                condition=Q(status="draft")
                | (
                    ~Q(process="")
                    & ~Q(facts="")
                    & ~Q(analysis="")
                    & ~Q(opinion="")
                    & Q(submitted_at__isnull=False)
                ),
                name="report_submitted_is_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clue_id} · {self.round}"


class OfficerFindingResult(models.TextChoices):
    SUBSTANTIATED = "substantiated", _("属实")
    PARTLY = "partly", _("部分属实")
    UNSUBSTANTIATED = "unsubstantiated", _("不属实")


@pghistory.track()
class OfficerFinding(models.Model):
    """A finding about one officer concerned — confidential."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="officer_findings")
    officer = models.ForeignKey(ClueOfficer, on_delete=models.PROTECT, related_name="findings")
    result = models.CharField(_("结论"), max_length=16, choices=OfficerFindingResult.choices)
    detail = models.TextField(_("查明情况"))

    class Meta:
        verbose_name = _("干警问题查明情况")
        verbose_name_plural = _("干警问题查明情况")
        constraints = [models.UniqueConstraint(fields=["report", "officer"], name="officerfinding_unique")]

    def __str__(self) -> str:
        return self.get_result_display()


class ReportAttachment(models.Model):
    """An attachment of a report, stored in the database (backed up with it). Its
    content may concern officers, so it is confidential."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="attachments")
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    data = models.BinaryField()
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("报告附件")
        verbose_name_plural = _("报告附件")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class ReviewDecision(models.TextChoices):
    """§8: what the upper court does with a report."""

    ACCEPT = "accept", _("采纳报告")
    SUPPLEMENT = "supplement", _("责令限期补充调查")
    DIRECT = "direct", _("直接派员调查")
    HEARING = "hearing", _("组织听证")


@pghistory.track()
class Review(models.Model):
    clue = models.ForeignKey(Clue, on_delete=models.PROTECT, related_name="reviews")
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="reviews")
    decision = models.CharField(_("审查决定"), max_length=12, choices=ReviewDecision.choices)
    opinion = models.TextField(_("审查意见"))
    # supplement: the period set; hearing: when it was held and its record
    days = models.PositiveSmallIntegerField(_("期限（日）"), null=True, blank=True)
    hearing_at = models.DateTimeField(_("听证时间"), null=True, blank=True)
    hearing_record = models.TextField(_("听证情况"), blank=True)
    reviewed_at = models.DateTimeField(_("审查时间"))
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("报告审查")
        verbose_name_plural = _("报告审查")
        ordering = ["reviewed_at", "id"]

    def __str__(self) -> str:
        return self.get_decision_display()
