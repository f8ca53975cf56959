"""我的待办 as a work queue (issue 16): the person's clocks grouped by case, the time
left in each rule's own unit, filters, paging by case, court scoping, the work
waiting for the person's post (approvals, 待付, 待签收, 待回复督办), the counts in
the navigation, and a query count that does not grow with the rows."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse

from core.calendar import end_of_day
from core.models import ApiToken, Deadline, DeadlineStatus, PeriodUnit, Role
from core.services import clocks
from core.web.clocks import ClockRows
from enforcement.models import Approval, ApprovalKind
from tests.conftest import at
from tests.core.factories import make_member
from tests.custody_funds.factories import notified, receive, submitted
from tests.enforcement.factories import make_case


def left_text(deadline: Deadline, now: dt.datetime) -> str:
    """What the queue, the inbox and the case page print for ``deadline`` at ``now``."""
    html = render_to_string("core/_clock_left.html", {"clock": ClockRows(now).row(deadline)})
    return re.sub(r"<[^>]+>", "", html).strip()


def clock(unit: str, due_at: dt.datetime) -> Deadline:
    return Deadline(unit=unit, due_at=due_at, status=DeadlineStatus.OPEN)


def case_number(today: dt.date, n: int) -> str:
    return f"({today.year})鲁0102执{n}号"


def case_for(clerk, handler, court, today: dt.date, n: int, days_ago: int = 3):
    received = today - dt.timedelta(days=days_ago)
    return make_case(
        clerk,
        court,
        number=case_number(received, n).replace("鲁0102", court.code),
        received=f"{received} 10:00",
        filed=str(received),
        handler=handler,
    )


# --- one unit per rule kind -------------------------------------------------------------


@pytest.mark.django_db
def test_a_working_day_clock_counts_working_days_across_the_national_day_holiday():
    # given a clock due at the end of 9 October 2026; 1–7 October are the holiday
    due = clock(PeriodUnit.WORKING_DAYS, end_of_day(dt.date(2026, 10, 9)))
    # then on 29 September three working days are left (30 Sept, 8 and 9 Oct), not ten
    assert left_text(due, at("2026-09-29 10:00")) == "剩余 3 个工作日"
    # and after it, the days late are working days too (10 Oct is a 调休 working Saturday)
    assert left_text(due, at("2026-10-13 10:00")) == "已超期 3 个工作日"


@pytest.mark.django_db
def test_an_hour_clock_counts_hours():
    now = at("2026-11-10 09:30")
    assert left_text(clock(PeriodUnit.HOURS, now + dt.timedelta(hours=5, minutes=20)), now) == "剩余 6 小时"
    assert left_text(clock(PeriodUnit.HOURS, now - dt.timedelta(hours=5, minutes=40)), now) == "已超期 5 小时"


@pytest.mark.django_db
def test_a_day_clock_counts_calendar_days_over_the_weekend():
    now = at("2026-11-10 09:30")
    due = clock(PeriodUnit.CALENDAR_DAYS, end_of_day(dt.date(2026, 11, 20)))
    assert left_text(due, now) == "剩余 10 日"
    assert left_text(due, at("2026-11-28 09:30")) == "已超期 8 日"


# --- the queue of a handler ---------------------------------------------------------------


def test_clocks_are_grouped_by_case_with_parties_and_links(client, courts, clerk, handler, today):
    first = case_for(clerk, handler, courts.lu0102, today, 501, days_ago=30)
    second = case_for(clerk, handler, courts.lu0102, today, 502, days_ago=2)
    other = make_member(Role.HANDLER, courts.lu0102, "other_handler")
    case_for(clerk, other, courts.lu0102, today, 503)
    client.force_login(handler)

    response = client.get(reverse("core:todo"))

    groups = response.context["groups"]
    assert [g["case_id"] for g in groups] == [first.pk, second.pk]  # the most urgent case first
    assert all(r.deadline.case_id == g["case_id"] for g in groups for r in g["rows"])
    assert {r.deadline.rule.code for r in groups[0]["rows"]} >= {"SEARCH_START", "EXECUTION_NOTICE"}
    body = response.content.decode()
    assert f'href="{reverse("enforcement:case-detail", args=[first.pk])}"' in body
    assert "申请执行人 张三" in body and "被执行人 某某公司" in body
    assert first.case_number in body and second.case_number in body
    assert case_number(today, 503) not in body  # another handler's case
    assert "已超期" in body and "个工作日" in body and "13800000000" not in body


def test_filters_by_rule_urgency_and_court(client, courts, clerk, handler, today):
    late = case_for(clerk, handler, courts.lu0102, today, 511, days_ago=30)
    fresh = case_for(clerk, handler, courts.lu0102, today, 512, days_ago=0)
    client.force_login(handler)

    overdue = client.get(reverse("core:todo"), {"urgency": "overdue"}).context["groups"]
    assert [g["case_id"] for g in overdue] == [late.pk]
    assert all(r.overdue for g in overdue for r in g["rows"])

    later = client.get(reverse("core:todo"), {"urgency": "later", "rule": "EXECUTION_NOTICE"}).context[
        "groups"
    ]
    assert [g["case_id"] for g in later] == [fresh.pk]
    assert [r.deadline.rule.code for r in later[0]["rows"]] == ["EXECUTION_NOTICE"]

    by_court = client.get(reverse("core:todo"), {"court": courts.lu0102.code}).context["groups"]
    assert len(by_court) == 2


def test_bad_filter_values_are_errors_next_to_their_fields_not_a_500(client, courts, clerk, handler, today):
    case_for(clerk, handler, courts.lu0102, today, 521)
    client.force_login(handler)

    # 鲁0103 is a sibling court: not offered, refused like any unknown value
    response = client.get(
        reverse("core:todo"), {"urgency": "soonish", "rule": "NOPE", "court": courts.lu0103.code}
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"urgency", "rule", "court"}
    body = response.content.decode()
    assert body.count('class="field-error"') == 3 and "请从列表中选择" in body
    assert len(response.context["groups"]) == 1  # shown unfiltered


def test_pages_by_case_group(client, courts, clerk, handler, today):
    for n in range(22):
        case_for(clerk, handler, courts.lu0102, today, 600 + n, days_ago=n)
    client.force_login(handler)

    first = client.get(reverse("core:todo"))
    second = client.get(reverse("core:todo"), {"page": 2})

    assert len(first.context["groups"]) == 20 and len(second.context["groups"]) == 2
    assert not {g["case_id"] for g in first.context["groups"]} & {
        g["case_id"] for g in second.context["groups"]
    }
    assert "第 1 / 2 页" in first.content.decode()
    # sorted by urgency: the soonest due clock of each case, across the pages
    soonest = [
        min(r.deadline.due_at for r in g["rows"]) for p in (first, second) for g in p.context["groups"]
    ]
    assert soonest == sorted(soonest)


def test_the_query_count_does_not_grow_with_the_rows(
    client, courts, clerk, handler, today, django_assert_max_num_queries
):
    case_for(clerk, handler, courts.lu0102, today, 700)
    client.force_login(handler)
    with django_assert_max_num_queries(24) as few:
        client.get(reverse("core:todo"))
    for n in range(1, 15):
        case_for(clerk, handler, courts.lu0102, today, 700 + n, days_ago=n)
    with django_assert_max_num_queries(24) as many:
        response = client.get(reverse("core:todo"))
    assert sum(len(g["rows"]) for g in response.context["groups"]) >= 30
    assert len(many.captured_queries) == len(few.captured_queries)


# --- the work waiting for a post ---------------------------------------------------------


def test_a_bureau_head_sees_pending_approvals_in_scope(client, courts, clerk, handler, bureau_head, today):
    case = case_for(clerk, handler, courts.lu0102, today, 801)
    Approval.objects.create(
        case=case, kind=ApprovalKind.OVER_SEIZURE, reason="唯一财产", requested_by=handler
    )
    # a sibling court's request is not this bureau head's
    sibling_clerk = make_member(Role.CLERK, courts.lu0103, "sibling_clerk")
    sibling = make_case(
        sibling_clerk,
        courts.lu0103,
        number=case_number(today, 802).replace("鲁0102", "鲁0103"),
        received=f"{today - dt.timedelta(days=1)} 10:00",
        filed=str(today - dt.timedelta(days=1)),
    )
    Approval.objects.create(
        case=sibling, kind=ApprovalKind.OVER_SEIZURE, reason="唯一财产", requested_by=sibling_clerk
    )
    client.force_login(bureau_head)

    response = client.get(reverse("core:todo"))

    posts = {p["source"].key: p for p in response.context["posts"]}
    assert posts["enforcement.approvals"]["count"] == 1
    [item] = posts["enforcement.approvals"]["items"]
    assert item.case_number == case.case_number and item.url == reverse("enforcement:approvals")
    body = response.content.decode()
    assert "超标的查封审批" in body and sibling.case_number not in body
    assert re.search(r'data-badge="approve">待审批 <span class="count">1</span>', body)
    assert "custody_funds.payments" not in posts  # not a finance post


def test_finance_sees_payments_waiting_and_the_count_in_the_navigation(
    client, courts, clerk, handler, bureau_head, today
):
    case = case_for(clerk, handler, courts.lu0102, today, 811)
    receive(case, clerk, "5000.00", ref="Q811")
    notified(case, handler, bureau_head, "1200.00")
    finance = make_member(Role.FINANCE, courts.lu0102, "finance_q")
    client.force_login(finance)

    response = client.get(reverse("core:todo"))

    posts = {p["source"].key: p for p in response.context["posts"]}
    assert set(posts) == {"custody_funds.payments", "supervision.alerts"}
    [item] = posts["custody_funds.payments"]["items"]
    assert item.url == reverse("custody_funds:finance") and "1,200.00" in str(item.detail)
    body = response.content.decode()
    assert re.search(r'data-badge="pay">待付 <span class="count">1</span>', body)
    assert 'data-badge="approve"' not in body


def test_navigation_counts_one_badge_per_kind_and_the_total(
    client, courts, clerk, handler, bureau_head, today
):
    case = case_for(clerk, handler, courts.lu0102, today, 821)
    receive(case, clerk, "5000.00", ref="Q821")
    submitted(case, handler, "800.00")
    Approval.objects.create(
        case=case, kind=ApprovalKind.OVER_SEIZURE, reason="唯一财产", requested_by=handler
    )
    client.force_login(bureau_head)

    body = client.get(reverse("enforcement:case-list")).content.decode()

    # 待审批 = one enforcement approval + one disbursement
    assert re.search(r'data-badge="approve">待审批 <span class="count">2</span>', body)
    assert re.search(r'我的待办 <span class="count" data-count="todo">2</span>', body)


def test_navigation_by_role(client, courts, clerk, case_supervisor):
    client.force_login(clerk)
    body = client.get(reverse("enforcement:case-list")).content.decode()
    nav = body[body.index('class="mainnav"') : body.index("</nav>")]
    for hidden in ("不明款", "接口文档", ">法院<", "监督看板", "财务待付"):
        assert hidden not in nav
    assert "我的待办" in nav and "案件" in nav and "<details" in nav

    client.force_login(case_supervisor)
    body = client.get(reverse("enforcement:case-list")).content.decode()
    nav = body[body.index('class="mainnav"') : body.index("</nav>")]
    assert "监督看板" in nav and ">法院<" in nav and "不明款" in nav and "接口文档" not in nav

    # 接口文档 for a person who holds an API token (and for administrators)
    ApiToken.objects.create(user=case_supervisor, name="对接测试", key_hash="0" * 64, key_prefix="abcd1234")
    body = client.get(reverse("enforcement:case-list")).content.decode()
    assert "接口文档" in body[body.index('class="mainnav"') : body.index("</nav>")]


def test_the_queue_is_scoped_by_court_on_postgresql(client, courts, clerk, handler, today):
    assert connection.vendor == "postgresql"
    case = case_for(clerk, handler, courts.lu0102, today, 831)
    stray = clocks.clock_start(
        rule_code="SEARCH_START",
        court=courts.lu0202,
        started_at=at(f"{today} 09:00"),
        subject_label="外院期限",
        responsible=handler,
    )
    client.force_login(handler)
    response = client.get(reverse("core:todo"))
    shown = {r.deadline.pk for g in response.context["groups"] for r in g["rows"]}
    assert stray.pk not in shown  # 鲁0202 is not a court this handler sees
    assert {d.pk for d in Deadline.objects.filter(case=case, completed_at__isnull=True)} <= shown


def test_the_queue_in_english_when_chosen(client, courts, clerk, handler, today):
    case_for(clerk, handler, courts.lu0102, today, 841, days_ago=30)
    client.force_login(handler)
    client.cookies["django_language"] = "en"
    body = client.get(reverse("core:todo")).content.decode()
    assert "My deadlines" in body and "Waiting for me" in body
    assert "working days" in body and "我负责的期限" not in body
