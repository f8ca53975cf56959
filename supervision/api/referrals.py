"""REST: the 拒执 referrals report of the caller's courts (issue 15).

* ``GET /api/v1/referrals/?court=&from=&to=`` → ``supervision.selectors.referrals.referral_report``
"""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import ApiView
from core.api.schema import ERROR_RESPONSES
from enforcement.models import ReferralOutcome, ReferralRoute
from supervision.api.dashboard import CanReadSupervision, CourtRefOut
from supervision.api.indicators import IndicatorFilter
from supervision.filters import indicator_params
from supervision.selectors.referrals import referral_report


class RouteCountsOut(serializers.Serializer):
    police = serializers.IntegerField(help_text="移送公安机关")
    private = serializers.IntegerField(help_text="告知自诉")


class OutcomeCountsOut(serializers.Serializer):
    pending = serializers.IntegerField(help_text="待反馈")
    filed = serializers.IntegerField(help_text="已立案")
    not_filed = serializers.IntegerField(help_text="不予立案")
    convicted = serializers.IntegerField(help_text="判决有罪")
    acquitted = serializers.IntegerField(help_text="判决无罪")
    withdrawn = serializers.IntegerField(help_text="撤回/未起诉")


assert set(RouteCountsOut().fields) == set(ReferralRoute.values)
assert set(OutcomeCountsOut().fields) == set(ReferralOutcome.values)


def _counts(choices, help_text: str) -> serializers.Serializer:
    return (RouteCountsOut if choices is ReferralRoute else OutcomeCountsOut)(help_text=help_text)


class RouteOutcomesOut(serializers.Serializer):
    police = _counts(ReferralOutcome, "移送公安机关：按处理结果")
    private = _counts(ReferralOutcome, "告知自诉：按处理结果")


class ReferralLineOut(serializers.Serializer):
    total = serializers.IntegerField()
    by_route = _counts(ReferralRoute, "按移送途径")
    by_outcome = _counts(ReferralOutcome, "按处理结果")
    by_route_outcome = RouteOutcomesOut()


class ReferralCourtOut(ReferralLineOut):
    code = serializers.CharField()
    name = serializers.CharField()
    is_self = serializers.BooleanField(help_text="本院自身（其余各行含其下级法院）")


class ReferralCaseOut(serializers.Serializer):
    entry = serializers.IntegerField()
    case_id = serializers.IntegerField()
    case_number = serializers.CharField()
    court = serializers.CharField()
    court_name = serializers.CharField()
    person = serializers.CharField()
    route = serializers.ChoiceField(choices=ReferralRoute.choices)
    route_label = serializers.CharField()
    decided_at = serializers.DateTimeField()
    document_number = serializers.CharField()
    outcome = serializers.ChoiceField(choices=ReferralOutcome.choices)
    outcome_label = serializers.CharField()
    outcome_on = serializers.DateField(allow_null=True)
    outcome_document = serializers.CharField()
    url = serializers.CharField()


class _ChoiceOut(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class _PeriodOut(serializers.Serializer):
    locals()["from"] = serializers.DateField(allow_null=True)
    to = serializers.DateField(allow_null=True)


class ReferralReportOut(serializers.Serializer):
    court = CourtRefOut(allow_null=True)
    breadcrumb = CourtRefOut(many=True)
    period = _PeriodOut()
    generated_at = serializers.DateTimeField()
    routes = _ChoiceOut(many=True)
    outcomes = _ChoiceOut(many=True)
    courts = ReferralCourtOut(many=True)
    total = ReferralLineOut()
    cases = ReferralCaseOut(many=True)


class ReferralReportApi(ApiView):
    permission_classes = [CanReadSupervision]

    @extend_schema(
        operation_id="referrals_report",
        summary="拒执罪移送统计",
        description="各法院（本院及各下级法院，含其下级）在期间内（移送日期，含起止日）拒执罪移送的数量，"
        "按移送途径（移送公安机关/告知自诉）与处理结果分列，并列出移送案件。",
        parameters=[IndicatorFilter],
        responses={200: ReferralReportOut, **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        params = indicator_params(request.user, request.query_params)
        return Response(ReferralReportOut(referral_report(user=request.user, params=params)).data)


urlpatterns = [
    path("referrals/", ReferralReportApi.as_view(), name="api-referrals"),
]
