"""Navigation by role: each item shows only to users whose roles use it."""

import rules
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.selectors import active_memberships


def _sees_dualcheck(user) -> bool:
    """一案双查: the people who see clues and the members of active joint teams —
    the rule the app registers by name (``dualcheck.permissions``; core imports no
    domain app). A rule, not a permission: no superuser shortcut."""
    return rules.test_rule("dualcheck.use_dualcheck", user)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = [
        (_("我的待办"), reverse("core:todo"), "core.use_browser"),
        (_("预警收件箱"), reverse("supervision:inbox"), "supervision.use_inbox"),
        (_("监督看板"), reverse("supervision:dashboard"), "supervision.view_dashboard"),
        (_("消极执行筛查"), reverse("supervision:screening"), "supervision.view_dashboard"),
        (_("质效指标"), reverse("supervision:indicators"), "supervision.view_dashboard"),
        (_("督办"), reverse("supervision:orders"), "core.use_browser"),
        (_("执行信访"), reverse("supervision:petitions"), "core.use_browser"),
        (_("一案双查"), reverse("dualcheck:board"), _sees_dualcheck),
        (_("案件"), reverse("enforcement:case-list"), "core.use_browser"),
        (_("审批"), reverse("enforcement:approvals"), "enforcement.approve"),
        (_("案款审批"), reverse("custody_funds:approvals"), "custody_funds.approve"),
        (_("补录核实"), reverse("core:clock-corrections"), "core.approve_deadline_change"),
        (_("财务待付"), reverse("custody_funds:finance"), "custody_funds.pay"),
        (_("到账日报"), reverse("custody_funds:receipts-daily"), "custody_funds.pay"),
        (_("不明款"), reverse("custody_funds:unidentified"), "custody_funds.match"),
        (_("工作日历"), reverse("core:calendar"), "core.view_calendar"),
        (_("期限规则"), reverse("core:rules"), "core.use_browser"),
        (_("法院"), reverse("core:courts"), "core.use_browser"),
        (_("接口文档"), reverse("api-docs"), "core.use_browser"),
        (_("审计日志"), reverse("audit:records"), "audit.view_records"),
        (_("管理后台"), reverse("admin:index"), "core.open_admin"),
    ]
    # The longest matching prefix is the active item (/cases/approvals/ is 审批, not 案件).
    matching = [url for _label, url, _perm in items if request.path.startswith(url) and url != "/"]
    active = max(matching, key=len, default=None)
    nav = [
        {"label": label, "url": url, "active": url == active}
        for label, url, perm in items
        if (perm(user) if callable(perm) else user.has_perm(perm))
    ]
    memberships = active_memberships(user)
    return {"nav_items": nav, "my_memberships": memberships}

