"""Navigation by role (issue 16): a short menu built from what the person can do.

我的待办 (every person's landing page) stands alone with the total of what waits for
them; the rest is grouped under a few headings (工作 / 案件 / 监督 / 系统), each a
``<details>`` dropdown that works without JavaScript, and a heading with a single
item is shown as that item. Each item shows only to users whose roles use it; the
work queues carry their count (one COUNT per work source the user's roles have,
``core.work.counts_for``, shared with 我的待办).

Who sees what in the menu (DESIGN "Who uses it"; the pages keep their own checks):
不明款 is worked by finance and watched by the bureau head and the 专人监管, not by
clerks and handlers (they match from the case's funds page); 法院 (the court tree)
is for the posts that see courts below their own and administrators; 接口文档 for
administrators and people who hold an API token."""

from collections.abc import Callable
from typing import Any

import rules
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import work
from core.models import Role
from core.selectors import active_memberships, deadlines_todo, user_has_role


def _sees_dualcheck(user) -> bool:
    """一案双查: the people who see clues and the members of active joint teams —
    the rule the app registers by name (``dualcheck.permissions``; core imports no
    domain app). A rule, not a permission: no superuser shortcut."""
    return rules.test_rule("dualcheck.use_dualcheck", user)


def _works_unidentified(user) -> bool:
    return user.has_perm("custody_funds.match") and (
        user.is_superuser or user_has_role(user, (Role.FINANCE, Role.BUREAU_HEAD, Role.CASE_SUPERVISOR))
    )


def _sees_court_tree(user) -> bool:
    return user.is_superuser or user_has_role(
        user, (Role.CASE_SUPERVISOR, Role.BUREAU_HEAD, Role.INSPECTOR, Role.COURT_LEADER, Role.ADMIN)
    )


def _reads_api_docs(user) -> bool:
    if user.is_superuser or user.is_staff or user_has_role(user, (Role.ADMIN,)):
        return True
    return user.api_tokens.filter(revoked_at__isnull=True).exists()


# (heading, [(label, url name, who, work sources counted on it)])
MenuEntry = tuple[Any, str, str | Callable[[Any], bool], tuple[str, ...]]
MENU: list[tuple[Any, list[MenuEntry]]] = [
    (
        _("工作"),
        [
            (_("预警收件箱"), "supervision:inbox", "supervision.use_inbox", ("supervision.alerts",)),
            (_("审批"), "enforcement:approvals", "enforcement.approve", ("enforcement.approvals",)),
            (
                _("案款审批"),
                "custody_funds:approvals",
                "custody_funds.approve",
                ("custody_funds.disbursements", "custody_funds.holds"),
            ),
            (
                _("补录核实"),
                "core:clock-corrections",
                "core.approve_deadline_change",
                ("core.clock_corrections",),
            ),
            (_("财务待付"), "custody_funds:finance", "custody_funds.pay", ("custody_funds.payments",)),
            (_("到账日报"), "custody_funds:receipts-daily", "custody_funds.pay", ()),
            (_("督办"), "supervision:orders", "core.use_browser", ("supervision.orders",)),
            (_("执行信访"), "supervision:petitions", "core.use_browser", ("supervision.petitions",)),
        ],
    ),
    (
        _("案件"),
        [
            (_("案件"), "enforcement:case-list", "core.use_browser", ()),
            (_("不明款"), "custody_funds:unidentified", _works_unidentified, ()),
            (_("一案双查"), "dualcheck:board", _sees_dualcheck, ()),
        ],
    ),
    (
        _("监督"),
        [
            (_("监督看板"), "supervision:dashboard", "supervision.view_dashboard", ()),
            (_("消极执行筛查"), "supervision:screening", "supervision.view_dashboard", ()),
            (_("质效指标"), "supervision:indicators", "supervision.view_dashboard", ()),
            (_("审计日志"), "audit:records", "audit.view_records", ()),
        ],
    ),
    (
        _("系统"),
        [
            (_("工作日历"), "core:calendar", "core.view_calendar", ()),
            (_("期限规则"), "core:rules", "core.use_browser", ()),
            (_("法院"), "core:courts", _sees_court_tree, ()),
            (_("接口文档"), "api-docs", _reads_api_docs, ()),
            (_("管理后台"), "admin:index", "core.open_admin", ()),
        ],
    ),
]


def _allowed(user, who) -> bool:
    return who(user) if callable(who) else user.has_perm(who)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    counts = work.counts_for(user)
    todo_url = reverse("core:todo")
    groups: list[dict[str, Any]] = []
    urls = [todo_url]
    for heading, entries in MENU:
        items = []
        for label, name, who, sources in entries:
            if not _allowed(user, who):
                continue
            url = reverse(name)
            urls.append(url)
            counted = [counts[key] for key in sources if key in counts]
            items.append({"label": label, "url": url, "count": sum(counted) if counted else None})
        if items:
            groups.append({"label": heading, "items": items})
    # The longest matching prefix is the active item (/cases/approvals/ is 审批, not 案件).
    active = max((url for url in urls if request.path.startswith(url) and url != "/"), key=len, default=None)
    for group in groups:
        for item in group["items"]:
            item["active"] = item["url"] == active
        group["active"] = any(item["active"] for item in group["items"])
    todo = None
    if user.has_perm("core.use_browser"):
        todo = {
            "url": todo_url,
            "active": active == todo_url,
            "count": sum(counts.values()) + deadlines_todo(user).count(),
        }
    return {
        "nav_todo": todo,
        "nav_groups": groups,
        "nav_badges": work.badge_counts(user),
        "my_memberships": active_memberships(user),
    }
