"""REST: disposal of controlled assets — reference price, auction, self-disposal."""


from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import ApiView
from core.api.fields import MoneyField
from core.api.schema import WRITE_ERROR_RESPONSES
from enforcement.api.base import AtIn, at_or_now
from enforcement.models import Asset, Disposal, PriceMethod, SaleMode, SelfDisposal
from enforcement.selectors import case_part_get
from enforcement.services import disposal as disposal_services


class DisposalOut(serializers.Serializer):
    id = serializers.IntegerField()
    asset = serializers.IntegerField(source="asset_id")
    method = serializers.CharField()
    status = serializers.CharField()
    price_started_at = serializers.DateTimeField()
    reference_price = MoneyField(allow_null=True)
    auction_launched_at = serializers.DateTimeField(allow_null=True)
    sale_amount = MoneyField(allow_null=True)
    mode = serializers.CharField(help_text="auction 拍卖 / sell_off 变卖")
    round = serializers.IntegerField(help_text="该财产同一方式的第几轮")


class DisposalStartApi(ApiView):
    class InputSerializer(AtIn):
        method = serializers.ChoiceField(choices=PriceMethod.choices)

    @extend_schema(operation_id="disposals_create", request=InputSerializer, responses={201: DisposalOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, asset_id: int) -> Response:
        asset = case_part_get(request.user, Asset, asset_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        disposal = disposal_services.disposal_start(actor=request.user, asset=asset, method=data.validated_data["method"], at=at_or_now(data.validated_data))
        return Response(DisposalOut(disposal).data, status=status.HTTP_201_CREATED)


class DisposalFixPriceApi(ApiView):
    class InputSerializer(AtIn):
        price = MoneyField()

    @extend_schema(operation_id="disposals_fix_price", request=InputSerializer, responses={200: DisposalOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, disposal_id: int) -> Response:
        disposal = case_part_get(request.user, Disposal, disposal_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = disposal_services.disposal_fix_price(actor=request.user, disposal=disposal, price=data.validated_data["price"], at=at_or_now(data.validated_data))
        return Response(DisposalOut(d).data)


class DisposalAuctionApi(ApiView):
    class InputSerializer(AtIn):
        platform = serializers.CharField(max_length=50, required=False, default="网络司法拍卖")
        mode = serializers.ChoiceField(choices=SaleMode.choices, required=False, default=SaleMode.AUCTION)

    @extend_schema(operation_id="disposals_launch_auction", request=InputSerializer, responses={200: DisposalOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, disposal_id: int) -> Response:
        disposal = case_part_get(request.user, Disposal, disposal_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = disposal_services.disposal_launch_auction(actor=request.user, disposal=disposal, at=at_or_now(data.validated_data), platform=data.validated_data["platform"], mode=data.validated_data["mode"])
        return Response(DisposalOut(d).data)


class DisposalConcludeApi(ApiView):
    class InputSerializer(AtIn):
        sold = serializers.BooleanField()
        amount = MoneyField(required=False, allow_null=True, default=None)

    @extend_schema(operation_id="disposals_conclude", request=InputSerializer, responses={200: DisposalOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, disposal_id: int) -> Response:
        disposal = case_part_get(request.user, Disposal, disposal_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        d = disposal_services.disposal_conclude(actor=request.user, disposal=disposal, at=at_or_now(v), sold=v["sold"], amount=v["amount"])
        return Response(DisposalOut(d).data)


class SelfDisposalOut(serializers.Serializer):
    id = serializers.IntegerField()
    asset = serializers.IntegerField(source="asset_id")
    days = serializers.IntegerField()
    status = serializers.CharField()


class SelfDisposalStatusOut(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()


class SelfDisposalApi(ApiView):
    class InputSerializer(AtIn):
        days = serializers.IntegerField(min_value=1, max_value=3650)

    @extend_schema(operation_id="self_disposals_create", request=InputSerializer, responses={201: SelfDisposalOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, asset_id: int) -> Response:
        asset = case_part_get(request.user, Asset, asset_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sd = disposal_services.self_disposal_allow(actor=request.user, asset=asset, at=at_or_now(data.validated_data), days=data.validated_data["days"])
        return Response(SelfDisposalOut(sd).data, status=status.HTTP_201_CREATED)


class SelfDisposalConcludeApi(ApiView):
    @extend_schema(operation_id="self_disposals_conclude", request=DisposalConcludeApi.InputSerializer, responses={200: SelfDisposalStatusOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, self_disposal_id: int) -> Response:
        sd = case_part_get(request.user, SelfDisposal, self_disposal_id)
        data = DisposalConcludeApi.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        sd = disposal_services.self_disposal_conclude(actor=request.user, self_disposal=sd, at=at_or_now(v), sold=v["sold"], amount=v["amount"])
        return Response(SelfDisposalStatusOut(sd).data)


class OffsetRefusalOut(serializers.Serializer):
    id = serializers.IntegerField()
    asset = serializers.IntegerField(source="asset_id")
    applicant = serializers.IntegerField(source="applicant_id")
    refused_at = serializers.DateTimeField()
    document = serializers.CharField()


class OffsetRefusalApi(ApiView):
    class InputSerializer(AtIn):
        applicant = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="拒绝以物抵债的申请执行人（当事人 id，必填）")
        document = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", help_text="申请执行人签字确认的书面材料（必填）")

    @extend_schema(operation_id="assets_offset_refusal", request=InputSerializer, responses={201: OffsetRefusalOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, asset_id: int) -> Response:
        asset = case_part_get(request.user, Asset, asset_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        refusal = disposal_services.disposal_record_offset_refusal(
            actor=request.user, asset=asset, applicant=v["applicant"], at=at_or_now(v), document=v["document"]
        )
        return Response(OffsetRefusalOut(refusal).data, status=status.HTTP_201_CREATED)
