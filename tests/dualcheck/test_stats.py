"""一案双查 statistics (通报): numbers counted by hand for a few clues, scoped to the
user, filtered by year and court, the disciplinary count hidden from who may not
read it (and not derivable from the totals), a pinned query count, the page, the
Excel export and the REST endpoint."""

import datetime as dt
import io

import pytest
from django.urls import include, path, reverse
from openpyxl import load_workbook

from core.exports import export_start
from core.models import ExportJob, ExportStatus, Role, User
from core.tasks import run_export
from dualcheck.api import stats as stats_api
from dualcheck.models import ClueSource
from dualcheck.services import clues as s_clues
from dualcheck.stats import clue_stats, stats_params
from tests.core.factories import make_member
from tests.dualcheck.factories import advance, register
from tests.dualcheck.test_report_editor import browser

pytestmark = pytest.mark.django_db

# The REST endpoint is wired by dualcheck/api/urls.py; this module is its own URLconf
# for the API tests: the endpoint first, then the whole site (the services the
# fixtures call link their notifications to the browser pages).
urlpatterns = [path("api/v1/", include(stats_api.urlpatterns)), path("", include("config.urls"))]


def fresh(user) -> User:
    return User.objects.get(pk=user.pk)


def counts(rows) -> dict:
    return {r["key"]: r["count"] for r in rows if r["count"] != 0}


def courts_of(rows) -> dict:
    return {r["code"]: (r["count"], r["open"], r["closed"]) for r in rows}


@pytest.fixture
def clues(dc, now):
    """鲁01: A (来信来访, concluded with a deadline order and a disciplinary
    referral), B (巡查, received last year, at the joint meeting), C (人大代表,
    screened out). 鲁02: D (其他, just received)."""
    a = advance(dc, register(dc), "concluded")
    last_year = now - dt.timedelta(days=366)
    b = register(dc, source=ClueSource.INSPECTION, received_at=last_year)
    c = register(dc, source=ClueSource.DEPUTIES)
    s_clues.clue_screen(actor=dc.working_group, clue=c, proceed=False, opinion="不具体，不予启动。")
    d = register(
        dc, actor=dc.sibling_head, court=dc.courts.lu02, source=ClueSource.OTHER, cases=[], officers=[]
    )
    for clue in (a, b, c, d):
        clue.refresh_from_db()
    return a, b, c, d


def test_the_numbers_for_the_handling_courts_inspector(dc, clues):
    data = clue_stats(user=fresh(dc.inspector), params={})

    assert (data["total"], data["open"], data["closed"], data["not_launched"]) == (3, 2, 0, 1)
    assert counts(data["by_source"]) == {"letters_visits": 1, "inspection": 1, "deputies": 1}
    assert counts(data["by_status"]) == {"concluded": 1, "pending_meeting": 1, "not_launched": 1}
    assert [r["key"] for r in data["by_status"]][:3] == ["received", "screened", "pending_meeting"]
    assert counts(data["by_finding"]) == {"substantiated": 1}
    assert counts(data["by_disposition"]) == {"deadline_order": 1, "disciplinary": 1}
    assert data["dispositions_total"] == 2 and data["disciplinary_visible"]
    assert courts_of(data["by_court"]) == {"鲁01": (3, 2, 0)}
    assert courts_of(data["by_target_court"]) == {"鲁0102": (1, 1, 0)}


def test_the_disciplinary_count_is_hidden_from_a_bureau_head(dc, clues):
    data = clue_stats(user=fresh(dc.head), params={})

    assert data["total"] == 3  # sees the clues …
    assert counts(data["by_disposition"]) == {"deadline_order": 1, "disciplinary": None}
    assert not data["disciplinary_visible"]
    assert data["dispositions_total"] == 1  # … and no total gives the hidden one away
    # the joint team's bureau head lost the team's access with the conclusion
    lower = clue_stats(user=fresh(dc.lower_head), params={})
    assert lower["total"] == 1 and counts(lower["by_disposition"])["disciplinary"] is None
    # the lower court's supervision department reads it
    assert counts(clue_stats(user=fresh(dc.lower_inspector), params={})["by_disposition"]) == {
        "deadline_order": 1,
        "disciplinary": 1,
    }


def test_each_user_counts_only_the_clues_they_see(dc, clues):
    leader = clue_stats(user=fresh(dc.leader), params={})
    assert leader["total"] == 4
    assert courts_of(leader["by_court"]) == {"鲁01": (3, 2, 0), "鲁02": (1, 1, 0)}
    assert clue_stats(user=fresh(dc.sibling_inspector), params={})["total"] == 1
    assert clue_stats(user=fresh(dc.officer), params={})["total"] == 0
    assert clue_stats(user=fresh(dc.clerk), params={})["total"] == 0


def test_an_inspector_without_confidential_clues_counts_zero_not_hidden(dc, clues):
    data = clue_stats(user=fresh(dc.sibling_inspector), params={})
    assert counts(data["by_disposition"]) == {} and data["disciplinary_visible"]


def test_filters_by_year_and_court(dc, clues, today):
    this_year = today.year
    leader = fresh(dc.leader)

    assert clue_stats(user=leader, params=stats_params(leader, {"year": str(this_year)}))["total"] == 3
    data = clue_stats(user=leader, params=stats_params(leader, {"court": "鲁02"}))
    assert data["total"] == 1 and data["filters"]["court"]["code"] == "鲁02"
    # a court in the subtree: clues investigated there count too
    assert clue_stats(user=leader, params=stats_params(leader, {"court": "鲁0102"}))["total"] == 1


def test_bad_filters(dc, clues):
    from core.exceptions import NotFound, ValidationFailed

    with pytest.raises(ValidationFailed):
        stats_params(dc.inspector, {"year": "20x6"})
    with pytest.raises(ValidationFailed):
        stats_params(dc.inspector, {"year": "2001"})
    with pytest.raises(NotFound):
        stats_params(dc.inspector, {"court": "鲁02"})  # a sibling court


def test_the_query_count_does_not_grow_with_the_data(dc, clues, django_assert_num_queries):
    # memberships, the court filter, the one-row aggregate, handling courts,
    # investigating courts, dispositions
    leader = fresh(dc.leader)
    with django_assert_num_queries(6):
        clue_stats(user=leader, params={"year": 2026, "court": "鲁01"})
    for _ in range(3):
        advance(dc, register(dc), "concluded")
    leader = fresh(dc.leader)
    with django_assert_num_queries(5):
        clue_stats(user=leader, params={})


# --- the page ------------------------------------------------------------------------------


def test_the_page(dc, clues):
    html = browser(dc.inspector).get(reverse("dualcheck:stats")).content.decode()

    assert 'data-kpi="total">3<' in html
    assert 'data-count="disciplinary">1<' in html
    assert 'data-count="鲁01">3<' in html
    assert 'id="stats-data"' in html and "vendor/echarts/echarts.min.js" in html
    assert 'data-export="dualcheck.stats"' in html


def test_the_page_hides_the_disciplinary_count_from_a_bureau_head(dc, clues):
    html = browser(dc.head).get(reverse("dualcheck:stats")).content.decode()

    assert 'data-count="disciplinary"><span class="muted"' in html
    assert "无权查看" in html


def test_the_page_filters_and_refuses(dc, clues):
    client = browser(dc.leader)
    html = client.get(reverse("dualcheck:stats"), {"court": "鲁02"}).content.decode()
    assert 'data-kpi="total">1<' in html
    assert client.get(reverse("dualcheck:stats"), {"year": "abc"}).status_code == 422
    assert browser(dc.inspector).get(reverse("dualcheck:stats"), {"court": "鲁02"}).status_code == 404


# --- export --------------------------------------------------------------------------------


def sheet(job) -> list[tuple]:
    job = ExportJob.objects.get(pk=job.pk)
    assert job.status == ExportStatus.DONE, job.error
    return list(load_workbook(io.BytesIO(bytes(job.content))).active.iter_rows(values_only=True))


@pytest.mark.parametrize(("who", "disciplinary"), [("inspector", 1), ("head", "无权查看")])
def test_the_export_produces_the_workbook(dc, clues, who, disciplinary, django_capture_on_commit_callbacks):
    user = getattr(dc, who)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = export_start(user=user, key="dualcheck.stats", params={"year": "", "court": "鲁01"})
    assert len(callbacks) == 1
    run_export(job_id=str(job.pk))

    rows = sheet(job)
    assert rows[0] == ("类别", "项目", "数量", "未办结", "已办结")
    assert rows[1] == ("合计", "线索总数", 3, 2, 0)
    by_label = {(r[0], r[1]): r[2] for r in rows[1:]}
    assert by_label[("线索来源", "司法巡查或审务督察发现")] == 1
    assert by_label[("处理方式", "违纪行为处分（移送）")] == disciplinary
    assert by_label[("受理法院", "济南市中级人民法院（鲁01）")] == 3


def test_the_export_is_registered_at_startup():
    from core.exports import registered

    assert "dualcheck.stats" in registered()


# --- REST ----------------------------------------------------------------------------------


@pytest.mark.urls(__name__)
def test_the_api(dc, clues, as_user):
    response = as_user(dc.inspector).get("/api/v1/dualcheck/stats/")

    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 3 and body["filters"] == {"year": None, "court": None}
    assert {r["key"]: r["count"] for r in body["by_disposition"]}["disciplinary"] == 1
    assert body["by_court"] == [
        {"code": "鲁01", "name": "济南市中级人民法院", "count": 3, "open": 2, "closed": 0}
    ]

    hidden = as_user(dc.head).get("/api/v1/dualcheck/stats/").json()
    assert {r["key"]: r["count"] for r in hidden["by_disposition"]}["disciplinary"] is None
    assert hidden["dispositions_total"] == 1


@pytest.mark.urls(__name__)
def test_the_api_filters_and_errors(dc, clues, as_user, today):
    client = as_user(dc.leader)
    assert client.get("/api/v1/dualcheck/stats/", {"court": "鲁02"}).json()["total"] == 1
    year = today.year
    assert client.get("/api/v1/dualcheck/stats/", {"year": year}).json()["total"] == 3
    bad = client.get("/api/v1/dualcheck/stats/", {"year": "x"})
    assert bad.status_code == 400 and "year" in bad.json()["extra"]["fields"]
    assert as_user(dc.inspector).get("/api/v1/dualcheck/stats/", {"court": "鲁02"}).status_code == 404
    assert as_user(dc.officer).get("/api/v1/dualcheck/stats/").json()["total"] == 0


@pytest.mark.urls(__name__)
def test_an_api_client_sees_its_court(dc, clues):
    from rest_framework.test import APIClient

    from core.services.people import api_client_create

    machine, key = api_client_create(court=dc.courts.lu01, name="指挥中心")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    body = client.get("/api/v1/dualcheck/stats/").json()
    assert body["total"] == 3
    assert {r["key"]: r["count"] for r in body["by_disposition"]}["disciplinary"] is None


def test_the_api_schema_has_no_warning():
    from drf_spectacular.drainage import GENERATOR_STATS, reset_generator_stats
    from drf_spectacular.generators import SchemaGenerator

    generator = SchemaGenerator(patterns=urlpatterns)
    reset_generator_stats()
    try:
        with GENERATOR_STATS.silence():
            schema = generator.get_schema(request=None, public=True)
        emitted = [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
    finally:
        reset_generator_stats()
    assert emitted == []
    operation = schema["paths"]["/api/v1/dualcheck/stats/"]["get"]
    assert operation["operationId"] == "dualcheck_stats_retrieve"
    assert {p["name"] for p in operation["parameters"]} >= {"year", "court"}


def test_a_revoked_inspector_stops_counting_confidential(dc, clues):
    from tests.dualcheck.factories import revoke

    make_member(Role.BUREAU_HEAD, dc.courts.lu01, dc.inspector.username)  # keeps seeing the clues
    revoke(dc.inspector, dc.courts.lu01, Role.INSPECTOR)

    data = clue_stats(user=fresh(dc.inspector), params={})
    assert data["total"] == 3 and counts(data["by_disposition"])["disciplinary"] is None


def test_the_page_query_count_does_not_grow(dc, clues):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = browser(dc.leader)
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("dualcheck:stats"))
    register(dc, actor=dc.sibling_head, court=dc.courts.lu02, cases=[], officers=[])
    advance(dc, register(dc), "concluded")
    with CaptureQueriesContext(connection) as after:
        html = client.get(reverse("dualcheck:stats")).content.decode()
    assert 'data-kpi="total">6<' in html
    assert len(after.captured_queries) == len(before.captured_queries)
