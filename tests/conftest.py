import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import pytest
import time_machine
from django.db import connections
from django.utils import timezone
from playwright.sync_api import Page, sync_playwright
from rest_framework.test import APIClient

from core.models import CourtLevel, Role
from tests.browser import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS
from tests.core.factories import make_court, make_member

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def at(text: str) -> dt.datetime:
    """An aware Asia/Shanghai datetime from 'YYYY-MM-DD HH:MM'."""
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)


# --- the suite's "today" (STYLE §18) ---------------------------------------------------------
#
# Every test runs on a frozen clock: time-machine travels to TEST_NOW when pytest starts
# (before collection) and lets time tick on from there (live servers, Playwright's waits and the
# Celery processes need time that moves). TEST_NOW comes from the environment variable
# TEST_TODAY — an ISO date ("2027-12-30", 10:00 that day) or moment ("2027-12-30 23:30",
# Asia/Shanghai unless it carries an offset) — or DEFAULT_TEST_TODAY: the day the
# suite's explicit dates (September to November 2026) were written against; tests
# that read "now" with fixed dates in mind (ages of 42 days since 10-10, clocks
# overdue since October) hold on it. The real date never matters.
#
# Tests whose outcome depends on "today" take the ``today``/``now`` fixtures, which
# marks them ``date_sensitive`` (also through a fixture that takes them), or carry the
# mark by hand (the demo, the browser journeys, tests reading the clock inside the
# code they call); .ci/run runs them a second time on another day (TEST_TODAY=
# 2027-12-30: a year end, the next year's official calendar not loaded, its predicted
# one in use). Tests written against fixed dates keep them and need no mark. A test that needs
# its own moment moves there itself (``@pytest.mark.time_machine(at(...))`` or the
# ``time_machine`` fixture, on top of the session's clock). Subprocesses (Celery
# workers and beats) start at the same frozen moment through tests/frozen_process.py.

DEFAULT_TEST_TODAY = "2026-11-21 10:00"


def parse_test_today(text: str) -> dt.datetime:
    """TEST_TODAY's moment: a bare date means 10:00 that day; naive means Asia/Shanghai."""
    text = text.strip()
    try:
        if len(text) == 10:
            moment = dt.datetime.combine(dt.date.fromisoformat(text), dt.time(10, 0))
        else:
            moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"TEST_TODAY={text!r}: expected 2027-12-30 or 2027-12-30 23:30") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=SHANGHAI)


TEST_NOW = parse_test_today(os.environ.get("TEST_TODAY") or DEFAULT_TEST_TODAY)


_FROZEN = time_machine.travel(TEST_NOW, tick=True)


def pytest_configure(config):
    # From here to the end of the session — collection included (a module-level
    # ``NOW = local_now_input()`` is read at import), every fixture (module worlds
    # too) and every test: one clock, TEST_NOW's.
    _FROZEN.start()


def pytest_unconfigure(config):
    _FROZEN.stop()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    # before ``-m`` deselects: a test asking for today/now is date sensitive by definition
    for item in items:
        callspec = getattr(item, "callspec", None)
        fixtures = set(getattr(item, "fixturenames", ())) - set(callspec.params if callspec else ())
        if {"today", "now"} & fixtures:
            item.add_marker(pytest.mark.date_sensitive)


@pytest.fixture
def today() -> dt.date:
    """The suite's today (Asia/Shanghai): TEST_TODAY's date."""
    return timezone.localdate()


@pytest.fixture
def now() -> dt.datetime:
    """The suite's now: TEST_TODAY's moment, plus the seconds the run has taken."""
    return timezone.now()


def on(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    """``day`` at ``hour:minute`` in Asia/Shanghai (``at`` for computed days)."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the site's language: a request made in English (the language
    cookie) leaves English active in its thread, and a later test of the same worker that
    renders without a request would read it."""
    from django.conf import settings as django_settings
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _reference_data(request):
    """The rule catalogue and the working calendar come from data migrations; a
    transactional test flushes them, so put them back for whoever comes next."""
    names = set(request.fixturenames)
    if "transactional_db" in names or "live_server" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names:
        request.getfixturevalue("db")
    else:
        return
    import importlib

    from django.apps import apps

    from core.models import CalendarYear, DeadlineRule

    seed = importlib.import_module("core.migrations.0002_seed_rules_and_calendar")
    if not DeadlineRule.objects.exists():
        seed.seed_rules(apps, None)
    if not CalendarYear.objects.exists():
        seed.seed_calendar(apps, None)
    from core import rule_catalogue
    from core.models import LegalCitation

    if not LegalCitation.objects.exists():
        rule_catalogue.sync_citations(DeadlineRule, LegalCitation)
    from enforcement import asset_catalogue
    from enforcement.models import AssetCategory

    if not AssetCategory.objects.exists():
        asset_catalogue.sync(AssetCategory)


@pytest.fixture(autouse=True)
def _no_backdate_review(request, monkeypatch):
    """The suite's fixed-date world (September to November 2026, entered on TEST_TODAY)
    is typed in weeks after its nodes happened: in production each such clock stop
    would wait for a bureau head (待核实, 322号 §12, core.services.clocks.backdate).
    Tests about something else keep stopping clocks at once at their declared time
    (the nodes are still flagged ``backdated``); tests of the review itself carry
    ``@pytest.mark.backdate_review``."""
    if request.node.get_closest_marker("backdate_review") is None:
        from core.services.clocks import lifecycle

        monkeypatch.setattr(lifecycle, "backdate_review_needed", lambda *args, **kwargs: False)


@pytest.fixture
def courts(db):
    """最高法 → 鲁 → 鲁01 → {鲁0102, 鲁0103}; 鲁 → 鲁02 → 鲁0202."""
    spc = make_court("最高法", "最高人民法院", CourtLevel.SUPREME)
    lu = make_court("鲁", "山东省高级人民法院", CourtLevel.HIGH, spc)
    lu01 = make_court("鲁01", "济南市中级人民法院", CourtLevel.INTERMEDIATE, lu)
    lu0102 = make_court("鲁0102", "历下区人民法院", CourtLevel.BASIC, lu01)
    lu0103 = make_court("鲁0103", "市中区人民法院", CourtLevel.BASIC, lu01)
    lu02 = make_court("鲁02", "青岛市中级人民法院", CourtLevel.INTERMEDIATE, lu)
    lu0202 = make_court("鲁0202", "市南区人民法院", CourtLevel.BASIC, lu02)
    return SimpleNamespace(spc=spc, lu=lu, lu01=lu01, lu0102=lu0102, lu0103=lu0103, lu02=lu02, lu0202=lu0202)


@pytest.fixture
def clerk(courts):
    return make_member(Role.CLERK, courts.lu0102, "clerk")


@pytest.fixture
def handler(courts):
    return make_member(Role.HANDLER, courts.lu0102, "handler")


@pytest.fixture
def bureau_head(courts):
    return make_member(Role.BUREAU_HEAD, courts.lu0102, "bureau_head")


@pytest.fixture
def case_supervisor(courts):
    return make_member(Role.CASE_SUPERVISOR, courts.lu01, "case_supervisor")


@pytest.fixture
def inspector(courts):
    return make_member(Role.INSPECTOR, courts.lu01, "inspector")


@pytest.fixture
def court_leader(courts):
    return make_member(Role.COURT_LEADER, courts.lu, "court_leader")


@pytest.fixture
def api_client():
    return APIClient()


# --- browser journeys (Playwright on Debian's Chromium) -------------------------


@pytest.fixture(scope="module")
def browser(django_db_setup, django_db_blocker):
    # Never a silent skip: a green run always includes the journeys (`make test` runs
    # deploy/ensure-browser.sh first, which installs or names what is missing).
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is not installed: the browser journeys need it. "
            "Run deploy/ensure-browser.sh (as root it installs it), or: sudo apt-get install chromium fonts-noto-cjk",
            pytrace=False,
        )
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
        with django_db_blocker.unblock():
            connections.close_all()  # the second set of connections, before the loop goes away
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@contextmanager
def browser_page(browser, base_url: str, *, width: int = 1440, height: int = 900) -> Iterator[Page]:
    """A page in a fresh context: no cookies carried over. Chinese is the default
    language; headless Chromium would otherwise send Accept-Language: en-US."""
    context = browser.new_context(
        locale="zh-CN", base_url=base_url, viewport={"width": width, "height": height}
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    # Let in-flight requests (htmx, static) finish before the transactional
    # teardown truncates the tables under them.
    try:
        page.wait_for_load_state("networkidle", timeout=5_000)
    except Exception:
        pass
    context.close()


@pytest.fixture
def page(browser, live_server) -> Iterator[Page]:
    with browser_page(browser, live_server.url) as page:
        yield page
