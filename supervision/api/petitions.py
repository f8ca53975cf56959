"""REST: 执行信访 petitions (322号 §30). One view per operation; state changes are POST
actions. ID and phone numbers leave the server masked, always."""

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import ApiView
from core.api.clocks import ClockOut
from core.api.fields import DateTimeField
from core.api.pagination import DefaultPagination
from core.api.schema import ERROR_RESPONSES, WRITE_ERROR_RESPONSES
from core.exceptions import ValidationFailed
from core.identity import mask_id, mask_phone
from core.models import User
from core.selectors import visible_courts
from enforcement.selectors import case_get
from supervision.models import (
    FeedbackMethod,
    Petition,
    PetitionChannel,
    PetitionerKind,
    PetitionFinding,
    PetitionStatus,
)
from supervision.policy import petition_receiving_courts
from supervision.selectors.petitions import petition_get_detail, petitions_filtered
from supervision.services import petitions as services

# --- output -----------------------------------------------------------------------------


class PetitionCaseOut(serializers.Serializer):
    id = serializers.IntegerField()
    case_number = serializers.CharField()


class DualcheckFlagOut(serializers.Serializer):
    flagged_at = DateTimeField(source="dualcheck_flagged_at")
    flagged_by = serializers.CharField(source="dualcheck_flagged_by")
    reason = serializers.CharField(source="dualcheck_reason")
    clue = serializers.IntegerField(source="dualcheck_clue_id", allow_null=True)


class PetitionOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(allow_null=True)
    court = serializers.CharField(source="court.code")
    channel = serializers.CharField()
    channel_label = serializers.CharField(source="get_channel_display")
    status = serializers.CharField(help_text="received | registered | concluded | closed")
    status_label = serializers.CharField(source="get_status_display")
    petitioner_name = serializers.CharField()
    petitioner_kind = serializers.CharField()
    petitioner_id_number = serializers.SerializerMethodField()
    petitioner_phone = serializers.SerializerMethodField()
    content = serializers.CharField()
    case = PetitionCaseOut(allow_null=True)
    received_at = DateTimeField()
    received_by = serializers.CharField()
    registered_at = DateTimeField(allow_null=True)
    register_deadline = ClockOut(allow_null=True)
    close_deadline = ClockOut(allow_null=True)
    feedback_deadline = ClockOut(allow_null=True, help_text="反馈期限：办结时起算（322号第30条“及时反馈”，期限由本院设定）")
    concluded_at = DateTimeField(allow_null=True)
    result = serializers.CharField()
    finding = serializers.CharField()
    measures = serializers.CharField()
    fed_back_at = DateTimeField(allow_null=True)
    feedback_method = serializers.CharField()
    feedback_note = serializers.CharField()
    dualcheck = serializers.SerializerMethodField()

    def get_petitioner_id_number(self, obj: Petition) -> str:
        return mask_id(obj.petitioner_id_number)

    def get_petitioner_phone(self, obj: Petition) -> str:
        return mask_phone(obj.petitioner_phone) if obj.petitioner_phone else ""

    @extend_schema_field(DualcheckFlagOut(allow_null=True))
    def get_dualcheck(self, obj: Petition) -> dict | None:
        """转一案双查线索: who flagged it, when and why (null when not flagged)."""
        return DualcheckFlagOut(obj).data if obj.flagged_for_dualcheck else None


# --- helpers ------------------------------------------------------------------------------


def petition_data(user: User, petition: Petition) -> dict:
    return PetitionOut(petition_get_detail(user, petition.pk)).data


# --- views, each with its input ------------------------------------------------------------


class PetitionFilterIn(serializers.Serializer):
    status = serializers.ChoiceField(choices=PetitionStatus.choices, required=False)
    channel = serializers.ChoiceField(choices=PetitionChannel.choices, required=False)
    court = serializers.CharField(required=False, max_length=16)
    case = serializers.IntegerField(required=False, min_value=1)
    overdue = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="录入、办结或反馈期限已超期"
    )
    dualcheck = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="已转一案双查线索"
    )


class PetitionReceiveIn(serializers.Serializer):
    court = serializers.CharField(
        max_length=16,
        required=False,
        allow_null=True,
        default=None,
        help_text="接收法院代字；省略时为您任职的法院",
    )
    channel = serializers.ChoiceField(choices=PetitionChannel.choices)
    petitioner_name = serializers.CharField(max_length=100)
    # A plain string (the service checks it): the same two values as the parties'
    # ``kind`` would otherwise give the schema one enum under two names.
    petitioner_kind = serializers.CharField(
        max_length=14,
        required=False,
        default=PetitionerKind.PERSON,
        help_text="person（自然人，证件为居民身份证）| organization（法人或其他组织，证件为统一社会信用代码）",
    )
    petitioner_id_number = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    petitioner_phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    content = serializers.CharField(max_length=services.TEXT_MAX)
    case = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    received_at = DateTimeField(
        required=False, allow_null=True, default=None, help_text="收到信访材料的时间；省略时为现在"
    )


class PetitionListCreateApi(ApiView):
    @extend_schema(
        operation_id="petitions_list",
        parameters=[PetitionFilterIn],
        responses={200: PetitionOut(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        params = PetitionFilterIn(data=request.query_params)
        params.is_valid(raise_exception=True)
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(
            petitions_filtered(request.user, params.validated_data, now=timezone.now()), request, view=self
        )
        return paginator.get_paginated_response(PetitionOut(page, many=True).data)

    @extend_schema(
        operation_id="petitions_create",
        request=PetitionReceiveIn,
        responses={201: PetitionOut, **WRITE_ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        data = PetitionReceiveIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        if v.get("court"):
            court = visible_courts(request.user).filter(code=v["court"].strip()).first()
            if court is None:
                raise ValidationFailed.for_field(
                    "court", _("法院 %(c)s 不存在或不在您的范围内。") % {"c": v["court"]}
                )
        else:
            courts = petition_receiving_courts(request.user)
            if len(courts) != 1:
                raise ValidationFailed.for_field("court", _("请指定接收法院。"))
            court = courts[0]
        case = case_get(request.user, v["case"]) if v.get("case") else None
        petition = services.petition_receive(
            actor=request.user,
            court=court,
            channel=v["channel"],
            petitioner_name=v["petitioner_name"],
            petitioner_kind=v["petitioner_kind"],
            petitioner_id_number=v["petitioner_id_number"],
            petitioner_phone=v["petitioner_phone"],
            content=v["content"],
            case=case,
            received_at=v.get("received_at"),
        )
        return Response(petition_data(request.user, petition), status=status.HTTP_201_CREATED)


class PetitionDetailApi(ApiView):
    @extend_schema(operation_id="petitions_retrieve", responses={200: PetitionOut, **ERROR_RESPONSES})
    def get(self, request: Request, petition_id: int) -> Response:
        return Response(PetitionOut(petition_get_detail(request.user, petition_id)).data)


class PetitionRegisterApi(ApiView):
    @extend_schema(
        operation_id="petitions_register", request=None, responses={200: PetitionOut, **WRITE_ERROR_RESPONSES}
    )
    def post(self, request: Request, petition_id: int) -> Response:
        petition = petition_get_detail(request.user, petition_id)
        petition = services.petition_register(actor=request.user, petition=petition)
        return Response(petition_data(request.user, petition))


class PetitionConcludeIn(serializers.Serializer):
    result = serializers.CharField(max_length=services.TEXT_MAX)
    finding = serializers.ChoiceField(choices=PetitionFinding.choices, help_text="是否属实")
    measures = serializers.CharField(
        max_length=services.TEXT_MAX, required=False, allow_blank=True, default=""
    )
    concluded_at = DateTimeField(required=False, allow_null=True, default=None)


class PetitionConcludeApi(ApiView):
    @extend_schema(
        operation_id="petitions_conclude",
        request=PetitionConcludeIn,
        responses={200: PetitionOut, **WRITE_ERROR_RESPONSES},
    )
    def post(self, request: Request, petition_id: int) -> Response:
        petition = petition_get_detail(request.user, petition_id)
        data = PetitionConcludeIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        petition = services.petition_conclude(
            actor=request.user,
            petition=petition,
            result=v["result"],
            finding=v["finding"],
            measures=v["measures"],
            concluded_at=v.get("concluded_at"),
        )
        return Response(petition_data(request.user, petition))


class PetitionFeedbackIn(serializers.Serializer):
    method = serializers.ChoiceField(choices=FeedbackMethod.choices)
    note = serializers.CharField(max_length=services.NOTE_MAX, required=False, allow_blank=True, default="")
    fed_back_at = DateTimeField(required=False, allow_null=True, default=None)


class PetitionFeedbackApi(ApiView):
    @extend_schema(
        operation_id="petitions_feedback",
        request=PetitionFeedbackIn,
        responses={200: PetitionOut, **WRITE_ERROR_RESPONSES},
    )
    def post(self, request: Request, petition_id: int) -> Response:
        petition = petition_get_detail(request.user, petition_id)
        data = PetitionFeedbackIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        petition = services.petition_feedback(
            actor=request.user,
            petition=petition,
            method=v["method"],
            note=v["note"],
            fed_back_at=v.get("fed_back_at"),
        )
        return Response(petition_data(request.user, petition))


class PetitionFlagIn(serializers.Serializer):
    reason = serializers.CharField(max_length=services.NOTE_MAX)


class PetitionFlagDualcheckApi(ApiView):
    @extend_schema(
        operation_id="petitions_flag_dualcheck",
        request=PetitionFlagIn,
        responses={200: PetitionOut, **WRITE_ERROR_RESPONSES},
    )
    def post(self, request: Request, petition_id: int) -> Response:
        petition = petition_get_detail(request.user, petition_id)
        data = PetitionFlagIn(data=request.data)
        data.is_valid(raise_exception=True)
        petition = services.petition_flag_dualcheck(
            actor=request.user, petition=petition, reason=data.validated_data["reason"]
        )
        return Response(petition_data(request.user, petition))


urlpatterns = [
    path("petitions/", PetitionListCreateApi.as_view(), name="api-petitions"),
    path("petitions/<int:petition_id>/", PetitionDetailApi.as_view(), name="api-petition-detail"),
    path(
        "petitions/<int:petition_id>/register/", PetitionRegisterApi.as_view(), name="api-petition-register"
    ),
    path(
        "petitions/<int:petition_id>/conclude/", PetitionConcludeApi.as_view(), name="api-petition-conclude"
    ),
    path(
        "petitions/<int:petition_id>/feedback/", PetitionFeedbackApi.as_view(), name="api-petition-feedback"
    ),
    path(
        "petitions/<int:petition_id>/flag-dualcheck/",
        PetitionFlagDualcheckApi.as_view(),
        name="api-petition-flag-dualcheck",
    ),
]
