"""The records rows #1, #2 and #18 of the 终本 gate ask for (h/gateproc), through the services, so
the integrator can compose one whole-gate fixture: ``satisfy_gateproc_gate(case, actor=…, at=…)``."""

import datetime as dt

from enforcement.models import (
    Case,
    DocumentServiceMethod,
    InterviewOpinion,
    PartyRole,
    PropertyReportOutcome,
    ServedDocument,
)
from enforcement.services import procedure


def satisfy_gateproc_gate(case: Case, *, actor, at: dt.datetime) -> None:
    """Serve 执行通知书 and 报告财产令 on every respondent, record each respondent's 财产报告 as
    checked, and interview every applicant (who agrees), all at ``at``."""
    for party in case.parties.order_by("id"):
        if party.role == PartyRole.RESPONDENT:
            for document in (ServedDocument.NOTICE, ServedDocument.PROPERTY_ORDER):
                if not case.services.filter(party=party, document=document).exclude(method=DocumentServiceMethod.FAILED).exists():
                    procedure.document_serve(actor=actor, case=case, party_id=party.pk, document=document,
                                             method=DocumentServiceMethod.DIRECT, served_at=at)
            if not case.property_reports.filter(respondent=party).exists():
                procedure.property_report_record(actor=actor, case=case, respondent_id=party.pk,
                                                 outcome=PropertyReportOutcome.CHECKED, at=at, received_at=at,
                                                 check_result="报告属实，未发现可供执行的财产")
        elif not case.applicant_interviews.filter(applicant=party).exists():
            procedure.applicant_interview_record(actor=actor, case=case, applicant_id=party.pk, at=at,
                                                 note="告知案件执行情况、财产调查结果及终本的依据和后果",
                                                 opinion=InterviewOpinion.AGREE)


def serve_ruling_on_all(case: Case, *, actor, at: dt.datetime) -> None:
    """The 终本 ruling served on every party at ``at`` (the case then closes at ``at``)."""
    for party in case.parties.order_by("id"):
        procedure.document_serve(actor=actor, case=case, party_id=party.pk, document=ServedDocument.TERMINATED_RULING,
                                 method=DocumentServiceMethod.DIRECT, served_at=at)
