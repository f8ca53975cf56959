"""REST: the 消极执行 screening lists, paginated (山东高院实施细则 第26条).

* ``GET /api/v1/screening/<kind>/?court=&days=`` → ``supervision.selectors.screening``
"""

from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import ApiView
from core.api.pagination import DefaultPagination
from core.api.schema import ERROR_RESPONSES
from core.exceptions import NotFound
from supervision.api.dashboard import CanReadSupervision, ClockRowOut, CourtFilter
from supervision.filters import screening_params
from supervision.selectors.clocks import COUNT_CAP
from supervision.selectors.screening import KINDS, screening_list


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


class RulingUnservedOut(_CaseRowOut):
    handler = serializers.CharField()
    ruling_at = serializers.DateTimeField()
    service_due_on = serializers.DateField(help_text="裁定作出后本院设定的送达期限届满日")
    days_overdue = serializers.IntegerField()
    unserved = serializers.ListField(child=serializers.CharField(), help_text="尚未送达的当事人")


OUTPUTS = {
    "idle": IdleCaseOut,
    "uncontrolled": UncontrolledAssetOut,
    "overdue_duration": ClockRowOut,
    "node_dates": NodeDateOut,
    "research_due": ClockRowOut,
    "ruling_unserved": RulingUnservedOut,
}


class IdleFilter(CourtFilter):
    days = serializers.IntegerField(
        required=False, min_value=1, max_value=3650, help_text="无节点天数，默认 SUPERVISION_IDLE_DAYS"
    )


class ScreeningApi(ApiView):
    """One screening list, paginated (``kind`` set by each subclass)."""

    permission_classes = [CanReadSupervision]
    pagination_class = DefaultPagination
    kind = ""

    def get(self, request: Request) -> Response:
        params = screening_params(request.user, request.query_params, self.kind)
        listing = screening_list(user=request.user, kind=self.kind, params=params)
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(listing, request, view=self)
        return paginator.get_paginated_response(OUTPUTS[self.kind](page, many=True).data)


def _schema(kind: str) -> dict:
    """The operation of one screening list: its criterion and basis in words."""
    spec = KINDS[kind]
    return {
        "operation_id": f"screening_{kind}_list",
        # lazy: in the language the schema is generated in, not the one active when
        # the URLconf happened to be loaded
        "summary": format_lazy("消极执行筛查：{}", spec.title),
        "description": format_lazy(
            "{}（{}）\n\ncount 最多为 {}（超过时只能翻到第 {} 条，请以 court 缩小范围）。",
            spec.criteria,
            spec.basis,
            COUNT_CAP,
            COUNT_CAP,
        ),
        "parameters": [IdleFilter if kind == "idle" else CourtFilter],
        "responses": {200: OUTPUTS[kind](many=True), **ERROR_RESPONSES},
    }


class ScreeningIdleApi(ScreeningApi):
    kind = "idle"

    @extend_schema(**_schema("idle"))
    def get(self, request: Request) -> Response:
        return super().get(request)


class ScreeningUncontrolledApi(ScreeningApi):
    kind = "uncontrolled"

    @extend_schema(**_schema("uncontrolled"))
    def get(self, request: Request) -> Response:
        return super().get(request)


class ScreeningOverdueDurationApi(ScreeningApi):
    kind = "overdue_duration"

    @extend_schema(**_schema("overdue_duration"))
    def get(self, request: Request) -> Response:
        return super().get(request)


class ScreeningNodeDatesApi(ScreeningApi):
    kind = "node_dates"

    @extend_schema(**_schema("node_dates"))
    def get(self, request: Request) -> Response:
        return super().get(request)


class ScreeningResearchDueApi(ScreeningApi):
    kind = "research_due"

    @extend_schema(**_schema("research_due"))
    def get(self, request: Request) -> Response:
        return super().get(request)


class ScreeningRulingUnservedApi(ScreeningApi):
    kind = "ruling_unserved"

    @extend_schema(**_schema("ruling_unserved"))
    def get(self, request: Request) -> Response:
        return super().get(request)


class UnknownScreeningApi(ApiView):
    """Any other kind: 404 in the contract's shape."""

    permission_classes = [CanReadSupervision]

    @extend_schema(exclude=True)
    def get(self, request: Request, kind: str) -> Response:
        raise NotFound(_("没有该筛查项目。"))


SCREENING_VIEWS: dict[str, type[ScreeningApi]] = {
    view.kind: view
    for view in (
        ScreeningIdleApi,
        ScreeningUncontrolledApi,
        ScreeningOverdueDurationApi,
        ScreeningNodeDatesApi,
        ScreeningResearchDueApi,
        ScreeningRulingUnservedApi,
    )
}


# --- h/coercion: 终本 cases lacking a sanction, search or referral -------------------------------


class _FindingOut(serializers.Serializer):
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    party = serializers.CharField()
    found_at = serializers.DateTimeField()


class CoercionMissingOut(_CaseRowOut):
    handler = serializers.CharField()
    closed_at = serializers.DateTimeField()
    findings = _FindingOut(many=True)
    findings_text = serializers.CharField()


OUTPUTS["coercion_missing"] = CoercionMissingOut


class ScreeningCoercionMissingApi(ScreeningApi):
    kind = "coercion_missing"

    @extend_schema(**_schema("coercion_missing"))
    def get(self, request: Request) -> Response:
        return super().get(request)


SCREENING_VIEWS[ScreeningCoercionMissingApi.kind] = ScreeningCoercionMissingApi
assert set(SCREENING_VIEWS) == set(KINDS), "one endpoint per screening list"

urlpatterns = [
    *[
        path(f"screening/{kind}/", SCREENING_VIEWS[kind].as_view(), name=f"api-screening-{kind}")
        for kind in KINDS
    ],
    path("screening/<str:kind>/", UnknownScreeningApi.as_view(), name="api-screening"),
]
