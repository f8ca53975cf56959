"""REST: receipts (到账) and matching unidentified ones (API.md "Case funds")."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import ApiView
from core.api.fields import DateTimeField, MoneyField
from core.api.pagination import DefaultPagination
from core.api.schema import ERROR_RESPONSES, WRITE_ERROR_RESPONSES
from core.exceptions import NotFound, ValidationFailed
from custody_funds import selectors
from custody_funds.models import ReceiptStatus
from custody_funds.services import funds
from enforcement.selectors import case_get


class ReceiptOut(serializers.Serializer):
    id = serializers.IntegerField()
    court = serializers.CharField(source="court.code")
    reference = serializers.CharField()
    account_number = serializers.CharField()
    amount = MoneyField()
    arrived_at = DateTimeField()
    payer = serializers.CharField()
    case = serializers.IntegerField(source="case_id", allow_null=True)
    status = serializers.CharField()
    matched_at = DateTimeField(allow_null=True)
    match_reason = serializers.CharField()
    matched_case_status = serializers.CharField()
    closed_case_reason = serializers.CharField()


class ReceiptListCreateApi(ApiView):
    class InputSerializer(serializers.Serializer):
        account_number = serializers.CharField(max_length=40, allow_blank=True)
        amount = MoneyField()
        arrived_at = DateTimeField()
        payer = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
        reference = serializers.CharField(max_length=64)
        court = serializers.CharField(max_length=16, required=False)

    @extend_schema(
        operation_id="receipts_list",
        parameters=[OpenApiParameter("status", str, enum=["unidentified", "matched"]), OpenApiParameter("court", str)],
        responses={200: ReceiptOut(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        wanted = request.query_params.get("status")
        if wanted and wanted not in ReceiptStatus.values:
            raise ValidationFailed.for_field("status", _("状态无效。"))
        qs = selectors.receipts_list(request.user, status=wanted, court_code=request.query_params.get("court"))
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(ReceiptOut(page, many=True).data)

    @extend_schema(operation_id="receipts_create", request=InputSerializer,
                   responses={201: ReceiptOut, 200: ReceiptOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        court = selectors.receipt_court(request.user, v.get("court"))
        if court is None:
            raise ValidationFailed.for_field("court", _("法院不存在或不在您的范围内。"))
        receipt, created = funds.receipt_record(
            actor=request.user, court=court, reference=v["reference"], account_number=v["account_number"],
            amount=v["amount"], arrived_at=v["arrived_at"], payer=v["payer"],
        )
        return Response(ReceiptOut(receipt).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class ReceiptMatchApi(ApiView):
    class InputSerializer(serializers.Serializer):
        case = serializers.IntegerField()
        reason = serializers.CharField(max_length=300, required=False, default="按申请执行人提供的付款凭证核对")
        # a case already closed or closing (结案/终本) → 422 case_closed unless confirmed with a reason
        confirm_closed_case = serializers.BooleanField(required=False, default=False)
        closed_case_reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    @extend_schema(operation_id="receipts_match", request=InputSerializer, responses={200: ReceiptOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, receipt_id: int) -> Response:
        receipt = selectors.receipt_get(request.user, receipt_id)
        if receipt is None:
            raise NotFound()
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = case_get(request.user, data.validated_data["case"])
        v = data.validated_data
        receipt = funds.receipt_match(
            actor=request.user, receipt=receipt, case=case, reason=v["reason"],
            confirm_closed_case=v["confirm_closed_case"], closed_case_reason=v["closed_case_reason"],
        )
        return Response(ReceiptOut(receipt).data)
