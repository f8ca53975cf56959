"""Leak probes of 一案双查's confidential (干警) content, beyond the page/endpoint
matrix of ``test_permission_matrix``: everything that could give it away sideways —
the list's ``officer`` filter and ``ordering``, list rows, the board's filters, the
statistics (page, REST, Excel export: disciplinary dispositions counted only for
those who may read them), the case page (only "a review exists"), the alert inbox
and petition page buttons, existence oracles (a clue or an attachment one may not
read answers exactly like one that does not exist) and the node events.

Same world as the matrix (``matrix_fixtures``): built once per module, each test
in a savepoint."""

import io
import json
import os
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.exceptions import NotFound, PermissionDenied
from core.exports import export_job_get, export_run, export_start
from core.models import ExportStatus, NodeEvent, Role
from dualcheck.models import Clue, ConfidentialRead
from tests.dualcheck.factories import revoke
from tests.dualcheck.matrix_fixtures import (  # noqa: F401 - fixtures
    ALL_MARKERS,
    API_CLIENTS,
    KEYS,
    PERSONS,
    ROLES,
    WITH_DISCIPLINARY,
    api_for,
    browser_for,
    found_markers,
    marker,
    reads,
    sees,
    w_fixture,
    world_fixture,
)

# One worker runs the whole module (``make test`` is ``-n 2 --dist loadgroup``), so
# the world is built once, not once per batch of tests handed to a worker. (The mark
# exists only where xdist runs: ``-p no:xdist`` with ``--strict-markers`` refuses it.)
pytestmark = [pytest.mark.xdist_group("dualcheck-leaks")] if os.environ.get("PYTEST_XDIST_WORKER") else []

LIST = "/api/v1/dualcheck/clues/"
ORDERINGS = ["received_at", "-received_at", "number", "-number", "status", "-status"]
REFUSED_ORDERINGS = [
    "officer",
    "-officer",
    "officers__name",
    "officers",
    "officer_allegation",
    "-officer_allegation",
    "complainant_phone",
    "reports__officer_conduct",
    "conclusion__dispositions__detail",
    "confidential",
    "received_at,officer",
    "id",
    "?",
]
AUTHENTICATED = [r for r in ROLES if r != "anonymous"]


def visible_ids(w, role: str) -> set[int]:
    """The clues ``role`` sees: the matrix's twelve, and the petition's clue (a
    received clue of 鲁01, seen like ``recv``)."""
    ids = {w.pk(k) for k in KEYS if sees(role, k)}
    if sees(role, "recv"):
        ids.add(w.pet_clue.pk)
    return ids


def ids_of(response) -> list[int]:
    assert response.status_code == 200, response.content.decode()
    return [row["id"] for row in response.json()["results"]]


# --- the list: rows, ordering, the officer filter ---------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_list_rows_never_carry_confidential_content_whatever_the_ordering(w, role):
    client = api_for(w, role)
    if role == "anonymous":
        assert client.get(LIST).status_code == 401
        return
    expected = visible_ids(w, role)
    queries = [{}, {"open": "true"}, {"open": "false"}, {"case": w.case.pk}, {"court": "鲁0102"}]
    queries += [{"ordering": o} for o in ORDERINGS] + [{"ordering": o, "page_size": 2} for o in ORDERINGS]
    for params in queries:
        response = client.get(LIST, params)
        assert not found_markers(response.content.decode()), params
        for row in response.json()["results"]:
            assert not {"confidential", "officers", "officer_allegation", "reports", "conclusion"} & set(row)
        if "page_size" not in params and not set(params) & {"open", "court"}:
            assert set(ids_of(response)) == expected, params
    # the orderings are real orderings of the same rows
    rows = {o: ids_of(client.get(LIST, {"ordering": o, "page_size": 100})) for o in ORDERINGS}
    assert all(set(r) == expected for r in rows.values())
    by_received = [c.pk for c in Clue.objects.filter(pk__in=expected).order_by("received_at", "id")]
    assert rows["received_at"] == by_received and rows["-received_at"] == by_received[::-1]
    by_number = [
        c.pk for c in Clue.objects.filter(pk__in=expected).order_by("court__code", "year", "sequence")
    ]
    assert rows["number"] == by_number
    assert ConfidentialRead.objects.count() == 0


@pytest.mark.parametrize("role", AUTHENTICATED)
def test_ordering_by_anything_else_is_refused_for_everyone_alike(w, role):
    """No ordering on a confidential column (or any column not offered): the same
    400 for everyone, whatever they may read — ordering cannot be an oracle."""
    client = api_for(w, role)
    bodies = set()
    for value in REFUSED_ORDERINGS:
        for extra in ({}, {"officer": marker("conc", "NAME")}):
            response = client.get(LIST, {"ordering": value, **extra})
            assert response.status_code == 400, (value, response.status_code)
            body = response.json()
            assert body["code"] == "invalid" and "ordering" in body["extra"]["fields"], body
            assert not found_markers(response.content.decode())
            bodies.add(json.dumps(body["extra"]["fields"], sort_keys=True, ensure_ascii=False))
    assert ConfidentialRead.objects.count() == 0


OFFICER_QUERIES = [
    *(("name", k) for k in ("recv", "inv", "rep", "conc", "closed", "fed")),
    ("prefix", None),  # "ZQ-": every officer of the matrix
    ("account", None),  # the officer's account id
    ("nobody", None),
    ("lowercase", "conc"),
]


def _officer_query(w, how: str, key: str | None) -> tuple[str, set[str]]:
    """(the ``officer`` value, the clue keys it matches)."""
    if how == "name":
        return marker(key, "NAME"), {key}
    if how == "lowercase":
        return marker(key, "NAME").lower(), {key}
    if how == "prefix":
        return "ZQ-", set(KEYS)
    if how == "account":
        return str(w.users["officer"].pk), set(KEYS)
    return "王某某", set()


@pytest.mark.parametrize("role", ROLES)
def test_the_officer_filter_finds_only_what_the_role_may_read_and_records_each_row(w, role):
    client = api_for(w, role)
    for how, key in OFFICER_QUERIES:
        value, matching = _officer_query(w, how, key)
        last = ConfidentialRead.objects.order_by("-id").values_list("id", flat=True).first() or 0
        for params in (
            {"officer": value},
            {"officer": value, "ordering": "-status"},
            {"officer": value, "open": "true"},
        ):
            response = client.get(LIST, params)
            if role == "anonymous":
                assert response.status_code == 401
                continue
            expected = {w.pk(k) for k in matching if reads(role, k)}
            if "open" in params:
                expected -= {w.pk("closed")}
            got = ids_of(response)
            assert set(got) == expected, (how, params)
            text = response.content.decode()
            # rows never carry a secret (the value the caller typed may come back in a link)
            assert not found_markers(text) - {value}
        reads_rows = ConfidentialRead.objects.filter(id__gt=last)
        if role == "anonymous":
            assert not reads_rows
            continue
        rows = list(reads_rows.values_list("clue_id", "user_id", "what", "via"))
        per_query = sorted((w.pk(k), w.users[role].pk) for k in matching if reads(role, k))
        shown_open = sorted((w.pk(k), w.users[role].pk) for k in matching if reads(role, k) and k != "closed")
        # one row per clue shown, per request; nothing when nothing was shown
        assert sorted((c, u) for c, u, _what, _via in rows) == sorted(per_query * 2 + shown_open)
        assert {(what, via) for _c, _u, what, via in rows} <= {("officer_search", "api")}


@pytest.mark.parametrize(
    "role", ["head", "working_group", "lower_head", "api_lu01", "api_lu0102", "officer", "clerk"]
)
def test_the_officer_filter_answers_nothing_to_non_readers_whatever_is_asked(w, role):
    """Anyone who may not read confidential content gets the same empty answer
    whether the officer is concerned in a clue they see or not."""
    client = api_for(w, role)
    empty = {"count": 0, "next": None, "previous": None, "results": []}
    values = [marker(k, "NAME") for k in KEYS] + [
        "ZQ",
        "Z",
        "-",
        str(w.users["officer"].pk),
        "王某某",
        "999999",
    ]
    for value in values:
        for extra in ({}, {"page_size": 1}, {"page": 1}, {"status": "investigating"}, {"ordering": "number"}):
            assert client.get(LIST, {"officer": value, **extra}).json() == empty, (value, extra)
    assert ConfidentialRead.objects.count() == 0


# --- the board -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", PERSONS)
def test_the_board_and_its_filters_show_no_secret(w, role):
    client = browser_for(w, role)
    queries = [
        {},
        {"state": "all"},
        {"state": "closed"},
        {"mine": "on"},
        {"source": "letters_visits", "state": "all"},
        {"court": w.courts.lu0102.pk, "state": "all"},
    ]
    for params in queries:
        response = client.get("/dualcheck/", params)
        assert response.status_code in (200, 403)
        assert not found_markers(response.content.decode()), params
        if response.status_code == 200 and params == {"state": "all"}:
            cards = {
                int(pk)
                for pk in re.findall(r'class="clue-card[^"]*" data-clue="(\d+)"', response.content.decode())
            }
            assert cards == visible_ids(w, role)
    partial = client.get("/dualcheck/", {"state": "all"}, HTTP_HX_REQUEST="true")
    assert not found_markers(partial.content.decode())
    assert ConfidentialRead.objects.count() == 0


# --- existence oracles ---------------------------------------------------------------------------------


def _same_answer(a, b) -> None:
    assert (a.status_code, a.content) == (b.status_code, b.content)


@pytest.mark.parametrize(
    "role", ["officer", "clerk", "finance", "sibling_inspector", "sibling_head", "team_member"]
)
def test_a_clue_one_may_not_see_answers_like_one_that_does_not_exist(w, role):
    api, page = api_for(w, role), browser_for(w, role)
    missing = 2_000_000_000
    for key in ("recv", "conc", "closed"):
        if sees(role, key):
            continue
        for path in ("{}/", "{}/screen/", "{}/conclude/"):
            if path == "{}/":
                _same_answer(api.get(LIST + path.format(w.pk(key))), api.get(LIST + path.format(missing)))
            else:
                _same_answer(
                    api.post(LIST + path.format(w.pk(key)), {}, format="json"),
                    api.post(LIST + path.format(missing), {}, format="json"),
                )
        for page_path in (
            "/dualcheck/{}/",
            "/dualcheck/{}/report/",
            "/dualcheck/{}/conclusion.pdf",
            "/dualcheck/{}/report-1.pdf",
        ):
            a, b = page.get(page_path.format(w.pk(key))), page.get(page_path.format(missing))
            assert a.status_code == b.status_code == 404
            assert not found_markers(a.content.decode())
        a = page.post(f"/dualcheck/{w.pk(key)}/act/close/", {"note": ""})
        assert a.status_code == 404
    assert ConfidentialRead.objects.count() == 0


@pytest.mark.parametrize(
    "role", ["head", "working_group", "lower_head", "inspector", "leader", "api_lu01", "officer"]
)
def test_an_attachment_one_may_not_read_answers_like_one_that_does_not_exist(w, role):
    """An attachment of a clue one does not see, of a clue one sees without its
    confidential part, and of a draft one is not writing: all exactly like a
    missing one (REST)."""
    client = api_for(w, role)
    nowhere = client.get("/api/v1/dualcheck/attachments/2000000000/")
    assert nowhere.status_code == 404
    for key, attachment in w.attachments.items():
        response = client.get(f"/api/v1/dualcheck/attachments/{attachment}/")
        readable = reads(role, key) and (key != "inv" or role in ("team_member", "lower_inspector"))
        if readable:
            assert response.status_code == 200
        else:
            _same_answer(response, nowhere)


# --- statistics: page, REST, Excel ------------------------------------------------------------------------

DISCIPLINARY_READERS = {"inspector", "leader", "spc_inspector", "lower_inspector"}  # read conc and fed


def disciplinary_count(role: str) -> int | None:
    """What ``role`` may count of the disciplinary referrals (in ``conc`` and
    ``fed``): the ones in clues they may read; None ("无权查看") for someone who may
    read no confidential content at all."""
    if role in DISCIPLINARY_READERS:
        return len(WITH_DISCIPLINARY)
    if role in ("team_member", "sibling_inspector"):
        return 0  # reads other clues (the team's) / an inspector elsewhere: may count, counts none here
    return None


@pytest.mark.parametrize("role", ROLES)
def test_the_statistics_api_hides_disciplinary_counts(w, role):
    client = api_for(w, role)
    response = client.get("/api/v1/dualcheck/stats/")
    if role == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == 200
    assert not found_markers(response.content.decode())
    data = response.json()
    by_kind = {row["key"]: row["count"] for row in data["by_disposition"]}
    assert by_kind["disciplinary"] == disciplinary_count(role)
    assert data["disciplinary_visible"] is (disciplinary_count(role) is not None)
    sees_concluded = sees(role, "conc")  # conc and fed: one deadline order each
    assert by_kind["deadline_order"] == (2 if sees_concluded else 0)
    # the total never includes what the user may not count: no difference gives it away
    assert data["dispositions_total"] == sum(c for c in by_kind.values() if c is not None)
    assert data["total"] == len(visible_ids(w, role))
    assert data["confidential_scope"] == sum(1 for k in KEYS if reads(role, k)) + (
        1 if reads(role, "recv") else 0
    )
    # a filter on a court outside the user's view is 404, not an empty count
    if role in ("clerk", "officer", "finance", "lower_head", "team_member", "api_lu0102"):
        assert client.get("/api/v1/dualcheck/stats/", {"court": "鲁01"}).status_code == 404
    assert ConfidentialRead.objects.count() == 0


@pytest.mark.parametrize("role", PERSONS)
def test_the_statistics_page_hides_disciplinary_counts(w, role):
    response = browser_for(w, role).get("/dualcheck/stats/")
    assert response.status_code == 200
    html = response.content.decode()
    assert not found_markers(html)
    cell = re.search(r'data-count="disciplinary">(.*?)</td>', html, re.S)
    assert cell, "no disciplinary row"
    expected = disciplinary_count(role)
    if expected is None:
        assert "无权查看" in cell.group(1)
    else:
        assert re.sub(r"<[^>]+>", "", cell.group(1)).strip() == str(expected)
    assert ConfidentialRead.objects.count() == 0


def _export(user, params=None):
    job = export_start(user=user, key="dualcheck.stats", params=params or {})
    assert export_run(job_id=str(job.pk)) == ExportStatus.DONE, export_job_get(user, job.pk).error
    job = export_job_get(user, job.pk, with_content=True)
    sheet = load_workbook(io.BytesIO(bytes(job.content))).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("role", PERSONS)
def test_the_excel_export_hides_disciplinary_counts(w, role):
    user = w.user(role)
    rows = _export(user)
    cells = " ".join(str(v) for row in rows for v in row if v is not None)
    assert not found_markers(cells)
    [disciplinary] = [r for r in rows if r[1] == "违纪行为处分（移送）"]
    expected = disciplinary_count(role)
    assert disciplinary[2] == ("无权查看" if expected is None else expected)
    [total] = [r for r in rows if r[1] == "线索总数"]
    assert total[2] == len(visible_ids(w, role))
    assert ConfidentialRead.objects.count() == 0  # counts only: nothing confidential was shown
    with pytest.raises(NotFound):
        export_start(user=user, key="dualcheck.stats", params={"court": "火星01"})


@pytest.mark.parametrize("role", API_CLIENTS)
def test_machines_do_not_export(w, role):
    with pytest.raises(PermissionDenied):
        export_start(user=w.user(role), key="dualcheck.stats", params={})


def test_an_export_made_before_a_revocation_is_recounted_when_it_runs(w):
    """The job is counted when it runs, with the memberships of then."""
    user = w.user("inspector")
    job = export_start(user=user, key="dualcheck.stats", params={})
    revoke(w.users["inspector"], w.courts.lu01, Role.INSPECTOR)
    status = export_run(job_id=str(job.pk))
    if status == ExportStatus.DONE:
        content = export_job_get(user, job.pk, with_content=True).content
        sheet = load_workbook(io.BytesIO(bytes(content))).active
        [disciplinary] = [r for r in sheet.iter_rows(values_only=True) if r[1] == "违纪行为处分（移送）"]
        assert disciplinary[2] == "无权查看"
    else:
        assert status == ExportStatus.FAILED


# --- the case page: at most "a review exists" ------------------------------------------------------------

SEES_CASE = {  # 鲁0102's case: its own court's people and the supervisory roles above
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
}


@pytest.mark.parametrize("role", ROLES)
def test_the_case_page_says_at_most_that_a_review_exists(w, role):
    response = browser_for(w, role).get(reverse("enforcement:case-detail", args=[w.case.pk]))
    if role == "anonymous":
        assert response.status_code == 302
        return
    if role in API_CLIENTS:
        assert response.status_code == 403
        return
    if role not in SEES_CASE:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert not found_markers(html)
    assert 'id="dualcheck-badge"' in html
    links = {int(pk) for pk in re.findall(r'class="dualcheck-link"[^>]*data-clue="(\d+)"', html)}
    assert links == visible_ids(w, role)
    if role in ("officer", "clerk", "finance"):
        assert links == set()
        # nothing of the review's course on the case's own timeline
        for step in ("组成联合调查组", "上报调查报告", "形成检查结论", "联席会议决定"):
            assert step not in html
    assert ConfidentialRead.objects.count() == 0


# --- the inbox and the petition page -----------------------------------------------------------------------

CAN_TAKE_UP = {"working_group", "head", "inspector", "spc_inspector"}  # a court above 鲁0102 to register at


@pytest.mark.parametrize("role", PERSONS)
def test_the_alert_inbox_offers_the_one_click_only_to_an_upper_court(w, role):
    response = browser_for(w, role).get(reverse("supervision:inbox"), {"show": "all"})
    assert response.status_code == 200
    html = response.content.decode()
    assert not found_markers(html)
    buttons = set(re.findall(r'action="/dualcheck/from-alert/(\d+)/"', html))
    assert role in CAN_TAKE_UP or not buttons
    if role == "working_group":  # the SEARCH_START alert went to 鲁01's 专人监管
        assert str(w.alert.pk) in buttons
    if role == "officer":  # the officer's own alerts about the case: no button
        assert 'id="alert-' in html and not buttons


@pytest.mark.parametrize("role", ROLES)
def test_the_petition_page_offers_the_one_click_only_to_an_upper_court(w, role):
    client = browser_for(w, role)
    unlinked = client.get(reverse("supervision:petition-detail", args=[w.petition.pk]))
    linked = client.get(reverse("supervision:petition-detail", args=[w.linked_petition.pk]))
    for response in (unlinked, linked):
        assert not found_markers(response.content.decode())
    if role == "anonymous":
        assert unlinked.status_code == linked.status_code == 302
        return
    if role in API_CLIENTS:
        assert unlinked.status_code == linked.status_code == 403
        return
    if role not in SEES_CASE:
        assert unlinked.status_code == linked.status_code == 404
        return
    assert unlinked.status_code == linked.status_code == 200
    assert ('id="dualcheck-register"' in unlinked.content.decode()) is (role in CAN_TAKE_UP)
    # the link to the clue is there for anyone who sees the petition; it opens only for those who see the clue
    assert 'id="dualcheck-clue-link"' in linked.content.decode()
    opened = client.get(f"/dualcheck/{w.pet_clue.pk}/")
    assert opened.status_code == (200 if sees(role, "recv") else 404)


# --- what other tables keep ---------------------------------------------------------------------------------


def test_node_events_and_clocks_carry_no_secret(w):
    """The node events of the clues (read by timelines, dashboards, the audit) and
    the report clocks (read by the lower court's inboxes) hold no confidential text
    and are not attached to the case."""
    from core.models import Deadline

    events = NodeEvent.objects.filter(kind__startswith="dualcheck.")
    assert events.count() > len(KEYS)
    assert not events.exclude(case=None).exists()
    text = json.dumps(
        list(events.values("payload", "subject_label", "flags")), ensure_ascii=False, default=str
    )
    assert not found_markers(text)
    clocks = json.dumps(
        list(Deadline.objects.filter(rule__code__startswith="DUALCHECK").values()),
        ensure_ascii=False,
        default=str,
    )
    assert not found_markers(clocks) and "ZQ-" not in clocks


def test_the_markers_are_where_the_matrix_expects_them(w):
    """Sanity: the world holds every marker (so their absence elsewhere means
    something)."""
    from dualcheck.models import (
        Clarification,
        ClueOfficer,
        Disposition,
        OfficerFinding,
        Report,
        ReportAttachment,
    )

    stored = " ".join(
        [
            *ClueOfficer.objects.values_list("name", flat=True),
            *Clue.objects.values_list("officer_allegation", flat=True),
            *Report.objects.values_list("officer_conduct", flat=True),
            *Report.objects.values_list("process", flat=True),
            *OfficerFinding.objects.values_list("detail", flat=True),
            *ReportAttachment.objects.values_list("name", flat=True),
            *(bytes(d).decode() for d in ReportAttachment.objects.values_list("data", flat=True)),
            *Disposition.objects.values_list("detail", flat=True),
            *Disposition.objects.values_list("referred_to", flat=True),
            *Clarification.objects.values_list("scope", flat=True),
            *Clarification.objects.values_list("content", flat=True),
        ]
    )
    assert found_markers(stored) == ALL_MARKERS


# --- refusals ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_a_step_refused_at_the_wrong_stage_says_nothing_confidential(w, role):
    """Every REST step on a closed clue (and the draft steps on a concluded one):
    401/403/404/409, no secret in the answer, nothing recorded, nothing written."""
    from tests.dualcheck.test_permission_matrix import API_STEPS, api_body, state

    client = api_for(w, role)
    for key in ("closed", "conc"):
        before = state(w.clue(key))
        for slug in sorted(API_STEPS):
            if slug == "feedback" and key == "conc":
                continue  # the one legal step here (the matrix tests it)
            response = client.post(f"{LIST}{w.pk(key)}/{slug}/", api_body(w, slug), format="json")
            assert response.status_code in (401, 403, 404, 409, 422), (key, slug, response.status_code)
            assert not found_markers(response.content.decode()), (key, slug)
        assert state(w.clue(key)) == before


ORACLE = (
    "回避 oracle: the lower court's bureau head (who forms the team, may not read who is concerned) is "
    "offered the officer concerned as a team member and, on choosing them, told '<name> 应当回避' "
    "(422 conflict_of_interest) — trying each candidate enumerates the officers concerned "
    "(dualcheck/services/investigation.py team_form / team_member_change; dualcheck/forms.py FormTeamForm)"
)


@pytest.mark.xfail(strict=True, reason=ORACLE)
def test_forming_the_team_does_not_tell_a_non_reader_who_is_concerned(w):
    officer, inspector = w.users["officer"], w.users["lower_inspector"]
    page = browser_for(w, "lower_head").get(f"/dualcheck/{w.pk('ref')}/").content.decode()
    offered = {int(pk) for pk in re.findall(r'value="(\d+):execution"', page)}
    body = {
        "members": [
            {"user": officer.pk, "department": "execution"},
            {"user": inspector.pk, "department": "supervision"},
        ]
    }
    response = api_for(w, "lower_head").post(f"{LIST}{w.pk('ref')}/form-team/", body, format="json")
    assert response.status_code in (400, 403, 422)
    told = response.json()["code"] == "conflict_of_interest" or str(officer) in response.content.decode()
    assert officer.pk not in offered and not told


CONFIDENTIAL_GETS = [
    ("page-detail", "/dualcheck/{conc}/", "inspector", False),
    ("api-detail", "/api/v1/dualcheck/clues/{conc}/", "inspector", True),
    ("report-editor", "/dualcheck/{inv}/report/", "team_member", False),
    ("officer-search", "/api/v1/dualcheck/clues/?officer=ZQ-", "inspector", True),
    ("attachment", "/dualcheck/attachments/{att}/", "inspector", False),
    ("report-pdf", "/dualcheck/{conc}/report-1.pdf", "inspector", False),
]


@pytest.mark.parametrize(
    ("door", "path", "role", "api"),
    [c for c in CONFIDENTIAL_GETS],
    ids=[c[0] for c in CONFIDENTIAL_GETS],
)
def test_answers_with_confidential_content_are_not_stored_by_caches(w, door, path, role, api, monkeypatch):
    """Cache-Control: private, no-store on every answer that carries confidential
    content (or, for the officer search, tells which clues concern an officer): a
    page or JSON left in a shared browser's cache or a proxy outlives the reader's
    access."""
    from dualcheck.views import printing

    monkeypatch.setattr(printing, "pdf_from_html", lambda html: html.encode())
    url = path.format(conc=w.pk("conc"), inv=w.pk("inv"), att=w.attachments["conc"])
    response = (api_for if api else browser_for)(w, role).get(url)
    assert response.status_code == 200
    if door == "officer-search":
        assert response.json()["count"] > 0
    else:
        assert found_markers(response.content.decode())
    assert "no-store" in response.get("Cache-Control", "")


def test_a_non_reader_cannot_name_an_officer_in_a_disciplinary_disposition(w):
    from dualcheck.models import Disposition

    def conclude(officer_id):
        body = {
            "finding": "partly",
            "summary": "部分属实。",
            "participants": [w.users["head"].pk, w.users["inspector"].pk],
            "minutes": "会商。",
            "dispositions": [
                {
                    "kind": "disciplinary",
                    "detail": "给予处分。",
                    "officer": officer_id,
                    "referred_to": "监察室",
                }
            ],
        }
        return api_for(w, "head").post(f"{LIST}{w.pk('acc')}/conclude/", body, format="json")

    wrong = conclude(w.officer_pk("acc") + 10_000)
    right = conclude(w.officer_pk("acc"))
    assert right.status_code == wrong.status_code and right.json() == wrong.json()
    assert not Disposition.objects.filter(conclusion__clue=w.pk("acc")).exists()
