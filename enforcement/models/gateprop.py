"""Records the 终本 gate's property rows need (spec §3 #11, #13): the applicant's refusal of
以物抵债 and the request to the first-seizing court to transfer the power of disposal."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from enforcement.models.assets import Asset
from enforcement.models.cases import Case, Party


class OffsetRefusal(models.Model):
    """The applicant's signed refusal to take an unsold asset 以物抵债 (322号 §24; 拍卖变卖规定 §28–29,
    outside the seeds)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="offset_refusals")
    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="offset_refusals")
    applicant = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请执行人"))
    refused_at = models.DateTimeField(_("拒绝时间"))
    document = models.CharField(_("签字确认的书面材料"), max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("拒绝以物抵债")
        verbose_name_plural = _("拒绝以物抵债")
        ordering = ["refused_at", "id"]

    def __str__(self) -> str:
        return f"{self.applicant.name} · {self.asset}"


class TransferAnswer(models.TextChoices):
    PENDING = "pending", _("待答复")
    AGREED = "agreed", _("同意移送")
    REFUSED = "refused", _("不同意移送")


class PriorityTransferRequest(models.Model):
    """商请首封法院移送处置权 for a 轮候查封 asset on which the applicant has priority (322号 §24)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="priority_transfers")
    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="priority_transfers")
    first_court = models.CharField(_("首封法院"), max_length=100)
    letter_no = models.CharField(_("商请函文号"), max_length=100)
    requested_at = models.DateTimeField(_("发函时间"))
    answer = models.CharField(_("答复"), max_length=10, choices=TransferAnswer.choices, default=TransferAnswer.PENDING)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answer_note = models.CharField(_("答复内容"), max_length=500, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("商请移送处置权")
        verbose_name_plural = _("商请移送处置权")
        ordering = ["requested_at", "id"]

    def __str__(self) -> str:
        return f"{self.letter_no} · {self.asset}"
