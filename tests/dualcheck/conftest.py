"""Actors and a clue at each stage of 一案双查.

济南中院 (鲁01) handles the clue; 历下区法院 (鲁0102) investigates it. ``handler``
(鲁0102 承办人) is the officer concerned."""

from types import SimpleNamespace

import pytest

from core.models import Role
from tests.core.factories import make_member
from tests.dualcheck.factories import register
from tests.enforcement.conftest import as_user  # noqa: F401 - fixture re-exported
from tests.enforcement.factories import make_case


@pytest.fixture
def dc(courts, clerk, handler, bureau_head, case_supervisor, inspector, court_leader):
    """Everyone in a 一案双查 of a 鲁0102 case handled at 鲁01."""
    people = SimpleNamespace(
        courts=courts,
        # 鲁01 (the upper court handling the clue)
        working_group=case_supervisor,  # 专人监管, 执行指挥中心
        head=make_member(Role.BUREAU_HEAD, courts.lu01, "head_lu01"),
        inspector=inspector,  # 监察, 鲁01
        leader=court_leader,  # 院领导, 鲁 (above)
        # 鲁0102 (the lower court investigating it)
        lower_head=bureau_head,
        lower_inspector=make_member(Role.INSPECTOR, courts.lu0102, "inspector_lu0102"),
        lower_handler2=make_member(Role.HANDLER, courts.lu0102, "handler2_lu0102"),
        officer=handler,  # the officer concerned (承办人)
        clerk=clerk,
        # a sibling intermediate court
        sibling_inspector=make_member(Role.INSPECTOR, courts.lu02, "inspector_lu02"),
        sibling_head=make_member(Role.BUREAU_HEAD, courts.lu02, "head_lu02"),
    )
    people.case = make_case(clerk, courts.lu0102, handler=handler)
    return people


@pytest.fixture
def clue(dc):
    return register(dc)
