"""Per-party procedure records the 终本 gate asks about (spec §3 rows #1, #2, #18, #20):
service of documents on each party, each respondent's 财产报告, each applicant's interview."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ServedDocument(models.TextChoices):
    NOTICE = "notice", _("执行通知书")
    PROPERTY_ORDER = "property_order", _("报告财产令")
    TERMINATED_RULING = "terminated_ruling", _("终结本次执行程序裁定书")


class DocumentServiceMethod(models.TextChoices):
    DIRECT = "direct", _("直接送达")
    POSTAL = "postal", _("邮寄送达")
    ELECTRONIC = "electronic", _("电子送达")
    LEFT = "left", _("留置送达")
    PUBLIC_NOTICE = "public_notice", _("公告送达")
    FAILED = "failed", _("送达未成功")


class DocumentService(models.Model):
    """One service (or failed attempt) of a document on one party. ``served_at`` is the
    moment service took effect (for 公告送达 the date the notice period ended)."""

    case = models.ForeignKey("enforcement.Case", on_delete=models.CASCADE, related_name="services")
    party = models.ForeignKey("enforcement.Party", on_delete=models.PROTECT, related_name="services")
    document = models.CharField(_("送达文书"), max_length=20, choices=ServedDocument.choices)
    method = models.CharField(_("送达方式"), max_length=16, choices=DocumentServiceMethod.choices)
    served_at = models.DateTimeField(_("送达时间"))
    note = models.CharField(_("说明"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("文书送达")
        verbose_name_plural = _("文书送达")
        ordering = ["served_at", "id"]
        indexes = [models.Index(fields=["case", "document"], name="service_case_document")]

    def __str__(self) -> str:
        return f"{self.get_document_display()} · {self.party.name}"

    @property
    def succeeded(self) -> bool:
        return self.method != DocumentServiceMethod.FAILED


class PropertyReportOutcome(models.TextChoices):
    CHECKED = "checked", _("已报告并核查")
    MISSING = "missing", _("未报告（已记录）")


class PropertyReport(models.Model):
    """A respondent's 财产报告 received and checked (核查结果), or its absence recorded."""

    case = models.ForeignKey("enforcement.Case", on_delete=models.CASCADE, related_name="property_reports")
    respondent = models.ForeignKey("enforcement.Party", on_delete=models.PROTECT, related_name="property_reports")
    outcome = models.CharField(_("报告情况"), max_length=10, choices=PropertyReportOutcome.choices)
    received_at = models.DateTimeField(_("收到报告时间"), null=True, blank=True)
    check_result = models.CharField(_("核查结果"), max_length=1000, blank=True)
    recorded_at = models.DateTimeField(_("记录时间"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("财产报告")
        verbose_name_plural = _("财产报告")
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.respondent.name} · {self.get_outcome_display()}"


class InterviewOpinion(models.TextChoices):
    AGREE = "agree", _("同意终结本次执行程序")
    OBJECT = "object", _("不同意（异议）")


class ApplicantInterview(models.Model):
    """终本规定 §5: the applicant told and heard, with the opinion recorded. An objection does
    not block 终本; the approver sees it."""

    case = models.ForeignKey("enforcement.Case", on_delete=models.CASCADE, related_name="applicant_interviews")
    applicant = models.ForeignKey("enforcement.Party", on_delete=models.PROTECT, related_name="interviews")
    at = models.DateTimeField(_("约谈时间"))
    note = models.CharField(_("告知内容"), max_length=1000)
    opinion = models.CharField(_("申请执行人意见"), max_length=10, choices=InterviewOpinion.choices)
    opinion_text = models.CharField(_("意见内容"), max_length=1000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("约谈申请执行人")
        verbose_name_plural = _("约谈申请执行人")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.applicant.name} · {self.get_opinion_display()}"
