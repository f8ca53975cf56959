"""REST: the state changes of a case, one POST action each (``/cases/{id}/<action>/``),
answering with the case (API.md "Cases", "Closure")."""

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import ApiView
from core.api.fields import DateTimeField
from core.api.schema import WRITE_ERROR_RESPONSES
from core.models import User
from enforcement.api.approvals import ApprovalOut
from enforcement.api.base import AtIn, at_or_now
from enforcement.api.cases import CaseOut, case_detail_response
from enforcement.models import Approval, Case, ClosureType, Track
from enforcement.selectors import case_get
from enforcement.services import cases as case_services
from enforcement.services import closure as closure_services


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


def action_schema(operation_id: str, request, response=CaseOut):
    return extend_schema(operation_id=operation_id, request=request, responses={200: response, **WRITE_ERROR_RESPONSES})


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
        case_services.case_record_interview(actor=user, case=case, at=at_or_now(data), note=data["note"])


class CaseSuspendApi(CaseActionApi):
    """中止执行 by a ruling: its number and the 执行局长 who approved it (≠ the caller).
    Missing either → 400 ``suspension_incomplete`` (``extra.missing``, each field's
    message in ``extra.fields``); self-approval → 400 ``maker_checker``; an approver
    who is not the case court's bureau head → 400 ``suspension_approver_invalid``."""

    class InputSerializer(AtIn):
        ruling_number = serializers.CharField(max_length=100, required=False, allow_blank=True, default="",
                                              help_text="中止执行裁定书文号")
        approved_by = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                               max_value=2_147_483_647, help_text="批准中止的执行局长（用户 id）")
        reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="",
                                       help_text="中止事由（可选，如案外人异议）")

    input_serializer = InputSerializer

    @action_schema("cases_suspend", InputSerializer)
    def post(self, request, case_id):
        return super().post(request, case_id)

    def perform(self, user, case, data):
        case_services.case_suspend(
            actor=user, case=case, at=at_or_now(data), ruling_number=data["ruling_number"],
            approved_by=data["approved_by"], reason=data["reason"],
        )


class CaseResumeApi(CaseActionApi):
    input_serializer = AtIn

    @action_schema("cases_resume", AtIn)
    def post(self, request, case_id):
        return super().post(request, case_id)

    def perform(self, user, case, data):
        case_services.case_resume(actor=user, case=case, at=at_or_now(data))


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
        case_services.case_record_fulfilment(actor=user, case=case, at=at_or_now(data), note=data["note"])


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
        responses={200: CaseOut, 202: ApprovalOut, **WRITE_ERROR_RESPONSES},
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
            return Response(ApprovalOut(result).data, status=status.HTTP_202_ACCEPTED)
        return None


class CaseRestoreApi(CaseActionApi):
    class InputSerializer(serializers.Serializer):
        case_number = serializers.CharField(max_length=64)
        received_at = DateTimeField()
        reason = serializers.CharField(max_length=500)

    input_serializer = InputSerializer

    @extend_schema(operation_id="cases_restore", request=InputSerializer, responses={201: CaseOut, **WRITE_ERROR_RESPONSES})
    def post(self, request, case_id):
        return super().post(request, case_id)

    def perform(self, user, case, data):
        restored = closure_services.case_restore(
            actor=user, case=case, new_case_number=data["case_number"], received_at=data["received_at"], reason=data["reason"]
        )
        return case_detail_response(user, restored, status_code=status.HTTP_201_CREATED)
