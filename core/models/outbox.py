"""The transactional outbox: PostgreSQL, not the broker, is the source of truth for
work that a transaction promised (``core.outbox``).

- ``TaskOutbox``: one row per Celery task enqueued by ``enqueue_on_commit``,
  written in the same transaction as the business change. A rolled-back
  transaction leaves no row and sends nothing; a committed one keeps its row until
  a worker has run the task (``done_at``), so a broker that was down at commit, or
  restarted with the message still queued, loses nothing: the relay publishes the
  row again.
- ``OutboundEmail``: one row per e-mail, written in the transaction that decided
  to send it (the alert digest's claim); delivered right after commit, or by the
  relay if the process died first.
- ``PeriodicRun``: one row per beat entry and scheduled slot, so a second beat
  (a deployment mistake, a failover overlap) never runs a slot twice.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TaskOutbox(models.Model):
    task = models.CharField(_("任务"), max_length=200)
    kwargs = models.JSONField(_("参数"), default=dict, blank=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    # Published to the broker (the last time); ``None``: not yet, or it failed.
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    # A worker ran the task to the end (success or a final failure).
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("发送次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)

    class Meta:
        verbose_name = _("任务发件箱")
        verbose_name_plural = _("任务发件箱")
        indexes = [
            # What the relay reads: the rows not run yet (few, whatever the table's size).
            models.Index(
                fields=["created_at"], name="outbox_pending", condition=models.Q(done_at__isnull=True)
            ),
            models.Index(fields=["done_at"], name="outbox_done"),
        ]

    def __str__(self) -> str:
        return f"{self.task} #{self.pk}"


class OutboundEmail(models.Model):
    subject = models.CharField(_("主题"), max_length=300)
    body = models.TextField(_("正文"))
    to = models.JSONField(_("收件人"), default=list)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("发送次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)

    class Meta:
        verbose_name = _("待发邮件")
        verbose_name_plural = _("待发邮件")
        indexes = [
            models.Index(
                fields=["created_at"], name="email_unsent", condition=models.Q(sent_at__isnull=True)
            ),
            models.Index(fields=["sent_at"], name="email_sent"),
        ]

    def __str__(self) -> str:
        return self.subject


class PeriodicRun(models.Model):
    """A beat entry (``CELERY_BEAT_SCHEDULE`` key) claimed for one scheduled slot by
    the message ``task_id``; a message from another beat for the same slot is
    skipped (counted in ``skipped``), a redelivery of the same message runs again."""

    name = models.CharField(_("计划项"), max_length=200)
    slot = models.DateTimeField(_("计划时刻"))
    task_id = models.CharField(max_length=255)
    claimed_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    skipped = models.PositiveIntegerField(_("重复消息数"), default=0)

    class Meta:
        verbose_name = _("定时任务执行记录")
        verbose_name_plural = _("定时任务执行记录")
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="periodic_run_once_per_slot")]
        indexes = [models.Index(fields=["claimed_at"], name="periodic_run_claimed")]

    def __str__(self) -> str:
        return f"{self.name} @ {self.slot:%Y-%m-%d %H:%M:%S}"
