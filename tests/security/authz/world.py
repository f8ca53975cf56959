"""The world of the authorization matrix (``tests/security/authz/test_matrix.py``): built ONCE per
test module inside an outer transaction that is rolled back when the module ends
(the trick of ``tests/dualcheck/matrix_fixtures.py``); every test runs in a
savepoint of it, and every request of the matrix in a savepoint of its own, so an
action that succeeds is undone before the next request.

Courts as in ``tests/conftest.py``: 最高法 → 鲁 → 鲁01 → {鲁0102, 鲁0103};
鲁 → 鲁02 → 鲁0202. The objects under test belong to 鲁01 (an intermediate court:
it has a court above, a sibling and a court below). Every role of
``core.models.Role`` is held by one person at each of four positions:

* ``own``     鲁01    — the objects' own court
* ``sibling`` 鲁02    — a sibling court (never sees 鲁01's things)
* ``lower``   鲁0102  — a court below (never sees its upper court's things)
* ``upper``   鲁      — the court above (its supervisory roles see 鲁01)

Every court but 最高法 also holds marker objects (a case whose applicant is named
``MK-<court>-申请人``, a pending approval, an unidentified receipt paid by
``MK-<court>-付款人``, a disbursement notified to finance, a petition from
``MK-<court>-信访人``, the alerts of the scan, a line of the audit trail by
``MK-<court>-用户``), so a list answer can be searched for
exactly which courts' rows it carries: a case number names its court too
(``(2026)鲁02执901号``), see ``courts_in``."""

import re
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from core.identity import credit_code_check_char, resident_id_check_char
from core.models import SUPERVISORY_ROLES, Court, CourtLevel, Role, User
from core.services.people import api_client_create
from tests.core.factories import make_court, make_member

# --- who ----------------------------------------------------------------------------------------

ROLES = [r.value for r in Role]  # clerk … admin: every role the product knows
POSITIONS = ("own", "sibling", "lower", "upper")
COURT_OF = {"own": "鲁01", "sibling": "鲁02", "lower": "鲁0102", "upper": "鲁"}
ANONYMOUS = "anonymous"
SUPERVISORY = frozenset(r.value for r in SUPERVISORY_ROLES)

# The marker courts and the tree (independent of the product's scoping code).
PARENT = {
    "鲁": "最高法",
    "鲁01": "鲁",
    "鲁0102": "鲁01",
    "鲁0103": "鲁01",
    "鲁02": "鲁",
    "鲁0202": "鲁02",
    "最高法": None,
}
MARKER_COURTS = ("鲁", "鲁01", "鲁02", "鲁0102", "鲁0103", "鲁0202")


def ancestors(code: str) -> list[str]:
    out = []
    while PARENT.get(code):
        code = PARENT[code]
        out.append(code)
    return out


def scope_of(role: str, position: str) -> set[str]:
    """The courts ``role`` at ``position`` may see (DESIGN "Who sees what"): its own
    court, and every court below it for the supervisory roles."""
    if role == ANONYMOUS:
        return set()
    home = COURT_OF[position]
    if role in SUPERVISORY:
        return {c for c in PARENT if c == home or home in ancestors(c)}
    return {home}


# --- markers -------------------------------------------------------------------------------------

_CASE_NUMBER = re.compile(r"\(\d{4}\)(?:最高法|鲁\d*)执恢?\d+号")
_MARKER = re.compile(r"MK-(最高法|鲁\d*)-")
# case number → court, of every case of the world (filled by ``build_world``): a
# number that is no case's (a placeholder, the number a form was sent) names nothing
CASE_COURTS: dict[str, str] = {}


def courts_in(text: str) -> set[str]:
    """The courts whose rows ``text`` carries: by case number and by marker."""
    by_number = {CASE_COURTS[n] for n in _CASE_NUMBER.findall(text) if n in CASE_COURTS}
    return by_number | set(_MARKER.findall(text))


COURT_NAMES = {
    "最高法": "最高人民法院",
    "鲁": "山东省高级人民法院",
    "鲁01": "济南市中级人民法院",
    "鲁0102": "历下区人民法院",
    "鲁0103": "市中区人民法院",
    "鲁02": "青岛市中级人民法院",
    "鲁0202": "市南区人民法院",
}


def courts_named_in(text: str) -> set[str]:
    """The courts ``text`` names (a court's name is no row of it: the courts above
    one's own are named on many pages, a sibling branch on none)."""
    return {code for code, name in COURT_NAMES.items() if name in text}


def person_id(body17: str) -> str:
    return body17 + resident_id_check_char(body17)


def org_code(body17: str) -> str:
    return body17 + credit_code_check_char(body17)


# --- the world -----------------------------------------------------------------------------------


@dataclass
class World:
    courts: SimpleNamespace
    by_code: dict[str, Court]
    users: dict[tuple[str, str], User]  # (role, position) → person
    tokens: dict[str, str]  # position → the key of that court's API client
    helpers: dict[str, User] = field(default_factory=dict)  # a clerk of each marker court
    o: SimpleNamespace = field(default_factory=SimpleNamespace)  # the objects under test (鲁01)
    markers: dict[str, dict[str, object]] = field(default_factory=dict)  # kind → court → object
    orders_between: list[tuple[str, str]] = field(default_factory=list)  # (issuing, target) courts
    clients: dict[tuple[str, str], APIClient] = field(default_factory=dict)

    def user(self, role: str, position: str) -> User:
        return self.users[(role, position)]

    def client(self, role: str, position: str) -> APIClient:
        """One client per person for the module (the session is made once): an API
        client's machine account also has a browser session (the worst case: the
        pages must refuse it) and sends its token."""
        key = (role, position)
        if key not in self.clients:
            client = APIClient(raise_request_exception=False)  # a server error is an answer to judge
            if role != ANONYMOUS:
                client.force_login(self.users[key])
            if role == Role.API_CLIENT:
                client.credentials(HTTP_AUTHORIZATION=f"Token {self.tokens[position]}")
            self.clients[key] = client
        return self.clients[key]

    def allowed_courts(self, role: str, position: str, *, orders: bool = False) -> set[str]:
        """The courts whose rows ``role`` at ``position`` may meet in an answer: its
        scope — and, in the answers about 督办 orders (``orders``), the case of
        every order its scope issued or received (an order is seen by the issuing
        and the target court, with its case)."""
        scope = scope_of(role, position)
        if not orders:
            return scope
        return scope | {
            target for issuing, target in self.orders_between if issuing in scope or target in scope
        }


def _courts() -> SimpleNamespace:
    n = COURT_NAMES
    spc = make_court("最高法", n["最高法"], CourtLevel.SUPREME)
    lu = make_court("鲁", n["鲁"], CourtLevel.HIGH, spc)
    lu01 = make_court("鲁01", n["鲁01"], CourtLevel.INTERMEDIATE, lu)
    lu0102 = make_court("鲁0102", n["鲁0102"], CourtLevel.BASIC, lu01)
    lu0103 = make_court("鲁0103", n["鲁0103"], CourtLevel.BASIC, lu01)
    lu02 = make_court("鲁02", n["鲁02"], CourtLevel.INTERMEDIATE, lu)
    lu0202 = make_court("鲁0202", n["鲁0202"], CourtLevel.BASIC, lu02)
    return SimpleNamespace(spc=spc, lu=lu, lu01=lu01, lu0102=lu0102, lu0103=lu0103, lu02=lu02, lu0202=lu0202)


def _people(by_code) -> tuple[dict, dict]:
    users, tokens = {}, {}
    for position, code in COURT_OF.items():
        court = by_code[code]
        for role in ROLES:
            if role == Role.API_CLIENT:
                users[(role, position)], tokens[position] = api_client_create(
                    court=court, name=f"{code}对接系统"
                )
            else:
                users[(role, position)] = make_member(role, court, f"{role}.{position}")
    return users, tokens


CONFIRMED_ACCOUNT = "6222020200112233445"


def _seed_reference_data() -> None:
    """As ``tests/conftest.py::_reference_data`` (a transactional test elsewhere in
    the session may have flushed the seeded rules)."""
    import importlib

    from django.apps import apps

    from core.models import CalendarYear, DeadlineRule
    from enforcement import asset_catalogue
    from enforcement.models import AssetCategory

    seed = importlib.import_module("core.migrations.0002_seed_rules_and_calendar")
    if not DeadlineRule.objects.exists():
        seed.seed_rules(apps, None)
    if not CalendarYear.objects.exists():
        seed.seed_calendar(apps, None)
    if not AssetCategory.objects.exists():
        asset_catalogue.sync(AssetCategory)


def build_world() -> World:
    from django.urls import get_resolver

    from tests.security.authz.world_objects import (
        _alerts_and_exports,
        _backdate,
        _documents,
        _enforcement,
        _funds,
        _markers,
        _supervision,
    )

    assert get_resolver().url_patterns  # every view imported: the exporters are registered
    _seed_reference_data()
    courts = _courts()
    by_code = {c.code: c for c in vars(courts).values()}
    users, tokens = _people(by_code)
    w = World(courts=courts, by_code=by_code, users=users, tokens=tokens)
    for code in MARKER_COURTS:
        own = {v: k for k, v in COURT_OF.items()}.get(code)
        w.helpers[code] = (
            w.user("clerk", own) if own else make_member(Role.CLERK, by_code[code], f"helper.{code}")
        )
    _enforcement(w)
    _funds(w)
    _documents(w)
    _supervision(w)
    _markers(w)
    _alerts_and_exports(w)
    _backdate(w)
    from enforcement.models import Case

    CASE_COURTS.clear()
    CASE_COURTS.update(dict(Case.objects.values_list("case_number", "court__code")))
    return w


@pytest.fixture(scope="module", name="world")
def world_fixture(django_db_setup, django_db_blocker):
    """The world, built once per module; rolled back when the module ends."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            try:
                w = build_world()
                # the sessions are made now, outside every test's savepoint
                for role in ROLES:
                    for position in POSITIONS:
                        w.client(role, position)
                w.client(ANONYMOUS, "own")
                yield w
            finally:
                transaction.set_rollback(True)


@pytest.fixture(name="w")
def w_fixture(world):
    """The world inside this test's savepoint (what the test writes is undone).
    The test module is marked ``django_db`` rather than asking for ``db``: the
    reference data that ``tests/conftest.py`` checks again before every test
    asking for ``db`` is part of the world."""
    return world
