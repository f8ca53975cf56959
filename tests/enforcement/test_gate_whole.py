"""The whole 终本 gate (322号 §24; 终本规定 §1, §5; spec §3 and §9 T11) composed from the four
modules that own its rows: a case on which every record is present passes the gate, and taking
away one module's records (or one coercion answer) leaves exactly that module's codes unmet.
The rows themselves are tested both ways in test_credit, test_gate_gateprop, test_coercion and
test_gate_procedure; this proves they compose, and that the two-step 终本 then closes the case
on the ruling's last service.

T11's fixture: filed 2026-01-15; R1 (person), R2 (organisation); the request 2026-04-16 10:00
(三个月 from 01-15 is 04-15, unrolled: #17 holds from 04-16)."""

import datetime as dt
from decimal import Decimal

import pytest

from core.models import Deadline
from enforcement.models import Approval, Case, CaseStatus, PartyRole
from enforcement.services.cases import CaseInput, PartyInput, PayoutAccountInput, case_register
from enforcement.services.closure import approval_decide, case_close
from enforcement.services.gate import terminated_round_unmet, unmet_codes
from tests.conftest import at
from tests.enforcement.factories import org_code, person_id
from tests.enforcement.gate_coercion import satisfy_coercion_gate
from tests.enforcement.gate_credit import satisfy_credit_gate
from tests.enforcement.gate_gateproc import satisfy_gateproc_gate, serve_ruling_on_all
from tests.enforcement.gate_gateprop import satisfy_gateprop_gate

REQUEST_AT = at("2026-04-16 10:00")
RULING = "(2026)鲁0102执11号之一"
ALL = ("credit", "gateprop", "gateproc", "coercion")
CODES_OF = {
    "credit": ["restriction_not_issued", "dishonest_not_assessed"],
    "gateprop": ["online_search_incomplete", "offline_investigation_missing"],
    "gateproc": ["notice_not_served", "property_report_unchecked", "applicant_not_interviewed"],
}


@pytest.fixture
def t11(courts, clerk, handler):
    case = case_register(
        actor=clerk,
        data=CaseInput(
            case_number="(2026)鲁0102执11号", court=courts.lu0102, filed_on=dt.date(2026, 1, 15),
            received_at=at("2026-01-15 09:00"), claim_amount=Decimal("500000.00"),
            basis_document="(2025)鲁0102民初9号民事判决书",
            applicants=[PartyInput("张三", "person", person_id(), "13800000000",
                                   PayoutAccountInput("工商银行", "6222020200112233445", "张三"))],
            respondents=[PartyInput("李四", "person", person_id("37010219800101123")),
                         PartyInput("某某公司", "organization", org_code())],
            handler=handler,
        ),
    )
    return case


def _satisfy(case, actor, bureau_head, *, skip=(), omit=None):
    if "gateproc" not in skip:
        satisfy_gateproc_gate(case, actor=actor, at=at("2026-01-16 10:00"))
    if "gateprop" not in skip:
        satisfy_gateprop_gate(case, actor=actor, at=at("2026-01-20 09:00"))
    if "credit" not in skip:
        satisfy_credit_gate(case, actor=actor, at=at("2026-01-22 10:00"))
    if "coercion" not in skip:
        satisfy_coercion_gate(case, actor=actor, at=at("2026-04-10 10:00"), omit=omit, bureau_head=bureau_head)


def test_every_record_present_passes_the_whole_gate(t11, handler, bureau_head):
    _satisfy(t11, handler, bureau_head)
    assert terminated_round_unmet(Case.objects.get(pk=t11.pk), REQUEST_AT, RULING) == []


@pytest.mark.parametrize("missing", ["credit", "gateprop", "gateproc"])
def test_one_module_missing_leaves_exactly_its_codes(t11, handler, bureau_head, missing):
    _satisfy(t11, handler, bureau_head, skip=(missing,))
    unmet = terminated_round_unmet(Case.objects.get(pk=t11.pk), REQUEST_AT, RULING)
    assert unmet_codes(unmet) == CODES_OF[missing]
    # per respondent (or applicant): the details name each object once per row
    respondents = set(t11.parties.filter(role=PartyRole.RESPONDENT).values_list("pk", flat=True))
    for code in CODES_OF[missing]:
        named = {u.get("respondent") or u.get("applicant") for u in unmet if u["code"] == code}
        assert named and (named <= respondents or code == "applicant_not_interviewed")


@pytest.mark.parametrize(
    ("omit", "code"),
    [
        ("whereabouts_search", "whereabouts_not_searched"),
        ("obstruction_sanction", "obstruction_unsanctioned"),
        ("application_answer", "application_measure_unanswered"),
        ("report_sanction", "report_default_unsanctioned"),
    ],
)
def test_one_coercion_answer_missing_leaves_exactly_its_code(t11, handler, bureau_head, omit, code):
    _satisfy(t11, handler, bureau_head, omit=omit)
    assert unmet_codes(terminated_round_unmet(Case.objects.get(pk=t11.pk), REQUEST_AT, RULING)) == [code]


def test_within_three_months_and_without_a_ruling_number(t11, handler, bureau_head):
    _satisfy(t11, handler, bureau_head)
    case = Case.objects.get(pk=t11.pk)
    assert unmet_codes(terminated_round_unmet(case, at("2026-04-15 23:00"), RULING)) == ["filed_within_three_months"]
    assert unmet_codes(terminated_round_unmet(case, REQUEST_AT, "  ")) == ["ruling_not_issued"]


@pytest.mark.time_machine(at("2026-04-16 10:30"))
def test_two_step_termination_closes_on_the_last_service(t11, handler, bureau_head, time_machine):
    _satisfy(t11, handler, bureau_head)
    request = case_close(actor=handler, case=Case.objects.get(pk=t11.pk), closure="terminated_this_round",
                         closed_at=REQUEST_AT, document=RULING)
    assert isinstance(request, Approval)
    approval_decide(actor=bureau_head, approval=request, approve=True, note="符合终本条件")
    case = Case.objects.get(pk=t11.pk)
    assert case.status == CaseStatus.CLOSING and case.closed_at is None
    time_machine.move_to(at("2026-04-20 11:00"))
    serve_ruling_on_all(case, actor=handler, at=at("2026-04-20 10:00"))
    case = Case.objects.get(pk=t11.pk)
    assert (case.status, case.closure_type, case.closed_at) == (CaseStatus.CLOSED, "terminated_this_round",
                                                                 at("2026-04-20 10:00"))
    research = Deadline.objects.get(case=case, rule__code="TERMINATED_RESEARCH")
    assert research.started_at == at("2026-04-20 10:00") and research.status == "open"
