"""One action of a page, and the page that offers actions.

An ``Action`` is one thing a user can do on a detail page: its form, the service it
calls (``perform``) and when the page offers it (``available``, which asks the app's
``policy``). ``action_run`` validates the bound form, calls the service and, on a
refusal, puts the error next to the input it is about. ``ActionPage`` holds the
forms of one page, keeping a refused form (with its errors) on the page even when
the state no longer offers it."""

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from core.exceptions import (
    ApplicationError,
    ConcurrentChange,
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from core.web.forms import RowSet, place_error

logger = logging.getLogger(__name__)

T = TypeVar("T")


def call_service(service: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a service; the few errors that are not ``ApplicationError`` yet (state
    machine refusals, a constraint the service did not check first) become one, so
    the page can show them."""
    try:
        return service(*args, **kwargs)
    except TransitionNotAllowed:
        raise InvalidTransition() from None
    except ConcurrentTransition:
        raise ConcurrentChange() from None
    except DjangoValidationError as exc:
        raise ValidationFailed("；".join(exc.messages)) from None
    except IntegrityError:
        logger.exception("integrity error in %s", getattr(service, "__name__", service))
        raise Conflict(_("数据与已有记录冲突，请刷新后重试。")) from None


@dataclass
class Done:
    """What an action reports when it succeeded: a message, and where to go next
    (None: back to the page)."""

    message: Any
    url: str | None = None


def _always(_page: Any, _obj: Any = None) -> bool:
    return True


@dataclass(frozen=True)
class Action:
    """One thing that can be done on a page.

    ``perform(page, obj, form)`` calls the service with ``form.cleaned_data`` and
    returns a ``Done`` (or anything: ``done`` is then the message). ``available(page,
    obj)`` says whether the page offers it — from the app's policy, so the button and
    the service agree. ``on`` names the kind of sub-object it acts on (None: the page's
    own object). ``code_fields`` maps a rule code to the input a refusal is about."""

    slug: str
    form_class: type[forms.Form]
    title: Any
    submit: Any
    perform: Callable[..., Any]
    available: Callable[[Any, Any], bool] = _always
    on: str | None = None
    danger: bool = False
    done: Any = None
    code_fields: Mapping[str, str] = field(default_factory=dict)

    def key(self, obj: Any = None) -> str:
        """The form's key on the page (and its DOM id after ``form-``)."""
        return self.slug if obj is None else f"{self.slug}-{obj.pk}"


def action_run(
    form: forms.Form,
    perform: Callable[[], T],
    *,
    code_fields: Mapping[str, str] | None = None,
    rowsets: Iterable[RowSet] = (),
    aliases: Mapping[str, str] | None = None,
) -> tuple[T | None, int | None]:
    """Validate ``form`` and run ``perform``. Returns ``(result, None)`` when done, or
    ``(None, status)`` with the errors on the form: 422 for input or a rule, 409 for
    a conflict with the current state, 403 when the user may not. An object that is
    not there (any more) is a 404."""
    valid = form.is_valid()
    valid = all([valid, *[r.is_valid() for r in rowsets]])  # a list: every row gets its errors
    if not valid:
        return None, 422
    try:
        result = call_service(perform)
    except NotFound:
        raise Http404 from None
    except PermissionDenied as exc:
        form.add_error(None, str(exc.message))
        return None, 403
    except ApplicationError as exc:
        place_error(form, exc, rowsets=rowsets, code_fields=code_fields, aliases=aliases)
        return None, 409 if exc.status_code == 409 else 422
    return result, None


class ActionPage:
    """A detail page that offers ``actions`` on its object and its sub-objects.

    Subclasses set ``actions`` and implement ``action_url``; forms are built with
    ``form_kwargs`` (the page and the object by default). ``bind`` keeps a refused
    form so that the page shows it again with its errors."""

    actions: Mapping[str, Action] = {}

    def __init__(self) -> None:
        self.bound: dict[str, forms.Form] = {}

    def action_url(self, action: Action, obj: Any = None) -> str:
        raise NotImplementedError

    def may_act(self) -> bool:
        """Whether the user may act on this page at all (policy of the app)."""
        return True

    def form_kwargs(self, action: Action, obj: Any) -> dict[str, Any]:
        return {"page": self, "obj": obj}

    def bind(self, action: Action, obj: Any, form: forms.Form) -> None:
        self.bound[action.key(obj)] = form

    def form_for(self, action: Action, obj: Any = None) -> forms.Form:
        key = action.key(obj)
        form = self.bound.get(key) or action.form_class(auto_id=f"id_{key}_%s", **self.form_kwargs(action, obj))
        form.action, form.key, form.dom_id, form.url = action, key, f"form-{key}", self.action_url(action, obj)  # type: ignore[attr-defined]
        return form

    def forms_on(self, on: str | None, obj: Any = None) -> list[forms.Form]:
        """The forms offered on ``obj`` (a form just refused stays, with its errors,
        even when the state no longer offers it)."""
        if not self.may_act():
            return []
        return [
            self.form_for(a, obj)
            for a in self.actions.values()
            if a.on == on and (a.available(self, obj) or a.key(obj) in self.bound)
        ]
