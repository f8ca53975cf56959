"""Maker ≠ checker on every approval of the product (322号 §8, §22; 双查规定 §4, §8).

``SCENARIOS`` is the whole list of decisions someone takes on what someone else made
— the bureau head's approval of an over-seizure, an extension or a 终本, of a payment,
of a 延缓发放 or 提存; the head's approval of a screened 一案双查 clue and the review of
an investigation report; the lower court's answer to a 督办 and the issuer's review of
that answer. For each, the person who made the thing holds every other right to decide
it, and is refused:

* over REST: 403 ``maker_checker`` in the contract's shape, Chinese message;
* in the browser: the decision is not offered, and a forged form post is refused
  with the same message;
* nothing is written (every table counted, the object compared field by field);
* and someone else with the same rights can decide it (the control).

``test_every_decision_is_in_the_table`` enumerates the state machines' transitions,
the services and the URLs whose names say approve / reject / accept / return / review
/ decide: a new approval that is not in ``SCENARIOS`` (or explicitly exempt, with the
reason) fails it."""

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.test import Client
from rest_framework.test import APIClient

from core.models import Department, Role
from core.services.people import membership_grant
from tests.conftest import at
from tests.core.factories import make_member
from tests.enforcement.factories import make_case

# --- what a scenario is -------------------------------------------------------------------------


@dataclass
class Scenario:
    maker: object  # made the thing; holds every other right to decide it
    checker: object  # someone else with the same rights
    obj: object  # the thing decided (refreshed to compare)
    refusals: list[tuple[str, dict]]  # REST (path, body) the maker tries
    decide: tuple[str, dict]  # REST (path, body) the checker succeeds with
    decided: Callable[[object], bool]  # the object after the checker's decision
    form: tuple[str, dict]  # browser form post the maker forges
    pages: list[str]  # pages that offer the decision to those who may take it
    offer: str  # what on those pages offers it (a form action)
    notes: dict = field(default_factory=dict)


@pytest.fixture
def people(courts, clerk, handler, bureau_head, case_supervisor, inspector, court_leader):
    return SimpleNamespace(
        courts=courts, clerk=clerk, handler=handler, head=bureau_head,
        head2=make_member(Role.BUREAU_HEAD, courts.lu0102, "bureau_head_2"),
        leader=court_leader, finance=make_member(Role.FINANCE, courts.lu0102, "finance"),
        case_supervisor=case_supervisor, inspector=inspector,
        head_lu01=make_member(Role.BUREAU_HEAD, courts.lu01, "head_lu01"),
        head2_lu01=make_member(Role.BUREAU_HEAD, courts.lu01, "head2_lu01"),
    )


def _case(p, number="(2026)鲁0102执1001号", **kw):
    return make_case(p.clerk, p.courts.lu0102, number=number, handler=p.handler, received="2026-09-01 10:00",
                     filed="2026-08-28", **kw)


def _funded_case(p):
    from custody_funds.services import funds

    case = _case(p)
    funds.receipt_record(actor=p.clerk, court=p.courts.lu0102, reference="B-1", account_number=case.fund_account.number,
                         amount=Decimal("10000.00"), arrived_at=at("2026-10-12 10:00"))
    return case


# --- the scenarios ------------------------------------------------------------------------------


def over_seizure(p) -> Scenario:
    """超标的查封审批 (322号 §15): the bureau head asked; another bureau head decides."""
    from enforcement.services import closure

    case = _case(p)
    approval = closure.approval_request(actor=p.head, case=case, kind="over_seizure", reason="不动产无法分割。",
                                        payload={})
    return _enforcement_approval(p, case, approval, maker=p.head, checker=p.head2)


def extension(p) -> Scenario:
    """延长期限审批 (322号 §8)."""
    from core.services import clocks
    from enforcement.services import closure

    case = _case(p)
    # 自行处置 (322号 §17): extended by the case's bureau head, within 90 days in all
    deadline = clocks.clock_start(rule_code="SELF_DISPOSAL", court=case.court, case=case, subject=case,
                                  started_at=at("2026-11-16 10:00"), duration=60)
    approval = closure.approval_request(actor=p.head, case=case, kind="extension", reason="买受人尚在筹款。",
                                        payload={"deadline": deadline.pk, "added": 5})
    return _enforcement_approval(p, case, approval, maker=p.head, checker=p.head2,
                                 decided=lambda a: a.status == "used" and a.case.deadlines.get(pk=deadline.pk)
                                 .extensions.filter(approved_by=p.head2).exists())


def terminated_round(p) -> Scenario:
    """终本审批 (终本规定): the handler asked, and has since become a bureau head."""
    from enforcement.services import assets, cases, closure, measures

    case = make_case(p.clerk, p.courts.lu0102, handler=p.handler, received="2026-08-03 10:00", filed="2026-08-01")
    search = assets.search_launch(actor=p.clerk, case=case, channel="online", category_codes=None,
                                  launched_at=at("2026-08-04 10:00"))
    assets.search_record_feedback(actor=p.clerk, search=search, received_at=at("2026-08-05 10:00"), findings=[])
    # gate: gateprop — the offline investigation of what the online system cannot query (spec §3 #7)
    from tests.enforcement.gate_gateprop import satisfy_gateprop_gate

    satisfy_gateprop_gate(case, actor=p.clerk, at=at("2026-08-05 11:00"), online=False)
    cases.case_serve_notice(actor=p.clerk, case=case, served_at=at("2026-08-04 11:00"))
    measures.credit_issue(actor=p.clerk, case=case, party_id=case.parties.get(role="respondent").pk,
                        kind="restriction", issued_at=at("2026-08-06 10:00"))
    # gate: credit
    from tests.enforcement.gate_credit import satisfy_credit_gate

    satisfy_credit_gate(case, actor=p.clerk, at=at("2026-08-06 10:00"))
    cases.case_record_interview(actor=p.handler, case=case, at=at("2026-11-02 10:00"), note="告知财产调查结果。")
    # gate: gateproc
    from tests.enforcement.gate_gateproc import satisfy_gateproc_gate

    satisfy_gateproc_gate(case, actor=p.clerk, at=at("2026-11-02 11:00"))
    approval = closure.case_close(actor=p.handler, case=case, closure="terminated_this_round",
                                  closed_at=at("2026-11-20 10:00"), document="(2026)鲁0102执1001号之一")
    assert approval.kind == "closure" and approval.requested_by == p.handler
    membership_grant(user=p.handler, court=p.courts.lu0102, role=Role.BUREAU_HEAD, department=Department.EXECUTION)
    return _enforcement_approval(p, case, approval, maker=p.handler, checker=p.head,
                                 decided=lambda a: a.status == "used" and a.case.status == "closing")  # gate: gateproc (ruling made)


def _enforcement_approval(p, case, approval, *, maker, checker, decided=None) -> Scenario:
    return Scenario(
        maker=maker, checker=checker, obj=approval,
        refusals=[(f"/api/v1/approvals/{approval.pk}/approve/", {"note": "同意"}),
                  (f"/api/v1/approvals/{approval.pk}/reject/", {"note": "不同意"})],
        decide=(f"/api/v1/approvals/{approval.pk}/approve/", {"note": "同意"}),
        decided=decided or (lambda a: a.status == "approved" and a.decided_by_id == checker.pk),
        form=(f"/cases/approvals/{approval.pk}/decide/", {"decision": "approve", "note": "同意",
                                                          "next": "/cases/approvals/"}),
        pages=["/cases/approvals/", f"/cases/{case.pk}/"],
        offer=f'action="/cases/approvals/{approval.pk}/decide/"',
    )


def credit_correction(p) -> Scenario:
    """纠正申请 on a 失信 entry (322号 §23): decided by a bureau head other than the one who issued it."""
    from enforcement.services import credit, measures

    case = _case(p)
    (m,) = measures.credit_issue(actor=p.head, case=case, party_id=case.parties.get(role="respondent").pk,
                                 kind="dishonest", issued_at=at("2026-10-10 10:00"))[:1]
    credit.credit_correction_request(actor=p.clerk, measure=m, at=at("2026-10-12 10:00"), reason="错误纳入")
    body = {"outcome": "upheld", "reasons": "申请理由不成立", "at": "2026-10-13T10:00:00+08:00"}
    url = f"/cases/{case.pk}/credit-correction-decide/{m.pk}/"
    return Scenario(
        maker=p.head, checker=p.head2, obj=m,
        refusals=[(f"/api/v1/credit-measures/{m.pk}/correction-decision/", body)],
        decide=(f"/api/v1/credit-measures/{m.pk}/correction-decision/", body),
        decided=lambda x: x.correction_outcome == "upheld" and x.correction_decided_by_id == p.head2.pk,
        form=(url, {"outcome": "upheld", "reasons": "申请理由不成立", "at": "2026-10-13T10:00"}),
        pages=[f"/cases/{case.pk}/"],
        offer=f'action="{url}"',
    )


def disbursement(p) -> Scenario:
    """支付案款审批 (322号 §22, 款物规定): drafted by the bureau head himself."""
    from custody_funds.services import funds

    case = _funded_case(p)
    payee = case.parties.get(role="applicant")
    d = funds.disbursement_draft(actor=p.head, case=case, payee_id=payee.pk, amount=Decimal("3000.00"),
                                 account_number=payee.payout_account.account_number)
    funds.disbursement_submit(actor=p.head, disbursement=d)
    return Scenario(
        maker=p.head, checker=p.head2, obj=d,
        refusals=[(f"/api/v1/disbursements/{d.pk}/approve/", {}),
                  (f"/api/v1/disbursements/{d.pk}/reject/", {"note": "不同意"})],
        decide=(f"/api/v1/disbursements/{d.pk}/approve/", {}),
        decided=lambda x: x.status == "approved" and x.approved_by_id == p.head2.pk,
        form=(f"/funds/cases/{case.pk}/approve/{d.pk}/", {"next": "/funds/approvals/"}),
        pages=["/funds/approvals/", f"/funds/cases/{case.pk}/"],
        offer=f'action="/funds/cases/{case.pk}/approve/{d.pk}/"',
    )


def delay(p) -> Scenario:
    """延缓发放审批 (款物规定): asked by the bureau head himself."""
    from custody_funds.services import funds

    case = _funded_case(p)
    hold = funds.hold_request(actor=p.head, case=case, kind="delay", reason="to_distribute", note="需要分配。")
    return _hold(p, case, hold)


def deposit(p) -> Scenario:
    """提存审批 (款物规定)."""
    from custody_funds.services import funds

    case = _funded_case(p)
    hold = funds.hold_request(actor=p.head, case=case, kind="deposit", reason="refused", note="拒绝领取。",
                              amount=Decimal("2000.00"))
    return _hold(p, case, hold)


def _hold(p, case, hold) -> Scenario:
    return Scenario(
        maker=p.head, checker=p.head2, obj=hold,
        refusals=[(f"/api/v1/funds-holds/{hold.pk}/approve/", {}), (f"/api/v1/funds-holds/{hold.pk}/reject/", {})],
        decide=(f"/api/v1/funds-holds/{hold.pk}/approve/", {}),
        decided=lambda h: h.status == "approved" and h.decided_by_id == p.head2.pk,
        form=(f"/funds/cases/{case.pk}/hold-approve/{hold.pk}/", {"next": "/funds/approvals/"}),
        pages=["/funds/approvals/", f"/funds/cases/{case.pk}/"],
        offer=f'action="/funds/cases/{case.pk}/hold-approve/{hold.pk}/"',
    )


def _clue(p):
    from dualcheck.models import ClueSource
    from dualcheck.services import clues

    return clues.clue_register(
        actor=p.case_supervisor, court=p.courts.lu01, source=ClueSource.LETTERS_VISITS,
        summary="申请执行人反映立案后三个月未采取执行措施。", cases=[_case(p)], received_at=at("2026-09-14 09:00"),
    )


def clue_approval(p) -> Scenario:
    """双查规定 §4: the working group screens, the head of execution approves — a bureau
    head of the working group cannot approve his own screening."""
    from dualcheck.services import clues

    clue = _clue(p)
    clues.clue_screen(actor=p.head_lu01, clue=clue, proceed=True, opinion="建议提请审核。", at=at("2026-09-15 10:00"))
    return Scenario(
        maker=p.head_lu01, checker=p.head2_lu01, obj=clue,
        refusals=[(f"/api/v1/dualcheck/clues/{clue.pk}/approve/", {"approved": True, "opinion": "同意。"}),
                  (f"/api/v1/dualcheck/clues/{clue.pk}/approve/", {"approved": False, "opinion": "不予启动。"})],
        decide=(f"/api/v1/dualcheck/clues/{clue.pk}/approve/", {"approved": True, "opinion": "同意。"}),
        decided=lambda c: c.status == "pending_meeting" and c.approved_by_id == p.head2_lu01.pk,
        form=(f"/dualcheck/{clue.pk}/act/approve/", {"approved": "1", "opinion": "同意。"}),
        pages=[f"/dualcheck/{clue.pk}/"],
        offer=f'action="/dualcheck/{clue.pk}/act/approve/"',
    )


def report_review(p) -> Scenario:
    """双查规定 §8: the upper court investigating directly (§5) writes the report with
    its own people; the one who submitted it cannot review it."""
    from dualcheck.services import clues, investigation

    clue = _clue(p)
    clues.clue_screen(actor=p.case_supervisor, clue=clue, proceed=True, opinion="提请审核。", at=at("2026-09-15 10:00"))
    clues.clue_approve(actor=p.head_lu01, clue=clue, approved=True, opinion="同意。", at=at("2026-09-16 10:00"))
    clues.clue_decide(actor=p.inspector, clue=clue, launch=True, participants=[p.head_lu01, p.inspector],
                      minutes="决定启动。", held_at=at("2026-09-17 15:00"))
    clues.clue_refer(actor=p.head_lu01, clue=clue, mode="direct", report_days=10, instructions="本院直接调查。",
                     referred_at=at("2026-09-21 10:00"))
    investigation.team_form(actor=p.head_lu01, clue=clue, formed_at=at("2026-09-22 10:00"), members=[
        {"user": p.head2_lu01, "department": Department.EXECUTION, "is_leader": True},
        {"user": p.inspector, "department": Department.SUPERVISION},
    ])
    investigation.team_record_work(actor=p.inspector, clue=clue, methods=["file_review"], scope=["passive"])
    investigation.report_submit(actor=p.inspector, clue=clue, submitted_at=at("2026-09-28 10:00"),
                                process="调取卷宗。", facts="未发起网络查控。", analysis="消极执行。", opinion="督促办理。")
    return Scenario(
        maker=p.inspector, checker=p.head_lu01, obj=clue,
        refusals=[(f"/api/v1/dualcheck/clues/{clue.pk}/review/", {"decision": "accept", "opinion": "采纳。"}),
                  (f"/api/v1/dualcheck/clues/{clue.pk}/review/",
                   {"decision": "supplement", "opinion": "补充调查。", "days": 10})],
        decide=(f"/api/v1/dualcheck/clues/{clue.pk}/review/", {"decision": "accept", "opinion": "采纳。"}),
        decided=lambda c: c.status == "accepted",
        form=(f"/dualcheck/{clue.pk}/act/review/", {"decision": "accept", "opinion": "采纳。"}),
        pages=[f"/dualcheck/{clue.pk}/"],
        offer=f'action="/dualcheck/{clue.pk}/act/review/"',
    )


def _both_sides(p):
    """专人监管 of 鲁01 who is also a handler of 鲁0102: on both sides of a 督办."""
    both = make_member(Role.CASE_SUPERVISOR, p.courts.lu01, "both_sides")
    make_member(Role.HANDLER, p.courts.lu0102, "both_sides")
    return both


def order_review(p) -> Scenario:
    """322号 §28: the issuer reviews the lower court's answer — not the one who gave it."""
    from supervision.services.orders import order_issue, order_respond

    both = _both_sides(p)
    order = order_issue(actor=p.case_supervisor, case=_case(p), kind="urge", instructions="请依法推进。",
                        response_days=5, issued_at=at("2026-09-28 10:00"))
    order_respond(actor=both, order=order, text="已查控。", responded_at=at("2026-09-30 10:00"))
    return Scenario(
        maker=both, checker=p.case_supervisor, obj=order,
        refusals=[(f"/api/v1/orders/{order.pk}/accept/", {"note": "认可。"}),
                  (f"/api/v1/orders/{order.pk}/return/", {"note": "回复不充分。"})],
        decide=(f"/api/v1/orders/{order.pk}/accept/", {"note": "认可。"}),
        decided=lambda o: o.status == "closed" and o.responses.get().reviewed_by_id == p.case_supervisor.pk,
        form=(f"/supervision/orders/{order.pk}/accept/", {"note": "认可。"}),
        pages=[f"/supervision/orders/{order.pk}/"],
        offer=f'action="/supervision/orders/{order.pk}/accept/"',
    )


def order_answer(p) -> Scenario:
    """The other way round: the issuer cannot answer his own 督办 for the lower court."""
    from supervision.services.orders import order_issue

    both = _both_sides(p)
    order = order_issue(actor=both, case=_case(p), kind="urge", instructions="请依法推进。", response_days=5,
                        issued_at=at("2026-09-28 10:00"))
    return Scenario(
        maker=both, checker=p.handler, obj=order,
        refusals=[(f"/api/v1/orders/{order.pk}/respond/", {"text": "已查控。"})],
        decide=(f"/api/v1/orders/{order.pk}/respond/", {"text": "已查控。"}),
        decided=lambda o: o.status == "responded",
        form=(f"/supervision/orders/{order.pk}/respond/", {"text": "已查控。"}),
        pages=[f"/supervision/orders/{order.pk}/"],
        offer=f'action="/supervision/orders/{order.pk}/respond/"',
    )


def backdate_verification(p) -> Scenario:
    """补录核实 (322号 §12): the bureau head entered a clue's verification late, after its
    due moment (待核实); another bureau head verifies it."""
    from core.models import Deadline, DeadlineStatus
    from enforcement.services import property_clues

    case = _case(p)
    clue = property_clues.property_clue_receive(actor=p.head, case=case, received_at=at("2026-10-15 09:00"),
                                                description="被执行人在某银行有存款", specific=True, urgent=True)
    deadline = Deadline.objects.get(case=case, rule__code="CLUE_VERIFY", subject_id=clue.pk)
    Deadline.objects.filter(pk=deadline.pk).update(
        status=DeadlineStatus.PENDING_VERIFICATION, claimed_at=at("2026-10-15 10:00"),
        completed_at=at("2026-10-16 16:00"), completed_by=p.head,
    )
    deadline.refresh_from_db()
    pk = deadline.pk
    return Scenario(
        maker=p.head, checker=p.head2, obj=deadline,
        refusals=[(f"/api/v1/clock-corrections/{pk}/approve/", {"reason": "属实"}),
                  (f"/api/v1/clock-corrections/{pk}/reject/", {"reason": "不属实"})],
        decide=(f"/api/v1/clock-corrections/{pk}/approve/", {"reason": "核查笔录在卷"}),
        decided=lambda d: d.status == "met" and d.completed_at == at("2026-10-15 10:00"),
        form=(f"/clock-corrections/{pk}/decide/", {f"c{pk}-decision": "approve", f"c{pk}-reason": "属实",
                                                   "next": "/clock-corrections/"}),
        pages=["/clock-corrections/", f"/cases/{case.pk}/"],
        offer=f'action="/clock-corrections/{pk}/decide/"',
    )


SCENARIOS: dict[str, Callable] = {
    f.__name__: f for f in (over_seizure, extension, terminated_round, disbursement, delay, deposit,
                            clue_approval, report_review, order_review, order_answer, credit_correction,
                            backdate_verification)
}

# --- the table: every decision of the product → its scenario, or why it is exempt -------------

EXEMPT = "exempt: "
DECISIONS = {
    # state-machine transitions (model label, transition)
    ("enforcement.Approval", "approve"): ["over_seizure", "extension", "terminated_round"],
    ("enforcement.Approval", "reject"): ["over_seizure", "extension", "terminated_round"],
    ("custody_funds.Disbursement", "approve"): ["disbursement"],
    ("custody_funds.Disbursement", "reject"): ["disbursement"],
    ("custody_funds.FundsHold", "approve"): ["delay", "deposit"],
    ("custody_funds.FundsHold", "reject"): ["delay", "deposit"],
    ("dualcheck.Clue", "approve"): ["clue_approval"],
    ("dualcheck.Clue", "accept"): ["report_review"],
    ("dualcheck.Clue", "supplement"): ["report_review"],
    ("supervision.SupervisionOrder", "accept"): ["order_review"],
    ("supervision.SupervisionOrder", "send_back"): ["order_review"],
    ("supervision.SupervisionOrder", "respond"): ["order_answer"],
    # services
    "enforcement.services.closure.approval_decide": ["over_seizure", "extension", "terminated_round"],
    "enforcement.services.closure.approval_request": EXEMPT + "the maker's side of approval_decide",
    "enforcement.services.credit.dishonest_deletion_approved": EXEMPT + "the effect of an approved dishonest_delete "
    "request, called only by approval_decide (its maker ≠ checker scenario covers it)",
    "enforcement.services.closure.case_close": EXEMPT + "终本 by a bureau head is his own decision, no "
    "request is made (DESIGN: the bureau head approves 终本); anyone else's becomes an approval request",
    "enforcement.services.measures.control_create": EXEMPT + "uses an over-seizure approval already decided "
    "through approval_decide (maker ≠ checker); the bureau head's own override (径行批准) is gone (spec §7.3)",
    # 超标的查封异议 (322号 §15): the ruling is the court's (执异 ruling), recorded by its staff
    ("enforcement.SeizureObjection", "decide"): EXEMPT + "records the court's ruling on a 超标的查封异议 "
    "(a 执异 ruling made by the court, not an approval of anyone's request)",
    "enforcement.services.over_seizure.seizure_objection_decide": EXEMPT + "records the court's ruling on a "
    "超标的查封异议, not an approval step",
    "api-objection-decide": EXEMPT + "records the court's ruling on a 超标的查封异议, not an approval step",
    "enforcement:case-object-action objection-decide": EXEMPT + "records the court's ruling on a 超标的查封异议, "
    "not an approval step",
    "custody_funds.services.funds.disbursement_approve": ["disbursement"],
    "custody_funds.services.funds.disbursement_reject": ["disbursement"],
    "custody_funds.services.funds.hold_decide": ["delay", "deposit"],
    "dualcheck.services.clues.clue_approve": ["clue_approval"],
    "dualcheck.services.clues.clue_decide": EXEMPT + "a joint meeting of both departments decides (§4), "
    "recorded with its participants; no single approver",
    "dualcheck.services.investigation.clue_review": ["report_review"],
    "supervision.services.orders.order_accept": ["order_review"],
    "supervision.services.orders.order_return": ["order_review"],
    "supervision.services.orders.order_respond": ["order_answer"],
    "enforcement.policy.can_approve": EXEMPT + "the predicate (who may decide), not a decision",
    "core.services.clocks.extensions.extension_approver_check": EXEMPT + "the predicate (who may approve an "
    "extension of the rule), not a decision; approval_decide checks maker ≠ checker first",
    "core.services.clocks.lifecycle.clock_extend": EXEMPT + "called with approved_by by approval_decide (extension)",
    "core.services.clocks.lifecycle.clock_waive": EXEMPT + "免除 by an approver himself (no request to check); "
    "no rule waives a clock any more (issue 15: a case event ends it moot)",
    "enforcement.services.cases.case_suspend": EXEMPT + "the 中止 ruling's approver (a 执行局长 of the case's court) "
    "is named on the request and refused when he is the requester (400 maker_checker, "
    "tests/enforcement/test_suspension_ruling.py)",
    "enforcement.services.cases.case_suspend_check": EXEMPT + "the check behind case_suspend (approver ≠ requester)",
    # looked at and found to have no approval step (listed so that the next reader knows)
    "core.services.calendar.calendar_day_set": EXEMPT + "the working calendar is edited by the system "
    "administrator in the admin (DESIGN: editable in admin); no approval step",
    "supervision.services.petitions.petition_conclude": EXEMPT + "信访 are concluded by the court's staff; "
    "no approval step",
    # h/credit: 纠正申请 of a 失信/限消 entry, decided by a bureau head ≠ its issuer
    "enforcement.services.credit.credit_correction_decide": ["credit_correction"],
    "enforcement.services.credit.credit_guarantee_accept": EXEMPT + "records that the respondent provided a "
    "valid guarantee (322号 §23): a node of the acting roles that starts RESTRICTION_RELEASE, not the approval "
    "of a request",
    "api-credit-correction-decide": ["credit_correction"],
    # h/coercion: the 强制措施与调查措施 register records decisions the court made on paper
    "enforcement.services.coercion.coercion_entry_record": EXEMPT + "records a 罚款/拘留/搜查/审计 … decision "
    "already made and numbered (决定书/移送函), with its document; not the approval of a request in the system",
    "enforcement.services.coercion.measure_application_decide": EXEMPT + "the court's reasoned answer to the "
    "applicant's application (322号 §24): the maker is the applicant, outside the court, so there is no "
    "in-court maker to separate from",
    "api-measure-application-decide": EXEMPT + "the court's answer to the applicant's application (see the service)",
    "enforcement:case-object-action application-decide": EXEMPT + "the court's answer to the applicant's "
    "application (see the service)",
    "enforcement:case-object-action credit-correction-decide": ["credit_correction"],
    # URLs (name, or name + action slug)
    "api-approval-approve": ["over_seizure", "extension", "terminated_round"],
    "api-approval-reject": ["over_seizure", "extension", "terminated_round"],
    "api-approvals": EXEMPT + "the list of approvals",
    **{f"admin:enforcement_approval_{view}": EXEMPT + "read-only in the admin (test_decisions_cannot_be_taken_in_the_admin)"
       for view in ("add", "change", "changelist", "delete", "history")},
    "api-case-approvals": EXEMPT + "asking for an approval (the maker's side)",
    # 站内通知 (issue 16): tell people of a request or its decision; they decide nothing
    **{f"{module}.{fname}": EXEMPT + "an in-app notification of a decision taken by its service"
       for module, fname in (
           ("enforcement.services.notifications", "notify_approval_decided"),
           ("enforcement.services.notifications", "notify_approval_requested"),
           ("enforcement.services.notifications", "approvers_to_tell"),
           ("custody_funds.services.notifications", "notify_funds_decided"),
           ("supervision.services.notifications", "notify_order_returned"),
           ("dualcheck.services.notifications", "notify_supplement"),
       )},
    "enforcement:approvals": ["over_seizure", "extension", "terminated_round"],
    "enforcement:approval-decide": ["over_seizure", "extension", "terminated_round"],
    "enforcement:case-action approval-request": EXEMPT + "asking for an approval (the maker's side)",
    "api-disbursement-approve": ["disbursement"],
    "api-disbursement-reject": ["disbursement"],
    "custody_funds:approvals": ["disbursement", "delay", "deposit"],
    "custody_funds:case-object-action approve": ["disbursement"],
    "custody_funds:case-object-action reject": ["disbursement"],
    "api-funds-hold-approve": ["delay", "deposit"],
    "api-funds-hold-reject": ["delay", "deposit"],
    "custody_funds:case-object-action hold-approve": ["delay", "deposit"],
    "custody_funds:case-object-action hold-reject": ["delay", "deposit"],
    "api-dualcheck-clue-approve": ["clue_approval"],
    "dualcheck:clue-action approve": ["clue_approval"],
    "api-dualcheck-clue-review": ["report_review"],
    "dualcheck:clue-action review": ["report_review"],
    "api-dualcheck-clue-decide": EXEMPT + "the joint meeting (clue_decide)",
    "dualcheck:clue-action decide": EXEMPT + "the joint meeting (clue_decide)",
    "api-order-accept": ["order_review"],
    "api-order-return": ["order_review"],
    "supervision:order-action accept": ["order_review"],
    "supervision:order-action return": ["order_review"],
    "api-order-respond": ["order_answer"],
    "supervision:order-action respond": ["order_answer"],
    # 补录核实 (322号 §12)
    "core.services.clocks.backdate.clock_backdate_approve": ["backdate_verification"],
    "core.services.clocks.backdate.clock_backdate_reject": ["backdate_verification"],
    "core.services.clocks.backdate.backdate_reviewer_check": EXEMPT + "the predicate (who may verify), not a "
    "decision; the services call it",
    "core.services.clocks.backdate.can_review_backdate": EXEMPT + "the predicate (who may verify), not a decision",
    "core.services.clocks.backdate.backdate_review_needed": EXEMPT + "whether a late stop waits for verification "
    "(the rule), not a decision",
    "api-clock-correction-approve": ["backdate_verification"],
    "api-clock-correction-reject": ["backdate_verification"],
    "core:clock-correction-decide": ["backdate_verification"],
}
DECISION_WORDS = re.compile(r"approv|reject|accept|send_back|supplement|review|decide|return|respond")
SERVICE_PACKAGES = ("core.services", "enforcement.services", "custody_funds.services", "dualcheck.services",
                    "supervision.services", "audit.services")


def _transitions():
    from django_fsm import FSMFieldMixin

    for model in apps.get_models():
        for f in model._meta.fields:
            if isinstance(f, FSMFieldMixin):
                for t in {t.name for t in f.get_all_transitions(model)}:
                    yield model._meta.label, t


def _services():
    """Every public function of the service modules whose name or parameters say it
    decides (or carries an approver)."""
    for package in SERVICE_PACKAGES:
        module = importlib.import_module(package)
        names = [package] + [m.name for m in pkgutil.walk_packages(getattr(module, "__path__", []), f"{package}.")]
        for name in names:
            mod = importlib.import_module(name)
            for fname, func in inspect.getmembers(mod, inspect.isfunction):
                if func.__module__ != name or fname.startswith("_"):
                    continue
                params = " ".join(inspect.signature(func).parameters)
                if DECISION_WORDS.search(fname) or re.search(r"approv|decid", params):
                    yield f"{name}.{fname}"


def _urls(every: bool = False):
    from custody_funds.views import case_actions as funds_views
    from dualcheck.views import actions as dualcheck_actions
    from enforcement.views import actions as enforcement_views
    from supervision.views import orders as order_views
    from supervision.views import petitions as petition_views
    from tests.security.test_web_security import _patterns

    slugs = {
        "enforcement:case-action": enforcement_views.ACTIONS, "enforcement:case-object-action": enforcement_views.ACTIONS,
        "custody_funds:case-action": funds_views.ACTIONS, "custody_funds:case-object-action": funds_views.ACTIONS,
        "dualcheck:clue-action": dualcheck_actions.ACTIONS, "supervision:order-action": order_views.ACTIONS,
        "supervision:petition-action": petition_views.ACTIONS,
    }
    for route, name, _callback in _patterns():
        if name in slugs:
            for slug, action in slugs[name].items():
                if name.endswith("case-action") and getattr(action, "on", None):
                    continue  # an action on a sub-object is served by case-object-action
                if name.endswith("case-object-action") and not getattr(action, "on", None):
                    continue
                if every or DECISION_WORDS.search(slug):
                    yield f"{name} {slug}"
        elif name and (every or DECISION_WORDS.search(name) or DECISION_WORDS.search(route)):
            yield name


def _exists(key) -> bool:
    if isinstance(key, tuple):
        return key in set(_transitions())
    if key.count(".") >= 2 and ":" not in key:
        module, _dot, name = key.rpartition(".")
        return hasattr(importlib.import_module(module), name)
    return key in set(_urls(every=True))


def test_every_decision_is_in_the_table():
    found = {t for t in _transitions() if DECISION_WORDS.search(t[1])} | set(_services()) | set(_urls())
    missing = sorted(map(str, found - set(DECISIONS)))
    assert not missing, "a decision without a maker ≠ checker scenario (add it to DECISIONS): " + ", ".join(missing)
    stale = sorted(str(key) for key in set(DECISIONS) - found if not _exists(key))
    assert not stale, "entries of DECISIONS that no longer exist: " + ", ".join(stale)
    for key, value in DECISIONS.items():
        assert (isinstance(value, str) and value.startswith(EXEMPT)) or (
            value and set(value) <= set(SCENARIOS)), key


def test_decisions_cannot_be_taken_in_the_admin(rf, db):
    """The admin cannot be the back door: whatever it shows of the decided objects is
    read-only, even for a superuser."""
    from django.contrib import admin

    from tests.core.factories import UserFactory

    request = rf.get("/admin/")
    request.user = UserFactory(username="root", is_superuser=True, is_staff=True)
    labels = {key[0] for key in DECISIONS if isinstance(key, tuple)}
    for label in labels:
        model = apps.get_model(label)
        model_admin = admin.site._registry.get(model)
        if model_admin is None:
            continue
        assert not model_admin.has_add_permission(request), label
        assert not model_admin.has_change_permission(request), label
        assert not model_admin.has_delete_permission(request), label


def test_every_scenario_is_someones_decision():
    used = {s for v in DECISIONS.values() if isinstance(v, list) for s in v}
    assert used == set(SCENARIOS)


# --- nothing written ----------------------------------------------------------------------------

# Written by reading or by being refused, as designed: sessions, sign-in attempts, the
# security audit trail (every refused request is recorded), confidential reads.
NOT_STATE = {"sessions.Session", "axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog",
             "audit.AuditRecord", "dualcheck.ConfidentialRead", "core.IdempotencyRecord"}


def state(obj) -> dict:
    counts = {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.label not in NOT_STATE}
    row = type(obj).objects.filter(pk=obj.pk).values().get()
    return {"counts": counts, "row": row}


def session_api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)  # a browser session: the user is loaded afresh per request
    return client


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _han(text: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", text))


# --- the proofs ---------------------------------------------------------------------------------


@pytest.mark.parametrize("key", SCENARIOS)
def test_the_maker_is_refused_over_rest_and_nothing_is_written(people, key):
    s = SCENARIOS[key](people)
    before = state(s.obj)
    for path, body in s.refusals:
        r = session_api(s.maker).post(path, body, format="json")
        assert r.status_code == 403, (path, r.status_code, r.content[:300])
        answer = r.json()
        assert set(answer) == {"code", "message", "extra"} and answer["code"] == "maker_checker", answer
        assert _han(answer["message"]), answer
        assert state(s.obj) == before, path
    # control: someone else with the same rights decides it
    path, body = s.decide
    r = session_api(s.checker).post(path, body, format="json")
    assert r.status_code == 200, (path, r.content[:500])
    s.obj.refresh_from_db()
    assert s.decided(s.obj)


@pytest.mark.parametrize("key", SCENARIOS)
def test_the_maker_is_refused_in_the_browser_and_nothing_is_written(people, key):
    s = SCENARIOS[key](people)
    message = session_api(s.maker).post(*s.refusals[0], format="json").json()["message"]
    before = state(s.obj)
    url, data = s.form
    r = browser(s.maker).post(url, data, follow=True)
    page = r.content.decode()
    assert message in page, f"{url}: the refusal is shown"
    assert r.status_code in (200, 403)
    assert state(s.obj) == before


@pytest.mark.parametrize(
    "key",
    list(SCENARIOS),
)
def test_the_decision_is_offered_to_the_checker_but_not_to_the_maker(people, key):
    s = SCENARIOS[key](people)
    for url in s.pages:
        mine = browser(s.maker).get(url)
        assert mine.status_code == 200, url
        assert s.offer not in mine.content.decode(), f"{url} offers the maker his own decision"
    assert any(s.offer in browser(s.checker).get(url).content.decode() for url in s.pages)


def test_the_report_submitter_is_not_offered_the_review_over_rest(people):
    s = report_review(people)
    theirs = session_api(s.checker).get(f"/api/v1/dualcheck/clues/{s.obj.pk}/").json()
    assert "review" in theirs["allowed_actions"]
    mine = session_api(s.maker).get(f"/api/v1/dualcheck/clues/{s.obj.pk}/").json()
    assert "review" not in mine["allowed_actions"]


def test_api_clients_never_approve(people, courts):
    """API.md: approvals and payments need a named person — a court's machine cannot be
    the checker of anything, even of what a person made."""
    from core.services.people import api_client_create

    s = over_seizure(people)
    _user, key = api_client_create(court=courts.lu0102, name="鲁0102审判系统")
    machine = APIClient()
    machine.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    before = state(s.obj)
    r = machine.post(*s.decide, format="json")
    assert r.status_code == 403 and r.json()["code"] == "permission_denied"
    assert state(s.obj) == before


def test_the_bureau_head_cannot_override_over_seizure_himself(people):
    """Spec §7.3: the bureau head seizing over the limit with a reason alone is refused
    (no 径行批准); nothing is recorded."""
    from core.exceptions import RuleViolation
    from enforcement.models import Approval, ControlMeasure
    from enforcement.services import assets, measures

    case = _case(people)
    search = assets.search_launch(actor=people.clerk, case=case, channel="online", category_codes=None,
                                  launched_at=at("2026-09-02 10:00"))
    (house,) = assets.search_record_feedback(actor=people.clerk, search=search, received_at=at("2026-09-03 10:00"),
                                             findings=[assets.FindingInput("real_estate", "某路1号",
                                                                           Decimal("900000.00"))])
    with pytest.raises(RuleViolation) as refused:
        measures.control_create(actor=people.head, case=case, asset=house, kind="seize_real_estate", amount=None,
                                effective_at=at("2026-09-04 10:00"), override_reason="唯一可供执行财产。")
    assert refused.value.code == "over_seizure"
    assert not Approval.objects.filter(case=case).exists() and not ControlMeasure.objects.filter(case=case).exists()


# --- in Chromium ----------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_the_browser_the_drafter_cannot_approve_his_own_payment(page, courts, clerk, handler, bureau_head):
    from playwright.sync_api import expect

    from custody_funds.models import Disbursement
    from tests.browser import log_in, screenshot

    p = SimpleNamespace(courts=courts, clerk=clerk, handler=handler, head=bureau_head,
                        head2=make_member(Role.BUREAU_HEAD, courts.lu0102, "bureau_head_2"))
    s = disbursement(p)
    # the drafter's queue: his own payment, without the buttons
    log_in(page, bureau_head)
    page.goto("/funds/approvals/")
    row = page.locator(f"tr[data-disbursement='{s.obj.pk}']")
    expect(row).to_contain_text("本人起草，须由其他审批人审批")
    expect(row.get_by_role("button", name="批准")).to_have_count(0)
    screenshot(page, "maker_checker_own_payment")
    # a forged post from his signed-in browser (with the page's CSRF token) is refused
    answer = page.evaluate(
        """async ([url]) => {
            const headers = JSON.parse(document.body.getAttribute('hx-headers'));
            const r = await fetch(url, {method: 'POST', headers: headers, body: new URLSearchParams({next: '/funds/approvals/'})});
            return {status: r.status, text: await r.text()};
        }""",
        [s.form[0]],
    )
    assert answer["status"] == 200 and "审批人不能审批自己起草的发放。" in answer["text"]
    assert Disbursement.objects.get(pk=s.obj.pk).status == "submitted"
    # another bureau head approves it with the button
    log_in(page, p.head2)
    page.goto("/funds/approvals/")
    page.locator(f"tr[data-disbursement='{s.obj.pk}']").get_by_role("button", name="批准").click()
    page.wait_for_load_state("networkidle")
    assert Disbursement.objects.get(pk=s.obj.pk).status == "approved"


def test_who_drafted_or_approved_a_payment_never_pays_it(people):
    """Segregation of duties: a second post in finance does not let the approver (or
    the drafter) pay the disbursement out; another finance officer does."""
    from core.exceptions import PermissionDenied
    from core.models import Department, Membership
    from core.selectors import forget_memberships
    from custody_funds.models import Disbursement
    from custody_funds.services import funds

    s = disbursement(people)
    funds.disbursement_approve(actor=people.head2, disbursement=s.obj)
    funds.disbursement_notify_finance(actor=people.head2, disbursement=s.obj)
    for two_posts in (people.head2, people.head):  # the approver, the drafter
        Membership.objects.create(user=two_posts, court=people.courts.lu0102, role=Role.FINANCE,
                                  department=Department.FINANCE)
        forget_memberships(two_posts)
        with pytest.raises(PermissionDenied) as refused:
            funds.disbursement_pay(actor=two_posts, disbursement=s.obj, bank_reference="P-1")
        assert refused.value.code == "maker_checker"
        assert Disbursement.objects.get(pk=s.obj.pk).status != "paid"
    paid = funds.disbursement_pay(actor=people.finance, disbursement=s.obj, bank_reference="P-1")
    assert paid.status == "paid" and paid.paid_by_id == people.finance.pk
