"""End-to-end journeys through the server-rendered pages, in headless Chromium.

The Django live server runs in a thread of this process and Playwright's sync API
runs an event loop in the main thread, which makes Django believe the test code
is in an async context; the shared `browser` fixture (tests/conftest.py) allows it.

``live_server`` needs transactional tests, which truncate every table when they
end; ``tests.conftest._reference_data`` puts the seeded rule catalogue and working
calendar back before each test that needs the database.
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from core.services.clocks import clock_start
from tests.browser import PASSWORD, log_in, screenshot, submit_login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

def test_login_lands_on_todo_with_own_clock(page, courts, handler, now):
    # started yesterday, whatever today is: a year not loaded yet counts on the predicted calendar
    clock = clock_start(
        rule_code="SEARCH_START",
        court=courts.lu0102,
        started_at=now - dt.timedelta(days=1),
        subject_label="(2026)鲁0102执1001号",
        responsible=handler,
    )
    assert clock is not None

    page.goto("/todo/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/todo/$"))
    expect(page.locator("h1")).to_have_text("登录")

    submit_login(page, handler.username, PASSWORD)
    expect(page).to_have_url(re.compile(r"/todo/$"))
    expect(page.locator("h1")).to_have_text("我的待办")
    row = page.locator("table.grid tbody tr", has_text="(2026)鲁0102执1001号")
    expect(row).to_have_count(1)
    expect(row.locator("td").first).to_have_text("发起网络查控")
    expect(row).to_contain_text(courts.lu0102.name)
    screenshot(page, "login_todo")


def test_three_wrong_passwords_lock_the_account(page, live_server, handler):
    page.goto("/login/")
    for attempt in range(1, 4):
        submit_login(page, handler.username, f"wrong-password-{attempt}")
        if attempt < 3:
            expect(page.locator("h1")).to_have_text("登录")
            expect(page.locator(".form-error")).to_be_visible()
    expect(page.locator("h1")).to_contain_text("已暂时锁定")

    # Even the right password is refused while the lock holds.
    page.goto("/login/")
    submit_login(page, handler.username, PASSWORD)
    expect(page.locator("h1")).to_contain_text("已暂时锁定")
    screenshot(page, "lockout")

    response = page.context.request.get(f"{live_server.url}/todo/", max_redirects=0)
    assert response.status == 302
    assert response.headers["location"].startswith("/login/")


def test_calendar_calculator_via_htmx(page, handler):
    log_in(page, handler)
    page.goto("/calendar/?year=2026")
    expect(page.locator("h1")).to_contain_text("2026")
    page.wait_for_function("() => window.htmx !== undefined")  # the vendored htmx loaded

    # The month grid: 1 October 2026 (National Day) is a holiday.
    months = page.locator("table.month")
    expect(months).to_have_count(12)
    october = months.nth(9)
    expect(october.locator("caption")).to_have_text(re.compile(r"10|十月|October"))
    expect(october.locator("td.holiday").filter(has_text=re.compile(r"^\s*1\s*$"))).to_have_count(1)

    page.fill("#id_start", "2026-09-30")
    page.fill("#id_days", "5")
    page.select_option("#id_unit", "working_days")
    with page.expect_response(lambda r: "/calendar/due-date/" in r.url) as info:
        page.get_by_role("button", name="计算").click()
    response = info.value
    assert response.status == 200
    assert response.request.headers.get("hx-request") == "true"
    expect(page.locator("#due-result [data-due-date]")).to_have_attribute("data-due-date", "2026-10-13")
    # htmx swapped the fragment in; no full page navigation happened.
    expect(page).to_have_url(re.compile(r"/calendar/\?year=2026$"))
    screenshot(page, "calendar_htmx")


def test_language_switch_to_english(page, handler):
    log_in(page, handler)
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    with page.expect_navigation():
        page.select_option("header select[name=language]", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/todo/$"))
    screenshot(page, "language_en")
