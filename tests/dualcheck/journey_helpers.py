"""What the 一案双查 browser journeys share: one fresh browser context per person
(signed in through the real login form), a watch on each page's console, and the
few gestures of the clue page (open a step's form, submit it, read the error next
to a field)."""

import re
from dataclasses import dataclass, field
from urllib.parse import urlparse

from playwright.sync_api import Browser, Locator, Page, expect

from core.models import User
from tests.browser import TIMEOUT_MS, log_in, nav_link

# Chromium logs a 4xx document as a console error ("... status of 422 ..."): a
# refused form comes back as 422 by design, a page out of reach as 403/404.
_STATUS = re.compile(r"status of (\d{3})")


@dataclass
class Console:
    """Script errors (never expected) and refused documents (counted, so a journey
    can say exactly which refusals it caused)."""

    problems: list[str] = field(default_factory=list)
    refusals: list[tuple[int, str]] = field(default_factory=list)

    def attach(self, page: Page, who: str) -> None:
        page.on("pageerror", lambda exc: self.problems.append(f"{who}: pageerror: {exc}"))
        page.on("console", lambda msg: self._console(msg, who))

    def _console(self, msg, who: str) -> None:
        if msg.type != "error":
            return
        match = _STATUS.search(msg.text)
        url = msg.location.get("url", "") if msg.location else ""
        path = urlparse(url).path
        if path == "/favicon.ico":
            return  # asked for by Django's bare error pages (no <link rel=icon>), not by the app
        if match and match.group(1) in {"403", "404", "409", "422"}:
            self.refusals.append((int(match.group(1)), path))
        else:
            self.problems.append(f"{who}: console: {msg.text} ({url})")


class Actors:
    """Each person in a browser context of their own (no cookie shared), created
    on first use and kept for the rest of the journey."""

    def __init__(self, browser: Browser, base_url: str):
        self.browser, self.base_url = browser, base_url
        self.console = Console()
        self._pages: dict[int, Page] = {}

    def __call__(self, user: User) -> Page:
        if user.pk not in self._pages:
            context = self.browser.new_context(
                locale="zh-CN", base_url=self.base_url, viewport={"width": 1440, "height": 900}
            )
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            self.console.attach(page, user.username)
            log_in(page, user)
            self._pages[user.pk] = page
        return self._pages[user.pk]

    def close(self) -> None:
        for page in self._pages.values():
            # let in-flight requests finish before the tables are truncated under them
            try:
                page.wait_for_load_state("networkidle", timeout=5_000)
            except Exception:
                pass
            page.context.close()


def path_of(page: Page) -> str:
    return urlparse(page.url).path


def main_nav(page: Page, label: str) -> None:
    link = nav_link(page, label)
    with page.expect_navigation():
        link.click()


def nav_labels(page: Page) -> list[str]:
    """Every item of the main navigation, those under a closed heading too, without counts."""
    texts = page.get_by_role("navigation", name="主导航").locator("a").all_text_contents()
    return [re.sub(r"\s+\d+$", "", t.strip()) for t in texts]


def open_clue(page: Page, clue) -> None:
    response = page.goto(f"/dualcheck/{clue.pk}/")
    assert response is not None and response.status == 200, response and response.status
    expect(page.locator("h1")).to_have_text(clue.number)


def step_form(page: Page, slug: str) -> Locator:
    """The form of step ``slug`` in the 办理 panel, its <details> opened."""
    details = page.locator(f"details#form-{slug}")
    expect(details).to_have_count(1)
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    form = details.locator("form")
    expect(form).to_be_visible()
    return form


def submit(page: Page, scope: Locator, button: str) -> None:
    with page.expect_navigation():
        scope.get_by_role("button", name=button, exact=True).click()


def field_errors(scope: Locator, name: str) -> Locator:
    return scope.locator(f'.field[data-field="{name}"] .field-error')


def status_badge(page: Page) -> Locator:
    return page.locator("header.case-head [data-status]").first


def flash(page: Page) -> Locator:
    return page.locator(".messages")
