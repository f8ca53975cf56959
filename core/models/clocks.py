import pghistory
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.history import InsertEvent
from core.rule_catalogue import VARIANTS_ZH


class PeriodUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("工作日")
    CALENDAR_DAYS = "calendar_days", _("日")
    HOURS = "hours", _("小时")
    MONTHS = "months", _("月")


@pghistory.track()
class DeadlineRule(models.Model):
    """One legal time limit of the catalogue (DESIGN "Rule catalogue").

    Seeded by a data migration and editable by admins. A running ``Deadline`` copies
    the duration and unit it started with, so editing a rule changes new clocks only.
    """

    code = models.CharField(_("规则代码"), max_length=40, unique=True)
    name_zh = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=100)
    # Null: the period is set when the clock starts (by the upper court or issuer).
    duration = models.PositiveIntegerField(_("期限"), null=True, blank=True)
    unit = models.CharField(_("单位"), max_length=16, choices=PeriodUnit.choices)
    max_duration = models.PositiveIntegerField(_("最长期限"), null=True, blank=True)
    # Named alternatives, e.g. CLUE_VERIFY {"urgent": {"duration": 24, "unit": "hours"}}
    variants = models.JSONField(_("变体"), default=dict, blank=True)
    # 民诉法 §85: a period whose last day is a statutory rest day ends on the next
    # working day. Off for expiries that lapse on their own date (CONTROL_EXPIRY).
    roll_to_working_day = models.BooleanField(_("届满日遇休息日顺延"), default=True)
    warn_before = models.PositiveIntegerField(_("提前预警"), default=1)
    warn_before_unit = models.CharField(
        _("预警单位"), max_length=16, choices=PeriodUnit.choices, default=PeriodUnit.WORKING_DAYS
    )
    warn_again_before = models.PositiveIntegerField(
        _("再次预警"), null=True, blank=True, help_text=_("与预警单位相同，如续行期满前 7 日")
    )
    # 322号 §8: remind the handler, then report to the responsible leader.
    escalate_after = models.PositiveSmallIntegerField(_("超期后报告执行局长（工作日）"), default=2)
    upper_after = models.PositiveSmallIntegerField(_("超期后报告上级专人监管（工作日）"), default=5)
    starts_on = models.CharField(_("起算事件"), max_length=200, blank=True)
    stops_on = models.CharField(_("停止事件"), max_length=200, blank=True)
    basis = models.CharField(_("法律依据"), max_length=200)
    # Citations (lifecycle spec §1.1): the article of the law in force, the article as
    # the seed quotes it where that number has since been superseded, and whether an
    # admin has confirmed the citation against the official text (only rules whose
    # basis is a seed's own text ship confirmed).
    basis_in_force = models.CharField(_("现行法律依据"), max_length=300, blank=True)
    basis_seed = models.CharField(_("原文引用"), max_length=200, blank=True)
    verified = models.BooleanField(_("已核实"), default=False)
    basis_note = models.CharField(_("依据说明"), max_length=500, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("期限规则")
        verbose_name_plural = _("期限规则")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name_zh  # the code is for machines; people read the name

    @property
    def variant_rows(self) -> list[dict]:
        """The named alternatives in words (the catalogue page): 冻结存款 12 月 …"""
        return [
            {
                "name": VARIANTS_ZH.get(name, name),
                "duration": spec.get("duration"),
                "unit": PeriodUnit(spec["unit"]).label if spec.get("unit") in PeriodUnit.values else "",
            }
            for name, spec in self.variants.items()
        ]

    @property
    def basis_text(self) -> str:
        """The citation every page shows: the law in force, with the seed's wording
        beside it when the seed quotes a superseded article."""
        text = self.basis_in_force or self.basis
        if self.basis_seed:
            return f"{text}（{_('原文引作')}{self.basis_seed}）"
        return text


@pghistory.track()
class LegalCitation(models.Model):
    """An article of a law a seed quotes by a number since superseded (民事诉讼法 was
    renumbered in 2021 and 2023). Pages show the article in force with the seed's
    number beside it, and 未核实 until an admin confirms it against the official
    text (lifecycle spec §1.1)."""

    code = models.CharField(_("代码"), max_length=40, unique=True)
    in_force = models.CharField(_("现行条文"), max_length=200)
    seed_source = models.CharField(_("引用文件"), max_length=100, blank=True)
    seed_text = models.CharField(_("原文引作"), max_length=100, blank=True)
    subject = models.CharField(_("内容"), max_length=200, blank=True)
    rule = models.ForeignKey(
        DeadlineRule,
        verbose_name=_("相关期限规则"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="citations",
    )
    verified = models.BooleanField(_("已核实"), default=False)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("法律条文引用")
        verbose_name_plural = _("法律条文引用")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        if self.seed_text and self.seed_source:
            return f"{self.in_force}（{self.seed_source}{_('原文引作')}{self.seed_text}）"
        return self.in_force


class DeadlineStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    MET = "met", _("按期完成")
    BREACHED = "breached", _("超期")
    WAIVED = "waived", _("免除")
    # lifecycle spec §1.2: the case event took the duty's object away before it fell
    # due (ENDS_MOOT); neither met nor breached, excluded from 期限遵守率.
    MOOT = "moot", _("因案件事项终止")
    # A stop entered later than its tolerance after its declared time and after the
    # due moment (322号 §12): neither met nor breached until a bureau head decides.
    PENDING_VERIFICATION = "pending_verification", _("待核实")


RUNNING = (
    Q(completed_at__isnull=True)
    & Q(ended_at__isnull=True)
    & Q(status__in=[DeadlineStatus.OPEN, DeadlineStatus.BREACHED])
)
# Every stop (met, breached late, waived) records ``completed_at``, so this is a
# superset of the running rows (a clock a case event ended — ``ended_at`` — is in it
# too, rarely); index conditions use it so that ``status`` is not indexed.
RUNNING_ROWS = Q(completed_at__isnull=True)


# History of every change except the scan's own status-only mark (open → breached):
# that one is recorded by the ``overdue`` alert it raises, and leaving it out keeps
# the breach UPDATE cheap at provincial scale.
@pghistory.track(
    InsertEvent(),
    pghistory.UpdateEvent(condition=pghistory.AnyChange(exclude=["status"])),
)
class Deadline(models.Model):
    """One running legal clock. Only ``core.services.clocks`` writes it.

    The thresholds of the escalation ladder (``warn_at`` … ``upper_at``) are computed
    in working days when the clock starts or changes, so the scan is a plain indexed
    comparison with the current time. A threshold that falls in a year whose
    calendar is not loaded yet stays null until that year is loaded.
    """

    rule = models.ForeignKey(DeadlineRule, on_delete=models.PROTECT, related_name="deadlines")
    court = models.ForeignKey("core.Court", on_delete=models.PROTECT, related_name="deadlines")
    # The enforcement case the clock belongs to, when there is one. A string
    # reference: the kernel never imports the domain app.
    case = models.ForeignKey(
        "enforcement.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="deadlines"
    )
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_id = models.BigIntegerField(null=True, blank=True)
    subject_label = models.CharField(_("事项"), max_length=200, blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deadlines",
    )
    variant = models.CharField(max_length=30, blank=True)
    duration = models.PositiveIntegerField(_("期限"))
    unit = models.CharField(_("单位"), max_length=16, choices=PeriodUnit.choices)
    roll_to_working_day = models.BooleanField(default=True)
    started_at = models.DateTimeField(_("起算时间"))
    original_due_at = models.DateTimeField(_("原定届满时间"))
    due_at = models.DateTimeField(_("届满时间"))
    # The period was counted over a year whose official schedule is not loaded yet,
    # on the predicted calendar (暂定) — until that year is loaded and recomputed.
    provisional = models.BooleanField(_("暂定"), default=False)
    warn_at = models.DateTimeField(null=True, blank=True)
    warn_again_at = models.DateTimeField(null=True, blank=True)
    escalate_at = models.DateTimeField(null=True, blank=True)
    upper_at = models.DateTimeField(null=True, blank=True)
    paused_at = models.DateTimeField(_("中止时间"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=24, choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN
    )
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("说明"), max_length=500, blank=True)
    # A case event ended the clock (ENDS_MOOT, lifecycle spec §1.2): status ``moot``,
    # or ``breached`` with ``completed_at`` empty when it was already overdue.
    ended_at = models.DateTimeField(_("终止时间"), null=True, blank=True)
    end_reason = models.CharField(_("终止事由"), max_length=100, blank=True)
    # 补录 (322号 §12): the completion time declared by a stop entered beyond its
    # tolerance; ``completed_at`` is then when it was entered, until a bureau head
    # approves (the clock stops at this time) or rejects (it stays at the entry time).
    claimed_at = models.DateTimeField(_("申报完成时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("期限")
        verbose_name_plural = _("期限")
        indexes = [
            # The scan and "my to-do" only ever look at running clocks. The
            # conditions name ``completed_at`` only, never ``status``: a status
            # change (the scan marking clocks breached) then touches no indexed
            # column, so PostgreSQL updates the row in place (HOT) instead of
            # writing every index again (measured by `make bench`).
            models.Index(fields=["court", "due_at"], name="deadline_running_due", condition=RUNNING_ROWS),
            models.Index(fields=["court", "warn_at"], name="deadline_running_warn", condition=RUNNING_ROWS),
            # "running clocks of rule R in these courts, most overdue first" (the
            # dashboard's funds-held and expiring-control lists, per-rule case
            # lists, screening), probed per (court, rule) with a LIMIT: 610 ms →
            # 12 ms for a province's funds list on 4.4 M clocks.
            models.Index(
                fields=["court", "rule", "due_at"], name="deadline_running_rule_due", condition=RUNNING_ROWS
            ),
            models.Index(
                fields=["responsible", "due_at"], name="deadline_running_owner", condition=RUNNING_ROWS
            ),
            models.Index(fields=["subject_type", "subject_id"], name="deadline_subject"),
            models.Index(fields=["case", "rule"], name="deadline_running_case", condition=RUNNING_ROWS),
            # the banner's and dashboards' count of provisional clocks, and the
            # recompute when a year is loaded
            models.Index(
                fields=["court"],
                name="deadline_running_provisional",
                condition=RUNNING_ROWS & Q(provisional=True),
            ),
            # 待核实: the court's backdated stops (few rows; ``status`` stays unindexed)
            models.Index(
                fields=["court", "claimed_at"], name="deadline_backdate_claims", condition=Q(claimed_at__isnull=False)
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_at__gte=models.F("started_at")), name="deadline_due_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(status=DeadlineStatus.MET) | Q(completed_at__isnull=False),
                name="deadline_met_has_completion",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule.name_zh} {self.subject_label} → {timezone.localtime(self.due_at):%Y-%m-%d}"

    @property
    def is_running(self) -> bool:
        return (
            self.completed_at is None
            and self.ended_at is None
            and self.status in (DeadlineStatus.OPEN, DeadlineStatus.BREACHED)
        )


class DeadlinePause(models.Model):
    """中止/暂缓/延缓: while paused the clock does not run; on resume its due date moves
    by the time it stood still (working days for working-day rules)."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="pauses")
    paused_at = models.DateTimeField()
    resumed_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("原因"), max_length=500)
    paused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    resumed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["paused_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline"],
                condition=Q(resumed_at__isnull=True),
                name="deadline_one_open_pause",
            )
        ]

    def __str__(self) -> str:
        return f"{self.paused_at:%Y-%m-%d} – {self.resumed_at or '…'}: {self.reason}"


class DeadlineExtension(models.Model):
    """延长: the original due date stays on record; this row says by how much, who
    approved it and why."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="extensions")
    added = models.PositiveIntegerField(_("延长"))
    reason = models.CharField(_("理由"), max_length=500)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField()
    previous_due_at = models.DateTimeField()
    new_due_at = models.DateTimeField()

    class Meta:
        ordering = ["approved_at"]

    def __str__(self) -> str:
        return f"+{self.added} ({self.reason})"
