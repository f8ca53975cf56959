"""站内通知 in Chromium (issue 16): the bell's count, the list, 标为已读 by htmx (the
bell follows), following a notification, 全部标为已读."""

import re

import pytest
from playwright.sync_api import expect

from core.models import Notification, NotificationKind
from core.services.notifications import notify
from tests.browser import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_bell_list_mark_read_follow_and_mark_all(page, courts, bureau_head, handler):
    for title, link in (
        ("超标的查封审批待您审批：(2026)鲁0102执1号", "/cases/approvals/"),
        ("案件 (2026)鲁0102执2号 已分配给您承办", "/cases/"),
        ("导出文件已生成：期限规则", ""),
    ):
        notify(
            recipients=[bureau_head],
            actor=handler,
            kind=NotificationKind.APPROVAL_REQUESTED,
            title=title,
            link=link,
            court=courts.lu0102,
        )
    log_in(page, bureau_head)
    page.goto("/todo/")
    bell = page.locator("#notification-bell")
    expect(bell.locator(".count")).to_have_text("3")
    bell.click()
    expect(page).to_have_url(re.compile(r"/notifications/\?show=unread$"))
    expect(page.locator("h1")).to_have_text("站内通知")
    expect(page.locator("li.notification.unread")).to_have_count(3)
    screenshot(page, "notifications_unread")

    # 标为已读 by htmx: the row loses its highlight and the bell follows
    row = page.locator("li.notification", has_text="导出文件已生成")
    row.get_by_role("button", name="标为已读").click()
    expect(page.locator("li.notification.unread")).to_have_count(2)
    expect(page.locator("#notification-bell .count")).to_have_text("2")

    # following one reads it and lands on its page
    page.get_by_role("link", name="超标的查封审批待您审批：(2026)鲁0102执1号").click()
    expect(page).to_have_url(re.compile(r"/cases/approvals/$"))
    expect(page.locator("#notification-bell .count")).to_have_text("1")

    # 全部标为已读
    page.goto("/notifications/")
    page.get_by_role("button", name="全部标为已读").click()
    expect(page.locator(".messages")).to_contain_text("已将 1 条通知标为已读")
    expect(page.locator("li.notification.unread")).to_have_count(0)
    expect(page.locator("#notification-bell .count")).to_have_count(0)
    assert not Notification.objects.filter(read_at__isnull=True).exists()
