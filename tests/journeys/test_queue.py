"""A journey per role through 我的待办 (issue 16), on a laptop screen (1366×768): each
person signs in, lands on the queue, reaches their main job by clicking the queue
(not typed URLs), does it, and sees the queue and the navigation's count change.
The header stays on one line for every role. Screenshots in test-artifacts/.

- clerk (书记员): 待办信访 → the petition → 录入并编号
- handler (承办人): the case group of 我负责的期限 → the case page → 执行通知书送达
- bureau_head (执行局长): 待审批 → 审批 → 驳回 the request
- finance (财务人员): 待付 → 财务待付 → 确认发放
- case_supervisor (专人监管): 待签收 → 预警收件箱 → 签收
- court_leader (院领导): 待审批 → 审批 → 批准 the extension of 执行期限
- every role: the header is one line at 1366 px and each heading's dropdown opens
"""

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import Page, expect

from core.models import Role
from custody_funds.models import DisbursementStatus
from enforcement.models import ApprovalKind, ApprovalStatus
from enforcement.services import closure as closure_services
from supervision.models import PetitionStatus
from supervision.services.scan import scan_court
from tests.browser import log_in, screenshot
from tests.core.factories import make_member
from tests.custody_funds.factories import notified, receive
from tests.dualcheck.journey_helpers import main_nav
from tests.enforcement.factories import make_case
from tests.enforcement.test_browser_journey import local_input
from tests.journeys.test_roles import browser_journey, htmx_submit, minute, open_action
from tests.supervision.factories import receive_petition  # noqa: F401 - fixture

LAPTOP = {"width": 1366, "height": 768}


def land(page: Page, user) -> None:
    """Sign in on a laptop screen: the landing page is 我的待办, the header one line."""
    page.set_viewport_size(LAPTOP)
    log_in(page, user)
    expect(page.locator("h1")).to_have_text("我的待办")
    box = page.locator("header.topbar").bounding_box()
    assert box is not None and box["height"] < 56, box  # one line, not a quarter of the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]


def badge(page: Page, key: str):
    return page.locator(f"nav.mainnav [data-badge='{key}'] .count")


def post_count(page: Page, source: str):
    return page.locator(f".post-counts li[data-source='{source}'] .count")


def go_from_queue(page: Page, source: str, text: str) -> None:
    """Click 去办理 on the row of ``source`` that mentions ``text``."""
    row = page.locator(f"table.work[data-source='{source}'] tbody tr").filter(has_text=text)
    expect(row).to_have_count(1)
    with page.expect_navigation():
        row.get_by_role("link", name="去办理").click()


def recent_case(clerk, handler, court, number_no: int, minutes_ago: int = 115):
    received = timezone.now() - dt.timedelta(minutes=minutes_ago)
    year = timezone.localtime(received).year
    return make_case(
        clerk,
        court,
        number=f"({year}){court.code}执{number_no}号",
        received=minute(received),
        filed=(timezone.localtime(received).date() - dt.timedelta(days=1)).isoformat(),
        handler=handler,
    )


def extension_requested(clerk, handler, court, number_no: int):
    """A case whose handler asks to extend its 执行期限 by two months."""
    case = recent_case(clerk, handler, court, number_no)
    duration = case.deadlines.get(rule__code="CASE_DURATION")
    request = closure_services.approval_request(
        actor=handler,
        case=case,
        kind=ApprovalKind.EXTENSION,
        reason="财产尚在处置，申请延长执行期限。",
        payload={"deadline": duration.pk, "added": 2},
    )
    return case, duration, request


def decide_from_queue(page: Page, user, case, request, *, note: str, button: str, shots: str) -> None:
    """From the landing page to the request through 待审批, decided with ``button``;
    back on 我的待办 nothing waits any more."""
    land(page, user)
    expect(badge(page, "approve")).to_have_text("1")
    screenshot(page, f"{shots}-1-todo")
    go_from_queue(page, "enforcement.approvals", case.case_number)
    expect(page.locator("h1")).to_have_text("待审批事项")
    row = page.locator(f"tr[data-approval='{request.pk}']")
    row.locator("input[name=note]").fill(note)
    with page.expect_navigation():
        row.get_by_role("button", name=button).click()
    expect(page.locator(f"tr[data-approval='{request.pk}']")).to_have_count(0)
    screenshot(page, f"{shots}-2-decided")
    main_nav(page, "我的待办")
    expect(post_count(page, "enforcement.approvals")).to_have_text("0")
    expect(badge(page, "approve")).to_have_count(0)


@browser_journey
def test_clerk_registers_a_petition_from_the_queue(page, courts, clerk, receive_petition):  # noqa: F811
    petition = receive_petition(received_at=timezone.now() - dt.timedelta(hours=1))

    land(page, clerk)
    expect(badge(page, "petition")).to_have_text("1")
    expect(post_count(page, "supervision.petitions")).to_have_text("1")
    screenshot(page, "queue-clerk-1-todo")
    go_from_queue(page, "supervision.petitions", "已接收")
    assert page.url.endswith(f"/petitions/{petition.pk}/")

    form = open_action(page, "form-register")
    with page.expect_navigation():
        form.get_by_role("button", name="录入并编号").click()
    expect(page.locator(".messages")).to_contain_text("已录入")
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.REGISTERED and petition.registered_by == clerk
    screenshot(page, "queue-clerk-2-registered")

    main_nav(page, "我的待办")
    expect(post_count(page, "supervision.petitions")).to_have_text("0")
    expect(nav_badges(page)).not_to_contain_text("待办信访")
    screenshot(page, "queue-clerk-3-done")


def nav_badges(page: Page):
    return page.locator("nav.mainnav")


@browser_journey
def test_handler_works_the_case_from_its_group_in_the_queue(page, courts, clerk, handler):
    case = recent_case(clerk, handler, courts.lu0102, 6201)
    case_url = f"/cases/{case.pk}/"

    land(page, handler)
    group = page.locator(f"article.case-group[data-case='{case.pk}']")
    expect(group.locator("header")).to_contain_text(case.case_number)
    expect(group.locator("header")).to_contain_text("申请执行人 张三")
    expect(group.locator("tbody tr").filter(has_text="发出执行通知书")).to_have_count(1)
    expect(group.locator("tbody tr").filter(has_text="发起网络查控")).to_contain_text("剩余 5 个工作日")
    screenshot(page, "queue-handler-1-todo")
    with page.expect_navigation():
        group.locator("header").get_by_role("link", name=case.case_number).click()
    assert page.url.endswith(case_url)
    page.wait_for_function("() => window.htmx !== undefined")

    form = open_action(page, "form-notice")
    form.locator("input[name=served_at]").fill(local_input(timezone.now() - dt.timedelta(minutes=100)))
    htmx_submit(page, form, "登记送达", f"{case_url}notice/")
    expect(page.locator("header.case-head [data-status]").first).to_have_text("执行中")
    screenshot(page, "queue-handler-2-served")

    main_nav(page, "我的待办")
    group = page.locator(f"article.case-group[data-case='{case.pk}']")
    expect(group.locator("tbody tr").filter(has_text="发出执行通知书")).to_have_count(0)
    expect(group.locator("tbody tr").filter(has_text="发起网络查控")).to_have_count(1)
    screenshot(page, "queue-handler-3-after")


@browser_journey
def test_bureau_head_decides_a_request_reached_from_the_queue(page, courts, clerk, handler, bureau_head):
    case, _duration, request = extension_requested(clerk, handler, courts.lu0102, 6202)
    decide_from_queue(
        page, bureau_head, case, request, note="不符合延长条件。", button="驳回", shots="queue-bureau-head"
    )
    request.refresh_from_db()
    assert request.status == ApprovalStatus.REJECTED and request.decided_by == bureau_head


@browser_journey
def test_finance_pays_from_the_queue(page, courts, clerk, handler, bureau_head):
    finance = make_member(Role.FINANCE, courts.lu0102, "finance_journey")
    case = recent_case(clerk, handler, courts.lu0102, 6203)
    receive(case, clerk, "5000.00", ref="JQ6203")
    payment = notified(case, handler, bureau_head, "1200.00")

    land(page, finance)
    expect(badge(page, "pay")).to_have_text("1")
    screenshot(page, "queue-finance-1-todo")
    go_from_queue(page, "custody_funds.payments", case.case_number)
    row = page.locator(f"tr[data-disbursement='{payment.pk}']")
    row.locator("input[name=bank_reference]").fill("ICBC-PAY-6203")
    with page.expect_navigation():
        row.get_by_role("button", name="确认发放").click()
    payment.refresh_from_db()
    assert payment.status == DisbursementStatus.PAID
    screenshot(page, "queue-finance-2-paid")

    main_nav(page, "我的待办")
    expect(post_count(page, "custody_funds.payments")).to_have_text("0")
    expect(badge(page, "pay")).to_have_count(0)
    screenshot(page, "queue-finance-3-done")


@browser_journey
def test_supervisor_signs_an_alert_from_the_queue(page, courts, clerk, handler):
    supervisor = make_member(Role.CASE_SUPERVISOR, courts.lu0102, "supervisor_journey")
    # a case received three weeks ago whose online search was never launched: overdue
    case = recent_case(clerk, handler, courts.lu0102, 6204, minutes_ago=21 * 24 * 60)
    scan_court(court_id=courts.lu0102.pk, at=timezone.now())

    land(page, supervisor)
    waiting = int(badge(page, "sign").inner_text())
    assert waiting >= 1
    screenshot(page, "queue-supervisor-1-todo")
    rows = page.locator("table.work[data-source='supervision.alerts'] tbody tr").filter(
        has_text=case.case_number
    )
    with page.expect_navigation():
        rows.first.get_by_role("link", name="去办理").click()
    expect(page.locator("h1")).to_have_text("预警收件箱")
    page.wait_for_function("() => window.htmx !== undefined")
    alert_row = page.locator("tr[id^=alert-]").filter(has_text=case.case_number).first
    expect(alert_row).to_contain_text(re.compile(r"已超期 \d+ (个工作日|日)"))  # in the rule's own unit
    with page.expect_response(lambda r: r.url.endswith("/acknowledge/")):
        alert_row.get_by_role("button", name="签收").click()
    screenshot(page, "queue-supervisor-2-signed")

    main_nav(page, "我的待办")
    left = page.locator("nav.mainnav [data-badge='sign'] .count")
    if waiting == 1:
        expect(left).to_have_count(0)
    else:
        expect(left).to_have_text(str(waiting - 1))
    screenshot(page, "queue-supervisor-3-done")


@browser_journey
def test_court_leader_approves_an_extension_from_the_queue(page, courts, clerk, handler):
    president = make_member(
        Role.COURT_LEADER, courts.lu0102, "president_journey"
    )  # 院领导 of the case's court
    case, duration, request = extension_requested(clerk, handler, courts.lu0102, 6205)
    due_before = duration.due_at
    decide_from_queue(
        page, president, case, request, note="同意延长两个月。", button="批准", shots="queue-court-leader"
    )
    request.refresh_from_db()
    duration.refresh_from_db()
    assert request.decided_by == president and request.status in (
        ApprovalStatus.APPROVED,
        ApprovalStatus.USED,
    )
    assert duration.due_at > due_before


@browser_journey
def test_the_header_is_one_line_at_1366_for_every_role(page, courts):
    for role in Role:
        if role == Role.API_CLIENT:
            continue
        court = courts.lu0102 if role in (Role.CLERK, Role.HANDLER, Role.FINANCE) else courts.lu01
        land(page, make_member(role, court, f"header_{role}"))
        for group in page.locator("nav.mainnav details.menu").all():
            group.locator("summary").click()  # every dropdown opens and shows its items
            expect(group.locator(".menu-items a").first).to_be_visible()
            group.locator("summary").click()
        screenshot(page, f"queue-header-{role}")
