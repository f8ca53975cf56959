import pgtrigger
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class NodeEvent(models.Model):
    """An append-only record of a node: what happened (``occurred_at`` as declared by
    the actor), when the system learnt of it (``recorded_at``), and who said so.

    PostgreSQL refuses UPDATE and DELETE on this table (trigger below), so nothing
    can be quietly rewritten; corrections are new events.
    """

    kind = models.CharField(_("节点"), max_length=64)
    # Null for nation-wide nodes (a working-calendar edit).
    court = models.ForeignKey("core.Court", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "enforcement.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="node_events"
    )
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_id = models.BigIntegerField(null=True, blank=True)
    subject_label = models.CharField(max_length=200, blank=True)
    occurred_at = models.DateTimeField(_("发生时间"))
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Flags for data-fraud screening (双查规定 §6): e.g. ["backdated"].
    flags = models.JSONField(default=list, blank=True)
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("节点事件")
        verbose_name_plural = _("节点事件")
        ordering = ["occurred_at", "id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "occurred_at"], name="nodeevent_subject"),
            models.Index(fields=["court", "recorded_at"], name="nodeevent_court_recorded"),
            models.Index(fields=["case", "occurred_at"], name="nodeevent_case"),
        ]
        triggers = [
            pgtrigger.Protect(
                name="node_event_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} @ {self.occurred_at:%Y-%m-%d %H:%M}"
