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
from core.identity import mask_id
from enforcement.api.base import AtIn, at_or_now
from enforcement.models import (
    ControlKind,
    ControlMeasure,
    CorrectionOutcome,
    CreditKind,
    CreditMeasure,
    EstimateBasis,
    RestrictedPerson,
    RestrictedRole,
    ServiceMethod,
)
from enforcement.selectors import (
    case_approval_get,
    case_asset_get,
    case_get,
    case_part_get,
    restricted_person_get,
)
from enforcement.services import credit as credit_services
from enforcement.services import measures as measure_services
from enforcement.services.credit import RestrictedPersonInput


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


class RestrictedPersonOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    id_number = serializers.SerializerMethodField()
    role = serializers.CharField()
    since = serializers.DateField(allow_null=True)
    until = serializers.DateField(allow_null=True)
    released_at = serializers.DateTimeField(allow_null=True)
    change_record = serializers.CharField()

    def get_id_number(self, obj: RestrictedPerson) -> str:
        return mask_id(obj.id_number)  # masked, like every ID number the API shows


class CreditMeasureOut(serializers.Serializer):
    id = serializers.IntegerField()
    party = serializers.IntegerField(source="party_id")
    kind = serializers.CharField()
    issued_at = serializers.DateTimeField()
    grace_until = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    released_at = serializers.DateTimeField(allow_null=True)
    # h/credit: the decision, its service, 纠正申请, restricted persons
    decision_no = serializers.CharField()
    served_at = serializers.DateTimeField(allow_null=True)
    service_method = serializers.CharField()
    service_recipient = serializers.CharField()
    correction_requested_at = serializers.DateTimeField(allow_null=True)
    correction_decided_at = serializers.DateTimeField(allow_null=True)
    correction_outcome = serializers.CharField()
    release_reason = serializers.CharField()
    restricted_persons = RestrictedPersonOut(many=True, source="restricted_persons.all")


class RestrictedPersonIn(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    id_number = serializers.CharField(max_length=18)
    role = serializers.ChoiceField(choices=RestrictedRole.choices)
    since = DateField(required=False, allow_null=True, default=None)
    until = DateField(required=False, allow_null=True, default=None)


class CreditIssueApi(ApiView):
    class InputSerializer(serializers.Serializer):
        party = serializers.IntegerField()
        kind = serializers.ChoiceField(choices=CreditKind.choices)
        issued_at = DateTimeField()
        grace_until = DateField(required=False, allow_null=True, default=None)
        decision_no = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
        persons = RestrictedPersonIn(many=True, required=False, default=list)

    @extend_schema(operation_id="credit_measures_create", request=InputSerializer, responses={201: CreditMeasureOut(many=True), **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, case_id: int) -> Response:
        case = case_get(request.user, case_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        issued = measure_services.credit_issue(
            actor=request.user, case=case, party_id=v["party"], kind=v["kind"], issued_at=v["issued_at"], grace_until=v["grace_until"],
            decision_no=v["decision_no"], persons=[RestrictedPersonInput(**p) for p in v["persons"]],
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


# --- h/credit: 失信/限消 per respondent (spec §4) -------------------------------------------------


class _CreditMeasureActionApi(ApiView):
    """Base for ``POST /credit-measures/{id}/<action>/``: answers with the measure."""

    InputSerializer: type[serializers.Serializer]

    def perform(self, request: Request, measure: CreditMeasure, v: dict) -> None:
        raise NotImplementedError

    def post(self, request: Request, measure_id: int) -> Response:
        measure = case_part_get(request.user, CreditMeasure, measure_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        self.perform(request, measure, data.validated_data)
        return Response(CreditMeasureOut(CreditMeasure.objects.get(pk=measure.pk)).data)


class CreditServeApi(_CreditMeasureActionApi):
    class InputSerializer(serializers.Serializer):
        served_at = DateTimeField()
        method = serializers.ChoiceField(choices=ServiceMethod.choices)
        recipient = serializers.CharField(max_length=100)

    def perform(self, request: Request, measure: CreditMeasure, v: dict) -> None:
        credit_services.credit_serve(
            actor=request.user, measure=measure, served_at=v["served_at"], method=v["method"], recipient=v["recipient"]
        )

    @extend_schema(operation_id="credit_measures_serve", request=InputSerializer, responses={200: CreditMeasureOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, measure_id: int) -> Response:
        return super().post(request, measure_id)


class CreditCorrectionRequestApi(_CreditMeasureActionApi):
    class InputSerializer(AtIn):
        reason = serializers.CharField(max_length=1000)

    def perform(self, request: Request, measure: CreditMeasure, v: dict) -> None:
        credit_services.credit_correction_request(actor=request.user, measure=measure, at=at_or_now(v), reason=v["reason"])

    @extend_schema(operation_id="credit_measures_correction_request", request=InputSerializer, responses={200: CreditMeasureOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, measure_id: int) -> Response:
        return super().post(request, measure_id)


class CreditCorrectionDecideApi(_CreditMeasureActionApi):
    class InputSerializer(AtIn):
        outcome = serializers.ChoiceField(choices=CorrectionOutcome.choices)
        reasons = serializers.CharField(max_length=1000)

    def perform(self, request: Request, measure: CreditMeasure, v: dict) -> None:
        credit_services.credit_correction_decide(
            actor=request.user, measure=measure, at=at_or_now(v), outcome=v["outcome"], reasons=v["reasons"]
        )

    @extend_schema(operation_id="credit_measures_correction_decide", request=InputSerializer, responses={200: CreditMeasureOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, measure_id: int) -> Response:
        return super().post(request, measure_id)


class CreditUrgentReleaseApi(_CreditMeasureActionApi):
    class InputSerializer(AtIn):
        reason = serializers.CharField(max_length=500)

    def perform(self, request: Request, measure: CreditMeasure, v: dict) -> None:
        credit_services.credit_urgent_release_request(actor=request.user, measure=measure, at=at_or_now(v), reason=v["reason"])

    @extend_schema(operation_id="credit_measures_urgent_release", request=InputSerializer, responses={200: CreditMeasureOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, measure_id: int) -> Response:
        return super().post(request, measure_id)


class CreditPersonAddApi(ApiView):
    @extend_schema(operation_id="credit_measures_persons_create", request=RestrictedPersonIn, responses={201: RestrictedPersonOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, measure_id: int) -> Response:
        measure = case_part_get(request.user, CreditMeasure, measure_id)
        data = RestrictedPersonIn(data=request.data)
        data.is_valid(raise_exception=True)
        person = credit_services.credit_person_add(actor=request.user, measure=measure, person=RestrictedPersonInput(**data.validated_data))
        return Response(RestrictedPersonOut(person).data, status=status.HTTP_201_CREATED)


class CreditPersonReleaseApi(ApiView):
    class InputSerializer(AtIn):
        change_record = serializers.CharField(max_length=500)

    @extend_schema(operation_id="restricted_persons_release", request=InputSerializer, responses={200: RestrictedPersonOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, person_id: int) -> Response:
        person = restricted_person_get(request.user, person_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = credit_services.credit_person_release(
            actor=request.user, person=person, at=at_or_now(data.validated_data), change_record=data.validated_data["change_record"]
        )
        return Response(RestrictedPersonOut(person).data)


class CreditGuaranteeApi(ApiView):
    class InputSerializer(AtIn):
        party = serializers.IntegerField()
        document = serializers.CharField(max_length=200)
        amount = MoneyField(required=False, allow_null=True, default=None)

    @extend_schema(operation_id="credit_guarantee_accept", request=InputSerializer, responses={200: CreditMeasureOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, case_id: int) -> Response:
        case = case_get(request.user, case_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        measure = credit_services.credit_guarantee_accept(
            actor=request.user, case=case, party_id=v["party"], at=at_or_now(v), document=v["document"], amount=v["amount"]
        )
        return Response(CreditMeasureOut(measure).data)


class CreditConsentApi(ApiView):
    class InputSerializer(AtIn):
        parties = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=50)
        document = serializers.CharField(max_length=200)
        delete_dishonest = serializers.BooleanField(required=False, default=False)

    @extend_schema(operation_id="credit_applicant_consent", request=InputSerializer, responses={200: CreditMeasureOut(many=True), **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, case_id: int) -> Response:
        case = case_get(request.user, case_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        measures = credit_services.credit_applicant_consent(
            actor=request.user, case=case, party_ids=v["parties"], at=at_or_now(v), document=v["document"],
            delete_dishonest=v["delete_dishonest"],
        )
        return Response(CreditMeasureOut(measures, many=True).data)


class DishonestNotApplicableOut(serializers.Serializer):
    party = serializers.IntegerField(source="pk")
    name = serializers.CharField()


class DishonestNotApplicableApi(ApiView):
    class InputSerializer(AtIn):
        party = serializers.IntegerField()
        reason = serializers.CharField(max_length=1000)

    @extend_schema(operation_id="credit_dishonest_not_applicable", request=InputSerializer, responses={201: DishonestNotApplicableOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, case_id: int) -> Response:
        case = case_get(request.user, case_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        party = credit_services.credit_dishonest_not_applicable(
            actor=request.user, case=case, party_id=v["party"], at=at_or_now(v), reason=v["reason"]
        )
        return Response(DishonestNotApplicableOut(party).data, status=status.HTTP_201_CREATED)
