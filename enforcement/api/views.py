"""REST endpoints of enforcement (API.md "Cases", "Asset search and control",
"Closure"). One view per operation; state changes are POST actions."""

from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import ApiView
from core.api.bulk import bulk_run
from core.api.fields import DateField, DateTimeField, MoneyField
from core.api.pagination import DefaultPagination
from core.api.schema import ERROR_RESPONSES, WRITE_ERROR_RESPONSES
from core.exceptions import NotFound, ValidationFailed
from core.models import Deadline, User
from core.models.clocks import RUNNING
from core.selectors import court_scope_q, visible_courts
from enforcement.api import serializers as out
from enforcement.models import (
    Approval,
    ApprovalStatus,
    Asset,
    AssetCategory,
    AssetSearch,
    Case,
    ClosureType,
    ControlKind,
    ControlMeasure,
    CreditKind,
    CreditMeasure,
    Disposal,
    PartyKind,
    PriceMethod,
    PropertyClue,
    SearchChannel,
    SelfDisposal,
    Track,
)
from enforcement.selectors import (
    case_get,
    case_get_detail,
    cases_search,
    cases_visible_to,
    enabled_categories,
)
from enforcement.services import assets as asset_services
from enforcement.services import cases as case_services
from enforcement.services import closure as closure_services


def scoped_get(model, user: User, pk: Any):
    """A case's sub-object, found only inside the user's courts (else 404)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    obj = model.objects.filter(court_scope_q(user, field="case__court"), pk=pk).select_related("case").first()
    if obj is None:
        raise NotFound()
    return obj


# --- input serializers ----------------------------------------------------------------


class PayoutAccountIn(serializers.Serializer):
    bank = serializers.CharField(max_length=100)
    account_number = serializers.CharField(max_length=40)
    holder = serializers.CharField(max_length=100)


class PartyIn(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=PartyKind.choices)
    id_number = serializers.CharField(max_length=40)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    payout_account = PayoutAccountIn(required=False, allow_null=True, default=None)


class CaseIn(serializers.Serializer):
    case_number = serializers.CharField(max_length=64)
    court = serializers.CharField(max_length=16)
    filed_on = DateField()
    received_at = DateTimeField()
    claim_amount = MoneyField()
    costs = MoneyField(required=False, positive=False, default=None)
    basis_document = serializers.CharField(max_length=200)
    track = serializers.ChoiceField(choices=Track.choices, required=False, default=Track.SIMPLE)
    handler = serializers.CharField(max_length=150, required=False, allow_null=True, default=None)
    team = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    applicants = PartyIn(many=True, allow_empty=False)
    respondents = PartyIn(many=True, allow_empty=False)


def _party_input(data: dict) -> case_services.PartyInput:
    account = data.get("payout_account")
    return case_services.PartyInput(
        name=data["name"],
        kind=data["kind"],
        id_number=data["id_number"],
        phone=data.get("phone") or "",
        payout_account=case_services.PayoutAccountInput(**account) if account else None,
    )


def _case_input(user: User, data: dict) -> case_services.CaseInput:
    court = visible_courts(user).filter(code=data["court"]).first()
    if court is None:
        raise ValidationFailed.for_field("court", _("法院 %(c)s 不存在或不在您的范围内。") % {"c": data["court"]})
    handler = None
    if data.get("handler"):
        handler = User.objects.filter(
            username=data["handler"], memberships__court=court, memberships__revoked_at__isnull=True
        ).first()
        if handler is None:
            raise ValidationFailed.for_field("handler", _("承办人必须是本院人员。"))
    return case_services.CaseInput(
        case_number=data["case_number"],
        court=court,
        filed_on=data["filed_on"],
        received_at=data["received_at"],
        claim_amount=data["claim_amount"],
        costs=data["costs"] if data.get("costs") is not None else 0,
        basis_document=data["basis_document"],
        track=data["track"],
        handler=handler,
        team=data.get("team") or "",
        applicants=[_party_input(p) for p in data["applicants"]],
        respondents=[_party_input(p) for p in data["respondents"]],
    )


def case_detail_response(user: User, case: Case, *, status_code: int = 200) -> Response:
    return Response(out.CaseOut(case_get_detail(user, case.pk)).data, status=status_code)


# --- cases -----------------------------------------------------------------------------


class CaseListCreateApi(ApiView):
    class FilterSerializer(serializers.Serializer):
        court = serializers.CharField(required=False)
        status = serializers.ChoiceField(choices=["received", "executing", "suspended", "closed"], required=False)
        overdue = serializers.BooleanField(required=False, allow_null=True, default=None)
        track = serializers.ChoiceField(choices=Track.choices, required=False)
        handler = serializers.CharField(required=False)
        q = serializers.CharField(required=False, allow_blank=True)

    @staticmethod
    def overdue_q(now) -> Exists:
        return Exists(
            Deadline.objects.filter(RUNNING, case=OuterRef("pk"), due_at__lt=now, paused_at__isnull=True)
        )

    @classmethod
    def filtered(cls, user: User, params: dict) -> QuerySet[Case]:
        qs = cases_visible_to(user).annotate(overdue=cls.overdue_q(timezone.now()))
        if params.get("court"):
            qs = qs.filter(court__code=params["court"])
        if params.get("status"):
            qs = qs.filter(status=params["status"])
        if params.get("track"):
            qs = qs.filter(track=params["track"])
        if params.get("handler"):
            qs = qs.filter(handler__username=params["handler"])
        if params.get("overdue") is not None:
            qs = qs.filter(overdue=params["overdue"])
        if params.get("q"):
            qs = cases_search(qs, params["q"])
        return qs.order_by("-received_at", "-id")

    @extend_schema(
        operation_id="cases_list",
        parameters=[FilterSerializer],
        responses={200: out.CaseListOut(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        params = self.FilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(self.filtered(request.user, params.validated_data), request, view=self)
        return paginator.get_paginated_response(out.CaseListOut(page, many=True).data)

    @extend_schema(
        operation_id="cases_create",
        request=CaseIn,
        responses={201: out.CaseOut, **WRITE_ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        data = CaseIn(data=request.data)
        data.is_valid(raise_exception=True)
        case = case_services.case_register(actor=request.user, data=_case_input(request.user, data.validated_data))
        return case_detail_response(request.user, case, status_code=status.HTTP_201_CREATED)


class CaseBulkApi(ApiView):
    """Up to 1,000 cases at once, each with its own result (created, or an error in
    the contract's shape). Items are independent: one bad item changes nothing of
    the others. Idempotent per case number: an existing number reports 409."""

    class BulkIn(serializers.Serializer):
        # Each item is validated on its own (as CaseIn) so that a bad one fails alone.
        cases = serializers.ListField(child=serializers.DictField(), allow_empty=False)

    @extend_schema(
        operation_id="cases_bulk_create",
        request=inline_serializer(
            name="CaseBulkInput",
            fields={
                "cases": CaseIn(
                    many=True,
                    allow_empty=False,
                    help_text=f"每项与 POST /cases/ 的请求体相同；一次最多 {settings.ENFORCEMENT_BULK_MAX} 件。",
                )
            },
        ),
        responses={200: out.CaseBulkOut, **WRITE_ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        data = self.BulkIn(data=request.data)
        data.is_valid(raise_exception=True)
        items = data.validated_data["cases"]
        if len(items) > settings.ENFORCEMENT_BULK_MAX:
            raise ValidationFailed.for_field(
                "cases", _("一次最多提交 %(n)s 件。") % {"n": settings.ENFORCEMENT_BULK_MAX}
            )

        def create(item):
            parsed = CaseIn(data=item)
            parsed.is_valid(raise_exception=True)
            case = case_services.case_register(actor=request.user, data=_case_input(request.user, parsed.validated_data))
            return {"id": case.pk, "case_number": case.case_number, "status": case.status}

        return Response(bulk_run(items, create, key=lambda item: item.get("case_number")))


class CaseDetailApi(ApiView):
    @extend_schema(operation_id="cases_retrieve", responses={200: out.CaseOut, **ERROR_RESPONSES})
    def get(self, request: Request, case_id: int) -> Response:
        return Response(out.CaseOut(case_get_detail(request.user, case_id)).data)


class CaseActionApi(ApiView):
    """Base for ``POST /cases/{id}/<action>/``: validate, call the service, answer
    with the case."""

    input_serializer: type[serializers.Serializer]

    def perform(self, user: User, case: Case, data: dict) -> Any:
        raise NotImplementedError

    def post(self, request: Request, case_id: int) -> Response:
        case = case_get(request.user, case_id)
        data = self.input_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = self.perform(request.user, case, data.validated_data)
        if isinstance(result, Response):
            return result
        return case_detail_response(request.user, case)


def action_schema(operation_id: str, request, response=out.CaseOut):
    return extend_schema(operation_id=operation_id, request=request, responses={200: response, **WRITE_ERROR_RESPONSES})


class AtIn(serializers.Serializer):
    at = DateTimeField(required=False, default=None)


def _at(data: dict):
    return data.get("at") or timezone.now()


class CaseNoticeApi(CaseActionApi):
    class InputSerializer(serializers.Serializer):
        served_at = DateTimeField()

    input_serializer = InputSerializer

    @action_schema("cases_serve_notice", InputSerializer)
    def post(self, request, case_id):
        return super().post(request, case_id)

    def perform(self, user, case, data):
        case_services.case_serve_notice(actor=user, case=case, served_at=data["served_at"])


class CaseInterviewApi(CaseActionApi):
    class InputSerializer(AtIn):
        note = serializers.CharField(max_length=1000)

    input_serializer = InputSerializer

    @action_schema("cases_interview", InputSerializer)
    def post(self, request, case_id):
        return super().post(request, case_id)

    def perform(self, user, case, data):
        case_services.case_record_interview(actor=user, case=case, at=_at(data), note=data["note"])


class CaseSuspendApi(CaseActionApi):
    class InputSerializer(AtIn):
        reason = serializers.CharField(max_length=500)

    input_serializer = InputSerializer

    @action_schema("cases_suspend", InputSerializer)
    def post(self, request, case_id):
        return super().post(request, case_id)

    def perform(self, user, case, data):
        case_services.case_suspend(actor=user, case=case, at=_at(data), reason=data["reason"])


class CaseResumeApi(CaseActionApi):
    input_serializer = AtIn

    @action_schema("cases_resume", AtIn)
    def post(self, request, case_id):
        return super().post(request, case_id)

    def perform(self, user, case, data):
        case_services.case_resume(actor=user, case=case, at=_at(data))


class CaseTrackApi(CaseActionApi):
    class InputSerializer(serializers.Serializer):
        track = serializers.ChoiceField(choices=Track.choices)
        reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    input_serializer = InputSerializer

    @action_schema("cases_set_track", InputSerializer)
    def post(self, request, case_id):
        return super().post(request, case_id)

    def perform(self, user, case, data):
        case_services.case_set_track(actor=user, case=case, track=data["track"], reason=data["reason"])


class CaseFulfilmentApi(CaseActionApi):
    class InputSerializer(AtIn):
        note = serializers.CharField(max_length=500)

    input_serializer = InputSerializer

    @action_schema("cases_record_fulfilment", InputSerializer)
    def post(self, request, case_id):
        return super().post(request, case_id)

    def perform(self, user, case, data):
        case_services.case_record_fulfilment(actor=user, case=case, at=_at(data), note=data["note"])


class CaseCloseApi(CaseActionApi):
    class InputSerializer(serializers.Serializer):
        closure = serializers.ChoiceField(choices=ClosureType.choices)
        closed_at = DateTimeField(required=False, default=None)
        document = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    input_serializer = InputSerializer

    @extend_schema(
        operation_id="cases_close",
        request=InputSerializer,
        description="200 with the closed case; 202 with the approval request when a 终本 needs the bureau "
        "head's approval; 422 `closure_conditions_unmet` with `extra.unmet`.",
        responses={200: out.CaseOut, 202: out.ApprovalOut, **WRITE_ERROR_RESPONSES},
    )
    def post(self, request, case_id):
        return super().post(request, case_id)

    def perform(self, user, case, data):
        result = closure_services.case_close(
            actor=user,
            case=case,
            closure=data["closure"],
            closed_at=data["closed_at"] or timezone.now(),
            document=data["document"],
        )
        if isinstance(result, Approval):
            return Response(out.ApprovalOut(result).data, status=status.HTTP_202_ACCEPTED)
        return None


class CaseRestoreApi(CaseActionApi):
    class InputSerializer(serializers.Serializer):
        case_number = serializers.CharField(max_length=64)
        received_at = DateTimeField()
        reason = serializers.CharField(max_length=500)

    input_serializer = InputSerializer

    @extend_schema(operation_id="cases_restore", request=InputSerializer, responses={201: out.CaseOut, **WRITE_ERROR_RESPONSES})
    def post(self, request, case_id):
        return super().post(request, case_id)

    def perform(self, user, case, data):
        restored = closure_services.case_restore(
            actor=user, case=case, new_case_number=data["case_number"], received_at=data["received_at"], reason=data["reason"]
        )
        return case_detail_response(user, restored, status_code=status.HTTP_201_CREATED)


# --- searches and assets ------------------------------------------------------------------


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
        courts = visible_courts(request.user)
        code = request.query_params.get("court")
        court = courts.filter(code=code).first() if code else courts.first()
        enabled = {c.pk for c in enabled_categories(court)} if court else set()
        rows = [
            {"code": c.code, "name": c.name, "online": c.online, "needs_disposal": c.needs_disposal, "enabled": c.pk in enabled}
            for c in AssetCategory.objects.order_by("sort", "code")
        ]
        return Response(self.OutputSerializer(rows, many=True).data)


class SearchLaunchApi(ApiView):
    class InputSerializer(serializers.Serializer):
        channel = serializers.ChoiceField(choices=SearchChannel.choices)
        categories = serializers.ListField(child=serializers.CharField(max_length=30), required=False, allow_null=True, default=None)
        launched_at = DateTimeField()

    @extend_schema(operation_id="asset_searches_create", request=InputSerializer, responses={201: out.SearchOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, case_id: int) -> Response:
        case = case_get(request.user, case_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        search = asset_services.search_launch(
            actor=request.user, case=case, channel=data.validated_data["channel"],
            category_codes=data.validated_data["categories"], launched_at=data.validated_data["launched_at"],
        )
        return Response(out.SearchOut(search).data, status=status.HTTP_201_CREATED)


class FindingIn(serializers.Serializer):
    category = serializers.CharField(max_length=30)
    description = serializers.CharField(max_length=500)
    value = MoneyField(required=False, allow_null=True, positive=False, default=None)
    controllable_online = serializers.BooleanField(required=False, default=False)


class FeedbackIn(serializers.Serializer):
    received_at = DateTimeField()
    findings = FindingIn(many=True)


def _feedback(user: User, search: AssetSearch, data: dict) -> list[Asset]:
    return asset_services.search_record_feedback(
        actor=user, search=search, received_at=data["received_at"],
        findings=[asset_services.FindingInput(**f) for f in data["findings"]],
    )


class SearchFeedbackApi(ApiView):
    @extend_schema(operation_id="asset_searches_feedback", request=FeedbackIn, responses={201: out.AssetOut(many=True), **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, search_id: int) -> Response:
        search = scoped_get(AssetSearch, request.user, search_id)
        data = FeedbackIn(data=request.data)
        data.is_valid(raise_exception=True)
        assets = _feedback(request.user, search, data.validated_data)
        return Response(out.AssetOut(assets, many=True).data, status=status.HTTP_201_CREATED)


class FeedbackBulkItemIn(FeedbackIn):
    """One item of the bulk feedback, for the schema: the view looks the search up
    itself (404 for that item when it is not visible) and validates the rest as
    FeedbackIn."""

    search = serializers.IntegerField()


class SearchFeedbackBulkApi(ApiView):
    class BulkIn(serializers.Serializer):
        # Each item is validated on its own so that a bad one fails alone.
        feedback = serializers.ListField(child=serializers.DictField(), allow_empty=False)

    @extend_schema(
        operation_id="asset_searches_feedback_bulk",
        request=inline_serializer(
            name="SearchFeedbackBulkInput",
            fields={
                "feedback": FeedbackBulkItemIn(
                    many=True,
                    allow_empty=False,
                    help_text=f"一次最多 {settings.ENFORCEMENT_BULK_MAX} 条。",
                )
            },
        ),
        responses={200: out.FeedbackBulkOut, **WRITE_ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        data = self.BulkIn(data=request.data)
        data.is_valid(raise_exception=True)
        items = data.validated_data["feedback"]
        if len(items) > settings.ENFORCEMENT_BULK_MAX:
            raise ValidationFailed.for_field("feedback", _("一次最多提交 %(n)s 条。") % {"n": settings.ENFORCEMENT_BULK_MAX})

        def record(item):
            search = scoped_get(AssetSearch, request.user, item.get("search"))
            parsed = FeedbackIn(data=item)
            parsed.is_valid(raise_exception=True)
            assets = _feedback(request.user, search, parsed.validated_data)
            return {"search": search.pk, "assets": [a.pk for a in assets]}

        return Response(bulk_run(items, record, key=lambda item: item.get("search")))


class AssetUncontrollableApi(ApiView):
    class InputSerializer(AtIn):
        reason = serializers.CharField(max_length=500)

    @extend_schema(operation_id="assets_mark_uncontrollable", request=InputSerializer, responses={200: out.AssetOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, asset_id: int) -> Response:
        asset = scoped_get(Asset, request.user, asset_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        asset = asset_services.asset_mark_uncontrollable(actor=request.user, asset=asset, at=_at(data.validated_data), reason=data.validated_data["reason"])
        return Response(out.AssetOut(Asset.objects.select_related("category").get(pk=asset.pk)).data)


class ControlCreateApi(ApiView):
    class InputSerializer(serializers.Serializer):
        asset = serializers.IntegerField()
        kind = serializers.ChoiceField(choices=ControlKind.choices)
        amount = MoneyField(required=False, allow_null=True, default=None)
        effective_at = DateTimeField()
        override_reason = serializers.CharField(max_length=1000, required=False, allow_null=True, allow_blank=True, default=None)
        override_approval = serializers.IntegerField(required=False, allow_null=True, default=None)

    @extend_schema(operation_id="control_measures_create", request=InputSerializer, responses={201: out.ControlMeasureOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, case_id: int) -> Response:
        case = case_get(request.user, case_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        asset = case.assets.filter(pk=v["asset"]).first()
        if asset is None:
            raise ValidationFailed.for_field("asset", _("该财产不属于本案。"))
        approval = None
        if v["override_approval"]:
            approval = case.approvals.filter(pk=v["override_approval"]).first()
            if approval is None:
                raise ValidationFailed.for_field("override_approval", _("审批不存在。"))
        measure = asset_services.control_create(
            actor=request.user, case=case, asset=asset, kind=v["kind"], amount=v["amount"],
            effective_at=v["effective_at"], override_reason=v["override_reason"], override_approval=approval,
        )
        return Response(out.ControlMeasureOut(measure).data, status=status.HTTP_201_CREATED)


class ControlRenewApi(ApiView):
    @extend_schema(operation_id="control_measures_renew", request=AtIn, responses={200: out.ControlMeasureOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, measure_id: int) -> Response:
        measure = scoped_get(ControlMeasure, request.user, measure_id)
        data = AtIn(data=request.data)
        data.is_valid(raise_exception=True)
        measure = asset_services.control_renew(actor=request.user, measure=measure, renewed_at=_at(data.validated_data))
        return Response(out.ControlMeasureOut(measure).data)


class ControlReleaseApi(ApiView):
    class InputSerializer(AtIn):
        reason = serializers.CharField(max_length=500)

    @extend_schema(operation_id="control_measures_release", request=InputSerializer, responses={200: out.ControlMeasureOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, measure_id: int) -> Response:
        measure = scoped_get(ControlMeasure, request.user, measure_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        measure = asset_services.control_release(actor=request.user, measure=measure, at=_at(data.validated_data), reason=data.validated_data["reason"])
        return Response(out.ControlMeasureOut(measure).data)


class ClueCreateApi(ApiView):
    class InputSerializer(serializers.Serializer):
        received_at = DateTimeField()
        description = serializers.CharField(max_length=1000)
        source = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
        specific = serializers.BooleanField(required=False, default=False)
        urgent = serializers.BooleanField(required=False, default=False)

    @extend_schema(operation_id="property_clues_create", request=InputSerializer, responses={201: out.ClueOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, case_id: int) -> Response:
        case = case_get(request.user, case_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        clue = asset_services.clue_receive(actor=request.user, case=case, **data.validated_data)
        return Response(out.ClueOut(clue).data, status=status.HTTP_201_CREATED)


class ClueVerifyApi(ApiView):
    @extend_schema(operation_id="property_clues_start_verification", request=AtIn, responses={200: out.ClueOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, clue_id: int) -> Response:
        clue = scoped_get(PropertyClue, request.user, clue_id)
        data = AtIn(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(out.ClueOut(asset_services.clue_start_verification(actor=request.user, clue=clue, at=_at(data.validated_data))).data)


class ClueConcludeApi(ApiView):
    class InputSerializer(AtIn):
        true = serializers.BooleanField()
        note = serializers.CharField(max_length=1000)

    @extend_schema(operation_id="property_clues_conclude", request=InputSerializer, responses={200: out.ClueOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, clue_id: int) -> Response:
        clue = scoped_get(PropertyClue, request.user, clue_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        return Response(out.ClueOut(asset_services.clue_conclude(actor=request.user, clue=clue, at=_at(v), true=v["true"], note=v["note"])).data)


class DisposalStartApi(ApiView):
    class InputSerializer(AtIn):
        method = serializers.ChoiceField(choices=PriceMethod.choices)

    @extend_schema(operation_id="disposals_create", request=InputSerializer, responses={201: out.DisposalOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, asset_id: int) -> Response:
        asset = scoped_get(Asset, request.user, asset_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        disposal = asset_services.disposal_start(actor=request.user, asset=asset, method=data.validated_data["method"], at=_at(data.validated_data))
        return Response(out.DisposalOut(disposal).data, status=status.HTTP_201_CREATED)


class DisposalFixPriceApi(ApiView):
    class InputSerializer(AtIn):
        price = MoneyField()

    @extend_schema(operation_id="disposals_fix_price", request=InputSerializer, responses={200: out.DisposalOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, disposal_id: int) -> Response:
        disposal = scoped_get(Disposal, request.user, disposal_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = asset_services.disposal_fix_price(actor=request.user, disposal=disposal, price=data.validated_data["price"], at=_at(data.validated_data))
        return Response(out.DisposalOut(d).data)


class DisposalAuctionApi(ApiView):
    class InputSerializer(AtIn):
        platform = serializers.CharField(max_length=50, required=False, default="网络司法拍卖")

    @extend_schema(operation_id="disposals_launch_auction", request=InputSerializer, responses={200: out.DisposalOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, disposal_id: int) -> Response:
        disposal = scoped_get(Disposal, request.user, disposal_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = asset_services.disposal_launch_auction(actor=request.user, disposal=disposal, at=_at(data.validated_data), platform=data.validated_data["platform"])
        return Response(out.DisposalOut(d).data)


class DisposalConcludeApi(ApiView):
    class InputSerializer(AtIn):
        sold = serializers.BooleanField()
        amount = MoneyField(required=False, allow_null=True, default=None)

    @extend_schema(operation_id="disposals_conclude", request=InputSerializer, responses={200: out.DisposalOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, disposal_id: int) -> Response:
        disposal = scoped_get(Disposal, request.user, disposal_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        d = asset_services.disposal_conclude(actor=request.user, disposal=disposal, at=_at(v), sold=v["sold"], amount=v["amount"])
        return Response(out.DisposalOut(d).data)


class SelfDisposalApi(ApiView):
    class InputSerializer(AtIn):
        days = serializers.IntegerField(min_value=1, max_value=3650)

    @extend_schema(operation_id="self_disposals_create", request=InputSerializer, responses={201: out.SelfDisposalOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, asset_id: int) -> Response:
        asset = scoped_get(Asset, request.user, asset_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sd = asset_services.self_disposal_allow(actor=request.user, asset=asset, at=_at(data.validated_data), days=data.validated_data["days"])
        return Response(out.SelfDisposalOut(sd).data, status=status.HTTP_201_CREATED)


class SelfDisposalConcludeApi(ApiView):
    @extend_schema(operation_id="self_disposals_conclude", request=DisposalConcludeApi.InputSerializer, responses={200: out.SelfDisposalStatusOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, self_disposal_id: int) -> Response:
        sd = scoped_get(SelfDisposal, request.user, self_disposal_id)
        data = DisposalConcludeApi.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        sd = asset_services.self_disposal_conclude(actor=request.user, self_disposal=sd, at=_at(v), sold=v["sold"], amount=v["amount"])
        return Response(out.SelfDisposalStatusOut(sd).data)


class CreditIssueApi(ApiView):
    class InputSerializer(serializers.Serializer):
        party = serializers.IntegerField()
        kind = serializers.ChoiceField(choices=CreditKind.choices)
        issued_at = DateTimeField()
        grace_until = DateField(required=False, allow_null=True, default=None)

    @extend_schema(operation_id="credit_measures_create", request=InputSerializer, responses={201: out.CreditMeasureOut(many=True), **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, case_id: int) -> Response:
        case = case_get(request.user, case_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        issued = asset_services.credit_issue(
            actor=request.user, case=case, party_id=v["party"], kind=v["kind"], issued_at=v["issued_at"], grace_until=v["grace_until"]
        )
        return Response(out.CreditMeasureOut(issued, many=True).data, status=status.HTTP_201_CREATED)


class CreditReleaseApi(ApiView):
    class InputSerializer(AtIn):
        reason = serializers.CharField(max_length=500)

    @extend_schema(operation_id="credit_measures_release", request=InputSerializer, responses={200: out.CreditMeasureOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, measure_id: int) -> Response:
        measure = scoped_get(CreditMeasure, request.user, measure_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        m = asset_services.credit_release(actor=request.user, measure=measure, at=_at(data.validated_data), reason=data.validated_data["reason"])
        return Response(out.CreditMeasureOut(m).data)


# --- approvals ----------------------------------------------------------------------------


class ApprovalListApi(ApiView):
    @extend_schema(
        operation_id="approvals_list",
        parameters=[OpenApiParameter("status", str, enum=[s for s, _ in ApprovalStatus.choices])],
        responses={200: out.ApprovalOut(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        qs = (
            Approval.objects.filter(court_scope_q(request.user, field="case__court"))
            .select_related("case", "requested_by", "decided_by")
            .order_by("-requested_at", "-id")
        )
        wanted = request.query_params.get("status")
        if wanted:
            if wanted not in ApprovalStatus.values:
                raise ValidationFailed.for_field("status", _("状态无效。"))
            qs = qs.filter(status=wanted)
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(out.ApprovalOut(page, many=True).data)


class ApprovalRequestApi(ApiView):
    class InputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(choices=["over_seizure", "extension"])
        reason = serializers.CharField(max_length=1000)
        deadline = serializers.IntegerField(required=False, allow_null=True, default=None)
        added = serializers.IntegerField(required=False, min_value=1, max_value=365, allow_null=True, default=None)
        asset = serializers.IntegerField(required=False, allow_null=True, default=None)

    @extend_schema(operation_id="approvals_request", request=InputSerializer, responses={201: out.ApprovalOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, case_id: int) -> Response:
        case = case_get(request.user, case_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        payload: dict[str, Any] = {}
        if v["kind"] == "extension":
            payload = {"deadline": v["deadline"], "added": v["added"]}
        elif v["asset"]:
            payload = {"asset": v["asset"]}
        approval = closure_services.approval_request(actor=request.user, case=case, kind=v["kind"], reason=v["reason"], payload=payload)
        return Response(out.ApprovalOut(approval).data, status=status.HTTP_201_CREATED)


class ApprovalDecideApi(ApiView):
    approve = True

    class InputSerializer(serializers.Serializer):
        note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")

    def post(self, request: Request, approval_id: int) -> Response:
        approval = scoped_get(Approval, request.user, approval_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        approval = closure_services.approval_decide(actor=request.user, approval=approval, approve=self.approve, note=data.validated_data["note"])
        approval = Approval.objects.select_related("case", "requested_by", "decided_by").get(pk=approval.pk)
        return Response(out.ApprovalOut(approval).data)


class ApprovalApproveApi(ApprovalDecideApi):
    approve = True

    @extend_schema(operation_id="approvals_approve", request=ApprovalDecideApi.InputSerializer, responses={200: out.ApprovalOut, **WRITE_ERROR_RESPONSES})
    def post(self, request, approval_id):
        return super().post(request, approval_id)


class ApprovalRejectApi(ApprovalDecideApi):
    approve = False

    @extend_schema(operation_id="approvals_reject", request=ApprovalDecideApi.InputSerializer, responses={200: out.ApprovalOut, **WRITE_ERROR_RESPONSES})
    def post(self, request, approval_id):
        return super().post(request, approval_id)

