"""Conclusion, dispositions, feedback, clarification (双查规定 §9–§11), and the record
of every read of confidential content."""

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dualcheck.models.clues import Clue, ClueOfficer, JointMeeting


class ConclusionFinding(models.TextChoices):
    SUBSTANTIATED = "substantiated", _("反映问题属实")
    PARTLY = "partly", _("反映问题部分属实")
    UNSUBSTANTIATED = "unsubstantiated", _("反映问题不实")


@pghistory.track()
class Conclusion(models.Model):
    """检查结论, formed at a joint meeting after the report was accepted (§9)."""

    clue = models.OneToOneField(Clue, on_delete=models.PROTECT, related_name="conclusion")
    meeting = models.OneToOneField(JointMeeting, on_delete=models.PROTECT, related_name="conclusion")
    finding = models.CharField(_("检查结论"), max_length=16, choices=ConclusionFinding.choices)
    summary = models.TextField(_("结论意见"))
    concluded_at = models.DateTimeField(_("结论时间"))
    concluded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("检查结论")
        verbose_name_plural = _("检查结论")

    def __str__(self) -> str:
        return self.get_finding_display()


class DispositionKind(models.TextChoices):
    """§9 (一)–(四)."""

    CORRECTION = "correction", _("执行监督纠正")
    DEADLINE_ORDER = "deadline_order", _("督促限期办理")
    DISCIPLINARY = "disciplinary", _("违纪行为处分（移送）")
    NOTIFICATION = "notification", _("通报")
    INTERVIEW = "interview", _("约谈")
    EVALUATION = "evaluation", _("纳入考评扣分")


# Dispositions about an officer are confidential (DESIGN 一案双查).
CONFIDENTIAL_DISPOSITIONS = (DispositionKind.DISCIPLINARY,)


@pghistory.track()
class Disposition(models.Model):
    conclusion = models.ForeignKey(Conclusion, on_delete=models.PROTECT, related_name="dispositions")
    kind = models.CharField(_("处理方式"), max_length=16, choices=DispositionKind.choices)
    detail = models.TextField(_("处理内容"))
    # the court that must act (correction, deadline order, interview, evaluation)
    target_court = models.ForeignKey(
        "core.Court",
        verbose_name=_("对象法院"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # correction / deadline order: the 督办 order on the case (supervision owns it)
    supervision_order_id = models.BigIntegerField(_("关联督办"), null=True, blank=True)
    due_date = models.DateField(_("办理期限"), null=True, blank=True)
    # disciplinary referral: whom it concerns and to whom it goes (处分权限)
    officer = models.ForeignKey(
        ClueOfficer,
        verbose_name=_("涉及干警"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    referred_to = models.CharField(_("移送机关"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("处理")
        verbose_name_plural = _("处理")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="disciplinary") | (Q(officer__isnull=False) & ~Q(referred_to="")),
                name="disposition_disciplinary_names_officer",
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class FeedbackLead(models.TextChoices):
    """§10: who leads the feedback."""

    EXECUTION = "execution", _("执行机构为主")
    SUPERVISION = "supervision", _("监察机构为主")


class FeedbackMethod(models.TextChoices):
    IN_PERSON = "in_person", _("当面反馈")
    PHONE = "phone", _("电话反馈")
    LETTER = "letter", _("书面反馈")


@pghistory.track()
class Feedback(models.Model):
    clue = models.OneToOneField(Clue, on_delete=models.PROTECT, related_name="feedback")
    lead = models.CharField(_("牵头部门"), max_length=12, choices=FeedbackLead.choices)
    method = models.CharField(_("反馈方式"), max_length=10, choices=FeedbackMethod.choices)
    content = models.TextField(_("反馈及息访疏导情况"))
    fed_back_at = models.DateTimeField(_("反馈时间"))
    fed_back_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("反馈")
        verbose_name_plural = _("反馈")

    def __str__(self) -> str:
        return self.get_method_display()


@pghistory.track()
class Clarification(models.Model):
    """澄清 (§11): the allegation proved untrue; the officers are cleared within a
    stated scope. Confidential (it names the officers)."""

    clue = models.OneToOneField(Clue, on_delete=models.PROTECT, related_name="clarification")
    scope = models.CharField(_("澄清范围"), max_length=500)
    content = models.TextField(_("澄清内容"))
    clarified_at = models.DateTimeField(_("澄清时间"))
    clarified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("澄清")
        verbose_name_plural = _("澄清")

    def __str__(self) -> str:
        return self.scope


# What was read and through which door, as the 查阅记录 names them (the stored values
# are the services' keys: ``confidential_read(what="detail", via="page")``).
READ_WHAT = {
    "detail": _("线索详情"),
    "officers": _("涉及干警"),
    "officer_search": _("按干警查询"),
    "report": _("调查报告"),
    "attachment": _("报告附件"),
    "report_pdf": _("调查报告（打印）"),
    "conclusion_pdf": _("结论（打印）"),
}
READ_VIA = {"page": _("网页"), "api": _("接口"), "pdf": _("打印文件"), "export": _("导出")}


class ConfidentialRead(models.Model):
    """One read of a clue's confidential content: who, when, what, through which
    door (page, API, PDF, export). Append-only like node events."""

    clue = models.ForeignKey(Clue, on_delete=models.PROTECT, related_name="confidential_reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    what = models.CharField(max_length=40)
    via = models.CharField(max_length=10)

    class Meta:
        verbose_name = _("涉密内容查阅记录")
        verbose_name_plural = _("涉密内容查阅记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["clue", "-at"], name="confidentialread_clue")]
        triggers = [
            pgtrigger.Protect(
                name="confidential_read_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.what}"

    @property
    def what_label(self) -> str:
        return str(READ_WHAT.get(self.what, self.what))

    @property
    def via_label(self) -> str:
        return str(READ_VIA.get(self.via, self.via))
