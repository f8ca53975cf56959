"""Browser pages of 督办: list (scoped, filtered, query count pinned), the issue form
(from a case and from the list, errors next to fields), the order page (clock,
alerts, rounds, timeline) and its actions."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from core.models import User
from supervision.models import OrderStatus, SupervisionOrder
from supervision.services.orders import order_respond
from supervision.services.scan import scan_court
from tests.conftest import at
from tests.enforcement.factories import make_case
from tests.supervision.factories import *  # noqa: F403

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def field_errors(html: str, field: str) -> list[str]:
    """The error messages shown right under the input ``field`` (of any form on
    the page that has one)."""
    blocks = re.findall(rf'<div class="field[^"]*" data-field="{field}">(.*?)\n</div>', html, re.S)
    assert blocks, f"no field {field} on the page"
    return [
        e for block in blocks for e in re.findall(r'<p class="field-error" role="alert">(.*?)</p>', block)
    ]


def test_the_list_shows_the_orders_in_scope(issue_order, case_supervisor, handler, sibling_supervisor):
    order = issue_order()

    page = browser(case_supervisor).get(reverse("supervision:orders"))
    assert page.status_code == 200
    html = page.content.decode()
    assert order.number in html
    assert 'data-due="2026-10-08"' in html
    assert "已超期" in html  # 2026-10-08 is long past
    assert reverse("supervision:order-new") in html  # the 专人监管 of 鲁01 may issue
    lower = browser(handler).get(reverse("supervision:orders")).content.decode()
    assert order.number in lower and reverse("supervision:order-new") not in lower
    assert order.number not in browser(sibling_supervisor).get(reverse("supervision:orders")).content.decode()


def test_the_list_filters_by_status_and_case_number(issue_order, case_supervisor, handler, courts, clerk):
    responded = issue_order()
    order_respond(actor=handler, order=responded, text="已办理。", responded_at=at("2026-09-30 10:00"))
    other = issue_order(case=make_case(clerk, courts.lu0102, number="(2026)鲁0102执2002号", handler=handler))
    client = browser(case_supervisor)

    html = client.get(reverse("supervision:orders"), {"status": "responded"}).content.decode()
    assert responded.number in html and other.number not in html
    html = client.get(reverse("supervision:orders"), {"q": "执2002"}).content.decode()
    assert other.number in html and responded.number not in html


def test_the_list_costs_the_same_queries_for_one_order_or_many(
    issue_order, case_supervisor, courts, clerk, handler, django_assert_num_queries
):
    issue_order()
    client = browser(case_supervisor)
    # session, user, memberships, count, page, and the model backend's two
    # permission reads (the ORDER_RESPONSE clocks count calendar days: no calendar),
    # the calendar banner's two (loaded years, provisional counters: the suite's today is in November, next year not loaded)
    # +5: the navigation's counts — one COUNT per work source of the role, the 待办 total, API token (issue 16)
    with django_assert_num_queries(16):  # +1 the bell's unread COUNT (issue 16); +1 一案双查待办
        assert client.get(reverse("supervision:orders")).status_code == 200
    for n in range(3, 8):
        case = make_case(clerk, courts.lu0102, number=f"(2026)鲁0102执20{n:02d}号", handler=handler)
        issue_order(case=case, kind="assign", assignee_court=courts.lu0103)
    with django_assert_num_queries(16):  # +1 the bell's unread COUNT (issue 16); +1 一案双查待办
        html = client.get(reverse("supervision:orders")).content.decode()
    assert html.count('data-order="') == 6


def test_issuing_from_a_case_page(case_supervisor, order_case):
    client = browser(case_supervisor)
    url = reverse("supervision:order-new") + f"?case={order_case.pk}"

    form = client.get(url)
    assert form.status_code == 200
    assert order_case.case_number in form.content.decode()
    response = client.post(
        url,
        {
            "case": order_case.pk,
            "issuing_court": case_supervisor.memberships.get().court_id,
            "kind": "take_up",
            "instructions": "该案疑难复杂，决定提级执行。",
            "response_days": "10",
        },
    )

    order = SupervisionOrder.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("supervision:order-detail", args=[order.pk])
    assert (order.kind, order.response_days, order.case) == ("take_up", 10, order_case)
    detail = client.get(response["Location"]).content.decode()
    assert "已发出督办" in detail
    assert "决定由济南市中级人民法院提级执行本案" in detail


def test_a_refused_issue_shows_the_errors_next_to_the_fields(case_supervisor, order_case, courts):
    client = browser(case_supervisor)
    url = reverse("supervision:order-new") + f"?case={order_case.pk}"

    response = client.post(
        url,
        {
            "case": order_case.pk,
            "issuing_court": courts.lu01.pk,
            "kind": "assign",
            "instructions": "  ",
            "response_days": "0",
        },
    )

    assert response.status_code == 422
    html = response.content.decode()
    assert field_errors(html, "instructions")
    assert field_errors(html, "response_days")
    # a well-formed form whose rule is refused by the service: error on its field
    response = client.post(
        url,
        {
            "case": order_case.pk,
            "issuing_court": courts.lu01.pk,
            "kind": "assign",
            "instructions": "指令执行。",
            "response_days": "10",
        },
    )
    assert response.status_code == 422
    assert field_errors(response.content.decode(), "assignee_court") == ["指令执行须指定执行法院。"]
    assert not SupervisionOrder.objects.exists()


def test_issuing_from_the_list_types_the_case_number(case_supervisor, order_case, courts):
    client = browser(case_supervisor)
    url = reverse("supervision:order-new")
    base = {"issuing_court": courts.lu01.pk, "kind": "urge", "instructions": "请推进。", "response_days": "7"}

    missing = client.post(url, {**base, "case_number": "(2026)鲁0102执9999号"})
    assert missing.status_code == 422
    assert field_errors(missing.content.decode(), "case_number")
    found = client.post(url, {**base, "case_number": "（2026）鲁0102执2001号"})
    assert found.status_code == 302
    assert SupervisionOrder.objects.get().case == order_case


def test_a_court_that_is_not_above_the_case_is_told_why(
    basic_supervisor, order_case, sibling_supervisor, handler
):
    url = reverse("supervision:order-new") + f"?case={order_case.pk}"

    refused = browser(basic_supervisor).get(url)
    assert refused.status_code == 403
    assert "不能对本案督办" in refused.content.decode()
    assert browser(sibling_supervisor).get(url).status_code == 404
    assert browser(handler).get(url).status_code == 403  # no 督办 role at all


def test_the_order_page_shows_clock_alerts_and_timeline(issue_order, courts, case_supervisor, handler):
    order = issue_order()
    scan_court(court_id=courts.lu0102.pk, at=at("2026-10-12 09:00"))

    html = browser(case_supervisor).get(reverse("supervision:order-detail", args=[order.pk])).content.decode()

    assert 'data-clock="ORDER_RESPONSE"' in html and 'data-due="2026-10-08"' in html
    assert 'data-alert-level="overdue"' in html and 'data-alert-level="escalated"' in html
    assert 'data-kind="supervision.order_issued"' in html and "上级法院督办" in html
    assert 'id="form-withdraw"' in html and 'id="form-respond"' not in html
    lower = browser(handler).get(reverse("supervision:order-detail", args=[order.pk])).content.decode()
    assert 'id="form-respond"' in lower and 'id="form-withdraw"' not in lower


def test_the_order_page_is_not_found_outside_scope(issue_order, sibling_supervisor, sibling_clerk):
    order = issue_order()
    for user in (sibling_supervisor, sibling_clerk):
        assert browser(user).get(reverse("supervision:order-detail", args=[order.pk])).status_code == 404
        assert (
            browser(user)
            .post(reverse("supervision:order-action", args=[order.pk, "withdraw"]), {"reason": "x"})
            .status_code
            == 404
        )


def test_responding_and_reviewing_through_the_page(issue_order, case_supervisor, handler):
    order = issue_order()
    lower, upper = browser(handler), browser(case_supervisor)
    respond = reverse("supervision:order-action", args=[order.pk, "respond"])

    blank = lower.post(respond, {"text": ""})
    assert blank.status_code == 422
    assert field_errors(blank.content.decode(), "text")
    not_theirs = upper.post(respond, {"text": "已办理。"})
    assert not_theirs.status_code == 403
    assert "只有被督办法院" in not_theirs.content.decode()

    assert lower.post(respond, {"text": "已查封房产一套。"}).status_code == 302
    returned = upper.post(
        reverse("supervision:order-action", args=[order.pk, "return"]), {"note": "", "response_days": ""}
    )
    assert returned.status_code == 422
    assert field_errors(returned.content.decode(), "note")
    assert (
        upper.post(
            reverse("supervision:order-action", args=[order.pk, "accept"]), {"note": "认可"}
        ).status_code
        == 302
    )
    assert SupervisionOrder.objects.get(pk=order.pk).status == OrderStatus.CLOSED

    again = upper.post(reverse("supervision:order-action", args=[order.pk, "accept"]), {"note": ""})
    assert again.status_code == 409
    assert "只有已回复的督办" in again.content.decode()


def test_an_unknown_action_is_not_found(issue_order, case_supervisor):
    order = issue_order()
    assert (
        browser(case_supervisor)
        .post(reverse("supervision:order-action", args=[order.pk, "explode"]))
        .status_code
        == 404
    )


def test_pages_need_a_login(issue_order):
    order = issue_order()
    response = Client().get(reverse("supervision:order-detail", args=[order.pk]))
    assert response.status_code == 302 and "login" in response["Location"]
    assert User.objects.filter(username="case_supervisor").exists()
