"""REST: 督办 orders (322号 §28). One view per operation; state changes are POST
actions. Scope comes from ``supervision.selectors.orders``: an order outside the
caller's courts is 404."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import ApiView
from core.api.clocks import ClockOut
from core.api.fields import DateTimeField
from core.api.pagination import DefaultPagination
from core.api.schema import ERROR_RESPONSES, WRITE_ERROR_RESPONSES
from core.exceptions import ValidationFailed
from core.models import Court, User
from enforcement.selectors import case_get
from supervision.models import OrderKind, OrderStatus, SupervisionOrder
from supervision.selectors.orders import order_alerts, order_deadlines, order_get_detail, orders_filtered
from supervision.services import orders as services

# --- output -----------------------------------------------------------------------------


class OrderCaseOut(serializers.Serializer):
    id = serializers.IntegerField()
    case_number = serializers.CharField()
    court = serializers.CharField(source="court.code")


class OrderResponseOut(serializers.Serializer):
    round = serializers.IntegerField()
    text = serializers.CharField()
    responded_by = serializers.CharField()
    responded_at = DateTimeField()
    review = serializers.CharField()
    review_note = serializers.CharField()
    reviewed_by = serializers.CharField(allow_null=True)
    reviewed_at = DateTimeField(allow_null=True)


class OrderAlertOut(serializers.Serializer):
    id = serializers.IntegerField()
    deadline = serializers.IntegerField(source="deadline_id")
    level = serializers.CharField()
    raised_at = DateTimeField()
    to_court = serializers.CharField(source="to_court.code")
    to_role = serializers.CharField()
    resolved_at = DateTimeField(allow_null=True)
    acknowledged_at = DateTimeField(allow_null=True)


class OrderOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    kind = serializers.CharField(help_text="urge（督促执行）| take_up（提级执行）| assign（指令执行）")
    kind_label = serializers.CharField(source="get_kind_display")
    status = serializers.CharField(help_text="issued | responded | closed | withdrawn")
    status_label = serializers.CharField(source="get_status_display")
    case = OrderCaseOut()
    issuing_court = serializers.CharField(source="issuing_court.code")
    target_court = serializers.CharField(source="target_court.code")
    assignee_court = serializers.CharField(source="assignee_court.code", allow_null=True, default=None)
    executing_court = serializers.CharField(source="executing_court.code")
    instructions = serializers.CharField()
    response_days = serializers.IntegerField()
    response_unit = serializers.CharField()
    round = serializers.IntegerField()
    issued_by = serializers.CharField()
    issued_at = DateTimeField()
    last_responded_at = DateTimeField(allow_null=True)
    response_deadline = ClockOut(allow_null=True)
    closed_at = DateTimeField(allow_null=True)
    close_note = serializers.CharField()
    withdrawn_at = DateTimeField(allow_null=True)
    withdraw_reason = serializers.CharField()


class OrderDetailOut(OrderOut):
    responses = OrderResponseOut(many=True)
    clocks = ClockOut(many=True)
    alerts = OrderAlertOut(many=True)


def order_detail_data(user: User, order: SupervisionOrder) -> dict:
    order = order_get_detail(user, order.pk)
    deadlines = list(order_deadlines(order))
    order.clocks = deadlines
    order.alerts = list(order_alerts(order, [d.pk for d in deadlines]))
    return OrderDetailOut(order).data


# --- helpers ------------------------------------------------------------------------------


def _court(code: str | None, field: str) -> Court | None:
    if not code:
        return None
    court = Court.objects.filter(code=code.strip()).first()
    if court is None:
        raise ValidationFailed.for_field(field, _("法院代字 %(code)s 不存在。") % {"code": code})
    return court


# --- views, each with its input ------------------------------------------------------------


class OrderFilterIn(serializers.Serializer):
    status = serializers.ChoiceField(choices=OrderStatus.choices, required=False)
    kind = serializers.ChoiceField(choices=OrderKind.choices, required=False)
    issuing_court = serializers.CharField(required=False, max_length=16)
    target_court = serializers.CharField(required=False, max_length=16)
    case = serializers.IntegerField(required=False, min_value=1)


class OrderIssueIn(serializers.Serializer):
    case = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=OrderKind.choices)
    instructions = serializers.CharField(max_length=services.TEXT_MAX)
    response_days = serializers.IntegerField(min_value=1, max_value=services.MAX_RESPONSE_DAYS)
    issuing_court = serializers.CharField(
        max_length=16,
        required=False,
        allow_null=True,
        default=None,
        help_text="督办法院代字；省略时为您任职的、本案法院最近的上级法院",
    )
    assignee_court = serializers.CharField(
        max_length=16,
        required=False,
        allow_null=True,
        default=None,
        help_text="指令执行的法院代字（仅 assign）",
    )


class OrderListCreateApi(ApiView):
    @extend_schema(
        operation_id="orders_list",
        parameters=[OrderFilterIn],
        responses={200: OrderOut(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        params = OrderFilterIn(data=request.query_params)
        params.is_valid(raise_exception=True)
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(
            orders_filtered(request.user, params.validated_data), request, view=self
        )
        return paginator.get_paginated_response(OrderOut(page, many=True).data)

    @extend_schema(
        operation_id="orders_create",
        request=OrderIssueIn,
        responses={201: OrderDetailOut, **WRITE_ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        data = OrderIssueIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        case = case_get(request.user, v["case"])
        order = services.order_issue(
            actor=request.user,
            case=case,
            kind=v["kind"],
            instructions=v["instructions"],
            response_days=v["response_days"],
            issuing_court=_court(v.get("issuing_court"), "issuing_court"),
            assignee_court=_court(v.get("assignee_court"), "assignee_court"),
        )
        return Response(order_detail_data(request.user, order), status=status.HTTP_201_CREATED)


class OrderDetailApi(ApiView):
    @extend_schema(operation_id="orders_retrieve", responses={200: OrderDetailOut, **ERROR_RESPONSES})
    def get(self, request: Request, order_id: int) -> Response:
        order = order_get_detail(request.user, order_id)
        return Response(order_detail_data(request.user, order))


class OrderRespondIn(serializers.Serializer):
    text = serializers.CharField(max_length=services.TEXT_MAX, help_text="已采取的执行措施")


class OrderRespondApi(ApiView):
    @extend_schema(
        operation_id="orders_respond",
        request=OrderRespondIn,
        responses={200: OrderDetailOut, **WRITE_ERROR_RESPONSES},
    )
    def post(self, request: Request, order_id: int) -> Response:
        order = order_get_detail(request.user, order_id)
        data = OrderRespondIn(data=request.data)
        data.is_valid(raise_exception=True)
        order = services.order_respond(actor=request.user, order=order, text=data.validated_data["text"])
        return Response(order_detail_data(request.user, order))


class OrderAcceptIn(serializers.Serializer):
    note = serializers.CharField(max_length=services.NOTE_MAX, required=False, allow_blank=True, default="")


class OrderAcceptApi(ApiView):
    @extend_schema(
        operation_id="orders_accept",
        request=OrderAcceptIn,
        responses={200: OrderDetailOut, **WRITE_ERROR_RESPONSES},
    )
    def post(self, request: Request, order_id: int) -> Response:
        order = order_get_detail(request.user, order_id)
        data = OrderAcceptIn(data=request.data)
        data.is_valid(raise_exception=True)
        order = services.order_accept(actor=request.user, order=order, note=data.validated_data["note"])
        return Response(order_detail_data(request.user, order))


class OrderReturnIn(serializers.Serializer):
    note = serializers.CharField(max_length=services.NOTE_MAX, help_text="退回理由")
    response_days = serializers.IntegerField(
        min_value=1,
        max_value=services.MAX_RESPONSE_DAYS,
        required=False,
        allow_null=True,
        default=None,
        help_text="新的回复期限；省略时沿用原期限",
    )


class OrderReturnApi(ApiView):
    @extend_schema(
        operation_id="orders_return",
        request=OrderReturnIn,
        responses={200: OrderDetailOut, **WRITE_ERROR_RESPONSES},
    )
    def post(self, request: Request, order_id: int) -> Response:
        order = order_get_detail(request.user, order_id)
        data = OrderReturnIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        order = services.order_return(
            actor=request.user, order=order, note=v["note"], response_days=v.get("response_days")
        )
        return Response(order_detail_data(request.user, order))


class OrderWithdrawIn(serializers.Serializer):
    reason = serializers.CharField(max_length=services.NOTE_MAX)


class OrderWithdrawApi(ApiView):
    @extend_schema(
        operation_id="orders_withdraw",
        request=OrderWithdrawIn,
        responses={200: OrderDetailOut, **WRITE_ERROR_RESPONSES},
    )
    def post(self, request: Request, order_id: int) -> Response:
        order = order_get_detail(request.user, order_id)
        data = OrderWithdrawIn(data=request.data)
        data.is_valid(raise_exception=True)
        order = services.order_withdraw(actor=request.user, order=order, reason=data.validated_data["reason"])
        return Response(order_detail_data(request.user, order))


urlpatterns = [
    path("orders/", OrderListCreateApi.as_view(), name="api-orders"),
    path("orders/<int:order_id>/", OrderDetailApi.as_view(), name="api-order-detail"),
    path("orders/<int:order_id>/respond/", OrderRespondApi.as_view(), name="api-order-respond"),
    path("orders/<int:order_id>/accept/", OrderAcceptApi.as_view(), name="api-order-accept"),
    path("orders/<int:order_id>/return/", OrderReturnApi.as_view(), name="api-order-return"),
    path("orders/<int:order_id>/withdraw/", OrderWithdrawApi.as_view(), name="api-order-withdraw"),
]
