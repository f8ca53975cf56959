import datetime as dt
import os
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import connections
from django.utils import timezone
from playwright.sync_api import Page, sync_playwright
from rest_framework.test import APIClient

from core.models import CourtLevel, Role
from tests.browser import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS
from tests.factories import make_court, make_member

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def at(text: str) -> dt.datetime:
    """An aware Asia/Shanghai datetime from 'YYYY-MM-DD HH:MM'."""
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)


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
    from enforcement import asset_catalogue
    from enforcement.models import AssetCategory

    if not AssetCategory.objects.exists():
        asset_catalogue.sync(AssetCategory)


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


@pytest.fixture
def now():
    return timezone.now()


# --- browser journeys (Playwright on Debian's Chromium) -------------------------


@pytest.fixture(scope="module")
def browser(django_db_setup, django_db_blocker):
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is not installed (.ci/run installs it)")
        pytest.skip(f"{CHROMIUM} is not installed")
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


@pytest.fixture
def page(browser, live_server) -> Page:
    # A fresh context per test: no cookies carried over. Chinese is the default
    # language; headless Chromium would otherwise send Accept-Language: en-US.
    context = browser.new_context(locale="zh-CN", base_url=live_server.url, viewport={"width": 1440, "height": 900})
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
