"""强制措施与调查措施 register (issue 15) and the 终本 gate's rows #3, #14, #15, #16 (spec §3, §9 T11).

The T11 fixture: filed 2026-01-15; R1 (person), R2 (organisation); the request at 2026-04-16 10:00
(01-15 + 3 M = 04-15; "已超过三个月" → from 04-16). Each gate test asserts that its own code is in
``unmet`` when its record is missing and absent when present (other engineers add other rows)."""

import datetime as dt
from decimal import Decimal

import pytest

from core.models import NodeEvent, Role
from enforcement.models import (
    ApplicationStatus,
    Case,
    CaseStatus,
    CoercionEntry,
    MeasureApplication,
    ObstructionDecision,
    PartyRole,
)
from enforcement.services import coercion as coercion_services
from enforcement.services.cases import CaseInput, PartyInput, PayoutAccountInput, case_register
from enforcement.services.gate import terminated_round_unmet, unmet_codes
from tests.conftest import at
from tests.core.factories import make_member
from tests.enforcement.factories import org_code, person_id
from tests.enforcement.gate_coercion import satisfy_coercion_gate

REQUEST_AT = at("2026-04-16 10:00")
MY_CODES = {
    "report_default_unsanctioned", "whereabouts_not_searched", "obstruction_unsanctioned",
    "application_measure_unanswered",
}


@pytest.fixture
def t11_case(time_machine, courts, clerk, handler):
    time_machine.move_to(REQUEST_AT, tick=False)
    return case_register(
        actor=clerk,
        data=CaseInput(
            case_number="(2026)鲁0102执1号", court=courts.lu0102, filed_on=dt.date(2026, 1, 15),
            received_at=at("2026-01-15 09:00"), claim_amount=Decimal("500000.00"),
            basis_document="(2025)鲁0102民初9号民事判决书",
            applicants=[PartyInput("张三", "person", person_id(), "13800000000",
                                   PayoutAccountInput("工商银行", "6222020200112233445", "张三"))],
            respondents=[PartyInput("王五", "person", person_id("37010219800101123")),
                         PartyInput("某某公司", "organization", org_code())],
            handler=handler,
        ),
    )


def respondents(case):
    return list(case.parties.filter(role=PartyRole.RESPONDENT).order_by("id"))


def gate(case):
    return terminated_round_unmet(Case.objects.get(pk=case.pk), REQUEST_AT, "(2026)鲁0102执1号之一")


# --- the gate, each row both ways -----------------------------------------------------------------


def test_gate_rows_hold_when_the_register_answers_every_indication(t11_case, clerk):
    satisfy_coercion_gate(t11_case, actor=clerk, at=REQUEST_AT)
    assert not MY_CODES & set(unmet_codes(gate(t11_case)))


def test_gate_rows_hold_when_nothing_indicates_a_measure(t11_case):
    assert not MY_CODES & set(unmet_codes(gate(t11_case)))


@pytest.mark.parametrize(
    ("omit", "code", "who"),
    [
        ("report_sanction", "report_default_unsanctioned", "r2"),  # T11.3
        ("whereabouts_search", "whereabouts_not_searched", "r1"),  # T11.14
        ("obstruction_sanction", "obstruction_unsanctioned", "r2"),  # T11.15
    ],
)
def test_gate_names_the_respondent_whose_indication_is_unanswered(t11_case, clerk, bureau_head, omit, code, who):
    records = satisfy_coercion_gate(t11_case, actor=clerk, at=REQUEST_AT, omit=omit, bureau_head=bureau_head)
    unmet = gate(t11_case)
    assert code in unmet_codes(unmet)
    # only this row of the four fails, and its detail names the respondent
    assert MY_CODES & set(unmet_codes(unmet)) == {code}
    assert [u["respondent"] for u in unmet if u["code"] == code] == [getattr(records, who).pk]


def test_gate_application_unanswered_names_the_application(t11_case, clerk):  # T11.16
    records = satisfy_coercion_gate(t11_case, actor=clerk, at=REQUEST_AT, omit="application_answer")
    unmet = [u for u in gate(t11_case) if u["code"] == "application_measure_unanswered"]
    assert unmet == [{
        "code": "application_measure_unanswered", "message": unmet[0]["message"],
        "applicant": records.applicant.pk, "application": records.application.pk,
    }]
    assert "委托专项审计" in unmet[0]["message"]
    # granted but not done still fails; a reasoned refusal answers it
    coercion_services.measure_application_decide(actor=clerk, application=records.application, grant=True,
                                                 at=at("2026-04-15 09:00"))
    assert "application_measure_unanswered" in unmet_codes(gate(t11_case))
    application = MeasureApplication.objects.get(pk=records.application.pk)
    application.status = ApplicationStatus.PENDING  # a second application, refused this time
    application.save()
    coercion_services.measure_application_decide(actor=clerk, application=application, grant=False,
                                                 at=at("2026-04-15 10:00"), reason="申请人未提供审计所需的初步证据")
    assert "application_measure_unanswered" not in unmet_codes(gate(t11_case))


def test_a_sanction_before_the_latest_indication_does_not_answer_it(t11_case, clerk):
    r1, _r2 = respondents(t11_case)
    coercion_services.coercion_entry_record(
        actor=clerk, case=t11_case, kind="fine", party_id=r1.pk, decided_at=at("2026-03-01 10:00"),
        document_number="(2026)鲁0102司惩9号", amount=Decimal("5000.00"),
    )
    coercion_services.coercion_finding_record(
        actor=clerk, case=t11_case, party_id=r1.pk, kind="report_false", found_at=at("2026-03-10 10:00"),
        note="隐瞒名下车辆",
    )
    codes = unmet_codes(gate(t11_case))
    assert {"report_default_unsanctioned", "obstruction_unsanctioned"} <= set(codes)
    # a 拒执 referral after the false report answers both rows
    coercion_services.coercion_entry_record(
        actor=clerk, case=t11_case, kind="refusal_crime_referral", party_id=r1.pk, route="police",
        decided_at=at("2026-03-20 10:00"), document_number="(2026)鲁0102执1号移送函",
    )
    assert not {"report_default_unsanctioned", "obstruction_unsanctioned"} & set(unmet_codes(gate(t11_case)))


def test_bureau_heads_reasoned_decision_answers_obstruction_not_the_report_default(t11_case, clerk, handler, bureau_head):
    records = satisfy_coercion_gate(t11_case, actor=clerk, at=REQUEST_AT, omit="obstruction_sanction")
    with pytest.raises(Exception) as refused:
        coercion_services.obstruction_not_sanctioned(actor=handler, case=t11_case, party_id=records.r2.pk,
                                                     at=at("2026-04-15 10:00"), reason="已主动履行部分")
    assert refused.value.code == "not_sanctioned_by_handler"
    with pytest.raises(Exception) as refused:
        coercion_services.obstruction_not_sanctioned(actor=clerk, case=t11_case, party_id=records.r2.pk,
                                                     at=at("2026-04-15 10:00"), reason="已主动履行部分")
    assert refused.value.code == "not_sanctioned_wrong_role"
    assert not ObstructionDecision.objects.exists()
    assert "obstruction_unsanctioned" in unmet_codes(gate(t11_case))
    coercion_services.obstruction_not_sanctioned(actor=bureau_head, case=t11_case, party_id=records.r2.pk,
                                                 at=at("2026-04-15 10:00"), reason="转让车辆已追回，情节轻微")
    assert "obstruction_unsanctioned" not in unmet_codes(gate(t11_case))
    assert NodeEvent.objects.filter(case=t11_case, kind="obstruction.not_sanctioned").count() == 1


def test_closure_refused_with_the_coercion_code_and_the_case_stays_open(t11_case, clerk, api_client, handler):
    satisfy_coercion_gate(t11_case, actor=clerk, at=REQUEST_AT, omit="whereabouts_search")
    api_client.force_authenticate(handler)
    r = api_client.post(f"/api/v1/cases/{t11_case.pk}/close/", {
        "closure": "terminated_this_round", "closed_at": "2026-04-16T10:00:00+08:00", "document": "(2026)鲁0102执1号之一",
    }, format="json")
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "closure_conditions_unmet"
    assert "whereabouts_not_searched" in body["extra"]["unmet"]
    r1 = respondents(t11_case)[0]
    assert {"code": "whereabouts_not_searched", "respondent": r1.pk} in [
        {k: d[k] for k in ("code", "respondent") if k in d} for d in body["extra"]["details"]
    ]
    assert Case.objects.get(pk=t11_case.pk).status != CaseStatus.CLOSED


# --- the register: validation, caps, nodes ---------------------------------------------------------


def entry_count():
    return CoercionEntry.objects.count(), NodeEvent.objects.filter(kind__startswith="coercion.").count()


def test_detention_over_fifteen_days_is_refused_and_changes_nothing(t11_case, clerk):
    r1, _r2 = respondents(t11_case)
    before = entry_count()
    with pytest.raises(Exception) as refused:
        coercion_services.coercion_entry_record(
            actor=clerk, case=t11_case, kind="detention", party_id=r1.pk, decided_at=at("2026-04-01 10:00"),
            document_number="(2026)鲁0102司惩3号", start_on=dt.date(2026, 4, 1), end_on=dt.date(2026, 4, 16),
        )
    assert (refused.value.status_code, refused.value.code) == (422, "detention_exceeds_maximum")
    assert refused.value.extra["max_days"] == 15 and refused.value.extra["days"] == 16
    assert "end_on" in refused.value.extra["fields"]
    assert entry_count() == before
    entry = coercion_services.coercion_entry_record(
        actor=clerk, case=t11_case, kind="detention", party_id=r1.pk, decided_at=at("2026-04-01 10:00"),
        document_number="(2026)鲁0102司惩3号", start_on=dt.date(2026, 4, 1), end_on=dt.date(2026, 4, 15),
    )
    assert (entry.start_on, entry.end_on) == (dt.date(2026, 4, 1), dt.date(2026, 4, 15))
    assert NodeEvent.objects.get(kind="coercion.detention").payload["end_on"] == "2026-04-15"


def test_an_organisation_is_not_detained_its_responsible_person_is(t11_case, clerk):
    _r1, r2 = respondents(t11_case)
    with pytest.raises(Exception) as refused:
        coercion_services.coercion_entry_record(
            actor=clerk, case=t11_case, kind="detention", party_id=r2.pk, decided_at=at("2026-04-01 10:00"),
            document_number="", start_on=dt.date(2026, 4, 1), end_on=dt.date(2026, 4, 5),
        )
    # every problem at once, each on its input
    assert refused.value.status_code == 400
    assert set(refused.value.extra["fields"]) == {"person_name", "document_number"}


@pytest.mark.parametrize(
    ("who", "amount", "code"),
    [
        ("r1", "100000.01", "fine_exceeds_cap"),
        ("r2", "1000000.01", "fine_exceeds_cap"),
        ("r2", "49999.99", "fine_below_minimum"),
    ],
)
def test_fines_outside_the_legal_limits_are_refused(t11_case, clerk, who, amount, code):
    r1, r2 = respondents(t11_case)
    party = {"r1": r1, "r2": r2}[who]
    before = entry_count()
    with pytest.raises(Exception) as refused:
        coercion_services.coercion_entry_record(
            actor=clerk, case=t11_case, kind="fine", party_id=party.pk, decided_at=at("2026-04-01 10:00"),
            document_number="(2026)鲁0102司惩4号", amount=Decimal(amount),
        )
    assert (refused.value.status_code, refused.value.code) == (422, code)
    assert "第一百一十八条" in refused.value.extra["basis"]
    assert entry_count() == before


@pytest.mark.parametrize(("who", "amount"), [("r1", "100000.00"), ("r2", "50000.00"), ("r2", "1000000.00")])
def test_fines_at_the_limits_are_recorded_as_nodes(t11_case, clerk, who, amount):
    r1, r2 = respondents(t11_case)
    party = {"r1": r1, "r2": r2}[who]
    entry = coercion_services.coercion_entry_record(
        actor=clerk, case=t11_case, kind="fine", party_id=party.pk, decided_at=at("2026-04-01 10:00"),
        document_number="(2026)鲁0102司惩4号", amount=Decimal(amount),
    )
    assert entry.amount == Decimal(amount)
    assert NodeEvent.objects.get(kind="coercion.fine").payload["amount"] == amount


def test_the_responsible_person_of_an_organisation_is_fined_as_a_person(t11_case, clerk):
    _r1, r2 = respondents(t11_case)
    with pytest.raises(Exception) as refused:
        coercion_services.coercion_entry_record(
            actor=clerk, case=t11_case, kind="fine", party_id=r2.pk, person_name="李四", decided_at=at("2026-04-01 10:00"),
            document_number="(2026)鲁0102司惩5号", amount=Decimal("200000.00"),
        )
    assert refused.value.code == "fine_exceeds_cap" and refused.value.extra["max"] == "100000.00"


# --- REST ---------------------------------------------------------------------------------------------


def test_rest_register_referral_and_its_outcome(t11_case, api_client, handler):
    api_client.force_authenticate(handler)
    r1, _r2 = respondents(t11_case)
    url = f"/api/v1/cases/{t11_case.pk}/coercion/"
    r = api_client.post(url, {"kind": "refusal_crime_referral", "party": r1.pk, "decided_at": "2026-04-10T10:00:00+08:00",
                              "document_number": "(2026)鲁0102执1号移送函", "route": ""}, format="json")
    assert r.status_code == 400 and set(r.json()["extra"]["fields"]) == {"route"}
    r = api_client.post(url, {"kind": "refusal_crime_referral", "party": r1.pk, "decided_at": "2026-04-10T10:00:00+08:00",
                              "document_number": "(2026)鲁0102执1号移送函", "route": "police"}, format="json")
    assert r.status_code == 201, r.json()
    entry = r.json()
    assert (entry["route"], entry["outcome"]) == ("police", "pending")
    r = api_client.post(f"/api/v1/coercion/{entry['id']}/outcome/", {"outcome": "filed", "outcome_on": "2026-04-09"}, format="json")
    assert r.status_code == 400 and "outcome_on" in r.json()["extra"]["fields"]  # before the referral
    r = api_client.post(f"/api/v1/coercion/{entry['id']}/outcome/",
                        {"outcome": "filed", "outcome_on": "2026-04-14", "outcome_document": "济公（历）立字〔2026〕1号"},
                        format="json")
    assert r.status_code == 200, r.json()
    assert (r.json()["outcome"], r.json()["outcome_on"]) == ("filed", "2026-04-14")
    listed = api_client.get(url).json()
    assert [e["outcome"] for e in listed["entries"]] == ["filed"]
    kinds = list(NodeEvent.objects.filter(case=t11_case, kind__startswith="coercion.").values_list("kind", flat=True))
    assert kinds == ["coercion.refusal_crime_referral", "coercion.referral_outcome"]


def test_rest_entry_naming_an_ungranted_application_is_refused(t11_case, api_client, handler):
    api_client.force_authenticate(handler)
    applicant = t11_case.parties.get(role=PartyRole.APPLICANT)
    r = api_client.post(f"/api/v1/cases/{t11_case.pk}/measure-applications/",
                        {"applicant": applicant.pk, "kind": "search", "applied_at": "2026-04-01T10:00:00+08:00"}, format="json")
    assert r.status_code == 201, r.json()
    application = r.json()["id"]
    r = api_client.post(f"/api/v1/cases/{t11_case.pk}/coercion/", {
        "kind": "search", "decided_at": "2026-04-02T10:00:00+08:00", "document_number": "(2026)鲁0102执1号搜查令",
        "party": respondents(t11_case)[0].pk, "application": application}, format="json")
    assert (r.status_code, r.json()["code"]) == (422, "application_not_granted")
    r = api_client.post(f"/api/v1/measure-applications/{application}/decide/", {"grant": False, "reason": ""}, format="json")
    assert r.status_code == 400 and "reason" in r.json()["extra"]["fields"]
    r = api_client.post(f"/api/v1/measure-applications/{application}/decide/",
                        {"grant": True, "at": "2026-04-02T09:00:00+08:00"}, format="json")
    assert r.json()["status"] == "granted"
    r = api_client.post(f"/api/v1/cases/{t11_case.pk}/coercion/", {
        "kind": "search", "decided_at": "2026-04-02T10:00:00+08:00", "document_number": "(2026)鲁0102执1号搜查令",
        "party": respondents(t11_case)[0].pk, "application": application}, format="json")
    assert r.status_code == 201, r.json()
    assert MeasureApplication.objects.get(pk=application).status == ApplicationStatus.DONE


def test_rest_not_sanctioned_by_the_handler_is_403(t11_case, api_client, handler, courts):
    api_client.force_authenticate(handler)
    r = api_client.post(f"/api/v1/cases/{t11_case.pk}/obstruction-decisions/",
                        {"party": respondents(t11_case)[1].pk, "reason": "情节轻微", "at": "2026-04-10T10:00:00+08:00"},
                        format="json")
    assert (r.status_code, r.json()["code"]) == (403, "not_sanctioned_by_handler")
    # a bureau head who handles the case himself may not either
    head = make_member(Role.BUREAU_HEAD, courts.lu0102, "head_handler")
    Case.objects.filter(pk=t11_case.pk).update(handler=head)
    api_client.force_authenticate(head)
    r = api_client.post(f"/api/v1/cases/{t11_case.pk}/obstruction-decisions/",
                        {"party": respondents(t11_case)[1].pk, "reason": "情节轻微", "at": "2026-04-10T10:00:00+08:00"},
                        format="json")
    assert (r.status_code, r.json()["code"]) == (403, "not_sanctioned_by_handler")
    assert not ObstructionDecision.objects.exists()


# --- the case page -----------------------------------------------------------------------------------


def section_url(case, action, obj=None):
    from django.urls import reverse

    return reverse("enforcement:case-object-action", kwargs={"case_id": case.pk, "action": action, "obj_id": (obj or case).pk})


def test_case_page_form_shows_every_error_beside_its_field_and_writes_nothing(t11_case, client, handler):
    import re

    client.force_login(handler)
    r1, _r2 = respondents(t11_case)
    before = entry_count()
    r = client.post(section_url(t11_case, "coercion-entry"), {
        "kind": "detention", "party": r1.pk, "document_number": "", "decided_at": "2026-04-01T10:00",
        "start_on": "", "end_on": "2026-04-20",
    })
    assert r.status_code == 422
    html = r.content.decode()
    form = html[html.index('id="form-coercion-entry-'):]
    form = form[: form.index("</form>")]
    errors = {
        re.search(r'data-field="(\w+)"', chunk)[1]: chunk
        for chunk in form.split('<div class="field')[1:]
        if 'class="field-error"' in chunk
    }
    assert set(errors) == {"document_number", "start_on"}
    assert "请填写决定书或文书文号" in errors["document_number"] and "请填写拘留起始日" in errors["start_on"]
    assert entry_count() == before
    # the cap: 16 days, next to the end date
    r = client.post(section_url(t11_case, "coercion-entry"), {
        "kind": "detention", "party": r1.pk, "document_number": "(2026)鲁0102司惩3号", "decided_at": "2026-04-01T10:00",
        "start_on": "2026-04-01", "end_on": "2026-04-16",
    })
    assert r.status_code == 422
    assert "拘留期限不得超过十五日" in r.content.decode()
    assert entry_count() == before


def test_case_page_section_lists_the_register_and_records_from_its_forms(t11_case, client, handler, clerk):
    client.force_login(handler)
    records = satisfy_coercion_gate(t11_case, actor=clerk, at=REQUEST_AT)
    r = client.post(section_url(t11_case, "coercion-entry"), {
        "kind": "refusal_crime_referral", "party": records.r2.pk, "document_number": "(2026)鲁0102执1号移送函",
        "decided_at": "2026-04-10T10:00", "route": "private",
    })
    assert r.status_code == 302
    referral = CoercionEntry.objects.get(kind="refusal_crime_referral")
    r = client.post(section_url(t11_case, "referral-outcome", referral), {"outcome": "convicted", "outcome_on": "2026-04-15"})
    assert r.status_code == 302
    page = client.get(f"/cases/{t11_case.pk}/").content.decode()
    section = page[page.index('id="coercion"'):]
    for text in ("强制措施与调查措施", "拒绝报告财产", "下落不明", "罚款", "拘留", "委托专项审计", "告知自诉", "判决有罪", "已实施"):
        assert text in section, text
    # the bureau head's form is not offered to the handler
    assert "form-not-sanctioned-" not in section
