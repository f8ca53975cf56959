"""A case from receipt to closure through the API: each node, its clocks (hand-
computed on the 2026 calendar), the interceptions and their overrides, and the
illegal neighbours of each transition."""

import pytest
from django.utils import timezone

from core.models import Deadline, DeadlineStatus, NodeEvent, Role
from enforcement.models import Approval, Asset, Case, CaseStatus, ControlMeasure
from tests.core.factories import make_member
from tests.enforcement.factories import case_payload


def deadlines(case_id, rule):
    return list(Deadline.objects.filter(case_id=case_id, rule__code=rule).order_by("pk"))


def local(d):
    return timezone.localtime(d).isoformat()


@pytest.fixture
def case_id(api):
    return api.post("/api/v1/cases/", case_payload(), format="json").json()["id"]


def launch_full_search(api, case_id, at="2026-10-09T09:00:00+08:00"):
    r = api.post(f"/api/v1/cases/{case_id}/asset-searches/", {"channel": "online", "launched_at": at}, format="json")
    assert r.status_code == 201, r.json()
    return r.json()["id"]


def test_search_covering_every_category_stops_search_start_on_time(api, case_id):
    partial = api.post(
        f"/api/v1/cases/{case_id}/asset-searches/",
        {"channel": "online", "categories": ["bank_deposit"], "launched_at": "2026-10-08T09:00:00+08:00"},
        format="json",
    )
    assert partial.status_code == 201
    assert deadlines(case_id, "SEARCH_START")[0].status == DeadlineStatus.OPEN  # not every category yet
    launch_full_search(api, case_id)
    clock = deadlines(case_id, "SEARCH_START")[0]
    assert clock.status == DeadlineStatus.MET
    assert Case.objects.get(pk=case_id).status == CaseStatus.EXECUTING


def test_search_after_five_working_days_is_recorded_as_breached(api, case_id):
    launch_full_search(api, case_id, at="2026-10-14T09:00:00+08:00")
    assert deadlines(case_id, "SEARCH_START")[0].status == DeadlineStatus.BREACHED


def test_feedback_creates_assets_and_control_clock_for_offline_controllable(api, case_id):
    search_id = launch_full_search(api, case_id)
    r = api.post(
        f"/api/v1/asset-searches/{search_id}/feedback/",
        {"received_at": "2026-10-12T15:00:00+08:00", "findings": [
            {"category": "bank_deposit", "description": "工商银行账户", "value": "80000.00", "controllable_online": True},
            {"category": "real_estate", "description": "历下区某路1号", "value": "900000.00", "controllable_online": False},
        ]},
        format="json",
    )
    assert r.status_code == 201, r.json()
    assert [a["category"] for a in r.json()] == ["bank_deposit", "real_estate"]
    clocks = deadlines(case_id, "CONTROL_AFTER_FEEDBACK")
    assert len(clocks) == 1  # only the asset that cannot be controlled online
    assert local(clocks[0].due_at) == "2026-10-15T23:59:59+08:00"  # 3 working days after 12 Oct
    # feedback twice is an illegal transition
    again = api.post(f"/api/v1/asset-searches/{search_id}/feedback/", {"received_at": "2026-10-12T16:00:00+08:00", "findings": []}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"


@pytest.fixture
def found(api, case_id):
    search_id = launch_full_search(api, case_id)
    assets = api.post(
        f"/api/v1/asset-searches/{search_id}/feedback/",
        {"received_at": "2026-10-12T15:00:00+08:00", "findings": [
            {"category": "bank_deposit", "description": "工商银行账户", "value": "80000.00", "controllable_online": True},
            {"category": "real_estate", "description": "历下区某路1号", "value": "900000.00", "controllable_online": False},
        ]},
        format="json",
    ).json()
    return {"deposit": assets[0]["id"], "house": assets[1]["id"]}


def test_deposit_freeze_needs_an_amount(api, case_id, found):
    r = api.post(f"/api/v1/cases/{case_id}/control-measures/", {
        "asset": found["deposit"], "kind": "freeze_deposit", "effective_at": "2026-10-13T10:00:00+08:00"}, format="json")
    assert r.status_code == 400 and "amount" in r.json()["extra"]["fields"]
    assert not ControlMeasure.objects.exists()


def test_freeze_sets_expiry_and_its_clock(api, case_id, found):
    r = api.post(f"/api/v1/cases/{case_id}/control-measures/", {
        "asset": found["deposit"], "kind": "freeze_deposit", "amount": "80000.00",
        "effective_at": "2026-10-13T10:00:00+08:00"}, format="json")
    assert r.status_code == 201, r.json()
    assert r.json()["expires_on"] == "2027-10-13"  # one year (民诉法解释 §485)
    expiry = deadlines(case_id, "CONTROL_EXPIRY")[0]
    assert local(expiry.warn_at) == "2027-09-13T00:00:00+08:00"  # 30 days before
    assert NodeEvent.objects.filter(case_id=case_id, kind="control.created").count() == 1


def test_over_seizure_is_refused_then_passes_with_the_bureau_heads_approval(api, case_id, found, bureau_head, as_user):
    body = {"asset": found["house"], "kind": "seize_real_estate", "effective_at": "2026-10-14T10:00:00+08:00"}
    r = api.post(f"/api/v1/cases/{case_id}/control-measures/", body, format="json")
    assert r.status_code == 422 and r.json()["code"] == "over_seizure"
    assert r.json()["extra"]["limit"] == "120000.00"  # claim 100,000 + 20% margin
    assert not ControlMeasure.objects.exists()
    # a reason alone from someone who is not the bureau head changes nothing
    r = api.post(f"/api/v1/cases/{case_id}/control-measures/", {**body, "override_reason": "整体查封"}, format="json")
    assert r.status_code == 422
    # the handler asks; the bureau head approves; the approval is used once
    approval = api.post(f"/api/v1/cases/{case_id}/approvals/", {"kind": "over_seizure", "reason": "不动产无法分割登记", "asset": found["house"]}, format="json").json()
    assert as_user(bureau_head).post(f"/api/v1/approvals/{approval['id']}/approve/", {"note": "同意"}, format="json").status_code == 200
    r = api.post(f"/api/v1/cases/{case_id}/control-measures/", {**body, "override_approval": approval["id"]}, format="json")
    assert r.status_code == 201, r.json()
    assert Approval.objects.get(pk=approval["id"]).status == "used"
    # seizing real estate that must be sold starts PRICE_START: 30 days from 14 Oct
    assert local(deadlines(case_id, "PRICE_START")[0].due_at) == "2026-11-13T23:59:59+08:00"
    assert deadlines(case_id, "CONTROL_AFTER_FEEDBACK")[0].status == DeadlineStatus.MET


def test_bureau_head_may_not_override_directly_with_a_reason(as_user, case_id, found, bureau_head):
    """Spec §7.3: the 径行批准 path is gone; a reason alone passes nothing, even the bureau head's."""
    r = as_user(bureau_head).post(f"/api/v1/cases/{case_id}/control-measures/", {
        "asset": found["house"], "kind": "seize_real_estate", "effective_at": "2026-10-14T10:00:00+08:00",
        "override_reason": "唯一可供执行财产，无法分割查封"}, format="json")
    assert r.status_code == 422 and r.json()["code"] == "over_seizure"
    assert not Approval.objects.exists() and not ControlMeasure.objects.exists()


def seize_house_with_approval(api, as_user, case_id, house, bureau_head):
    """The handler's machine client asks, the bureau head approves, the seizure uses it."""
    approval = api.post(f"/api/v1/cases/{case_id}/approvals/", {"kind": "over_seizure", "reason": "唯一财产",
                                                                 "asset": house}, format="json").json()
    as_user(bureau_head).post(f"/api/v1/approvals/{approval['id']}/approve/", {}, format="json")
    r = as_user(bureau_head).post(f"/api/v1/cases/{case_id}/control-measures/", {
        "asset": house, "kind": "seize_real_estate", "effective_at": "2026-10-14T10:00:00+08:00",
        "override_approval": approval["id"]}, format="json")
    assert r.status_code == 201, r.json()


def test_disposal_clocks(api, as_user, case_id, found, bureau_head):
    seize_house_with_approval(api, as_user, case_id, found["house"], bureau_head)
    d = api.post(f"/api/v1/assets/{found['house']}/disposals/", {"method": "online_inquiry", "at": "2026-10-20T10:00:00+08:00"}, format="json")
    assert d.status_code == 201, d.json()
    assert deadlines(case_id, "PRICE_START")[0].status == DeadlineStatus.MET
    api.post(f"/api/v1/disposals/{d.json()['id']}/fix-price/", {"price": "850000.00", "at": "2026-10-23T10:00:00+08:00"}, format="json")
    assert local(deadlines(case_id, "DISPOSAL_START")[0].due_at) == "2026-11-02T23:59:59+08:00"  # 2 Nov: 1 Nov is a Sunday
    api.post(f"/api/v1/disposals/{d.json()['id']}/launch-auction/", {"at": "2026-10-30T10:00:00+08:00"}, format="json")
    assert deadlines(case_id, "DISPOSAL_START")[0].status == DeadlineStatus.MET
    sold = api.post(f"/api/v1/disposals/{d.json()['id']}/conclude/", {"sold": True, "amount": "800000.00", "at": "2026-11-16T10:00:00+08:00"}, format="json")
    assert sold.json()["status"] == "sold"
    assert Asset.objects.get(pk=found["house"]).status == "disposed"


def test_self_disposal_at_most_90_days(api, as_user, case_id, found, bureau_head):
    seize_house_with_approval(api, as_user, case_id, found["house"], bureau_head)
    r = api.post(f"/api/v1/assets/{found['house']}/self-disposal/", {"days": 91, "at": "2026-10-20T10:00:00+08:00"}, format="json")
    assert r.status_code == 422 and r.json()["code"] == "duration_exceeds_maximum"
    r = api.post(f"/api/v1/assets/{found['house']}/self-disposal/", {"days": 60, "at": "2026-10-20T10:00:00+08:00"}, format="json")
    assert r.status_code == 201
    assert local(deadlines(case_id, "SELF_DISPOSAL")[0].due_at) == "2026-12-21T23:59:59+08:00"  # 19 Dec is a Saturday


def test_urgent_specific_clue_gets_24_hours(api, case_id):
    r = api.post(f"/api/v1/cases/{case_id}/property-clues/", {
        "received_at": "2026-10-09T17:00:00+08:00", "description": "被执行人在某小区有房产", "specific": True, "urgent": True}, format="json")
    assert r.status_code == 201
    clock = deadlines(case_id, "CLUE_VERIFY")[0]
    assert local(clock.due_at) == "2026-10-10T17:00:00+08:00"
    api.post(f"/api/v1/property-clues/{r.json()['id']}/verify/", {"at": "2026-10-10T09:00:00+08:00"}, format="json")
    clock.refresh_from_db()
    assert clock.status == DeadlineStatus.MET


def test_suspension_pauses_clocks_and_resumption_moves_them(api, case_id, bureau_head):
    launch_full_search(api, case_id, at="2026-10-08T09:00:00+08:00")
    body = {"ruling_number": "(2026)鲁0102执异3号", "approved_by": bureau_head.pk, "reason": "案外人异议", "at": "2026-10-09T09:00:00+08:00"}
    assert api.post(f"/api/v1/cases/{case_id}/suspend/", body, format="json").status_code == 200
    notice = deadlines(case_id, "EXECUTION_NOTICE")[0]
    assert notice.paused_at is not None
    # suspending twice, or resuming a case that runs, is an illegal transition
    assert api.post(f"/api/v1/cases/{case_id}/suspend/", {"reason": "x"}, format="json").json()["code"] == "invalid_transition"
    api.post(f"/api/v1/cases/{case_id}/resume/", {"at": "2026-10-13T09:00:00+08:00"}, format="json")
    notice.refresh_from_db()
    # 10-day clock due 10 Oct; stood still 9 → 13 Oct (4 days) → 14 Oct
    assert local(notice.due_at) == "2026-10-14T23:59:59+08:00"
    assert api.post(f"/api/v1/cases/{case_id}/resume/", {}, format="json").json()["code"] == "invalid_transition"


def ready_for_termination(api, case_id):
    launch_full_search(api, case_id, at="2026-10-09T09:00:00+08:00")
    search = api.get(f"/api/v1/cases/{case_id}/").json()["searches"][0]["id"]
    api.post(f"/api/v1/asset-searches/{search}/feedback/", {"received_at": "2026-10-12T09:00:00+08:00", "findings": []}, format="json")
    # gate: gateprop — the offline investigation of what the online system cannot query (spec §3 #7)
    r = api.post(f"/api/v1/cases/{case_id}/asset-searches/", {"channel": "offline", "categories": ["other"], "launched_at": "2026-10-12T10:00:00+08:00"}, format="json")
    assert r.status_code == 201 and r.json()["respondent"] is not None, r.json()
    r = api.post(f"/api/v1/asset-searches/{r.json()['id']}/feedback/", {"received_at": "2026-10-12T16:00:00+08:00", "findings": [], "note": "赴被执行人住所地调查，未发现财产"}, format="json")
    assert r.status_code == 201, r.json()
    api.post(f"/api/v1/cases/{case_id}/notice/", {"served_at": "2026-10-09T10:00:00+08:00"}, format="json")
    respondent = api.get(f"/api/v1/cases/{case_id}/").json()["respondents"][0]["id"]
    r = api.post(f"/api/v1/cases/{case_id}/credit-measures/", {"party": respondent, "kind": "restriction", "issued_at": "2026-10-10T10:00:00+08:00"}, format="json")
    assert r.status_code == 201, r.json()
    # gate: credit — the order served (in force), the 失信 conditions assessed (rows #4, #5)
    served = {"served_at": "2026-10-10T11:00:00+08:00", "method": "direct", "recipient": "某某公司"}
    assert api.post(f"/api/v1/credit-measures/{r.json()[0]['id']}/serve/", served, format="json").status_code == 200
    finding = {"party": respondent, "reason": "被执行人无履行能力，不存在失信情形", "at": "2026-10-10T11:00:00+08:00"}
    assert api.post(f"/api/v1/cases/{case_id}/dishonest-not-applicable/", finding, format="json").status_code == 201
    api.post(f"/api/v1/cases/{case_id}/interview/", {"note": "告知财产调查结果", "at": "2026-12-01T10:00:00+08:00"}, format="json")
    # gate: gateproc — notice and report order on each respondent, each report checked, each applicant heard
    detail = api.get(f"/api/v1/cases/{case_id}/").json()
    for p in detail["respondents"]:
        for document in ("notice", "property_order"):
            r = api.post(f"/api/v1/cases/{case_id}/services/", {"party": p["id"], "document": document, "method": "direct", "served_at": "2026-10-09T10:00:00+08:00"}, format="json")
            assert r.status_code in (200, 409), r.json()
        r = api.post(f"/api/v1/cases/{case_id}/property-reports/", {"respondent": p["id"], "outcome": "checked", "received_at": "2026-10-15T10:00:00+08:00", "check_result": "报告属实", "at": "2026-10-16T10:00:00+08:00"}, format="json")
        assert r.status_code == 200, r.json()
    for p in detail["applicants"]:
        r = api.post(f"/api/v1/cases/{case_id}/applicant-interviews/", {"applicant": p["id"], "note": "告知财产调查结果及终本的依据和后果", "opinion": "agree", "at": "2026-12-01T10:00:00+08:00"}, format="json")
        assert r.status_code == 200, r.json()


def serve_ruling(api, case_id, served_at):
    """gate: gateproc — the 终本 ruling served on every party: the case closes at the last service."""
    detail = api.get(f"/api/v1/cases/{case_id}/").json()
    for p in detail["applicants"] + detail["respondents"]:
        r = api.post(f"/api/v1/cases/{case_id}/services/", {"party": p["id"], "document": "terminated_ruling", "method": "direct", "served_at": served_at}, format="json")
        assert r.status_code == 200, r.json()
    return r.json()


def test_termination_lists_every_unmet_condition(api, case_id):
    r = api.post(f"/api/v1/cases/{case_id}/close/", {"closure": "terminated_this_round", "closed_at": "2026-11-20T10:00:00+08:00"}, format="json")
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "closure_conditions_unmet"
    assert set(body["extra"]["unmet"]) == {
        "notice_not_served", "restriction_not_issued", "dishonest_not_assessed", "online_search_incomplete",
        "filed_within_three_months", "applicant_not_interviewed", "ruling_not_issued",
        "offline_investigation_missing",  # gate: gateprop (no offline investigation of 其他财产)
        "property_report_unchecked",  # gate: gateproc
    }
    assert Case.objects.get(pk=case_id).status == CaseStatus.RECEIVED


def test_termination_goes_through_the_bureau_heads_approval(api, as_user, case_id, bureau_head, monkeypatch):
    import datetime as dt

    # the node time check compares with now; pretend it is the last day of 2026
    from core.services import events

    monkeypatch.setattr(events.timezone, "now", lambda: dt.datetime(2026, 12, 31, 9, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    ready_for_termination(api, case_id)
    closing = {"closure": "terminated_this_round", "closed_at": "2026-12-30T10:00:00+08:00", "document": "(2026)鲁0102执1001号之一"}
    r = api.post(f"/api/v1/cases/{case_id}/close/", closing, format="json")
    assert r.status_code == 202, r.json()
    approval_id = r.json()["id"]
    assert Case.objects.get(pk=case_id).status != CaseStatus.CLOSED
    # maker ≠ checker: another approver-less user cannot decide
    handler2 = make_member(Role.HANDLER, Case.objects.get(pk=case_id).court, "handler2")
    assert as_user(handler2).post(f"/api/v1/approvals/{approval_id}/approve/", {}, format="json").status_code == 403
    r = as_user(bureau_head).post(f"/api/v1/approvals/{approval_id}/approve/", {"note": "符合终本条件"}, format="json")
    assert r.status_code == 200, r.json()
    # gate: gateproc — the approval makes the ruling; the case closes on its last service
    assert Case.objects.get(pk=case_id).status == CaseStatus.CLOSING
    assert serve_ruling(api, case_id, "2026-12-31T09:00:00+08:00")["status"] == "closed"
    case = Case.objects.get(pk=case_id)
    assert (case.status, case.closure_type) == (CaseStatus.CLOSED, "terminated_this_round")
    research = deadlines(case_id, "TERMINATED_RESEARCH")[0]
    assert research.provisional is True and local(research.due_at) == "2027-06-30T23:59:59+08:00"
    assert deadlines(case_id, "CASE_DURATION")[0].status in (DeadlineStatus.MET, DeadlineStatus.BREACHED)
    assert not Deadline.objects.filter(case_id=case_id, completed_at__isnull=True).exclude(rule__code="TERMINATED_RESEARCH").exists()
    # closing again is an illegal transition
    assert api.post(f"/api/v1/cases/{case_id}/close/", closing, format="json").status_code == 409


def test_fully_executed_needs_the_claim_satisfied(api, case_id):
    r = api.post(f"/api/v1/cases/{case_id}/close/", {"closure": "fully_executed", "closed_at": "2026-11-20T10:00:00+08:00"}, format="json")
    assert r.status_code == 422 and r.json()["code"] == "claim_not_satisfied"
    api.post(f"/api/v1/cases/{case_id}/fulfilment/", {"note": "被执行人已全部履行", "at": "2026-11-19T10:00:00+08:00"}, format="json")
    r = api.post(f"/api/v1/cases/{case_id}/close/", {"closure": "fully_executed", "closed_at": "2026-11-20T10:00:00+08:00"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "closed"


def test_fulfilment_starts_the_credit_release_clocks(api, case_id):
    respondent = api.get(f"/api/v1/cases/{case_id}/").json()["respondents"][0]["id"]
    issued = api.post(f"/api/v1/cases/{case_id}/credit-measures/", {"party": respondent, "kind": "dishonest", "issued_at": "2026-10-10T10:00:00+08:00"}, format="json").json()
    assert {m["kind"] for m in issued} == {"dishonest", "restriction"}  # 322号 §23
    api.post(f"/api/v1/cases/{case_id}/fulfilment/", {"note": "履行完毕", "at": "2026-10-30T10:00:00+08:00"}, format="json")
    release = deadlines(case_id, "RESTRICTION_RELEASE")[0]
    delete = deadlines(case_id, "DISHONEST_DELETE")[0]
    assert local(release.due_at) == local(delete.due_at) == "2026-11-04T23:59:59+08:00"  # 3 working days after Fri 30 Oct
    for m in issued:
        api.post(f"/api/v1/credit-measures/{m['id']}/release/", {"reason": "履行完毕", "at": "2026-11-02T10:00:00+08:00"}, format="json")
    release.refresh_from_db()
    assert release.status == DeadlineStatus.MET


def test_backdated_node_is_flagged_for_screening(api, case_id, settings):
    settings.NODE_BACKDATE_TOLERANCE_HOURS_PERSON = 2
    launch_full_search(api, case_id, at="2026-10-09T09:00:00+08:00")
    event = NodeEvent.objects.get(case_id=case_id, kind="search.launched")
    assert event.flags == ["backdated"]


def test_restore_a_terminated_case(api, as_user, case_id, bureau_head, monkeypatch):
    import datetime as dt

    from core.models import CalendarDay, CalendarYear

    # by the end of December the next year's schedule has been published and loaded
    CalendarYear.objects.create(year=2027, source="test")
    CalendarDay.objects.create(date=dt.date(2027, 1, 1), kind="holiday", name="元旦")

    from core.services import events

    monkeypatch.setattr(events.timezone, "now", lambda: dt.datetime(2026, 12, 31, 9, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    ready_for_termination(api, case_id)
    r = as_user(bureau_head).post(f"/api/v1/cases/{case_id}/close/", {"closure": "terminated_this_round", "closed_at": "2026-12-30T10:00:00+08:00", "document": "裁定书"}, format="json")
    assert r.status_code == 200, r.json()
    serve_ruling(api, case_id, "2026-12-30T11:00:00+08:00")  # gate: gateproc
    r = api.post(f"/api/v1/cases/{case_id}/restore/", {"case_number": "(2026)鲁0102执1001号", "received_at": "2026-12-31T08:00:00+08:00", "reason": "发现新财产"}, format="json")
    assert r.status_code == 400  # not an 执恢 number
    r = api.post(f"/api/v1/cases/{case_id}/restore/", {"case_number": "(2026)鲁0102执恢1号", "received_at": "2026-12-31T08:00:00+08:00", "reason": "发现新财产"}, format="json")
    assert r.status_code == 201, r.json()
    assert r.json()["restored_from"] == "(2026)鲁0102执1001号" and r.json()["type_code"] == "执恢"
    assert deadlines(case_id, "TERMINATED_RESEARCH")[0].status != DeadlineStatus.OPEN


def test_simple_cases_past_their_time_move_to_ordinary(courts, clerk, settings):
    import datetime as dt

    from enforcement.tasks import move_overdue_simple_cases
    from tests.enforcement.factories import make_case

    settings.ENFORCEMENT_SIMPLE_TRACK_DAYS = 30
    old = make_case(clerk, courts.lu0102, "(2026)鲁0102执7001号", received="2026-09-01 10:00", filed="2026-09-01")
    recent = make_case(clerk, courts.lu0102, "(2026)鲁0102执7002号", received="2026-11-18 10:00", filed="2026-11-18")
    assert move_overdue_simple_cases() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.track, recent.track) == ("ordinary", "simple")
    assert NodeEvent.objects.filter(case=old, kind="case.track_changed").count() == 1
    assert move_overdue_simple_cases() == 0  # idempotent
    _ = dt
