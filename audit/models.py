"""The security audit trail (等保 2.0 三级 "安全审计"): one row per write request, sign-in
and reveal of a party's identity, and the seal chain that makes node events tamper-evident.

Both tables are append-only twice over: a trigger refuses UPDATE and DELETE for every
role, and ``manage.py grant_app_role`` gives the application's database role only
SELECT and INSERT on them (DEPLOYMENT in the README), so even with the trigger dropped
the running application cannot rewrite them.
"""

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.labels import action_label, object_label


class AuditEvent(models.TextChoices):
    REQUEST = "request", _("写操作")
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOGOUT = "logout", _("退出")
    REVEAL = "reveal", _("查看完整证件号码/电话")
    CHAIN_CHECK = "chain_check", _("节点事件哈希链校验")


class AuditRecord(models.Model):
    occurred_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The name as typed (failed sign-ins have no user) or the user's name at the time.
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    event = models.CharField(_("事件"), max_length=20, choices=AuditEvent.choices)
    method = models.CharField(max_length=10, blank=True)
    path = models.CharField(max_length=500, blank=True)
    # The route name and the object it addresses (``api-case-notice`` / ``case_id=42``).
    action = models.CharField(_("操作"), max_length=100, blank=True)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("对象"), max_length=64, blank=True)
    success = models.BooleanField(_("成功"))
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["user", "occurred_at"], name="audit_user_time")]
        triggers = [
            pgtrigger.Protect(name="audit_record_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.username} {self.event} {self.action}"

    @property
    def action_label(self) -> str:
        """What was done, in words (the raw method and route stay in ``method``/``action``)."""
        return action_label(self.action)

    @property
    def object_label(self) -> str:
        return object_label(self.object_type, self.object_id)


class NodeEventSeal(models.Model):
    """The hash chain over node events, in the order they were sealed:
    ``digest = sha256(previous digest + canonical event)``. A sealer appends every event
    that has none (``audit.services.node_events_seal``, every few minutes); the nightly
    check recomputes the whole chain and reports the first row that no longer matches."""

    event = models.OneToOneField("core.NodeEvent", on_delete=models.PROTECT, related_name="+")
    digest = models.CharField(max_length=64)
    sealed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("节点事件封印")
        verbose_name_plural = _("节点事件封印")
        ordering = ["id"]
        triggers = [
            pgtrigger.Protect(name="node_event_seal_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}:{self.digest[:12]}"
