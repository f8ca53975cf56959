"""REST: approval requests (超标的查封, 期限延长, 终本) and their decisions."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import ApiView
from core.api.fields import DateTimeField, MoneyField
from core.api.pagination import DefaultPagination
from core.api.schema import ERROR_RESPONSES, WRITE_ERROR_RESPONSES
from core.exceptions import ValidationFailed
from enforcement.models import Approval, ApprovalStatus
from enforcement.selectors import approval_get_detail, approvals_visible_to, case_get, case_part_get
from enforcement.services import closure as closure_services


class ApprovalOut(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    case_number = serializers.CharField(source="case.case_number")
    kind = serializers.CharField()
    status = serializers.CharField()
    reason = serializers.CharField()
    payload = serializers.JSONField()
    requested_by = serializers.CharField(source="requested_by.username")
    requested_at = serializers.DateTimeField()
    decided_by = serializers.CharField(source="decided_by.username", allow_null=True, default=None)
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_note = serializers.CharField()


class ApprovalListApi(ApiView):
    @extend_schema(
        operation_id="approvals_list",
        parameters=[OpenApiParameter("status", str, enum=[s for s, _ in ApprovalStatus.choices])],
        responses={200: ApprovalOut(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        wanted = request.query_params.get("status")
        if wanted and wanted not in ApprovalStatus.values:
            raise ValidationFailed.for_field("status", _("状态无效。"))
        qs = approvals_visible_to(request.user, status=wanted or None)
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(ApprovalOut(page, many=True).data)


class ApprovalRequestApi(ApiView):
    class InputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(choices=["over_seizure", "extension", "dishonest_delete"])
        reason = serializers.CharField(max_length=1000)
        deadline = serializers.IntegerField(required=False, allow_null=True, default=None)
        added = serializers.IntegerField(required=False, min_value=1, max_value=365, allow_null=True, default=None)
        # The clock's own unit (months for 审限); another unit is refused (extension_unit_mismatch).
        unit = serializers.ChoiceField(
            choices=["working_days", "calendar_days", "hours", "months"], required=False, allow_null=True, default=None
        )
        asset = serializers.IntegerField(required=False, allow_null=True, default=None)
        # over_seizure: the value the approval covers (none: the asset whatever its value)
        amount = MoneyField(required=False, allow_null=True, default=None)
        # dishonest_delete (申请执行人同意删除失信信息, 失信规定 §10(三)): the respondents, the
        # consent's time and document — what the refused consent's extra.request names
        respondents = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
        consent_at = DateTimeField(required=False, allow_null=True, default=None)
        document = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    @extend_schema(operation_id="approvals_request", request=InputSerializer, responses={201: ApprovalOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, case_id: int) -> Response:
        case = case_get(request.user, case_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        payload: dict[str, Any] = {}
        if v["kind"] == "extension":
            payload = {"deadline": v["deadline"], "added": v["added"], "unit": v["unit"]}
        elif v["kind"] == "dishonest_delete":
            payload = {
                "respondents": v["respondents"], "document": v["document"],
                "at": v["consent_at"].isoformat() if v["consent_at"] else "",
            }
        elif v["asset"]:
            payload = {"asset": v["asset"]}
        if v["kind"] == "over_seizure" and v["amount"] is not None:
            payload["amount"] = str(v["amount"])
        approval = closure_services.approval_request(actor=request.user, case=case, kind=v["kind"], reason=v["reason"], payload=payload)
        return Response(ApprovalOut(approval).data, status=status.HTTP_201_CREATED)


class ApprovalDecideApi(ApiView):
    approve = True

    class InputSerializer(serializers.Serializer):
        note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")

    def post(self, request: Request, approval_id: int) -> Response:
        approval = case_part_get(request.user, Approval, approval_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        approval = closure_services.approval_decide(actor=request.user, approval=approval, approve=self.approve, note=data.validated_data["note"])
        approval = approval_get_detail(approval.pk)
        return Response(ApprovalOut(approval).data)


class ApprovalApproveApi(ApprovalDecideApi):
    approve = True

    @extend_schema(operation_id="approvals_approve", request=ApprovalDecideApi.InputSerializer, responses={200: ApprovalOut, **WRITE_ERROR_RESPONSES})
    def post(self, request, approval_id):
        return super().post(request, approval_id)


class ApprovalRejectApi(ApprovalDecideApi):
    approve = False

    @extend_schema(operation_id="approvals_reject", request=ApprovalDecideApi.InputSerializer, responses={200: ApprovalOut, **WRITE_ERROR_RESPONSES})
    def post(self, request, approval_id):
        return super().post(request, approval_id)
