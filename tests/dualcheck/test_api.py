"""REST: /api/v1/dualcheck/ — the whole path through the API, every illegal step
(409), the report's four sections (400), scope (404), machine clients (403),
idempotent replays, the list's filters and its query count, and answers that have
the shape the OpenAPI schema documents. Malformed input: ``test_api_input``."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from core.exceptions import ApplicationError
from core.models import NodeEvent, Role
from core.services.people import api_client_create
from dualcheck.models import Clue, Report
from dualcheck.services import clues as s_clues
from dualcheck.services import investigation as s_inv
from dualcheck.services import outcome as s_out
from supervision.models import Alert
from supervision.services.petitions import petition_flag_dualcheck, petition_receive
from supervision.services.scan import scan_court
from tests.conftest import at
from tests.core.factories import make_member
from tests.dualcheck.factories import advance, at_stage, register, snapshot

pytestmark = pytest.mark.django_db

URL = "/api/v1/dualcheck/clues/"


def client_for(user) -> APIClient:
    """A browser session: the user (and their memberships) is read again on every
    request, as in production."""
    client = APIClient()
    client.force_login(user)
    return client


def token_client(court, name="执行指挥中心系统") -> tuple[APIClient, object]:
    user, key = api_client_create(court=court, name=name)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client, user


def act(user, clue_id, slug, body=None):
    return client_for(user).post(f"{URL}{clue_id}/{slug}/", body or {}, format="json")


def ok(response, status=200) -> dict:
    assert response.status_code == status, response.content.decode()
    return response.json()


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content.decode()
    body = response.json()
    assert set(body) == {"code", "message", "extra"}, body
    assert body["code"] == code, body
    return body


def register_body(dc, **overrides) -> dict:
    body = {
        "court": "鲁01",
        "source": "letters_visits",
        "summary": "申请执行人反映案件立案后三个月未采取任何执行措施。",
        "officer_allegation": "反映承办人收受被执行人宴请。",
        "complainant_name": "张三",
        "complainant_phone": "13800000000",
        "cases": [dc.case.pk],
        "officers": [{"name": "李承办", "court": "鲁0102", "user": dc.officer.pk, "position": "承办人"}],
    }
    body.update(overrides)
    return body


REPORT = {
    "process": "调取卷宗、系统检查、约谈承办人。",
    "facts": "立案后三个月未发起网络查控。",
    "analysis": "构成消极执行。",
    "opinion": "建议督促限期办理。",
}


# --- the whole path ----------------------------------------------------------------------


def test_the_whole_path_through_the_api(dc):
    created = ok(client_for(dc.working_group).post(URL, register_body(dc), format="json"), 201)
    cid = created["id"]
    assert (created["court"], created["status"], created["target_court"]) == ("鲁01", "received", None)
    assert created["number"].startswith("鲁01双查〔") and created["status_label"] == "待筛选"
    assert created["complainant_phone"] == "138****0000"
    assert created["cases"] == [{"id": dc.case.pk, "case_number": dc.case.case_number, "court": "鲁0102"}]
    assert created["allowed_actions"] == ["screen"]
    assert created["confidential"] is None  # the working group is not the supervision department

    steps = [
        (dc.working_group, "screen", {"proceed": True, "opinion": "线索具体，建议提请审核。"}, "screened"),
        (dc.head, "approve", {"approved": True, "opinion": "同意提交联席会议。"}, "pending_meeting"),
        (
            dc.inspector,
            "decide",
            {"launch": True, "participants": [dc.head.pk, dc.inspector.pk], "minutes": "会议决定启动。"},
            "launched",
        ),
        (
            dc.head,
            "refer",
            {"mode": "refer", "target_court": "鲁0102", "report_days": 30, "instructions": "30日内上报。"},
            "referred",
        ),
        (
            dc.lower_head,
            "form-team",
            {
                "members": [
                    {"user": dc.lower_handler2.pk, "department": "execution", "is_leader": True},
                    {"user": dc.lower_inspector.pk, "department": "supervision"},
                ]
            },
            "investigating",
        ),
        (
            dc.lower_inspector,
            "record-work",
            {"methods": ["file_review", "system_check"], "scope": ["passive", "discipline"], "notes": "调卷"},
            "investigating",
        ),
        (dc.lower_inspector, "report", {"process": REPORT["process"]}, "investigating"),
    ]
    for user, slug, body, status in steps:
        detail = ok(act(user, cid, slug, body))
        assert detail["status"] == status, (slug, detail["status"])

    officer_id = Clue.objects.get(pk=cid).officers.get().pk
    detail = ok(
        act(
            dc.lower_handler2,
            cid,
            "submit-report",
            {
                **{k: v for k, v in REPORT.items() if k != "process"},  # process kept from the draft
                "officer_conduct": "承办人接受宴请属实。",
                "officer_findings": [
                    {"officer": officer_id, "result": "substantiated", "detail": "接受宴请一次。"}
                ],
            },
        )
    )
    assert detail["status"] == "reported"
    assert detail["reports"][0]["process"] == REPORT["process"]
    assert detail["report_deadline"] is None

    detail = ok(act(dc.head, cid, "review", {"decision": "accept", "opinion": "予以采纳。"}))
    assert detail["status"] == "accepted" and detail["allowed_actions"] == ["conclude"]
    detail = ok(
        act(
            dc.inspector,
            cid,
            "conclude",
            {
                "finding": "substantiated",
                "summary": "消极执行属实。",
                "participants": [dc.head.pk, dc.inspector.pk],
                "minutes": "会商形成检查结论。",
                "dispositions": [
                    {
                        "kind": "deadline_order",
                        "detail": "责令十日内采取查封措施。",
                        "target_court": "鲁0102",
                        "due_date": "2026-12-31",
                    },
                    {
                        "kind": "disciplinary",
                        "detail": "移送处理。",
                        "officer": officer_id,
                        "referred_to": "监察室",
                    },
                ],
            },
        )
    )
    assert detail["status"] == "concluded"
    assert [d["kind"] for d in detail["conclusion"]["dispositions"]] == ["deadline_order"]
    assert [d["kind"] for d in detail["confidential"]["dispositions"]] == ["disciplinary"]
    assert detail["team"]["active"] is False
    assert "feedback" in detail["allowed_actions"] and "close" in detail["allowed_actions"]

    detail = ok(act(dc.inspector, cid, "feedback", {"method": "phone", "content": "已电话告知反映人。"}))
    assert (detail["status"], detail["feedback"]["lead"]) == ("fed_back", "supervision")
    detail = ok(act(dc.inspector, cid, "close", {"note": "办结。"}))
    assert detail["status"] == "closed" and detail["is_open"] is False and detail["allowed_actions"] == []

    # the record the head of the handling court reads
    final = ok(client_for(dc.head).get(f"{URL}{cid}/"))
    referral = final["referrals"][0]
    assert (referral["mode"], referral["target_court"], referral["report_days"]) == ("refer", "鲁0102", 30)
    assert referral["deadline"]["rule"] == "DUALCHECK_REPORT" and referral["deadline"]["status"] == "met"
    assert set(referral["deadline"]) == {
        "id", "rule", "name", "status", "duration", "unit", "started_at", "due_at", "due_date", "provisional",
        "completed_at", "overdue", "basis", "basis_verified", "ended_at", "end_reason",
    }  # fmt: skip
    assert [m["purpose"] for m in final["meetings"]] == ["launch", "conclusion"]
    assert {p["user"]["id"] for p in final["meetings"][0]["participants"]} == {dc.head.pk, dc.inspector.pk}
    team = final["team"]
    assert (team["court"], team["methods"], team["scope"]) == (
        "鲁0102",
        ["file_review", "system_check"],
        ["passive", "discipline"],
    )
    assert [(m["user"]["id"], m["department"], m["is_leader"]) for m in team["members"]] == [
        (dc.lower_handler2.pk, "execution", True),
        (dc.lower_inspector.pk, "supervision", False),
    ]
    assert [(r["round"], r["status"]) for r in final["reports"]] == [(1, "submitted")]
    assert {k: final["reports"][0][k] for k in REPORT} == REPORT
    assert [(r["decision"], r["round"]) for r in final["reviews"]] == [("accept", 1)]
    assert final["conclusion"]["finding"] == "substantiated"
    assert final["confidential"] is None
    kinds = list(
        NodeEvent.objects.filter(subject_id=cid, kind__startswith="dualcheck.").values_list("kind", flat=True)
    )
    assert len(kinds) == 11


def test_supplementary_investigation_and_the_upper_court_investigating_directly(dc, clue):
    clue = advance(dc, clue, "reported")
    detail = ok(
        act(dc.head, clue.pk, "review", {"decision": "supplement", "opinion": "补充调查。", "days": 15})
    )
    assert (detail["status"], detail["round"]) == ("investigating", 2)
    assert (detail["report_deadline"]["rule"], detail["report_deadline"]["duration"]) == (
        "DUALCHECK_SUPPLEMENT",
        15,
    )
    assert [r["round"] for r in detail["reports"]] == [1]  # the second round's draft is the team's

    findings = [{"officer": clue.officers.get().pk, "result": "partly", "detail": "补充查明。"}]
    s_inv.report_submit(actor=dc.lower_inspector, clue=clue, officer_findings=findings, **REPORT)
    detail = ok(
        act(dc.head, clue.pk, "review", {"decision": "direct", "opinion": "由本院直接调查。", "days": 20})
    )
    assert (detail["status"], detail["target_court"], detail["round"]) == ("referred", "鲁01", 3)
    assert [r["mode"] for r in detail["referrals"]] == ["refer", "direct"]
    assert [r["round"] for r in detail["reports"]] == [1, 2]
    assert detail["team"]["active"] is False
    assert detail["allowed_actions"] == ["form-team"]  # the upper court forms its own team
    assert_error(
        act(dc.head, clue.pk, "review", {"decision": "accept", "opinion": "x"}), 409, "invalid_transition"
    )


def test_a_hearing_keeps_the_report_under_review(dc, clue):
    clue = advance(dc, clue, "reported")
    body = {"decision": "hearing", "opinion": "组织听证。", "hearing_at": "2026-11-01T09:00:00+08:00"}
    assert_error(act(dc.head, clue.pk, "review", body), 400, "invalid")  # no record of it
    detail = ok(act(dc.head, clue.pk, "review", {**body, "hearing_record": "双方到场陈述。"}))
    assert detail["status"] == "reported"
    assert detail["reviews"][0]["hearing_record"] == "双方到场陈述。"


def test_a_clue_dropped_at_screening_or_at_the_meeting(dc):
    first = register(dc)
    detail = ok(act(dc.working_group, first.pk, "screen", {"proceed": False, "opinion": "线索不具体。"}))
    assert (detail["status"], detail["close_reason"], detail["is_open"]) == (
        "not_launched",
        "线索不具体。",
        False,
    )

    second = advance(dc, register(dc), "pending_meeting")
    body = {"launch": False, "participants": [dc.head.pk, dc.inspector.pk], "minutes": "不予启动。"}
    detail = ok(act(dc.inspector, second.pk, "decide", body))
    assert (detail["status"], detail["meetings"][0]["launch"]) == ("not_launched", False)


def test_inspection_clues_go_straight_to_the_meeting(dc):
    detail = ok(
        client_for(dc.working_group).post(URL, register_body(dc, source="inspection"), format="json"), 201
    )
    assert detail["status"] == "pending_meeting"


# --- 409 for every illegal step ---------------------------------------------------------


def _bodies(dc):
    conclude = {
        "finding": "unsubstantiated",
        "summary": "不实。",
        "participants": [dc.head.pk, dc.inspector.pk],
        "minutes": "会商。",
    }
    return {
        "screen": (dc.working_group, {"proceed": True, "opinion": "提请审核。"}),
        "approve": (dc.head, {"approved": True, "opinion": "同意。"}),
        "decide": (
            dc.inspector,
            {"launch": True, "participants": [dc.head.pk, dc.inspector.pk], "minutes": "启动。"},
        ),
        "refer": (
            dc.head,
            {"mode": "refer", "target_court": "鲁0102", "report_days": 30, "instructions": "交办。"},
        ),
        "review": (dc.head, {"decision": "accept", "opinion": "采纳。"}),
        "conclude": (dc.inspector, conclude),
        "feedback": (dc.inspector, {"method": "phone", "content": "已告知。"}),
        "close": (dc.inspector, {}),
    }


LEGAL = {
    "received": {"screen"},
    "screened": {"approve"},
    "pending_meeting": {"decide"},
    "launched": {"refer"},
    "referred": set(),
    "investigating": set(),
    "reported": {"review"},
    "accepted": {"conclude"},
    "concluded": {"feedback", "close"},
    "fed_back": {"close"},
    "closed": set(),
    "not_launched": set(),
}


@pytest.mark.parametrize("stage", list(LEGAL))
def test_every_illegal_step_of_the_upper_court_is_409(dc, stage):
    clue = at_stage(dc, stage)
    for slug, (user, body) in _bodies(dc).items():
        if slug in LEGAL[stage]:
            continue
        before = snapshot(clue)
        body = assert_error(act(user, clue.pk, slug, body), 409, "invalid_transition")
        assert body["extra"]["status"] == stage, slug
        assert snapshot(clue) == before, slug


@pytest.mark.parametrize("stage", ["referred", "reported", "accepted", "concluded"])
def test_the_lower_courts_steps_out_of_turn_are_409(dc, stage):
    clue = at_stage(dc, stage)
    team = {
        "members": [
            {"user": dc.lower_handler2.pk, "department": "execution"},
            {"user": dc.lower_inspector.pk, "department": "supervision"},
        ]
    }
    attempts = [("record-work", {"methods": ["file_review"]}), ("report", REPORT), ("submit-report", REPORT)]
    if stage != "referred":
        attempts.append(("form-team", team))
    for slug, body in attempts:
        before = snapshot(clue)
        # 鲁0102's inspector sees the clue as long as 鲁0102 investigates it
        assert_error(act(dc.lower_inspector, clue.pk, slug, body), 409, "invalid_transition")
        assert snapshot(clue) == before, slug


# --- the report's four sections ---------------------------------------------------------


def test_submitting_a_report_without_its_sections_is_400_naming_each(dc, clue):
    clue = advance(dc, clue, "investigating")
    s_inv.team_record_work(actor=dc.lower_inspector, clue=clue, methods=["file_review"])
    before = snapshot(clue)

    body = assert_error(act(dc.lower_inspector, clue.pk, "submit-report", {}), 400, "report_incomplete")
    assert body["extra"]["missing"] == ["process", "facts", "analysis", "opinion"]
    assert {"process", "facts", "analysis", "opinion"} <= set(body["extra"]["fields"])
    assert "调查经过" in body["message"] and "处理意见" in body["message"]

    body = assert_error(
        act(
            dc.lower_inspector, clue.pk, "submit-report", {"process": "调卷。", "facts": "  ", "opinion": ""}
        ),
        400,
        "report_incomplete",
    )
    assert body["extra"]["missing"] == ["facts", "analysis", "opinion"]
    assert "process" not in body["extra"]["fields"]
    assert snapshot(clue) == before  # not even the draft was kept
    assert not Report.objects.exists()


def test_a_report_needs_a_finding_for_every_officer_and_the_methods(dc, clue):
    clue = advance(dc, clue, "investigating")
    body = assert_error(act(dc.lower_inspector, clue.pk, "submit-report", REPORT), 400, "report_incomplete")
    assert body["extra"]["missing"] == []
    assert set(body["extra"]["fields"]) == {"officer_findings", "methods"}


# --- scope: 404 ---------------------------------------------------------------------------


def test_sibling_courts_and_the_lower_court_before_referral_get_404(dc, clue):
    outsiders = [
        dc.sibling_inspector,
        dc.sibling_head,
        dc.lower_head,
        dc.lower_inspector,
        dc.clerk,
        dc.officer,
    ]
    for user in outsiders:
        client = client_for(user)
        assert_error(client.get(f"{URL}{clue.pk}/"), 404, "not_found")
        assert client.get(URL).json()["count"] == 0
        assert_error(act(user, clue.pk, "screen", {"proceed": True, "opinion": "x"}), 404, "not_found")
    assert_error(client_for(dc.inspector).get(f"{URL}999999/"), 404, "not_found")

    clue = advance(dc, clue, "referred")
    assert ok(client_for(dc.lower_head).get(f"{URL}{clue.pk}/"))["allowed_actions"] == ["form-team"]
    for user in (dc.sibling_inspector, dc.sibling_head, dc.officer, dc.clerk):
        assert_error(client_for(user).get(f"{URL}{clue.pk}/"), 404, "not_found")


def test_unauthenticated_is_401(clue):
    assert_error(APIClient().get(URL), 401, "not_authenticated")
    assert_error(APIClient().get(f"{URL}{clue.pk}/"), 401, "not_authenticated")


# --- 403: roles and machines ----------------------------------------------------------------


def test_role_refusals_are_403(dc, clue):
    assert_error(act(dc.inspector, clue.pk, "screen", {"proceed": True, "opinion": "x"}), 403, "not_allowed")
    ok(act(dc.head, clue.pk, "screen", {"proceed": True, "opinion": "提请审核。"}))
    assert_error(act(dc.head, clue.pk, "approve", {"approved": True, "opinion": "x"}), 403, "maker_checker")
    assert_error(
        act(dc.working_group, clue.pk, "approve", {"approved": True, "opinion": "x"}), 403, "not_allowed"
    )
    clue = at_stage(dc, "referred")
    body = {
        "members": [
            {"user": dc.lower_handler2.pk, "department": "execution"},
            {"user": dc.lower_inspector.pk, "department": "supervision"},
        ]
    }
    assert_error(act(dc.head, clue.pk, "form-team", body), 403, "not_allowed")  # the lower court forms it
    ok(act(dc.lower_head, clue.pk, "form-team", body))
    # the head who formed the team is not in it
    assert_error(
        act(dc.lower_head, clue.pk, "record-work", {"methods": ["file_review"]}), 403, "not_team_member"
    )


def test_a_team_needs_both_departments_422(dc, clue):
    clue = advance(dc, clue, "referred")
    body = {"members": [{"user": dc.lower_handler2.pk, "department": "execution"}]}
    assert_error(act(dc.lower_head, clue.pk, "form-team", body), 422, "team_composition")


def test_a_machine_client_registers_and_reads_but_takes_no_step(dc):
    client, machine = token_client(dc.courts.lu01)
    # its only court; a machine of 鲁01 sees only 鲁01's own cases
    body = register_body(dc, court=None, cases=[])
    created = ok(client.post(URL, body, format="json"), 201)
    assert (created["court"], created["confidential"], created["allowed_actions"]) == ("鲁01", None, [])
    assert ok(client.get(URL))["count"] == 1
    assert ok(client.get(f"{URL}{created['id']}/"))["id"] == created["id"]

    clue = Clue.objects.get(pk=created["id"])
    bodies = _bodies(dc)
    for stage in ["received", "screened", "pending_meeting", "launched", "referred", "investigating",
                  "reported", "accepted", "concluded", "fed_back"]:  # fmt: skip
        clue = advance(dc, clue, stage)
        for slug in ["screen", "approve", "decide", "refer", "form-team", "record-work", "report",
                     "submit-report", "review", "conclude", "feedback", "clarify", "close"]:  # fmt: skip
            before = snapshot(clue)
            response = client.post(f"{URL}{clue.pk}/{slug}/", bodies.get(slug, (None, {}))[1], format="json")
            assert_error(response, 403, "named_person_required")
            assert snapshot(clue) == before


@pytest.mark.parametrize(
    "stage",
    [
        "received",
        "screened",
        "pending_meeting",
        "launched",
        "referred",
        "investigating",
        "reported",
        "accepted",
        "concluded",
    ],  # fmt: skip
)
def test_the_services_themselves_refuse_a_machine_client_with_403(dc, stage):
    """Not only the API's guard: the services refuse a machine client too (403,
    never a 500)."""
    machine = make_member(Role.API_CLIENT, dc.courts.lu01, "machine_lu01")
    lower_machine = make_member(Role.API_CLIENT, dc.courts.lu0102, "machine_lu0102")
    clue = at_stage(dc, stage)
    step = {
        "received": lambda a: s_clues.clue_screen(actor=a, clue=clue, proceed=True, opinion="x"),
        "screened": lambda a: s_clues.clue_approve(actor=a, clue=clue, approved=True, opinion="x"),
        "pending_meeting": lambda a: s_clues.clue_decide(
            actor=a, clue=clue, launch=True, participants=[dc.head, dc.inspector], minutes="x"
        ),
        "launched": lambda a: s_clues.clue_refer(
            actor=a, clue=clue, mode="refer", target_court=dc.courts.lu0102, report_days=5, instructions="x"
        ),
        "referred": lambda a: s_inv.team_form(
            actor=a,
            clue=clue,
            members=[
                {"user": dc.lower_handler2, "department": "execution"},
                {"user": dc.lower_inspector, "department": "supervision"},
            ],  # fmt: skip
        ),
        "investigating": lambda a: s_inv.report_submit(actor=a, clue=clue, **REPORT),
        "reported": lambda a: s_inv.clue_review(actor=a, clue=clue, decision="accept", opinion="x"),
        "accepted": lambda a: s_out.clue_conclude(
            actor=a,
            clue=clue,
            finding="unsubstantiated",
            summary="x",
            participants=[dc.head, dc.inspector],
            minutes="x",
            dispositions=[],
        ),  # fmt: skip
        "concluded": lambda a: s_out.clue_feedback(actor=a, clue=clue, method="phone", content="x"),
    }[stage]
    for actor in (machine, lower_machine):
        before = snapshot(clue)
        with pytest.raises(ApplicationError) as refused:
            step(actor)
        if actor is lower_machine:
            assert refused.value.status_code == 404  # 鲁0102's machine never sees a clue about 鲁0102
        else:
            assert refused.value.status_code == 403, (stage, refused.value.code, refused.value.message)
        assert snapshot(clue) == before
    if stage in ("concluded",):
        with pytest.raises(ApplicationError) as refused:
            s_out.clue_close(actor=machine, clue=clue)
        assert refused.value.status_code == 403


def test_a_step_replayed_with_its_idempotency_key_is_not_taken_twice(dc, clue):
    client = client_for(dc.working_group)
    url = f"{URL}{clue.pk}/screen/"
    body = {"proceed": True, "opinion": "提请审核。"}
    first = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="screen-1")
    again = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="screen-1")
    assert (first.status_code, again.status_code, again["Idempotent-Replayed"]) == (200, 200, "true")
    assert again.json() == first.json()
    other = client.post(
        url, {**body, "opinion": "另一意见。"}, format="json", HTTP_IDEMPOTENCY_KEY="screen-1"
    )
    assert_error(other, 409, "idempotency_key_reused")
    assert_error(client.post(url, body, format="json"), 409, "invalid_transition")
    assert NodeEvent.objects.filter(kind="dualcheck.clue_screened").count() == 1


# --- one click from a petition or an alert ----------------------------------------------------


def test_a_flagged_petition_becomes_a_clue_through_the_api(dc):
    petition = petition_receive(
        actor=dc.clerk,
        court=dc.courts.lu0102,
        channel="letter",
        petitioner_name="李四",
        petitioner_phone="13812345678",
        content="来信反映执行法院立案三个月未采取任何措施。",
        received_at=at("2026-10-09 10:00"),
        case=dc.case,
    )
    client = client_for(dc.working_group)
    url = f"{URL}from-petition/"
    assert_error(client.post(url, {"petition": petition.pk}, format="json"), 409, "not_flagged")
    petition_flag_dualcheck(actor=dc.working_group, petition=petition, reason="反映消极执行")

    detail = ok(client.post(url, {"petition": petition.pk}, format="json"), 201)
    assert (detail["court"], detail["source"], detail["petition"]) == ("鲁01", "letters_visits", petition.pk)
    assert detail["complainant_phone"] == "138****5678"
    assert_error(client.post(url, {"petition": petition.pk}, format="json"), 409, "already_linked")
    assert_error(client.post(url, {"petition": 999999}, format="json"), 404, "not_found")
    assert_error(client.post(url, {"petition": "x"}, format="json"), 400, "invalid")
    assert_error(client.post(url, {}, format="json"), 400, "invalid")
    assert Clue.objects.count() == 1


def test_an_alert_becomes_a_clue_through_the_api(dc):
    scan_court(court_id=dc.courts.lu0102.pk, at=at("2026-10-14 09:00"))
    alert = Alert.objects.get(deadline__case=dc.case, deadline__rule__code="SEARCH_START")
    url = f"{URL}from-alert/"

    detail = ok(client_for(dc.inspector).post(url, {"alert": alert.pk}, format="json"), 201)
    assert (detail["source"], detail["alert"], detail["status"]) == (
        "command_centre",
        alert.pk,
        "pending_meeting",
    )
    assert_error(
        client_for(dc.working_group).post(url, {"alert": alert.pk}, format="json"), 409, "already_linked"
    )
    assert_error(
        client_for(dc.lower_head).post(url, {"alert": alert.pk}, format="json"), 403, "not_dualcheck_role"
    )
    assert_error(client_for(dc.inspector).post(url, {"alert": 10**12}, format="json"), 404, "not_found")


# --- the list ------------------------------------------------------------------------------------


def test_the_list_filters_and_orders(dc):
    first = register(dc)
    second = advance(dc, register(dc, source="inspection", received_at=at("2026-10-01 09:00")), "referred")
    other_case_clue = register(dc, cases=[], officers=[], officer_allegation="")
    dropped = at_stage(dc, "not_launched")
    client = client_for(dc.inspector)

    def ids(**params):
        body = ok(client.get(URL, params))
        return [row["id"] for row in body["results"]]

    assert ids() == [dropped.pk, other_case_clue.pk, first.pk, second.pk]  # newest received first
    assert ids(status="referred") == [second.pk]
    assert ids(source="inspection") == [second.pk]
    assert ids(court="鲁0102") == [second.pk]
    assert set(ids(court="鲁01")) == {first.pk, second.pk, other_case_clue.pk, dropped.pk}
    assert ids(court="鲁02") == []
    assert set(ids(case=dc.case.pk)) == {first.pk, second.pk, dropped.pk}
    assert dropped.pk not in ids(open="true") and ids(open="false") == [dropped.pk]
    assert ids(ordering="received_at")[0] == second.pk
    assert ids(ordering="number") == [first.pk, second.pk, other_case_clue.pk, dropped.pk]
    assert ids(ordering="-number") == [dropped.pk, other_case_clue.pk, second.pk, first.pk]
    assert ids(ordering="status")[0] == dropped.pk  # "not_launched" < "received" < "referred"
    assert ok(client.get(URL, {"page_size": 2}))["count"] == 4
    assert len(ok(client.get(URL, {"page_size": 2}))["results"]) == 2

    for params in ({"status": "x"}, {"case": "abc"}, {"case": 10**30}, {"open": "perhaps"},
                   {"ordering": "officer_allegation"}, {"ordering": "officers__name"}, {"court": "x" * 17}, {"officer": "李\x00"}):  # fmt: skip
        assert_error(client.get(URL, params), 400, "invalid")
    assert client.get(URL, {"page": 99}).status_code == 404

    row = ok(client.get(URL, {"status": "referred"}))["results"][0]
    assert row["report_deadline"]["rule"] == "DUALCHECK_REPORT"
    assert row["target_court"] == "鲁0102"


def test_the_list_costs_the_same_number_of_queries_for_one_clue_or_many(dc):
    def count(user, params):
        client = client_for(user)
        client.get(URL, params)  # the session and the user are loaded the same way each time
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, params)
        assert response.status_code == 200
        return len(queries), response.json()["count"]

    advance(dc, register(dc), "referred")
    one = {
        (user, key): count(user, params)
        for user in (dc.inspector, dc.head)
        for key, params in (("all", {}), ("officer", {"officer": "李承办"}))
    }
    for _ in range(5):
        advance(dc, register(dc), "referred")
    many = {
        (user, key): count(user, params)
        for user in (dc.inspector, dc.head)
        for key, params in (("all", {}), ("officer", {"officer": "李承办"}))
    }
    for key in one:
        assert one[key][0] == many[key][0], key
    assert many[(dc.inspector, "all")][1] == 6 and many[(dc.inspector, "officer")][1] == 6
    assert many[(dc.head, "officer")][1] == 0  # the filter reveals nothing to a non-confidential reader
    assert max(n for n, _count in many.values()) <= 12


# --- the answers have the documented shape -------------------------------------------------------


@pytest.fixture(scope="module")
def schema():
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def test_answers_conform_to_the_schema(schema, dc):
    from tests.core.test_schema import assert_conforms

    clue = register(dc)
    clue = advance(dc, clue, "investigating")
    s_inv.report_attachment_add(
        actor=dc.lower_inspector, clue=clue, name="笔录.txt", content_type="text/plain", data=b"x"
    )
    clue.refresh_from_db()
    clue = advance(dc, clue, "fed_back")
    path = "/api/v1/dualcheck/clues/{clue_id}/"
    for user in (dc.inspector, dc.head, dc.leader):
        detail = assert_conforms(schema, path, "get", client_for(user).get(f"{URL}{clue.pk}/"))
        assert (detail["confidential"] is None) == (user is dc.head)
    assert_conforms(schema, "/api/v1/dualcheck/clues/", "get", client_for(dc.inspector).get(URL))
    closed = act(dc.inspector, clue.pk, "close", {})
    assert_conforms(schema, "/api/v1/dualcheck/clues/{clue_id}/close/", "post", closed)
    refused = act(dc.inspector, clue.pk, "close", {})
    assert_conforms(schema, "/api/v1/dualcheck/clues/{clue_id}/close/", "post", refused)
    created = client_for(dc.working_group).post(URL, register_body(dc), format="json")
    assert_conforms(schema, "/api/v1/dualcheck/clues/", "post", created)


def test_every_step_has_its_operation(schema):
    for slug in ["screen", "approve", "decide", "refer", "form-team", "record-work", "report", "submit-report",
                 "review", "conclude", "feedback", "clarify", "close"]:  # fmt: skip
        operation = schema["paths"][f"/api/v1/dualcheck/clues/{{clue_id}}/{slug}/"]["post"]
        assert operation["operationId"] == f"dualcheck_clues_{slug.replace('-', '_')}"
    assert schema["paths"]["/api/v1/dualcheck/clues/"]["get"]["operationId"] == "dualcheck_clues_list"
    listing = schema["paths"]["/api/v1/dualcheck/clues/"]["get"]["responses"]["200"]["content"]
    assert listing["application/json"]["schema"]["$ref"].endswith("/PaginatedDualcheckClueOutList")
