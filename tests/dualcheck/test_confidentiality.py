"""Who sees a 一案双查 clue and who reads its confidential (干警) content, tested like
a security feature: a matrix of people × stages, access ending with a revoked
membership or a dissolved team, and every confidential read recorded — only when
allowed."""

import pytest

from core.exceptions import NotFound
from core.models import Role
from core.selectors import forget_memberships
from dualcheck.models import ConfidentialRead
from dualcheck.selectors import (
    can_read_confidential,
    clue_get_detail,
    clue_get_visible,
    clues_confidential_to,
    clues_for_case,
    clues_visible_to,
    is_concerned,
    is_team_member,
)
from dualcheck.services import investigation as s_inv
from dualcheck.services.outcome import confidential_read
from tests.core.factories import make_member
from tests.dualcheck.factories import advance, form_team, fresh, make_api_user, register, revoke

pytestmark = pytest.mark.django_db

PEOPLE = [
    "working_group",
    "head",
    "inspector",
    "leader",
    "lower_head",
    "lower_inspector",
    "team_member",
    "officer",
    "clerk",
    "sibling_inspector",
    "sibling_head",
    "api_client",
]

# (sees the clue, reads its confidential content)
BOTH, CLUE_ONLY, NOTHING = (True, True), (True, False), (False, False)
MATRIX = {
    "received": {
        "working_group": CLUE_ONLY,  # 专人监管 of the handling court: execution side
        "head": CLUE_ONLY,
        "inspector": BOTH,  # 监察 of the handling court
        "leader": BOTH,  # 院领导 of the court above
        "lower_head": NOTHING,  # not referred yet
        "lower_inspector": NOTHING,
        "team_member": NOTHING,
        "officer": NOTHING,
        "clerk": NOTHING,
        "sibling_inspector": NOTHING,
        "sibling_head": NOTHING,
        "api_client": NOTHING,
    },
    "investigating": {
        "working_group": CLUE_ONLY,
        "head": CLUE_ONLY,
        "inspector": BOTH,
        "leader": BOTH,
        "lower_head": CLUE_ONLY,  # formed the team, is not on it
        "lower_inspector": BOTH,  # 监察 of the investigating court (and on the team)
        "team_member": BOTH,  # a handler, only through the team
        "officer": NOTHING,
        "clerk": NOTHING,
        "sibling_inspector": NOTHING,
        "sibling_head": NOTHING,
        "api_client": NOTHING,  # the machine of the investigating court: never a clue about its court
    },
    "concluded": {
        "working_group": CLUE_ONLY,
        "head": CLUE_ONLY,
        "inspector": BOTH,
        "leader": BOTH,
        "lower_head": CLUE_ONLY,
        "lower_inspector": BOTH,
        "team_member": NOTHING,  # the team was dissolved at the conclusion
        "officer": NOTHING,
        "clerk": NOTHING,
        "sibling_inspector": NOTHING,
        "sibling_head": NOTHING,
        "api_client": NOTHING,
    },
}


@pytest.fixture
def people(dc):
    dc.team_member = dc.lower_handler2
    dc.api_client = make_api_user(dc.courts.lu0102, "鲁0102指挥中心")
    return dc


def clue_at(dc, stage):
    clue = register(dc)
    if stage == "received":
        return clue
    advance(dc, clue, "referred")
    form_team(dc, clue)  # lower_handler2 (execution, leader) + lower_inspector
    return advance(dc, clue, stage)


@pytest.mark.parametrize("stage", list(MATRIX))
@pytest.mark.parametrize("who", PEOPLE)
def test_the_security_matrix(people, stage, who):
    clue = clue_at(people, stage)
    other = register(people, summary="另一条线索。", officers=[])  # never leaks into a list
    user = fresh(getattr(people, who))
    sees, reads = MATRIX[stage][who]

    assert clues_visible_to(user).filter(pk=clue.pk).exists() is sees
    assert can_read_confidential(user, clue) is reads
    assert clues_confidential_to(user).filter(pk=clue.pk).exists() is reads
    if sees:
        assert clue_get_visible(user, clue.pk) == clue
        assert clue_get_detail(user, clue.pk) == clue
    else:
        with pytest.raises(NotFound):
            clue_get_visible(user, clue.pk)
        with pytest.raises(NotFound):
            clue_get_detail(user, clue.pk)
    # confidential content goes to no one who may not see the clue itself
    assert not reads or sees
    assert set(clues_confidential_to(user)) <= set(clues_visible_to(user))

    # every read of confidential content is recorded, and only a read that was allowed
    assert confidential_read(user=user, clue=clue, what="officer_allegation", via="api") is reads
    rows = list(ConfidentialRead.objects.values_list("clue", "user", "what", "via"))
    assert rows == ([(clue.pk, user.pk, "officer_allegation", "api")] if reads else [])
    # the other clue (鲁01, received) is read by role alone: 鲁01's inspector and the leader above
    assert clues_confidential_to(user).filter(pk=other.pk).exists() is (who in ("inspector", "leader"))


def test_the_officer_concerned_sees_at_most_that_a_review_exists(people):
    clue = register(people)
    # Before the joint meeting launches it, nothing shows on the case page (no
    # tipping off); from then on the badge says a review exists, and no more.
    for stage in ("received", "pending_meeting", "launched", "investigating", "closed"):
        advance(people, clue, stage)
        launched = stage not in ("received", "pending_meeting")
        exists, visible = clues_for_case(people.officer, people.case)
        assert exists is launched and list(visible) == []
        exists, visible = clues_for_case(people.clerk, people.case)
        assert exists is launched and list(visible) == []
        assert clues_for_case(people.inspector, people.case)[1].get() == clue
    assert is_concerned(people.officer, clue)


def test_a_revoked_membership_ends_access_on_the_next_request(people):
    clue = clue_at(people, "investigating")
    inspector = people.lower_inspector
    assert can_read_confidential(inspector, clue)

    # 鲁0102's inspector leaves the team's court: still on the team, but no longer
    # a member of that court
    revoke(inspector, people.courts.lu0102, Role.INSPECTOR)
    # the current request keeps its memberships …
    assert clues_visible_to(inspector).filter(pk=clue.pk).exists()
    # … the next one does not
    forget_memberships(inspector)
    assert not clues_visible_to(inspector).filter(pk=clue.pk).exists()
    assert not can_read_confidential(inspector, clue)
    assert not is_team_member(inspector, clue)
    assert not confidential_read(user=inspector, clue=clue, what="report", via="page")
    assert ConfidentialRead.objects.count() == 0

    leader = fresh(people.leader)
    assert can_read_confidential(leader, clue)
    revoke(leader, people.courts.lu, Role.COURT_LEADER)
    assert can_read_confidential(leader, clue)  # this request
    leader = fresh(leader)
    assert not can_read_confidential(leader, clue)
    assert not clues_visible_to(leader).exists()


def test_a_team_member_who_leaves_the_court_loses_access(people):
    clue = clue_at(people, "investigating")
    member = fresh(people.team_member)
    assert can_read_confidential(member, clue) and is_team_member(member, clue)

    revoke(member, people.courts.lu0102, Role.HANDLER)
    member = fresh(member)

    assert not clues_visible_to(member).filter(pk=clue.pk).exists()
    assert not can_read_confidential(member, clue)
    assert not is_team_member(member, clue)


def test_a_member_removed_from_the_team_loses_access(people):
    clue = clue_at(people, "investigating")
    member = fresh(people.team_member)
    assert can_read_confidential(member, clue)
    supervisor = make_member(Role.CASE_SUPERVISOR, people.courts.lu0102, "supervisor_lu0102")

    s_inv.team_member_change(
        actor=people.lower_head,
        clue=clue,
        add=[{"user": supervisor, "department": "execution"}],
        remove=[member],
    )

    assert not is_team_member(member, clue)
    assert not clues_visible_to(member).exists()
    assert not can_read_confidential(member, clue)
    assert can_read_confidential(fresh(supervisor), clue)  # 专人监管 only through the team
    assert not can_read_confidential(fresh(supervisor), register(people))


def test_the_dissolved_team_loses_access_at_the_conclusion(people):
    clue = clue_at(people, "accepted")
    member = people.team_member
    assert can_read_confidential(member, clue) and confidential_read(
        user=member, clue=clue, what="report", via="page"
    )
    clue = advance(people, clue, "concluded")

    assert not is_team_member(member, clue)
    assert not clues_visible_to(member).exists()
    assert not can_read_confidential(member, clue)
    assert not confidential_read(user=member, clue=clue, what="report", via="page")
    assert ConfidentialRead.objects.filter(user=member).count() == 1  # the read before


def test_the_lower_team_stands_down_when_the_upper_court_investigates(people):
    clue = clue_at(people, "reported")
    s_inv.clue_review(actor=people.head, clue=clue, decision="direct", opinion="直接调查。", days=20)
    clue.refresh_from_db()
    assert not is_team_member(people.team_member, clue)
    assert not clues_visible_to(people.team_member).exists()
    assert not can_read_confidential(people.team_member, clue)


def test_confidential_reads_are_recorded_per_read(people):
    clue = clue_at(people, "investigating")
    for what, via in [("officers", "page"), ("report", "pdf"), ("attachment", "page")]:
        assert confidential_read(user=people.inspector, clue=clue, what=what, via=via)
    assert not confidential_read(user=people.head, clue=clue, what="officers", via="page")
    assert not confidential_read(user=people.officer, clue=clue, what="officers", via="page")
    assert sorted(ConfidentialRead.objects.values_list("user", "what", "via")) == sorted(
        [
            (people.inspector.pk, "officers", "page"),
            (people.inspector.pk, "report", "pdf"),
            (people.inspector.pk, "attachment", "page"),
        ]
    )
