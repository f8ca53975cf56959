"""The supervision dashboard (``supervision.selectors.dashboard``): what it counts, where its
numbers come from (the scan's counters, refreshed by the real scan), its live case
lists, court scoping and drill-down, a constant number of queries, the page and
the REST endpoint.

``world`` builds a small province through the real services: overdue cases at
鲁0102 (under 鲁01) and 鲁0202 (under 鲁02, the sibling branch), funds held past
FUNDS_NOTICE, a control measure about to expire at 鲁0103, an asset found and not
controlled, a 终本 case due for its re-search, two unidentified receipts — then
scans every court and refreshes its counters as of ``AT``.
"""

import datetime as dt
import json

import pytest
from django.urls import reverse

from core.models import Court, Deadline, DeadlineStatus, Role
from core.services.people import api_client_create
from enforcement.models import Asset
from enforcement.services import measures as measure_services
from supervision.models import Alert, CourtRuleStat
from supervision.selectors.clocks import running_clock_ids
from supervision.selectors.dashboard import dashboard_data
from tests.conftest import at
from tests.core.factories import make_member
from tests.enforcement.factories import make_case
from tests.supervision.factories import WORLD_AT as AT
from tests.supervision.factories import build_world, scan_all


@pytest.fixture
def world(courts, clerk, handler, bureau_head):
    return build_world(courts, clerk, handler, bureau_head)


def numbers(rows) -> set[str]:
    return {row["case_number"] for row in rows}


def everything(data) -> str:
    return json.dumps(data, ensure_ascii=False)


# --- what it counts -------------------------------------------------------------------------------


def test_counters_come_from_the_scan_and_add_up_over_the_subtree(world, court_leader):
    data = dashboard_data(user=court_leader, now=AT)

    assert data["court"]["code"] == "鲁"
    assert data["computed_at"] == AT.isoformat()
    stats = CourtRuleStat.objects.all()
    for field in ("open", "overdue", "met", "breached", "alerts_unacknowledged"):
        assert data["totals"][field] == sum(getattr(s, field) for s in stats)
    rules = {r["code"]: r for r in data["rules"]}
    # the two May cases (due in November) and the December 2025 one (due in June)
    assert rules["CASE_DURATION"]["overdue"] == 3
    live = Deadline.objects.filter(
        rule__code="CASE_DURATION", completed_at__isnull=True, due_at__lt=AT, paused_at__isnull=True
    ).count()
    assert rules["CASE_DURATION"]["overdue"] == live
    assert rules["FUNDS_NOTICE"]["overdue"] == 1
    assert rules["CONTROL_EXPIRY"]["due_30"] == 1
    # SEARCH_START of the 终本 case was met in January; every stale case breached it
    search = rules["SEARCH_START"]
    assert search["breach_rate"] == round(search["breached"] / (search["met"] + search["breached"]), 4)
    assert data["totals"]["breach_rate"] == round(
        data["totals"]["breached"] / (data["totals"]["met"] + data["totals"]["breached"]), 4
    )


def test_per_court_rows_roll_each_child_up_and_keep_the_courts_own_figures_apart(world, court_leader, courts):
    data = dashboard_data(user=court_leader, now=AT)
    rows = {c["code"]: c for c in data["courts"]}

    assert list(rows) == ["鲁", "鲁01", "鲁02"]
    assert rows["鲁"]["is_self"] and rows["鲁"]["open"] == 0
    by_court = {s.court_id: s for s in CourtRuleStat.objects.all()}
    under_lu01 = [s for s in CourtRuleStat.objects.filter(court__path__startswith=courts.lu01.path)]
    assert rows["鲁01"]["overdue"] == sum(s.overdue for s in under_lu01) > 0
    assert rows["鲁02"]["overdue"] == sum(
        s.overdue for s in CourtRuleStat.objects.filter(court=courts.lu0202)
    )
    assert by_court  # counters exist
    # drilling into 鲁01 splits it into itself and its two basic courts
    drilled = dashboard_data(user=court_leader, court="鲁01", now=AT)
    assert [c["code"] for c in drilled["courts"]] == ["鲁01", "鲁0102", "鲁0103"]
    assert [b["code"] for b in drilled["breadcrumb"]] == ["鲁", "鲁01"]
    assert drilled["totals"]["overdue"] == rows["鲁01"]["overdue"]


def test_trend_shows_the_alerts_the_scan_raised_today(world, court_leader):
    data = dashboard_data(user=court_leader, now=AT)

    assert len(data["trend"]) == 30
    assert data["trend"][-1]["date"] == "2026-11-20"
    assert data["trend"][-1]["raised"] == Alert.objects.count() > 0
    assert all(day["raised"] == 0 for day in data["trend"][:-1])


def test_case_lists_are_live_and_link_to_the_case(world, court_leader):
    data = dashboard_data(user=court_leader, now=AT)

    top = data["top_overdue"]
    assert top == sorted(top, key=lambda r: (r["due_at"], r["deadline"]))
    assert {"(2026)鲁0102执501号", "(2026)鲁0202执502号", "(2026)鲁0102执505号"} <= numbers(top)
    first = top[0]
    assert first["url"] == f"/cases/{first['case_id']}/"
    assert first["days_overdue"] == (AT.date() - dt.date.fromisoformat(first["due_date"])).days > 0

    assert numbers(data["funds"]["cases"]) == {"(2026)鲁0102执503号"}
    assert (data["funds"]["notice_overdue"], data["funds"]["payment_overdue"]) == (1, 0)
    assert data["funds"]["cases"][0]["rule"] == "FUNDS_NOTICE"

    expiring = data["control_expiring"]
    assert expiring["count"] == 1
    assert numbers(expiring["cases"]) == {"(2025)鲁0103执504号"}
    assert expiring["cases"][0]["due_date"] == "2026-12-15"
    assert expiring["cases"][0]["days_left"] == 25


def test_unidentified_receipts_by_age(world, court_leader):
    receipts = dashboard_data(user=court_leader, now=AT)["unidentified_receipts"]

    assert (receipts["count"], receipts["amount"]) == (2, "2000.00")
    counts = {b["label"]: (b["count"], b["amount"]) for b in receipts["buckets"]}
    assert counts == {
        "7日以内": (1, "800.00"),
        "8至30日": (0, "0.00"),
        "31至90日": (0, "0.00"),
        "90日以上": (1, "1200.00"),
    }
    assert receipts["oldest_days"] == 111


def test_a_stopped_clock_leaves_the_live_lists_at_once(world, court_leader, clerk):
    # the freeze is renewed: its expiry clock stops and the list no longer shows it
    measure = world.deposit.measures.get()
    measure_services.control_renew(actor=world.clerk0103, measure=measure, renewed_at=at("2026-11-20 09:00"))
    data = dashboard_data(user=court_leader, now=AT)
    assert "(2025)鲁0103执504号" not in numbers(data["control_expiring"]["cases"])


def test_the_result_is_json(world, court_leader):
    data = dashboard_data(user=court_leader, now=AT)
    assert json.loads(json.dumps(data)) == data


# --- scoping ---------------------------------------------------------------------------------------


def test_a_supervisor_sees_their_subtree_and_nothing_of_the_sibling_branch(world, case_supervisor):
    data = dashboard_data(user=case_supervisor, now=AT)

    assert data["court"]["code"] == "鲁01"
    assert [c["code"] for c in data["courts"]] == ["鲁01", "鲁0102", "鲁0103"]
    text = everything(data)
    assert "鲁0202" not in text and "鲁02" not in [c["code"] for c in data["courts"]]
    lu01 = CourtRuleStat.objects.filter(court__path__startswith="/最高法/鲁/鲁01/")
    assert data["totals"]["overdue"] == sum(s.overdue for s in lu01)


def test_a_court_outside_the_view_is_not_found(world, case_supervisor):
    from core.exceptions import NotFound

    with pytest.raises(NotFound):
        dashboard_data(user=case_supervisor, court="鲁02")
    with pytest.raises(NotFound):
        dashboard_data(user=case_supervisor, court="鲁")  # above, not below
    with pytest.raises(NotFound):
        dashboard_data(user=case_supervisor, court="没有这个法院")


def test_a_basic_court_supervisor_sees_only_their_court(world, courts):
    local = make_member(Role.CASE_SUPERVISOR, courts.lu0202, "sup0202")
    data = dashboard_data(user=local, now=AT)

    assert [c["code"] for c in data["courts"]] == ["鲁0202"]
    assert numbers(data["top_overdue"]) == {"(2026)鲁0202执502号"}
    assert data["unidentified_receipts"]["count"] == 0
    assert data["funds"]["cases"] == [] and data["control_expiring"]["cases"] == []


# --- cost -----------------------------------------------------------------------------------------


def test_a_constant_number_of_queries_whatever_the_size(
    world, court_leader, courts, clerk, django_assert_num_queries
):
    dashboard_data(user=court_leader, now=AT)  # warm caches (content types)
    court_leader = type(court_leader).objects.get(pk=court_leader.pk)
    with django_assert_num_queries(10):
        small = dashboard_data(user=court_leader, now=AT)
    # more courts, more cases, more clocks and alerts
    from tests.core.factories import make_court

    extra = make_court("鲁0104", "槐荫区人民法院", parent=courts.lu01)
    clerk0104 = make_member(Role.CLERK, extra, "clerk0104")
    for n in range(6):
        make_case(
            clerk0104, extra, number=f"(2026)鲁0104执6{n}号", received="2026-06-01 10:00", filed="2026-06-01"
        )
        make_case(
            clerk,
            courts.lu0102,
            number=f"(2026)鲁0102执7{n}号",
            received="2026-06-01 10:00",
            filed="2026-06-01",
        )
    scan_all()
    court_leader = type(court_leader).objects.get(pk=court_leader.pk)
    with django_assert_num_queries(10):
        big = dashboard_data(user=court_leader, now=AT)
    assert big["totals"]["overdue"] > small["totals"]["overdue"]
    assert len(big["top_overdue"]) == 20


def test_the_lateral_probe_matches_a_plain_ordered_query(world, courts):
    ids = list(Court.objects.values_list("pk", flat=True))
    expected = list(
        Deadline.objects.filter(
            completed_at__isnull=True,
            status__in=[DeadlineStatus.OPEN, DeadlineStatus.BREACHED],
            paused_at__isnull=True,
            due_at__lt=AT,
        )
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)
    )
    assert running_clock_ids(ids, "overdue", AT, limit=100) == expected
    assert running_clock_ids(ids, "overdue", AT, offset=2, limit=3) == expected[2:5]
    funds_expected = [pk for pk in expected if Deadline.objects.get(pk=pk).rule.code.startswith("FUNDS_")]
    assert (
        running_clock_ids(ids, "overdue", AT, rule_codes=("FUNDS_NOTICE", "FUNDS_PAYMENT")) == funds_expected
    )


def test_deep_pages_sort_once_instead_of_probing(world, monkeypatch):
    from supervision.selectors import clocks

    ids = list(Court.objects.values_list("pk", flat=True))
    probed = running_clock_ids(ids, "overdue", AT, offset=3, limit=4)
    monkeypatch.setattr(clocks, "LATERAL_MAX_DEPTH", 2)
    assert running_clock_ids(ids, "overdue", AT, offset=3, limit=4) == probed


def test_long_lists_stop_counting_at_the_cap(world, client, court_leader, monkeypatch):
    from supervision.selectors import clocks

    monkeypatch.setattr(clocks, "COUNT_CAP", 2)
    listing = clocks.RunningClockList(list(Court.objects.values_list("pk", flat=True)), "overdue", AT)
    assert listing.count() == 2 and listing.capped is True
    assert listing.exact_count() > 2
    client.force_login(court_leader)
    html = client.get(reverse("supervision:clocks"), {"status": "overdue"}).content.decode()
    assert "超过 2 条，只列出前 2 条" in html


# --- the page ---------------------------------------------------------------------------------------


def test_the_page_shows_charts_and_their_tables(world, client, court_leader):
    client.force_login(court_leader)
    r = client.get(reverse("supervision:dashboard"))

    assert r.status_code == 200
    html = r.content.decode()
    assert "vendor/echarts/echarts.min.js" in html and "supervision/dashboard.js" in html
    assert 'id="dashboard-data"' in html and 'id="chart-rules"' in html
    for table in (
        "table-rules",
        "table-courts",
        "table-trend",
        "table-overdue",
        "table-funds",
        "table-receipts",
        "table-control",
        "table-ack",
    ):
        assert f'id="{table}"' in html
    assert "统计截至 2026-11-20 12:00" in html
    assert "(2026)鲁0202执502号" in html  # the high court sees both branches
    assert f'href="/cases/{world.funded.pk}/"' in html
    # a court row drills down, a rule number opens its case list
    assert 'href="/supervision/?court=%E9%B2%8101"' in html
    assert "/supervision/clocks/?rule=CASE_DURATION&amp;status=overdue" in html
    assert html.count('data-export="supervision.dashboard.') == 7


def test_the_page_prints_amounts_with_thousands_separators(world, client, court_leader):
    client.force_login(court_leader)

    html = client.get(reverse("supervision:dashboard")).content.decode()

    receipts = html.split('id="table-receipts"')[1].split("</table>")[0]
    for amount in ("800.00", "1,200.00", "2,000.00"):  # the buckets and their total, grouped
        assert f'<td class="num">{amount}</td>' in receipts
    assert "2000.00" not in receipts and "1200.00" not in receipts


def test_drilling_down_and_out_of_scope(world, client, case_supervisor):
    client.force_login(case_supervisor)
    r = client.get(reverse("supervision:dashboard"), {"court": "鲁0102"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "历下区人民法院" in html and "(2026)鲁0102执501号" in html and "(2025)鲁0103执504号" not in html
    assert client.get(reverse("supervision:dashboard"), {"court": "鲁02"}).status_code == 404
    assert client.get(reverse("supervision:dashboard"), {"court": "鲁0202"}).status_code == 404


def test_only_supervisory_posts_open_the_dashboard(world, client, handler, inspector, bureau_head):
    client.force_login(handler)
    assert client.get(reverse("supervision:dashboard")).status_code == 403
    for user in (inspector, bureau_head):
        client.force_login(user)
        assert client.get(reverse("supervision:dashboard")).status_code == 200
    client.logout()
    assert client.get(reverse("supervision:dashboard")).status_code == 302


def test_the_page_costs_a_fixed_number_of_queries(world, client, court_leader, django_assert_num_queries):
    client.force_login(court_leader)
    client.get(reverse("supervision:dashboard"))
    # session, user, memberships, the permissions behind the navigation (2), and the
    # dashboard's nine
    # +7: the navigation's counts — one COUNT per work source of the role, the 待办 total, API token (issue 16)
    with django_assert_num_queries(23):  # +1 the bell's unread COUNT (issue 16); +1 一案双查待办
        assert client.get(reverse("supervision:dashboard")).status_code == 200
    with django_assert_num_queries(23):  # +1 the bell's unread COUNT (issue 16); +1 一案双查待办
        assert client.get(reverse("supervision:dashboard"), {"court": "鲁01"}).status_code == 200


def test_the_clock_list_behind_a_number(world, client, case_supervisor, django_assert_num_queries):
    client.force_login(case_supervisor)
    url = reverse("supervision:clocks")
    r = client.get(url, {"rule": "CASE_DURATION", "status": "overdue"})
    assert r.status_code == 200
    html = r.content.decode()
    assert (
        "(2026)鲁0102执501号" in html and "(2025)鲁0103执504号" in html and "(2026)鲁0202执502号" not in html
    )
    assert "共 2 条" in html
    r = client.get(url, {"rule": "CONTROL_EXPIRY", "status": "due_30", "court": "鲁0103"})
    assert "(2025)鲁0103执504号" in r.content.decode()
    assert client.get(url, {"status": "nonsense"}).status_code == 400
    assert client.get(url, {"status": "overdue", "court": "鲁0202"}).status_code == 404
    # (+2: the calendar banner's two (loaded years, provisional counters: the suite's today is in November, next year not loaded))
    # +5: the navigation's counts — one COUNT per work source of the role, the 待办 total, API token (issue 16)
    with django_assert_num_queries(18):  # +1 the bell's unread COUNT (issue 16); +1 一案双查待办
        client.get(url, {"status": "overdue"})


# --- REST ---------------------------------------------------------------------------------------------


def test_api_returns_the_same_data(world, as_user, court_leader):
    r = as_user(court_leader).get("/api/v1/dashboard/")
    assert r.status_code == 200
    body = r.json()
    expected = dashboard_data(user=court_leader)
    assert body["totals"] == expected["totals"]
    assert body["courts"] == expected["courts"]
    assert numbers(body["top_overdue"]) == numbers(expected["top_overdue"])
    assert body["court"] == {"code": "鲁", "name": "山东省高级人民法院", "level": "high"}
    assert reverse("api-dashboard") == "/api/v1/dashboard/"


def test_api_court_outside_the_view_is_a_404_in_contract_shape(world, as_user, case_supervisor):
    r = as_user(case_supervisor).get("/api/v1/dashboard/", {"court": "鲁02"})
    assert r.status_code == 404
    assert set(r.json()) == {"code", "message", "extra"} and r.json()["code"] == "not_found"
    r = as_user(case_supervisor).get("/api/v1/dashboard/", {"court": "鲁0102"})
    assert r.status_code == 200 and r.json()["court"]["code"] == "鲁0102"


def test_api_client_sees_its_own_court_only(world, api_client, courts):
    _user, key = api_client_create(court=courts.lu0202, name="鲁0202审判系统")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    body = api_client.get("/api/v1/dashboard/").json()
    assert [c["code"] for c in body["courts"]] == ["鲁0202"]
    assert numbers(body["top_overdue"]) == {"(2026)鲁0202执502号"}
    assert "鲁0102" not in everything(body)
    assert api_client.get("/api/v1/dashboard/", {"court": "鲁01"}).status_code == 404


def test_api_refuses_people_without_a_supervisory_post(world, as_user, handler, api_client):
    r = as_user(handler).get("/api/v1/dashboard/")
    assert r.status_code == 403 and r.json()["code"] == "permission_denied"
    assert api_client.get("/api/v1/dashboard/").status_code == 401


def test_api_query_count_is_pinned(world, as_user, court_leader, django_assert_num_queries):
    as_user(court_leader).get("/api/v1/dashboard/")
    # a fresh user, as with token authentication: memberships + the dashboard's nine
    client = as_user(type(court_leader).objects.get(pk=court_leader.pk))
    with django_assert_num_queries(10):
        assert client.get("/api/v1/dashboard/").status_code == 200


def test_asset_rows_are_the_services_not_hand_made(world):
    # guard: the fixture went through the services (the asset is still only found)
    assert Asset.objects.get(pk=world.house.pk).status == "found"
    assert (
        Deadline.objects.get(subject_id=world.house.pk, rule__code="CONTROL_AFTER_FEEDBACK").status
        == "breached"
    )
