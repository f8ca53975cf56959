"""REST: 补录核实 — clocks stopped by a node entered beyond its tolerance after the
due moment (322号 §12; docs/clock-lifecycle-spec.md §6.2), waiting for a bureau head
or court leader over the court to approve (the clock stops at the declared time) or
reject (it stays stopped at the entry time)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import ApiView
from core.api.fields import DateTimeField
from core.api.pagination import DefaultPagination
from core.api.schema import ERROR_RESPONSES, WRITE_ERROR_RESPONSES
from core.exceptions import ValidationFailed
from core.models import Deadline
from core.selectors import clock_correction_get, clock_corrections_visible_to, court_get_visible
from core.services import clocks


class ClockCorrectionOut(serializers.Serializer):
    id = serializers.IntegerField(help_text="期限 id")
    rule = serializers.CharField(source="rule.code")
    name = serializers.CharField(source="rule.name_zh")
    court = serializers.CharField(source="court.code")
    case = serializers.IntegerField(source="case_id", allow_null=True)
    case_number = serializers.SerializerMethodField()
    subject = serializers.CharField(source="subject_label")
    status = serializers.CharField(help_text="pending_verification（待核实）；核实后 met 或 breached")
    due_at = DateTimeField()
    claimed_at = DateTimeField(help_text="节点申报的发生时间")
    completed_at = DateTimeField(
        allow_null=True, help_text="待核实时为录入时间；核实属实后为申报时间，不属实为录入时间"
    )
    entered_by = serializers.SerializerMethodField(help_text="录入节点的人员或对接系统")
    can_decide = serializers.SerializerMethodField(help_text="当前用户能否核实（执行局长、院领导，且非录入人、非承办人）")

    def get_case_number(self, obj: Deadline) -> str | None:
        return obj.case.case_number if obj.case_id else None  # type: ignore[union-attr]

    def get_entered_by(self, obj: Deadline) -> str:
        return str(obj.completed_by) if obj.completed_by_id else ""

    def get_can_decide(self, obj: Deadline) -> bool:
        request = self.context.get("request")
        return bool(request) and clocks.can_review_backdate(obj, request.user)


class ClockCorrectionListApi(ApiView):
    @extend_schema(
        operation_id="clock_corrections_list",
        summary="待核实的补录节点（本人可见法院）",
        parameters=[OpenApiParameter("court", str, description="法院代码：只看该院及其下级法院")],
        responses={200: ClockCorrectionOut(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        code = (request.query_params.get("court") or "").strip()
        court = court_get_visible(request.user, code) if code else None
        qs = clock_corrections_visible_to(request.user, court=court)
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(ClockCorrectionOut(page, many=True, context={"request": request}).data)


class ClockCorrectionDecideApi(ApiView):
    approve = True

    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=500, allow_blank=True, help_text="核实意见（必填）")

    def post(self, request: Request, deadline_id: int) -> Response:
        deadline = clock_correction_get(request.user, deadline_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reason = data.validated_data["reason"]
        if not reason.strip():
            raise ValidationFailed.for_field("reason", _("请填写核实意见。"))
        service = clocks.clock_backdate_approve if self.approve else clocks.clock_backdate_reject
        service(deadline=deadline, actor=request.user, reason=reason)
        deadline = clock_correction_get(request.user, deadline_id)
        return Response(ClockCorrectionOut(deadline, context={"request": request}).data)


class ClockCorrectionApproveApi(ClockCorrectionDecideApi):
    approve = True

    @extend_schema(
        operation_id="clock_corrections_approve",
        summary="补录核实属实：期限按申报时间停止",
        request=ClockCorrectionDecideApi.InputSerializer,
        responses={200: ClockCorrectionOut, **WRITE_ERROR_RESPONSES},
    )
    def post(self, request: Request, deadline_id: int) -> Response:
        return super().post(request, deadline_id)


class ClockCorrectionRejectApi(ClockCorrectionDecideApi):
    approve = False

    @extend_schema(
        operation_id="clock_corrections_reject",
        summary="补录核实不属实：期限按录入时间停止",
        request=ClockCorrectionDecideApi.InputSerializer,
        responses={200: ClockCorrectionOut, **WRITE_ERROR_RESPONSES},
    )
    def post(self, request: Request, deadline_id: int) -> Response:
        return super().post(request, deadline_id)
