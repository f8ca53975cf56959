"""Alerts of the escalation ladder (DESIGN "Escalation ladder", 322号 §8).

Only ``supervision.services.scan`` inserts alerts, set-based, one row per
(clock, level); the unique constraint makes every scan idempotent.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AlertLevel(models.TextChoices):
    WARNING = "warning", _("预警")
    FINAL_WARNING = "final_warning", _("再次预警")
    OVERDUE = "overdue", _("超期")
    ESCALATED = "escalated", _("报告执行局长")
    UPPER = "upper", _("报告上级法院")


# ``Alert.to_role`` of every level of a 一案双查 report clock (DUALCHECK_REPORT,
# DUALCHECK_SUPPLEMENT): not a post of the court under investigation — its bureau
# head or 专人监管 may be the officers concerned (双查规定 §5) — but the clue's active
# joint team (联合调查组), resolved when read, with the upper court's person who set
# the period as the clock's ``handler``.
JOINT_TEAM_POST = "joint_team"

# Ladder order, for sorting and "highest level reached".
LEVEL_ORDER = {
    AlertLevel.WARNING: 1,
    AlertLevel.FINAL_WARNING: 2,
    AlertLevel.OVERDUE: 3,
    AlertLevel.ESCALATED: 4,
    AlertLevel.UPPER: 5,
}


class Alert(models.Model):
    """One level of the ladder raised for one clock. Court, case and rule are copied
    from the clock so lists and counts never join the clock table."""

    # No database foreign-key constraints on these: the scan copies them, in the
    # same INSERT … SELECT, from the clock row that already references them (and
    # clocks are never deleted), so checking them again at commit only doubled the
    # cost of the first scan of a province (`make bench`).
    deadline = models.ForeignKey(
        "core.Deadline",
        verbose_name=_("期限"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="alerts",
    )
    court = models.ForeignKey(
        "core.Court",
        verbose_name=_("法院"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="alerts",
    )
    case = models.ForeignKey(
        "enforcement.Case",
        verbose_name=_("案件"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="alerts",
    )
    rule = models.ForeignKey(
        "core.DeadlineRule",
        verbose_name=_("规则"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    level = models.CharField(_("级别"), max_length=16, choices=AlertLevel.choices)
    # When the level was reached (the threshold) and when the scan raised it.
    threshold_at = models.DateTimeField(_("触发时间"))
    raised_at = models.DateTimeField(_("发出时间"))
    due_at = models.DateTimeField(_("届满时间"))
    # The clock's due date rests on the predicted calendar (暂定); kept in step with
    # the clock when a year's schedule is loaded.
    provisional = models.BooleanField(_("暂定"), default=False)
    # Who receives it (DESIGN ladder): the person responsible for the clock when
    # it was raised, and the holders of ``to_role`` at ``to_court`` — the clock's
    # court, or for ``upper`` the court above it. Role holders are resolved when
    # read, so a newly appointed 专人监管 sees what is waiting for the post.
    # ``JOINT_TEAM_POST`` instead of a role: the clue's active joint team.
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    to_court = models.ForeignKey(
        "core.Court",
        verbose_name=_("接收法院"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    to_role = models.CharField(_("接收岗位"), max_length=20, blank=True)
    resolved_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签收人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Set when the alert went out in an e-mail digest.
    notified_at = models.DateTimeField(_("邮件通知时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        constraints = [
            # Once per level while open. A level resolved because a calendar
            # correction moved its threshold ahead (``alerts_reschedule``) may be
            # raised again when the new threshold passes; a stopped clock is never
            # scanned, so its resolved alerts stay the last word.
            models.UniqueConstraint(
                fields=["deadline", "level"],
                name="alert_once_per_level",
                condition=Q(resolved_at__isnull=True),
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | Q(acknowledged_by__isnull=False),
                name="alert_ack_has_user",
            ),
        ]
        indexes = [
            # the alerts API's order (-raised_at, -id), with and without a level
            models.Index(fields=["court", "-raised_at", "-id"], name="alert_court_raised"),
            models.Index(fields=["court", "level", "-raised_at", "-id"], name="alert_court_level"),
            # a court's open alerts; (deadline, level) in the key so that the scan
            # reads the court's open (clock, level) pairs from the index alone into
            # one hash, instead of probing alert_once_per_level per candidate
            models.Index(
                fields=["court", "deadline", "level"],
                name="alert_open_by_court",
                condition=Q(resolved_at__isnull=True),
            ),
            models.Index(fields=["court", "resolved_at"], name="alert_court_resolved"),
            models.Index(fields=["raised_at"], name="alert_to_notify", condition=Q(notified_at__isnull=True)),
            models.Index(fields=["handler", "-raised_at"], name="alert_handler"),
            models.Index(fields=["to_court", "to_role", "-raised_at"], name="alert_post"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} · {self.deadline_id}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class SystemNotice(models.Model):
    """An alert about the system itself, for administrators (next year's working
    calendar not loaded). ``key`` makes raising it idempotent."""

    key = models.CharField(max_length=80, unique=True)
    message = models.CharField(_("内容"), max_length=500)
    raised_at = models.DateTimeField(_("发出时间"))
    resolved_at = models.DateTimeField(_("解除时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("系统提醒")
        verbose_name_plural = _("系统提醒")
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return self.message
