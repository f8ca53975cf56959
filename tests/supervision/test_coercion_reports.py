"""Issue 15, supervision side of the 强制措施 register: the screening of 终本 cases that lack a
sanction / search / referral, and the 拒执 referrals report (page, Excel, REST), court-scoped."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.exports import export_start
from core.models import ExportJob, Role
from core.tasks import run_export
from enforcement.services import coercion as coercion_services
from supervision.selectors.referrals import referral_report
from supervision.selectors.screening import screening_list
from tests.conftest import at
from tests.core.factories import make_member
from tests.enforcement.factories import make_case
from tests.supervision.factories import terminated_case

NOW = at("2026-11-21 10:00")


def respondent(case):
    return case.parties.get(role="respondent")


def export_rows(user, key, params, capture):
    with capture(execute=False):
        job = export_start(user=user, key=key, params=params)
    run_export(job_id=str(job.pk))
    job = ExportJob.objects.get(pk=job.pk)
    assert job.status == "done", job.error
    return list(load_workbook(io.BytesIO(bytes(job.content))).active.iter_rows(values_only=True))


def screened(user, **params):
    listing = screening_list(user=user, kind="coercion_missing", params=params, now=NOW)
    return listing[0 : listing.count()]


@pytest.fixture
def terminated(courts, clerk, bureau_head):
    """Two 终本 cases of 鲁0102 (closed 2026-04-20) and one of 鲁0103."""
    clerk0103 = make_member(Role.CLERK, courts.lu0103, "clerk0103")
    head0103 = make_member(Role.BUREAU_HEAD, courts.lu0103, "head0103")
    return (
        terminated_case(clerk, bureau_head, courts.lu0102, number="(2026)鲁0102执601号"),
        terminated_case(clerk, bureau_head, courts.lu0102, number="(2026)鲁0102执602号"),
        terminated_case(clerk0103, head0103, courts.lu0103, number="(2026)鲁0103执603号"),
        clerk0103,
    )


def test_screening_lists_terminated_cases_whose_indication_went_unanswered(terminated, clerk, bureau_head, case_supervisor, court_leader):
    a, b, c, clerk0103 = terminated
    assert screened(case_supervisor) == []
    # evasion found by the re-search on a: not sanctioned; b: 下落不明 then searched for; c: refused report
    coercion_services.coercion_finding_record(actor=clerk, case=a, party_id=respondent(a).pk, kind="evasion",
                                              found_at=at("2026-05-10 10:00"), note="转移车辆")
    coercion_services.coercion_finding_record(actor=clerk, case=b, party_id=respondent(b).pk, kind="whereabouts_unknown",
                                              found_at=at("2026-05-11 10:00"), note="法定代表人失联")
    coercion_services.coercion_finding_record(actor=clerk0103, case=c, party_id=respondent(c).pk, kind="report_refused",
                                              found_at=at("2026-05-12 10:00"), note="拒不申报")
    listed = screened(court_leader)
    assert {r["case_number"] for r in listed} == {"(2026)鲁0102执601号", "(2026)鲁0102执602号", "(2026)鲁0103执603号"}
    assert [f["kind"] for f in next(r for r in listed if r["case_id"] == a.pk)["findings"]] == ["evasion"]
    # scoped by court: 鲁0102's bureau head sees only 鲁0102
    assert {r["case_number"] for r in screened(bureau_head)} == {"(2026)鲁0102执601号", "(2026)鲁0102执602号"}
    assert screening_list(user=court_leader, kind="coercion_missing", params={"court": "鲁0103"}, now=NOW).count() == 1
    # answered: a fine on a (after the finding), a search on b; a search does not answer c's refusal
    coercion_services.coercion_entry_record(actor=clerk, case=a, kind="fine", party_id=respondent(a).pk,
                                            decided_at=at("2026-05-20 10:00"), document_number="(2026)鲁0102司惩7号",
                                            amount=Decimal("60000.00"))
    coercion_services.coercion_entry_record(actor=clerk, case=b, kind="whereabouts_search", party_id=respondent(b).pk,
                                            decided_at=at("2026-05-21 10:00"), document_number="查找记录",
                                            note="公安协查，已找到")
    coercion_services.coercion_entry_record(actor=clerk0103, case=c, kind="whereabouts_search", party_id=respondent(c).pk,
                                            decided_at=at("2026-05-21 10:00"), document_number="查找记录", note="已找到")
    assert [r["case_number"] for r in screened(court_leader)] == ["(2026)鲁0103执603号"]
    # a sanction dated before the finding does not answer it
    coercion_services.coercion_finding_record(actor=clerk, case=a, party_id=respondent(a).pk, kind="report_false",
                                              found_at=at("2026-06-01 10:00"), note="隐瞒房产")
    assert [r["case_number"] for r in screened(bureau_head)] == ["(2026)鲁0102执601号"]


def test_screening_tab_rest_and_export(terminated, clerk, case_supervisor, client, api_client,
                                      django_capture_on_commit_callbacks):
    a, _b, _c, _ = terminated
    coercion_services.coercion_finding_record(actor=clerk, case=a, party_id=respondent(a).pk, kind="evasion",
                                              found_at=at("2026-05-10 10:00"), note="转移车辆")
    client.force_login(case_supervisor)
    page = client.get(reverse("supervision:screening"), {"kind": "coercion_missing"}).content.decode()
    assert "终本案件缺强制措施" in page and "(2026)鲁0102执601号" in page and "规避/妨害执行" in page
    api_client.force_authenticate(case_supervisor)
    body = api_client.get("/api/v1/screening/coercion_missing/").json()
    assert body["count"] == 1 and body["results"][0]["findings"][0]["kind"] == "evasion"
    values = export_rows(case_supervisor, "supervision.screening.coercion_missing", {}, django_capture_on_commit_callbacks)
    assert values[0][:2] == ("案号", "法院")
    assert any(row[0] == "(2026)鲁0102执601号" and "规避/妨害执行" in (row[4] or "") for row in values)


# --- 拒执 referrals report -------------------------------------------------------------------------


@pytest.fixture
def referrals(courts, clerk):
    """鲁0102: police (filed), police (pending), private (convicted), and one in January; 鲁0103: private."""
    clerk0103 = make_member(Role.CLERK, courts.lu0103, "clerk0103")
    a = make_case(clerk, courts.lu0102, number="(2026)鲁0102执701号", received="2026-01-05 10:00", filed="2026-01-05")
    b = make_case(clerk0103, courts.lu0103, number="(2026)鲁0103执702号", received="2026-01-05 10:00", filed="2026-01-05")

    def refer(actor, case, route, day, outcome=None, outcome_on=None):
        entry = coercion_services.coercion_entry_record(
            actor=actor, case=case, kind="refusal_crime_referral", party_id=respondent(case).pk, route=route,
            decided_at=at(f"{day} 10:00"), document_number=f"移送函{day}",
        )
        if outcome:
            coercion_services.referral_outcome_record(actor=actor, entry=entry, outcome=outcome,
                                                      outcome_on=dt.date.fromisoformat(outcome_on))
        return entry

    refer(clerk, a, "police", "2026-01-20")
    refer(clerk, a, "police", "2026-03-10", "filed", "2026-03-20")
    refer(clerk, a, "police", "2026-04-10")
    refer(clerk, a, "private", "2026-05-10", "convicted", "2026-09-30")
    refer(clerk0103, b, "private", "2026-06-10")
    return a, b


def test_report_counts_by_court_route_and_outcome_in_the_period(referrals, case_supervisor, bureau_head):
    data = referral_report(user=case_supervisor, params={"from": "2026-02-01", "to": "2026-12-31"})
    lines = {c["code"]: c for c in data["courts"]}
    assert set(lines) == {"鲁01", "鲁0102", "鲁0103"}
    assert lines["鲁0102"]["total"] == 3  # the January referral is outside the period
    assert lines["鲁0102"]["by_route"] == {"police": 2, "private": 1}
    assert lines["鲁0102"]["by_route_outcome"]["police"] == {
        "pending": 1, "filed": 1, "not_filed": 0, "convicted": 0, "acquitted": 0, "withdrawn": 0}
    assert lines["鲁0102"]["by_outcome"]["convicted"] == 1
    assert (lines["鲁0103"]["total"], lines["鲁0103"]["by_route"]["private"], lines["鲁01"]["total"]) == (1, 1, 0)
    assert data["total"]["total"] == 4 and data["total"]["by_outcome"]["pending"] == 2
    assert [c["case_number"] for c in data["cases"]].count("(2026)鲁0102执701号") == 3
    # whole period: the January referral too; 鲁0102's bureau head sees 鲁0102 only
    mine = referral_report(user=bureau_head, params={})
    assert mine["total"]["total"] == 4 and {c["court"] for c in mine["cases"]} == {"鲁0102"}


def test_report_page_rest_and_excel(referrals, case_supervisor, client, api_client, django_capture_on_commit_callbacks):
    client.force_login(case_supervisor)
    r = client.get(reverse("supervision:referrals"), {"from": "2026-02-01"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "拒执罪移送统计" in html and "移送公安机关" in html and "(2026)鲁0103执702号" in html
    r = client.get(reverse("supervision:referrals"), {"from": "2026-12-01", "to": "2026-01-01"})
    assert r.status_code == 400 and "开始日期不能晚于结束日期" in r.content.decode()
    api_client.force_authenticate(case_supervisor)
    body = api_client.get("/api/v1/referrals/", {"court": "鲁0102", "from": "2026-02-01"}).json()
    assert body["total"]["total"] == 3 and body["total"]["by_route_outcome"]["private"]["convicted"] == 1
    assert api_client.get("/api/v1/referrals/", {"from": "x"}).status_code == 400
    rows = {r[0]: r for r in export_rows(case_supervisor, "supervision.referrals", {"from": "2026-02-01"},
                                         django_capture_on_commit_callbacks) if r and r[0] in ("鲁0102", "鲁0103")}
    assert rows["鲁0102"][2:5] == (3, 2, 1) and rows["鲁0103"][2] == 1
    cases = export_rows(case_supervisor, "supervision.referrals.cases", {"court": "鲁0103"}, django_capture_on_commit_callbacks)
    assert [r[0] for r in cases[1:]] == ["(2026)鲁0103执702号"]
