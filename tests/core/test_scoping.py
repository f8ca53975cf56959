"""Who sees which court: own court; supervisory roles also every court below;
siblings never; lower courts never see upward."""

import pytest

from core.exceptions import NotFound
from core.models import Court, Role
from core.selectors import court_get_by_code, court_get_visible, deadlines_visible_to, visible_courts
from core.services import clocks
from core.services.people import membership_revoke
from tests.conftest import at
from tests.core.factories import make_member


def codes(user):
    return [c.code for c in visible_courts(user)]


def test_member_of_a_basic_court_sees_only_it(clerk):
    assert codes(clerk) == ["鲁0102"]


def test_supervisor_sees_own_court_and_everything_below(courts):
    supervisor = make_member(Role.CASE_SUPERVISOR, courts.lu01)
    assert codes(supervisor) == ["鲁01", "鲁0102", "鲁0103"]
    high = make_member(Role.COURT_LEADER, courts.lu)
    assert codes(high) == ["鲁", "鲁01", "鲁0102", "鲁0103", "鲁02", "鲁0202"]


def test_non_supervisory_role_at_an_upper_court_does_not_see_below(courts):
    clerk_upper = make_member(Role.CLERK, courts.lu01)
    assert codes(clerk_upper) == ["鲁01"]


def test_siblings_never_see_each_other(courts):
    qingdao = make_member(Role.CASE_SUPERVISOR, courts.lu02)
    assert "鲁0102" not in codes(qingdao) and "鲁01" not in codes(qingdao)
    sibling = make_member(Role.BUREAU_HEAD, courts.lu0103)
    assert codes(sibling) == ["鲁0103"]
    with pytest.raises(NotFound):
        court_get_visible(sibling, "鲁0102")


def test_a_court_is_found_by_its_code_only_while_active_and_only_within_view(courts):
    """``court_get_by_code``: one is_active rule for every look-up by code."""
    supervisor = make_member(Role.CASE_SUPERVISOR, courts.lu01)
    sibling = make_member(Role.BUREAU_HEAD, courts.lu0103)
    assert court_get_by_code(" 鲁0102 ") == courts.lu0102
    assert court_get_by_code("鲁0102", user=supervisor) == courts.lu0102
    assert court_get_by_code("鲁0102", user=sibling) is None
    assert court_get_by_code("无此法院") is None
    Court.objects.filter(pk=courts.lu0102.pk).update(is_active=False)
    assert court_get_by_code("鲁0102") is None
    assert court_get_by_code("鲁0102", user=supervisor) is None
    assert "鲁0102" in codes(supervisor)  # its records stay readable from above
    with pytest.raises(NotFound):
        court_get_visible(supervisor, "鲁0102")


def test_lower_court_never_sees_upper_or_its_other_children(courts):
    lower_supervisor = make_member(Role.CASE_SUPERVISOR, courts.lu0102)
    assert codes(lower_supervisor) == ["鲁0102"]


def test_path_prefix_does_not_leak_between_similar_codes(courts):
    from tests.core.factories import make_court

    # "鲁01" must not match "鲁011" by string prefix: paths end with "/".
    odd = make_court("鲁011", parent=courts.lu)
    supervisor = make_member(Role.CASE_SUPERVISOR, courts.lu01)
    assert "鲁011" not in codes(supervisor)
    assert odd.path == "/最高法/鲁/鲁011/"


def test_user_without_membership_sees_nothing(db):
    from tests.core.factories import UserFactory

    assert codes(UserFactory()) == []


def test_deadlines_are_scoped_by_court(courts, handler):
    mine = clocks.clock_start(rule_code="SEARCH_START", court=courts.lu0102, started_at=at("2026-09-30 10:00"))
    theirs = clocks.clock_start(rule_code="SEARCH_START", court=courts.lu0103, started_at=at("2026-09-30 10:00"))
    far = clocks.clock_start(rule_code="SEARCH_START", court=courts.lu0202, started_at=at("2026-09-30 10:00"))
    assert set(deadlines_visible_to(handler)) == {mine}
    supervisor = make_member(Role.CASE_SUPERVISOR, courts.lu01)
    assert set(deadlines_visible_to(supervisor)) == {mine, theirs}
    leader = make_member(Role.COURT_LEADER, courts.lu)
    assert set(deadlines_visible_to(leader)) == {mine, theirs, far}


def test_revoked_membership_ends_access(courts):
    from core.models import Membership, User

    supervisor = make_member(Role.CASE_SUPERVISOR, courts.lu01, "revokee")
    assert "鲁0102" in codes(supervisor)
    membership_revoke(membership=Membership.objects.get(user=supervisor))
    fresh = User.objects.get(pk=supervisor.pk)  # the next request loads the user anew
    assert codes(fresh) == []


def test_visible_courts_is_one_query(courts, django_assert_num_queries):
    from core.models import User

    supervisor = User.objects.get(pk=make_member(Role.CASE_SUPERVISOR, courts.lu01).pk)
    with django_assert_num_queries(2):  # memberships, then courts
        assert len(list(visible_courts(supervisor))) == 3
    with django_assert_num_queries(1):  # memberships are cached for the request
        list(visible_courts(supervisor))
