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
from enforcement.models import ControlKind, ControlMeasure, CreditKind, CreditMeasure, EstimateBasis
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
    # 322号 §15 分割查封 (h/overseize)
    share = serializers.CharField()
    share_value = MoneyField(allow_null=True)
    whole_because_indivisible = serializers.BooleanField()
    registry_refusal = serializers.CharField()
    selection_reason = serializers.CharField()


class ControlCreateApi(ApiView):
    class InputSerializer(serializers.Serializer):
        asset = serializers.IntegerField()
        kind = serializers.ChoiceField(choices=ControlKind.choices)
        amount = MoneyField(required=False, allow_null=True, default=None)
        effective_at = DateTimeField()
        override_reason = serializers.CharField(max_length=1000, required=False, allow_null=True, allow_blank=True, default=None)
        override_approval = serializers.IntegerField(required=False, allow_null=True, default=None)
        # A reasoned estimate of an asset without appraisal / reference price (spec §7.1).
        estimated_value = MoneyField(required=False, allow_null=True, default=None)
        estimate_basis = serializers.ChoiceField(choices=EstimateBasis.choices, required=False, allow_blank=True, default="")
        estimate_note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
        # 分割查封: the part seized and its value, or the whole with the registry's refusal.
        share = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
        share_value = MoneyField(required=False, allow_null=True, default=None)
        whole_because_indivisible = serializers.BooleanField(required=False, default=False)
        registry_refusal = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
        selection_reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")

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
            estimated_value=v["estimated_value"], estimate_basis=v["estimate_basis"], estimate_note=v["estimate_note"],
            share=v["share"], share_value=v["share_value"], whole_because_indivisible=v["whole_because_indivisible"],
            registry_refusal=v["registry_refusal"], selection_reason=v["selection_reason"],
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
