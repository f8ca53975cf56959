"""The audit trail in words (issue 16): ``audit.labels`` names what a request did."""

import pytest
from django.utils import translation

from audit.labels import ACTIONS, action_label, object_label
from tests.security.authz.urlconf import url_patterns


@pytest.fixture(autouse=True)
def _zh():
    with translation.override("zh-hans"):
        yield


@pytest.mark.parametrize(
    ("action", "label"),
    [
        ("dualcheck:clue-action", "一案双查线索操作"),
        ("api-dualcheck-clue-conclude", "一案双查结论（接口）"),
        ("api-clue-conclude", "财产线索核查结论（接口）"),  # 财产线索, not 一案双查's
        ("enforcement:case-action", "执行案件操作"),
        ("api-case-close", "结案（接口）"),
        ("custody_funds:finance-pay", "发放案款"),
        ("login", "登录"),
        ("supervision:inbox", "监管操作"),  # no name of its own: its app's
        ("world", "其他操作"),
        ("", ""),
    ],
)
def test_actions_read_as_words(action, label):
    assert action_label(action) == label


def test_objects_read_as_words():
    assert object_label("case", "42") == "案件 42"
    assert object_label("clue", "7") == "线索 7"
    assert object_label("", "") == ""


def test_every_named_action_is_a_route():
    """A name in ``ACTIONS`` that no route has is stale (a renamed route lost its words)."""
    routes = set()
    for p in url_patterns():
        namespace, _sep, name = p.name.rpartition(":")
        name = name.removeprefix("api-")
        if namespace == "dualcheck" and not name.startswith("dualcheck-"):
            name = f"dualcheck-{name}"
        routes.add(name)
    assert set(ACTIONS) - routes == set()
