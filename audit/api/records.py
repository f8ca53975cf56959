"""REST: the audit trail for the supervision department, court leaders and court
administrators.

``GET /api/v1/audit-records/?event=reveal&success=false&since=…`` → paginated records."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from audit.models import AuditEvent
from audit.selectors import audit_records_filtered
from core.api.base import ApiView
from core.api.pagination import DefaultPagination
from core.api.schema import ERROR_RESPONSES


class AuditRecordOut(serializers.Serializer):
    id = serializers.IntegerField()
    occurred_at = serializers.DateTimeField(help_text="带时区偏移的时间，如 2026-11-21T09:30:00+08:00")
    user = serializers.IntegerField(source="user_id", allow_null=True)
    username = serializers.CharField()
    event = serializers.ChoiceField(choices=AuditEvent.choices)
    method = serializers.CharField()
    path = serializers.CharField()
    action = serializers.CharField()
    object_type = serializers.CharField()
    object_id = serializers.CharField()
    success = serializers.BooleanField()
    status_code = serializers.IntegerField(allow_null=True)
    ip = serializers.IPAddressField(allow_null=True)


class AuditRecordListApi(ApiView):
    class FilterSerializer(serializers.Serializer):
        event = serializers.ChoiceField(choices=AuditEvent.choices, required=False)
        success = serializers.BooleanField(required=False, allow_null=True, default=None)
        user = serializers.CharField(required=False, max_length=150, help_text="用户名")
        object_type = serializers.CharField(required=False, max_length=100)
        object_id = serializers.CharField(required=False, max_length=64)
        since = serializers.DateTimeField(required=False)
        until = serializers.DateTimeField(required=False)

    @extend_schema(
        operation_id="audit_records_list",
        parameters=[FilterSerializer],
        responses={200: AuditRecordOut(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        params = self.FilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        paginator = DefaultPagination()
        data = dict(params.validated_data)
        data["username"] = data.pop("user", "")
        page = paginator.paginate_queryset(audit_records_filtered(request.user, **data), request, view=self)
        return paginator.get_paginated_response(AuditRecordOut(page, many=True).data)
