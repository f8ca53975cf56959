"""What every Playwright journey shares: Debian's Chromium (browser downloads are
impossible here), one browser per module, a fresh context per test, screenshots
in ``test-artifacts/``, and logging in through the real login form.

The Django live server runs in a thread of this process and Playwright's sync API
runs an event loop in the main thread, which makes Django believe the test code is
in an async context; the ``browser`` fixture (tests/conftest.py) therefore sets
DJANGO_ALLOW_ASYNC_UNSAFE while it runs.
"""

import re
from pathlib import Path

from playwright.sync_api import Page, expect

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
PASSWORD = "pw-for-tests-1"  # tests.core.factories.UserFactory
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def submit_login(page: Page, username: str, password: str) -> None:
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("form button[type=submit].primary")


def log_in(page: Page, user) -> None:
    """Sign in as ``user`` (a previous user's session is dropped first)."""
    page.context.clear_cookies()
    page.goto("/login/")
    submit_login(page, user.username, PASSWORD)
    expect(page.locator("h1")).to_have_text("我的待办")


def nav_link(page: Page, label: str):
    """The main navigation's link ``label`` (its count, if any, after it), opening the
    heading (a ``<details>`` dropdown) it sits under first."""
    nav = page.get_by_role("navigation", name="主导航")
    text = re.compile(rf"^\s*{re.escape(label)}(\s+\d+)?\s*$")
    link = nav.locator("a").filter(has_text=text).first
    if not link.is_visible():
        nav.locator("details").filter(has=page.locator("a").filter(has_text=text)).locator("summary").click()
    return link
