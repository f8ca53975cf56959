"""The answer for one legal clock, shared by every endpoint that shows one (督办,
信访, 一案双查)."""

from django.utils import timezone
from rest_framework import serializers

from core.api.fields import DateTimeField
from core.calendar import local_date
from core.models import Deadline


class ClockOut(serializers.Serializer):
    """A legal clock as the order and petition endpoints show it."""

    id = serializers.IntegerField()
    rule = serializers.CharField(source="rule.code")
    name = serializers.CharField(source="rule.name_zh")
    status = serializers.CharField()
    duration = serializers.IntegerField()
    unit = serializers.CharField()
    started_at = DateTimeField()
    due_at = DateTimeField()
    due_date = serializers.SerializerMethodField()
    provisional = serializers.BooleanField(help_text="届满日依据预测日历（该年度放假安排尚未载入）")
    completed_at = DateTimeField(allow_null=True)
    ended_at = DateTimeField(allow_null=True, help_text="案件事项终止本期限的时间（moot，或超期后终止）")
    end_reason = serializers.CharField(help_text="终止事由：结案方式、restore（执恢）、order_withdrawn 等")
    overdue = serializers.SerializerMethodField()
    basis = serializers.CharField(
        source="rule.basis_text",
        help_text="法律依据：现行法律的条文；种子文件引用已被修正的条文序号的，括号内注明原文引用",
    )
    basis_verified = serializers.BooleanField(
        source="rule.verified", help_text="false：该引用尚未经管理员对照官方文本核实（页面显示“未核实”）"
    )

    def get_due_date(self, obj: Deadline) -> str:
        return local_date(obj.due_at).isoformat()

    def get_overdue(self, obj: Deadline) -> bool:
        """Running and past its due moment (or completed after it)."""
        if obj.is_running:
            return obj.paused_at is None and obj.due_at < timezone.now()
        return obj.status == "breached"
