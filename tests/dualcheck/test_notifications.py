"""站内通知 of 一案双查 (issue 16): a referral tells the investigating court's
supervision department; the joint team's members are told they are on it and of a
supplementary investigation. Confidential: never the officer concerned, never the
execution staff outside the team, never another court — and the text never carries
the allegation."""

import pytest

from core.models import Department, Notification, NotificationKind, Role
from dualcheck.models import ReviewDecision
from dualcheck.services import clues as s_clues
from dualcheck.services import investigation as s_inv
from tests.core.factories import make_member
from tests.dualcheck.factories import advance, at_stage, form_team, register

pytestmark = pytest.mark.django_db


def told() -> set[int]:
    return set(
        Notification.objects.filter(kind=NotificationKind.CLUE_STEP).values_list("recipient_id", flat=True)
    )


def refer(dc, clue):
    return s_clues.clue_refer(
        actor=dc.head,
        clue=clue,
        mode="refer",
        target_court=dc.courts.lu0102,
        report_days=30,
        instructions="请组成联合调查组，30日内上报调查报告。",
    )


def test_a_referral_tells_the_investigating_courts_supervision_department_only(dc):
    clue = at_stage(dc, "launched")
    Notification.objects.all().delete()
    refer(dc, clue)
    assert told() == {dc.lower_inspector.pk}
    note = Notification.objects.get()
    assert clue.number in note.title and note.court_id == dc.courts.lu0102.pk
    assert note.link == f"/dualcheck/{clue.pk}/" and "30 日内" in note.body
    assert "宴请" not in note.title + note.body  # the allegation stays in the clue


def test_an_officer_concerned_is_never_told_even_in_the_supervision_department(dc):
    clue = register(
        dc,
        officers=[
            {"name": "王监察", "court": dc.courts.lu0102, "user": dc.lower_inspector, "position": "监察员"},
        ],
    )
    second = make_member(Role.INSPECTOR, dc.courts.lu0102, "inspector2_lu0102")
    clue = advance(dc, clue, "launched")
    Notification.objects.all().delete()
    refer(dc, clue)
    assert told() == {second.pk}


def test_the_team_members_are_told_not_the_one_who_formed_it(dc):
    clue = at_stage(dc, "referred")
    Notification.objects.all().delete()
    form_team(dc, clue)
    assert told() == {dc.lower_handler2.pk, dc.lower_inspector.pk}
    assert not {dc.lower_head.pk, dc.officer.pk, dc.sibling_inspector.pk} & told()
    # a member added later is told; the others are not told again
    added = make_member(Role.INSPECTOR, dc.courts.lu0102, "inspector3_lu0102")
    Notification.objects.all().delete()
    s_inv.team_member_change(
        actor=dc.lower_head, clue=clue, add=[{"user": added, "department": Department.SUPERVISION}]
    )
    assert told() == {added.pk}


def test_a_supplementary_investigation_tells_the_team(dc):
    clue = at_stage(dc, "reported")
    members = set(clue.teams.get(dissolved_at__isnull=True).members.values_list("user_id", flat=True))
    Notification.objects.all().delete()
    s_inv.clue_review(
        actor=dc.head, clue=clue, decision=ReviewDecision.SUPPLEMENT, opinion="事实不清，补充调查。", days=15
    )
    assert told() == members - {dc.head.pk}
    assert "补充调查" in Notification.objects.first().title
