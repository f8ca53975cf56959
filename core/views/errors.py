"""The CSRF refusal as a house page (issue 16). Django renders a project's
``403_csrf.html`` without its reason; this view passes it on, for whoever inspects
the page (``data-reason``) — the reader gets the Chinese words of the template."""

from django.http import HttpResponseForbidden
from django.template import loader


def csrf_failure(request, reason: str = ""):
    return HttpResponseForbidden(
        loader.render_to_string("403_csrf.html", {"reason": reason}, request=request)
    )
