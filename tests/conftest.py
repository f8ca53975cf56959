import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import CourtLevel, Role
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
