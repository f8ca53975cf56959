"""Browser pages of the kernel (server-rendered, htmx for partial updates): home, 我的待办,
the rule catalogue, the court tree. The working calendar's pages are in
``core.views.calendar``, the exports' in ``core.views.exports``."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from core.decorators import perm_required
from core.models import DeadlineRule
from core.selectors import deadlines_todo, visible_courts
from core.services.clocks import extension_rows
from core.web.clocks import ClockRows


@login_required
def home(request):
    return redirect("core:todo")


@require_GET
@perm_required("core.use_browser")
def todo(request):
    """我的待办: the clocks the signed-in user is responsible for, each with the time
    left in its own unit."""
    clocks = ClockRows()
    rows = clocks.rows(deadlines_todo(request.user)[:500])
    return render(request, "core/todo.html", {"rows": rows, "now": clocks.now})


@require_GET
@perm_required("core.use_browser")
def rule_catalogue(request):
    rules = DeadlineRule.objects.order_by("code")
    return render(request, "core/rules.html", {"rules": rules, "extension_table": _extension_table(rules)})


def _extension_table(rules) -> list[dict]:
    """Per rule: whether, by whom and up to what it may be extended (lifecycle spec §2)."""
    policies = {row["code"]: row for row in extension_rows()}
    return [{"code": r.code, "name_zh": r.name_zh, "policy": policies.get(r.code)} for r in rules]


@require_GET
@perm_required("core.use_browser")
def court_tree(request):
    courts = visible_courts(request.user).select_related("parent")
    return render(request, "core/courts.html", {"courts": courts})
