"""Excel exports that run as a task with a progress bar (``core.exports``).

The workbook is kept in the database (``content``) rather than on a local disk, so
the web process that serves the download need not be the worker that wrote it.
Only ``core.exports`` writes these rows.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ExportJob(models.Model):
    """One requested export: which table (``key``) with which filters (``params``),
    for whom, how far it has got, and the finished file."""

    # Not a sequence: the id appears in URLs, and a guessable one would tell others
    # how many exports exist. The download view checks ownership anyway.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(_("导出内容"), max_length=80)
    # The module that registers the exporter, imported by the worker before it
    # looks the key up (a worker does not load URL confs or views).
    module = models.CharField(max_length=120)
    title = models.CharField(_("标题"), max_length=200)
    params = models.JSONField(_("筛选条件"), default=dict, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    total_rows = models.PositiveIntegerField(_("总行数"), null=True, blank=True)
    done_rows = models.PositiveIntegerField(_("已写行数"), default=0)
    truncated = models.BooleanField(_("已截断"), default=False)
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    content = models.BinaryField(_("文件"), null=True, blank=True, editable=False)
    error = models.CharField(_("错误"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="exportjob_user_created")]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="exportjob_progress_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)
