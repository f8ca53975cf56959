"""The engine of the authorization matrix (``test_matrix.py``), with no app in
it: the tables (``table_<app>.py``) say per URL who may use it; this module sends
the requests and judges the answers.

For every request:

* entitled → the success status, and (unsafe methods) something changed — so the
  matrix cannot pass by refusing everybody;
* not entitled → 404 when the object is outside the person's courts, 403 when it
  is inside but the role may not (a role gate that does not depend on the object
  is 403 too); the anonymous go to the login page (401 on the REST API). A page
  action refused in scope answers as the house pages do (``BACK``): a redirect to
  the page it came from with an error message. A refused request changes nothing
  (every insert, update and delete of the transaction is counted);
* always → no row of a court the person may not see: case numbers and the
  ``MK-<court>-`` markers of every court are searched for in the answer (HTML,
  JSON, or the cells of an Excel file), and no court of another branch is even
  named. List answers must also show the rows of every court the person does see
  (``shows``).

A URL of the URLconf that no table classifies fails ``classification_problems``
(a new endpoint must say who may use it before it ships). Each request runs in
a savepoint that is rolled back, so the people act on the same world
(``world.py``)."""

import contextlib
import io
import json
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.urls import resolve

from tests.security.authz.urlconf import Pattern, url_patterns
from tests.security.authz.world import (
    ANONYMOUS,
    COURT_OF,
    POSITIONS,
    ROLES,
    ancestors,
    courts_in,
    courts_named_in,
    scope_of,
)

OBJECT_COURT = "鲁01"
SAFE = ("GET", "HEAD")
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
ALL_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
LOGIN = "login"  # 302 to /login/?next=…
BACK = "back"  # 302 back to the page, with an error message

Pred = Callable[[str, str], bool]

# --- who ------------------------------------------------------------------------------------------


def sees(role: str, position: str) -> bool:
    """Whether a thing of 鲁01 is in the person's courts."""
    return OBJECT_COURT in scope_of(role, position)


def sees_order(role: str, position: str) -> bool:
    """A 督办 order of 鲁 on a case of 鲁01: seen by either court's people (and the
    supervisory roles above them)."""
    return bool({"鲁", OBJECT_COURT} & scope_of(role, position))


def at_own(*roles: str) -> Pred:
    return lambda role, position: position == "own" and role in roles


def over(*roles: str) -> Pred:
    """``roles`` at 鲁01 or the court above."""
    return lambda role, position: position in ("own", "upper") and role in roles


def at_upper(*roles: str) -> Pred:
    return lambda role, position: position == "upper" and role in roles


def roles(*names: str) -> Pred:
    return lambda role, position: role in names


def anyone(role: str, position: str) -> bool:
    return True


def nobody(role: str, position: str) -> bool:
    return False


def either(*preds: Pred) -> Pred:
    return lambda role, position: any(p(role, position) for p in preds)


# --- what a table says ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Op:
    method: str
    entitled: Pred = anyone
    ok: int = 200
    data: Callable[..., dict] | None = None  # (world, role, position) → body (or query for GET)
    shows: Callable[..., set[str]] | None = None  # (world, role, position) → courts the answer must show
    refusal: Callable[[str, str], Any] | None = None  # overrides the expected refusal (None: the default)
    # replaces the status checks: (world, role, position, response, changed) → problems
    check: Callable[..., list[str]] | None = None
    writes: bool = True  # an unsafe request that succeeds changes the world (not only the audit trail)


@dataclass(frozen=True)
class Entry:
    name: str  # URL name as reversed ("enforcement:case-action"), or "<name>[<slug>]"
    kwargs: Callable[..., dict]
    ops: tuple[Op, ...]
    scope: Pred = anyone  # who sees the object (else 404)
    gate: Pred | None = None  # a role gate that does not depend on the object (else 403)
    denied: Any = 403  # the answer to someone who sees the object but may not
    back: Callable[..., str] | None = None  # where ``BACK`` leads
    machines: bool = False  # a page that does not refuse machine clients (it only redirects)
    any_method: bool = False  # answers every method alike (``test_methods_not_answered`` skips it)
    orders: bool = False  # answers about 督办 orders: their cases are seen by the issuing court too

    @property
    def url_name(self) -> str:
        return self.name.split("[")[0]

    @property
    def slug(self) -> str | None:
        m = re.search(r"\[(.+)\]$", self.name)
        return m.group(1) if m else None


# --- the URLconf ----------------------------------------------------------------------------------


def delegated(pattern: Pattern, namespaces: dict[str, str], prefixes: dict[str, str]) -> str | None:
    """Why ``pattern`` is tested by another suite (None: it is not)."""
    if pattern.namespace in namespaces:
        return namespaces[pattern.namespace]
    return next((why for prefix, why in prefixes.items() if pattern.name.startswith(prefix)), None)


def fill(route: str) -> str:
    """A path for ``route`` with made-up parameters (the anonymous are refused
    before any lookup)."""

    def value(m: re.Match) -> str:
        conv, name = m.group(1) or "str", m.group(2)
        return {"int": "1", "uuid": str(uuid.uuid4()), "slug": "x", "path": "x"}.get(
            conv, "idle" if name == "kind" else "x"
        )

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


def classification_problems(
    table: list["Entry"],
    *,
    elsewhere: dict[str, str],
    namespaces: dict[str, str],
    prefixes: dict[str, str],
    slugs: dict[str, set[str]],
) -> list[str]:
    """What is wrong with ``table`` against the URLconf: a URL it does not know
    (and that ``elsewhere`` / the delegations do not send to another suite), a
    stale entry, an action slug its view dispatches on without an entry."""
    patterns = url_patterns()
    names = {p.name for p in patterns}
    known = {e.url_name for e in table}
    problems = []
    unknown = sorted(
        p.name
        for p in patterns
        if p.name not in known and p.name not in elsewhere and not delegated(p, namespaces, prefixes)
    )
    if unknown:
        problems.append(f"URLs not in the authorization matrix: {unknown}")
    if known - names:
        problems.append(f"stale entries: {sorted(known - names)}")
    if set(elsewhere) - names:
        problems.append(f"stale ELSEWHERE entries: {sorted(set(elsewhere) - names)}")
    # the action URLs: every slug their view dispatches on has an entry
    for url, dispatched in slugs.items():
        covered = {e.slug for e in table if e.url_name == url}
        if covered != dispatched:
            problems.append(
                f"{url}: missing {sorted(dispatched - covered)}, stale {sorted(covered - dispatched)}"
            )
    return problems


# --- requests --------------------------------------------------------------------------------------

# Not a change of the world: the session, and the audit trail that records every
# write request whatever its outcome (audit.middleware).
IGNORED_TABLES = {"django_session", "audit_auditrecord"}


def writes() -> dict[str, tuple[int, int, int]]:
    """Inserts, updates and deletes of this transaction so far, per table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_xact_user_tables"
            " WHERE n_tup_ins + n_tup_upd + n_tup_del > 0"
        )
        return {r[0]: tuple(r[1:]) for r in cursor.fetchall() if r[0] not in IGNORED_TABLES}


def diff(before: dict, after: dict) -> list[str]:
    return sorted(t for t in after if after[t] != before.get(t))


_LAST: dict[str, Any] = {
    "writes": None
}  # the counters after the last request (rolled back or not, they stay)


def send(w, role: str, position: str, entry: Entry, method: str, data: dict | None, *, undo: bool = True):
    """One request as ``role`` at ``position``, in a savepoint rolled back after it
    (``undo``: a request expected to be refused goes without one — should it write
    anyway, that is reported, and the test's own savepoint undoes it). Returns the
    response and the tables it wrote to."""
    from django.urls import reverse

    path = reverse(entry.url_name, kwargs=entry.kwargs(w))
    client = w.client(role, position) if role != ANONYMOUS else w.client(ANONYMOUS, "own")
    api = path.startswith("/api/")
    if method in SAFE:  # nothing to undo or count: that reads write nothing is not authorization
        response = getattr(client, method.lower())(path, data or {})
        client.cookies.pop("messages", None)
        return response, []
    savepoint = transaction.atomic() if undo else contextlib.nullcontext()
    with savepoint:
        before = _LAST["writes"] if _LAST["writes"] is not None else writes()
        if api:
            response = client.generic(method, path, json.dumps(data or {}), content_type="application/json")
        elif method == "POST":
            response = client.post(path, data or {})
        else:
            from urllib.parse import urlencode

            response = client.generic(
                method, path, urlencode(data or {}), content_type="application/x-www-form-urlencoded"
            )
        after = writes()
        changed = diff(before, after)
        if undo:
            transaction.set_rollback(True)
    _LAST["writes"] = after
    client.cookies.pop("messages", None)
    return response, changed


def text_of(response) -> str:
    if getattr(response, "streaming", False):
        raw = b"".join(response.streaming_content)
    else:
        raw = response.content
    ctype = response.get("Content-Type", "")
    if "spreadsheetml" in ctype:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(raw), read_only=True)
        return "\n".join(
            str(v)
            for ws in book.worksheets
            for row in ws.iter_rows(values_only=True)
            for v in row
            if v is not None
        )
    text = raw.decode("utf-8", "replace")
    if "json" in ctype:
        try:
            return json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            pass
    return text


def queued_messages(response) -> list[tuple[int, str]]:
    storage = getattr(response.wsgi_request, "_messages", None)
    return [(m.level, str(m.message)) for m in getattr(storage, "_queued_messages", [])]


def expected_refusal(entry: Entry, op: Op, role: str, position: str, api: bool):
    if role == ANONYMOUS:
        return 401 if api else LOGIN
    if not api and role == "api_client" and not entry.machines:
        return 403  # the pages are for named people
    if entry.gate is not None and not entry.gate(role, position):
        return 403
    if op.refusal is not None:
        override = op.refusal(role, position)
        if override is not None:
            return override
    if not entry.scope(role, position):
        return 404
    return entry.denied


def judge(
    w, entry: Entry, op: Op, method: str, role: str, position: str, response, changed: list[str]
) -> list[str]:
    """What is wrong with ``response`` (empty: nothing)."""
    from django.contrib import messages as m

    problems: list[str] = []
    api = response.wsgi_request.path.startswith("/api/")
    status = response.status_code
    text = text_of(response) if method != "HEAD" else ""
    found = courts_in(text)
    allowed = w.allowed_courts(role, position, orders=entry.orders) if role != ANONYMOUS else set()
    if found - allowed:
        problems.append(f"rows of {sorted(found - allowed)} in the answer")
    named = courts_named_in(text) - allowed - set(ancestors(COURT_OF[position]))
    if role != ANONYMOUS and named:
        problems.append(f"names {sorted(named)}, courts outside the person's view")
    if status >= 500:
        return [*problems, f"server error {status}"]
    if op.check is not None:
        return problems + op.check(w, role, position, response, changed)
    levels = {level for level, _text in queued_messages(response)}
    # the pages are for named people: a machine client is refused them whatever the table says
    entitled = (
        role != ANONYMOUS and (api or entry.machines or role != "api_client") and op.entitled(role, position)
    )
    if (
        method == "HEAD"
        and status == 405
        and not hasattr(resolve(response.wsgi_request.path).func, "view_class")
    ):
        # a function view that answers GET only (require_GET) refuses HEAD to everyone
        return problems + ([f"HEAD changed {changed}"] if changed else [])
    if entitled:
        if status != op.ok:
            problems.append(f"entitled, but {status} (want {op.ok}): {text_of(response)[:300]!r}")
        elif method in UNSAFE and op.writes and not changed:
            problems.append("entitled and answered success, but nothing changed")
        elif method in UNSAFE and not api and status == 302 and m.ERROR in levels:
            problems.append(f"entitled, but an error message: {queued_messages(response)}")
        if method in SAFE and changed:
            problems.append(f"a read wrote to {changed}")
        if op.shows is not None and method == "GET" and status == op.ok:
            missing = op.shows(w, role, position) - found
            if missing:
                problems.append(f"the rows of {sorted(missing)} are missing")
        return problems
    want = expected_refusal(entry, op, role, position, api)
    if want == LOGIN:
        if status != 302 or not response["Location"].startswith("/login/"):
            problems.append(f"anonymous: {status} {response.get('Location', '')} (want the login page)")
    elif want == BACK:
        back = entry.back(w) if entry.back else ""
        if status != 302 or response["Location"] != back or m.ERROR not in levels or m.SUCCESS in levels:
            problems.append(
                f"{status} {response.get('Location', '')} {queued_messages(response)} (want back to {back} with an error)"
            )
    elif status != want:
        problems.append(f"{status} (want {want}): {text_of(response)[:200]!r}")
    if changed:
        problems.append(f"refused, but wrote to {changed}")
    return problems


# --- one case of the matrix ---------------------------------------------------------------------------


def heads(op: Op) -> set[tuple[str, str]]:
    """Who also sends HEAD: the first person entitled to ``op`` (also on the pages),
    the first one refused, and the anonymous."""
    people = [(r, p) for r in ROLES if r != "api_client" for p in POSITIONS]
    first = next((x for x in people if op.entitled(*x)), None)
    refused = next((x for x in people if not op.entitled(*x)), None)
    return {x for x in (first, refused, (ANONYMOUS, "own")) if x}


def positions_of(role: str) -> tuple[str, ...]:
    return ("own",) if role == ANONYMOUS else POSITIONS


def run_case(w, entry: Entry, op: Op, role: str, known: Iterable[tuple]) -> tuple[list, list, list]:
    """``role`` at each of the four courts × one URL × one method (GET with HEAD).
    Returns the problems, the known defects that showed, and the known ones that
    no longer do (``known``: (entry name, method, role, position))."""
    known = set(known)
    problems, showed, fixed = [], [], []
    for position in positions_of(role):
        methods = [op.method]
        if op.method == "GET" and (role, position) in heads(op):
            methods.append("HEAD")  # HEAD is GET without the body: once entitled, once refused
        for method in methods:
            data = op.data(w, role, position) if op.data else None
            undo = op.check is not None or (role != ANONYMOUS and op.entitled(role, position))
            response, changed = send(w, role, position, entry, method, data, undo=undo)
            wrong = judge(w, entry, op, method, role, position, response, changed)
            key = (entry.name, method, role, position)
            line = f"{method} {entry.name} as {role}@{position}: " + "; ".join(wrong)
            if key in known:
                (showed if wrong else fixed).append(line)
            elif wrong:
                problems.append(line)
    return problems, showed, fixed


def run_unanswered(w, entry: Entry, known: Iterable[tuple]) -> tuple[list, list, list]:
    """Every method ``entry`` does not declare, as someone entitled to the declared
    ones: it must be 405 and change nothing. Returns the problems, the known
    defects that showed and the known ones that no longer do (``known``:
    (entry name, method))."""
    known = set(known)
    declared = {op.method for op in entry.ops}
    who = next(
        (
            (r, p)
            for op in entry.ops
            for r in ROLES
            for p in POSITIONS
            if op.entitled(r, p) and (r != "api_client" or entry.url_name.startswith("api-"))
        ),
        ("bureau_head", "own"),
    )
    problems, showed, fixed = [], [], []
    for method in ALL_METHODS:
        if method not in declared:
            response, changed = send(w, *who, entry, method, {})
            wrong = response.status_code != 405 or changed
            line = f"{method} as {who[0]}@{who[1]}: {response.status_code} {changed}"
            if (entry.name, method) in known:
                (showed if wrong else fixed).append(line)
            elif wrong:
                problems.append(line)
    return problems, showed, fixed
