"""Every role's main pages on a 1366×768 laptop (issue 16), in headless Chromium:

- the page never scrolls sideways (``document.documentElement.scrollWidth <= 1366``);
- a case number in a table or on a 一案双查 card is on one line;
- the case page's actions (办理) are in the first 768 pixels, before any scrolling;
- the 一案双查 board shows every stage's column without a scroll bar of its own.

Each page is saved to test-artifacts/viewport-<role>-<page>.png."""

from decimal import Decimal
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from core.models import Role
from enforcement.services.cases import CaseInput, PartyInput, PayoutAccountInput, case_register
from tests.browser import TIMEOUT_MS, log_in, screenshot
from tests.conftest import at
from tests.core.factories import make_member
from tests.dualcheck.factories import advance, form_team, register
from tests.enforcement.factories import make_case, org_code, person_id
from tests.supervision.factories import scan_all

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
    """A fresh 1366×768 zh-CN context per test: a laptop's screen."""
    context = browser.new_context(
        locale="zh-CN", base_url=live_server.url, viewport={"width": WIDTH, "height": HEIGHT}
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    try:
        page.wait_for_load_state("networkidle", timeout=5_000)
    except Exception:
        pass
    context.close()


@pytest.fixture
def world(dc):
    """Cases with several parties and a seven-figure claim, clocks overdue and alerts raised,
    and 一案双查 clues at five stages, one investigated by a team with a handler as member."""
    courts = dc.courts
    case = dc.case
    crowded = case_register(
        actor=dc.clerk,
        data=CaseInput(
            case_number="(2026)鲁0102执12345号",
            court=courts.lu0102,
            filed_on=at("2026-09-28 09:00").date(),
            received_at=at("2026-09-29 10:00"),
            claim_amount=Decimal("1234567.89"),
            basis_document="(2026)鲁0102民初188号民事判决书",
            applicants=[
                PartyInput(
                    "欧阳明华",
                    "person",
                    person_id("37010219800101123"),
                    "13800000001",
                    PayoutAccountInput("中国工商银行济南分行", "6222020200112233445", "欧阳明华"),
                ),
                PartyInput(
                    "济南某某建设工程有限公司",
                    "organization",
                    org_code("91370100MA3C00001"),
                    payout_account=PayoutAccountInput(
                        "中国建设银行济南分行", "6217000010012345678", "济南某某建设工程有限公司"
                    ),
                ),
            ],
            respondents=[
                PartyInput("山东某某置业集团有限公司", "organization", org_code("91370100MA3C00002")),
                PartyInput("李某某", "person", person_id("37010219850101123")),
                PartyInput("王某", "person", person_id("37010219870101123")),
            ],
            handler=dc.officer,
        ),
    )
    for n in range(3):
        make_case(dc.clerk, courts.lu0102, number=f"(2026)鲁0102执{2001 + n}号", handler=dc.officer)
    scan_all(at("2026-11-20 10:00"))
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


def test_clerk(laptop, world):
    dc, case, crowded, *_ = world
    log_in(laptop, dc.clerk)
    fits(laptop, "/", "clerk-todo")
    fits(laptop, "/cases/", "clerk-cases")
    row = laptop.locator("#case-table tr", has=laptop.get_by_role("link", name=crowded.case_number))
    expect(row.locator("td[data-role=applicant]")).to_have_text("欧***、济南某某建设工程有限公司")
    expect(row.locator("td[data-role=respondent]")).to_have_text("山东某某置业集团有限公司、李**等 3 人")
    expect(row.locator("td.num")).to_have_text("1,234,567.89")
    fits(laptop, "/cases/new/", "clerk-case-new")
    actions_above_the_fold(laptop, crowded, "clerk-case")


def test_handler(laptop, world):
    dc, case, crowded, *_ = world
    log_in(laptop, dc.officer)
    fits(laptop, "/", "handler-todo")
    fits(laptop, "/cases/", "handler-cases")
    actions_above_the_fold(laptop, crowded, "handler-case")
    expect(laptop.locator("header.case-head")).to_contain_text("¥1,234,567.89")


def test_bureau_head(laptop, world):
    dc, case, *_ = world
    log_in(laptop, dc.lower_head)
    fits(laptop, "/", "bureau-head-todo")
    fits(laptop, "/cases/approvals/", "bureau-head-approvals")
    actions_above_the_fold(laptop, case, "bureau-head-case")
    fits(laptop, "/supervision/", "bureau-head-dashboard")
    board_fits(laptop, "bureau-head-board")


def test_finance(laptop, world):
    dc, case, crowded, team_clue, finance, _ = world
    log_in(laptop, finance)
    fits(laptop, "/", "finance-todo")
    fits(laptop, "/funds/finance/", "finance-queue")
    fits(laptop, "/funds/receipts/unidentified/", "finance-unidentified")
    fits(laptop, f"/funds/cases/{crowded.pk}/", "finance-case-funds")


def test_case_supervisor(laptop, world):
    dc, *_ = world
    log_in(laptop, dc.working_group)
    fits(laptop, "/", "supervisor-todo")
    fits(laptop, "/supervision/", "supervisor-dashboard")
    fits(laptop, "/supervision/inbox/", "supervisor-inbox")
    fits(laptop, "/supervision/clocks/?status=overdue", "supervisor-clocks")
    fits(laptop, "/supervision/screening/", "supervisor-screening")
    fits(laptop, "/supervision/indicators/", "supervisor-indicators")
    board_fits(laptop, "supervisor-board")
    board_fits(laptop, "supervisor-board-all", query="?state=all")
    # the five phases side by side, the ten open stages each with its column
    assert laptop.locator("#board section.column").count() == 12


def test_joint_team_member(laptop, world):
    dc, case, crowded, team_clue, *_ = world
    log_in(laptop, dc.lower_handler2)
    board_fits(laptop, "joint-team-board")
    expect(laptop.locator(f'#board article[data-clue="{team_clue.pk}"]')).to_be_visible()
    fits(laptop, f"/dualcheck/{team_clue.pk}/", "joint-team-clue")
    assert urlparse(laptop.url).path == f"/dualcheck/{team_clue.pk}/"


def test_court_leader(laptop, world):
    dc, *_ = world
    log_in(laptop, dc.leader)
    fits(laptop, "/", "court-leader-todo")
    fits(laptop, "/supervision/", "court-leader-dashboard")
    fits(laptop, "/supervision/indicators/", "court-leader-indicators")
    board_fits(laptop, "court-leader-board")
