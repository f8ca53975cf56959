"""一案双查 under concurrency, with real transactions and threads on PostgreSQL: two
approvals at once make one approval, clue numbers never collide, one team per clue."""

import pytest

from core.models import Department, NodeEvent, Role
from dualcheck.models import Clue, ClueStatus, Team, TeamMember
from dualcheck.services import clues as s_clues
from dualcheck.services import investigation as s_inv
from tests.concurrency import race
from tests.core.factories import make_member
from tests.dualcheck.factories import advance, fresh, register

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_approvals_at_once_make_one(dc, clue):
    advance(dc, clue, "screened")
    heads = [dc.head, make_member(Role.BUREAU_HEAD, dc.courts.lu01, "head2_lu01")]

    outcomes = race(
        2,
        lambda i: s_clues.clue_approve(
            actor=fresh(heads[i]), clue=Clue.objects.get(pk=clue.pk), approved=i == 0, opinion=f"意见{i}"
        ).status,
    )

    assert sorted(o[0] for o in outcomes) == ["ok", "refused"]
    assert [o[1] for o in outcomes if o[0] == "refused"] == ["invalid_transition"]
    clue.refresh_from_db()
    winner = next(o[1] for o in outcomes if o[0] == "ok")
    assert clue.status == winner and clue.status in (ClueStatus.PENDING_MEETING, ClueStatus.NOT_LAUNCHED)
    assert clue.approved_by in heads
    assert NodeEvent.objects.filter(kind="dualcheck.clue_approved").count() == 1


def test_clues_registered_at_once_at_one_court_get_distinct_numbers(dc):
    registrars = [
        dc.working_group,
        dc.head,
        dc.inspector,
        make_member(Role.CASE_SUPERVISOR, dc.courts.lu01, "wg2"),
    ]

    outcomes = race(
        4,
        lambda i: register(dc, actor=fresh(registrars[i]), summary=f"反映问题{i}。").number,
    )

    assert all(o[0] == "ok" for o in outcomes), outcomes
    assert sorted(o[1] for o in outcomes) == [f"鲁01双查〔2026〕{n}号" for n in range(1, 5)]
    assert sorted(Clue.objects.values_list("sequence", flat=True)) == [1, 2, 3, 4]


def test_two_teams_formed_at_once_make_one(dc, clue):
    advance(dc, clue, "referred")
    lower_leader = make_member(Role.COURT_LEADER, dc.courts.lu0102, "leader_lu0102")
    formers = [dc.lower_head, lower_leader]

    def form(i):
        return s_inv.team_form(
            actor=fresh(formers[i]),
            clue=Clue.objects.get(pk=clue.pk),
            members=[
                {"user": dc.lower_head, "department": Department.EXECUTION, "is_leader": True},
                {"user": dc.lower_inspector, "department": Department.SUPERVISION},
            ],
        ).pk

    outcomes = race(2, form)

    assert sorted(o[0] for o in outcomes) == ["ok", "refused"]
    assert Team.objects.count() == 1 and TeamMember.objects.count() == 2
    clue.refresh_from_db()
    assert clue.status == ClueStatus.INVESTIGATING


def test_one_petition_becomes_one_clue_even_when_clicked_twice_at_once(dc):
    from supervision.services.petitions import petition_flag_dualcheck, petition_receive
    from tests.conftest import at

    petition = petition_receive(
        actor=dc.clerk,
        court=dc.courts.lu0102,
        channel="letter",
        petitioner_name="李四",
        content="执行法院立案三个月未采取任何措施。",
        received_at=at("2026-10-09 10:00"),
        case=dc.case,
    )
    petition_flag_dualcheck(actor=dc.working_group, petition=petition, reason="反映消极执行")
    actors = [dc.working_group, dc.inspector]

    outcomes = race(
        2, lambda i: s_clues.clue_register_from_petition(actor=fresh(actors[i]), petition_id=petition.pk).pk
    )

    assert sorted(o[0] for o in outcomes) == ["ok", "refused"], outcomes
    assert [o[1] for o in outcomes if o[0] == "refused"] == ["already_linked"]
    petition.refresh_from_db()
    assert Clue.objects.get().pk == petition.dualcheck_clue_id


def test_one_alert_becomes_one_clue_even_when_clicked_twice_at_once(dc):
    from supervision.models import Alert
    from supervision.services.scan import scan_court
    from tests.conftest import at

    scan_court(court_id=dc.courts.lu0102.pk, at=at("2026-10-14 09:00"))
    alert = Alert.objects.get(deadline__case=dc.case, deadline__rule__code="SEARCH_START")
    actors = [dc.working_group, dc.inspector]

    outcomes = race(
        2, lambda i: s_clues.clue_register_from_alert(actor=fresh(actors[i]), alert_id=alert.pk).pk
    )

    assert sorted(o[0] for o in outcomes) == ["ok", "refused"], outcomes
    assert [o[1] for o in outcomes if o[0] == "refused"] == ["already_linked"]
    assert Clue.objects.filter(alert_id=alert.pk).count() == 1
