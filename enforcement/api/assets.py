"""REST: the asset catalogue and assets found by searches (API.md "Asset search and control")."""


from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import ApiView
from core.api.fields import MoneyField
from core.api.schema import ERROR_RESPONSES, WRITE_ERROR_RESPONSES
from enforcement.api.base import AtIn, at_or_now
from enforcement.models import Asset
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
        reason = serializers.CharField(max_length=500)

    @extend_schema(operation_id="assets_mark_uncontrollable", request=InputSerializer, responses={200: AssetOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, asset_id: int) -> Response:
        asset = case_part_get(request.user, Asset, asset_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        asset = asset_services.asset_mark_uncontrollable(actor=request.user, asset=asset, at=at_or_now(data.validated_data), reason=data.validated_data["reason"])
        return Response(AssetOut(asset_get_detail(asset.pk)).data)
