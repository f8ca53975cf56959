import pghistory
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

CALENDAR_SOURCES = {"chinese-calendar": _("国务院办公厅放假安排（系统内置）")}


@pghistory.track()
class CalendarYear(models.Model):
    """A year whose working calendar (holidays and 调休 make-up days) is loaded.

    Counting into a year without a row here uses the predicted calendar and marks
    the clock provisional (暂定): the State Council publishes each year's schedule
    late in the year before, and a node that happened is never refused for it.
    """

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    source = models.CharField(_("来源"), max_length=100, default="chinese-calendar")
    # The State Council notice the year was loaded from (kept as pasted), and who
    # loaded it; loading again replaces both (history: pghistory and CalendarLoad).
    notice_text = models.TextField(_("通知原文"), blank=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("载入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    loaded_at = models.DateTimeField(_("载入时间"), default=timezone.now)

    class Meta:
        verbose_name = _("工作日历年度")
        verbose_name_plural = _("工作日历年度")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)

    @property
    def source_label(self) -> str:
        """``source`` as people read it (the value is a machine's: the package it came from)."""
        return str(CALENDAR_SOURCES.get(self.source, self.source))


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("法定节假日/休息日")
    WORKDAY = "workday", _("调休上班日")


@pghistory.track()
class CalendarDay(models.Model):
    """An exception to the Monday–Friday week: a holiday, or a make-up working day."""

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=CalendarDayKind.choices)
    name = models.CharField(_("名称"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("工作日历例外日")
        verbose_name_plural = _("工作日历例外日")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"


class CalendarLoadStatus(models.TextChoices):
    PENDING = "pending", _("等待重算")
    RUNNING = "running", _("正在重算")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class CalendarLoad(models.Model):
    """One loading of a year's schedule (from a notice, the package or by hand) and
    the recompute of the open clocks it caused, with what moved — the record an
    administrator and each court's 专人监管 read afterwards."""

    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    source = models.CharField(_("来源"), max_length=100)
    notice_text = models.TextField(_("通知原文"), blank=True)
    holidays = models.JSONField(_("休息日"), default=list)
    workdays = models.JSONField(_("调休上班日"), default=list)
    # Days where the official schedule differs from the prediction used until now.
    differences = models.JSONField(_("与预测日历的差异"), default=list)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("载入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    loaded_at = models.DateTimeField(_("载入时间"), default=timezone.now)
    status = models.CharField(
        _("状态"), max_length=10, choices=CalendarLoadStatus.choices, default=CalendarLoadStatus.PENDING
    )
    total = models.PositiveIntegerField(_("待重算期限"), default=0)
    processed = models.PositiveIntegerField(_("已重算"), default=0)
    moved_earlier = models.PositiveIntegerField(_("提前"), default=0)
    moved_later = models.PositiveIntegerField(_("推后"), default=0)
    now_overdue = models.PositiveIntegerField(_("因此超期"), default=0)
    settled = models.PositiveIntegerField(_("不再暂定"), default=0)
    # court id (str) -> {"earlier", "later", "now_overdue", "settled", "overdue_ids"}
    by_court = models.JSONField(_("各法院"), default=dict)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    error = models.CharField(_("错误"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("工作日历载入记录")
        verbose_name_plural = _("工作日历载入记录")
        ordering = ["-loaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.year} · {self.loaded_at:%Y-%m-%d %H:%M}"

    @property
    def percent(self) -> int:
        if self.status == CalendarLoadStatus.DONE or not self.total:
            return 100 if self.status == CalendarLoadStatus.DONE else 0
        return min(99, self.processed * 100 // self.total)
