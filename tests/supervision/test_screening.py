"""消极执行 screening (``supervision.selectors.screening``): each list's criterion on data made
by the real services (see ``world`` in test_dashboard), court scoping, the page
with its tabs, the paginated REST lists and the Excel export."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.events import node_label
from core.exceptions import NotFound, ValidationFailed
from core.exports import export_start
from core.models import ExportJob, Role
from core.services.events import node_event_record
from core.tasks import run_export
from supervision.selectors.screening import KINDS, screening_list
from tests.conftest import at
from tests.core.factories import make_member
from tests.supervision.factories import WORLD_AT as AT
from tests.supervision.factories import build_world


@pytest.fixture
def world(courts, clerk, handler, bureau_head):
    """The province of test_dashboard (built through the services)."""
    return build_world(courts, clerk, handler, bureau_head)


def rows(user, kind, **params):
    listing = screening_list(user=user, kind=kind, params=params, now=AT)
    return listing[0 : listing.count()]


def numbers(items) -> set[str]:
    return {r["case_number"] for r in items}


def test_idle_cases_have_had_no_node_for_n_days(world, court_leader):
    idle = rows(court_leader, "idle")
    # default 30 days: the May cases, the 2025 freeze and the case whose money came on 10-20
    assert numbers(idle) == {
        "(2026)鲁0102执501号",
        "(2026)鲁0202执502号",
        "(2025)鲁0103执504号",
        "(2026)鲁0102执503号",
    }
    stale = next(r for r in idle if r["case_number"] == "(2026)鲁0102执501号")
    assert stale["last_node_at"].startswith("2026-05-08") and stale["idle_days"] == 196
    assert stale["url"] == f"/cases/{world.stale.pk}/"
    # 40 days: the receipt of 10-20 is recent enough
    assert "(2026)鲁0102执503号" not in numbers(rows(court_leader, "idle", days="40"))
    # closed (终本) and recently handled cases are never idle
    assert "(2026)鲁0102执506号" not in numbers(idle) and "(2026)鲁0102执505号" not in numbers(idle)


def test_a_suspended_case_waits_lawfully(world, court_leader, clerk, bureau_head):
    from enforcement.services import cases as case_services

    case_services.case_serve_notice(actor=clerk, case=world.stale, served_at=at("2026-05-10 10:00"))
    assert "(2026)鲁0102执501号" in numbers(rows(court_leader, "idle"))
    case_services.case_suspend(
        actor=clerk, case=world.stale, at=at("2026-05-20 10:00"), ruling_number="(2026)鲁0102执501号之一",
        approved_by=bureau_head.pk, reason="申请执行人申请"
    )
    assert "(2026)鲁0102执501号" not in numbers(rows(court_leader, "idle"))


def test_idle_days_must_be_sensible(world, court_leader):
    for bad in ("abc", "0", "99999"):
        with pytest.raises(ValidationFailed):
            rows(court_leader, "idle", days=bad)


def test_assets_found_but_not_controlled(world, court_leader):
    found = rows(court_leader, "uncontrolled")
    assert [r["asset"] for r in found] == [world.house.pk]
    house = found[0]
    assert house["case_number"] == "(2026)鲁0102执505号" and house["category"] == "不动产"
    assert house["overdue"] is True and house["days_overdue"] > 0
    assert house["value"] == "900000.00"
    assert house["control_due_at"].startswith("2026-11-09")  # 3 working days after 11-04


def test_cases_past_their_duration(world, court_leader):
    overdue = rows(court_leader, "overdue_duration")
    assert numbers(overdue) == {"(2026)鲁0102执501号", "(2026)鲁0202执502号", "(2025)鲁0103执504号"}
    assert all(r["rule"] == "CASE_DURATION" and r["days_overdue"] > 0 for r in overdue)
    assert overdue[0]["case_number"] == "(2025)鲁0103执504号"  # the longest overdue first


def test_terminated_cases_due_for_their_re_search(world, court_leader, clerk):
    due = rows(court_leader, "research_due")
    assert numbers(due) == {"(2026)鲁0102执506号"}
    assert due[0]["due_date"] == "2026-10-20" and due[0]["days_overdue"] == 31
    # the re-search is done: off the list (and the next six months start)
    from enforcement.services import assets as asset_services

    asset_services.search_launch(
        actor=clerk,
        case=world.terminated,
        channel="online",
        category_codes=None,
        launched_at=at("2026-11-20 09:00"),
    )
    assert rows(court_leader, "research_due") == []


def test_backdated_and_future_dated_nodes(world, court_leader, courts, now):
    # an import that skipped the time check, dated after it was recorded
    future = node_event_record(
        kind="case.notice_served",
        court=courts.lu0102,
        case=world.stale,
        occurred_at=now + dt.timedelta(days=2),
        actor=None,
    )
    # history loaded on purpose is "imported", not "backdated"
    imported = node_event_record(
        kind="case.notice_served",
        court=courts.lu0102,
        case=world.stale,
        occurred_at=at("2026-01-01 10:00"),
        actor=None,
        flags=["imported"],
    )
    listed = rows(court_leader, "node_dates")
    by_event = {r["event"]: r for r in listed}

    assert by_event[future.pk]["issue"] == "future" and by_event[future.pk]["gap_days"] < 0
    assert imported.pk not in by_event
    received = next(
        r for r in listed if r["case_number"] == "(2026)鲁0102执501号" and r["kind"] == "case.received"
    )
    # the label enforcement registers for its kind (enforcement/events.py: 收案（移送执行）)
    assert received["issue"] == "backdated" and received["kind_label"] == str(node_label("case.received"))
    assert received["gap_days"] > 190
    assert all(r["issue"] == "backdated" for r in listed if r["event"] != future.pk)
    assert listed == sorted(listed, key=lambda r: (r["recorded_at"], r["event"]), reverse=True)


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_supervisor_never_sees_the_sibling_branch(world, case_supervisor, kind):
    listed = rows(case_supervisor, kind)
    assert all(r["court"] in {"鲁01", "鲁0102", "鲁0103"} for r in listed)
    assert "鲁0202" not in {r["court"] for r in listed}
    with pytest.raises(NotFound):
        rows(case_supervisor, kind, court="鲁02")


def test_drilling_into_a_court_narrows_every_list(world, court_leader):
    assert numbers(rows(court_leader, "overdue_duration", court="鲁0103")) == {"(2025)鲁0103执504号"}
    assert numbers(rows(court_leader, "idle", court="鲁02")) == {"(2026)鲁0202执502号"}


# --- page ---------------------------------------------------------------------------------------


def test_the_page_has_a_tab_per_list_with_its_criterion(world, client, case_supervisor):
    client.force_login(case_supervisor)
    url = reverse("supervision:screening")
    for key, spec in KINDS.items():
        r = client.get(url, {"kind": key})
        assert r.status_code == 200, key
        html = r.content.decode()
        assert str(spec.criteria) in html and f'id="screening-{key}"' in html
        assert f'data-export="supervision.screening.{key}"' in html
        assert "鲁0202执502号" not in html
    html = client.get(url).content.decode()  # idle by default
    assert f'href="/cases/{world.stale.pk}/"' in html
    assert client.get(url, {"kind": "nope"}).status_code == 404
    assert client.get(url, {"court": "鲁0202"}).status_code == 404


def test_a_wrong_number_of_days_is_shown_next_to_the_field(world, client, case_supervisor):
    client.force_login(case_supervisor)
    html = client.get(reverse("supervision:screening"), {"kind": "idle", "days": "0"}).content.decode()
    assert 'class="field has-error"' in html and "天数须在 1 至 3650 之间" in html


def test_pages_and_query_count(world, client, case_supervisor, monkeypatch, django_assert_num_queries):
    from supervision.views import dashboard as views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client.force_login(case_supervisor)
    url = reverse("supervision:screening")
    first = client.get(url, {"kind": "idle"}).content.decode()
    second = client.get(url, {"kind": "idle", "page": "2"}).content.decode()
    assert "第 1 / 2 页" in first and "第 2 / 2 页" in second
    cases = ["(2026)鲁0102执501号", "(2026)鲁0102执503号", "(2025)鲁0103执504号"]
    assert [c for c in cases if c in first] + [c for c in cases if c in second] != []
    assert {c for c in cases if c in first} | {c for c in cases if c in second} == set(cases)
    counts = {}
    for kind in KINDS:
        with django_assert_num_queries(100, exact=False) as ctx:
            client.get(url, {"kind": kind})
        counts[kind] = len(ctx)
    # session, user, memberships, navigation permissions (2), visible courts, then
    # count + page (a clock list: count + index probe + details)
    # (+2: the calendar banner's two (loaded years, provisional counters: the suite's today is in November, next year not loaded))
    # (+5, issue 16: the navigation's counts — alerts, 督办 and 信访 of the 专人监管, the 待办 total — and the API-token check)
    nav = 7  # + the bell's unread COUNT (issue 16), 一案双查待办
    assert counts == {"idle": 10 + nav, "uncontrolled": 10 + nav, "overdue_duration": 11 + nav, "node_dates": 10 + nav,
                      "research_due": 11 + nav,
                      "coercion_missing": 9 + nav,  # h/coercion: count + page (no 终本 case lacks a measure here)
                      "ruling_unserved": 11 + nav}  # gate: gateproc


def test_only_supervisory_posts(world, client, handler):
    client.force_login(handler)
    assert client.get(reverse("supervision:screening")).status_code == 403


# --- REST ---------------------------------------------------------------------------------------


def test_api_lists_are_paginated_and_scoped(world, as_user, case_supervisor, court_leader, time_machine):
    time_machine.move_to(AT)  # the API screens as of now: the world's now, as ``rows`` does
    api = as_user(court_leader)
    r = api.get("/api/v1/screening/idle/", {"days": "40"})
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3 and numbers(body["results"]) == {
        "(2026)鲁0102执501号",
        "(2026)鲁0202执502号",
        "(2025)鲁0103执504号",
    }
    r = api.get("/api/v1/screening/overdue_duration/", {"page_size": 1})
    assert r.json()["count"] == 3 and len(r.json()["results"]) == 1 and r.json()["next"]
    assert reverse("api-screening", kwargs={"kind": "idle"}) == "/api/v1/screening/idle/"

    mine = as_user(case_supervisor)
    assert "(2026)鲁0202执502号" not in numbers(mine.get("/api/v1/screening/idle/").json()["results"])
    r = mine.get("/api/v1/screening/idle/", {"court": "鲁02"})
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    r = mine.get("/api/v1/screening/idle/", {"days": "0"})
    assert r.status_code == 400 and "days" in r.json()["extra"]["fields"]
    r = mine.get("/api/v1/screening/whatever/")
    assert r.status_code == 404 and set(r.json()) == {"code", "message", "extra"}


def test_api_query_count_is_pinned(world, as_user, court_leader, django_assert_num_queries):
    as_user(court_leader).get("/api/v1/screening/uncontrolled/")
    # a fresh user per request, as with token authentication: memberships, visible
    # courts, count, page
    api = as_user(type(court_leader).objects.get(pk=court_leader.pk))
    with django_assert_num_queries(4):
        assert api.get("/api/v1/screening/uncontrolled/").status_code == 200


# --- export --------------------------------------------------------------------------------------


def test_the_export_has_the_lists_rows_within_the_requesters_scope(
    world, courts, case_supervisor, court_leader, django_capture_on_commit_callbacks
):
    def export(user, **params):
        with django_capture_on_commit_callbacks(execute=False):
            job = export_start(user=user, key="supervision.screening.overdue_duration", params=params)
        run_export(job_id=str(job.pk))
        job = ExportJob.objects.get(pk=job.pk)
        assert job.status == "done", job.error
        return list(load_workbook(io.BytesIO(bytes(job.content))).active.iter_rows(values_only=True))

    everything = export(court_leader)
    assert everything[0][:3] == ("案号", "法院", "期限")
    assert {r[0] for r in everything[1:]} == {
        "(2026)鲁0102执501号",
        "(2026)鲁0202执502号",
        "(2025)鲁0103执504号",
    }
    assert {r[0] for r in export(case_supervisor)[1:]} == {"(2026)鲁0102执501号", "(2025)鲁0103执504号"}
    assert {r[0] for r in export(court_leader, court="鲁0103")[1:]} == {"(2025)鲁0103执504号"}
    with pytest.raises(NotFound):
        export_start(user=case_supervisor, key="supervision.screening.idle", params={"court": "鲁02"})
    clerk0202 = make_member(Role.CLERK, courts.lu0202, "clerk_other")
    from core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        export_start(user=clerk0202, key="supervision.screening.idle", params={})
