"""Issue 15 item 4 and 失信/限消 per respondent (docs/clock-lifecycle-spec.md §4; gate rows #4, #5;
tests T1, T6, T6b with the spec's hand-computed dates)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from core.exceptions import InvalidTransition, PermissionDenied, RuleViolation, ValidationFailed
from core.models import Deadline, NodeEvent, Role
from enforcement.models import Case, CaseStatus, CreditStatus, PartyRole, RestrictedPerson
from enforcement.services import cases as case_services
from enforcement.services import closure as closure_services
from enforcement.services import credit as credit_services
from enforcement.services import measures as measure_services
from enforcement.services.cases import CaseInput, PartyInput, PayoutAccountInput, case_register
from enforcement.services.credit import RestrictedPersonInput
from enforcement.services.gate import terminated_round_unmet, unmet_codes
from tests.conftest import at
from tests.core.factories import make_member
from tests.enforcement.factories import make_case, org_code, person_id
from tests.enforcement.gate_credit import satisfy_credit_gate

pytestmark = pytest.mark.django_db


def _end(day):
    """24:00 of ``day`` (stored as 23:59:59 Asia/Shanghai)."""
    return at(f"{day} 23:59") + dt.timedelta(seconds=59)


def _three_respondents(clerk, court, handler, number="(2026)鲁0102执6号", received="2026-01-15 09:00"):
    return case_register(
        actor=clerk,
        data=CaseInput(
            case_number=number, court=court, filed_on=at(received).date(), received_at=at(received),
            claim_amount=Decimal("100000.00"), basis_document="(2025)鲁0102民初1号民事判决书",
            applicants=[PartyInput("张三", "person", person_id(), "13800000000",
                                   PayoutAccountInput("工商银行", "6222020200112233445", "张三"))],
            respondents=[
                PartyInput("李四", "person", person_id("37010219800101123")),
                PartyInput("王五", "person", person_id("37010219850101123")),
                PartyInput("某某公司", "organization", org_code()),
            ],
            handler=handler,
        ),
    )


def _respondents(case):
    return list(case.parties.filter(role=PartyRole.RESPONDENT).order_by("pk"))


def _issue(case, actor, party, kind, when, **kw):
    issued = measure_services.credit_issue(actor=actor, case=case, party_id=party.pk, kind=kind, issued_at=at(when), **kw)
    for m in issued:
        credit_services.credit_serve(actor=actor, measure=m, served_at=at(when), method="direct", recipient=party.name)
    return {m.kind: m for m in issued}


def _clocks(measure, rule):
    return list(Deadline.objects.filter(subject_id=measure.pk, rule__code=rule, subject_type__model="creditmeasure"))


# --- T1: closure refused while a measure is in force ---------------------------------------------


def test_t1_fully_executed_refused_listing_the_measure_and_its_release_clock(courts, clerk, handler):
    case = make_case(clerk, courts.lu0102, number="(2026)鲁0102执1号", received="2026-04-01 09:00", filed="2026-04-01", handler=handler)
    r1 = case.parties.get(role=PartyRole.RESPONDENT)
    restriction = _issue(case, clerk, r1, "restriction", "2026-04-10 10:00")["restriction"]
    case_services.case_record_fulfilment(actor=clerk, case=case, at=at("2026-04-30 10:00"), note="被执行人已全部履行")
    [release] = _clocks(restriction, "RESTRICTION_RELEASE")
    assert release.due_at == _end("2026-05-08")  # 05-06(1) 05-07(2) 05-08(3)
    with pytest.raises(RuleViolation) as exc:
        closure_services.case_close(actor=clerk, case=case, closure="fully_executed", closed_at=at("2026-05-07 11:00"), document="结案通知书")
    assert exc.value.code == "closure_blocked_by_clocks"
    assert [(c["rule"], c["due_at"]) for c in exc.value.extra["clocks"]] == [("RESTRICTION_RELEASE", release.due_at.isoformat())]
    assert exc.value.extra["credit_measures"] == [
        {"id": restriction.pk, "kind": "restriction", "kind_name": "限制消费令", "respondent": r1.pk,
         "respondent_name": r1.name, "since": "2026-04-10T10:00:00+08:00"}
    ]
    assert Case.objects.get(pk=case.pk).status != CaseStatus.CLOSED
    measure_services.credit_release(actor=clerk, measure=restriction, at=at("2026-05-07 14:00"), reason="履行完毕")
    assert Deadline.objects.get(pk=release.pk).status == "met"
    closure_services.case_close(actor=clerk, case=case, closure="fully_executed", closed_at=at("2026-05-07 15:00"), document="结案通知书")
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CLOSED


@pytest.mark.parametrize("closure", ["withdrawn", "terminated", "not_executed", "rejected", "bankruptcy"])
def test_every_closure_but_termination_refused_while_a_measure_is_in_force(courts, clerk, handler, closure):
    """No release clock yet (no trigger): the measure itself refuses the closure."""
    case = make_case(clerk, courts.lu0102, number="(2026)鲁0102执11号", received="2026-04-01 09:00", filed="2026-04-01", handler=handler)
    r1 = case.parties.get(role=PartyRole.RESPONDENT)
    measures = measure_services.credit_issue(actor=clerk, case=case, party_id=r1.pk, kind="dishonest", issued_at=at("2026-04-10 10:00"))
    with pytest.raises(RuleViolation) as exc:
        closure_services.case_close(actor=clerk, case=case, closure=closure, closed_at=at("2026-05-07 11:00"), document="裁定书")
    assert exc.value.code == "closure_blocked_by_clocks"
    assert sorted(m["id"] for m in exc.value.extra["credit_measures"]) == sorted(m.pk for m in measures)
    assert {m["kind"] for m in exc.value.extra["credit_measures"]} == {"dishonest", "restriction"}
    assert "李四" not in exc.value.message and r1.name in exc.value.message
    assert Case.objects.get(pk=case.pk).status != CaseStatus.CLOSED
    for m in measures:
        measure_services.credit_release(actor=clerk, measure=m, at=at("2026-05-07 12:00"), reason="撤回申请")
    closure_services.case_close(actor=clerk, case=case, closure=closure, closed_at=at("2026-05-07 13:00"), document="裁定书")
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CLOSED


def test_termination_is_not_refused_by_measures_in_force(courts, clerk, handler):
    case = make_case(clerk, courts.lu0102, number="(2026)鲁0102执12号", received="2026-04-01 09:00", filed="2026-04-01", handler=handler)
    satisfy_credit_gate(case, actor=clerk, at=at("2026-04-10 10:00"))
    unmet = terminated_round_unmet(case, at("2026-08-01 10:00"), "裁定书")
    assert not {"restriction_not_issued", "dishonest_not_assessed"} & set(unmet_codes(unmet))
    assert closure_services.credit_measures_blocking_closure(case, "terminated_this_round") == []


# --- T6 / T6b: 担保 and 同意 are not 履行完毕 -------------------------------------------------------


def test_t6_guarantee_lifts_one_respondents_restriction_and_is_not_fulfilment(courts, clerk, handler):
    case = _three_respondents(clerk, courts.lu0102, handler)
    r1, r2, _r3 = _respondents(case)
    m1 = _issue(case, clerk, r1, "dishonest", "2026-01-20 10:00")
    m2 = _issue(case, clerk, r2, "dishonest", "2026-01-20 10:00")
    credit_services.credit_guarantee_accept(
        actor=clerk, case=case, party_id=r1.pk, at=at("2026-02-12 10:00"), document="(2026)担保书1号", amount=Decimal("100000.00")
    )
    [release] = _clocks(m1["restriction"], "RESTRICTION_RELEASE")
    # 02-13(1) 02-14(2, make-up Sat) [02-15–23 rest] 02-24(3)
    assert release.due_at == _end("2026-02-24")
    assert (release.escalate_at.date(), release.upper_at.date()) == (dt.date(2026, 2, 26), dt.date(2026, 3, 2))
    assert not Deadline.objects.filter(case=case, rule__code="DISHONEST_DELETE").exists()
    assert all(not _clocks(m, "RESTRICTION_RELEASE") for m in m2.values())
    case.refresh_from_db()
    assert case.fulfilled_at is None
    assert NodeEvent.objects.filter(case=case, kind="credit.guarantee_accepted").count() == 1
    assert not NodeEvent.objects.filter(case=case, kind="case.fulfilled").exists()
    with pytest.raises(RuleViolation) as exc:
        closure_services.case_close(actor=clerk, case=case, closure="fully_executed", closed_at=at("2026-02-13 10:00"), document="x")
    assert exc.value.code == "claim_not_satisfied"


def test_t6b_consent_names_one_respondent_and_a_former_legal_representative_is_released(courts, clerk, handler):
    case = _three_respondents(clerk, courts.lu0102, handler)
    r1, r2, r3 = _respondents(case)
    _issue(case, clerk, r1, "dishonest", "2026-01-20 10:00")
    m2 = _issue(case, clerk, r2, "dishonest", "2026-01-20 10:00")
    m3 = _issue(case, clerk, r3, "restriction", "2026-01-20 10:00", persons=[
        RestrictedPersonInput("赵六", person_id("37010219700101123"), "legal_representative", dt.date(2020, 1, 1)),
        RestrictedPersonInput("钱七", person_id("37010219750101123"), "actual_controller"),
    ])["restriction"]
    credit_services.credit_applicant_consent(
        actor=clerk, case=case, party_ids=[r2.pk], at=at("2026-02-27 10:00"), document="申请执行人同意解除书"
    )
    [release] = _clocks(m2["restriction"], "RESTRICTION_RELEASE")
    assert release.due_at == _end("2026-03-03")  # 02-28(1, make-up Sat) 03-02(2) 03-03(3)
    assert not _clocks(m2["dishonest"], "DISHONEST_DELETE")  # no deletion asked
    assert Deadline.objects.filter(case=case, rule__code="RESTRICTION_RELEASE").count() == 1  # R1, R3 untouched
    assert Case.objects.get(pk=case.pk).fulfilled_at is None

    p, other = RestrictedPerson.objects.filter(measure=m3).order_by("pk")
    before = Deadline.objects.filter(case=case).count()
    credit_services.credit_person_release(actor=clerk, person=p, at=at("2026-03-04 10:00"), change_record="济南市市场监管局变更登记 2026-03-01")
    p.refresh_from_db(), other.refresh_from_db(), m3.refresh_from_db()
    assert p.released_at == at("2026-03-04 10:00") and other.released_at is None
    assert m3.status == CreditStatus.ISSUED  # the organisation stays restricted
    node = NodeEvent.objects.get(case=case, kind="credit.person_released")
    assert node.payload["person"] == p.pk and "19700101" not in node.payload["id_number"]  # masked
    assert Deadline.objects.filter(case=case).count() == before  # no clock
    with pytest.raises(InvalidTransition):
        credit_services.credit_person_release(actor=clerk, person=p, at=at("2026-03-05 10:00"), change_record="再次")


def test_consent_to_delete_dishonest_needs_the_courts_approval(courts, clerk, handler, bureau_head):
    case = _three_respondents(clerk, courts.lu0102, handler)
    r1 = _respondents(case)[0]
    m1 = _issue(case, clerk, r1, "dishonest", "2026-01-20 10:00")
    with pytest.raises(PermissionDenied) as exc:
        credit_services.credit_applicant_consent(actor=clerk, case=case, party_ids=[r1.pk], at=at("2026-02-27 10:00"),
                                                 document="同意书", delete_dishonest=True)
    assert exc.value.code == "credit_deletion_needs_approval"
    assert not Deadline.objects.filter(case=case, rule__code__in=["RESTRICTION_RELEASE", "DISHONEST_DELETE"]).exists()
    credit_services.credit_applicant_consent(actor=bureau_head, case=case, party_ids=[r1.pk], at=at("2026-02-27 10:00"),
                                             document="同意书", delete_dishonest=True)
    [delete] = _clocks(m1["dishonest"], "DISHONEST_DELETE")
    assert delete.due_at == _end("2026-03-03")


def test_a_refused_deletion_is_asked_for_in_place_and_runs_once_approved(courts, clerk, handler, bureau_head):
    """The refusal names the request it needs (issue 16); the request, approved by a bureau
    head other than the requester, starts DISHONEST_DELETE from the consent's time."""
    case = _three_respondents(clerk, courts.lu0102, handler)
    r1 = _respondents(case)[0]
    m1 = _issue(case, clerk, r1, "dishonest", "2026-01-20 10:00")
    with pytest.raises(PermissionDenied) as exc:
        credit_services.credit_applicant_consent(actor=handler, case=case, party_ids=[r1.pk], at=at("2026-02-27 10:00"),
                                                 document="同意书", delete_dishonest=True)
    request = exc.value.extra["request"]
    assert request["path"] == f"/api/v1/cases/{case.pk}/approvals/"
    body = request["body"]
    assert (body["kind"], body["respondents"], body["document"]) == ("dishonest_delete", [r1.pk], "同意书")
    payload = {"respondents": body["respondents"], "at": body["consent_at"], "document": body["document"]}
    approval = closure_services.approval_request(actor=handler, case=case, kind="dishonest_delete",
                                                 reason="申请执行人书面同意删除", payload=payload)
    assert not _clocks(m1["dishonest"], "DISHONEST_DELETE")  # nothing runs before the decision
    with pytest.raises(PermissionDenied):
        closure_services.approval_decide(actor=handler, approval=approval, approve=True)
    closure_services.approval_decide(actor=bureau_head, approval=approval, approve=True)
    [delete] = _clocks(m1["dishonest"], "DISHONEST_DELETE")
    assert delete.due_at == _end("2026-03-03")  # from the consent, as if approved at once
    approval.refresh_from_db()
    assert approval.status == "used"


def test_a_deletion_request_names_every_mistake(courts, clerk, handler):
    case = _three_respondents(clerk, courts.lu0102, handler)
    r1, r2 = _respondents(case)[:2]
    _issue(case, clerk, r1, "dishonest", "2026-01-20 10:00")
    with pytest.raises(ValidationFailed) as refused:
        closure_services.approval_request(
            actor=handler, case=case, kind="dishonest_delete", reason="同意删除",
            payload={"respondents": [r2.pk], "at": "2099-01-01T10:00:00+08:00", "document": " "},
        )
    assert set(refused.value.extra["fields"]) == {"respondents", "at", "document"}


def test_the_refused_consent_offers_the_request_on_the_page(client, courts, clerk, handler, bureau_head):
    case = _three_respondents(clerk, courts.lu0102, handler)
    r1 = _respondents(case)[0]
    m1 = _issue(case, clerk, r1, "dishonest", "2026-01-20 10:00")
    client.force_login(handler)
    url = reverse("enforcement:case-object-action", args=[case.pk, "credit-consent", r1.pk])
    response = client.post(url, {"at": "2026-02-27T10:00", "document": "同意书", "delete_dishonest": "on"})
    body = response.content.decode()
    assert response.status_code in (403, 422), (response.status_code, response.get("Location"),
                                                [m.message for m in response.wsgi_request._messages])
    assert "data-offer-approval" in body
    assert 'name="kind" value="dishonest_delete"' in body and f'name="respondent" value="{r1.pk}"' in body
    offer = reverse("enforcement:case-action", args=[case.pk, "approval-request"])
    response = client.post(offer, {"kind": "dishonest_delete", "respondent": r1.pk,
                                   "consent_at": "2026-02-27T10:00:00+08:00", "document": "同意书",
                                   "reason": "申请执行人书面同意删除失信信息"})
    assert response.status_code == 302, response.content.decode()[:400]
    approval = case.approvals.get(kind="dishonest_delete")
    assert approval.payload["respondents"] == [r1.pk] and approval.requested_by == handler
    assert bureau_head.notifications.filter(kind="approval_requested").exists()
    assert not _clocks(m1["dishonest"], "DISHONEST_DELETE")


def test_fulfilment_starts_release_and_deletion_for_every_respondent(courts, clerk, handler):
    case = _three_respondents(clerk, courts.lu0102, handler)
    r1, r2, _r3 = _respondents(case)
    m1 = _issue(case, clerk, r1, "dishonest", "2026-01-20 10:00")
    m2 = _issue(case, clerk, r2, "restriction", "2026-01-20 10:00")
    credit_services.credit_guarantee_accept(actor=clerk, case=case, party_id=r1.pk, at=at("2026-02-12 10:00"), document="担保书")
    case_services.case_record_fulfilment(actor=clerk, case=case, at=at("2026-02-27 10:00"), note="被执行人已全部履行")
    [r1_release] = _clocks(m1["restriction"], "RESTRICTION_RELEASE")
    assert r1_release.due_at == _end("2026-02-24")  # the guarantee's clock keeps its date
    assert _clocks(m1["dishonest"], "DISHONEST_DELETE")[0].due_at == _end("2026-03-03")
    assert _clocks(m2["restriction"], "RESTRICTION_RELEASE")[0].due_at == _end("2026-03-03")


def test_guarantee_refused_without_a_restriction_and_with_bad_input(courts, clerk, handler):
    case = _three_respondents(clerk, courts.lu0102, handler)
    r1, r2, _r3 = _respondents(case)
    with pytest.raises(RuleViolation) as exc:
        credit_services.credit_guarantee_accept(actor=clerk, case=case, party_id=r1.pk, at=at("2026-02-12 10:00"), document="担保书")
    assert exc.value.code == "credit_restriction_not_in_force" and exc.value.extra == {"respondent": r1.pk}
    _issue(case, clerk, r1, "restriction", "2026-01-20 10:00")
    with pytest.raises(ValidationFailed) as exc:
        credit_services.credit_guarantee_accept(actor=clerk, case=case, party_id=r1.pk, at=at("2026-02-12 10:00"), document=" ",
                                                amount=Decimal("-1"))
    assert set(exc.value.extra["fields"]) == {"document", "amount"}
    applicant = case.parties.get(role=PartyRole.APPLICANT)
    with pytest.raises(ValidationFailed) as exc:
        credit_services.credit_guarantee_accept(actor=clerk, case=case, party_id=applicant.pk, at=at("2026-02-12 10:00"), document="x")
    assert "party" in exc.value.extra["fields"]
    assert not Deadline.objects.filter(case=case, rule__code="RESTRICTION_RELEASE").exists()


# --- urgent release ------------------------------------------------------------------------------


def test_urgent_release_only_after_a_trigger_and_runs_24_hours(courts, clerk, handler):
    case = make_case(clerk, courts.lu0102, number="(2026)鲁0102执13号", received="2026-04-01 09:00", filed="2026-04-01", handler=handler)
    r1 = case.parties.get(role=PartyRole.RESPONDENT)
    restriction = _issue(case, clerk, r1, "restriction", "2026-04-10 10:00")["restriction"]
    with pytest.raises(RuleViolation) as exc:
        credit_services.credit_urgent_release_request(actor=clerk, measure=restriction, at=at("2026-04-20 10:00"), reason="出国就医")
    assert exc.value.code == "credit_release_not_due"
    case_services.case_record_fulfilment(actor=clerk, case=case, at=at("2026-04-30 10:00"), note="履行完毕")
    credit_services.credit_urgent_release_request(actor=clerk, measure=restriction, at=at("2026-04-30 11:00"), reason="出国就医")
    urgent = Deadline.objects.get(subject_id=restriction.pk, rule__code="RESTRICTION_RELEASE", variant="urgent")
    assert urgent.due_at == at("2026-05-01 11:00")
    measure_services.credit_release(actor=clerk, measure=restriction, at=at("2026-04-30 16:00"), reason="立即解除")
    assert set(Deadline.objects.filter(subject_id=restriction.pk, rule__code="RESTRICTION_RELEASE").values_list("status", flat=True)) == {"met"}


# --- 纠正申请 --------------------------------------------------------------------------------------


def test_correction_decided_by_a_bureau_head_other_than_the_issuer(courts, clerk, handler, bureau_head):
    case = make_case(clerk, courts.lu0102, number="(2026)鲁0102执14号", received="2026-04-01 09:00", filed="2026-04-01", handler=handler)
    r1 = case.parties.get(role=PartyRole.RESPONDENT)
    dishonest = _issue(case, bureau_head, r1, "dishonest", "2026-04-10 10:00")["dishonest"]
    credit_services.credit_correction_request(actor=clerk, measure=dishonest, at=at("2026-04-15 10:00"), reason="已提供担保，不应纳入")
    assert not Deadline.objects.filter(rule__code="DISHONEST_CORRECTION").exists()  # ships switched off
    with pytest.raises(PermissionDenied) as exc:
        credit_services.credit_correction_decide(actor=handler, measure=dishonest, at=at("2026-04-20 10:00"), outcome="corrected", reasons="x")
    assert exc.value.code == "credit_correction_wrong_role"
    with pytest.raises(PermissionDenied) as exc:
        credit_services.credit_correction_decide(actor=bureau_head, measure=dishonest, at=at("2026-04-20 10:00"), outcome="corrected", reasons="x")
    assert exc.value.code == "maker_checker"
    with pytest.raises(ValidationFailed) as exc:
        credit_services.credit_correction_decide(actor=bureau_head, measure=dishonest, at=at("2026-04-20 10:00"), outcome="maybe", reasons=" ")
    assert set(exc.value.extra["fields"]) == {"outcome", "reasons"}
    other_head = _head(courts)
    credit_services.credit_correction_decide(actor=other_head, measure=dishonest, at=at("2026-04-20 10:00"), outcome="upheld", reasons="申请理由不成立")
    dishonest.refresh_from_db()
    assert dishonest.status == CreditStatus.ISSUED and dishonest.correction_outcome == "upheld"
    credit_services.credit_correction_request(actor=clerk, measure=dishonest, at=at("2026-04-21 10:00"), reason="新的证据")
    with pytest.raises(InvalidTransition):
        credit_services.credit_correction_request(actor=clerk, measure=dishonest, at=at("2026-04-21 11:00"), reason="重复")
    credit_services.credit_correction_decide(actor=other_head, measure=dishonest, at=at("2026-04-22 10:00"), outcome="corrected", reasons="确属错误纳入")
    dishonest.refresh_from_db()
    assert (dishonest.status, dishonest.released_at) == (CreditStatus.RELEASED, at("2026-04-22 10:00"))
    assert [e.payload["outcome"] for e in NodeEvent.objects.filter(case=case, kind="credit.correction_decided").order_by("pk")] == ["upheld", "corrected"]


def _head(courts):
    return make_member(Role.BUREAU_HEAD, courts.lu0102, "head2")


# --- service -------------------------------------------------------------------------------------


def test_serve_records_method_and_recipient_and_refuses_bad_input(courts, clerk, handler):
    case = make_case(clerk, courts.lu0102, number="(2026)鲁0102执15号", received="2026-04-01 09:00", filed="2026-04-01", handler=handler)
    r1 = case.parties.get(role=PartyRole.RESPONDENT)
    [m] = measure_services.credit_issue(actor=clerk, case=case, party_id=r1.pk, kind="restriction", issued_at=at("2026-04-10 10:00"),
                                        decision_no="(2026)鲁0102执15号限消令")
    with pytest.raises(ValidationFailed) as exc:
        credit_services.credit_serve(actor=clerk, measure=m, served_at=at("2026-04-11 10:00"), method="pigeon", recipient="")
    assert set(exc.value.extra["fields"]) == {"method", "recipient"}
    with pytest.raises(ValidationFailed) as exc:
        credit_services.credit_serve(actor=clerk, measure=m, served_at=at("2026-04-09 10:00"), method="mail", recipient="李某")
    assert "served_at" in exc.value.extra["fields"]
    credit_services.credit_serve(actor=clerk, measure=m, served_at=at("2026-04-11 10:00"), method="mail", recipient="李某")
    m.refresh_from_db()
    assert (m.decision_no, m.service_method, m.issued_by_id) == ("(2026)鲁0102执15号限消令", "mail", clerk.pk)
    assert NodeEvent.objects.get(case=case, kind="credit.served").payload["recipient"] == "李某"
    with pytest.raises(InvalidTransition):
        credit_services.credit_serve(actor=clerk, measure=m, served_at=at("2026-04-12 10:00"), method="mail", recipient="李某")


# --- gate rows #4, #5 ----------------------------------------------------------------------------


def _codes_for(case, when, code):
    return [u.get("respondent") for u in terminated_round_unmet(case, at(when), "裁定书") if u["code"] == code]


def test_gate_row_4_restriction_in_force_per_respondent(courts, clerk, handler):
    case = _three_respondents(clerk, courts.lu0102, handler)
    r1, r2, r3 = _respondents(case)
    assert _codes_for(case, "2026-05-01 10:00", "restriction_not_issued") == [r1.pk, r2.pk, r3.pk]
    _issue(case, clerk, r1, "restriction", "2026-01-20 10:00")
    # issued, not served: does not count
    measure_services.credit_issue(actor=clerk, case=case, party_id=r2.pk, kind="restriction", issued_at=at("2026-01-20 10:00"))
    # served, but its 宽限期 still runs on the day of the request
    [m3] = measure_services.credit_issue(actor=clerk, case=case, party_id=r3.pk, kind="restriction", issued_at=at("2026-01-20 10:00"),
                                         grace_until=dt.date(2026, 5, 1))
    credit_services.credit_serve(actor=clerk, measure=m3, served_at=at("2026-01-21 10:00"), method="direct", recipient="某某公司")
    assert _codes_for(case, "2026-05-01 10:00", "restriction_not_issued") == [r2.pk, r3.pk]
    assert _codes_for(case, "2026-05-02 10:00", "restriction_not_issued") == [r2.pk]
    satisfy_credit_gate(case, actor=clerk, at=at("2026-01-22 10:00"))
    assert _codes_for(case, "2026-05-02 10:00", "restriction_not_issued") == []
    # a released order does not count (T11.4)
    m1 = case.credit_measures.get(party=r1, kind="restriction")
    measure_services.credit_release(actor=clerk, measure=m1, at=at("2026-04-01 10:00"), reason="担保")
    assert _codes_for(case, "2026-05-02 10:00", "restriction_not_issued") == [r1.pk]


def test_gate_row_5_dishonest_decided_or_found_not_applicable(courts, clerk, handler):
    case = _three_respondents(clerk, courts.lu0102, handler)
    r1, r2, r3 = _respondents(case)
    assert _codes_for(case, "2026-05-01 10:00", "dishonest_not_assessed") == [r1.pk, r2.pk, r3.pk]
    _issue(case, clerk, r1, "dishonest", "2026-01-20 10:00")
    with pytest.raises(ValidationFailed):
        credit_services.credit_dishonest_not_applicable(actor=clerk, case=case, party_id=r2.pk, at=at("2026-01-20 10:00"), reason=" ")
    credit_services.credit_dishonest_not_applicable(actor=clerk, case=case, party_id=r2.pk, at=at("2026-01-20 10:00"), reason="无失信情形")
    assert _codes_for(case, "2026-05-01 10:00", "dishonest_not_assessed") == [r3.pk]
    with pytest.raises(InvalidTransition):
        credit_services.credit_dishonest_not_applicable(actor=clerk, case=case, party_id=r1.pk, at=at("2026-01-20 10:00"), reason="x")
    satisfy_credit_gate(case, actor=clerk, at=at("2026-01-22 10:00"))
    assert _codes_for(case, "2026-05-01 10:00", "dishonest_not_assessed") == []


# --- REST ----------------------------------------------------------------------------------------


def test_rest_credit_flow_per_respondent(api, case, as_user, bureau_head):
    respondent = case.parties.get(role=PartyRole.RESPONDENT)
    body = {"party": respondent.pk, "kind": "restriction", "issued_at": "2026-10-10T10:00:00+08:00",
            "decision_no": "(2026)鲁0102执1001号限消令",
            "persons": [{"name": "赵六", "id_number": person_id("37010219700101123"), "role": "legal_representative"}]}
    r = api.post(f"/api/v1/cases/{case.pk}/credit-measures/", body, format="json")
    assert r.status_code == 201, r.json()
    [m] = r.json()
    assert m["decision_no"] == body["decision_no"] and m["served_at"] is None
    [person] = m["restricted_persons"]
    assert person["id_number"] != body["persons"][0]["id_number"] and person["id_number"].startswith("3701")  # masked
    # bad input: 400 naming the field, nothing changes
    r = api.post(f"/api/v1/credit-measures/{m['id']}/serve/", {"served_at": "2026-10-11T10:00:00+08:00", "method": "pigeon", "recipient": ""}, format="json")
    assert r.status_code == 400 and {"method", "recipient"} <= set(r.json()["extra"]["fields"])
    r = api.post(f"/api/v1/credit-measures/{m['id']}/serve/", {"served_at": "2026-10-11T10:00:00+08:00", "method": "mail", "recipient": "某某公司"}, format="json")
    assert r.status_code == 200 and r.json()["service_method"] == "mail"
    r = api.post(f"/api/v1/cases/{case.pk}/credit-guarantee/", {"party": respondent.pk, "document": "担保书", "at": "2026-10-12T10:00:00+08:00"}, format="json")
    assert r.status_code == 200, r.json()
    assert Case.objects.get(pk=case.pk).fulfilled_at is None
    assert Deadline.objects.filter(case=case, rule__code="RESTRICTION_RELEASE").count() == 1
    r = api.post(f"/api/v1/cases/{case.pk}/credit-consent/", {"parties": [], "document": "同意书"}, format="json")
    assert r.status_code == 400
    r = api.post(f"/api/v1/cases/{case.pk}/credit-consent/", {"parties": [respondent.pk], "document": "同意书", "delete_dishonest": True}, format="json")
    assert r.status_code == 403 and r.json()["code"] == "credit_deletion_needs_approval"
    r = api.post(f"/api/v1/credit-measures/{m['id']}/urgent-release/", {"reason": "出国就医", "at": "2026-10-12T11:00:00+08:00"}, format="json")
    assert r.status_code == 200, r.json()
    r = api.post(f"/api/v1/restricted-persons/{person['id']}/release/", {"change_record": "变更登记", "at": "2026-10-13T10:00:00+08:00"}, format="json")
    assert r.status_code == 200 and r.json()["released_at"]
    r = api.post(f"/api/v1/cases/{case.pk}/dishonest-not-applicable/", {"party": respondent.pk, "reason": "无失信情形", "at": "2026-10-13T10:00:00+08:00"}, format="json")
    assert r.status_code == 201
    r = api.post(f"/api/v1/credit-measures/{m['id']}/correction/", {"reason": "错误", "at": "2026-10-14T10:00:00+08:00"}, format="json")
    assert r.status_code == 200 and r.json()["correction_requested_at"]
    r = api.post(f"/api/v1/credit-measures/{m['id']}/correction-decision/", {"outcome": "corrected", "reasons": "确有错误"}, format="json")
    assert r.status_code == 403 and r.json()["code"] == "credit_correction_wrong_role"
    r = as_user(bureau_head).post(f"/api/v1/credit-measures/{m['id']}/correction-decision/", {"outcome": "corrected", "reasons": "确有错误", "at": "2026-10-15T10:00:00+08:00"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "released"
    # the 3-working-day clock (10-13, 10-14, 10-15) is met; the urgent one (24 h from 10-12 11:00) was missed
    assert dict(Deadline.objects.filter(case=case, rule__code="RESTRICTION_RELEASE").values_list("variant", "status")) == {
        "": "met", "urgent": "breached"}


def test_case_page_shows_the_credit_section_per_respondent(client, case, clerk):
    respondent = case.parties.get(role=PartyRole.RESPONDENT)
    measure_services.credit_issue(actor=clerk, case=case, party_id=respondent.pk, kind="restriction", issued_at=at("2026-10-10 10:00"),
                                  decision_no="限消令1号")
    client.force_login(clerk)
    html = client.get(reverse("enforcement:case-detail", kwargs={"case_id": case.pk})).content.decode()
    assert f'id="credit-respondent-{respondent.pk}"' in html and "限消令1号" in html and "未送达" in html
    for title in ("登记送达", "提供有效担保", "申请执行人同意解除", "认定不符合失信条件"):
        assert title in html
    # a refused form keeps its errors next to its fields
    url = reverse("enforcement:case-object-action", kwargs={"case_id": case.pk, "action": "credit-guarantee", "obj_id": respondent.pk})
    r = client.post(url, {"at": "2026-10-11T10:00", "document": "", "amount": "-5"})
    assert r.status_code == 422
    body = r.content.decode()
    assert body.count("该字段是必填项。") == 1 and 'id="form-credit-guarantee' in body
