"""A supervisor's journey in headless Chromium: the 专人监管 of 鲁01 opens the
监督看板, drills down to 鲁0102 and through its overdue clocks to the case, signs
for the 报告上级法院 alert in the inbox (htmx swaps the row) and issues a 督办 on
the case — first refused for want of 督办意见, then issued, with its response
clock running.

The data comes through the real services: a case at 鲁0102 received on
2026-09-29 whose SEARCH_START clock (5 working days, due 10-12) has climbed the
whole ladder by ``AT``, and the same case at the sibling 鲁0202 (under 鲁02),
which 鲁01's supervisor must never see. Every court is scanned and its counters
refreshed as of ``AT``, as the beat does."""

import datetime as dt
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django import forms
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from core.calendar import local_date
from core.models import Deadline, DeadlineStatus, Role
from core.models.clocks import RUNNING
from supervision.models import Alert, AlertLevel, CourtRuleStat, OrderKind, OrderStatus, SupervisionOrder
from tests.browser import log_in, nav_link, screenshot
from tests.conftest import at
from tests.core.factories import make_member
from tests.enforcement.factories import make_case
from tests.supervision.factories import scan_all

# date sensitive: the 督办 is issued today, its response clock counted from today
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.date_sensitive]

# SEARCH_START of a case received 2026-09-29 10:00 is due 2026-10-12; the ladder
# reaches 报告上级法院 on 10-20 00:01 (tests/supervision/test_scan.py).
AT = at("2026-10-21 09:00")
CASE_NUMBER = "(2026)鲁0102执7001号"
SIBLING_NUMBER = "(2026)鲁0202执7002号"
INSTRUCTIONS = "请于十日内发起网络查控并报告财产查控结果，说明超期未查控的原因。"
RESPONSE_DAYS = 10
with translation.override("zh-hans"):
    REQUIRED = str(forms.Field.default_error_messages["required"])  # 该字段是必填项。


def overdue_at(courts, moment: dt.datetime) -> int:
    """Running, unpaused clocks past their due date at ``moment`` in ``courts`` —
    counted here from the clocks, independently of the dashboard's counters."""
    return Deadline.objects.filter(
        RUNNING, court__in=courts, paused_at__isnull=True, due_at__lt=moment
    ).count()


def click_bar(page: Page, chart_id: str, wanted: str) -> None:
    """Click the bar of ``chart_id`` whose data item has code ``wanted`` (a canvas
    has no DOM per bar: ask ECharts where it drew it)."""
    x, y = page.evaluate(
        """([id, code]) => {
            const el = document.getElementById(id);
            const chart = echarts.getInstanceByDom(el);
            const data = chart.getOption().series[0].data;
            const i = data.findIndex(d => d.code === code);
            if (i < 0) throw new Error("no bar for " + code);
            const [px, py] = chart.convertToPixel({seriesIndex: 0}, [i, Math.max(data[i].value, 1) / 2]);
            el.scrollIntoView({block: "center"});
            const box = el.getBoundingClientRect();
            return [box.left + px, box.top + py];
        }""",
        [chart_id, wanted],
    )
    page.mouse.click(x, y)


def main_nav(page: Page, label: str) -> None:
    link = nav_link(page, label)  # (under its heading's dropdown, issue 16)
    with page.expect_navigation():
        link.click()


def kpi(page: Page, name: str):
    return page.locator(f"#supervision-dashboard [data-kpi={name}]")


@pytest.fixture
def province(courts, clerk, handler, case_supervisor):
    clerk0202 = make_member(Role.CLERK, courts.lu0202, "clerk0202")
    case = make_case(
        clerk,
        courts.lu0102,
        number=CASE_NUMBER,
        received="2026-09-29 10:00",
        filed="2026-09-28",
        handler=handler,
    )
    sibling = make_case(
        clerk0202, courts.lu0202, number=SIBLING_NUMBER, received="2026-09-29 10:00", filed="2026-09-28"
    )
    scan_all(AT)
    upper = Alert.objects.get(case=case, rule__code="SEARCH_START", level=AlertLevel.UPPER)
    assert (upper.to_court_id, upper.to_role) == (courts.lu01.pk, Role.CASE_SUPERVISOR)
    assert upper.acknowledged_at is None
    # the sibling's case climbed the same ladder, to 鲁02: hidden from 鲁01 by scope alone
    sibling_upper = Alert.objects.get(case=sibling, rule__code="SEARCH_START", level=AlertLevel.UPPER)
    assert sibling_upper.to_court_id == courts.lu02.pk
    assert CourtRuleStat.objects.filter(court=courts.lu0202, overdue__gt=0).exists()
    return case, sibling, upper


def test_supervisor_dashboard_drill_down_acknowledge_and_issue_order(page, courts, case_supervisor, province):
    case, sibling, upper = province
    problems: list[str] = []
    refusals: list[str] = []

    def on_console(msg) -> None:
        if msg.type != "error":
            return
        # Chromium logs a 4xx document as a console error: the refused 督办 form
        # comes back as 422 by design (supervision/views/orders.py order_new).
        if (
            "status of 422" in msg.text
            and urlparse(msg.location.get("url", "")).path == "/supervision/orders/new/"
        ):
            refusals.append(msg.text)
        else:
            problems.append(f"console: {msg.text} ({msg.location.get('url')})")

    page.on("pageerror", lambda exc: problems.append(f"pageerror: {exc}"))
    page.on("console", on_console)

    log_in(page, case_supervisor)

    # --- 1. the dashboard of 鲁01 and everything below it ----------------------------------------
    main_nav(page, "监督看板")
    assert urlparse(page.url).path == "/supervision/"
    expect(page.locator("h1")).to_have_text("监督看板 · 济南市中级人民法院")
    expect(page.locator(".asof")).to_contain_text("统计截至 2026-10-21 09:00")
    for chart in ("chart-rules", "chart-courts", "chart-trend", "chart-receipts"):
        expect(page.locator(f"#{chart} canvas")).to_have_count(1)
    page.wait_for_function(
        "() => echarts.getInstanceByDom(document.getElementById('chart-courts')) !== undefined"
    )

    lu01_tree = [courts.lu01, courts.lu0102, courts.lu0103]
    overdue_lu01 = overdue_at(lu01_tree, AT)
    assert overdue_lu01 >= 1
    assert overdue_at([courts.lu0202], AT) >= 1  # the sibling has as many, none of them counted here
    expect(kpi(page, "overdue")).to_have_text(str(overdue_lu01))
    expect(page.locator("#table-rules tr[data-rule=SEARCH_START] td").nth(2)).to_have_text("1")

    table = page.locator("#table-courts")
    row = table.locator('tr[data-court="鲁0102"]')
    expect(row).to_contain_text("历下区人民法院")
    expect(row.locator("td").nth(1)).to_have_text(str(overdue_at([courts.lu0102], AT)))
    expect(table.locator('tr[data-court="鲁0103"]')).to_contain_text("市中区人民法院")
    for hidden in ("鲁0202", "市南区人民法院", "鲁02", "青岛市中级人民法院"):
        expect(table).not_to_contain_text(hidden)
    expect(page.locator("#table-overdue")).to_contain_text(CASE_NUMBER)
    expect(page.locator("#supervision-dashboard")).not_to_contain_text(SIBLING_NUMBER)
    expect(page.locator("#supervision-dashboard")).not_to_contain_text("市南区人民法院")
    screenshot(page, "supervisor-journey-1-dashboard")
    assert problems == []  # the charts drew without a script error

    # --- 2. drill down: 鲁0102's bar, then its overdue SEARCH_START clocks, then the case ---------
    with page.expect_navigation():
        click_bar(page, "chart-courts", "鲁0102")
    assert parse_qs(urlparse(page.url).query) == {"court": ["鲁0102"]}
    expect(page.locator("h1")).to_have_text("监督看板 · 历下区人民法院")
    expect(page.locator("#supervision-dashboard")).to_have_attribute("data-court", "鲁0102")
    expect(page.locator(".crumbs")).to_contain_text("济南市中级人民法院")
    expect(kpi(page, "overdue")).to_have_text(str(overdue_at([courts.lu0102], AT)))
    expect(page.locator('#table-courts tr[data-court="鲁0102"]')).to_contain_text("本院")
    expect(page.locator("#table-courts")).not_to_contain_text("市中区人民法院")
    screenshot(page, "supervisor-journey-2-drill-down")
    assert problems == []

    with page.expect_navigation():
        page.locator("#table-rules tr[data-rule=SEARCH_START] td").nth(2).locator("a").click()
    assert parse_qs(urlparse(page.url).query) == {
        "rule": ["SEARCH_START"],
        "status": ["overdue"],
        "court": ["鲁0102"],
    }
    expect(page.locator("h1")).to_have_text("发起网络查控 · 超期未完成 · 历下区人民法院")
    clocks = page.locator("#clock-list tbody tr")
    expect(clocks).to_have_count(1)
    expect(clocks).to_contain_text(CASE_NUMBER)
    expect(clocks.locator("td").nth(5)).to_have_text("2026-10-12")
    expect(page.locator("#clock-list")).not_to_contain_text(SIBLING_NUMBER)
    screenshot(page, "supervisor-journey-3-clock-list")
    with page.expect_navigation():
        clocks.get_by_role("link", name=CASE_NUMBER).click()
    assert urlparse(page.url).path == f"/cases/{case.pk}/"
    expect(page.locator("h1")).to_have_text(CASE_NUMBER)
    expect(page.locator("#deadlines tr[data-rule=SEARCH_START]")).to_be_visible()
    expect(page.locator("#issue-order")).to_be_visible()

    # 鲁02's subtree is out of reach, by link or by typed URL
    assert page.request.get(f"/supervision/?court={sibling.court.code}").status == 404
    assert page.request.get(f"/cases/{sibling.pk}/").status == 404

    # --- 3. 签收 the 报告上级法院 alert ---------------------------------------------------------------
    main_nav(page, "预警收件箱")
    expect(page.locator("h1")).to_have_text("预警收件箱")
    page.wait_for_function("() => window.htmx !== undefined")
    expect(page.locator("#alerts")).not_to_contain_text(SIBLING_NUMBER)
    alert_row = page.locator(f"#alert-{upper.pk}")
    expect(alert_row).to_have_class(re.compile(r"\blevel-upper\b"))
    expect(alert_row).to_contain_text("报告上级法院")
    expect(alert_row).to_contain_text(CASE_NUMBER)
    expect(alert_row).to_contain_text("发起网络查控")
    expect(alert_row).to_contain_text("2026-10-12")
    expect(alert_row).to_contain_text(str(case_supervisor))  # a recipient: the post's holder
    screenshot(page, "supervisor-journey-4-inbox")
    with page.expect_response(
        lambda r: r.url.endswith(f"/supervision/alerts/{upper.pk}/acknowledge/")
    ) as info:
        alert_row.get_by_role("button", name="签收").click()
    assert info.value.request.headers.get("hx-request") == "true"  # swapped by htmx, no page load
    assert info.value.status == 200
    upper.refresh_from_db()
    assert upper.acknowledged_by == case_supervisor
    assert upper.acknowledged_at is not None
    signed = f"{case_supervisor} 于 {timezone.localtime(upper.acknowledged_at):%Y-%m-%d %H:%M} 签收"
    alert_row = page.locator(f"#alert-{upper.pk}")
    expect(alert_row.locator(".ack")).to_have_text(signed)
    expect(alert_row.get_by_role("button", name="签收")).to_have_count(0)
    expect(alert_row.locator(".field-error")).to_have_count(0)
    screenshot(page, "supervisor-journey-5-acknowledged")

    # --- 4. 督办 from the case page ---------------------------------------------------------------
    with page.expect_navigation():
        alert_row.get_by_role("link", name=CASE_NUMBER).click()
    expect(page.locator("h1")).to_have_text(CASE_NUMBER)
    with page.expect_navigation():
        page.locator("#issue-order").click()
    assert urlparse(page.url).path == "/supervision/orders/new/"
    assert parse_qs(urlparse(page.url).query) == {"case": [str(case.pk)]}
    expect(page.locator("h1")).to_have_text("发出督办")
    expect(page.locator("main")).to_contain_text(CASE_NUMBER)
    expect(page.locator("#id_issuing_court")).to_have_value(str(courts.lu01.pk))
    expect(page.locator("#id_issuing_court option")).to_have_count(1)
    expect(page.locator("#id_case_number")).to_have_count(0)  # the case is fixed

    form = page.locator("form[method=post]").filter(has=page.locator("#id_instructions"))
    form.locator(f"input[name=kind][value={OrderKind.URGE}]").check()
    form.locator("#id_response_days").fill(str(RESPONSE_DAYS))
    form.locator("#id_instructions").fill("")
    with page.expect_navigation():
        form.get_by_role("button", name="发出督办").click()
    instructions = page.locator(".field[data-field=instructions]")
    expect(instructions.locator(".field-error")).to_have_text(REQUIRED)
    expect(page.locator(".field-error")).to_have_count(1)  # only next to 督办意见
    expect(page.locator(f"input[name=kind][value={OrderKind.URGE}]")).to_be_checked()
    expect(page.locator("#id_response_days")).to_have_value(str(RESPONSE_DAYS))
    assert not SupervisionOrder.objects.exists()
    assert not Deadline.objects.filter(rule__code="ORDER_RESPONSE").exists()
    screenshot(page, "supervisor-journey-6-order-refused")

    page.locator("#id_instructions").fill(INSTRUCTIONS)
    with page.expect_navigation():
        page.get_by_role("button", name="发出督办").click()

    order = SupervisionOrder.objects.select_related("response_deadline__rule").get()
    clock = order.response_deadline
    assert (order.issuing_court, order.target_court, order.case) == (courts.lu01, courts.lu0102, case)
    assert (order.kind, order.status, order.response_days) == (
        OrderKind.URGE,
        OrderStatus.ISSUED,
        RESPONSE_DAYS,
    )
    assert order.issued_by == case_supervisor
    assert order.instructions == INSTRUCTIONS
    assert clock.rule.code == "ORDER_RESPONSE"
    assert clock.status == DeadlineStatus.OPEN and clock.paused_at is None and clock.completed_at is None
    assert Deadline.objects.filter(RUNNING, pk=clock.pk).exists()
    assert (clock.court, clock.case, clock.responsible) == (courts.lu0102, case, case.handler)
    due = local_date(clock.due_at)
    assert due >= local_date(order.issued_at) + dt.timedelta(days=RESPONSE_DAYS)  # calendar days

    assert urlparse(page.url).path == f"/supervision/orders/{order.pk}/"
    expect(page.locator("h1")).to_have_text(order.number)
    expect(page.locator(".messages")).to_contain_text(f"已发出督办 {order.number}（督促执行）")
    expect(page.locator("[data-status]").first).to_have_text("待回复")
    facts = page.locator("header.case-head")
    expect(facts).to_contain_text("济南市中级人民法院")
    expect(facts).to_contain_text("历下区人民法院")
    expect(facts).to_contain_text(INSTRUCTIONS)
    panel = page.locator("#clock .clock-panel[data-clock=ORDER_RESPONSE]")
    expect(panel).to_have_attribute("data-clock-status", DeadlineStatus.OPEN)
    # marked 暂定 when the period runs into a year whose official calendar is not loaded
    expect(panel.locator("dd[data-due]")).to_have_text(f"{due.isoformat()} 暂定" if clock.provisional else due.isoformat())
    expect(panel.locator("dd[data-due]")).to_have_attribute("data-due", due.isoformat())
    screenshot(page, "supervisor-journey-7-order")

    assert problems == []
    assert len(refusals) == 1  # the one refused submission
