"""Browser pages: the supervision dashboard (监督看板), the clock list behind each of
its numbers, 消极执行 screening and the quality indicators. Reads only, through
``supervision.selectors`` (court-scoped there) with the filters of
``supervision.filters``; a court outside the user's view is 404."""

import datetime as dt

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.decorators import perm_required
from core.exceptions import NotFound, ValidationFailed
from supervision.filters import clock_list_params, indicator_params, screening_params
from supervision.permissions import VIEW_DASHBOARD
from supervision.selectors.clocks import STATUS_LABELS, RunningClockList, deadline_rule_get
from supervision.selectors.dashboard import dashboard_data
from supervision.selectors.indicators import indicators_data
from supervision.selectors.scope import scope_for
from supervision.selectors.screening import KINDS, screening_list

PAGE_SIZE = 50


def pct(value: float | None) -> str:
    """0.1234 → "12.3%"; nothing to divide → "—"."""
    return "—" if value is None else f"{value * 100:.1f}%"


def _with_rates(rows: list[dict], *names: str) -> list[dict]:
    return [{**row, **{f"{name}_text": pct(row.get(name)) for name in names}} for row in rows]


def _local(row: dict) -> dict:
    """A row with its ISO moments (``*_at``) as datetimes, for the ``date`` filter."""
    return {
        k: dt.datetime.fromisoformat(v) if k.endswith("_at") and isinstance(v, str) else v
        for k, v in row.items()
    }


def _page(items, request):
    paginator = Paginator(items, PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger):
        page = paginator.page(paginator.num_pages if request.GET.get("page") else 1)
    page.object_list = [_local(row) for row in page.object_list]
    return page


def _chart_labels() -> dict[str, str]:
    """Words the charts show (dashboard.js), in the page's language."""
    return {
        "overdue": _("超期未完成"),
        "due_soon": _("临期"),
        "open": _("进行中（未临期）"),
        "paused": _("中止"),
        "breach_rate": _("超期率"),
        "met": _("按期完成"),
        "breached": _("超期"),
        "raised": _("发出预警"),
        "resolved": _("解除预警"),
        "count": _("笔数"),
        "amount": _("金额（元）"),
        "self": _("本院"),
        "no_data": _("暂无数据"),
    }


def _query(request) -> dict:
    return {k: v for k, v in request.GET.items() if k != "page"}


@require_GET
@perm_required(VIEW_DASHBOARD)
def dashboard(request):
    """监督看板 of the signed-in supervisor's court and everything below it;
    ``?court=`` drills into a visible court."""
    try:
        data = dashboard_data(user=request.user, court=request.GET.get("court"))
    except NotFound:
        raise Http404 from None
    context = {
        "data": data,
        "court_code": data["court"]["code"] if data["court"] else "",
        "totals": {**data["totals"], "breach_rate_text": pct(data["totals"]["breach_rate"])},
        "rules": _with_rates(data["rules"], "breach_rate"),
        "courts": _with_rates(data["courts"], "breach_rate"),
        "status_labels": STATUS_LABELS,
        "computed_at": dt.datetime.fromisoformat(data["computed_at"]) if data["computed_at"] else None,
        "chart_labels": _chart_labels(),
    }
    return render(request, "supervision/dashboard/dashboard.html", context)


@require_GET
@perm_required(VIEW_DASHBOARD)
def clock_list(request):
    """The running clocks behind a number of the dashboard: one rule (or all), one
    state, one court's subtree."""
    try:
        params = clock_list_params(request.user, request.GET)
    except NotFound:
        raise Http404 from None
    except ValidationFailed as exc:
        return render(request, "supervision/dashboard/clocks.html", {"error": exc.message}, status=400)
    scope = scope_for(request.user, params.get("court"))
    rules = (params["rule"],) if params.get("rule") else ()
    items = RunningClockList(scope.court_ids, params["status"], timezone.now(), rules)
    rule = deadline_rule_get(rules[0]) if rules else None
    context = {
        "page": _page(items, request),
        "params": params,
        "scope": scope,
        "rule": rule,
        "status_label": STATUS_LABELS[params["status"]],
        "statuses": STATUS_LABELS,
        "export_params": params,
    }
    return render(request, "supervision/dashboard/clocks.html", context)


@require_GET
@perm_required(VIEW_DASHBOARD)
def screening(request):
    """消极执行筛查: one tab per criterion (山东高院实施细则 第26条)."""
    kind = request.GET.get("kind") or "idle"
    if kind not in KINDS:
        raise Http404
    try:
        params = screening_params(request.user, request.GET, kind)
        error = None
    except NotFound:
        raise Http404 from None
    except ValidationFailed as exc:
        error = exc.message
        params = screening_params(request.user, {"court": request.GET.get("court", "")}, kind)
    scope = scope_for(request.user, params.get("court"))
    listing = screening_list(user=request.user, kind=kind, params=params)
    context = {
        "kinds": KINDS,
        "kind": KINDS[kind],
        "params": params,
        "scope": scope,
        "page": _page(listing, request),
        "error": error,
        "courts": scope.visible,
        "days": params.get("days", ""),
        "export_params": params,
        "query": _query(request),
    }
    return render(request, "supervision/dashboard/screening.html", context)


@require_GET
@perm_required(VIEW_DASHBOARD)
def indicators(request):
    """质效指标 per court, with their formulas."""
    error = None
    try:
        params = indicator_params(request.user, request.GET)
    except NotFound:
        raise Http404 from None
    except ValidationFailed as exc:
        error = exc.message
        params = indicator_params(request.user, {"court": request.GET.get("court", "")})
    data = indicators_data(user=request.user, params=params)
    names = ("within_limit_rate", "terminated_rate", "delivered_rate", "petition_rate", "compliance_rate")
    context = {
        "data": data,
        "courts": _with_rates(data["courts"], *names),
        "total": _with_rates([data["total"]], *names)[0],
        "rules": _with_rates(data["rules"], "rate"),
        "params": params,
        "error": error,
        "export_params": params,
        "court_code": params.get("court", ""),
        "no_petitions": _("—"),
        "computed_at": dt.datetime.fromisoformat(data["computed_at"]) if data["computed_at"] else None,
    }
    return render(request, "supervision/dashboard/indicators.html", context)


urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("clocks/", clock_list, name="clocks"),
    path("screening/", screening, name="screening"),
    path("indicators/", indicators, name="indicators"),
]
