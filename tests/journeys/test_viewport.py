"""Every role's main pages on a 1366×768 laptop (issue 16), in headless Chromium:

- the page never scrolls sideways (``document.documentElement.scrollWidth <= 1366``);
- a case number in a table or on a 一案双查 card is on one line;
- the case page's actions (办理) are in the first 768 pixels, before any scrolling;
- the 一案双查 board shows every stage's column without a scroll bar of its own.

Each page is saved to test-artifacts/viewport-<role>-<page>.png."""

import pytest
from playwright.sync_api import Page, expect

from core.models import Role
from tests.browser import log_in, screenshot
from tests.conftest import browser_page
from tests.core.factories import make_member
from tests.dualcheck.factories import advance, form_team, register
from tests.enforcement.factories import make_crowded_case
from tests.supervision.factories import build_world

WIDTH, HEIGHT = 1366, 768

# date sensitive: the cases' clocks run against today, and the dashboard counts them so
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.date_sensitive]

# A case number's text that wraps has more than one line box (one client rect per line).
_WRAPPED_CASE_NUMBERS = """
() => {
  const out = [];
  const cells = document.querySelectorAll(
    "table a.case-link, table .case-number, .clue-card .case-number, .clue-card a.number");
  for (const el of cells) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (tops.size > 1) out.push(node.textContent.trim());
    }
  }
  return out;
}
"""


@pytest.fixture
def laptop(browser, live_server):
    """A fresh 1366×768 zh-CN page per test: a laptop's screen."""
    with browser_page(browser, live_server.url, width=WIDTH, height=HEIGHT) as page:
        yield page


@pytest.fixture
def world(dc):
    """Cases with several parties and a seven-figure claim, the supervision dashboard's world,
    and 一案双查 clues at five stages, one investigated by a team with a handler as member."""
    courts = dc.courts
    case = dc.case
    crowded = make_crowded_case(dc.clerk, courts.lu0102, "(2026)鲁0102执12345号", handler=dc.officer)
    # overdue cases here and at the sibling court, funds held too long, a freeze about to
    # expire, unidentified receipts: every table of the dashboard has rows (scanned)
    build_world(courts, dc.clerk, dc.officer, dc.lower_head)
    clues = {stage: advance(dc, register(dc), stage) for stage in ("received", "screened", "pending_meeting")}
    team_clue = advance(dc, register(dc), "referred")
    form_team(dc, team_clue)  # 鲁0102's second handler leads it: a joint team's member, not an inspector
    advance(dc, register(dc), "referred")
    finance = make_member(Role.FINANCE, courts.lu0102, "finance_lu0102")
    return dc, case, crowded, team_clue, finance, clues


def fits(page: Page, path: str, name: str) -> None:
    """Open ``path`` and check the page's width and its case numbers; screenshot it."""
    response = page.goto(path)
    assert response is not None and response.status == 200, (path, response and response.status)
    page.wait_for_load_state("networkidle")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    screenshot(page, f"viewport-{name}")
    assert width <= WIDTH, f"{path}: {width} px wide at {WIDTH}"
    assert page.evaluate(_WRAPPED_CASE_NUMBERS) == [], f"{path}: case numbers wrap"


def actions_above_the_fold(page: Page, case, name: str) -> None:
    """The case page: its 办理 actions visible without scrolling."""
    fits(page, f"/cases/{case.pk}/", name)
    summaries = page.locator("#case-actions details.action > summary")
    assert summaries.count() >= 1
    page.evaluate("() => window.scrollTo(0, 0)")
    for i in range(summaries.count()):
        box = summaries.nth(i).bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= HEIGHT, (
            summaries.nth(i).inner_text(),
            box,
        )
    # the details stay on the page, below the head
    expect(page.locator("#facts")).to_contain_text("执行依据")


def board_fits(page: Page, name: str, *, query: str = "") -> None:
    fits(page, f"/dualcheck/{query}", name)
    board = page.locator("#board")
    overflow = board.evaluate("b => b.scrollWidth - b.clientWidth")
    assert overflow <= 0, f"the board hides {overflow} px of columns"
    for column in board.locator("section.column").all():  # every stage in sight, none clipped
        box = column.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH


# The 专人监管's and the 院领导's main pages (the board is checked on its own).
SUPERVISOR_PAGES = {
    "todo": "/",
    "dashboard": "/supervision/",
    "inbox": "/supervision/inbox/",
    "clocks": "/supervision/clocks/?status=overdue",
    "screening": "/supervision/screening/",
    "indicators": "/supervision/indicators/",
}
LEADER_PAGES = {"todo": "/", "dashboard": "/supervision/", "indicators": "/supervision/indicators/"}


def fit_all(page: Page, role: str, pages: dict[str, str]) -> None:
    for name, path in pages.items():
        fits(page, path, f"{role}-{name}")


def test_clerk(laptop, world):
    dc, case, crowded, *_ = world
    log_in(laptop, dc.clerk)
    fit_all(laptop, "clerk", {"todo": "/", "cases": "/cases/"})
    row = laptop.locator("#case-table tr", has=laptop.get_by_role("link", name=crowded.case_number))
    expect(row.locator("td[data-role=applicant]")).to_have_text("欧***、济南某某建设工程有限公司")
    expect(row.locator("td[data-role=respondent]")).to_have_text("山东某某置业集团有限公司、李*等 3 人")
    expect(row.locator("td.num")).to_have_text("1,234,567.89")
    fits(laptop, "/cases/new/", "clerk-case-new")
    actions_above_the_fold(laptop, crowded, "clerk-case")


def test_handler(laptop, world):
    dc, case, crowded, *_ = world
    log_in(laptop, dc.officer)
    fit_all(laptop, "handler", {"todo": "/", "cases": "/cases/"})
    actions_above_the_fold(laptop, crowded, "handler-case")
    expect(laptop.locator("header.case-head")).to_contain_text("¥1,234,567.89")


def test_bureau_head(laptop, world):
    dc, case, *_ = world
    log_in(laptop, dc.lower_head)
    fit_all(
        laptop, "bureau-head", {"todo": "/", "approvals": "/cases/approvals/", "dashboard": "/supervision/"}
    )
    actions_above_the_fold(laptop, case, "bureau-head-case")
    board_fits(laptop, "bureau-head-board")


def test_finance(laptop, world):
    dc, case, crowded, team_clue, finance, _ = world
    log_in(laptop, finance)
    fit_all(
        laptop,
        "finance",
        {
            "todo": "/",
            "queue": "/funds/finance/",
            "unidentified": "/funds/receipts/unidentified/",
            "case-funds": f"/funds/cases/{crowded.pk}/",
        },
    )


def test_case_supervisor(laptop, world):
    dc, *_ = world
    log_in(laptop, dc.working_group)
    fit_all(laptop, "supervisor", SUPERVISOR_PAGES)
    board_fits(laptop, "supervisor-board")
    board_fits(laptop, "supervisor-board-all", query="?state=all")
    # all twelve stages in six phase columns, each stage with its own column head
    assert laptop.locator("#board section.column").count() == 12


def test_joint_team_member(laptop, world):
    dc, case, crowded, team_clue, *_ = world
    log_in(laptop, dc.lower_handler2)
    board_fits(laptop, "joint-team-board")
    expect(laptop.locator(f'#board article[data-clue="{team_clue.pk}"]')).to_be_visible()
    fits(laptop, f"/dualcheck/{team_clue.pk}/", "joint-team-clue")


def test_court_leader(laptop, world):
    dc, *_ = world
    log_in(laptop, dc.leader)
    fit_all(laptop, "court-leader", LEADER_PAGES)
    board_fits(laptop, "court-leader-board")
