"""REST: the supervision dashboard's aggregates, for other court systems (issue 4/6
"dashboard aggregates as JSON"); the shapes and the permission the indicators and
screening endpoints (``supervision.api.indicators``, ``.screening``) share.

* ``GET /api/v1/dashboard/?court=鲁01`` → ``supervision.selectors.dashboard.dashboard_data``

Scoped like everything else: the caller sees the courts ``core.selectors`` gives it
(supervisory posts their subtree, an API client its own court); a ``court`` outside
that is 404 in the contract's error shape.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import ApiView
from core.api.schema import ERROR_RESPONSES
from core.models import Role
from core.selectors import user_has_role
from supervision.permissions import VIEW_DASHBOARD
from supervision.selectors.dashboard import dashboard_data


class CanReadSupervision(BasePermission):
    """The supervisory posts (``supervision.view_dashboard``) and machine clients;
    what either sees is decided by the court scope."""

    message = _("您没有查看监督数据的权限。")

    def has_permission(self, request: Request, view: object) -> bool:
        user = request.user
        return bool(user and user.is_authenticated) and (
            user.has_perm(VIEW_DASHBOARD) or user_has_role(user, [Role.API_CLIENT])
        )


# --- output shapes -----------------------------------------------------------------------------------


class CourtRefOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField(required=False)


class CountersOut(serializers.Serializer):
    open = serializers.IntegerField(help_text="进行中（未中止）的期限")
    due_soon = serializers.IntegerField(help_text="已到预警时点、尚未届满")
    overdue = serializers.IntegerField(help_text="已届满仍未完成")
    paused = serializers.IntegerField(help_text="中止计算")
    due_30 = serializers.IntegerField(help_text="30 日内届满")
    provisional = serializers.IntegerField(help_text="暂定：届满日依据预测日历（该年度放假安排尚未载入）")
    met = serializers.IntegerField(help_text="按期完成")
    breached = serializers.IntegerField(help_text="超期（超期完成或超期未完成）")
    waived = serializers.IntegerField(help_text="免除")
    alerts_open = serializers.IntegerField(help_text="未解除的预警")
    alerts_unacknowledged = serializers.IntegerField(help_text="未签收的预警")
    breach_rate = serializers.FloatField(
        allow_null=True, help_text="breached ÷ (met + breached)，无数据为 null"
    )


class RuleCountersOut(CountersOut):
    code = serializers.CharField()
    name = serializers.CharField()
    basis = serializers.CharField()


class CourtCountersOut(CountersOut):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()
    is_self = serializers.BooleanField(help_text="true：该院自身的数据；false：该下级法院及其辖区")


class TrendDayOut(serializers.Serializer):
    date = serializers.DateField()
    raised = serializers.IntegerField()
    resolved = serializers.IntegerField()


class ClockRowOut(serializers.Serializer):
    deadline = serializers.IntegerField()
    case_id = serializers.IntegerField(allow_null=True)
    case_number = serializers.CharField()
    subject = serializers.CharField()
    court = serializers.CharField()
    court_name = serializers.CharField()
    rule = serializers.CharField()
    rule_name = serializers.CharField()
    handler = serializers.CharField()
    started_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    due_date = serializers.DateField()
    days_overdue = serializers.IntegerField()
    days_left = serializers.IntegerField()
    status = serializers.CharField()
    paused = serializers.BooleanField()
    provisional = serializers.BooleanField(help_text="届满日依据预测日历（该年度放假安排尚未载入）")
    url = serializers.CharField(help_text="案件页面（浏览器）")


class FundsOut(serializers.Serializer):
    notice_overdue = serializers.IntegerField(help_text="FUNDS_NOTICE 超期未完成")
    payment_overdue = serializers.IntegerField(help_text="FUNDS_PAYMENT 超期未完成")
    cases = ClockRowOut(many=True)


class ReceiptBucketOut(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    min_days = serializers.IntegerField()
    max_days = serializers.IntegerField(allow_null=True)
    count = serializers.IntegerField()
    amount = serializers.CharField(help_text="金额（元），两位小数")


class ReceiptsOut(serializers.Serializer):
    count = serializers.IntegerField()
    amount = serializers.CharField()
    oldest_days = serializers.IntegerField(allow_null=True)
    buckets = ReceiptBucketOut(many=True)


class ControlExpiringOut(serializers.Serializer):
    count = serializers.IntegerField()
    cases = ClockRowOut(many=True)


class AckCourtOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    count = serializers.IntegerField()


class AcknowledgementOut(serializers.Serializer):
    count = serializers.IntegerField()
    open = serializers.IntegerField()
    by_court = AckCourtOut(many=True)


class DashboardOut(serializers.Serializer):
    court = CourtRefOut(allow_null=True)
    breadcrumb = CourtRefOut(many=True)
    generated_at = serializers.DateTimeField()
    computed_at = serializers.DateTimeField(
        allow_null=True, help_text="计数统计截至（最早一个法院的扫描时点）"
    )
    computed_at_latest = serializers.DateTimeField(allow_null=True)
    totals = CountersOut()
    rules = RuleCountersOut(many=True)
    courts = CourtCountersOut(many=True)
    trend = TrendDayOut(many=True)
    top_overdue = ClockRowOut(many=True)
    funds = FundsOut()
    unidentified_receipts = ReceiptsOut()
    control_expiring = ControlExpiringOut()
    alerts_unacknowledged = AcknowledgementOut()


class CourtFilter(serializers.Serializer):
    court = serializers.CharField(
        required=False, help_text="法院代字（须在可见范围内）；省略为本院及下级全部"
    )


class DashboardApi(ApiView):
    permission_classes = [CanReadSupervision]

    @extend_schema(
        operation_id="dashboard_retrieve",
        summary="监督看板数据",
        parameters=[CourtFilter],
        responses={200: DashboardOut, **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        data = dashboard_data(user=request.user, court=request.query_params.get("court") or None)
        return Response(DashboardOut(data).data)


urlpatterns = [
    path("dashboard/", DashboardApi.as_view(), name="api-dashboard"),
]
