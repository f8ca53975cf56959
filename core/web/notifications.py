"""The bell's unread count, for every page (a context processor registered in
settings). The count is read only when a template shows it, once per request: one
COUNT on the partial index of unread rows, nothing on pages without the bell."""

from functools import cache

from core.selectors import notification_unread_count


def unread_notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def count() -> int:
        return notification_unread_count(user)

    return {"unread_notifications": count}
