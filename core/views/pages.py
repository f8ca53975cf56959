"""Browser pages of the kernel (server-rendered, htmx for partial updates): home, 我的待办,
the rule catalogue, the court tree. The working calendar's pages are in
``core.views.calendar``, the exports' in ``core.views.exports``."""

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from core import work
from core.calendar import start_of_day
from core.decorators import perm_required
from core.forms import TodoFilterForm
from core.models import Court, DeadlineRule, LegalCitation
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
from core.selectors import (
    deadlines_todo_filtered,
    todo_case_groups,
    todo_clocks_of_groups,
    visible_courts,
)
from core.services.clocks import extension_rows
from core.web.clocks import ClockRows


@login_required
def home(request):
    return redirect("core:todo")


TODO_CASES_PER_PAGE = 20
TODO_POST_ROWS = 10


def _due_window(urgency: str, now: dt.datetime, today: dt.date) -> dict[str, dt.datetime]:
    """The due window of an urgency filter (local days)."""
    tomorrow = start_of_day(today + dt.timedelta(days=1))
    in_a_week = start_of_day(today + dt.timedelta(days=8))
    return {
        "overdue": {"due_before": now},
        "today": {"due_from": now, "due_before": tomorrow},
        "week": {"due_from": now, "due_before": in_a_week},
        "later": {"due_from": in_a_week},
    }.get(urgency, {})


def _todo_filters(form: TodoFilterForm, courts: list[Court], clocks: ClockRows) -> dict[str, Any]:
    if not form.is_bound or not form.is_valid():
        return {}
    data = form.cleaned_data
    by_code = {c.code: c for c in courts}
    return {
        "rule_code": data["rule"],
        "court": by_code.get(data["court"]),
        **_due_window(data["urgency"], clocks.now, clocks.today),
    }


@require_GET
@perm_required("core.use_browser")
def todo(request):
    """我的待办, every person's landing page: the work waiting for their post
    (approvals, payments, alerts to sign, 督办 to answer, petitions — ``core.work``)
    and their own running clocks grouped by case, the most urgent case first, each
    clock with the time left in its own unit; filtered by rule, urgency and court,
    paged by case."""
    user = request.user
    clocks = ClockRows()
    courts = list(visible_courts(user))
    form = TodoFilterForm(
        request.GET or None,
        rules=DeadlineRule.objects.order_by("code").only("code", "name_zh"),
        courts=courts,
    )
    mine = deadlines_todo_filtered(user, **_todo_filters(form, courts, clocks))
    page = Paginator(todo_case_groups(mine), TODO_CASES_PER_PAGE).get_page(request.GET.get("page"))
    case_ids = [g["case_id"] for g in page.object_list]
    by_case: dict[int | None, list] = {pk: [] for pk in case_ids}
    for row in clocks.rows(todo_clocks_of_groups(mine, case_ids)):
        by_case[row.deadline.case_id].append(row)
    summaries = work.case_summaries(case_ids)
    groups = [{"case_id": pk, "case": summaries.get(pk), "rows": by_case[pk]} for pk in case_ids]
    counts = work.counts_for(user)
    posts = [
        {
            "source": source,
            "count": counts[source.key],
            "items": source.rows(user, TODO_POST_ROWS) if counts[source.key] else [],
            "url": reverse(source.list_url),
        }
        for source in work.sources_for(user)
    ]
    return render(
        request,
        "core/todo.html",
        {"form": form, "page": page, "groups": groups, "posts": posts, "now": clocks.now},
    )


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
