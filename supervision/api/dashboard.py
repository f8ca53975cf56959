"""REST: the supervision dashboard's aggregates, the quality indicators and the
消极执行 screening lists, for other court systems (issue 4/6 "dashboard aggregates
as JSON").

* ``GET /api/v1/dashboard/?court=鲁01`` → ``supervision.dashboards.dashboard_data``
* ``GET /api/v1/indicators/?court=&from=&to=`` → ``supervision.indicators.indicators_data``
* ``GET /api/v1/screening/<kind>/?court=&days=`` → a paginated list

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
from core.api.pagination import DefaultPagination
from core.api.schema import ERROR_RESPONSES
from core.exceptions import NotFound
from core.models import Role
from core.selectors import user_has_role
from supervision.dashboards import COUNT_CAP, PERMISSION, dashboard_data
from supervision.indicators import indicator_params, indicators_data
from supervision.screening import KINDS, screening_list, screening_params


class CanReadSupervision(BasePermission):
    """The supervisory posts (``supervision.view_dashboard``) and machine clients;
    what either sees is decided by the court scope."""

    message = _("您没有查看监督数据的权限。")

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated) and (
            user.has_perm(PERMISSION) or user_has_role(user, [Role.API_CLIENT])
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


# --- indicators ----------------------------------------------------------------------------------------


class IndicatorValuesOut(serializers.Serializer):
    closed = serializers.IntegerField()
    within_limit = serializers.IntegerField()
    terminated = serializers.IntegerField()
    claim_amount = serializers.CharField()
    paid_amount = serializers.CharField()
    petitions_received = serializers.IntegerField()
    petitions_concluded = serializers.IntegerField()
    clocks_met = serializers.IntegerField()
    clocks_breached = serializers.IntegerField()
    within_limit_rate = serializers.FloatField(allow_null=True)
    terminated_rate = serializers.FloatField(allow_null=True)
    delivered_rate = serializers.FloatField(allow_null=True)
    petition_rate = serializers.FloatField(allow_null=True)
    compliance_rate = serializers.FloatField(allow_null=True)


class IndicatorCourtOut(IndicatorValuesOut):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()
    is_self = serializers.BooleanField()


class FormulaOut(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    formula = serializers.CharField()
    basis = serializers.CharField()


class RuleComplianceOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    met = serializers.IntegerField()
    breached = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)


# ``from`` is a Python keyword, so these two shapes are built with ``type``.
PeriodOut = type(
    "IndicatorPeriodOut",
    (serializers.Serializer,),
    {"from": serializers.DateField(allow_null=True), "to": serializers.DateField(allow_null=True)},
)


class IndicatorsOut(serializers.Serializer):
    court = CourtRefOut(allow_null=True)
    breadcrumb = CourtRefOut(many=True)
    period = PeriodOut()
    generated_at = serializers.DateTimeField()
    clock_source = serializers.ChoiceField(choices=["stats", "live"])
    computed_at = serializers.DateTimeField(allow_null=True)
    petitions_available = serializers.BooleanField()
    petitions_note = serializers.CharField(allow_null=True)
    formulas = FormulaOut(many=True)
    courts = IndicatorCourtOut(many=True)
    total = IndicatorValuesOut()
    rules = RuleComplianceOut(many=True)


IndicatorFilter = type(
    "IndicatorFilter",
    (CourtFilter,),
    {
        "from": serializers.DateField(required=False, help_text="起始日期（含）"),
        "to": serializers.DateField(required=False, help_text="截止日期（含）"),
    },
)


class IndicatorsApi(ApiView):
    permission_classes = [CanReadSupervision]

    @extend_schema(
        operation_id="indicators_retrieve",
        summary="质效指标",
        parameters=[IndicatorFilter],
        responses={200: IndicatorsOut, **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        params = indicator_params(request.user, request.query_params)
        return Response(IndicatorsOut(indicators_data(user=request.user, params=params)).data)


# --- screening -----------------------------------------------------------------------------------------


class _CaseRowOut(serializers.Serializer):
    case_id = serializers.IntegerField(allow_null=True)
    case_number = serializers.CharField()
    court = serializers.CharField()
    court_name = serializers.CharField()
    url = serializers.CharField()


class IdleCaseOut(_CaseRowOut):
    handler = serializers.CharField()
    status = serializers.CharField()
    received_at = serializers.DateTimeField()
    last_node_at = serializers.DateTimeField()
    idle_days = serializers.IntegerField()


class UncontrolledAssetOut(_CaseRowOut):
    asset = serializers.IntegerField()
    handler = serializers.CharField()
    category = serializers.CharField()
    description = serializers.CharField()
    value = serializers.CharField(allow_null=True)
    found_at = serializers.DateTimeField()
    days_since_found = serializers.IntegerField()
    control_due_at = serializers.DateTimeField(allow_null=True)
    overdue = serializers.BooleanField()
    days_overdue = serializers.IntegerField()


class NodeDateOut(_CaseRowOut):
    event = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    subject = serializers.CharField()
    occurred_at = serializers.DateTimeField()
    recorded_at = serializers.DateTimeField()
    gap_days = serializers.FloatField(help_text="登记时间减发生时间（日）；负数表示节点日期晚于登记时间")
    issue = serializers.ChoiceField(choices=["backdated", "future"])
    issue_label = serializers.CharField()
    actor = serializers.CharField()


OUTPUTS = {
    "idle": IdleCaseOut,
    "uncontrolled": UncontrolledAssetOut,
    "overdue_duration": ClockRowOut,
    "node_dates": NodeDateOut,
    "research_due": ClockRowOut,
}


class IdleFilter(CourtFilter):
    days = serializers.IntegerField(
        required=False, min_value=1, max_value=3650, help_text="无节点天数，默认 SUPERVISION_IDLE_DAYS"
    )


class ScreeningApi(ApiView):
    permission_classes = [CanReadSupervision]
    pagination_class = DefaultPagination
    kind = ""

    def get(self, request: Request) -> Response:
        params = screening_params(request.user, request.query_params, self.kind)
        listing = screening_list(user=request.user, kind=self.kind, params=params)
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(listing, request, view=self)
        return paginator.get_paginated_response(OUTPUTS[self.kind](page, many=True).data)


def _screening_view(kind: str):
    spec = KINDS[kind]

    def get(self, request: Request) -> Response:
        return ScreeningApi.get(self, request)

    view = type(f"Screening{kind.title().replace('_', '')}Api", (ScreeningApi,), {"kind": kind})
    view.get = extend_schema(
        operation_id=f"screening_{kind}_list",
        summary=f"消极执行筛查：{spec.title}",
        description=f"{spec.criteria}（{spec.basis}）\n\ncount 最多为 {COUNT_CAP}（超过时只能翻到第 {COUNT_CAP} 条，请以 court 缩小范围）。",
        parameters=[IdleFilter if kind == "idle" else CourtFilter],
        responses={200: OUTPUTS[kind](many=True), **ERROR_RESPONSES},
    )(get)
    return view.as_view()


class UnknownScreeningApi(ApiView):
    """Any other kind: 404 in the contract's shape."""

    permission_classes = [CanReadSupervision]

    @extend_schema(exclude=True)
    def get(self, request: Request, kind: str) -> Response:
        raise NotFound(_("没有该筛查项目。"))


urlpatterns = [
    path("dashboard/", DashboardApi.as_view(), name="api-dashboard"),
    path("indicators/", IndicatorsApi.as_view(), name="api-indicators"),
    *[path(f"screening/{kind}/", _screening_view(kind), name=f"api-screening-{kind}") for kind in KINDS],
    path("screening/<str:kind>/", UnknownScreeningApi.as_view(), name="api-screening"),
]
