"""The authorization matrix of the whole product except 一案双查 (which has its own,
``tests/dualcheck/test_permission_matrix.py``): every URL of core, enforcement,
custody_funds, supervision and audit — browser pages, exports, actions and REST
endpoints — × every role of ``core.models.Role`` held at the objects' own court,
a sibling court, a court below and the court above × every method the URL answers.

The URLs come from the URLconf at test time: a URL that no table classifies
fails ``test_every_url_is_classified`` (that is the point — a new endpoint must
say who may use it before it ships). The tables, one per app
(``table_<app>.py``), say per URL name (and per action slug where one view
serves several actions) how to fill its path from the world, which methods it
answers, who may use each, and with what body; ``engine.py`` sends the requests
and judges the answers (what it checks is in its docstring).

The world (``world.py``) is built once per module; each request runs in a
savepoint that is rolled back, so the people act on the same world."""

import io
import os

import pytest
from django.db import transaction

from tests.security.authz import (
    table_audit,
    table_core,
    table_custody_funds,
    table_documents,
    table_enforcement,
    table_supervision,
)
from tests.security.authz.engine import (
    OBJECT_COURT,
    Entry,
    Op,
    classification_problems,
    diff,
    fill,
    run_case,
    run_unanswered,
    sees,
    text_of,
    writes,
)
from tests.security.authz.table_core import DELEGATED_NAMESPACES, DELEGATED_PREFIXES, ELSEWHERE, PUBLIC
from tests.security.authz.table_supervision import ADDRESSED
from tests.security.authz.urlconf import Pattern, url_patterns
from tests.security.authz.vocab import DASHBOARD
from tests.security.authz.world import (
    ANONYMOUS,
    COURT_OF,
    MARKER_COURTS,
    POSITIONS,
    ROLES,
    SUPERVISORY,
    courts_in,
)

# One worker runs the whole module (``make test`` is ``-n 2 --dist loadgroup``), so
# the world is built once. (The mark exists only where xdist runs.)
pytestmark = [pytest.mark.django_db] + (
    [pytest.mark.xdist_group("authz-matrix")] if os.environ.get("PYTEST_XDIST_WORKER") else []
)

TABLE: list[Entry] = [
    *table_core.TABLE,
    *table_enforcement.TABLE,
    *table_custody_funds.TABLE,
    *table_supervision.TABLE,
    *table_audit.TABLE,
    *table_documents.TABLE,
]
SLUGS = {**table_enforcement.slugs(), **table_custody_funds.slugs(), **table_supervision.slugs()}

# Known defects found by this matrix whose fix lies outside the files of this
# suite's owner: (entry name, method, role, position) → what is wrong. A listed
# case that behaves fails the test, so the entry is removed when it is fixed.
KNOWN: dict[tuple[str, str, str, str], str] = {}
# (entry name, method) → what is wrong, for ``test_methods_not_answered``
KNOWN_METHODS: dict[tuple[str, str], str] = {}

BY_NAME = {e.name: e for e in TABLE}
assert len(BY_NAME) == len(TABLE), "duplicate entries"

CASES = [(entry, op) for entry in TABLE for op in entry.ops]
WHO = [*ROLES, ANONYMOUS]


@pytest.mark.parametrize("role", WHO)
@pytest.mark.parametrize(("entry", "op"), CASES, ids=[f"{e.name}-{o.method}" for e, o in CASES])
def test_matrix(w, entry: Entry, op: Op, role: str):
    """``role`` at each of the four courts × one URL × one method (GET with HEAD)."""
    problems, known, fixed = run_case(w, entry, op, role, KNOWN)
    assert not problems, "\n".join(problems)
    assert not fixed, "a known defect no longer shows, remove it from KNOWN:\n" + "\n".join(fixed)
    if known:
        reasons = sorted(
            {KNOWN[k] for k in KNOWN if k[0] == entry.name and k[1] == op.method and k[2] == role}
        )
        pytest.xfail("\n".join(reasons) + "\n" + "\n".join(known))


@pytest.mark.parametrize("entry", [e for e in TABLE if not e.any_method], ids=lambda e: e.name)
def test_methods_not_answered(w, entry: Entry):
    """Every method an entry does not declare is refused — 405 to someone entitled
    to the declared ones, so the view really does not answer it — and changes
    nothing. (The anonymous are swept in ``test_the_anonymous``.)"""
    problems, known, fixed = run_unanswered(w, entry, KNOWN_METHODS)
    assert not problems, "\n".join(problems)
    assert not fixed, "a known defect no longer shows, remove it from KNOWN_METHODS:\n" + "\n".join(fixed)
    if known:
        pytest.xfail(KNOWN_METHODS[(entry.name, "POST")] + "\n" + "\n".join(known))


# --- every URL is classified -------------------------------------------------------------------------


def test_every_url_is_classified():
    """A URL the matrix does not know fails here, until a table says who may use
    it (or ELSEWHERE / the delegations say which suite does)."""
    problems = classification_problems(
        TABLE,
        elsewhere=ELSEWHERE,
        namespaces=DELEGATED_NAMESPACES,
        prefixes=DELEGATED_PREFIXES,
        slugs=SLUGS,
    )
    assert not problems, "\n".join(problems)
    # and the matrix really has entries of every app, and the dualcheck URLs are there to delegate
    names = {p.name for p in url_patterns()}
    assert {"dualcheck:board", "api-dualcheck-clues"} <= names
    assert len(TABLE) >= 140


def _anonymous_patterns() -> list[Pattern]:
    return [p for p in url_patterns() if p.namespace != "admin" or p.name in PUBLIC]


@pytest.mark.parametrize("pattern", _anonymous_patterns(), ids=lambda p: p.name)
def test_the_anonymous(w, pattern: Pattern):
    """Every URL (dualcheck's and the public ones included): the anonymous get the
    login page (401 on the REST API, 405 for a method the view does not answer),
    a public URL its own answer — and no court's rows, ever."""
    path = fill(pattern.route)
    api = path.startswith("/api/")
    client = w.client(ANONYMOUS, "own")
    for index, method in enumerate(("GET", "POST")):
        if pattern.name in PUBLIC and PUBLIC[pattern.name][index] is None:
            continue
        with transaction.atomic():
            before = writes()
            response = getattr(client, method.lower())(path, {})
            changed = diff(before, writes())
            transaction.set_rollback(True)
        status = response.status_code
        if pattern.name in PUBLIC:
            want = PUBLIC[pattern.name][index]
            assert status in ((401, 403) if want == 401 else (want,)), (method, status)
        elif api:
            assert status == 401, (method, status)
        else:
            assert status == 405 or (status == 302 and response["Location"].startswith("/login/")), (
                method,
                status,
                response.get("Location"),
            )
        assert not courts_in(text_of(response)), method
        if pattern.name not in ("logout", "set_language"):
            assert not changed, (method, changed)


# --- the specifics the table cannot say ----------------------------------------------------------------


def test_the_alert_is_addressed_as_the_matrix_says(w):
    """``ADDRESSED`` (who may acknowledge) is the alert's own recipients: its
    responsible person and the holders of its post."""
    alert = w.o.alert
    recipients = {
        (r, p)
        for r in ROLES
        for p in POSITIONS
        if w.user(r, p).pk == alert.handler_id or (COURT_OF[p] == alert.to_court.code and r == alert.to_role)
    }
    assert recipients == {(r, p) for r in ROLES for p in POSITIONS if ADDRESSED(r, p)}


def test_the_world_has_markers_everywhere(w):
    for kind, by_court in w.markers.items():
        assert set(by_court) == set(MARKER_COURTS), kind
    assert SUPERVISORY == {"case_supervisor", "bureau_head", "inspector", "court_leader", "admin"}


EXPORT_ROLE = "case_supervisor"


@pytest.mark.parametrize("position", POSITIONS)
def test_every_export_carries_only_the_courts_of_its_requester(w, position):
    """Every registered Excel export (dualcheck's are in its own suite), run as it
    runs in the worker: the file carries no row of a court its requester does
    not see; filtered on 鲁01 it is refused outside 鲁01's view."""
    from openpyxl import load_workbook

    from core.exceptions import ApplicationError
    from core.exports import export_run, export_start, registered
    from core.models import ExportJob

    user = w.user(EXPORT_ROLE, position)
    problems = []
    for key in sorted(k for k in registered() if not k.startswith(("dualcheck.", "tests."))):
        with transaction.atomic():
            job = export_start(user=user, key=key, params={})
            assert export_run(job_id=str(job.pk)) == "done", (key, ExportJob.objects.get(pk=job.pk).error)
            content = bytes(ExportJob.objects.get(pk=job.pk).content)
            transaction.set_rollback(True)
        book = load_workbook(io.BytesIO(content), read_only=True)
        text = "\n".join(
            str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v
        )
        leaked = courts_in(text) - w.allowed_courts(EXPORT_ROLE, position)
        if leaked:
            problems.append(f"{key}: rows of {sorted(leaked)}")
        refused = None
        try:
            with transaction.atomic():
                export_start(user=user, key=key, params={"court": OBJECT_COURT})
                transaction.set_rollback(True)
        except ApplicationError as exc:
            refused = exc.status_code
        want = None if sees(EXPORT_ROLE, position) else 404
        if refused != want:
            problems.append(f"{key} filtered on 鲁01: {refused} (want {want})")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", [r for r in ROLES if r not in DASHBOARD])
def test_exports_of_the_dashboards_are_refused_to_other_roles(w, role):
    from core.exceptions import PermissionDenied
    from core.exports import export_start, registered

    for key in sorted(k for k in registered() if k.startswith("supervision.")):
        with pytest.raises(PermissionDenied):
            export_start(user=w.user(role, "own"), key=key, params={})
