"""REST: control measures (查封/扣押/冻结) and credit measures (限制消费/失信名单)."""


from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import ApiView
from core.api.fields import DateField, DateTimeField, MoneyField
from core.api.schema import WRITE_ERROR_RESPONSES
from core.exceptions import ValidationFailed
from enforcement.api.base import AtIn, at_or_now
from enforcement.models import ControlKind, ControlMeasure, CreditKind, CreditMeasure
from enforcement.selectors import case_approval_get, case_asset_get, case_get, case_part_get
from enforcement.services import measures as measure_services


class ControlMeasureOut(serializers.Serializer):
    id = serializers.IntegerField()
    asset = serializers.IntegerField(source="asset_id")
    kind = serializers.CharField()
    amount = MoneyField(allow_null=True)
    effective_at = serializers.DateTimeField()
    expires_on = serializers.DateField()
    renewals = serializers.IntegerField()
    status = serializers.CharField()
    override = serializers.IntegerField(source="override_id", allow_null=True)


class ControlCreateApi(ApiView):
    class InputSerializer(serializers.Serializer):
        asset = serializers.IntegerField()
        kind = serializers.ChoiceField(choices=ControlKind.choices)
        amount = MoneyField(required=False, allow_null=True, default=None)
        effective_at = DateTimeField()
        override_reason = serializers.CharField(max_length=1000, required=False, allow_null=True, allow_blank=True, default=None)
        override_approval = serializers.IntegerField(required=False, allow_null=True, default=None)

    @extend_schema(operation_id="control_measures_create", request=InputSerializer, responses={201: ControlMeasureOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, case_id: int) -> Response:
        case = case_get(request.user, case_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        asset = case_asset_get(case, v["asset"])
        if asset is None:
            raise ValidationFailed.for_field("asset", _("该财产不属于本案。"))
        approval = None
        if v["override_approval"]:
            approval = case_approval_get(case, v["override_approval"])
            if approval is None:
                raise ValidationFailed.for_field("override_approval", _("审批不存在。"))
        measure = measure_services.control_create(
            actor=request.user, case=case, asset=asset, kind=v["kind"], amount=v["amount"],
            effective_at=v["effective_at"], override_reason=v["override_reason"], override_approval=approval,
        )
        return Response(ControlMeasureOut(measure).data, status=status.HTTP_201_CREATED)


class ControlRenewApi(ApiView):
    @extend_schema(operation_id="control_measures_renew", request=AtIn, responses={200: ControlMeasureOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, measure_id: int) -> Response:
        measure = case_part_get(request.user, ControlMeasure, measure_id)
        data = AtIn(data=request.data)
        data.is_valid(raise_exception=True)
        measure = measure_services.control_renew(actor=request.user, measure=measure, renewed_at=at_or_now(data.validated_data))
        return Response(ControlMeasureOut(measure).data)


class ControlReleaseApi(ApiView):
    class InputSerializer(AtIn):
        reason = serializers.CharField(max_length=500)

    @extend_schema(operation_id="control_measures_release", request=InputSerializer, responses={200: ControlMeasureOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, measure_id: int) -> Response:
        measure = case_part_get(request.user, ControlMeasure, measure_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        measure = measure_services.control_release(actor=request.user, measure=measure, at=at_or_now(data.validated_data), reason=data.validated_data["reason"])
        return Response(ControlMeasureOut(measure).data)


class CreditMeasureOut(serializers.Serializer):
    id = serializers.IntegerField()
    party = serializers.IntegerField(source="party_id")
    kind = serializers.CharField()
    issued_at = serializers.DateTimeField()
    grace_until = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    released_at = serializers.DateTimeField(allow_null=True)


class CreditIssueApi(ApiView):
    class InputSerializer(serializers.Serializer):
        party = serializers.IntegerField()
        kind = serializers.ChoiceField(choices=CreditKind.choices)
        issued_at = DateTimeField()
        grace_until = DateField(required=False, allow_null=True, default=None)

    @extend_schema(operation_id="credit_measures_create", request=InputSerializer, responses={201: CreditMeasureOut(many=True), **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, case_id: int) -> Response:
        case = case_get(request.user, case_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        issued = measure_services.credit_issue(
            actor=request.user, case=case, party_id=v["party"], kind=v["kind"], issued_at=v["issued_at"], grace_until=v["grace_until"]
        )
        return Response(CreditMeasureOut(issued, many=True).data, status=status.HTTP_201_CREATED)


class CreditReleaseApi(ApiView):
    class InputSerializer(AtIn):
        reason = serializers.CharField(max_length=500)

    @extend_schema(operation_id="credit_measures_release", request=InputSerializer, responses={200: CreditMeasureOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, measure_id: int) -> Response:
        measure = case_part_get(request.user, CreditMeasure, measure_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        m = measure_services.credit_release(actor=request.user, measure=measure, at=at_or_now(data.validated_data), reason=data.validated_data["reason"])
        return Response(CreditMeasureOut(m).data)
