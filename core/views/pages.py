"""Browser pages of the kernel (server-rendered, htmx for partial updates): home, 我的待办,
the rule catalogue, the court tree. The working calendar's pages are in
``core.views.calendar``, the exports' in ``core.views.exports``."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from core.decorators import perm_required
from core.models import DeadlineRule, LegalCitation
from core.rule_catalogue import (
    LIFECYCLE,
    LIFECYCLE_EVENTS,
    LIFECYCLE_EVENTS_ZH,
    LIFECYCLE_OUTCOMES_ZH,
    PAUSE_APPROVAL,
    PAUSE_APPROVAL_ZH,
    PAUSE_WITH_APPROVED_REASON,
    SUSPENSION,
)
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


def lifecycle_table() -> dict:
    """The catalogue's LIFECYCLE as the page shows it (issue 15): one row per rule,
    one cell per case event, in Chinese; a pause names the approval it needs."""
    names = dict(DeadlineRule.objects.values_list("code", "name_zh"))
    rows = []
    for code, row in LIFECYCLE.items():
        cells = []
        for event in LIFECYCLE_EVENTS:
            outcome = row[event]
            label = LIFECYCLE_OUTCOMES_ZH[outcome]
            if outcome == PAUSE_WITH_APPROVED_REASON:
                label += f"（{PAUSE_APPROVAL_ZH[PAUSE_APPROVAL.get(code, SUSPENSION)]}）"
            cells.append({"event": event, "outcome": outcome, "label": label})
        rows.append({"code": code, "name": names.get(code, ""), "cells": cells})
    return {"lifecycle_events": [LIFECYCLE_EVENTS_ZH[e] for e in LIFECYCLE_EVENTS], "lifecycle_rows": rows}


@require_GET
@perm_required("core.use_browser")
def rule_catalogue(request):
    rules = DeadlineRule.objects.order_by("code").prefetch_related("citations")
    context = {
        "rules": rules,
        "extension_table": _extension_table(rules),
        "citations": LegalCitation.objects.order_by("code"),
        **lifecycle_table(),
    }
    return render(request, "core/rules.html", context)


def _extension_table(rules) -> list[dict]:
    """Per rule: whether, by whom and up to what it may be extended (lifecycle spec §2)."""
    policies = {row["code"]: row for row in extension_rows()}
    return [{"code": r.code, "name_zh": r.name_zh, "policy": policies.get(r.code)} for r in rules]


@require_GET
@perm_required("core.use_browser")
def court_tree(request):
    courts = visible_courts(request.user).select_related("parent")
    return render(request, "core/courts.html", {"courts": courts})
