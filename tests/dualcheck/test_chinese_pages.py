"""Chinese everywhere a Chinese user looks, 一案双查's pages (issue 16; the other apps'
are walked in ``tests/security/authz/test_chinese_pages.py``): the board, the register
form, every clue at every stage (with its 查阅记录), the report editor and the
statistics, in zh-hans, for every person of the permission matrix's world
(``matrix_fixtures``). The visible text holds no English word and no code
(``tests/chinese.py``); a failure names the page, the person and the word."""

import os
import re

import pytest
from django.urls import reverse

from tests.chinese import context_of, foreign_words, visible_text
from tests.dualcheck.matrix_fixtures import (  # noqa: F401 - fixtures
    KEYS,
    PERSONS,
    browser_for,
    w_fixture,
    world_fixture,
)

pytestmark = (
    [pytest.mark.xdist_group("dualcheck-permission-matrix")] if os.environ.get("PYTEST_XDIST_WORKER") else []
)

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
# The world's own data, not the product's words: the confidential markers
# (``ZQ-inv-FINDING``, ``matrix_fixtures.marker``) and the clue's key in its summary (（inv）).
WORLD_DATA = re.compile(r"ZQ-[a-z]+-[A-Z]+|（(?:" + "|".join(KEYS) + ")）")


def _pages(w) -> list[str]:
    pages = [reverse("dualcheck:board"), reverse("dualcheck:clue-new"), reverse("dualcheck:stats")]
    for key in KEYS:
        pages += [
            reverse("dualcheck:clue-detail", kwargs={"clue_id": w.pk(key)}),
            reverse("dualcheck:report-edit", kwargs={"clue_id": w.pk(key)}),
        ]
    return pages


@pytest.mark.parametrize("role", PERSONS)
def test_every_dualcheck_page_is_chinese(w, role):
    client = browser_for(w, role)
    problems, shown = [], 0
    for path in _pages(w):
        response = client.get(path, **ZH)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue  # who may see what is the permission matrix's business
        shown += 1
        text = WORLD_DATA.sub("", visible_text(response.content.decode()))
        problems += [
            f"{path} as {role}: {word!r} in …{context_of(text, word)}…" for word in foreign_words(text)
        ]
    assert shown, f"{role} was shown no page at all"
    assert not problems, "\n".join(problems)
