"""Browser pages: the alert inbox (预警收件箱) and acknowledging an alert (签收)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from core.decorators import perm_required
from core.exceptions import ApplicationError, NotFound
from core.web.clocks import ClockRows
from core.web.htmx import is_partial, safe_next
from core.web.pages import call_service
from supervision.models import AlertLevel
from supervision.selectors.alerts import alert_get_visible, alert_recipients, alerts_inbox
from supervision.services.alerts import alert_acknowledge, system_notices_for

PAGE_SIZE = 50

SHOW = {
    "open": (gettext_lazy("未解除"), {"resolved_at__isnull": True}),
    "unacknowledged": (
        gettext_lazy("待签收"),
        {"acknowledged_at__isnull": True, "resolved_at__isnull": True},
    ),
    "all": (gettext_lazy("全部"), {}),
}


def _decorate(alerts, now):
    """Recipients, and the clock's time left in its own unit (``ClockRows``: the same
    "已超期 5 个工作日" as 我的待办 and the case page)."""
    people = alert_recipients(alerts)
    clocks = ClockRows(now)
    for alert in alerts:
        alert.recipient_list = people[alert.pk]
        alert.clock = clocks.row(alert.deadline)
    return alerts


@require_GET
@perm_required("supervision.use_inbox")
def inbox(request):
    """预警收件箱: alerts addressed to the signed-in user, newest first."""
    show = request.GET.get("show", "open")
    if show not in SHOW:
        show = "open"
    level = request.GET.get("level", "")
    qs = alerts_inbox(request.user).filter(**SHOW[show][1])
    if level in AlertLevel.values:
        qs = qs.filter(level=level)
    qs = qs.select_related("court", "rule", "case", "deadline", "acknowledged_by").order_by(
        "-raised_at", "-id"
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    return render(
        request,
        "supervision/inbox.html",
        {
            "page": page,
            "alerts": _decorate(list(page.object_list), now),
            "show": show,
            "shows": [(key, label) for key, (label, _filter) in SHOW.items()],
            "level": level,
            "levels": AlertLevel.choices,
            "notices": system_notices_for(request.user),
        },
    )


@require_POST
@perm_required("supervision.use_inbox")
def acknowledge(request, alert_id: int):
    """签收. htmx swaps the row; without htmx the page comes back with a message.
    An alert outside the user's courts is 404 (never a server error)."""
    try:
        alert = alert_get_visible(request.user, alert_id)
    except NotFound:
        raise Http404 from None
    error = None
    try:
        call_service(alert_acknowledge, alert=alert, user=request.user)
    except ApplicationError as exc:
        error = exc.message
    if is_partial(request):
        alert = alert_get_visible(request.user, alert_id)
        return render(
            request,
            "supervision/_alert_row.html",
            {"alert": _decorate([alert], timezone.now())[0], "error": error},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("已签收。"))
    return redirect(safe_next(request) or "supervision:inbox")


urlpatterns = [
    path("inbox/", inbox, name="inbox"),
    path("alerts/<int:alert_id>/acknowledge/", acknowledge, name="alert-acknowledge"),
]
