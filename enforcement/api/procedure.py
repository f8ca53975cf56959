"""REST: the per-party procedure records of the 终本 gate (h/gateproc), each answering with the case.

* ``POST /cases/{id}/services/`` — 执行通知书 / 报告财产令 on a respondent, or the 终本 ruling on any party
  (``method=failed`` records a failed attempt; the ruling's last service closes a ``closing`` case);
* ``POST /cases/{id}/property-reports/`` — a respondent's 财产报告 checked, or its absence recorded;
* ``POST /cases/{id}/applicant-interviews/`` — an applicant interviewed, the opinion recorded.
"""

from rest_framework import serializers

from core.api.fields import DateTimeField
from enforcement.api.base import AtIn, at_or_now
from enforcement.api.case_actions import CaseActionApi, action_schema
from enforcement.models import DocumentServiceMethod, InterviewOpinion, PropertyReportOutcome, ServedDocument
from enforcement.services import procedure


class CaseServiceApi(CaseActionApi):
    class InputSerializer(serializers.Serializer):
        party = serializers.IntegerField()
        document = serializers.ChoiceField(choices=ServedDocument.choices)
        method = serializers.ChoiceField(choices=DocumentServiceMethod.choices)
        served_at = DateTimeField()
        note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    input_serializer = InputSerializer

    @action_schema("cases_record_service", InputSerializer)
    def post(self, request, case_id):
        return super().post(request, case_id)

    def perform(self, user, case, data):
        procedure.document_serve(actor=user, case=case, party_id=data["party"], document=data["document"],
                                 method=data["method"], served_at=data["served_at"], note=data["note"])


class CasePropertyReportApi(CaseActionApi):
    class InputSerializer(AtIn):
        respondent = serializers.IntegerField()
        outcome = serializers.ChoiceField(choices=PropertyReportOutcome.choices)
        received_at = DateTimeField(required=False, default=None)
        check_result = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")

    input_serializer = InputSerializer

    @action_schema("cases_record_property_report", InputSerializer)
    def post(self, request, case_id):
        return super().post(request, case_id)

    def perform(self, user, case, data):
        procedure.property_report_record(actor=user, case=case, respondent_id=data["respondent"], outcome=data["outcome"],
                                         at=at_or_now(data), received_at=data["received_at"],
                                         check_result=data["check_result"])


class CaseApplicantInterviewApi(CaseActionApi):
    class InputSerializer(AtIn):
        applicant = serializers.IntegerField()
        note = serializers.CharField(max_length=1000)
        opinion = serializers.ChoiceField(choices=InterviewOpinion.choices)
        opinion_text = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")

    input_serializer = InputSerializer

    @action_schema("cases_record_applicant_interview", InputSerializer)
    def post(self, request, case_id):
        return super().post(request, case_id)

    def perform(self, user, case, data):
        procedure.applicant_interview_record(actor=user, case=case, applicant_id=data["applicant"], at=at_or_now(data),
                                             note=data["note"], opinion=data["opinion"], opinion_text=data["opinion_text"])
