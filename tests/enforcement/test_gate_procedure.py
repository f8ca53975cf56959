"""Issue 15 item 9, the procedure half of the 终本 gate (docs/clock-lifecycle-spec.md §3 rows #1, #2,
#17–#20, "Two-step 终本"; tests T11.1, .2, .17–.20). Each row both ways: its code is in ``extra.unmet``
when its record is missing, and not when present (other rows belong to other modules)."""

import datetime as dt
from decimal import Decimal

import pytest

from core.exceptions import InvalidTransition, RuleViolation, ValidationFailed
from core.models import Deadline, NodeEvent
from enforcement.models import (
    Approval,
    Case,
    CaseStatus,
    DocumentServiceMethod,
    InterviewOpinion,
    PartyRole,
    PropertyReportOutcome,
    ServedDocument,
)
from enforcement.services import assets as asset_services
from enforcement.services import cases as case_services
from enforcement.services import closure as closure_services
from enforcement.services import gate, procedure
from enforcement.services.cases import CaseInput, PartyInput, PayoutAccountInput, case_register
from tests.conftest import at
from tests.enforcement.factories import org_code, person_id
from tests.enforcement.gate_gateproc import satisfy_gateproc_gate

pytestmark = pytest.mark.django_db

REQUEST = "2026-04-16 10:00"  # 01-15 + 3 M = 04-15; "已超过三个月" → from 04-16
GATEPROC_ROWS = {1, 2, 17, 18, 19}


def _end(day):
    return at(f"{day} 23:59") + dt.timedelta(seconds=59)


@pytest.fixture
def t11(time_machine, courts, clerk, handler):
    """T11's fixture: filed 2026-01-15; R1 (person), R2 (organisation); one applicant."""
    time_machine.move_to(at("2026-01-15 09:00"), tick=False)
    case = case_register(
        actor=clerk,
        data=CaseInput(
            case_number="(2026)鲁0102执11号", court=courts.lu0102, filed_on=dt.date(2026, 1, 15),
            received_at=at("2026-01-15 09:00"), claim_amount=Decimal("500000.00"),
            basis_document="(2025)鲁0102民初9号民事判决书",
            applicants=[PartyInput("张三", "person", person_id(), "13800000000",
                                   PayoutAccountInput("工商银行", "6222020200112233445", "张三"))],
            respondents=[PartyInput("李四", "person", person_id("37010219800202123")),
                         PartyInput("某某公司", "organization", org_code())],
            handler=handler,
        ),
    )
    time_machine.move_to(at("2026-04-16 12:00"), tick=False)
    return case


def _parties(case):
    applicant = case.parties.get(role=PartyRole.APPLICANT)
    r1, r2 = case.parties.filter(role=PartyRole.RESPONDENT).order_by("id")
    return applicant, r1, r2


def _unmet(case, when=REQUEST, document="(2026)鲁0102执11号之一"):
    return gate.terminated_round_unmet(Case.objects.get(pk=case.pk), at(when), document)


def _codes(unmet):
    return gate.unmet_codes(unmet)


def _serve(case, actor, party, document, when, method=DocumentServiceMethod.DIRECT, note=""):
    return procedure.document_serve(actor=actor, case=case, party_id=party.pk, document=document, method=method,
                                    served_at=at(when), note=note)


# --- #1 执行通知书 and 报告财产令 on each respondent ---------------------------------------------------


def test_t11_1_notice_not_served_on_r2(t11, handler):
    applicant, r1, r2 = _parties(t11)
    for doc in (ServedDocument.NOTICE, ServedDocument.PROPERTY_ORDER):
        _serve(t11, handler, r1, doc, "2026-01-16 10:00")
    _serve(t11, handler, r2, ServedDocument.PROPERTY_ORDER, "2026-01-16 10:00")
    _serve(t11, handler, r2, ServedDocument.NOTICE, "2026-01-17 10:00", method=DocumentServiceMethod.FAILED, note="查无此单位")
    unmet = _unmet(t11)
    assert "notice_not_served" in _codes(unmet)
    details = [u for u in unmet if u["code"] == "notice_not_served"]
    assert [d["respondent"] for d in details] == [r2.pk]  # R1 is served; a failed attempt does not count
    assert "某某公司" in details[0]["message"] and "执行通知书" in details[0]["message"]
    assert "报告财产令" not in details[0]["message"]
    # the case-level timestamps are the first service; EXECUTION_NOTICE stopped at R1's notice
    t11.refresh_from_db()
    assert t11.notice_served_at == at("2026-01-16 10:00")
    notice_clock = Deadline.objects.get(case=t11, rule__code="EXECUTION_NOTICE")
    assert notice_clock.completed_at == at("2026-01-16 10:00")
    _serve(t11, handler, r2, ServedDocument.NOTICE, "2026-01-20 10:00", method=DocumentServiceMethod.PUBLIC_NOTICE)
    assert "notice_not_served" not in _codes(_unmet(t11))
    t11.refresh_from_db()
    assert t11.notice_served_at == at("2026-01-16 10:00")  # unchanged by later services
    assert NodeEvent.objects.filter(case=t11, kind="case.notice_served").count() == 4


def test_service_refusals_change_nothing(t11, handler):
    applicant, r1, r2 = _parties(t11)
    with pytest.raises(ValidationFailed) as exc:  # the notice is for respondents
        _serve(t11, handler, applicant, ServedDocument.NOTICE, "2026-01-16 10:00")
    assert "party" in exc.value.extra["fields"]
    with pytest.raises(ValidationFailed) as exc:
        _serve(t11, handler, r1, ServedDocument.NOTICE, "2026-01-16 10:00", method=DocumentServiceMethod.FAILED)
    assert "note" in exc.value.extra["fields"]
    with pytest.raises(InvalidTransition) as exc:  # the ruling before it is made
        _serve(t11, handler, r1, ServedDocument.TERMINATED_RULING, "2026-04-16 10:00")
    assert exc.value.code == "ruling_not_made"
    _serve(t11, handler, r1, ServedDocument.NOTICE, "2026-01-16 10:00")
    with pytest.raises(InvalidTransition) as exc:
        _serve(t11, handler, r1, ServedDocument.NOTICE, "2026-01-18 10:00")
    assert exc.value.code == "already_served"
    assert t11.services.count() == 1


# --- #2 each respondent's 财产报告 ------------------------------------------------------------------


def test_t11_2_r1_report_unchecked(t11, handler):
    applicant, r1, r2 = _parties(t11)
    procedure.property_report_record(actor=handler, case=t11, respondent_id=r2.pk, outcome=PropertyReportOutcome.CHECKED,
                                     at=at("2026-02-10 10:00"), received_at=at("2026-02-01 10:00"), check_result="属实")
    unmet = _unmet(t11)
    assert [u["respondent"] for u in unmet if u["code"] == "property_report_unchecked"] == [r1.pk]
    # the absence of a report, recorded, satisfies the row (the sanction is row #3's)
    procedure.property_report_record(actor=handler, case=t11, respondent_id=r1.pk, outcome=PropertyReportOutcome.MISSING,
                                     at=at("2026-02-10 10:00"))
    assert "property_report_unchecked" not in _codes(_unmet(t11))
    assert NodeEvent.objects.filter(case=t11, kind="property_report.missing").count() == 1
    assert NodeEvent.objects.filter(case=t11, kind="property_report.checked").count() == 1


def test_a_checked_report_needs_its_date_and_result(t11, handler):
    applicant, r1, r2 = _parties(t11)
    with pytest.raises(ValidationFailed) as exc:
        procedure.property_report_record(actor=handler, case=t11, respondent_id=r1.pk,
                                         outcome=PropertyReportOutcome.CHECKED, at=at("2026-02-10 10:00"))
    assert set(exc.value.extra["fields"]) == {"received_at", "check_result"}  # both at once
    with pytest.raises(ValidationFailed) as exc:  # an applicant has no 财产报告
        procedure.property_report_record(actor=handler, case=t11, respondent_id=applicant.pk,
                                         outcome=PropertyReportOutcome.MISSING, at=at("2026-02-10 10:00"))
    assert "respondent" in exc.value.extra["fields"]
    assert not t11.property_reports.exists()


# --- #18 each applicant interviewed, the opinion recorded -----------------------------------------


def test_t11_18_interview_without_the_applicants_opinion(t11, handler):
    applicant, r1, r2 = _parties(t11)
    case_services.case_record_interview(actor=handler, case=t11, at=at("2026-04-10 10:00"), note="告知财产调查结果")
    unmet = _unmet(t11)
    assert [u["applicant"] for u in unmet if u["code"] == "applicant_not_interviewed"] == [applicant.pk]
    with pytest.raises(ValidationFailed) as exc:  # an objection needs its text
        procedure.applicant_interview_record(actor=handler, case=t11, applicant_id=applicant.pk, at=at("2026-04-10 11:00"),
                                             note="告知终本的依据和后果", opinion=InterviewOpinion.OBJECT)
    assert "opinion_text" in exc.value.extra["fields"]
    procedure.applicant_interview_record(actor=handler, case=t11, applicant_id=applicant.pk, at=at("2026-04-10 11:00"),
                                         note="告知终本的依据和后果", opinion=InterviewOpinion.OBJECT,
                                         opinion_text="被执行人李四仍在经营，不同意终本")
    # an objection does not block
    assert "applicant_not_interviewed" not in _codes(_unmet(t11))
    node = NodeEvent.objects.filter(case=t11, kind="case.applicant_interviewed").order_by("-pk").first()
    assert node.payload["opinion"] == "object" and "不同意" in node.payload["opinion_text"]


# --- #20 and the two-step 终本 ---------------------------------------------------------------------


@pytest.fixture
def only_gateproc_rows(monkeypatch):
    """The flow below is about the two steps: the other modules' rows are theirs to test."""
    monkeypatch.setattr(gate, "CONDITIONS", [c for c in gate.CONDITIONS if c[0] in GATEPROC_ROWS])


def _ready(case, handler):
    search = asset_services.search_launch(actor=handler, case=case, channel="online", category_codes=None,
                                          launched_at=at("2026-01-16 09:00"))
    asset_services.search_record_feedback(actor=handler, search=search, received_at=at("2026-01-19 09:00"), findings=[])
    satisfy_gateproc_gate(case, actor=handler, at=at("2026-01-20 10:00"))


def test_t11_20_two_step_termination(t11, handler, bureau_head, time_machine, only_gateproc_rows):
    applicant, r1, r2 = _parties(t11)
    _ready(t11, handler)
    # T11.17: a request at 04-15 23:00 is within three months (01-15 + 3 M = 04-15); T11.19: no ruling number
    for when, document, code in (("2026-04-15 23:00", "(2026)鲁0102执11号之一", "filed_within_three_months"),
                                 (REQUEST, "  ", "ruling_not_issued")):
        with pytest.raises(RuleViolation) as exc:
            closure_services.case_close(actor=handler, case=t11, closure="terminated_this_round", closed_at=at(when),
                                        document=document)
        assert exc.value.extra["unmet"] == [code]  # only the gateproc rows run here
    # step 1: the handler's request is checked (rows 1–19) and queued
    approval = closure_services.case_close(actor=handler, case=t11, closure="terminated_this_round",
                                           closed_at=at(REQUEST), document="(2026)鲁0102执11号之一")
    assert isinstance(approval, Approval)
    # the bureau head's approval checks again, records the ruling and moves the case to closing
    time_machine.move_to(at("2026-04-17 09:00"), tick=False)
    closure_services.approval_decide(actor=bureau_head, approval=approval, approve=True, note="符合终本条件")
    t11.refresh_from_db()
    assert (t11.status, t11.closure_type, t11.closed_at) == (CaseStatus.CLOSING, "terminated_this_round", None)
    assert t11.terminated_ruling_at == at("2026-04-17 09:00")
    assert NodeEvent.objects.filter(case=t11, kind="case.terminated_ruling").count() == 1
    assert not Deadline.objects.filter(case=t11, rule__code="TERMINATED_RESEARCH").exists()
    # while closing: no new enforcement node (an interview, a search)
    time_machine.move_to(at("2026-04-17 12:00"), tick=False)
    with pytest.raises(InvalidTransition):
        case_services.case_record_interview(actor=handler, case=t11, at=at("2026-04-17 10:00"), note="再次约谈")
    with pytest.raises(InvalidTransition):
        asset_services.search_launch(actor=handler, case=t11, channel="online", category_codes=None,
                                     launched_at=at("2026-04-17 10:00"))
    # the ruling served on the applicant and R1; R2's service fails → still closing, visible
    time_machine.move_to(at("2026-04-24 12:00"), tick=False)
    _serve(t11, handler, applicant, ServedDocument.TERMINATED_RULING, "2026-04-20 10:00")
    _serve(t11, handler, r1, ServedDocument.TERMINATED_RULING, "2026-04-21 10:00", method=DocumentServiceMethod.POSTAL)
    _serve(t11, handler, r2, ServedDocument.TERMINATED_RULING, "2026-04-22 10:00", method=DocumentServiceMethod.FAILED,
           note="地址无人")
    t11.refresh_from_db()
    assert t11.status == CaseStatus.CLOSING
    assert [u.party for u in gate.procedure.ruling_unserved(t11)] == [r2.pk]
    # R2 served 2026-04-24 (Fri) 10:00 → closed then; TERMINATED_RESEARCH from then
    _serve(t11, handler, r2, ServedDocument.TERMINATED_RULING, "2026-04-24 10:00")
    t11.refresh_from_db()
    assert (t11.status, t11.closed_at) == (CaseStatus.CLOSED, at("2026-04-24 10:00"))
    research = Deadline.objects.get(case=t11, rule__code="TERMINATED_RESEARCH")
    assert research.started_at == at("2026-04-24 10:00")
    assert research.due_at == _end("2026-10-26")  # 04-24 + 6 M = 10-24 (Sat) → 10-26
    assert Deadline.objects.get(case=t11, rule__code="CASE_DURATION").completed_at == at("2026-04-24 10:00")


def test_approval_rechecks_the_rows(t11, handler, bureau_head, time_machine, only_gateproc_rows):
    applicant, r1, r2 = _parties(t11)
    _ready(t11, handler)
    approval = closure_services.case_close(actor=handler, case=t11, closure="terminated_this_round",
                                           closed_at=at(REQUEST), document="(2026)鲁0102执11号之一")
    # between request and approval a record the gate needs went missing (here: deleted behind the services' back)
    t11.property_reports.filter(respondent=r2).delete()
    with pytest.raises(RuleViolation) as exc:
        closure_services.approval_decide(actor=bureau_head, approval=approval, approve=True)
    assert "property_report_unchecked" in exc.value.extra["unmet"]
    t11.refresh_from_db()
    assert t11.status != CaseStatus.CLOSING


def test_bureau_head_termination_is_also_two_step(t11, handler, bureau_head, only_gateproc_rows):
    _ready(t11, handler)
    case = closure_services.case_close(actor=bureau_head, case=t11, closure="terminated_this_round",
                                       closed_at=at(REQUEST), document="(2026)鲁0102执11号之一")
    assert (case.status, case.terminated_ruling_at) == (CaseStatus.CLOSING, at(REQUEST))
