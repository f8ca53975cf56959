"""Pre-aggregated counters for dashboards. Refreshed per court right after that
court's scan, so the province dashboard reads a few hundred rows instead of
counting millions of clocks (DESIGN "Scale")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CourtRuleStat(models.Model):
    """Clock counts of one rule at one court, as of ``computed_at``."""

    court = models.ForeignKey("core.Court", on_delete=models.CASCADE, related_name="+")
    rule = models.ForeignKey("core.DeadlineRule", on_delete=models.CASCADE, related_name="+")
    computed_at = models.DateTimeField()
    open = models.PositiveIntegerField(_("进行中"), default=0)
    due_soon = models.PositiveIntegerField(_("临期"), default=0)  # warned, not yet due
    overdue = models.PositiveIntegerField(_("超期未完成"), default=0)
    paused = models.PositiveIntegerField(_("中止"), default=0)
    due_30 = models.PositiveIntegerField(_("30日内届满"), default=0)
    # running on the predicted calendar (the year's schedule not loaded yet)
    provisional = models.PositiveIntegerField(_("暂定"), default=0)
    met = models.PositiveIntegerField(_("按期完成"), default=0)
    breached = models.PositiveIntegerField(_("超期完成或未完成"), default=0)
    waived = models.PositiveIntegerField(_("免除"), default=0)
    alerts_open = models.PositiveIntegerField(_("未解除预警"), default=0)
    alerts_unacknowledged = models.PositiveIntegerField(_("待签收预警"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["court", "rule"], name="court_rule_stat_once")]

    def __str__(self) -> str:
        return f"{self.court_id}/{self.rule_id}: {self.open}"


class CourtAlertDay(models.Model):
    """Alerts raised and resolved per court and day (the 30-day trend)."""

    court = models.ForeignKey("core.Court", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    raised = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["court", "day"], name="court_alert_day_once")]
        indexes = [models.Index(fields=["day"], name="court_alert_day_day")]

    def __str__(self) -> str:
        return f"{self.court_id} {self.day}: +{self.raised} -{self.resolved}"
