"""The public 终本案件 list (322号 §11; h/gateproc): reachable without login, one court at a time,
throttled as every anonymous request, with no internal id and no ID number."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.api.throttling import AnonRateThrottle, UserRateThrottle
from enforcement.api.public import public_row
from enforcement.selectors import public_court_get, public_courts, terminated_cases_public

PAGE_SIZE = 50


def _throttled(request: HttpRequest) -> int | None:
    """Seconds to wait, when the caller is over the same rate as the public REST endpoint."""
    throttle = UserRateThrottle() if request.user.is_authenticated else AnonRateThrottle()
    if throttle.allow_request(request, None):  # type: ignore[arg-type]  # a Django request is enough here
        return None
    return int(throttle.wait() or 1)


@require_GET
def terminated_cases(request: HttpRequest) -> HttpResponse:
    """终本案件公开名单: 案号、法院、终本日期、未履行金额、被执行人（自然人姓名脱敏）."""
    wait = _throttled(request)
    if wait is not None:
        response = render(
            request,
            "enforcement/public_terminated.html",
            {"error": _("请求过于频繁，请 %(s)s 秒后重试。") % {"s": wait}, "courts": []},
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response
    code = (request.GET.get("court") or "").strip()
    context: dict = {"courts": public_courts(), "code": code, "court": None, "rows": [], "page": None}
    if code:
        court = public_court_get(code)
        if court is None:
            context["error"] = _("没有该法院。")
            return render(request, "enforcement/public_terminated.html", context, status=404)
        page = Paginator(terminated_cases_public(court), PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(court=court, page=page, rows=[public_row(c) for c in page.object_list])
    return render(request, "enforcement/public_terminated.html", context)
