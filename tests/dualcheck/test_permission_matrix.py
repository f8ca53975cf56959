"""The confidentiality permission matrix of 一案双查, tested as a security feature:
roles × every dualcheck URL (REST and pages, taken from the URLconf so a new
endpoint joins the matrix by itself) × clues at every stage.

For every GET: the status (200 / 403 / 404 / 405, 401 or the login page for the
anonymous), exactly which confidential markers the answer carries (all of the
role's entitlement and nothing else — see ``matrix_fixtures.sees/reads``), and
exactly how many ``ConfidentialRead`` rows the request wrote (one per request that
showed confidential content, none otherwise). For every step (REST and page) at a
stage where it is legal: only the entitled roles succeed; everyone else gets
401/403/404 (422 for a register form offering other courts) and nothing changes.
Revocation, removal from the team and the team's dissolution end access on the
very next request of the same session.

The world (clues at twelve stages, a petition, an alert) is built once per module
(``matrix_fixtures.world``); each test runs in a savepoint of it. Leak probes
(filters, ordering, statistics, the Excel export, the case page, the inbox and
petition buttons, existence oracles) are in ``test_leaks``."""

import json
import os
import re
from dataclasses import dataclass

import pytest

from core.models import Department, Role
from dualcheck.models import Clue, ClueStatus, ConfidentialRead, Report, Team, TeamMember
from dualcheck.services import investigation as s_inv
from dualcheck.services import outcome as s_out
from dualcheck.views import actions as page_actions
from tests.core.factories import make_member
from tests.dualcheck.factories import revoke, snapshot
from tests.dualcheck.matrix_fixtures import (  # noqa: F401 - fixtures
    API_CLIENTS,
    CONCLUDED,
    ROLES,
    SUBMITTED,
    TEAM_KEYS,
    WITH_CLARIFICATION,
    WITH_DISCIPLINARY,
    WITH_REPORT,
    addressed,
    alerts_raised_fixture,
    api_for,
    browser_for,
    expected,
    found_markers,
    marker,
    markers_of,
    on_team,
    reads,
    sees,
    w_fixture,
    world_fixture,
)
from tests.dualcheck.matrix_fixtures import lists as alert_lists
from tests.security.authz.urlconf import url_patterns

# One worker runs the whole module (``make test`` is ``-n 2 --dist loadgroup``), so
# the world is built once, not once per batch of tests handed to a worker. (The mark
# exists only where xdist runs: ``-p no:xdist`` with ``--strict-markers`` refuses it.)
pytestmark = (
    [pytest.mark.xdist_group("dualcheck-permission-matrix")] if os.environ.get("PYTEST_XDIST_WORKER") else []
)

MISSING = 2_000_000_000  # an id that exists nowhere
GET_KEYS = ["recv", "inv", "rep", "acc", "conc", "closed"]

# --- the surfaces, from the URLconf -------------------------------------------------------------


@dataclass(frozen=True)
class Surface:
    name: str  # "dualcheck:clue-detail" or "api-dualcheck-clue-detail"
    route: str  # "dualcheck/<int:clue_id>/"
    api: bool

    @property
    def params(self) -> list[str]:
        return re.findall(r"<(?:\w+:)?(\w+)>", self.route)

    def url(self, **kwargs) -> str:
        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), self.route)


def dualcheck_surfaces() -> list[Surface]:
    """Every URL of the dualcheck app: the pages (namespace ``dualcheck``) and the
    REST endpoints (mounted from ``dualcheck.api.urls``) — from the URLconf walk
    the authorization matrix classifies (``tests/security/authz/urlconf.py``)."""
    found: list[Surface] = []
    for p in url_patterns():
        module = getattr(p.callback, "__module__", "") or ""
        mine = p.route.startswith(("api/v1/dualcheck/", "dualcheck/")) or module.startswith("dualcheck.")
        if "dualcheck" in p.namespace.split(":") or mine:
            unnamed = p.name.startswith("<unnamed ")
            name = (":".join([p.namespace, p.route]) if p.namespace else p.route) if unnamed else p.name
            found.append(Surface(name=name, route=p.route, api=p.route.startswith("api/")))
    return sorted(found, key=lambda s: s.name)


SURFACES = dualcheck_surfaces()
API_ACTION_SLUGS = sorted(
    s.name.removeprefix("api-dualcheck-clue-")
    for s in SURFACES
    if s.api and s.route.startswith("api/v1/dualcheck/clues/<int:clue_id>/") and s.route.count("/") == 6
)

# Which surfaces answer GET, and how (anything not named here is POST-only, or new:
# ``test_every_dualcheck_url_is_in_the_matrix`` says so).
GET_KINDS = {
    "api-dualcheck-clues": "list",
    "api-dualcheck-clue-detail": "detail",
    "api-dualcheck-attachment": "attachment",
    "api-dualcheck-stats": "stats",
    "dualcheck:board": "board",
    "dualcheck:clue-new": "register",
    "dualcheck:officer-row": "register",
    "dualcheck:clue-detail": "detail",
    "dualcheck:report-edit": "report-edit",
    "dualcheck:disposition-row": "disposition-row",
    "dualcheck:attachment": "attachment",
    "dualcheck:report-pdf": "report-pdf",
    "dualcheck:conclusion-pdf": "conclusion-pdf",
    "dualcheck:stats": "stats",
}
POST_ONLY = {
    "api-dualcheck-clue-from-petition",
    "api-dualcheck-clue-from-alert",
    "dualcheck:from-petition",
    "dualcheck:from-alert",
    "dualcheck:clue-action",
    *(f"api-dualcheck-clue-{slug}" for slug in API_ACTION_SLUGS),
}

# Known defects, found by this matrix and reported (not fixed here): (surface, role,
# clue) → why. A listed case that no longer misbehaves fails the test, so the entry
# is removed when the defect is fixed.
KNOWN: dict[tuple[str, str, str], str] = {}


# --- the specification ---------------------------------------------------------------------------


@dataclass
class Expect:
    status: int
    markers: frozenset[str] = frozenset()
    reads: int = 0


def m(key: str, *names: str) -> set[str]:
    held = markers_of(key)
    return {held[n] for n in names if n in held}


def detail_markers(role: str, key: str) -> set[str]:
    """What the clue's detail (page or API) shows ``role``: the confidential block
    (officers, allegation, the visible reports' conduct, findings and attachments,
    disciplinary dispositions, clarification) to a reader; a draft only to the team."""
    if not reads(role, key):
        return set()
    shown = m(key, "NAME", "ALLEG", "DISC", "REFTO", "CLSCOPE", "CLCONTENT")
    if key in SUBMITTED or on_team(role, key):
        shown |= m(key, "CONDUCT", "FINDING", "ATTNAME")
    if on_team(role, key):
        shown |= m(key, "DRAFTPROC")
    return shown


REGISTERS = {"working_group", "head", "inspector", "spc_inspector", "sibling_inspector", "sibling_head"}
BOARD_USERS = {
    "working_group",
    "head",
    "inspector",
    "leader",
    "spc_inspector",
    "lower_head",
    "lower_inspector",
    "team_member",  # on an active team
    "sibling_inspector",
    "sibling_head",
}


def expect_get(kind: str, api: bool, role: str, key: str | None, **extra) -> Expect:
    """The answer ``role`` must get from a GET of a surface of ``kind`` about clue
    ``key`` ("missing": an id that does not exist)."""
    if role == "anonymous":
        return Expect(401 if api else 302)
    if role in API_CLIENTS and not api:
        return Expect(403)  # pages are for named people
    if kind in ("list", "stats"):
        return Expect(200)
    if kind == "board":
        return Expect(200 if role in BOARD_USERS else 403)
    if kind == "register":
        return Expect(200 if role in REGISTERS else 403)
    if key == "missing" or not sees(role, key):
        return Expect(404)
    r = reads(role, key)
    if kind == "detail":
        return Expect(200, frozenset(detail_markers(role, key)), int(r))
    if kind == "attachment":
        if (key == "inv" and not on_team(role, key)) or not r:
            return Expect(404)
        return Expect(200, frozenset(m(key, "ATTDATA")), 1)
    if kind == "report-edit":
        if key == "inv" and on_team(role, key):
            shown = m(key, "NAME", "ALLEG", "CONDUCT", "FINDING", "ATTNAME", "DRAFTPROC")
            return Expect(200, frozenset(shown), 1)
        return Expect(403)
    if kind == "disposition-row":
        if key == "acc" and role in ("head", "inspector"):
            return Expect(200, frozenset(m(key, "NAME") if r else set()), int(r))
        return Expect(404)
    if kind == "report-pdf":
        if key not in WITH_REPORT or extra.get("round") != 1:
            return Expect(404)
        if key == "inv" and not on_team(role, key):
            return Expect(404)  # a draft is the team's
        shown = m(key, "NAME", "ALLEG", "CONDUCT", "FINDING", "ATTNAME") if r else set()
        if key == "inv":
            shown |= m(key, "DRAFTPROC")
        return Expect(200, frozenset(shown), int(r))
    if kind == "conclusion-pdf":
        if key not in CONCLUDED:
            return Expect(404)
        shown = m(key, "NAME", "ALLEG", "DISC", "REFTO", "CLSCOPE", "CLCONTENT") if r else set()
        return Expect(200, frozenset(shown), int(r))
    raise AssertionError(kind)


def fillings(surface: Surface, world) -> list[tuple[str, dict, str | None]]:
    """(label, path kwargs, clue key) for each way of filling the surface's path: a
    clue id or an attachment id of every stage (and one that exists nowhere), the
    report rounds, the petition and the alert, a step's slug. A new URL with the
    usual parameters is filled the same way."""
    params = set(surface.params)
    fixed = {
        "petition_id": world.petition.pk,
        "alert_id": world.alert.pk,
        "slug": "screen",
        "round": 1,
    }
    if surface.name in POST_ONLY:  # one filling: the GET is refused whatever the ids
        kwargs = {"clue_id": world.pk("recv"), "attachment_id": world.attachments["rep"], **fixed}
        return [("", {p: kwargs[p] for p in params}, "recv")]
    unknown = params - {"clue_id", "attachment_id", *fixed}
    assert not unknown, f"{surface.name}: no filling for {sorted(unknown)}"
    rest = {p: fixed[p] for p in params if p in fixed}
    out: list[tuple[str, dict, str | None]] = []
    if "clue_id" in params:
        for key in [*GET_KEYS, "missing"]:
            pk = MISSING if key == "missing" else world.pk(key)
            out.append((key, {"clue_id": pk, **rest}, key))
        if "round" in params:
            out.append(("rep@2", {"clue_id": world.pk("rep"), **rest, "round": 2}, "rep"))
    elif "attachment_id" in params:
        for key in [*(k for k in GET_KEYS if k in WITH_REPORT), "missing"]:
            pk = MISSING if key == "missing" else world.attachments[key]
            out.append((key, {"attachment_id": pk, **rest}, key))
    else:
        out.append(("", rest, None))
    return out


def _fetch(world, role, surface: Surface, path: str):
    client = api_for(world, role) if surface.api else browser_for(world, role)
    return client.get(path)


def _text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


@pytest.fixture(autouse=True)
def _html_pdfs(monkeypatch):
    """The PDF views answer with the HTML WeasyPrint would print (the same document,
    the same access checks and read records): markers are searched in it. One real
    PDF is rendered in ``test_the_pdfs_are_real_pdfs``."""
    from dualcheck.views import printing

    monkeypatch.setattr(printing, "pdf_from_html", lambda html: html.encode())


def _compare(want: Expect, response, got_markers: set[str], got_reads: int) -> list[str]:
    wrong = []
    if response.status_code != want.status:
        wrong.append(f"status {response.status_code} != {want.status}")
    if got_markers != want.markers:
        extra, missing = got_markers - want.markers, want.markers - got_markers
        wrong.append(f"markers leaked {sorted(extra)} missing {sorted(missing)}")
    if got_reads != want.reads:
        wrong.append(f"reads {got_reads} != {want.reads}")
    return wrong


GET_SURFACES = SURFACES  # a URL not classified yet is swept too (see ``_generic``)


def _generic(role: str, key: str | None, status: int, found: set[str]) -> list[str]:
    """A dualcheck URL the matrix does not know yet (``test_every_dualcheck_url_is_in_the_matrix``
    fails for it): at least no server error, and no confidential text to anyone who
    may not read that clue's."""
    wrong = [f"status {status}"] if status >= 500 else []
    allowed = set(markers_of(key).values()) if key not in (None, "missing") and reads(role, key) else set()
    if found - allowed:
        wrong.append(f"markers leaked {sorted(found - allowed)}")
    return wrong


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("surface", GET_SURFACES, ids=lambda s: s.name)
def test_every_get(w, surface, role):
    """Status, markers and recorded reads of every GET of every dualcheck URL."""
    problems, known, fixed = [], [], []
    for label, kwargs, key in fillings(surface, w):
        path = surface.url(**kwargs)
        before = ConfidentialRead.objects.count()
        response = _fetch(w, role, surface, path)
        text = _text(response)
        got_markers = found_markers(text)
        got_reads = ConfidentialRead.objects.count() - before
        if surface.name in POST_ONLY:
            wrong = _compare(
                Expect(401 if surface.api and role == "anonymous" else 405), response, got_markers, got_reads
            )
        elif surface.name in GET_KINDS:
            want = expect_get(GET_KINDS[surface.name], surface.api, role, key, round=kwargs.get("round"))
            wrong = _compare(want, response, got_markers, got_reads)
        else:
            wrong = _generic(role, key, response.status_code, got_markers)
        if response.status_code == 302 and role == "anonymous":
            assert response["Location"].startswith("/login/"), response["Location"]
        entry = (surface.name, role, key)
        line = f"{path} [{label}] as {role}: " + "; ".join(wrong)
        if entry in KNOWN:
            (known if wrong else fixed).append(line)
        elif wrong:
            problems.append(line)
    assert not problems, "\n".join(problems)
    assert not fixed, "a known defect no longer shows, remove it from KNOWN:\n" + "\n".join(fixed)
    if known:
        pytest.xfail(KNOWN[(surface.name, role, "inv")] + "\n" + "\n".join(known))


def test_every_dualcheck_url_is_in_the_matrix():
    """A new dualcheck URL must say how it answers GET (``GET_KINDS``) or that it is
    POST-only (``POST_ONLY``, and then be in the step matrix below)."""
    names = {s.name for s in SURFACES}
    assert not names - set(GET_KINDS) - POST_ONLY, sorted(names - set(GET_KINDS) - POST_ONLY)
    assert not (set(GET_KINDS) | POST_ONLY) - names, "stale entries"
    # the REST steps are the contract's, plus record-work and the draft report
    assert set(API_ACTION_SLUGS) == set(API_STEPS), sorted(set(API_ACTION_SLUGS) ^ set(API_STEPS))
    assert set(page_actions.ACTIONS) == set(PAGE_STEPS), sorted(set(page_actions.ACTIONS) ^ set(PAGE_STEPS))
    assert len(SURFACES) >= 30


# --- steps (POST) ----------------------------------------------------------------------------------

JOINT = {"head", "inspector"}  # 鲁01's bureau head and inspector act jointly
TEAM = {"team_member", "lower_inspector"}


@dataclass(frozen=True)
class Step:
    key: str  # the clue at the stage where the step is legal
    entitled: frozenset[str]
    to: str | None  # the clue's status after it (None: unchanged)


API_STEPS = {
    "screen": Step("recv", frozenset({"working_group", "head"}), ClueStatus.SCREENED),
    "approve": Step("scr", frozenset({"head"}), ClueStatus.PENDING_MEETING),  # not the screener
    "decide": Step("pend", frozenset(JOINT), ClueStatus.LAUNCHED),
    "refer": Step("launch", frozenset(JOINT), ClueStatus.REFERRED),
    "form-team": Step("ref", frozenset({"lower_head", "lower_inspector"}), ClueStatus.INVESTIGATING),
    "record-work": Step("inv", frozenset(TEAM), None),
    "record-officers": Step("rep", frozenset({"inspector"}), None),  # 鲁01's supervision department
    "report": Step("inv", frozenset(TEAM), None),
    "submit-report": Step("inv", frozenset(TEAM), ClueStatus.REPORTED),
    "review": Step("rep", frozenset(JOINT), ClueStatus.ACCEPTED),
    "conclude": Step("acc", frozenset(JOINT), ClueStatus.CONCLUDED),
    "feedback": Step("conc", frozenset({"inspector"}), ClueStatus.FED_BACK),  # supervision leads (§10)
    "clarify": Step("unsub", frozenset({"inspector"}), None),
    "close": Step("fed", frozenset(JOINT), ClueStatus.CLOSED),
}
PAGE_STEPS = {slug: step for slug, step in API_STEPS.items() if slug not in ("report", "submit-report")}


def api_body(w, slug: str) -> dict:
    u = w.users
    return {
        "screen": {"proceed": True, "opinion": "线索具体，提请审核。"},
        "approve": {"approved": True, "opinion": "同意提交联席会议。"},
        "decide": {
            "launch": True,
            "participants": [u["head"].pk, u["inspector"].pk],
            "minutes": "决定启动。",
        },
        "refer": {"mode": "refer", "target_court": "鲁0102", "report_days": 30, "instructions": "请调查。"},
        "form-team": {
            "members": [
                {"user": u["team_member"].pk, "department": "execution", "is_leader": True},
                {"user": u["lower_inspector"].pk, "department": "supervision"},
            ]
        },
        "record-work": {"methods": ["file_review", "internal_interview"]},
        "record-officers": {
            "officers": [{"name": "补充登记的干警", "court": "鲁0102", "position": "书记员"}]
        },
        "report": {"process": "补充后的调查经过。"},
        "submit-report": {
            "process": "调取卷宗。",
            "facts": "未发起查控。",
            "analysis": "消极执行。",
            "opinion": "督促限期办理。",
        },
        "review": {"decision": "accept", "opinion": "采纳。"},
        "conclude": {
            "finding": "partly",
            "summary": "部分属实。",
            "participants": [u["head"].pk, u["inspector"].pk],
            "minutes": "会商。",
            "dispositions": [{"kind": "correction", "detail": "责令纠正。", "target_court": "鲁0102"}],
        },
        "feedback": {"method": "phone", "content": "已电话告知。"},
        "clarify": {"scope": "历下区法院执行局内部", "content": "经查不实，予以澄清。"},
        "close": {"note": "办结。"},
    }[slug]


def page_body(w, slug: str) -> dict:
    u, lu0102 = w.users, w.courts.lu0102.pk
    return {
        "screen": {"proceed": "1", "opinion": "线索具体。"},
        "approve": {"approved": "1", "opinion": "同意。"},
        "decide": {
            "held_at": "",
            "participants": [u["head"].pk, u["inspector"].pk],
            "minutes": "决定启动。",
            "launch": "1",
        },
        "refer": {"mode": "refer", "target_court": lu0102, "report_days": "30", "instructions": "请调查。"},
        "form-team": {
            "members": [f"{u['team_member'].pk}:execution", f"{u['lower_inspector'].pk}:supervision"],
            "leader": u["team_member"].pk,
        },
        "record-work": {"methods": ["file_review"], "scope": ["passive"], "notes": "调卷。"},
        "record-officers": {"name": "补充登记的干警", "court": "鲁0102", "user": "", "position": "书记员"},
        "review": {"decision": "accept", "opinion": "采纳。"},
        "conclude": {
            "held_at": "",
            "participants": [u["head"].pk, u["inspector"].pk],
            "minutes": "会商。",
            "finding": "partly",
            "summary": "部分属实。",
            "dispositions-0-kind": "correction",
            "dispositions-0-detail": "自行纠正。",
            "dispositions-0-target_court": lu0102,
        },
        "feedback": {"method": "phone", "content": "已电话告知。"},
        "clarify": {"scope": "历下区法院执行局内部", "content": "经查不实。"},
        "close": {"note": "办结。"},
    }[slug]


def _changed(w, slug: str, step: Step, before: dict) -> None:
    clue = w.clue(step.key)
    if step.to is not None:
        assert clue.status == step.to, (slug, clue.status)
    elif slug == "record-work":
        assert Team.objects.get(clue=clue, dissolved_at__isnull=True).methods != before["teams"][-1][3]
    elif slug == "report":
        assert Report.objects.get(clue=clue).process == "补充后的调查经过。"
    elif slug == "clarify":
        assert clue.clarification.scope == "历下区法院执行局内部"
    elif slug == "record-officers":
        assert clue.officers.filter(name="补充登记的干警").exists()


def state(clue) -> dict:
    """Everything a step could write (``conftest.snapshot``) and the officers concerned."""
    from dualcheck.models import ClueOfficer

    return {
        **snapshot(clue),
        "officers": list(ClueOfficer.objects.order_by("pk").values_list("pk", "name", "user")),
    }


def _unchanged(w, step: Step, before: dict, *, reads_added: int) -> None:
    after = state(w.clue(step.key))
    assert after["reads"] - before["reads"] == reads_added
    assert {k: v for k, v in after.items() if k != "reads"} == {
        k: v for k, v in before.items() if k != "reads"
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("slug", sorted(API_STEPS))
def test_api_steps(w, slug, role):
    """POST /api/v1/dualcheck/clues/{id}/<step>/ at the stage where the step is
    legal: the entitled roles succeed (and the answer's confidential block is a
    recorded read exactly when they may read it), everyone else is refused and
    nothing changes."""
    step = API_STEPS[slug]
    before = state(w.clue(step.key))
    response = api_for(w, role).post(
        f"/api/v1/dualcheck/clues/{w.pk(step.key)}/{slug}/", api_body(w, slug), format="json"
    )
    if role in step.entitled:
        assert response.status_code == 200, response.content.decode()
        body = response.json()
        _changed(w, slug, step, before)
        readable = reads(role, step.key)
        assert (body["confidential"] is not None) is readable
        assert ConfidentialRead.objects.count() - before["reads"] == int(readable)
        shown = found_markers(response.content.decode())
        if readable:
            assert marker(step.key, "NAME") in shown and shown <= set(markers_of(step.key).values())
        else:
            assert not shown
        return
    if role == "anonymous":
        status, code = 401, "not_authenticated"
    elif not sees(role, step.key):
        status, code = 404, "not_found"
    elif role in API_CLIENTS:
        status, code = 403, "named_person_required"
    else:
        status, code = 403, None
    assert response.status_code == status, response.content.decode()
    if code:
        assert response.json()["code"] == code
    assert not found_markers(response.content.decode())
    _unchanged(w, step, before, reads_added=0)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("slug", sorted(PAGE_STEPS))
def test_page_steps(w, slug, role):
    """POST /dualcheck/{id}/act/<step>/: the same matrix through the clue page's
    forms. A refusal to someone who sees the clue re-renders the page (403), which
    shows — and records — the confidential block only to a reader."""
    step = PAGE_STEPS[slug]
    before = state(w.clue(step.key))
    response = browser_for(w, role).post(f"/dualcheck/{w.pk(step.key)}/act/{slug}/", page_body(w, slug))
    if role in step.entitled:
        assert response.status_code == 302, re.findall(r'role="alert"[^>]*>(.*?)<', response.content.decode())
        assert response["Location"] == f"/dualcheck/{w.pk(step.key)}/"
        _changed(w, slug, step, before)
        assert ConfidentialRead.objects.count() == before["reads"]  # a redirect shows nothing
        return
    if role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/login/")
        _unchanged(w, step, before, reads_added=0)
        return
    if role in API_CLIENTS:
        status = 403
    elif not sees(role, step.key):
        status = 404
    else:
        status = 403
    assert response.status_code == status
    shown = sees(role, step.key) and role not in API_CLIENTS and reads(role, step.key)
    _unchanged(w, step, before, reads_added=int(bool(shown)))
    got = found_markers(response.content.decode())
    want = detail_markers(role, step.key) if shown else set()
    if got != want and ("dualcheck:clue-detail", role, step.key) in KNOWN:
        pytest.xfail(f"{KNOWN['dualcheck:clue-detail', role, step.key]}: leaked {sorted(got - want)}")
    assert got == want


def _report_form(w) -> dict:
    opk = w.officer_pk("inv")
    return {
        "op": "save",
        "process": "编辑器中的调查经过。",
        "facts": "",
        "analysis": "",
        "opinion": "",
        "officer_conduct": marker("inv", "CONDUCT"),
        f"finding_{opk}_result": "partly",
        f"finding_{opk}_detail": marker("inv", "FINDING"),
        "methods": ["file_review"],
        "scope": ["discipline"],
        "work_notes": "",
    }


@pytest.mark.parametrize("role", ROLES)
def test_the_report_editor_saves_only_for_the_team(w, role):
    before = state(w.clue("inv"))
    response = browser_for(w, role).post(f"/dualcheck/{w.pk('inv')}/report/", _report_form(w))
    if role in TEAM:
        assert response.status_code == 302 and response["Location"] == f"/dualcheck/{w.pk('inv')}/report/"
        assert Report.objects.get(clue=w.pk("inv")).process == "编辑器中的调查经过。"
        return
    expected = 302 if role == "anonymous" else 403 if role in API_CLIENTS or sees(role, "inv") else 404
    assert response.status_code == expected
    assert not found_markers(response.content.decode())
    _unchanged(w, Step("inv", frozenset(), None), before, reads_added=0)


# --- registering: the form, the API, one click from a petition or an alert ---------------------------


def _counts() -> dict:
    from core.models import NodeEvent
    from dualcheck.models import ClueOfficer
    from supervision.models import Petition

    return {
        "clues": Clue.objects.count(),
        "officers": ClueOfficer.objects.count(),
        "events": NodeEvent.objects.count(),
        "linked": Petition.objects.filter(dualcheck_clue_id__isnull=False).count(),
        "reads": ConfidentialRead.objects.count(),
    }


# who may register where: 鲁01's working group, head and inspector (and, through the
# API, 鲁01's machine); one click from 鲁0102's petition or alert also the SPC's
# inspector (a clue of 最高法, the nearest court above where they may register).
REGISTER_CASES = {
    "api-register": ({"working_group", "head", "inspector", "api_lu01"}, 201),
    "page-register": ({"working_group", "head", "inspector"}, 302),
    "api-from-petition": ({"working_group", "head", "inspector", "spc_inspector"}, 201),
    "page-from-petition": ({"working_group", "head", "inspector", "spc_inspector"}, 302),
    "api-from-alert": ({"working_group", "head", "inspector", "spc_inspector"}, 201),
    "page-from-alert": ({"working_group", "head", "inspector", "spc_inspector"}, 302),
}
SEES_PETITION = {  # court scope of 鲁0102's petition and alert
    "working_group",
    "head",
    "inspector",
    "leader",
    "spc_inspector",
    "lower_head",
    "lower_inspector",
    "team_member",
    "officer",
    "clerk",
    "finance",
    "api_lu0102",
}


def _register_request(w, how: str, role: str):
    if how == "api-register":
        body = {"court": "鲁01", "source": "other", "summary": "反映执行管理问题。", "officer_allegation": ""}
        return api_for(w, role).post("/api/v1/dualcheck/clues/", body, format="json")
    if how == "page-register":
        data = {
            "court": w.courts.lu01.pk,
            "source": "other",
            "received_at": "2026-11-20T09:00",
            "summary": "反映执行管理问题。",
        }
        return browser_for(w, role).post("/dualcheck/new/", data)
    thing, pk = ("petition", w.petition.pk) if how.endswith("petition") else ("alert", w.alert.pk)
    if how.startswith("api"):
        return api_for(w, role).post(f"/api/v1/dualcheck/clues/from-{thing}/", {thing: pk}, format="json")
    return browser_for(w, role).post(f"/dualcheck/from-{thing}/{pk}/")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("how", sorted(REGISTER_CASES))
def test_registering(w, how, role):
    entitled, ok = REGISTER_CASES[how]
    before = _counts()
    response = _register_request(w, how, role)
    if role in entitled:
        assert response.status_code == ok, response.content.decode()[:2000]
        assert Clue.objects.count() == before["clues"] + 1
        return
    api = how.startswith("api")
    if role == "anonymous":
        expected = 401 if api else 302
    elif role in API_CLIENTS and not api:
        expected = 403
    elif how.endswith("register"):
        # the page offers only the user's own handling courts: another one is a form error
        expected = 422 if not api and role in REGISTERS else 403
    else:
        expected = 403 if role in SEES_PETITION else 404
    assert response.status_code == expected, (response.status_code, response.content.decode()[:500])
    assert _counts() == before


# --- access ends on the next request --------------------------------------------------------------


def _detail_both(w, api_client, page_client, key):
    return (
        api_client.get(f"/api/v1/dualcheck/clues/{w.pk(key)}/"),
        page_client.get(f"/dualcheck/{w.pk(key)}/"),
    )


REVOCABLE = {
    # role → (court, role) of the membership revoked
    "inspector": ("lu01", Role.INSPECTOR),
    "leader": ("lu", Role.COURT_LEADER),
    "spc_inspector": ("spc", Role.INSPECTOR),
    "lower_inspector": ("lu0102", Role.INSPECTOR),  # also on the team: the team's court goes with it
    "team_member": ("lu0102", Role.HANDLER),
}


@pytest.mark.parametrize("role", sorted(REVOCABLE))
def test_a_revoked_membership_ends_access_on_the_next_request(w, role):
    key = "rep"
    api, page = api_for(w, role), browser_for(w, role)  # one session across the revocation
    attachment = w.attachments[key]
    first_api, first_page = _detail_both(w, api, page, key)
    assert first_api.json()["confidential"] is not None
    assert marker(key, "NAME") in first_page.content.decode()
    assert api.get(f"/api/v1/dualcheck/attachments/{attachment}/").status_code == 200
    reads_before = ConfidentialRead.objects.filter(user=w.users[role]).count()
    assert reads_before == 3

    court, revoked_role = REVOCABLE[role]
    revoke(w.users[role], getattr(w.courts, court), revoked_role)

    later_api, later_page = _detail_both(w, api, page, key)
    assert later_api.status_code == 404 and later_page.status_code == 404
    assert api.get(f"/api/v1/dualcheck/attachments/{attachment}/").status_code == 404
    assert page.get(f"/dualcheck/attachments/{attachment}/").status_code == 404
    assert page.get(f"/dualcheck/{w.pk(key)}/report-1.pdf").status_code in (403, 404)
    listed = api.get("/api/v1/dualcheck/clues/", {"officer": marker(key, "NAME")})
    assert listed.status_code == 200 and listed.json()["count"] == 0
    for response in (later_api, later_page):
        assert not found_markers(response.content.decode())
    assert ConfidentialRead.objects.filter(user=w.users[role]).count() == reads_before


@pytest.mark.parametrize(
    ("role", "court"), [("lower_head", "lu0102"), ("head", "lu01"), ("working_group", "lu01")]
)
def test_someone_named_as_an_officer_concerned_loses_the_clue_on_the_next_request(w, role, court):
    key = "rep"
    api, page = api_for(w, role), browser_for(w, role)
    assert api.get(f"/api/v1/dualcheck/clues/{w.pk(key)}/").status_code == 200
    body = {
        "officers": [
            {"name": "被补充反映的干警", "court": getattr(w.courts, court).code, "user": w.users[role].pk}
        ]
    }
    named = api_for(w, "inspector").post(
        f"/api/v1/dualcheck/clues/{w.pk(key)}/record-officers/", body, format="json"
    )
    assert named.status_code == 200, named.content.decode()
    later_api, later_page = _detail_both(w, api, page, key)
    assert later_api.status_code == 404 and later_page.status_code == 404
    assert w.pk(key) not in {row["id"] for row in api.get("/api/v1/dualcheck/clues/").json()["results"]}
    assert page.get(f"/dualcheck/{w.pk(key)}/report-1.pdf").status_code == 404
    assert (
        api.post(
            f"/api/v1/dualcheck/clues/{w.pk(key)}/review/",
            {"decision": "accept", "opinion": "采纳。"},
            format="json",
        ).status_code
        == 404
    )
    # the case page still says a review exists — and no more
    case_page = page.get(f"/cases/{w.case.pk}/").content.decode()
    assert 'id="dualcheck-badge"' in case_page and f'data-clue="{w.pk(key)}"' not in case_page
    # and a team member cannot be named without leaving the team first (回避)
    body = {"officers": [{"name": "调查组成员", "court": "鲁0102", "user": w.users["team_member"].pk}]}
    refused = api_for(w, "inspector").post(
        f"/api/v1/dualcheck/clues/{w.pk(key)}/record-officers/", body, format="json"
    )
    assert refused.status_code == 422 and refused.json()["code"] == "conflict_of_interest"


def test_a_revoked_inspector_who_is_also_working_group_keeps_the_clue_not_its_secrets(w):
    make_member(Role.CASE_SUPERVISOR, w.courts.lu01, "inspector")  # a second post at 鲁01
    api, page = api_for(w, "inspector"), browser_for(w, "inspector")
    assert api.get(f"/api/v1/dualcheck/clues/{w.pk('conc')}/").json()["confidential"] is not None
    revoke(w.users["inspector"], w.courts.lu01, Role.INSPECTOR)
    later_api, later_page = _detail_both(w, api, page, "conc")
    assert later_api.status_code == 200 and later_api.json()["confidential"] is None
    assert later_page.status_code == 200 and 'id="restricted"' in later_page.content.decode()
    for response in (later_api, later_page, page.get(f"/dualcheck/{w.pk('conc')}/conclusion.pdf")):
        assert not found_markers(response.content.decode())
    assert api.get(f"/api/v1/dualcheck/attachments/{w.attachments['conc']}/").status_code == 404
    assert ConfidentialRead.objects.filter(user=w.users["inspector"]).count() == 1


def test_a_member_removed_from_the_team_loses_access_on_the_next_request(w):
    member = w.users["team_member"]
    api, page = api_for(w, "team_member"), browser_for(w, "team_member")
    key = "inv"
    assert api.get(f"/api/v1/dualcheck/clues/{w.pk(key)}/").json()["confidential"] is not None
    assert page.get(f"/dualcheck/{w.pk(key)}/report/").status_code == 200
    assert page.get(f"/dualcheck/attachments/{w.attachments[key]}/").status_code == 200
    assert page.get("/dualcheck/").status_code == 200

    s_inv.team_member_change(
        actor=w.user("lower_head"),
        clue=w.clue(key),
        add=[{"user": w.user("lower_head"), "department": Department.EXECUTION}],
        remove=[member],
    )

    reads_before = ConfidentialRead.objects.filter(user=member).count()
    later_api, later_page = _detail_both(w, api, page, key)
    assert later_api.status_code == 404 and later_page.status_code == 404
    assert page.get(f"/dualcheck/{w.pk(key)}/report/").status_code == 404
    assert page.get(f"/dualcheck/attachments/{w.attachments[key]}/").status_code == 404
    assert api.get(f"/api/v1/dualcheck/attachments/{w.attachments[key]}/").status_code == 404
    assert page.get(f"/dualcheck/{w.pk(key)}/report-1.pdf").status_code == 404
    # still on the teams of the other clues
    assert api.get(f"/api/v1/dualcheck/clues/{w.pk('rep')}/").json()["confidential"] is not None
    ids = {row["id"] for row in api.get("/api/v1/dualcheck/clues/").json()["results"]}
    assert w.pk(key) not in ids and w.pk("rep") in ids
    assert ConfidentialRead.objects.filter(user=member).count() == reads_before + 1  # rep only
    # and the new member reads it from their next request on
    assert api_for(w, "lower_head").get(f"/api/v1/dualcheck/clues/{w.pk(key)}/").json()["confidential"]


def test_the_dissolved_team_loses_access_at_the_conclusion(w):
    key = "acc"
    api, page = api_for(w, "team_member"), browser_for(w, "team_member")
    assert api.get(f"/api/v1/dualcheck/clues/{w.pk(key)}/").json()["confidential"] is not None
    assert page.get(f"/dualcheck/attachments/{w.attachments[key]}/").status_code == 200
    s_out.clue_conclude(
        actor=w.user("inspector"),
        clue=w.clue(key),
        finding="unsubstantiated",
        summary="不实。",
        participants=[w.user("head"), w.user("inspector")],
        minutes="会商。",
        dispositions=[],
    )
    assert not TeamMember.objects.filter(team__clue=w.pk(key), team__dissolved_at__isnull=True).exists()
    reads_before = ConfidentialRead.objects.filter(user=w.users["team_member"]).count()
    later_api, later_page = _detail_both(w, api, page, key)
    assert later_api.status_code == 404 and later_page.status_code == 404
    assert page.get(f"/dualcheck/attachments/{w.attachments[key]}/").status_code == 404
    assert page.get(f"/dualcheck/{w.pk(key)}/conclusion.pdf").status_code == 404
    assert ConfidentialRead.objects.filter(user=w.users["team_member"]).count() == reads_before
    # the investigating court's inspector keeps it by role, the team gone
    assert api_for(w, "lower_inspector").get(f"/api/v1/dualcheck/clues/{w.pk(key)}/").json()["confidential"]


# --- reads are recorded per request, through the door used ---------------------------------------------


READ_DOORS = [
    ("api-detail", "/api/v1/dualcheck/clues/{clue}/", "detail", "api"),
    ("page-detail", "/dualcheck/{clue}/", "detail", "page"),
    ("api-attachment", "/api/v1/dualcheck/attachments/{attachment}/", "attachment", "api"),
    ("page-attachment", "/dualcheck/attachments/{attachment}/", "attachment", "page"),
    ("report-pdf", "/dualcheck/{clue}/report-1.pdf", "report_pdf", "pdf"),
    ("conclusion-pdf", "/dualcheck/{clue}/conclusion.pdf", "conclusion_pdf", "pdf"),
]


@pytest.mark.parametrize(("door", "path", "what", "via"), READ_DOORS, ids=[d[0] for d in READ_DOORS])
def test_each_read_is_one_row_naming_the_door(w, door, path, what, via):
    url = path.format(clue=w.pk("conc"), attachment=w.attachments["conc"])
    client = api_for(w, "lower_inspector") if door.startswith("api") else browser_for(w, "lower_inspector")
    for n in (1, 2):
        assert client.get(url).status_code == 200
        rows = list(ConfidentialRead.objects.values_list("clue_id", "user_id", "what", "via"))
        assert rows == [(w.pk("conc"), w.users["lower_inspector"].pk, what, via)] * n
    # the same door refused: nothing recorded
    other = api_for(w, "head") if door.startswith("api") else browser_for(w, "head")
    other.get(url)
    assert ConfidentialRead.objects.count() == 2


def test_the_pdfs_are_real_pdfs(w, monkeypatch):
    monkeypatch.undo()  # the real WeasyPrint, once
    client = browser_for(w, "inspector")
    for path in (f"/dualcheck/{w.pk('conc')}/report-1.pdf", f"/dualcheck/{w.pk('conc')}/conclusion.pdf"):
        response = client.get(path)
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        assert "no-store" in response["Cache-Control"]
    assert ConfidentialRead.objects.filter(via="pdf").count() == 2


def test_the_matrix_covers_the_stages():
    assert TEAM_KEYS <= set(GET_KEYS) | {"inv", "rep", "acc"}
    assert WITH_DISCIPLINARY & set(GET_KEYS) and WITH_CLARIFICATION & set(GET_KEYS)


# --- the report clocks, outside the dualcheck URLs ----------------------------------------------------
# Details in ``test_alert_confidentiality``; here the two holes that must not come back.


@pytest.mark.parametrize("key", [*GET_KEYS, "ref"])
def test_the_api_client_of_the_court_under_investigation_reads_nothing_of_the_clue(w, key):
    """Its token is the court's, not a person's: nobody behind it can be excluded as
    an officer concerned. 404, like the officer concerned in the browser."""
    client = api_for(w, "api_lu0102")
    assert client.get(f"/api/v1/dualcheck/clues/{w.pk(key)}/").status_code == 404
    listed = client.get("/api/v1/dualcheck/clues/", {"page_size": 500}).json()
    assert listed["count"] == 0 and not found_markers(json.dumps(listed, ensure_ascii=False))


@pytest.mark.parametrize("role", ROLES)
def test_the_report_clocks_alerts_are_listed_only_with_the_clue(w, raised, role):
    """After a scan past the report clocks' due dates, the alerts API (and its
    ``mine``) lists their alerts only to who sees the clue, and the inbox only to
    their addressees — never to the rest of 鲁0102 (clerk, handler, finance, the
    officer concerned, a bureau head not on the team) nor to its API client."""
    api = api_for(w, role)
    response = api.get("/api/v1/alerts/", {"page_size": 500})
    if role == "anonymous":
        assert response.status_code == 401
        return
    assert {row["id"] for row in response.json()["results"]} & raised.all == expected(
        role, raised, alert_lists
    )
    mine = api.get("/api/v1/alerts/", {"page_size": 500, "mine": "true"}).json()["results"]
    to_them = expected(role, raised, lambda r, k: alert_lists(r, k) and addressed(r, k))
    assert {row["id"] for row in mine} & raised.all == to_them
    if role in API_CLIENTS:
        return
    html = browser_for(w, role).get("/supervision/inbox/", {"show": "all"}).content.decode()
    assert {int(pk) for pk in re.findall(r'id="alert-(\d+)"', html)} & raised.all == to_them
