"""In-app notifications (站内通知): one row per person told that something happened
that needs them — a case assigned, a request decided, a 督办 received or returned, a
一案双查 step, an export ready (issue 16).

Core imports no domain app: each app raises its own through
``core.services.notifications.notify`` from its services, naming the object it is
about by ``subject_type`` ("app_label.model") and ``subject_id``. Only that service
writes these rows; a person reads only their own (``core.selectors``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    CASE_ASSIGNED = "case_assigned", _("案件分配给我")
    REQUEST_DECIDED = "request_decided", _("我的申请已审批")
    APPROVAL_REQUESTED = "approval_requested", _("待我审批的申请")
    ORDER_RECEIVED = "order_received", _("收到督办")
    ORDER_RETURNED = "order_returned", _("督办回复被退回")
    CLUE_STEP = "clue_step", _("一案双查待办")
    EXPORT_READY = "export_ready", _("导出文件已生成")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    # The court the matter belongs to (none for a personal matter such as an export).
    court = models.ForeignKey(
        "core.Court",
        verbose_name=_("法院"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("类型"), max_length=30, choices=NotificationKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.CharField(_("内容"), max_length=1000, blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    # What it is about: "enforcement.case" and its id (a string: exports have UUIDs).
    subject_type = models.CharField(max_length=60, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("通知时间"), default=timezone.now)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    # Claimed by the daily e-mail digest (supervision.services.alerts), so that two
    # digests never mail the same notification.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_recipient_new"),
            # the bell's COUNT and the digest's claim read only the unread rows
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
