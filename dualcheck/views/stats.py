"""一案双查 statistics page (通报): counts by source, stage, conclusion, disposition
and court over the clues the user may see, with year and court filters, ECharts
bars over the same numbers as the tables, and an Excel export
(``dualcheck.stats``, core.exports). The numbers come from
``dualcheck.stats.clue_stats`` — the same function as the export and
the REST endpoint."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.decorators import perm_required
from core.exceptions import NotFound, ValidationFailed
from core.models import CourtLevel
from core.selectors import active_memberships, visible_courts
from dualcheck.stats import clue_stats, stats_params, stats_years

# The court filter offers the courts that handle 一案双查 (§4) plus the user's own.
FILTER_LEVELS = (CourtLevel.SUPREME, CourtLevel.HIGH, CourtLevel.INTERMEDIATE)


def _chart_labels() -> dict[str, str]:
    return {
        "count": _("线索数"),
        "dispositions": _("处理数"),
        "open": _("未办结"),
        "closed": _("已办结"),
        "no_data": _("暂无数据"),
        "hidden": _("无权查看"),
    }


def _court_choices(user) -> list[dict]:
    own = {m.court_id for m in active_memberships(user)}
    courts = visible_courts(user).only("code", "name", "level", "path")
    return [
        {"code": c.code, "name": c.name}
        for c in courts.filter(level__in=FILTER_LEVELS) | courts.filter(pk__in=own)
    ]


@require_GET
@perm_required("core.use_browser")
def stats(request: HttpRequest) -> HttpResponse:
    error = None
    try:
        params = stats_params(request.user, request.GET)
    except NotFound:
        raise Http404 from None
    except ValidationFailed as exc:
        error = exc.message
        params = stats_params(request.user, {"court": request.GET.get("court", "")})
    data = clue_stats(user=request.user, params=params)
    context = {
        "data": data,
        "params": params,
        "error": error,
        "years": stats_years(),
        "courts": _court_choices(request.user),
        "export_params": params,
        "chart_labels": _chart_labels(),
        "chart_data": {
            "by_source": data["by_source"],
            "by_status": data["by_status"],
            "by_disposition": data["by_disposition"],
            "by_court": data["by_court"],
            "by_target_court": data["by_target_court"],
        },
    }
    return render(request, "dualcheck/stats.html", context, status=422 if error else 200)


urlpatterns = [
    path("stats/", stats, name="stats"),
]
