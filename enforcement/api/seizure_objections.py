"""REST: 超标的查封 after the seizure (322号 §15) — release of the excess part, the
分割查封 item's progress, and the 超标的查封异议 with its ruling."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import ApiView
from core.api.fields import DateTimeField, MoneyField
from core.api.schema import ERROR_RESPONSES, WRITE_ERROR_RESPONSES
from enforcement.api.base import AtIn, at_or_now
from enforcement.api.measures import ControlMeasureOut
from enforcement.models import ControlMeasure, ObjectionRuling, SeizureObjection, SplitSeizure
from enforcement.selectors import case_get, case_part_get, case_seizure_objections, case_split_seizures
from enforcement.services import over_seizure as services
from enforcement.services.over_seizure import SPLIT_STEPS


class SeizureObjectionOut(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    measure = serializers.IntegerField(source="measure_id")
    party = serializers.IntegerField(source="party_id")
    filed_at = serializers.DateTimeField()
    grounds = serializers.CharField()
    appraisal_requested = serializers.BooleanField()
    appraisal_value = MoneyField(allow_null=True)
    objection_case_number = serializers.CharField()
    status = serializers.CharField()
    ruling = serializers.CharField()
    ruling_note = serializers.CharField()
    decided_at = serializers.DateTimeField(allow_null=True)


class SplitSeizureOut(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    measure = serializers.IntegerField(source="measure_id")
    opened_at = serializers.DateTimeField()
    applied_at = serializers.DateTimeField(allow_null=True)
    coordinated_at = serializers.DateTimeField(allow_null=True)
    registered_at = serializers.DateTimeField(allow_null=True)
    status = serializers.CharField()
    closed_at = serializers.DateTimeField(allow_null=True)


class SeizureObjectionsOut(serializers.Serializer):
    objections = SeizureObjectionOut(many=True)
    split_seizures = SplitSeizureOut(many=True)


class CaseSeizureObjectionsApi(ApiView):
    @extend_schema(operation_id="seizure_objections_list", responses={200: SeizureObjectionsOut, **ERROR_RESPONSES})
    def get(self, request: Request, case_id: int) -> Response:
        case = case_get(request.user, case_id)
        return Response(SeizureObjectionsOut(
            {"objections": case_seizure_objections(case), "split_seizures": case_split_seizures(case)}
        ).data)


class ObjectionFileApi(ApiView):
    class InputSerializer(serializers.Serializer):
        party = serializers.IntegerField()
        filed_at = DateTimeField()
        grounds = serializers.CharField(max_length=1000)
        appraisal_requested = serializers.BooleanField(required=False, default=False)
        case_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")

    @extend_schema(operation_id="seizure_objections_create", request=InputSerializer,
                   responses={201: SeizureObjectionOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, measure_id: int) -> Response:
        measure = case_part_get(request.user, ControlMeasure, measure_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        objection = services.seizure_objection_file(
            actor=request.user, measure=measure, party_id=v["party"], filed_at=v["filed_at"], grounds=v["grounds"],
            appraisal_requested=v["appraisal_requested"], case_number=v["case_number"],
        )
        return Response(SeizureObjectionOut(objection).data, status=status.HTTP_201_CREATED)


class ObjectionDecideApi(ApiView):
    class InputSerializer(serializers.Serializer):
        ruling = serializers.ChoiceField(choices=ObjectionRuling.choices)
        decided_at = DateTimeField()
        note = serializers.CharField(max_length=1000)
        appraisal_value = MoneyField(required=False, allow_null=True, default=None)
        case_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
        # Upheld: the part that stays seized; the excess is released at once.
        share = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
        share_value = MoneyField(required=False, allow_null=True, default=None)

    @extend_schema(operation_id="seizure_objections_decide", request=InputSerializer,
                   responses={200: SeizureObjectionOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, objection_id: int) -> Response:
        objection = case_part_get(request.user, SeizureObjection, objection_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        objection = services.seizure_objection_decide(
            actor=request.user, objection=objection, ruling=v["ruling"], decided_at=v["decided_at"], note=v["note"],
            appraisal_value=v["appraisal_value"], case_number=v["case_number"], share=v["share"],
            share_value=v["share_value"],
        )
        return Response(SeizureObjectionOut(objection).data)


class ControlReleaseExcessApi(ApiView):
    class InputSerializer(AtIn):
        reason = serializers.CharField(max_length=500)
        share = serializers.CharField(max_length=200)
        share_value = MoneyField()

    @extend_schema(operation_id="control_measures_release_excess", request=InputSerializer,
                   responses={200: ControlMeasureOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, measure_id: int) -> Response:
        measure = case_part_get(request.user, ControlMeasure, measure_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        measure = services.control_release_excess(
            actor=request.user, measure=measure, at=at_or_now(v), reason=v["reason"], share=v["share"],
            share_value=v["share_value"],
        )
        return Response(ControlMeasureOut(measure).data)


class SplitProgressApi(ApiView):
    class InputSerializer(AtIn):
        step = serializers.ChoiceField(choices=[(k, label) for k, (_f, label) in SPLIT_STEPS.items()])

    @extend_schema(operation_id="split_seizures_progress", request=InputSerializer,
                   responses={200: SplitSeizureOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, split_id: int) -> Response:
        split = case_part_get(request.user, SplitSeizure, split_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        split = services.split_seizure_progress(
            actor=request.user, split=split, step=data.validated_data["step"], at=at_or_now(data.validated_data)
        )
        return Response(SplitSeizureOut(split).data)


