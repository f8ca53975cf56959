"""REST: the signed-in person's in-app notifications (站内通知, issue 16)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import ApiView
from core.api.fields import DateTimeField
from core.api.pagination import DefaultPagination
from core.api.schema import ERROR_RESPONSES, WRITE_ERROR_RESPONSES
from core.exceptions import ValidationFailed
from core.models import Notification, NotificationKind
from core.selectors import notifications_of
from core.services.notifications import notification_mark_read

UNREAD_VALUES = {"true": True, "false": False}


class NotificationOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=NotificationKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    title = serializers.CharField()
    body = serializers.CharField()
    link = serializers.CharField(help_text="站内页面路径（可为空）")
    court = serializers.SerializerMethodField(help_text="所涉法院代码（个人事项为 null）")
    subject_type = serializers.CharField(help_text="所涉对象的类型，如 enforcement.case")
    subject_id = serializers.CharField(help_text="所涉对象的 id")
    created_at = DateTimeField()
    read_at = DateTimeField(allow_null=True)
    unread = serializers.SerializerMethodField()

    def get_court(self, obj: Notification) -> str | None:
        return obj.court.code if obj.court_id else None  # type: ignore[union-attr]

    def get_unread(self, obj: Notification) -> bool:
        return obj.read_at is None


class NotificationListApi(ApiView):
    @extend_schema(
        operation_id="notifications_list",
        summary="本人的站内通知（最新在前）",
        parameters=[
            OpenApiParameter(
                "unread", str, enum=["true", "false"], description="true 只看未读，false 只看已读"
            )
        ],
        responses={200: NotificationOut(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("unread")
        if raw is not None and raw not in UNREAD_VALUES:
            raise ValidationFailed.for_field("unread", _("unread 只能是 true 或 false。"))
        qs = notifications_of(request.user, unread=UNREAD_VALUES.get(raw or "")).select_related("court")
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(NotificationOut(page, many=True).data)


class NotificationReadApi(ApiView):
    @extend_schema(
        operation_id="notifications_read",
        summary="将本人的一条通知标为已读（他人的通知为 404）",
        request=None,
        responses={200: NotificationOut, **WRITE_ERROR_RESPONSES},
    )
    def post(self, request: Request, pk: int) -> Response:
        notification = notification_mark_read(user=request.user, notification_id=pk)
        return Response(NotificationOut(notification).data)
