"""REST: asset searches (查询) and their feedback, one by one or in bulk (API.md
"Asset search and control")."""


from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import ApiView
from core.api.bulk import bulk_answer
from core.api.fields import DateTimeField, MoneyField
from core.api.schema import WRITE_ERROR_RESPONSES, ErrorSerializer
from core.exceptions import NotFound, ValidationFailed
from core.models import User
from enforcement.api.assets import AssetOut
from enforcement.api.base import BULK_RESULTS
from enforcement.models import Asset, AssetSearch, SearchChannel
from enforcement.selectors import case_get, case_part_get, searches_visible
from enforcement.services import assets as asset_services
from enforcement.services.assets_bulk import FeedbackItem, searches_record_feedback_many


class SearchOut(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    channel = serializers.CharField()
    categories = serializers.SerializerMethodField()
    launched_at = serializers.DateTimeField()
    status = serializers.CharField()
    feedback_at = serializers.DateTimeField(allow_null=True)
    respondent = serializers.IntegerField(source="respondent_id", allow_null=True, help_text="被查询的被执行人（当事人 id）")
    note = serializers.CharField(source="result_note", help_text="调查情况（线下调查）")

    def get_categories(self, obj) -> list[str]:
        return [c.code for c in obj.categories.all()]


class SearchLaunchApi(ApiView):
    class InputSerializer(serializers.Serializer):
        channel = serializers.ChoiceField(choices=SearchChannel.choices)
        categories = serializers.ListField(child=serializers.CharField(max_length=30), required=False, allow_null=True, default=None)
        launched_at = DateTimeField()
        respondent = serializers.IntegerField(
            required=False, allow_null=True, default=None,
            help_text="被查询的被执行人（当事人 id）；案件只有一个被执行人时可省略",
        )

    @extend_schema(operation_id="asset_searches_create", request=InputSerializer, responses={201: SearchOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, case_id: int) -> Response:
        case = case_get(request.user, case_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        search = asset_services.search_launch(
            actor=request.user, case=case, channel=data.validated_data["channel"],
            category_codes=data.validated_data["categories"], launched_at=data.validated_data["launched_at"],
            respondent=data.validated_data["respondent"],
        )
        return Response(SearchOut(search).data, status=status.HTTP_201_CREATED)


class FindingIn(serializers.Serializer):
    category = serializers.CharField(max_length=30)
    description = serializers.CharField(max_length=500)
    value = MoneyField(required=False, allow_null=True, positive=False, default=None)
    controllable_online = serializers.BooleanField(required=False, default=False)


class FeedbackIn(serializers.Serializer):
    received_at = DateTimeField()
    findings = FindingIn(many=True)
    note = serializers.CharField(
        max_length=1000, required=False, allow_blank=True, default="", help_text="调查情况（线下调查未发现财产时必填）"
    )


def _feedback(user: User, search: AssetSearch, data: dict) -> list[Asset]:
    return asset_services.search_record_feedback(
        actor=user, search=search, received_at=data["received_at"],
        findings=[asset_services.FindingInput(**f) for f in data["findings"]], note=data["note"],
    )


class SearchFeedbackApi(ApiView):
    @extend_schema(operation_id="asset_searches_feedback", request=FeedbackIn, responses={201: AssetOut(many=True), **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, search_id: int) -> Response:
        search = case_part_get(request.user, AssetSearch, search_id)
        data = FeedbackIn(data=request.data)
        data.is_valid(raise_exception=True)
        assets = _feedback(request.user, search, data.validated_data)
        return Response(AssetOut(assets, many=True).data, status=status.HTTP_201_CREATED)


class FeedbackBulkItemIn(FeedbackIn):
    """One item of the bulk feedback, for the schema: the view looks the search up
    itself (404 for that item when it is not visible) and validates the rest as
    FeedbackIn."""

    search = serializers.IntegerField()


class FeedbackBulkCreatedOut(serializers.Serializer):
    index = serializers.IntegerField(help_text="该条在提交列表中的位置（从 0 起）")
    key = serializers.IntegerField(allow_null=True, help_text="该条提交的 search（原样）")
    result = serializers.ChoiceField(choices=BULK_RESULTS)
    search = serializers.IntegerField()
    assets = serializers.ListField(child=serializers.IntegerField(), help_text="据此反馈新建的财产")


class FeedbackBulkFailedOut(serializers.Serializer):
    index = serializers.IntegerField(help_text="该条在提交列表中的位置（从 0 起）")
    key = serializers.IntegerField(allow_null=True, help_text="该条提交的 search（原样）")
    result = serializers.ChoiceField(choices=BULK_RESULTS)
    status = serializers.IntegerField(help_text="该条单独提交时会得到的 HTTP 状态码（内部错误为 500 internal_error）")
    error = ErrorSerializer()


class FeedbackBulkOut(serializers.Serializer):
    created = serializers.IntegerField()
    failed = serializers.IntegerField()
    results = PolymorphicProxySerializer(
        component_name="FeedbackBulkResult",
        serializers={"created": FeedbackBulkCreatedOut, "error": FeedbackBulkFailedOut},
        resource_type_field_name="result",
        many=True,
    )


class SearchFeedbackBulkApi(ApiView):
    class BulkIn(serializers.Serializer):
        # Each item is validated on its own so that a bad one fails alone.
        feedback = serializers.ListField(child=serializers.DictField(), allow_empty=False)

    @extend_schema(
        operation_id="asset_searches_feedback_bulk",
        request=inline_serializer(
            name="SearchFeedbackBulkInput",
            fields={
                "feedback": serializers.ListField(
                    child=FeedbackBulkItemIn(),
                    min_length=1,
                    max_length=settings.ENFORCEMENT_BULK_MAX,
                    help_text=f"一次最多 {settings.ENFORCEMENT_BULK_MAX} 条。",
                )
            },
        ),
        responses={200: FeedbackBulkOut, **WRITE_ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        data = self.BulkIn(data=request.data)
        data.is_valid(raise_exception=True)
        items = data.validated_data["feedback"]
        if len(items) > settings.ENFORCEMENT_BULK_MAX:
            raise ValidationFailed.for_field("feedback", _("一次最多提交 %(n)s 条。") % {"n": settings.ENFORCEMENT_BULK_MAX})

        inputs = _bulk_feedback_inputs(request.user, items)
        answers = searches_record_feedback_many(actor=request.user, items=inputs)
        return Response(
            bulk_answer(
                items,
                answers,
                lambda item, assets: {"search": _search_id(item.get("search")), "assets": [a.pk for a in assets]},
                key=lambda item: item.get("search"),
            )
        )


def _search_id(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _bulk_feedback_inputs(user: User, items: list[dict]) -> list[FeedbackItem | Exception]:
    """Each item read as ``POST /asset-searches/{id}/feedback/`` reads it: the search
    first (404 outside the user's courts; all of them looked up at once), then the
    body (one ``FeedbackIn`` for every item)."""
    visible = searches_visible(user, [pk for pk in (_search_id(item.get("search")) for item in items) if pk is not None])
    serializer = FeedbackIn()
    inputs: list[FeedbackItem | Exception] = []
    for item in items:
        pk = _search_id(item.get("search"))
        if pk is None or pk not in visible:
            inputs.append(NotFound())
            continue
        try:
            data = serializer.run_validation(item)
        except Exception as exc:  # every item answers, whatever it raised
            inputs.append(exc)
            continue
        inputs.append(
            FeedbackItem(
                search=pk,
                received_at=data["received_at"],
                findings=[asset_services.FindingInput(**f) for f in data["findings"]],
                note=data["note"],
            )
        )
    return inputs
