"""Alerts API (API.md "Alerts"), the inbox page, acknowledgement, the daily digest
and the administrators' calendar notice."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from core.models import CalendarYear, Role
from core.services.people import api_client_create
from supervision.models import Alert, AlertLevel, SystemNotice
from supervision.services.alerts import alerts_send_digest, calendar_notice_check
from supervision.services.scan import scan_court
from tests.conftest import at
from tests.core.factories import make_member
from tests.enforcement.factories import make_case
from tests.supervision.factories import search_clock

OVERDUE_MOMENT = "2026-10-20 09:00"  # the search clock of ``search_case`` is at ``upper`` by then


@pytest.fixture
def scanned(search_case, courts, local_supervisor, bureau_head, case_supervisor):
    scan_court(court_id=courts.lu0102.pk, at=at(OVERDUE_MOMENT))
    return search_case


@pytest.fixture
def token_for():
    def make(court):
        _user, key = api_client_create(court=court, name=f"{court.code} 系统")
        return key

    return make


def get(api_client, key, url, **params):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api_client.get(url, params)


def test_alert_list_has_the_contract_fields_and_filters(
    scanned, courts, api_client, token_for, handler, local_supervisor
):
    body = get(
        api_client, token_for(courts.lu0102), "/api/v1/alerts/", court="鲁0102", level="overdue"
    ).json()

    assert body["count"] >= 1
    assert {r["level"] for r in body["results"]} == {"overdue"}
    row = next(r for r in body["results"] if r["rule"] == "SEARCH_START")
    assert {"id", "deadline", "case", "rule", "level", "raised_at", "recipients"} <= set(row)
    assert row["deadline"] == search_clock(scanned).pk and row["case"] == scanned.pk
    assert row["raised_at"].startswith("2026-10-20T09:00:00")
    assert [p["username"] for p in row["recipients"]] == [handler.username, local_supervisor.username]


def test_upper_alert_goes_to_the_upper_courts_supervisor(
    scanned, courts, api_client, token_for, handler, case_supervisor
):
    body = get(
        api_client, token_for(courts.lu0102), "/api/v1/alerts/", level="upper", rule="SEARCH_START"
    ).json()
    (row,) = body["results"]
    assert [p["username"] for p in row["recipients"]] == [handler.username, case_supervisor.username]


def test_a_sibling_court_sees_none_of_the_alerts(scanned, courts, api_client, token_for):
    key = token_for(courts.lu0202)
    assert get(api_client, key, "/api/v1/alerts/").json()["count"] == 0
    assert get(api_client, key, "/api/v1/alerts/", court="鲁0102").json()["count"] == 0
    alert = Alert.objects.filter(court=courts.lu0102).first()
    response = get(api_client, key, f"/api/v1/alerts/{alert.pk}/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_the_upper_courts_supervisor_sees_the_lower_courts_alerts(scanned, as_user, case_supervisor):
    body = as_user(case_supervisor).get("/api/v1/alerts/", {"court": "鲁0102"}).json()
    assert body["count"] == Alert.objects.count() > 0
    mine = as_user(case_supervisor).get("/api/v1/alerts/", {"mine": "true"}).json()
    assert {r["level"] for r in mine["results"]} == {"upper"}


def test_bad_filters_get_a_400_in_the_contract_shape(scanned, courts, api_client, token_for):
    response = get(api_client, token_for(courts.lu0102), "/api/v1/alerts/", level="terrible", case="x")
    body = response.json()
    assert response.status_code == 400
    assert body["code"] == "invalid" and {"level", "case"} <= set(body["extra"]["fields"])


def test_alert_list_query_count_does_not_grow_with_the_page(
    scanned, courts, clerk, api_client, token_for, django_assert_max_num_queries
):
    key = token_for(courts.lu0102)
    get(api_client, key, "/api/v1/alerts/")  # warm caches (token, content types)
    for n in range(2, 8):
        make_case(clerk, courts.lu0102, number=f"(2026)鲁0102执{n}号", received="2026-09-29 10:00")
    scan_court(court_id=courts.lu0102.pk, at=at(OVERDUE_MOMENT))
    assert Alert.objects.count() > 20
    # auth (token + memberships), count, page, post holders, handlers
    with django_assert_max_num_queries(6):
        response = get(api_client, key, "/api/v1/alerts/")
    assert response.json()["count"] == Alert.objects.count()


def test_a_recipient_acknowledges_once_and_it_is_recorded(scanned, as_user, local_supervisor, handler):
    alert = Alert.objects.get(deadline=search_clock(scanned), level=AlertLevel.OVERDUE)

    first = as_user(local_supervisor).post(f"/api/v1/alerts/{alert.pk}/acknowledge/")
    second = as_user(handler).post(f"/api/v1/alerts/{alert.pk}/acknowledge/")

    assert first.status_code == 200 and first.json()["acknowledged_by"] == local_supervisor.username
    assert second.json()["acknowledged_by"] == local_supervisor.username  # the first is kept
    alert.refresh_from_db()
    assert alert.acknowledged_by == local_supervisor and alert.acknowledged_at is not None


def test_someone_the_alert_is_not_for_cannot_acknowledge_it(scanned, as_user, bureau_head):
    alert = Alert.objects.get(deadline=search_clock(scanned), level=AlertLevel.OVERDUE)
    response = as_user(bureau_head).post(f"/api/v1/alerts/{alert.pk}/acknowledge/")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_inbox_page_lists_my_alerts_and_acknowledges_with_htmx(
    scanned, client, bureau_head, django_assert_max_num_queries
):
    client.force_login(bureau_head)
    client.get(reverse("supervision:inbox"))
    # +8: the navigation's counts — one COUNT per work source of the role, the 待办 total, API token;
    # +1 the bell's unread COUNT (issue 16)
    with django_assert_max_num_queries(22):  # +1 一案双查待办 (the work source of dualcheck)
        page = client.get(reverse("supervision:inbox"))
    html = page.content.decode()
    assert page.status_code == 200 and "报告执行局长" in html and scanned.case_number in html
    assert "超期</span>" not in html  # the overdue level is for the handler and the 专人监管, not the head

    alert = Alert.objects.get(deadline=search_clock(scanned), level=AlertLevel.ESCALATED)
    row = client.post(reverse("supervision:alert-acknowledge", args=[alert.pk]), HTTP_HX_REQUEST="true")
    assert row.status_code == 200 and f'id="alert-{alert.pk}"' in row.content.decode()
    assert "签收" in row.content.decode() and bureau_head.display_name in row.content.decode()
    alert.refresh_from_db()
    assert alert.acknowledged_by == bureau_head


def test_inbox_refuses_to_acknowledge_for_someone_else(scanned, client, handler, bureau_head):
    alert = Alert.objects.get(deadline=search_clock(scanned), level=AlertLevel.ESCALATED)
    alert.handler = None
    alert.save(update_fields=["handler"])
    client.force_login(handler)
    row = client.post(reverse("supervision:alert-acknowledge", args=[alert.pk]), HTTP_HX_REQUEST="true")
    assert "只有该预警的接收人可以签收" in row.content.decode()
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_the_digest_sends_one_mail_per_recipient_then_nothing(
    scanned, handler, local_supervisor, bureau_head, case_supervisor
):
    for user in (handler, local_supervisor, bureau_head, case_supervisor):
        user.email = f"{user.username}@court.example"
        user.save(update_fields=["email"])

    sent = alerts_send_digest(now=at("2026-10-20 10:00"))

    assert sent == 4 == len(mail.outbox)
    to_handler = next(m for m in mail.outbox if m.to == [handler.email])
    handler_alerts = Alert.objects.filter(handler=handler).count()
    assert f"{handler_alerts} 条期限预警" in to_handler.subject
    assert scanned.case_number in to_handler.body and "/supervision/inbox/" in to_handler.body
    assert not Alert.objects.filter(notified_at__isnull=True).exists()
    assert alerts_send_digest(now=at("2026-10-21 10:00")) == 0
    assert len(mail.outbox) == 4


def test_calendar_notice_in_november_until_next_year_is_loaded(courts, db):
    admin = make_member(Role.ADMIN, courts.lu, "admin_lu")
    admin.email = "admin@court.example"
    admin.save(update_fields=["email"])
    CalendarYear.objects.filter(year=2027).delete()

    assert calendar_notice_check(today=dt.date(2026, 10, 31)) is None
    notice = calendar_notice_check(today=dt.date(2026, 11, 1))
    again = calendar_notice_check(today=dt.date(2026, 11, 2))

    assert notice is not None and again.pk == notice.pk and "2027" in notice.message
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["admin@court.example"]
    CalendarYear.objects.create(year=2027, source="国务院办公厅通知")
    assert calendar_notice_check(today=dt.date(2026, 11, 3)) is None
    assert SystemNotice.objects.get(pk=notice.pk).resolved_at is not None


def test_a_digest_that_fails_to_send_gives_its_alerts_back(scanned, handler, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    handler.email = "handler@court.example"
    handler.save(update_fields=["email"])

    def broken(self, messages):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(EmailBackend, "send_messages", broken)
    with pytest.raises(ConnectionRefusedError):
        alerts_send_digest(now=at("2026-10-20 10:00"))
    assert not Alert.objects.filter(notified_at__isnull=False).exists()

    monkeypatch.undo()
    assert alerts_send_digest(now=at("2026-10-20 11:00")) == 1
    assert len(mail.outbox) == 1
