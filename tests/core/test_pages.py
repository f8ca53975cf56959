"""Browser pages of the kernel: who may open them, what they show, how many queries."""

import datetime as dt

import pytest
from django.urls import reverse

from core.models import CalendarDay, Deadline, NodeEvent, Role
from core.services import clocks
from core.services.people import api_client_create
from tests.conftest import at
from tests.core.factories import make_member

PAGES = ["core:todo", "core:calendar", "core:rules", "core:courts"]


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_is_sent_to_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("name", PAGES)
def test_pages_render_in_chinese_for_a_clerk(client, clerk, name):
    client.force_login(clerk)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_machine_clients_have_no_browser_pages(client, courts, name):
    user, _key = api_client_create(court=courts.lu0102, name="机器")
    client.force_login(user)
    assert client.get(reverse(name)).status_code == 403


def test_todo_lists_my_running_clocks_with_working_days_left(client, courts, handler, clerk, django_assert_max_num_queries):
    mine = clocks.clock_start(
        rule_code="SEARCH_START", court=courts.lu0102, started_at=at("2026-09-30 10:00"),
        subject_label="(2026)鲁0102执1001号", responsible=handler,
    )
    clocks.clock_start(
        rule_code="SEARCH_START", court=courts.lu0102, started_at=at("2026-09-30 10:00"),
        subject_label="(2026)鲁0102执1002号", responsible=clerk,
    )
    for i in range(20):
        clocks.clock_start(
            rule_code="FUNDS_NOTICE", court=courts.lu0102, started_at=at("2026-11-02 10:00"),
            subject_label=f"(2026)鲁0102执{2000 + i}号", responsible=handler,
        )
    client.force_login(handler)
    # session, user, memberships, permissions ×2, rules, groups ×2, clocks, calendar ×2, the sources'
    # counts ×3 (alerts, 督办, 信访), joint-team check, API token, 待办 total — not per row
    with django_assert_max_num_queries(20):  # +1 the bell's unread COUNT (issue 16); +1 一案双查待办
        response = client.get(reverse("core:todo"))
    body = response.content.decode()
    assert "(2026)鲁0102执1001号" in body and "(2026)鲁0102执1002号" not in body
    assert "已超期" in body  # 2026-10-13 is long past
    [group] = response.context["groups"]  # clocks of no case: one group
    assert group["rows"][0]["deadline"] == mine
    assert len(group["rows"]) == 21


def test_todo_empty_state(client, clerk):
    client.force_login(clerk)
    assert "暂无待办期限" in client.get(reverse("core:todo")).content.decode()


def test_calendar_page_marks_holidays_and_makeup_days(client, clerk):
    client.force_login(clerk)
    body = client.get(reverse("core:calendar"), {"year": 2026}).content.decode()
    assert body.count('<td class="day holiday') == 33  # every 2026 holiday, each shown once in its month
    assert body.count('<td class="day makeup') == 6


def test_calendar_page_says_when_a_year_is_not_loaded(client, clerk):
    client.force_login(clerk)
    body = client.get(reverse("core:calendar"), {"year": 2027}).content.decode()
    assert "尚未载入" in body


def test_due_date_partial(client, clerk):
    client.force_login(clerk)
    ok = client.get(reverse("core:due-date"), {"start": "2026-09-30", "days": 5, "unit": "working_days"})
    assert 'data-due-date="2026-10-13"' in ok.content.decode()
    bad = client.get(reverse("core:due-date"), {"start": "not-a-date", "days": 5, "unit": "working_days"})
    assert "起算日" in bad.content.decode() and "data-due-date" not in bad.content.decode()
    missing = client.get(reverse("core:due-date"), {"start": "2027-02-01", "days": 5, "unit": "working_days"})
    assert "2027" in missing.content.decode()


def test_courts_page_shows_the_visible_tree_only(client, courts):
    supervisor = make_member(Role.CASE_SUPERVISOR, courts.lu01)
    client.force_login(supervisor)
    body = client.get(reverse("core:courts")).content.decode()
    assert "鲁0102" in body and "鲁0103" in body and "鲁0202" not in body


def test_navigation_by_role(client, clerk, courts):
    client.force_login(clerk)
    body = client.get(reverse("core:todo")).content.decode()
    assert "我的待办" in body and "管理后台" not in body


def test_english_is_available(client, clerk):
    client.force_login(clerk)
    client.post("/i18n/setlang/", {"language": "en", "next": "/todo/"})
    body = client.get(reverse("core:todo")).content.decode()
    assert '<html lang="en">' in body and "My to-do" in body


def test_admin_calendar_edit_goes_through_the_service(client, courts, handler, django_capture_on_commit_callbacks):
    from core.models import User

    admin = User.objects.create_superuser("root", password="pw-for-tests-1")
    d = clocks.clock_start(rule_code="SEARCH_START", court=courts.lu0102, started_at=at("2026-11-02 10:00"))
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("admin:core_calendarday_add"), {"date": "2026-11-04", "kind": "holiday", "name": "临时"}
        )
    assert response.status_code == 302
    assert CalendarDay.objects.get(date=dt.date(2026, 11, 4)).kind == "holiday"
    assert NodeEvent.objects.filter(kind="calendar.day_set", actor=admin).exists()
    assert len(callbacks) == 1  # the recompute task is enqueued after commit
    from core.tasks import recompute_clocks_for_dates

    recompute_clocks_for_dates(first="2026-11-04", last="2026-11-04")
    assert Deadline.objects.get(pk=d.pk).due_at.date() == dt.date(2026, 11, 10)


def test_admin_pages_load(client, db):
    from core.models import User

    client.force_login(User.objects.create_superuser("root2", password="pw-for-tests-1"))
    for name in ("admin:index", "admin:core_deadlinerule_changelist", "admin:core_calendarday_changelist",
                 "admin:core_court_changelist", "admin:core_deadline_changelist", "admin:core_nodeevent_changelist"):
        assert client.get(reverse(name)).status_code == 200, name
