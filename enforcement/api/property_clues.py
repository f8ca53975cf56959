"""REST: property clues (财产线索) and their verification."""


from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import ApiView
from core.api.fields import DateTimeField, MoneyField
from core.api.schema import WRITE_ERROR_RESPONSES
from enforcement.api.base import AtIn, at_or_now
from enforcement.models import PropertyClue
from enforcement.selectors import case_get, case_part_get
from enforcement.services import property_clues as property_clue_services


class ClueOut(serializers.Serializer):
    id = serializers.IntegerField()
    received_at = serializers.DateTimeField()
    source = serializers.CharField()
    description = serializers.CharField()
    specific = serializers.BooleanField()
    urgent = serializers.BooleanField()
    status = serializers.CharField()
    verification_started_at = serializers.DateTimeField(allow_null=True)
    result_note = serializers.CharField()
    asset = serializers.IntegerField(source="asset_id", allow_null=True, help_text="经查属实的线索查明的财产")


class ClueCreateApi(ApiView):
    class InputSerializer(serializers.Serializer):
        received_at = DateTimeField()
        description = serializers.CharField(max_length=1000)
        source = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
        specific = serializers.BooleanField(required=False, default=False)
        urgent = serializers.BooleanField(required=False, default=False)

    @extend_schema(operation_id="property_clues_create", request=InputSerializer, responses={201: ClueOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, case_id: int) -> Response:
        case = case_get(request.user, case_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        clue = property_clue_services.property_clue_receive(actor=request.user, case=case, **data.validated_data)
        return Response(ClueOut(clue).data, status=status.HTTP_201_CREATED)


class ClueVerifyApi(ApiView):
    @extend_schema(operation_id="property_clues_start_verification", request=AtIn, responses={200: ClueOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, clue_id: int) -> Response:
        clue = case_part_get(request.user, PropertyClue, clue_id)
        data = AtIn(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(ClueOut(property_clue_services.property_clue_start_verification(actor=request.user, clue=clue, at=at_or_now(data.validated_data))).data)


class ClueConcludeApi(ApiView):
    class InputSerializer(AtIn):
        true = serializers.BooleanField()
        note = serializers.CharField(max_length=1000)
        asset = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="经查属实时，查明的本案财产 id")

    @extend_schema(operation_id="property_clues_conclude", request=InputSerializer, responses={200: ClueOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, clue_id: int) -> Response:
        clue = case_part_get(request.user, PropertyClue, clue_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        return Response(ClueOut(property_clue_services.property_clue_conclude(actor=request.user, clue=clue, at=at_or_now(v), true=v["true"], note=v["note"], asset=v["asset"])).data)


class ClueAssetApi(ApiView):
    class InputSerializer(AtIn):
        asset = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="本案已有的财产 id")
        category = serializers.CharField(max_length=30, required=False, allow_blank=True, default="", help_text="新财产的类型代码（不填 asset 时）")
        description = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
        value = MoneyField(required=False, allow_null=True, positive=False, default=None)

    @extend_schema(operation_id="property_clues_asset", request=InputSerializer, responses={200: ClueOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, clue_id: int) -> Response:
        clue = case_part_get(request.user, PropertyClue, clue_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        clue = property_clue_services.property_clue_link_asset(
            actor=request.user, clue=clue, at=at_or_now(v), asset=v["asset"], category=v["category"],
            description=v["description"], value=v["value"],
        )
        return Response(ClueOut(clue).data)
