"""REST: the asset catalogue and assets found by searches (API.md "Asset search and control")."""


from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import ApiView
from core.api.fields import MoneyField
from core.api.schema import ERROR_RESPONSES, WRITE_ERROR_RESPONSES
from enforcement.api.base import AtIn, at_or_now
from enforcement.models import Asset, PriorityTransferRequest, UncontrollableReason
from enforcement.selectors import asset_categories_at, asset_get_detail, case_part_get
from enforcement.services import assets as asset_services


class AssetOut(serializers.Serializer):
    id = serializers.IntegerField()
    category = serializers.CharField(source="category.code")
    category_name = serializers.CharField(source="category.name")
    description = serializers.CharField()
    value = MoneyField(allow_null=True, positive=False)
    controllable_online = serializers.BooleanField()
    status = serializers.CharField()
    found_at = serializers.DateTimeField()
    uncontrollable_code = serializers.CharField(help_text="无法控制理由（法定情形代码）")
    uncontrollable_evidence = serializers.CharField()
    waiting_seizure = serializers.BooleanField(help_text="轮候查封")
    first_seizing_court = serializers.CharField()
    applicant_priority = serializers.BooleanField()


class AssetCategoryListApi(ApiView):
    pagination_class = None  # the whole catalogue, a bare array

    class OutputSerializer(serializers.Serializer):
        code = serializers.CharField()
        name = serializers.CharField()
        online = serializers.BooleanField()
        needs_disposal = serializers.BooleanField()
        enabled = serializers.BooleanField()

    @extend_schema(
        operation_id="asset_categories_list",
        parameters=[OpenApiParameter("court", str, description="法院代字；省略时为本人所在法院")],
        responses={200: OutputSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        rows = [
            {"code": c.code, "name": c.name, "online": c.online, "needs_disposal": c.needs_disposal, "enabled": enabled}
            for c, enabled in asset_categories_at(request.user, request.query_params.get("court"))
        ]
        return Response(self.OutputSerializer(rows, many=True).data)


class AssetUncontrollableApi(ApiView):
    class InputSerializer(AtIn):
        reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
        reason_code = serializers.CharField(
            max_length=30, required=False, allow_blank=True, default="",
            help_text="法定无法控制理由（必填）：" + "、".join(UncontrollableReason.values) + "（不接受“其他”）",
        )
        evidence = serializers.CharField(max_length=500, required=False, allow_blank=True, default="", help_text="证明材料（必填）")

    @extend_schema(operation_id="assets_mark_uncontrollable", request=InputSerializer, responses={200: AssetOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, asset_id: int) -> Response:
        asset = case_part_get(request.user, Asset, asset_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        asset = asset_services.asset_mark_uncontrollable(
            actor=request.user, asset=asset, at=at_or_now(data.validated_data), reason=data.validated_data["reason"],
            reason_code=data.validated_data["reason_code"], evidence=data.validated_data["evidence"],
        )
        return Response(AssetOut(asset_get_detail(asset.pk)).data)


class AssetWaitingSeizureApi(ApiView):
    class InputSerializer(AtIn):
        first_court = serializers.CharField(max_length=100, required=False, allow_blank=True, default="", help_text="首封法院（必填）")
        applicant_priority = serializers.BooleanField(required=False, default=False, help_text="申请执行人对该财产享有优先受偿权")

    @extend_schema(operation_id="assets_waiting_seizure", request=InputSerializer, responses={200: AssetOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, asset_id: int) -> Response:
        asset = case_part_get(request.user, Asset, asset_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        asset = asset_services.asset_record_waiting_seizure(
            actor=request.user, asset=asset, at=at_or_now(v), first_court=v["first_court"],
            applicant_priority=v["applicant_priority"],
        )
        return Response(AssetOut(asset_get_detail(asset.pk)).data)


class PriorityTransferOut(serializers.Serializer):
    id = serializers.IntegerField()
    asset = serializers.IntegerField(source="asset_id")
    first_court = serializers.CharField()
    letter_no = serializers.CharField()
    requested_at = serializers.DateTimeField()
    answer = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)
    answer_note = serializers.CharField()


class PriorityTransferCreateApi(ApiView):
    class InputSerializer(AtIn):
        letter_no = serializers.CharField(max_length=100, required=False, allow_blank=True, default="", help_text="商请函文号（必填）")
        first_court = serializers.CharField(max_length=100, required=False, allow_blank=True, default="", help_text="首封法院（省略时为轮候查封记录的首封法院）")

    @extend_schema(operation_id="assets_priority_transfer_request", request=InputSerializer, responses={201: PriorityTransferOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, asset_id: int) -> Response:
        asset = case_part_get(request.user, Asset, asset_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        transfer = asset_services.priority_transfer_request(
            actor=request.user, asset=asset, at=at_or_now(v), letter_no=v["letter_no"], first_court=v["first_court"]
        )
        return Response(PriorityTransferOut(transfer).data, status=status.HTTP_201_CREATED)


class PriorityTransferAnswerApi(ApiView):
    class InputSerializer(AtIn):
        agreed = serializers.BooleanField(help_text="首封法院是否同意移送处置权")
        note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="", help_text="答复内容（复函文号等，必填）")

    @extend_schema(operation_id="priority_transfers_answer", request=InputSerializer, responses={200: PriorityTransferOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, transfer_id: int) -> Response:
        transfer = case_part_get(request.user, PriorityTransferRequest, transfer_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        transfer = asset_services.priority_transfer_answer(
            actor=request.user, request=transfer, at=at_or_now(v), agreed=v["agreed"], note=v["note"]
        )
        return Response(PriorityTransferOut(transfer).data)
