import pghistory
from django.db import models
from django.utils.translation import gettext_lazy as _


@pghistory.track()
class CalendarYear(models.Model):
    """A year whose working calendar (holidays and 调休 make-up days) is loaded.

    Counting into a year without a row here raises ``calendar_not_loaded``: the
    State Council publishes each year's schedule late in the year before, and a
    guess would put legal deadlines on the wrong day.
    """

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    source = models.CharField(_("来源"), max_length=100, default="chinese-calendar")
    loaded_at = models.DateTimeField(_("载入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("工作日历年度")
        verbose_name_plural = _("工作日历年度")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


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
