"""REST: alerts of the escalation ladder (API.md "Alerts").

``GET /api/v1/alerts/?court=鲁0102&level=overdue`` lists the alerts of the courts the
caller can see; ``mine=true`` narrows to the alerts addressed to the caller.
``POST /api/v1/alerts/{id}/acknowledge/`` records who saw it and when."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import ApiView
from core.api.fields import DateTimeField
from core.api.pagination import DefaultPagination
from core.api.schema import ERROR_RESPONSES, WRITE_ERROR_RESPONSES
from supervision.models import Alert, AlertLevel
from supervision.selectors.alerts import alert_get_visible, alert_recipients, alerts_filtered
from supervision.services.alerts import alert_acknowledge


class RecipientOut(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    username = serializers.CharField()
    name = serializers.CharField(source="display_name")


class AlertOut(serializers.Serializer):
    id = serializers.IntegerField()
    deadline = serializers.IntegerField(source="deadline_id")
    case = serializers.IntegerField(source="case_id", allow_null=True)
    case_number = serializers.CharField(source="case.case_number", allow_null=True, default=None)
    court = serializers.CharField(source="court.code")
    rule = serializers.CharField(source="rule.code")
    rule_name = serializers.CharField(source="rule.name_zh")
    level = serializers.ChoiceField(choices=AlertLevel.choices)
    threshold_at = DateTimeField()
    raised_at = DateTimeField()
    due_at = DateTimeField()
    provisional = serializers.BooleanField(help_text="届满日依据预测日历（该年度放假安排尚未载入）")
    resolved_at = DateTimeField(allow_null=True)
    acknowledged_at = DateTimeField(allow_null=True)
    acknowledged_by = serializers.CharField(source="acknowledged_by.username", allow_null=True, default=None)
    recipients = RecipientOut(many=True)


def _with_recipients(alerts: list[Alert]) -> list[Alert]:
    people = alert_recipients(alerts)
    for alert in alerts:
        alert.recipients = people[alert.pk]
    return alerts


class AlertListApi(ApiView):
    class FilterSerializer(serializers.Serializer):
        court = serializers.CharField(required=False, help_text="法院代字，如 鲁0102")
        level = serializers.ChoiceField(choices=AlertLevel.choices, required=False)
        rule = serializers.CharField(required=False, help_text="规则代码，如 SEARCH_START")
        case = serializers.IntegerField(required=False, min_value=1)
        open = serializers.BooleanField(required=False, allow_null=True, default=None)
        acknowledged = serializers.BooleanField(required=False, allow_null=True, default=None)
        mine = serializers.BooleanField(required=False, default=False)
        raised_after = DateTimeField(required=False)
        raised_before = DateTimeField(required=False)

    @extend_schema(
        operation_id="alerts_list",
        parameters=[FilterSerializer],
        responses={200: AlertOut(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        params = self.FilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(
            alerts_filtered(request.user, params.validated_data), request, view=self
        )
        return paginator.get_paginated_response(AlertOut(_with_recipients(list(page)), many=True).data)


class AlertDetailApi(ApiView):
    @extend_schema(operation_id="alerts_retrieve", responses={200: AlertOut, **ERROR_RESPONSES})
    def get(self, request: Request, alert_id: int) -> Response:
        alert = alert_get_visible(request.user, alert_id)
        return Response(AlertOut(_with_recipients([alert])[0]).data)


class AlertAcknowledgeApi(ApiView):
    @extend_schema(
        operation_id="alerts_acknowledge",
        request=None,
        responses={200: AlertOut, **WRITE_ERROR_RESPONSES},
    )
    def post(self, request: Request, alert_id: int) -> Response:
        alert = alert_acknowledge(alert=alert_get_visible(request.user, alert_id), user=request.user)
        alert = alert_get_visible(request.user, alert.pk)
        return Response(AlertOut(_with_recipients([alert])[0]).data)


urlpatterns = [
    path("alerts/", AlertListApi.as_view(), name="api-alerts"),
    path("alerts/<int:alert_id>/", AlertDetailApi.as_view(), name="api-alert"),
    path("alerts/<int:alert_id>/acknowledge/", AlertAcknowledgeApi.as_view(), name="api-alert-acknowledge"),
]
