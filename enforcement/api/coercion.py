"""REST: the 强制措施与调查措施 register of a case (issue 15).

* ``GET  cases/<id>/coercion/`` — the register: entries, findings, applications, decisions
* ``POST cases/<id>/coercion/`` — one entry (罚款、拘留、搜查、审计、悬赏、律师调查令、下落不明查找、拒执罪移送)
* ``POST coercion/<entry_id>/outcome/`` — the outcome of a 拒执罪 referral
* ``POST cases/<id>/coercion-findings/`` — a 规避/妨害执行 finding, a 财产报告 default, 下落不明
* ``POST cases/<id>/measure-applications/`` and ``measure-applications/<id>/decide/``
* ``POST cases/<id>/obstruction-decisions/`` — the bureau head's ``obstruction.not_sanctioned``
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import ApiView
from core.api.fields import DateField, DateTimeField, MoneyField
from core.api.schema import ERROR_RESPONSES, WRITE_ERROR_RESPONSES
from enforcement.api.base import AtIn, at_or_now
from enforcement.models import (
    CoercionEntry,
    CoercionKind,
    FindingKind,
    MeasureApplication,
    ReferralOutcome,
    ReferralRoute,
)
from enforcement.models.coercion import APPLICATION_KINDS
from enforcement.selectors import (
    case_get,
    case_part_get,
    coercion_entries_of_case,
    coercion_findings_of_case,
    measure_applications_of_case,
    obstruction_decisions_of_case,
)
from enforcement.services import coercion as coercion_services


class CoercionEntryOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    party = serializers.IntegerField(source="party_id", allow_null=True)
    person_name = serializers.CharField()
    target_kind = serializers.CharField()
    document_number = serializers.CharField()
    decided_at = serializers.DateTimeField()
    amount = MoneyField(allow_null=True)
    start_on = serializers.DateField(allow_null=True)
    end_on = serializers.DateField(allow_null=True)
    note = serializers.CharField()
    route = serializers.CharField(help_text="拒执罪移送：police 移送公安机关 | private 告知自诉")
    outcome = serializers.CharField(help_text="拒执罪移送：pending | filed | not_filed | convicted | acquitted | withdrawn")
    outcome_on = serializers.DateField(allow_null=True)
    outcome_document = serializers.CharField()
    application = serializers.IntegerField(source="application_id", allow_null=True)


class CoercionFindingOut(serializers.Serializer):
    id = serializers.IntegerField()
    party = serializers.IntegerField(source="party_id")
    kind = serializers.CharField()
    found_at = serializers.DateTimeField()
    note = serializers.CharField()


class MeasureApplicationOut(serializers.Serializer):
    id = serializers.IntegerField()
    applicant = serializers.IntegerField(source="applicant_id")
    kind = serializers.CharField()
    applied_at = serializers.DateTimeField()
    note = serializers.CharField()
    status = serializers.CharField(help_text="pending | granted | done | refused")
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_reason = serializers.CharField()


class ObstructionDecisionOut(serializers.Serializer):
    id = serializers.IntegerField()
    party = serializers.IntegerField(source="party_id")
    decided_at = serializers.DateTimeField()
    reason = serializers.CharField()
    decided_by = serializers.CharField()


class RegisterOut(serializers.Serializer):
    entries = CoercionEntryOut(many=True)
    findings = CoercionFindingOut(many=True)
    applications = MeasureApplicationOut(many=True)
    not_sanctioned = ObstructionDecisionOut(many=True)


class CoercionRegisterApi(ApiView):
    class InputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(choices=CoercionKind.choices)
        decided_at = DateTimeField()
        document_number = serializers.CharField(max_length=100, allow_blank=True)
        party = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="被执行人（本案当事人 id）")
        person_name = serializers.CharField(
            max_length=100, required=False, allow_blank=True, default="",
            help_text="其他妨害执行的人，或单位的主要负责人/直接责任人员（拘留单位时必填）",
        )
        # a CharField, not a ChoiceField: the schema keeps the one PartyKind enum component
        target_kind = serializers.CharField(
            max_length=14, required=False, allow_blank=True, default="",
            help_text="未选被执行人时：对象是个人（person）还是单位（organization），罚款上限不同；默认 person",
        )
        amount = MoneyField(required=False, allow_null=True, default=None, help_text="罚款：个人≤100,000；单位 50,000–1,000,000")
        start_on = DateField(required=False, allow_null=True, default=None)
        end_on = DateField(required=False, allow_null=True, default=None, help_text="拘留：起止两日均计入，合计≤15日")
        note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
        route = serializers.ChoiceField(choices=ReferralRoute.choices, required=False, allow_blank=True, default="")
        application = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="已准许的申请 id")

    @extend_schema(operation_id="coercion_register_list", responses={200: RegisterOut, **ERROR_RESPONSES})
    def get(self, request: Request, case_id: int) -> Response:
        case = case_get(request.user, case_id)
        return Response(RegisterOut({
            "entries": coercion_entries_of_case(case),
            "findings": coercion_findings_of_case(case),
            "applications": measure_applications_of_case(case),
            "not_sanctioned": obstruction_decisions_of_case(case),
        }).data)

    @extend_schema(operation_id="coercion_entries_create", request=InputSerializer, responses={201: CoercionEntryOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, case_id: int) -> Response:
        case = case_get(request.user, case_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        entry = coercion_services.coercion_entry_record(
            actor=request.user, case=case, kind=v["kind"], decided_at=v["decided_at"],
            document_number=v["document_number"], party_id=v["party"], person_name=v["person_name"],
            target_kind=v["target_kind"], amount=v["amount"], start_on=v["start_on"], end_on=v["end_on"],
            note=v["note"], route=v["route"], application_id=v["application"],
        )
        return Response(CoercionEntryOut(entry).data, status=status.HTTP_201_CREATED)


class ReferralOutcomeApi(ApiView):
    class InputSerializer(serializers.Serializer):
        outcome = serializers.ChoiceField(choices=[c for c in ReferralOutcome.choices if c[0] != ReferralOutcome.PENDING])
        outcome_on = DateField()
        outcome_document = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")

    @extend_schema(operation_id="coercion_referral_outcome", request=InputSerializer, responses={200: CoercionEntryOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, entry_id: int) -> Response:
        entry = case_part_get(request.user, CoercionEntry, entry_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = coercion_services.referral_outcome_record(actor=request.user, entry=entry, **data.validated_data)
        return Response(CoercionEntryOut(entry).data)


class CoercionFindingCreateApi(ApiView):
    class InputSerializer(serializers.Serializer):
        party = serializers.IntegerField()
        kind = serializers.ChoiceField(choices=FindingKind.choices)
        found_at = DateTimeField()
        note = serializers.CharField(max_length=1000, allow_blank=True)

    @extend_schema(operation_id="coercion_findings_create", request=InputSerializer, responses={201: CoercionFindingOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, case_id: int) -> Response:
        case = case_get(request.user, case_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        finding = coercion_services.coercion_finding_record(
            actor=request.user, case=case, party_id=v["party"], kind=v["kind"], found_at=v["found_at"], note=v["note"]
        )
        return Response(CoercionFindingOut(finding).data, status=status.HTTP_201_CREATED)


class MeasureApplicationCreateApi(ApiView):
    class InputSerializer(serializers.Serializer):
        applicant = serializers.IntegerField()
        kind = serializers.ChoiceField(choices=[(k.value, k.label) for k in APPLICATION_KINDS])
        applied_at = DateTimeField()
        note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")

    @extend_schema(operation_id="measure_applications_create", request=InputSerializer, responses={201: MeasureApplicationOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, case_id: int) -> Response:
        case = case_get(request.user, case_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        application = coercion_services.measure_application_receive(
            actor=request.user, case=case, applicant_id=v["applicant"], kind=v["kind"], applied_at=v["applied_at"],
            note=v["note"],
        )
        return Response(MeasureApplicationOut(application).data, status=status.HTTP_201_CREATED)


class MeasureApplicationDecideApi(ApiView):
    class InputSerializer(AtIn):
        grant = serializers.BooleanField()
        reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")

    @extend_schema(operation_id="measure_applications_decide", request=InputSerializer, responses={200: MeasureApplicationOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, application_id: int) -> Response:
        application = case_part_get(request.user, MeasureApplication, application_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        application = coercion_services.measure_application_decide(
            actor=request.user, application=application, grant=v["grant"], at=at_or_now(v), reason=v["reason"]
        )
        return Response(MeasureApplicationOut(application).data)


class ObstructionDecisionCreateApi(ApiView):
    class InputSerializer(AtIn):
        party = serializers.IntegerField()
        reason = serializers.CharField(max_length=1000, allow_blank=True)

    @extend_schema(operation_id="obstruction_not_sanctioned_create", request=InputSerializer, responses={201: ObstructionDecisionOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, case_id: int) -> Response:
        case = case_get(request.user, case_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        decision = coercion_services.obstruction_not_sanctioned(
            actor=request.user, case=case, party_id=v["party"], at=at_or_now(v), reason=v["reason"]
        )
        return Response(ObstructionDecisionOut(decision).data, status=status.HTTP_201_CREATED)
