"""到账日报: every receipt of a day across cases with its totals (received, matched,
unidentified, paid out), scoped by court — the selector, the page and REST."""

import datetime as dt
from decimal import Decimal

import pytest

from core.models import Role
from custody_funds import reconciliation
from custody_funds.services import funds
from tests.conftest import at
from tests.core.factories import make_member
from tests.custody_funds.factories import notified, receive, stray
from tests.enforcement.factories import make_case


@pytest.fixture
def today() -> dt.date:
    """This module's world is written against 2026-11-21 (the suite's default today):
    receipts on the 19th and 20th, a payment made "today". It moves there itself, so
    the run on another day (TEST_TODAY) checks the same thing."""
    return dt.date(2026, 11, 21)


pytestmark = pytest.mark.time_machine(at("2026-11-21 10:00"))



@pytest.fixture
def day(courts, clerk, handler, bureau_head, finance):
    """At 鲁0102 on 2026-11-20: two receipts on the case (one 到账 the evening before),
    one 不明款, a payment; at 鲁0103 a receipt nobody of 鲁0102 may see."""
    case = make_case(clerk, courts.lu0102, handler=handler)
    receive(case, finance, "30000.00", "B-1", when="2026-11-20 09:15", payer="某某公司")
    receive(case, finance, "500.00", "B-0", when="2026-11-19 23:59")
    stray(courts.lu0102, finance, "1200.50", "U-1", "2026-11-20 14:00", payer="不明付款人")
    d = notified(case, handler, bureau_head, "1000.00")
    funds.disbursement_pay(actor=finance, disbursement=d, bank_reference="PAY-1")
    other_clerk = make_member(Role.CLERK, courts.lu0103, "clerk_0103")
    other = make_case(other_clerk, courts.lu0103, number="(2026)鲁0103执7号")
    receive(
        other,
        make_member(Role.FINANCE, courts.lu0103, "finance_0103"),
        "777.00",
        "B-X",
        when="2026-11-20 10:00",
    )
    return case


def test_totals_of_a_day_received_matched_unidentified_paid(day, finance, today):
    report = reconciliation.receipts_report(finance, today.replace(day=20), today.replace(day=20))
    assert [r.reference for r in report.receipts] == ["B-1", "U-1"]  # 19 Nov 23:59 is another day
    t = report.total
    assert (t.received, t.matched, t.unidentified) == (
        Decimal("31200.50"),
        Decimal("30000.00"),
        Decimal("1200.50"),
    )
    assert t.paid == Decimal(0)  # paid today (21 Nov), not on the 20th
    assert isinstance(t.received, Decimal)


def test_a_range_has_per_day_totals_and_the_payments_of_the_day(day, finance, today):
    report = reconciliation.receipts_report(finance, today.replace(day=19), today)
    assert [(d.day.day, d.received, d.paid) for d in report.days] == [
        (19, Decimal("500.00"), Decimal(0)),
        (20, Decimal("31200.50"), Decimal(0)),
        (21, Decimal(0), Decimal("1000.00")),
    ]
    assert report.total.paid == Decimal("1000.00") and report.total.payments == 1


def test_scoped_by_court_on_postgresql(day, courts, finance, bureau_head, today):
    # given the 鲁01 bureau head, who sees 鲁0102 and 鲁0103; finance of 鲁0102 sees only its own
    head_01 = make_member(Role.BUREAU_HEAD, courts.lu01, "head_01")
    twentieth = today.replace(day=20)
    own = reconciliation.receipts_report(finance, twentieth, twentieth)
    above = reconciliation.receipts_report(head_01, twentieth, twentieth)
    assert "B-X" not in {r.reference for r in own.receipts}
    assert {r.reference for r in above.receipts} == {"B-1", "U-1", "B-X"}
    only_0103 = reconciliation.receipts_report(head_01, twentieth, twentieth, court=courts.lu0103)
    assert [r.reference for r in only_0103.receipts] == ["B-X"]


def test_query_count_does_not_grow_with_receipts(day, finance, today, django_assert_num_queries):
    with django_assert_num_queries(2):  # receipts, payments (memberships cached on the user)
        reconciliation.receipts_report(finance, today.replace(day=1), today)


def test_rest_day_view(day, finance, as_user):
    body = as_user(finance).get("/api/v1/receipts/daily/", {"from": "2026-11-20"}).json()
    assert body["from"] == body["to"] == "2026-11-20"
    assert body["totals"]["received"] == "31200.50" and body["totals"]["unidentified"] == "1200.50"
    first = body["receipts"][0]
    assert (first["reference"], first["case_number"], first["matched_by"]) == (
        "B-1",
        day.case_number,
        str(finance),
    )
    assert body["receipts"][1]["case"] is None and body["receipts"][1]["status"] == "unidentified"


def test_rest_day_view_defaults_to_today(day, finance, as_user):
    body = as_user(finance).get("/api/v1/receipts/daily/").json()
    assert body["from"] == "2026-11-21" and body["totals"]["paid"] == "1000.00" and body["receipts"] == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2026-13-01"}, "from"),
        ({"from": "2026-11-20", "to": "2026-11-19"}, "to"),
        ({"from": "2026-01-01", "to": "2026-11-20"}, "to"),
    ],
)
def test_rest_bad_period_is_a_400_naming_the_field(day, finance, as_user, query, field):
    r = as_user(finance).get("/api/v1/receipts/daily/", query)
    assert r.status_code == 400
    assert set(r.json()["extra"]["fields"]) == {field}
    assert r.json()["code"] == "invalid"


def test_rest_a_court_outside_the_view_is_404(day, finance, as_user):
    r = as_user(finance).get("/api/v1/receipts/daily/", {"court": "鲁0202"})
    assert r.status_code == 404 and r.json()["code"] == "not_found"


def test_page_shows_the_receipts_linked_and_the_totals(day, finance, client):
    client.force_login(finance)
    r = client.get("/funds/receipts/daily/", {"from": "2026-11-20"})
    html = r.content.decode()
    assert r.status_code == 200
    assert f'href="/funds/cases/{day.pk}/"' in html and "不明款" in html and "某某公司" in html
    assert "31,200.50" in html and "30,000.00" in html and "1,200.50" in html
    assert "B-X" not in html


def test_page_bad_range_shows_the_error_next_to_the_field(day, finance, client):
    client.force_login(finance)
    r = client.get("/funds/receipts/daily/", {"from": "2026-11-20", "to": "2026-11-01"})
    assert r.status_code == 422
    assert "结束日期不能早于开始日期" in r.content.decode()
