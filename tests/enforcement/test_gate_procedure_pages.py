"""The per-party 终本 records over REST and in the browser, the objection shown to the approver, and
the screening of ``closing`` cases whose ruling is unserved (h/gateproc; spec §3 "Two-step 终本")."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from enforcement.models import CaseStatus, PartyRole
from enforcement.services import closure as closure_services
from enforcement.services import gate, procedure
from enforcement.services.cases import CaseInput, PartyInput, PayoutAccountInput, case_register
from supervision.selectors.screening import screening_list
from tests.conftest import at
from tests.enforcement.factories import org_code, person_id
from tests.enforcement.gate_gateproc import satisfy_gateproc_gate

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(time_machine, courts, clerk, handler):
    time_machine.move_to(at("2026-01-15 09:00"), tick=False)
    case = case_register(actor=clerk, data=CaseInput(
        case_number="(2026)鲁0102执31号", court=courts.lu0102, filed_on=dt.date(2026, 1, 15),
        received_at=at("2026-01-15 09:00"), claim_amount=Decimal("500000.00"), basis_document="(2025)民初9号民事判决书",
        applicants=[PartyInput("张三", "person", person_id(), "13800000000",
                               PayoutAccountInput("工商银行", "6222020200112233445", "张三"))],
        respondents=[PartyInput("李四", "person", person_id("37010219800202123")),
                     PartyInput("某某公司", "organization", org_code())],
        handler=handler,
    ))
    time_machine.move_to(at("2026-04-16 12:00"), tick=False)
    return case


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _parties(case):
    applicant = case.parties.get(role=PartyRole.APPLICANT)
    r1, r2 = case.parties.filter(role=PartyRole.RESPONDENT).order_by("id")
    return applicant, r1, r2


def test_rest_records_each_party_and_refuses_bad_input_writing_nothing(case, handler):
    applicant, r1, r2 = _parties(case)
    api, url = _api(handler), f"/api/v1/cases/{case.pk}/"
    bad = api.post(url + "services/", {"party": applicant.pk, "document": "notice", "method": "direct",
                                       "served_at": "2026-01-16T10:00:00+08:00"}, format="json")
    assert bad.status_code == 400 and "party" in bad.json()["extra"]["fields"]
    bad = api.post(url + "services/", {"party": r1.pk, "document": "notice", "method": "pigeon",
                                       "served_at": "2026-01-16T10:00:00+08:00"}, format="json")
    assert bad.status_code == 400 and "method" in bad.json()["extra"]["fields"]
    bad = api.post(url + "property-reports/", {"respondent": r1.pk, "outcome": "checked"}, format="json")
    assert bad.status_code == 400 and set(bad.json()["extra"]["fields"]) == {"received_at", "check_result"}
    bad = api.post(url + "applicant-interviews/", {"applicant": applicant.pk, "note": "告知", "opinion": "object"},
                   format="json")
    assert bad.status_code == 400 and "opinion_text" in bad.json()["extra"]["fields"]
    assert not (case.services.exists() or case.property_reports.exists() or case.applicant_interviews.exists())

    ok = api.post(url + "services/", {"party": r1.pk, "document": "notice", "method": "public_notice",
                                      "served_at": "2026-01-16T10:00:00+08:00"}, format="json")
    assert ok.status_code == 200
    assert ok.json()["services"] == [{"id": case.services.get().pk, "party": r1.pk, "document": "notice",
                                      "method": "public_notice", "served_at": "2026-01-16T10:00:00+08:00", "note": ""}]
    again = api.post(url + "services/", {"party": r1.pk, "document": "notice", "method": "direct",
                                         "served_at": "2026-01-17T10:00:00+08:00"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_served"
    ok = api.post(url + "applicant-interviews/", {"applicant": applicant.pk, "note": "告知终本的依据和后果",
                                                  "opinion": "object", "opinion_text": "不同意终本"}, format="json")
    assert ok.status_code == 200 and ok.json()["applicant_interviews"][0]["opinion"] == "object"
    ok = api.post(url + "property-reports/", {"respondent": r2.pk, "outcome": "missing"}, format="json")
    assert ok.status_code == 200 and ok.json()["property_reports"][0]["outcome"] == "missing"


def test_the_page_form_shows_every_error_beside_its_field(client, case, handler):
    applicant, r1, r2 = _parties(case)
    client.force_login(handler)
    url = reverse("enforcement:case-action", kwargs={"case_id": case.pk, "action": "property-report"})
    response = client.post(url, {"respondent": r1.pk, "outcome": "checked", "at": "2026-04-16T10:00"})
    assert response.status_code == 422
    form = response.content.decode().split('id="form-property-report"')[1].split("</details>")[0]
    assert "请填写收到财产报告的时间。" in form and "请填写核查结果。" in form  # both at once
    assert not case.property_reports.exists()
    response = client.post(url, {"respondent": r1.pk, "outcome": "checked", "at": "2026-04-16T10:00",
                                 "received_at": "2026-04-10T10:00", "check_result": "报告属实"})
    assert response.status_code == 302
    page = client.get(reverse("enforcement:case-detail", kwargs={"case_id": case.pk})).content.decode()
    section = page.split('id="termination-procedure"')[1].split("</section>")[0]
    assert "已报告并核查" in section and "报告属实" in section and "未核查" in section  # R2 still unchecked


def test_the_approver_sees_the_applicants_objection(client, case, handler, bureau_head, monkeypatch):
    applicant, r1, r2 = _parties(case)
    monkeypatch.setattr(gate, "CONDITIONS", [c for c in gate.CONDITIONS if c[0] in {1, 2, 17, 18, 19}])
    monkeypatch.setattr(closure_services, "clocks_blocking_closure", lambda *a, **k: [])  # LIFECYCLE's own tests
    satisfy_gateproc_gate(case, actor=handler, at=at("2026-04-10 10:00"))
    case.applicant_interviews.all().delete()
    procedure.applicant_interview_record(actor=handler, case=case, applicant_id=applicant.pk, at=at("2026-04-10 11:00"),
                                         note="告知终本的依据和后果", opinion="object", opinion_text="被执行人仍在经营，不同意终本")
    closure_services.case_close(actor=handler, case=case, closure="terminated_this_round",
                                closed_at=at("2026-04-16 10:00"), document="(2026)鲁0102执31号之一")
    client.force_login(bureau_head)
    queue = client.get(reverse("enforcement:approvals")).content.decode()
    assert "申请执行人异议" in queue and "被执行人仍在经营，不同意终本" in queue


def test_screening_lists_closing_cases_whose_ruling_is_unserved(case, handler, bureau_head, court_leader, courts,
                                                                monkeypatch, time_machine, settings):
    from core.models import Role
    from tests.core.factories import make_member

    applicant, r1, r2 = _parties(case)
    monkeypatch.setattr(gate, "CONDITIONS", [c for c in gate.CONDITIONS if c[0] in {1, 2, 17, 18, 19}])
    monkeypatch.setattr(closure_services, "clocks_blocking_closure", lambda *a, **k: [])
    satisfy_gateproc_gate(case, actor=handler, at=at("2026-04-10 10:00"))
    closure_services.case_close(actor=bureau_head, case=case, closure="terminated_this_round",
                                closed_at=at("2026-04-16 10:00"), document="(2026)鲁0102执31号之一")
    time_machine.move_to(at("2026-04-20 10:00"), tick=False)
    for party in (applicant, r1):
        procedure.document_serve(actor=handler, case=case, party_id=party.pk, document="terminated_ruling",
                                 method="direct", served_at=at("2026-04-20 10:00"))

    def listed(now, user=court_leader):
        listing = screening_list(user=user, kind="ruling_unserved", params={}, now=at(now))
        return listing[0:listing.count()]

    # ruled 04-16 (Thu): 04-17(1) 04-20(2) … 04-29(9) 04-30(10) → due 04-30 24:00 (default 10 working days)
    assert listed("2026-04-30 18:00") == []
    rows = listed("2026-05-06 09:00")  # 05-01…05-05 rest
    assert [(r["case_number"], r["service_due_on"], r["unserved"]) for r in rows] == [
        ("(2026)鲁0102执31号", "2026-04-30", ["某某公司"])
    ]
    assert listed("2026-05-06 09:00", make_member(Role.COURT_LEADER, courts.lu02, "leader_lu02")) == []  # not its court
    settings.ENFORCEMENT_RULING_SERVICE_WORKING_DAYS = 3  # the court's setting: 04-17(1) 04-20(2) 04-21(3)
    assert [r["service_due_on"] for r in listed("2026-04-22 09:00")] == ["2026-04-21"]
    # the last service closes the case; it leaves the list
    time_machine.move_to(at("2026-05-06 10:00"), tick=False)
    procedure.document_serve(actor=handler, case=case, party_id=r2.pk, document="terminated_ruling",
                             method="public_notice", served_at=at("2026-05-06 09:30"))
    case.refresh_from_db()
    assert (case.status, case.closed_at) == (CaseStatus.CLOSED, at("2026-05-06 09:30"))
    assert listed("2026-05-06 10:00") == []
