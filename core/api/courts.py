"""REST: the courts the user may see (API.md "Courts")."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import ApiView
from core.api.schema import ERROR_RESPONSES
from core.models import CourtLevel
from core.selectors import visible_courts


class CourtListApi(ApiView):
    pagination_class = None  # a bare array (API.md "Courts"), see get()

    class OutputSerializer(serializers.Serializer):
        code = serializers.CharField()
        name = serializers.CharField()
        level = serializers.ChoiceField(choices=CourtLevel.choices)
        parent = serializers.CharField(source="parent.code", allow_null=True, default=None)

    @extend_schema(
        operation_id="courts_list",
        summary="法院列表（本人可见范围）",
        responses={200: OutputSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        # API.md shows this list as a bare array; it is small (a province is a few
        # hundred courts) and scoped, so it is not paginated.
        courts = visible_courts(request.user).select_related("parent")
        return Response(self.OutputSerializer(courts, many=True).data)
