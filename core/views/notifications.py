"""站内通知 pages: the signed-in person's notifications (newest first, 未读/全部,
paged), mark one read (htmx swaps the row; without JavaScript the form posts and
the page reloads), mark all read, and follow a notification's link (marks it read)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from core.decorators import perm_required
from core.exceptions import NotFound
from core.models import Notification
from core.selectors import notification_unread_count, notifications_of
from core.services.notifications import notification_mark_read, notifications_mark_all_read
from core.web.htmx import is_partial, safe_next

PAGE_SIZE = 30
SHOW_CHOICES = {"unread": _("未读"), "all": _("全部")}


def _internal(link: str) -> bool:
    """Only a path on this site is followed (never another host)."""
    return link.startswith("/") and not link.startswith("//") and "\\" not in link


@require_GET
@perm_required("core.use_browser")
def notification_list(request) -> HttpResponse:
    show = request.GET.get("show") or "all"
    if show not in SHOW_CHOICES:
        show = "all"
    qs = notifications_of(request.user, unread=True if show == "unread" else None).select_related("court")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/notifications.html",
        {
            "page": page,
            "show": show,
            "show_choices": SHOW_CHOICES.items(),
            "unread_total": notification_unread_count(request.user),
        },
    )


def _mark_read(request, pk: int) -> Notification:
    """Mark the signed-in person's notification ``pk`` read; someone else's is 404."""
    try:
        return notification_mark_read(user=request.user, notification_id=pk)
    except NotFound:
        raise Http404 from None


@require_POST
@perm_required("core.use_browser")
def notification_read(request, pk: int) -> HttpResponse:
    notification = _mark_read(request, pk)
    if is_partial(request):
        response = render(request, "core/_notification_row.html", {"n": notification})
        response["HX-Trigger"] = "notifications-changed"
        return response
    return redirect(safe_next(request) or reverse("core:notifications"))


@require_POST
@perm_required("core.use_browser")
def notification_read_all(request) -> HttpResponse:
    count = notifications_mark_all_read(user=request.user)
    messages.success(request, _("已将 %(n)s 条通知标为已读。") % {"n": count})
    return redirect(safe_next(request) or reverse("core:notifications"))


@require_GET
@perm_required("core.use_browser")
def notification_open(request, pk: int) -> HttpResponse:
    """Follow the notification's link; following it is reading it."""
    notification = _mark_read(request, pk)
    if notification.link and _internal(notification.link):
        return redirect(notification.link)
    return redirect(reverse("core:notifications"))


@require_GET
@perm_required("core.use_browser")
def notification_bell(request) -> HttpResponse:
    """The bell alone, refreshed by htmx after a notification is marked read."""
    return render(request, "core/_bell.html")
