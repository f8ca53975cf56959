"""执行信访: petitions about enforcement (322号 §30).

人民法院收到信访材料后5个工作日内必须录入执行信访办理系统，30个工作日内办结，并将
办理结果及时反馈当事人. Both periods run from receipt (the regulation's wording and
the rule catalogue: PETITION_REGISTER and PETITION_CLOSE start "收到信访材料").
``received → registered → concluded → closed`` (closed = result fed back). Only
``supervision.services.petitions`` writes these rows.

A petition can be flagged as a 一案双查 clue (双查规定 §3(一) 人民群众来信来访;
322号 §31 涉执信访). The flag is recorded here; the dualcheck app takes flagged
petitions up and records its clue's id in ``dualcheck_clue_id`` — no foreign key, so
this app does not depend on it.
"""

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition


class PetitionChannel(models.TextChoices):
    VISIT = "visit", _("来访")
    LETTER = "letter", _("来信")
    ONLINE = "online", _("网上信访")
    HOTLINE = "hotline_12368", _("12368诉讼服务热线")
    REFERRED = "referred", _("上级交办、转办")
    OTHER = "other", _("其他")


class PetitionerKind(models.TextChoices):
    PERSON = "person", _("自然人")
    ORGANIZATION = "organization", _("法人或其他组织")


class PetitionStatus(models.TextChoices):
    RECEIVED = "received", _("已接收")
    REGISTERED = "registered", _("已录入")
    CONCLUDED = "concluded", _("已办结")
    CLOSED = "closed", _("已反馈")


class PetitionFinding(models.TextChoices):
    TRUE = "true", _("属实")
    PARTLY_TRUE = "partly_true", _("部分属实")
    UNTRUE = "untrue", _("不属实")


class FeedbackMethod(models.TextChoices):
    IN_PERSON = "in_person", _("当面告知")
    PHONE = "phone", _("电话告知")
    LETTER = "letter", _("书面答复")
    ONLINE = "online", _("网上答复")
    SMS = "sms", _("短信告知")


@pghistory.track()
class Petition(ConcurrentTransitionMixin, models.Model):
    """One petition received by a court. ID and phone numbers are stored whole and
    masked on every way out."""

    court = models.ForeignKey(
        "core.Court", verbose_name=_("接收法院"), on_delete=models.PROTECT, related_name="petitions"
    )
    # Registration number (录入编号), e.g. 鲁0102信〔2026〕12号, given at registration.
    number = models.CharField(_("登记编号"), max_length=40, null=True, blank=True, unique=True)
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("序号"), null=True, blank=True)
    channel = models.CharField(_("信访渠道"), max_length=16, choices=PetitionChannel.choices)
    petitioner_name = models.CharField(_("信访人"), max_length=100)
    petitioner_kind = models.CharField(
        _("信访人类型"), max_length=14, choices=PetitionerKind.choices, default=PetitionerKind.PERSON
    )
    petitioner_id_number = models.CharField(_("证件号码"), max_length=18, blank=True)
    petitioner_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    content = models.TextField(_("信访内容"))
    case = models.ForeignKey(
        "enforcement.Case",
        verbose_name=_("关联案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petitions",
    )
    status = FSMField(
        _("状态"), default=PetitionStatus.RECEIVED, choices=PetitionStatus.choices, protected=True
    )
    received_at = models.DateTimeField(_("收到时间"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.PROTECT, related_name="+"
    )
    register_deadline = models.ForeignKey(
        "core.Deadline",
        verbose_name=_("录入期限"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    close_deadline = models.ForeignKey(
        "core.Deadline",
        verbose_name=_("办结期限"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # 322号 §30 "并将办理结果及时反馈当事人": started at 办结, stopped by the feedback
    # (PETITION_FEEDBACK; its period is the court's setting).
    feedback_deadline = models.ForeignKey(
        "core.Deadline",
        verbose_name=_("反馈期限"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("录入时间"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    concluded_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办结人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    result = models.TextField(_("办理结果"), blank=True)
    finding = models.CharField(_("是否属实"), max_length=12, choices=PetitionFinding.choices, blank=True)
    measures = models.TextField(_("采取的措施"), blank=True)
    fed_back_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    fed_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("反馈人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    feedback_method = models.CharField(
        _("反馈方式"), max_length=12, choices=FeedbackMethod.choices, blank=True
    )
    feedback_note = models.CharField(_("反馈情况"), max_length=1000, blank=True)
    # 转一案双查线索 (issue 5/6 consumes these).
    dualcheck_flagged_at = models.DateTimeField(_("转一案双查线索时间"), null=True, blank=True)
    dualcheck_flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("转线索人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    dualcheck_reason = models.CharField(_("转线索理由"), max_length=1000, blank=True)
    dualcheck_clue_id = models.BigIntegerField(_("一案双查线索"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("执行信访")
        verbose_name_plural = _("执行信访")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["court", "status", "-received_at"], name="petition_court_status"),
            models.Index(fields=["case"], name="petition_case"),
            models.Index(
                fields=["court", "dualcheck_flagged_at"],
                name="petition_dualcheck_pending",
                condition=Q(dualcheck_flagged_at__isnull=False, dualcheck_clue_id__isnull=True),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["court", "year", "sequence"],
                condition=Q(sequence__isnull=False),
                name="petition_number_per_court_year",
            ),
            models.CheckConstraint(condition=~Q(content=""), name="petition_has_content"),
            models.CheckConstraint(
                condition=Q(status="received") | Q(number__isnull=False, registered_at__isnull=False),
                name="petition_registered_has_number",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["received", "registered"])
                | (Q(concluded_at__isnull=False) & ~Q(finding="")),
                name="petition_concluded_has_finding",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(fed_back_at__isnull=False),
                name="petition_closed_was_fed_back",
            ),
            models.CheckConstraint(
                condition=Q(dualcheck_flagged_at__isnull=True) | Q(dualcheck_flagged_by__isnull=False),
                name="petition_dualcheck_flag_has_user",
            ),
        ]

    def __str__(self) -> str:
        return self.number or _("%(name)s 的信访（%(date)s 收到）") % {
            "name": self.petitioner_name,
            "date": self.received_at.strftime("%Y-%m-%d") if self.received_at else "",
        }

    @property
    def flagged_for_dualcheck(self) -> bool:
        return self.dualcheck_flagged_at is not None

    # --- transitions: fields only, no I/O (STYLE §4) -------------------------------
    @transition(field=status, source=PetitionStatus.RECEIVED, target=PetitionStatus.REGISTERED)
    def register(self, *, number: str, year: int, sequence: int, by, at) -> None:
        self.number, self.year, self.sequence = number, year, sequence
        self.registered_by, self.registered_at = by, at

    @transition(field=status, source=PetitionStatus.REGISTERED, target=PetitionStatus.CONCLUDED)
    def conclude(self, *, by, at, result: str, finding: str, measures: str) -> None:
        self.concluded_by, self.concluded_at = by, at
        self.result, self.finding, self.measures = result, finding, measures

    @transition(field=status, source=PetitionStatus.CONCLUDED, target=PetitionStatus.CLOSED)
    def feed_back(self, *, by, at, how: str, note: str) -> None:
        self.fed_back_by, self.fed_back_at = by, at
        self.feedback_method, self.feedback_note = how, note
