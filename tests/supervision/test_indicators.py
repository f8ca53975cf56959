"""Quality indicators (``supervision.selectors.indicators``): each rate against hand-counted
cases made by the real services, per court and in total, with and without a
period; scoping; the petition rate with and without the petition module; the
page with its formulas, the REST endpoint and the export."""

import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.exceptions import NotFound, ValidationFailed
from core.exports import export_start
from core.models import CourtLevel, DeadlineStatus, ExportJob, Role
from core.tasks import run_export
from custody_funds.services import funds
from enforcement.models import ClosureType
from enforcement.services import closure as closure_services
from supervision.models import CourtRuleStat
from supervision.selectors import indicators as indicators_module
from supervision.selectors.indicators import indicators_data
from tests.conftest import at
from tests.core.factories import make_member
from tests.enforcement.factories import make_case
from tests.supervision.factories import scan_all, terminated_case

CONFIRMED = "6222020200112233445"  # the applicant's account in make_case

# The world below is dated around it: the paid case (received 10-09) is paid and
# closed 'now', within its six months, after the petitions of early November.
pytestmark = pytest.mark.time_machine(at("2026-11-21 10:00"))


def paid_in_full(clerk, handler, bureau_head, finance, court):
    """A 10,000 yuan case whose money came in, was paid out to the applicant, and
    which was closed as 执行完毕 (today: the payment services act at 'now')."""
    case = make_case(
        clerk,
        court,
        number="(2026)鲁0102执801号",
        received="2026-10-09 10:00",
        filed="2026-10-08",
        claim="10000.00",
        handler=handler,
    )
    funds.receipt_record(
        actor=clerk,
        court=court,
        reference="P801",
        account_number=case.fund_account.number,
        amount=Decimal("10000.00"),
        arrived_at=at("2026-10-12 10:00"),
        payer="某某公司",
    )
    applicant = case.parties.get(role="applicant")
    d = funds.disbursement_draft(
        actor=handler, case=case, payee_id=applicant.pk, amount=Decimal("10000.00"), account_number=CONFIRMED
    )
    funds.disbursement_submit(actor=handler, disbursement=d)
    funds.disbursement_approve(actor=bureau_head, disbursement=d)
    funds.disbursement_notify_finance(actor=bureau_head, disbursement=d)
    funds.disbursement_pay(actor=finance, disbursement=d, bank_reference="PAY801")
    closure_services.case_close(
        actor=handler,
        case=case,
        closure=ClosureType.FULLY_EXECUTED,
        closed_at=timezone.now(),
        document="结案通知书",
    )
    case.refresh_from_db()
    return case


@pytest.fixture
def closed(courts, clerk, handler, bureau_head):
    finance = make_member(Role.FINANCE, courts.lu0102, "finance")
    clerk0103 = make_member(Role.CLERK, courts.lu0103, "clerk0103")
    clerk0202 = make_member(Role.CLERK, courts.lu0202, "clerk0202")
    paid = paid_in_full(clerk, handler, bureau_head, finance, courts.lu0102)
    # 终本 on 04-20, within the six months from 立案 01-05
    terminated = terminated_case(clerk, bureau_head, courts.lu0102)
    # 鲁0103: withdrawn on 08-01, a month after its six months ran out
    late = make_case(
        clerk0103,
        courts.lu0103,
        number="(2026)鲁0103执803号",
        received="2026-01-06 10:00",
        filed="2026-01-05",
    )
    closure_services.case_close(
        actor=clerk0103,
        case=late,
        closure=ClosureType.WITHDRAWN,
        closed_at=at("2026-08-01 10:00"),
        document="撤回申请",
    )
    # 鲁0202 (the other branch): withdrawn on 03-01
    sibling = make_case(
        clerk0202,
        courts.lu0202,
        number="(2026)鲁0202执804号",
        received="2026-01-06 10:00",
        filed="2026-01-05",
        claim="50000.00",
    )
    closure_services.case_close(
        actor=clerk0202,
        case=sibling,
        closure=ClosureType.WITHDRAWN,
        closed_at=at("2026-03-01 10:00"),
        document="撤回申请",
    )
    # still open: never counted as closed
    make_case(
        clerk, courts.lu0102, number="(2026)鲁0102执805号", received="2026-06-01 10:00", filed="2026-06-01"
    )
    scan_all(timezone.now())
    return SimpleNamespace(paid=paid, terminated=terminated, late=late, sibling=sibling)


def row(data, code):
    return next(c for c in data["courts"] if c["code"] == code)


def test_rates_per_court_are_the_hand_counted_ratios(closed, court_leader):
    data = indicators_data(user=court_leader)
    lu01, lu02 = row(data, "鲁01"), row(data, "鲁02")

    assert (lu01["closed"], lu01["within_limit"], lu01["terminated"]) == (3, 2, 1)
    assert lu01["within_limit_rate"] == round(2 / 3, 4) and lu01["terminated_rate"] == round(1 / 3, 4)
    # 10,000 paid out of 10,000 + 100,000 + 100,000 applied for
    assert (lu01["claim_amount"], lu01["paid_amount"]) == ("210000.00", "10000.00")
    assert lu01["delivered_rate"] == round(10000 / 210000, 4)
    assert (lu02["closed"], lu02["within_limit"], lu02["terminated"], lu02["claim_amount"]) == (
        1,
        1,
        0,
        "50000.00",
    )
    assert lu02["delivered_rate"] == 0.0
    assert row(data, "鲁")["closed"] == 0  # the high court's own cases

    total = data["total"]
    assert (total["closed"], total["within_limit"], total["terminated"]) == (4, 3, 1)
    assert total["within_limit_rate"] == 0.75 and total["terminated_rate"] == 0.25


def test_the_late_case_breached_its_duration_clock(closed):
    # the rate reads the clock engine's verdict, so check the verdict itself
    late = closed.late.deadlines.get(rule__code="CASE_DURATION")
    on_time = closed.terminated.deadlines.get(rule__code="CASE_DURATION")
    assert (late.status, on_time.status) == (DeadlineStatus.BREACHED, DeadlineStatus.MET)


def test_a_period_selects_cases_by_their_closing_date(closed, court_leader):
    april = indicators_data(user=court_leader, params={"from": "2026-04-01", "to": "2026-04-30"})
    assert (april["total"]["closed"], april["total"]["terminated"], april["total"]["terminated_rate"]) == (
        1,
        1,
        1.0,
    )
    assert april["period"] == {"from": "2026-04-01", "to": "2026-04-30"}
    spring = indicators_data(user=court_leader, params={"from": "2026-03-01", "to": "2026-04-20"})
    assert spring["total"]["closed"] == 2  # both ends of the period count
    with pytest.raises(ValidationFailed):
        indicators_data(user=court_leader, params={"from": "2026-05-01", "to": "2026-04-01"})
    with pytest.raises(ValidationFailed):
        indicators_data(user=court_leader, params={"from": "01/04/2026"})


def test_clock_compliance_per_rule(closed, court_leader):
    data = indicators_data(user=court_leader)
    assert data["clock_source"] == "stats" and data["computed_at"]
    stats = CourtRuleStat.objects.all()
    for rule in data["rules"]:
        met = sum(s.met for s in stats if s.rule.code == rule["code"])
        breached = sum(s.breached for s in stats if s.rule.code == rule["code"])
        assert (rule["met"], rule["breached"]) == (met, breached)
        assert rule["rate"] == round(met / (met + breached), 4)
    assert data["total"]["clocks_met"] == sum(s.met for s in stats)
    # with a period: the clocks due in it, counted live
    live = indicators_data(user=court_leader, params={"from": "2026-01-01", "to": "2026-01-31"})
    assert live["clock_source"] == "live"
    search = next(r for r in live["rules"] if r["code"] == "SEARCH_START")
    # the 终本 case searched in time; the two withdrawn cases never searched: closing
    # (due in January, months before the withdrawal) no longer waives their clocks
    # (issue 15, LIFECYCLE): the breaches closure used to hide now count
    assert (search["met"], search["breached"]) == (1, 2)
    june = indicators_data(user=court_leader, params={"from": "2026-06-01", "to": "2026-06-30"})
    search = next(r for r in june["rules"] if r["code"] == "SEARCH_START")
    assert (search["met"], search["breached"], search["rate"]) == (0, 1, 0.0)  # the open case never searched


def test_scoping_and_drill_down(closed, case_supervisor):
    data = indicators_data(user=case_supervisor)
    assert [c["code"] for c in data["courts"]] == ["鲁01", "鲁0102", "鲁0103"]
    assert data["total"]["closed"] == 3 and "鲁0202" not in str(data)
    drilled = indicators_data(user=case_supervisor, params={"court": "鲁0103"})
    assert [c["code"] for c in drilled["courts"]] == ["鲁0103"]
    assert drilled["total"]["within_limit_rate"] == 0.0
    with pytest.raises(NotFound):
        indicators_data(user=case_supervisor, params={"court": "鲁02"})


def test_petition_rate_counts_petitions_received_and_concluded(closed, courts, clerk, handler, court_leader):
    petitions = pytest.importorskip("supervision.services.petitions")
    first = petitions.petition_receive(
        actor=clerk,
        court=courts.lu0102,
        channel="visit",
        petitioner_name="张三",
        content="反映执行不力",
        received_at=at("2026-11-02 10:00"),
    )
    petitions.petition_receive(
        actor=clerk,
        court=courts.lu0102,
        channel="letter",
        petitioner_name="李四",
        content="反映案款未发放",
        received_at=at("2026-11-03 10:00"),
    )
    petitions.petition_register(actor=clerk, petition=first, at=at("2026-11-03 10:00"))
    petitions.petition_conclude(
        actor=handler,
        petition=first,
        result="已督促承办人发起查控",
        finding="partly_true",
        measures="责令限期发起网络查控",
        concluded_at=at("2026-11-10 10:00"),
    )
    data = indicators_data(user=court_leader)
    assert data["petitions_available"] is True and data["petitions_note"] is None
    lu01 = row(data, "鲁01")
    assert (lu01["petitions_received"], lu01["petitions_concluded"], lu01["petition_rate"]) == (2, 1, 0.5)
    assert row(data, "鲁02")["petition_rate"] is None  # none received: nothing to divide


def test_without_the_petition_module_the_rate_is_a_dash_with_the_reason(
    closed, court_leader, client, monkeypatch
):
    monkeypatch.setattr(indicators_module, "petition_model", lambda: None)
    data = indicators_data(user=court_leader)
    assert data["petitions_available"] is False and data["total"]["petition_rate"] is None
    assert "信访模块尚未启用" in data["petitions_note"]
    client.force_login(court_leader)
    html = client.get(reverse("supervision:indicators")).content.decode()
    assert "信访模块尚未启用" in html


# --- page, REST, export --------------------------------------------------------------------------------


def test_the_page_writes_the_formulas_and_the_table(closed, client, court_leader, django_assert_num_queries):
    client.force_login(court_leader)
    url = reverse("supervision:indicators")
    html = client.get(url).content.decode()
    for formula in indicators_module.FORMULAS:
        assert str(formula["name"]) in html and str(formula["formula"]) in html
    assert 'id="table-indicators"' in html and 'id="table-compliance"' in html
    assert "66.7%" in html and "75.0%" in html  # 鲁01 and the total within-limit rates
    # amounts as money is printed on every page: 鲁01's 210,000.00 applied for, 10,000.00 paid
    assert '<td class="num">210,000.00</td><td class="num">10,000.00</td>' in html and "210000.00" not in html
    assert f'href="{url}?court=%E9%B2%8101"' in html
    assert (
        'data-export="supervision.indicators"' in html
        and 'data-export="supervision.indicators.rules"' in html
    )
    bad = client.get(url, {"from": "2026-05-01", "to": "2026-04-01"}).content.decode()
    assert "开始日期不能晚于结束日期" in bad
    assert client.get(url, {"court": "鲁0202"}).status_code == 200
    # session, user, memberships, navigation permissions (2), visible courts, closed
    # cases, within the limit, paid out, petitions, clocks per rule and per court,
    # clocks pending verification (待核实, beside the rate)
    # +7 (issue 16): the navigation's counts — a court leader's approvals, 案款 (2), 补录核实 and alerts,
    # the 待办 total — and the API-token check
    with django_assert_num_queries(22):  # +1 the bell's unread COUNT (issue 16); +1 一案双查待办
        client.get(url, {"from": "2026-01-01", "to": "2026-12-31"})


def test_page_scope(closed, client, case_supervisor, handler):
    client.force_login(case_supervisor)
    assert client.get(reverse("supervision:indicators"), {"court": "鲁0202"}).status_code == 404
    client.force_login(handler)
    assert client.get(reverse("supervision:indicators")).status_code == 403


def test_api(closed, as_user, court_leader, case_supervisor):
    r = as_user(court_leader).get("/api/v1/indicators/", {"from": "2026-04-01", "to": "2026-04-30"})
    assert r.status_code == 200
    body = r.json()
    assert body["period"] == {"from": "2026-04-01", "to": "2026-04-30"}
    assert body["total"]["closed"] == 1 and body["total"]["terminated_rate"] == 1.0
    assert [f["key"] for f in body["formulas"]] == [f["key"] for f in indicators_module.FORMULAS]
    r = as_user(case_supervisor).get("/api/v1/indicators/", {"court": "鲁02"})
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    r = as_user(case_supervisor).get("/api/v1/indicators/", {"from": "nonsense"})
    assert r.status_code == 400 and "from" in r.json()["extra"]["fields"]


def test_export_matches_the_table(closed, case_supervisor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = export_start(user=case_supervisor, key="supervision.indicators", params={})
    run_export(job_id=str(job.pk))
    job = ExportJob.objects.get(pk=job.pk)
    sheet = list(load_workbook(io.BytesIO(bytes(job.content))).active.iter_rows(values_only=True))
    assert sheet[0][:5] == ("法院代字", "法院", "结案数", "期限内结案数", "法定期限内结案率")
    assert [r[0] for r in sheet[1:]] == ["鲁01", "鲁0102", "鲁0103", None]  # the total has no code
    total = sheet[-1]
    assert total[1] == "合计" and total[2] == 3 and total[4] == round(2 / 3, 4)
    assert Decimal(str(total[7])) == Decimal("210000")


def test_a_new_basic_court_appears_with_zeroes(closed, courts, court_leader):
    from tests.core.factories import make_court

    make_court("鲁0104", "槐荫区人民法院", CourtLevel.BASIC, courts.lu01)
    data = indicators_data(user=type(court_leader).objects.get(pk=court_leader.pk), params={"court": "鲁01"})
    new = row(data, "鲁0104")
    assert new["closed"] == 0 and new["within_limit_rate"] is None and new["claim_amount"] == "0.00"
