"""REST: the confidential (干警) content of 一案双查, tested as a security feature.

Who gets ``confidential`` in the detail (and the report attachments): the
supervision department of the courts involved, the joint team while it exists and
court leaders; bureau heads and the working group see the clue without it; the
officer concerned, sibling courts and other staff get 404. Every read leaves a
``ConfidentialRead`` row; a revoked membership or a removal from the team ends it
on the next request; the list and its ``officer`` filter leak nothing."""

import json
from urllib.parse import quote

import pytest
from django.utils import timezone

from core.models import Role
from dualcheck.models import Clue, ConclusionFinding, ConfidentialRead, DispositionKind, TeamMember
from dualcheck.services import investigation as s_inv
from dualcheck.services import outcome as s_out
from tests.core.factories import make_member
from tests.dualcheck.factories import advance, form_team, register, revoke
from tests.dualcheck.test_api import URL, act, assert_error, client_for, ok, token_client

pytestmark = pytest.mark.django_db

# Confidential texts, distinctive enough to be searched for in any answer.
OFFICER_NAME = "李承办"
ALLEGATION = "反映承办人收受被执行人宴请并索要好处费五千元"
CONDUCT = "经查该承办人于八月两次接受被执行人宴请"
FINDING = "宴请属实，好处费查无实据"
DISCIPLINE = "建议给予警告处分并移送纪检"
CLARIFICATION = "经查不存在收受宴请问题，予以澄清"
ATTACHMENT = "谈话笔录（涉密）.txt"
SECRETS = (OFFICER_NAME, ALLEGATION, CONDUCT, FINDING, DISCIPLINE, CLARIFICATION, ATTACHMENT)


def assert_no_secret(response):
    text = response.content.decode()
    for secret in SECRETS:
        assert secret not in text, secret


def reads(user=None, what=None) -> int:
    qs = ConfidentialRead.objects.all()
    if user is not None:
        qs = qs.filter(user=user)
    if what is not None:
        qs = qs.filter(what=what)
    return qs.count()


def new_clue(dc, **overrides) -> Clue:
    return register(
        dc,
        officer_allegation=ALLEGATION,
        officers=[
            {"name": OFFICER_NAME, "court": dc.courts.lu0102, "user": dc.officer, "position": "承办人"}
        ],
        **overrides,
    )


def investigating(dc, **overrides) -> Clue:
    """Referred to 鲁0102, whose team is its second handler (no role that sees
    clues: only the team membership lets them in) and its inspector; the work is
    recorded and a confidential attachment uploaded to the draft."""
    clue = advance(dc, new_clue(dc, **overrides), "referred")
    form_team(dc, clue)
    s_inv.team_record_work(actor=dc.lower_inspector, clue=clue, methods=["file_review", "internal_interview"])
    s_inv.report_attachment_add(
        actor=dc.lower_inspector, clue=clue, name=ATTACHMENT, content_type="text/plain", data=CONDUCT.encode()
    )
    clue.refresh_from_db()
    return clue


def reported(dc) -> Clue:
    clue = investigating(dc)
    s_inv.report_submit(
        actor=dc.lower_inspector,
        clue=clue,
        process="调卷审查、约谈承办人。",
        facts="立案后三个月未发起网络查控。",
        analysis="构成消极执行。",
        opinion="建议督促限期办理。",
        officer_conduct=CONDUCT,
        officer_findings=[{"officer": clue.officers.get().pk, "result": "partly", "detail": FINDING}],
    )
    clue.refresh_from_db()
    return clue


def conclude(dc, clue, finding=ConclusionFinding.PARTLY) -> Clue:
    dispositions = []
    if finding != ConclusionFinding.UNSUBSTANTIATED:
        dispositions = [
            {"kind": DispositionKind.CORRECTION, "detail": "责令纠正。", "target_court": dc.courts.lu0102},
            {
                "kind": DispositionKind.DISCIPLINARY,
                "detail": DISCIPLINE,
                "officer": clue.officers.get().pk,
                "referred_to": "历下区法院监察室",
            },
        ]
    s_out.clue_conclude(
        actor=dc.inspector,
        clue=clue,
        finding=finding,
        summary="会商结论。",
        participants=[dc.head, dc.inspector],
        minutes="会商形成检查结论。",
        dispositions=dispositions,
    )
    clue.refresh_from_db()
    return clue


def detail(user, clue) -> dict:
    return ok(client_for(user).get(f"{URL}{clue.pk}/"))


# --- who reads it ---------------------------------------------------------------------------


def test_the_supervision_department_the_team_and_court_leaders_read_it_and_each_read_is_recorded(dc):
    clue = reported(dc)
    readers = {
        "inspector of the handling court": dc.inspector,
        "inspector of the investigating court": dc.lower_inspector,
        "member of the joint team": dc.lower_handler2,
        "court leader above": dc.leader,
    }
    for who, user in readers.items():
        before = reads()
        body = detail(user, clue)
        block = body["confidential"]
        assert block is not None, who
        assert block["officer_allegation"] == ALLEGATION
        assert [(o["name"], o["court"], o["user"]) for o in block["officers"]] == [
            (OFFICER_NAME, "鲁0102", dc.officer.pk)
        ]
        [report] = block["reports"]
        assert (report["round"], report["officer_conduct"]) == (1, CONDUCT)
        assert [(f["officer_name"], f["result"], f["detail"]) for f in report["officer_findings"]] == [
            (OFFICER_NAME, "partly", FINDING)
        ]
        [attachment] = report["attachments"]
        assert (attachment["name"], attachment["content_type"], attachment["size"]) == (
            ATTACHMENT,
            "text/plain",
            len(CONDUCT.encode()),
        )
        assert (block["dispositions"], block["clarification"]) == ([], None)
        # exactly one read, of this clue, by this person, through the API
        assert reads() == before + 1, who
        read = ConfidentialRead.objects.order_by("-id").first()
        assert (read.clue_id, read.user_id, read.what, read.via) == (clue.pk, user.pk, "detail", "api")


@pytest.mark.parametrize("who", ["head", "working_group", "lower_head"])
def test_bureau_heads_and_the_working_group_see_the_clue_without_it(dc, who):
    clue = reported(dc)
    user = getattr(dc, who)
    response = client_for(user).get(f"{URL}{clue.pk}/")
    body = ok(response)
    assert body["confidential"] is None
    assert body["reports"][0]["facts"] == "立案后三个月未发起网络查控。"  # the rest of the report is theirs
    assert_no_secret(response)
    assert reads() == 0


@pytest.mark.parametrize("who", ["officer", "sibling_inspector", "sibling_head", "clerk"])
def test_the_officer_concerned_and_everyone_else_get_404(dc, who):
    clue = reported(dc)
    client = client_for(getattr(dc, who))
    assert_error(client.get(f"{URL}{clue.pk}/"), 404, "not_found")
    assert client.get(URL).json()["count"] == 0
    assert client.get(URL, {"officer": OFFICER_NAME}).json()["count"] == 0
    attachment = clue.reports.get().attachments.get()
    assert_error(client.get(f"/api/v1/dualcheck/attachments/{attachment.pk}/"), 404, "not_found")
    assert reads() == 0


def test_an_officer_concerned_who_is_an_inspector_is_still_shut_out(dc):
    """The inspector of 鲁0102 is the one complained about: their role would open
    the clue, being concerned closes it."""
    clue = register(
        dc,
        officer_allegation=ALLEGATION,
        officers=[{"name": OFFICER_NAME, "court": dc.courts.lu0102, "user": dc.lower_inspector}],
    )
    clue = advance(dc, clue, "referred")
    client = client_for(dc.lower_inspector)
    assert_error(client.get(f"{URL}{clue.pk}/"), 404, "not_found")
    assert client.get(URL).json()["count"] == 0
    assert client.get(URL, {"officer": str(dc.lower_inspector.pk)}).json()["count"] == 0
    assert_error(
        act(dc.lower_inspector, clue.pk, "form-team", {"members": []}), 404, "not_found"
    )  # nor act on it
    assert detail(dc.lower_head, clue)["confidential"] is None
    assert reads() == 0


# --- access ends on the next request --------------------------------------------------------


def test_a_revoked_inspector_membership_loses_it_on_the_next_request(dc):
    clue = reported(dc)
    make_member(
        Role.CASE_SUPERVISOR, dc.courts.lu01, "inspector"
    )  # the inspector also sits in the command centre
    client = client_for(dc.inspector)  # one session across the revocation
    assert client.get(f"{URL}{clue.pk}/").json()["confidential"] is not None

    revoke(dc.inspector, dc.courts.lu01, Role.INSPECTOR)

    response = client.get(f"{URL}{clue.pk}/")
    assert ok(response)["confidential"] is None  # still sees the clue as 专人监管, not the 干警 part
    assert_no_secret(response)
    attachment = clue.reports.get().attachments.get()
    assert_error(client.get(f"/api/v1/dualcheck/attachments/{attachment.pk}/"), 404, "not_found")
    assert client.get(URL, {"officer": OFFICER_NAME}).json()["count"] == 0
    assert reads(dc.inspector) == 1

    revoke(dc.inspector, dc.courts.lu01, Role.CASE_SUPERVISOR)
    assert_error(client.get(f"{URL}{clue.pk}/"), 404, "not_found")


def test_a_revoked_court_leader_loses_it_on_the_next_request(dc):
    clue = reported(dc)
    client = client_for(dc.leader)
    assert client.get(f"{URL}{clue.pk}/").json()["confidential"] is not None
    revoke(dc.leader, dc.courts.lu, Role.COURT_LEADER)
    assert_error(client.get(f"{URL}{clue.pk}/"), 404, "not_found")
    assert reads(dc.leader) == 1


def test_a_member_removed_from_the_team_loses_it_on_the_next_request(dc):
    clue = reported(dc)
    client = client_for(dc.lower_handler2)
    attachment = clue.reports.get().attachments.get()
    assert client.get(f"{URL}{clue.pk}/").json()["confidential"] is not None
    assert client.get(f"/api/v1/dualcheck/attachments/{attachment.pk}/").status_code == 200

    TeamMember.objects.filter(user=dc.lower_handler2).update(removed_at=timezone.now())

    assert_error(client.get(f"{URL}{clue.pk}/"), 404, "not_found")  # a handler sees clues only as a member
    assert_error(client.get(f"/api/v1/dualcheck/attachments/{attachment.pk}/"), 404, "not_found")
    assert client.get(URL).json()["count"] == 0
    assert reads(dc.lower_handler2) == 2  # the detail and the attachment, before the removal


def test_a_bureau_head_removed_from_the_team_keeps_the_clue_but_not_its_confidential_part(dc):
    clue = advance(dc, new_clue(dc), "reported")  # the team: 鲁0102's head and inspector
    client = client_for(dc.lower_head)
    assert client.get(f"{URL}{clue.pk}/").json()["confidential"] is not None
    TeamMember.objects.filter(user=dc.lower_head).update(removed_at=timezone.now())
    response = client.get(f"{URL}{clue.pk}/")
    assert ok(response)["confidential"] is None
    assert_no_secret(response)


def test_the_conclusion_dissolves_the_team_and_its_access(dc):
    clue = reported(dc)
    clue = advance(dc, clue, "accepted")
    attachment = clue.reports.get().attachments.get()
    member = client_for(dc.lower_handler2)
    assert member.get(f"{URL}{clue.pk}/").json()["confidential"] is not None

    concluded = ok(
        act(
            dc.inspector,
            clue.pk,
            "conclude",
            {
                "finding": "partly",
                "summary": "会商结论。",
                "participants": [dc.head.pk, dc.inspector.pk],
                "minutes": "会商形成检查结论。",
                "dispositions": [{"kind": "correction", "detail": "责令纠正。", "target_court": "鲁0102"}],
            },
        )
    )
    assert concluded["team"]["active"] is False

    assert_error(member.get(f"{URL}{clue.pk}/"), 404, "not_found")
    assert_error(member.get(f"/api/v1/dualcheck/attachments/{attachment.pk}/"), 404, "not_found")
    # the investigating court's supervision department still reads it (its role, not the team)
    assert detail(dc.lower_inspector, clue)["confidential"] is not None


def test_replaying_an_answer_does_not_revive_revoked_access(dc):
    """An ``Idempotency-Key`` replay of a step's answer goes through the gates again."""
    clue = advance(dc, new_clue(dc), "pending_meeting")
    make_member(Role.CASE_SUPERVISOR, dc.courts.lu01, "inspector")
    client = client_for(dc.inspector)
    url = f"{URL}{clue.pk}/decide/"
    body = {"launch": True, "participants": [dc.head.pk, dc.inspector.pk], "minutes": "启动。"}
    first = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="decide-1")
    assert first.json()["confidential"]["officer_allegation"] == ALLEGATION
    again = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="decide-1")
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert reads(dc.inspector) == 2  # the replay showed it again, so it is a read

    revoke(dc.inspector, dc.courts.lu01, Role.INSPECTOR)
    replayed = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="decide-1")
    assert replayed.status_code == 200 and replayed["Idempotent-Replayed"] == "true"
    assert replayed.json() == {**first.json(), "confidential": None}
    assert_no_secret(replayed)
    assert reads(dc.inspector) == 2

    revoke(dc.inspector, dc.courts.lu01, Role.CASE_SUPERVISOR)
    assert_error(client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="decide-1"), 404, "not_found")


# --- what is in it and what is not ----------------------------------------------------------


def test_disciplinary_dispositions_are_only_in_the_confidential_part(dc):
    clue = conclude(dc, advance(dc, reported(dc), "accepted"))
    response = client_for(dc.head).get(f"{URL}{clue.pk}/")
    body = ok(response)
    assert [d["kind"] for d in body["conclusion"]["dispositions"]] == ["correction"]
    assert body["confidential"] is None
    assert_no_secret(response)

    block = detail(dc.inspector, clue)["confidential"]
    assert [d["kind"] for d in detail(dc.inspector, clue)["conclusion"]["dispositions"]] == ["correction"]
    [disciplinary] = block["dispositions"]
    assert (disciplinary["detail"], disciplinary["officer_name"], disciplinary["referred_to"]) == (
        DISCIPLINE,
        OFFICER_NAME,
        "历下区法院监察室",
    )


def test_the_clarification_is_confidential_and_only_the_supervision_department_clarifies(dc):
    clue = conclude(dc, advance(dc, reported(dc), "accepted"), finding=ConclusionFinding.UNSUBSTANTIATED)
    body = {"scope": "历下区法院执行局", "content": CLARIFICATION}
    assert "clarify" in detail(dc.inspector, clue)["allowed_actions"]
    assert "clarify" not in detail(dc.head, clue)["allowed_actions"]
    assert_error(act(dc.head, clue.pk, "clarify", body), 403, "not_allowed")

    clarified = ok(act(dc.inspector, clue.pk, "clarify", body))
    assert clarified["confidential"]["clarification"]["content"] == CLARIFICATION
    assert "clarify" not in clarified["allowed_actions"]
    assert_error(act(dc.inspector, clue.pk, "clarify", body), 409, "invalid_transition")
    response = client_for(dc.head).get(f"{URL}{clue.pk}/")
    assert ok(response)["confidential"] is None
    assert_no_secret(response)


def test_a_draft_and_its_attachments_are_the_teams_until_submitted(dc):
    clue = investigating(dc)
    s_inv.report_save(actor=dc.lower_inspector, clue=clue, process="调卷审查。", officer_conduct=CONDUCT)
    upper = detail(dc.inspector, clue)
    assert (upper["reports"], upper["confidential"]["reports"]) == ([], [])
    team = detail(dc.lower_handler2, clue)
    assert team["reports"][0]["status"] == "draft"
    assert team["confidential"]["reports"][0]["officer_conduct"] == CONDUCT

    attachment = clue.reports.get().attachments.get()
    url = f"/api/v1/dualcheck/attachments/{attachment.pk}/"
    assert_error(client_for(dc.inspector).get(url), 404, "not_found")
    response = client_for(dc.lower_handler2).get(url)
    assert response.status_code == 200
    assert response.content == CONDUCT.encode()
    assert response["Content-Type"].startswith("text/plain")
    assert response["Content-Disposition"] == f"attachment; filename*=UTF-8''{quote(ATTACHMENT)}"
    assert "no-store" in response["Cache-Control"]


def test_attachments_of_a_submitted_report_and_the_record_of_their_reads(dc):
    clue = reported(dc)
    attachment = clue.reports.get().attachments.get()
    url = f"/api/v1/dualcheck/attachments/{attachment.pk}/"
    for user in (dc.inspector, dc.lower_inspector, dc.leader, dc.lower_handler2):
        response = client_for(user).get(url)
        assert response.status_code == 200 and response.content == CONDUCT.encode()
    for user in (dc.head, dc.lower_head, dc.working_group, dc.officer, dc.sibling_inspector, dc.clerk):
        assert_error(client_for(user).get(url), 404, "not_found")
    machine, _user = token_client(dc.courts.lu01)
    assert_error(machine.get(url), 404, "not_found")
    assert_error(client_for(dc.inspector).get("/api/v1/dualcheck/attachments/999999/"), 404, "not_found")
    assert reads(what="attachment") == 4 and reads() == 4
    assert set(ConfidentialRead.objects.values_list("via", flat=True)) == {"api"}


def test_every_answer_with_the_block_is_a_recorded_read(dc):
    clue = advance(dc, new_clue(dc), "reported")
    detail(dc.inspector, clue)
    detail(dc.inspector, clue)
    assert reads(dc.inspector, "detail") == 2
    ok(act(dc.head, clue.pk, "review", {"decision": "accept", "opinion": "采纳。"}))  # no block for the head
    assert reads() == 2
    ok(act(dc.inspector, clue.pk, "conclude", {
        "finding": "unsubstantiated", "summary": "不实。", "participants": [dc.head.pk, dc.inspector.pk],
        "minutes": "会商。",
    }))  # fmt: skip
    assert reads(dc.inspector, "detail") == 3  # the step's answer carries the block
    assert_error(act(dc.inspector, clue.pk, "conclude", {}), 400, "invalid")
    assert reads() == 3  # a refused step shows nothing


# --- lists and the officer filter -------------------------------------------------------------


def test_list_rows_never_carry_confidential_content(dc):
    conclude(dc, advance(dc, reported(dc), "accepted"))
    for user in (dc.inspector, dc.leader, dc.head):
        for params in ({}, {"officer": OFFICER_NAME}):
            response = client_for(user).get(URL, params)
            assert response.status_code == 200
            assert_no_secret(response)
            for row in response.json()["results"]:
                assert not {"confidential", "officers", "officer_allegation", "reports"} & set(row)
    assert reads(what="detail") == 0


@pytest.mark.parametrize("who", ["head", "working_group", "lower_head", "machine"])
def test_the_officer_filter_reveals_nothing_to_a_reader_without_confidential_access(dc, who):
    clue = reported(dc)
    if who == "machine":
        client, _user = token_client(dc.courts.lu01)
    else:
        client = client_for(getattr(dc, who))
    assert client.get(URL).json()["count"] == 1  # they do see the clue...
    answers = [
        client.get(URL, {"officer": value}).json()
        for value in (OFFICER_NAME, "李", str(dc.officer.pk), "王某某", "999999")
    ]
    # ...but the filter answers the same whether the officer is concerned or not
    assert all(a == {"count": 0, "next": None, "previous": None, "results": []} for a in answers)
    assert reads() == 0
    assert detail(dc.inspector, clue)["id"] == clue.pk  # sanity: there is something to find


def test_the_officer_filter_finds_clues_for_the_supervision_department_and_records_it(dc):
    clue = reported(dc)
    other = register(dc, officers=[], officer_allegation="")
    client = client_for(dc.inspector)

    def ids(value):
        return [row["id"] for row in client.get(URL, {"officer": value}).json()["results"]]

    assert ids(OFFICER_NAME) == [clue.pk]
    assert ids("李") == [clue.pk]
    assert ids(str(dc.officer.pk)) == [clue.pk]
    assert ids("王某某") == [] and ids("999999") == []
    assert other.pk in [row["id"] for row in client.get(URL).json()["results"]]
    assert reads(dc.inspector, "officer_search") == 3  # one per clue shown
    assert reads() == 3
    # the team member and the lower inspector find it too, within their reach
    assert [
        r["id"] for r in client_for(dc.lower_handler2).get(URL, {"officer": OFFICER_NAME}).json()["results"]
    ] == [clue.pk]


def test_no_confidential_text_in_any_answer_to_those_without_access(dc):
    """Belt and braces: walk a clue to closure and read every answer a bureau head
    gets, searching the raw JSON for the secrets."""
    clue = conclude(dc, advance(dc, reported(dc), "accepted"))
    clue = advance(dc, clue, "closed")
    client = client_for(dc.head)
    for response in (client.get(URL), client.get(f"{URL}{clue.pk}/"), client.get(URL, {"case": dc.case.pk})):
        assert response.status_code == 200
        assert_no_secret(response)
        text = json.dumps(response.json(), ensure_ascii=False)
        assert "disciplinary" not in text
