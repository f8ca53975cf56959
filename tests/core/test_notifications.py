"""站内通知 (issue 16): the service (never the actor, each person once), the person's
own list (newest first, unread filter, paged), mark one / all read, following a link,
the bell's one COUNT, REST (the contract's error shape), and the export-ready kind."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from core.exports import Exporter, export_run, export_start, register
from core.models import Notification, NotificationKind, User
from core.selectors import notification_unread_count, notifications_of
from core.services.notifications import notifications_mark_all_read, notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user():
    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


def tell(
    recipients, *, actor=None, court=None, title="案件 (2026)鲁0102执1号 已分配给您承办", link="/cases/"
):
    return notify(
        recipients=recipients,
        actor=actor,
        kind=NotificationKind.CASE_ASSIGNED,
        title=title,
        link=link,
        court=court,
    )


def test_notify_tells_each_person_once_and_never_the_actor(courts, handler, clerk, bureau_head):
    made = tell([handler, handler.pk, clerk, bureau_head], actor=clerk, court=courts.lu0102)
    assert sorted(n.recipient_id for n in made) == sorted([handler.pk, bureau_head.pk])
    assert not Notification.objects.filter(recipient=clerk).exists()


def test_notify_skips_inactive_people(courts, handler, clerk):
    handler.is_active = False
    handler.save(update_fields=["is_active"])
    assert tell([handler], actor=clerk, court=courts.lu0102) == []


def test_a_person_sees_only_their_own_newest_first_and_counts_unread(courts, handler, clerk, bureau_head):
    first = tell([handler], court=courts.lu0102, title="一")[0]
    second = tell([handler], court=courts.lu0102, title="二")[0]
    tell([bureau_head], court=courts.lu0102, title="局长的")
    Notification.objects.filter(pk=first.pk).update(created_at=first.created_at - dt.timedelta(hours=1))
    assert [n.title for n in notifications_of(handler)] == ["二", "一"]
    assert notification_unread_count(handler) == 2 and notification_unread_count(clerk) == 0
    assert [n.pk for n in notifications_of(handler, unread=True)] == [second.pk, first.pk]
    assert notifications_mark_all_read(user=handler) == 2
    assert notification_unread_count(handler) == 0 and notification_unread_count(bureau_head) == 1


def test_a_revoked_post_takes_its_notifications_with_it(courts, handler):
    tell([handler], court=courts.lu0102)
    tell([handler], court=None, title="个人事项")
    handler.memberships.update(revoked_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
    fresh = User.objects.get(pk=handler.pk)  # memberships are read once per request (user object)
    assert [n.title for n in notifications_of(fresh)] == ["个人事项"]


# --- browser ---------------------------------------------------------------------------------


def test_the_bell_shows_the_unread_count_on_every_page(client, courts, handler):
    tell([handler], court=courts.lu0102)
    tell([handler], court=courts.lu0102)
    client.force_login(handler)
    html = client.get(reverse("core:todo")).content.decode()
    bell = re.search(r'<a id="notification-bell".*?</a>', html, re.S).group(0)
    assert 'data-unread="2"' in bell and '<span class="count">2</span>' in bell and "通知" in bell


def test_the_bell_costs_one_count_query(client, courts, handler):
    client.force_login(handler)
    client.get(reverse("core:todo"))
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("core:todo"))
    for _i in range(5):
        tell([handler], court=courts.lu0102)
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("core:todo"))
    counts = [q["sql"] for q in after.captured_queries if "core_notification" in q["sql"]]
    assert len(counts) == 1 and counts[0].startswith("SELECT COUNT(*)")
    assert len(after.captured_queries) == len(before.captured_queries)


def test_list_page_newest_first_unread_highlighted_filter_and_paged(client, courts, handler):
    for i in range(32):
        tell([handler], court=courts.lu0102, title=f"通知{i:02d}")
    notifications_mark_all_read(user=handler)
    tell([handler], court=courts.lu0102, title="最新未读")
    client.force_login(handler)
    html = client.get(reverse("core:notifications")).content.decode()
    rows = re.findall(r'<li id="notification-\d+" class="notification( unread)?"', html)
    assert len(rows) == 30 and rows[0] == " unread" and all(r == "" for r in rows[1:])
    assert html.index("最新未读") < html.index("通知31") < html.index("通知30")
    assert "第 1 / 2 页" in html
    html = client.get(reverse("core:notifications"), {"show": "unread"}).content.decode()
    assert "最新未读" in html and "通知31" not in html
    assert client.get(reverse("core:notifications"), {"show": "nonsense"}).status_code == 200


def test_mark_one_read_without_javascript_and_with_htmx(client, courts, handler):
    one, two = tell([handler], court=courts.lu0102)[0], tell([handler], court=courts.lu0102)[0]
    client.force_login(handler)
    r = client.post(reverse("core:notification-read", args=[one.pk]), {"next": "/notifications/?show=unread"})
    assert r.status_code == 302 and r["Location"] == "/notifications/?show=unread"
    one.refresh_from_db()
    assert one.read_at is not None
    r = client.post(reverse("core:notification-read", args=[two.pk]), HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and r["HX-Trigger"] == "notifications-changed"
    assert f'id="notification-{two.pk}" class="notification"' in r.content.decode()
    assert notification_unread_count(handler) == 0


def test_mark_all_read_and_someone_elses_is_404(client, courts, handler, bureau_head):
    tell([handler, bureau_head], court=courts.lu0102)
    tell([handler], court=courts.lu0102)
    theirs = Notification.objects.get(recipient=bureau_head)
    client.force_login(handler)
    assert client.post(reverse("core:notification-read", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("core:notification-open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    r = client.post(reverse("core:notifications-read-all"))
    assert r.status_code == 302
    assert notification_unread_count(handler) == 0 and notification_unread_count(bureau_head) == 1


def test_following_the_link_marks_it_read_and_stays_on_this_site(client, courts, handler):
    ok = tell([handler], court=courts.lu0102, link="/cases/")[0]
    evil = tell([handler], court=courts.lu0102, link="//evil.example/")[0]
    client.force_login(handler)
    r = client.get(reverse("core:notification-open", args=[ok.pk]))
    assert r.status_code == 302 and r["Location"] == "/cases/"
    ok.refresh_from_db()
    assert ok.read_at is not None
    r = client.get(reverse("core:notification-open", args=[evil.pk]))
    assert r["Location"] == reverse("core:notifications")


# --- REST ------------------------------------------------------------------------------------


def test_api_lists_my_notifications_newest_first_with_the_unread_filter(
    courts, handler, bureau_head, as_user
):
    older = tell([handler], court=courts.lu0102, title="旧")[0]
    Notification.objects.filter(pk=older.pk).update(created_at=older.created_at - dt.timedelta(hours=1))
    newer = tell([handler], court=courts.lu0102, title="新")[0]
    tell([bureau_head], court=courts.lu0102, title="别人的")
    client = as_user(handler)
    body = client.get("/api/v1/notifications/").json()
    assert body["count"] == 2 and [n["title"] for n in body["results"]] == ["新", "旧"]
    row = body["results"][0]
    assert row["kind"] == "case_assigned" and row["court"] == "鲁0102" and row["unread"] is True
    assert client.post(f"/api/v1/notifications/{newer.pk}/read/").json()["unread"] is False
    assert [n["title"] for n in client.get("/api/v1/notifications/?unread=true").json()["results"]] == ["旧"]
    assert [n["title"] for n in client.get("/api/v1/notifications/?unread=false").json()["results"]] == ["新"]


def test_api_bad_filter_is_400_and_someone_elses_is_404(courts, handler, bureau_head, as_user):
    theirs = tell([bureau_head], court=courts.lu0102)[0]
    client = as_user(handler)
    r = client.get("/api/v1/notifications/?unread=maybe")
    assert r.status_code == 400
    assert (
        r.json()["code"]
        and "unread" in r.json()["extra"]["fields"]
        and "true 或 false" in r.json()["message"]
    )
    r = client.post(f"/api/v1/notifications/{theirs.pk}/read/")
    assert r.status_code == 404 and set(r.json()) == {"code", "message", "extra"}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_api_list_query_count_does_not_grow(courts, handler, as_user, django_assert_max_num_queries):
    client = APIClient()
    client.force_login(handler)  # a session: each request reads the person afresh
    tell([handler], court=courts.lu0102)
    with django_assert_max_num_queries(6) as few:
        client.get("/api/v1/notifications/")
    for _i in range(10):
        tell([handler], court=courts.lu0102)
    with django_assert_max_num_queries(6) as many:
        client.get("/api/v1/notifications/")
    assert len(many.captured_queries) == len(few.captured_queries)


# --- export ready ----------------------------------------------------------------------------


register(
    Exporter(key="tests.notify", title="通知测试导出", columns=["列"], rows=lambda user, params: [["甲"]])
)


def test_a_finished_export_tells_the_person_who_asked_once(courts, clerk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = export_start(user=clerk, key="tests.notify", params={})
    assert not Notification.objects.exists()  # asked, not ready yet
    assert export_run(job_id=str(job.pk)) == "done"
    assert export_run(job_id=str(job.pk)) == "done"  # idempotent: told once
    (note,) = Notification.objects.filter(recipient=clerk)
    assert note.kind == NotificationKind.EXPORT_READY and note.court_id is None
    assert note.link == reverse("core:export-detail", args=[job.pk]) and "通知测试导出" in note.title
    assert "共 1 行" in note.body


def test_digest_mails_unread_notifications_once(courts, handler, bureau_head):
    from supervision.services.alerts import alerts_send_digest

    handler.email, bureau_head.email = "handler@example.com", "head@example.com"
    handler.save(update_fields=["email"])
    bureau_head.save(update_fields=["email"])
    tell([handler], court=courts.lu0102, title="案件甲已分配给您")
    read = tell([bureau_head], court=courts.lu0102, title="已读的")[0]
    notifications_mark_all_read(user=bureau_head)
    assert Notification.objects.get(pk=read.pk).read_at is not None
    assert alerts_send_digest() == 1
    (message,) = mail.outbox
    assert message.to == ["handler@example.com"] and "案件甲已分配给您" in message.body
    assert "1 条未读通知" in message.subject
    assert alerts_send_digest() == 0 and len(mail.outbox) == 1  # the next digest does not send it again
