"""一案双查 on 我的待办 (``dualcheck/work.py``): a clue shows for the people who have
the step it waits for — the rules of the board's 待我处理 — with its number, stage and
a link; it moves on with the stage; and it never shows to the officer it concerns nor
to anyone who may not see it."""

import pytest
from django.urls import reverse

from dualcheck.work import clues_waiting_count
from tests.dualcheck.factories import advance
from tests.supervision.test_orders_views import browser

pytestmark = pytest.mark.django_db


def todo(user) -> str:
    return browser(user).get(reverse("core:todo")).content.decode()


def test_a_referred_clue_waits_on_the_investigating_court_then_on_its_team(dc, clue):
    clue = advance(dc, clue, "referred")
    page = todo(dc.lower_head)
    posts = page[: page.index('id="h-clocks"')]
    assert clue.number in posts and "已交办，待组成调查组" in posts
    assert reverse("dualcheck:clue-detail", args=[clue.pk]) in posts
    assert (clues_waiting_count(dc.lower_head), clues_waiting_count(dc.head)) == (1, 0)
    # the navigation counts it under its own chip
    assert "一案双查待办" in page

    clue = advance(dc, clue, "investigating")
    assert clues_waiting_count(dc.lower_inspector) == 1
    assert clue.number in todo(dc.lower_inspector)


def test_the_officer_concerned_and_the_courts_clerks_never_see_it(dc, clue):
    clue = advance(dc, clue, "referred")
    for user in (dc.officer, dc.clerk, dc.sibling_head, dc.sibling_inspector):
        assert clues_waiting_count(user) == 0
        assert clue.number not in todo(user)
