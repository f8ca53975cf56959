"""REST: /api/v1/dualcheck/ — malformed input of every kind (wrong types, nulls,
huge lists, strings for ids, unknown ids and courts, out-of-range numbers, NUL and
lone surrogates) is refused with 400 (or the rule's 422), never a 500, and
nothing is written."""

import json

import pytest

from core.models import NodeEvent
from dualcheck.models import Clue
from tests.dualcheck.factories import at_stage, snapshot
from tests.dualcheck.test_api import URL, act, client_for, register_body

pytestmark = pytest.mark.django_db

# --- bad input: 400, nothing written ---------------------------------------------------------


@pytest.mark.parametrize(
    "overrides",
    [
        {"cases": "abc"},
        {"cases": ["abc"]},
        {"cases": [0]},
        {"cases": [10**30]},
        {"cases": list(range(1, 60))},
        {"cases": [999999]},
        {"cases": None},
        {"officers": None},
        {"officers": "李承办"},
        {"officers": [{"name": None, "court": "鲁0102"}]},
        {"officers": [{"name": "李承办", "court": "不存在"}]},
        {"officers": [{"name": "李承办", "court": "鲁02"}]},
        {"officers": [{"name": "李承办", "court": "鲁0102", "user": "abc"}]},
        {"officers": [{"name": "李承办", "court": "鲁0102", "user": 999999}]},
        {"officers": [{"name": "x" * 51, "court": "鲁0102"}]},
        {"officers": [{"name": "李承办", "court": "鲁0102"}] * 51},
        {"source": "fax"},
        {"source": None},
        {"summary": ""},
        {"summary": None},
        {"summary": "x" * 20001},
        {"summary": ["a"]},
        {"summary": "a\x00b"},
        {"summary": "\ud800"},
        {"court": "鲁\x0001"},
        {"officers": [{"name": "李承办", "court": "鲁0102\x00"}]},
        {"received_at": "yesterday"},
        {"received_at": "2099-01-01T00:00:00+08:00"},
        {"court": "不存在"},
        {"court": "鲁0102"},  # a basic court handles no clue
        {"court": ["鲁01"]},
        {"complainant_phone": "12345"},
        {"complainant_name": "x" * 101},
    ],
)
def test_bad_registrations_are_refused_and_write_nothing(dc, overrides):
    raw = json.dumps(register_body(dc, **overrides))  # ASCII-escaped, so a lone surrogate can be sent
    response = client_for(dc.working_group).post(URL, raw, content_type="application/json")
    assert response.status_code in (400, 422), response.content
    assert set(response.json()) == {"code", "message", "extra"}
    assert not Clue.objects.exists() and not NodeEvent.objects.filter(kind__startswith="dualcheck.").exists()


@pytest.mark.parametrize("body", [[], "x", 1, None, [{"source": "other"}]])
def test_a_body_that_is_not_an_object_is_400(dc, clue, body):
    client = client_for(dc.working_group)
    assert client.post(URL, body, format="json").status_code == 400
    assert act(dc.working_group, clue.pk, "screen", body).status_code == 400
    assert Clue.objects.count() == 1 and Clue.objects.get().status == "received"


DECIDE = {"launch": True, "participants": "PEOPLE", "minutes": "x"}
REFER = {"mode": "refer", "target_court": "鲁0102", "report_days": 5, "instructions": "x"}
CONCLUDE = {"finding": "partly", "summary": "x", "participants": "PEOPLE", "minutes": "x"}
FUTURE = "2099-01-01T00:00:00+08:00"


def conclude_with(*dispositions):
    return {**CONCLUDE, "dispositions": list(dispositions)}


BAD_STEPS = [
    ("received", "screen", "working_group", {"proceed": "maybe", "opinion": "x"}),
    ("received", "screen", "working_group", {"proceed": True, "opinion": None}),
    ("received", "screen", "working_group", {"proceed": True, "opinion": "x" * 2001}),
    ("received", "screen", "working_group", {"opinion": "x"}),
    ("screened", "approve", "head", {"approved": None, "opinion": "x"}),
    ("pending_meeting", "decide", "inspector", {**DECIDE, "participants": "1,2"}),
    ("pending_meeting", "decide", "inspector", {**DECIDE, "participants": [999999]}),
    ("pending_meeting", "decide", "inspector", {**DECIDE, "participants": []}),
    ("pending_meeting", "decide", "inspector", {**DECIDE, "participants": list(range(1, 200))}),
    ("pending_meeting", "decide", "inspector", {**DECIDE, "participants": ["head"]}),
    ("pending_meeting", "decide", "inspector", {**DECIDE, "participants": [None]}),
    ("pending_meeting", "decide", "inspector", {**DECIDE, "participants": "HEAD_ONLY"}),
    ("pending_meeting", "decide", "inspector", {**DECIDE, "participants": "WITH_OFFICER"}),
    ("pending_meeting", "decide", "inspector", {**DECIDE, "held_at": FUTURE}),
    ("pending_meeting", "decide", "inspector", {**DECIDE, "minutes": ""}),
    ("launched", "refer", "head", {**REFER, "report_days": 0}),
    ("launched", "refer", "head", {**REFER, "report_days": "abc"}),
    ("launched", "refer", "head", {**REFER, "report_days": 181}),
    ("launched", "refer", "head", {**REFER, "report_days": None}),
    ("launched", "refer", "head", {**REFER, "target_court": None}),
    ("launched", "refer", "head", {**REFER, "target_court": "鲁0202"}),  # not below 鲁01
    ("launched", "refer", "head", {**REFER, "target_court": "鲁01"}),  # itself: that is "direct"
    ("launched", "refer", "head", {**REFER, "target_court": "不存在"}),
    ("launched", "refer", "head", {**REFER, "mode": "fax"}),
    ("referred", "form-team", "lower_head", {"members": {}}),
    ("referred", "form-team", "lower_head", {"members": [{"user": "x", "department": "execution"}]}),
    ("referred", "form-team", "lower_head", {"members": [{"user": 999999, "department": "execution"}]}),
    ("referred", "form-team", "lower_head", {"members": []}),
    ("referred", "form-team", "lower_head", {"members": "OFFICER_IN_TEAM"}),
    ("referred", "form-team", "lower_head", {"members": "WRONG_DEPARTMENT"}),
    ("investigating", "record-work", "lower_inspector", {"methods": ["telepathy"]}),
    ("investigating", "record-work", "lower_inspector", {"methods": "file_review"}),
    ("investigating", "record-work", "lower_inspector", {"scope": [1, 2]}),
    ("investigating", "report", "lower_inspector", {"process": {"text": "x"}}),
    ("investigating", "report", "lower_inspector", {"process": "x" * 20001}),
    ("investigating", "report", "lower_inspector", {"officer_findings": [{"officer": 999999, "result": "partly"}]}),
    ("investigating", "report", "lower_inspector", {"officer_findings": [{"officer": 999999, "result": "partly", "detail": "x"}]}),
    ("investigating", "report", "lower_inspector", {"officer_findings": [{"officer": "OFFICER", "result": "maybe", "detail": "x"}]}),
    ("investigating", "report", "lower_inspector", {"officer_findings": "none"}),
    ("reported", "review", "head", {"decision": "supplement", "opinion": "x"}),
    ("reported", "review", "head", {"decision": "supplement", "opinion": "x", "days": -1}),
    ("reported", "review", "head", {"decision": "reject", "opinion": "x"}),
    ("reported", "review", "head", {"decision": "hearing", "opinion": "x", "hearing_at": FUTURE, "hearing_record": "x"}),
    ("accepted", "conclude", "inspector", CONCLUDE),  # (partly) true needs a disposition
    ("accepted", "conclude", "inspector", {**CONCLUDE, "finding": "maybe"}),
    ("accepted", "conclude", "inspector", conclude_with({"kind": "disciplinary", "detail": "x", "officer": 999999, "referred_to": "x"})),
    ("accepted", "conclude", "inspector", conclude_with({"kind": "disciplinary", "detail": "x", "officer": "OFFICER"})),
    ("accepted", "conclude", "inspector", conclude_with({"kind": "deadline_order", "detail": "x", "target_court": "鲁0102"})),
    ("accepted", "conclude", "inspector", conclude_with({"kind": "correction", "detail": "x", "target_court": "鲁0202"})),
    ("accepted", "conclude", "inspector", conclude_with({"kind": "correction", "detail": "x", "target_court": "不存在"})),
    ("accepted", "conclude", "inspector", conclude_with({"kind": "correction", "detail": "x", "target_court": "鲁0102", "supervision_order": 999999})),
    ("accepted", "conclude", "inspector", conclude_with({"kind": "x", "detail": "x"})),
    ("accepted", "conclude", "inspector", conclude_with({"kind": "correction", "detail": "x", "due_date": "tomorrow"})),
    ("accepted", "conclude", "inspector", conclude_with(*[{"kind": "correction", "detail": "x", "target_court": "鲁0102"}] * 51)),
    ("accepted", "conclude", "inspector", {**CONCLUDE, "dispositions": "ALL"}),
    ("concluded", "feedback", "inspector", {"method": "pigeon", "content": "x"}),
    ("concluded", "feedback", "inspector", {"method": "phone", "content": ""}),
    ("concluded", "close", "inspector", {"note": ["x"]}),
    ("concluded", "close", "inspector", {"note": "x" * 2001}),
]  # fmt: skip


@pytest.mark.parametrize(("stage", "slug", "who", "body"), BAD_STEPS)
def test_bad_step_input_is_400_and_writes_nothing(dc, stage, slug, who, body):
    clue = at_stage(dc, stage)
    officer = clue.officers.get()
    people = [dc.head.pk, dc.inspector.pk]
    replace = {
        "PEOPLE": people,
        "HEAD_ONLY": [dc.head.pk],  # one department only
        "OFFICER_IN_TEAM": [
            {"user": dc.lower_inspector.pk, "department": "supervision"},
            {"user": dc.officer.pk, "department": "execution"},
        ],
        "WRONG_DEPARTMENT": [
            {"user": dc.lower_inspector.pk, "department": "execution"},
            {"user": dc.lower_handler2.pk, "department": "execution"},
        ],
        "OFFICER": officer.pk,
        "ALL": [{"kind": k, "detail": "x"} for k in ("correction",) * 60],
    }
    body = {k: replace.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    for key in ("officer_findings", "dispositions"):
        if isinstance(body.get(key), list):
            body[key] = [
                {k: replace.get(v, v) if isinstance(v, str) else v for k, v in row.items()}
                for row in body[key]
            ]
    before = snapshot(clue)
    response = act(getattr(dc, who), clue.pk, slug, body)
    assert response.status_code in (400, 422), (response.status_code, response.content.decode())
    assert set(response.json()) == {"code", "message", "extra"}
    if response.status_code == 400 and response.json()["code"] == "invalid":
        assert response.json()["extra"]["fields"], response.json()
    assert snapshot(clue) == before
