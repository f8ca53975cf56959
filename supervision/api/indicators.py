"""REST: the quality indicators (质效指标) of the caller's courts.

* ``GET /api/v1/indicators/?court=&from=&to=`` → ``supervision.selectors.indicators.indicators_data``
"""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import ApiView
from core.api.schema import ERROR_RESPONSES
from supervision.api.dashboard import CanReadSupervision, CourtFilter, CourtRefOut
from supervision.filters import indicator_params
from supervision.selectors.indicators import indicators_data


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
    clocks_pending = serializers.IntegerField(help_text="待核实的期限数（补录节点等待执行局长核实；不计入期限遵守率）")
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


class IndicatorPeriodOut(serializers.Serializer):
    # ``from`` is a Python keyword: declared through the class body's namespace.
    locals()["from"] = serializers.DateField(allow_null=True)
    to = serializers.DateField(allow_null=True)


class IndicatorsOut(serializers.Serializer):
    court = CourtRefOut(allow_null=True)
    breadcrumb = CourtRefOut(many=True)
    period = IndicatorPeriodOut()
    generated_at = serializers.DateTimeField()
    clock_source = serializers.ChoiceField(choices=["stats", "live"])
    computed_at = serializers.DateTimeField(allow_null=True)
    petitions_available = serializers.BooleanField()
    petitions_note = serializers.CharField(allow_null=True)
    formulas = FormulaOut(many=True)
    courts = IndicatorCourtOut(many=True)
    total = IndicatorValuesOut()
    rules = RuleComplianceOut(many=True)


class IndicatorFilter(CourtFilter):
    # ``from`` is a Python keyword: declared through the class body's namespace.
    locals()["from"] = serializers.DateField(required=False, help_text="起始日期（含）")
    to = serializers.DateField(required=False, help_text="截止日期（含）")


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


urlpatterns = [
    path("indicators/", IndicatorsApi.as_view(), name="api-indicators"),
]
