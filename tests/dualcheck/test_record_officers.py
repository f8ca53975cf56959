"""补充登记涉及干警: a clue taken up from a petition or an alert carries no officers;
the handling court's supervision department names them (confidential) until the
conclusion."""

import pytest

from core.exceptions import InvalidTransition, PermissionDenied, RuleViolation
from core.models import Department, NodeEvent
from dualcheck.models import ClueOfficer, ConfidentialRead
from dualcheck.policy import clue_actions
from dualcheck.selectors import clues_visible_to
from dualcheck.services.clues import clue_record_officers
from dualcheck.services.investigation import team_member_change
from tests.dualcheck.factories import advance, register


def _officer(dc, user=None, name="赵干警"):
    return {"name": name, "court": dc.courts.lu0102, "user": user, "position": "法官助理"}


def test_the_inspector_names_an_officer_who_then_loses_sight_of_the_clue(dc):
    clue = register(dc, officers=[], officer_allegation="")
    assert clues_visible_to(dc.lower_handler2).filter(pk=clue.pk).exists() is False  # not yet referred
    assert "record-officers" in clue_actions(dc.inspector, clue)
    assert "record-officers" not in clue_actions(dc.working_group, clue)
    advance(dc, clue, "investigating")
    clue_record_officers(
        actor=dc.inspector,
        clue=clue,
        officers=[_officer(dc, dc.lower_handler2)],
        officer_allegation="反映其泄露查控信息。",
    )
    clue.refresh_from_db()
    assert clue.officer_allegation == "反映其泄露查控信息。"
    assert list(clue.officers.values_list("name", flat=True)) == ["赵干警"]
    assert not clues_visible_to(dc.lower_handler2).filter(pk=clue.pk).exists()
    event = NodeEvent.objects.get(kind="dualcheck.officers_recorded")
    assert "泄露" not in str(event.payload) and "赵干警" not in str(event.payload)
    assert ConfidentialRead.objects.count() == 0


def test_only_the_supervision_department_of_the_handling_court_names_officers(dc):
    clue = register(dc)
    for actor in (dc.working_group, dc.head, dc.leader):
        with pytest.raises(PermissionDenied):
            clue_record_officers(actor=actor, clue=clue, officers=[_officer(dc)])
    assert ClueOfficer.objects.filter(clue=clue).count() == 1


def test_an_officer_on_the_team_must_leave_it_first(dc):
    clue = advance(dc, register(dc), "investigating")
    team_member_change(
        actor=dc.lower_head, clue=clue, add=[{"user": dc.lower_handler2, "department": Department.EXECUTION}]
    )
    with pytest.raises(RuleViolation) as refused:
        clue_record_officers(actor=dc.inspector, clue=clue, officers=[_officer(dc, dc.lower_handler2)])
    assert refused.value.code == "conflict_of_interest"
    assert ClueOfficer.objects.filter(clue=clue).count() == 1


def test_not_after_the_conclusion(dc):
    clue = advance(dc, register(dc), "concluded")
    with pytest.raises(InvalidTransition):
        clue_record_officers(actor=dc.inspector, clue=clue, officers=[_officer(dc)])
    assert "record-officers" not in clue_actions(dc.inspector, clue)


def test_through_the_api_and_the_page(dc, as_user, client):
    clue = register(dc, officers=[], officer_allegation="")
    api = as_user(dc.inspector)
    url = f"/api/v1/dualcheck/clues/{clue.pk}/record-officers/"
    bad = api.post(url, {"officers": [{"name": "钱干警", "court": "鲁9999"}]}, format="json")
    assert bad.status_code == 400 and not ClueOfficer.objects.filter(clue=clue).exists()
    ok = api.post(
        url,
        {"officers": [{"name": "钱干警", "court": "鲁0102"}], "officer_allegation": "反映问题。"},
        format="json",
    )
    assert ok.status_code == 200, ok.content
    assert [o["name"] for o in ok.json()["confidential"]["officers"]] == ["钱干警"]
    assert (
        as_user(dc.head)
        .post(url, {"officers": [{"name": "孙干警", "court": "鲁0102"}]}, format="json")
        .status_code
        == 403
    )
    client.force_login(dc.inspector)
    page = client.post(f"/dualcheck/{clue.pk}/act/record-officers/", {"name": "孙干警", "court": ""})
    assert page.status_code == 422 and "请填写干警所在法院代字" in page.content.decode()
    page = client.post(f"/dualcheck/{clue.pk}/act/record-officers/", {"name": "孙干警", "court": "鲁0102"})
    assert page.status_code == 302
    assert sorted(ClueOfficer.objects.filter(clue=clue).values_list("name", flat=True)) == [
        "孙干警",
        "钱干警",
    ]
