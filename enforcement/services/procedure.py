"""Per-party procedure records for the 终本 gate (spec §3 rows #1, #2, #18, #20; h/gateproc).

* ``document_serve`` — 执行通知书 / 报告财产令 on a respondent (终本规定 §1(一)), or the 终本 ruling
  on any party (322号 §24 "并送达当事人"). The case-level ``notice_served_at`` /
  ``property_order_served_at`` stay the *first* successful service: EXECUTION_NOTICE (a case
  clock) stops at the first respondent served with the notice. The ruling's last service
  closes a ``closing`` case (closed_at = that time).
* ``property_report_record`` — each respondent's 财产报告 checked, or its absence recorded.
* ``applicant_interview_record`` — each applicant interviewed, the opinion recorded.
"""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.exceptions import InvalidTransition, ValidationFailed
from core.models import User
from core.services import clocks
from enforcement.events import CaseNode, ProcedureNode
from enforcement.models import (
    ApplicantInterview,
    Case,
    CaseStatus,
    DocumentService,
    DocumentServiceMethod,
    InterviewOpinion,
    Party,
    PartyRole,
    PropertyReport,
    PropertyReportOutcome,
    ServedDocument,
)
from enforcement.selectors import case_get_for_update
from enforcement.services.closure import terminated_close_if_served
from enforcement.services.common import check_time, record_node, require_open, start_if_received


def _party(case: Case, party_id: object, *, role: str | None, field: str) -> Party:
    try:
        pk = int(party_id)  # type: ignore[call-overload]  # the client's value, checked here
    except (TypeError, ValueError):
        pk = 0
    qs = case.parties.filter(pk=pk)
    if role is not None:
        qs = qs.filter(role=role)
    party = qs.first()
    if party is None:
        if role == PartyRole.RESPONDENT:
            message = _("请选择本案的被执行人。")
        elif role == PartyRole.APPLICANT:
            message = _("请选择本案的申请执行人。")
        else:
            message = _("请选择本案的当事人。")
        raise ValidationFailed.for_field(field, message)
    return party


@transaction.atomic
def document_serve(
    *, actor: User, case: Case, party_id: object, document: str, method: str, served_at: dt.datetime, note: str = ""
) -> DocumentService:
    """Record one service (or a failed attempt, ``method=failed`` with the reason in ``note``)."""
    case = case_get_for_update(actor=actor, case=case)
    if document not in ServedDocument.values:
        raise ValidationFailed.for_field("document", _("送达文书无效。"))
    if method not in DocumentServiceMethod.values:
        raise ValidationFailed.for_field("method", _("送达方式无效。"))
    ruling = document == ServedDocument.TERMINATED_RULING
    if ruling:
        if case.status != CaseStatus.CLOSING:
            raise InvalidTransition(_("只有已作出终本裁定、尚在送达中的案件可以登记裁定送达。"),
                                    code="ruling_not_made", extra={"status": case.status})
    else:
        require_open(case)
    check_time(served_at)
    party = _party(case, party_id, role=None if ruling else PartyRole.RESPONDENT, field="party")
    earliest = case.terminated_ruling_at if ruling else case.received_at
    if earliest is not None and served_at < earliest:
        message = _("送达时间早于终本裁定作出时间。") if ruling else _("送达时间早于收案时间。")
        raise ValidationFailed.for_field("served_at", message)
    if method == DocumentServiceMethod.FAILED and not note.strip():
        raise ValidationFailed.for_field("note", _("送达未成功的，请说明原因。"))
    if method != DocumentServiceMethod.FAILED and case.services.filter(party=party, document=document).exclude(
        method=DocumentServiceMethod.FAILED
    ).exists():
        raise InvalidTransition(
            _("%(doc)s已送达%(party)s。") % {"doc": ServedDocument(document).label, "party": party.name},
            code="already_served", extra={"party": party.pk, "document": document},
        )
    service = DocumentService.objects.create(
        case=case, party=party, document=document, method=method, served_at=served_at, note=note.strip()[:500],
        recorded_by=actor if actor.is_authenticated else None,
    )
    payload = {"party": party.pk, "party_name": party.name, "document": document, "method": method,
               "note": note.strip()[:500]}
    kind: str
    if ruling:
        kind = ProcedureNode.RULING_SERVED if service.succeeded else ProcedureNode.RULING_SERVICE_FAILED
    else:
        kind = CaseNode.NOTICE_SERVED if service.succeeded else ProcedureNode.DOCUMENT_SERVICE_FAILED
    record_node(case=case, kind=kind, occurred_at=served_at, actor=actor, subject=service, payload=payload)
    if not service.succeeded:
        return service
    if ruling:
        terminated_close_if_served(case, actor=actor)
        return service
    # the case-level timestamps are the first service (EXECUTION_NOTICE stops at the first notice)
    changed = []
    if document == ServedDocument.NOTICE and case.notice_served_at is None:
        case.notice_served_at = served_at
        changed.append("notice_served_at")
        clocks.clocks_stop_for_subject(subject=case, rule_codes=["EXECUTION_NOTICE"], stopped_at=served_at, actor=actor)
    if document == ServedDocument.PROPERTY_ORDER and case.property_order_served_at is None:
        case.property_order_served_at = served_at
        changed.append("property_order_served_at")
    start_if_received(case)
    if changed:
        case.save(update_fields=[*changed, "updated_at"])
    return service


@transaction.atomic
def property_report_record(
    *, actor: User, case: Case, respondent_id: object, outcome: str, at: dt.datetime,
    received_at: dt.datetime | None = None, check_result: str = "",
) -> PropertyReport:
    """财产报告 received and checked (``checked``: when received, 核查结果), or the respondent did not
    report (``missing``: recorded, for the sanctions the coercion rows ask about)."""
    case = case_get_for_update(actor=actor, case=case)
    require_open(case)
    check_time(at)
    respondent = _party(case, respondent_id, role=PartyRole.RESPONDENT, field="respondent")
    if outcome not in PropertyReportOutcome.values:
        raise ValidationFailed.for_field("outcome", _("报告情况无效。"))
    if outcome == PropertyReportOutcome.CHECKED:
        errors: dict[str, list[str]] = {}
        if received_at is None:
            errors["received_at"] = [str(_("请填写收到财产报告的时间。"))]
        elif received_at > at:
            errors["received_at"] = [str(_("收到报告时间不能晚于核查时间。"))]
        if not check_result.strip():
            errors["check_result"] = [str(_("请填写核查结果。"))]
        if errors:
            first = next(iter(errors.values()))[0]
            raise ValidationFailed(first, extra={"fields": errors})
    else:
        received_at = None
    report = PropertyReport.objects.create(
        case=case, respondent=respondent, outcome=outcome, received_at=received_at,
        check_result=check_result.strip()[:1000], recorded_at=at, recorded_by=actor if actor.is_authenticated else None,
    )
    kind = (ProcedureNode.PROPERTY_REPORT_CHECKED if outcome == PropertyReportOutcome.CHECKED
            else ProcedureNode.PROPERTY_REPORT_MISSING)
    record_node(case=case, kind=kind, occurred_at=at, actor=actor, subject=report,
                payload={"respondent": respondent.pk, "received_at": received_at.isoformat() if received_at else None,
                         "check_result": check_result.strip()[:1000]})
    return report


@transaction.atomic
def applicant_interview_record(
    *, actor: User, case: Case, applicant_id: object, at: dt.datetime, note: str, opinion: str, opinion_text: str = ""
) -> ApplicantInterview:
    """约谈申请执行人 (终本规定 §5): told of the case and heard; the opinion (agree / object + text)
    is recorded. An objection does not block 终本 — the approver sees it."""
    case = case_get_for_update(actor=actor, case=case)
    require_open(case)
    check_time(at)
    applicant = _party(case, applicant_id, role=PartyRole.APPLICANT, field="applicant")
    errors: dict[str, list[str]] = {}
    if not note.strip():
        errors["note"] = [str(_("请记录告知内容（案件执行情况、财产调查措施及结果、终本的依据和后果）。"))]
    if opinion not in InterviewOpinion.values:
        errors["opinion"] = [str(_("请选择申请执行人的意见。"))]
    elif opinion == InterviewOpinion.OBJECT and not opinion_text.strip():
        errors["opinion_text"] = [str(_("申请执行人有异议的，请记录其异议内容。"))]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], extra={"fields": errors})
    interview = ApplicantInterview.objects.create(
        case=case, applicant=applicant, at=at, note=note.strip()[:1000], opinion=opinion,
        opinion_text=opinion_text.strip()[:1000], recorded_by=actor if actor.is_authenticated else None,
    )
    if case.applicant_interviewed_at is None:
        case.applicant_interviewed_at = at
        case.save(update_fields=["applicant_interviewed_at", "updated_at"])
    record_node(case=case, kind=CaseNode.APPLICANT_INTERVIEWED, occurred_at=at, actor=actor, subject=interview,
                payload={"applicant": applicant.pk, "note": note.strip()[:1000], "opinion": opinion,
                         "opinion_text": opinion_text.strip()[:1000]})
    return interview
