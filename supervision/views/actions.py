"""What the order page and the petition page share: one action of a detail page —
validate its form, call the service, and either report success or hand back the
bound form with the refusal placed next to its field."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import Http404, HttpRequest

from core.exceptions import ApplicationError, NotFound, PermissionDenied
from core.web import call_service
from supervision import forms as f


@dataclass(frozen=True)
class Action:
    slug: str
    form_class: type[forms.Form]
    title: Any
    submit: Any
    perform: Callable[[Any, Any, dict], Any]
    done: Any
    danger: bool = False


def action_run(
    request: HttpRequest, *, spec: Action, obj: Any, place_error: dict | None = None
) -> tuple[forms.Form, int | None]:
    """Run ``spec`` on ``obj``. Returns the bound form and ``None`` when done, or
    the form with its errors and the status to answer with (403/409/422)."""
    form = spec.form_class(request.POST, auto_id=f"id_{spec.slug}_%s")
    if not form.is_valid():
        return form, 422
    try:
        call_service(spec.perform, request.user, obj, form.cleaned_data)
    except NotFound:
        raise Http404 from None
    except PermissionDenied as exc:
        form.add_error(None, str(exc.message))
        return form, 403
    except ApplicationError as exc:
        f.place_error(form, exc, **(place_error or {}))
        return form, 409 if exc.status_code == 409 else 422
    return form, None
