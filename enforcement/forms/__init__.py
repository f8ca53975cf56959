"""Browser forms of the enforcement pages. They only parse and check the shape of
what was typed; every rule lives in the services, whose ``ApplicationError`` the
views place next to the field it names (``core.web.forms.place_error``).

The forms live in modules by subject; this package re-exports them all
(``from enforcement import forms as f``; ``f.CaseForm``)."""

from enforcement.forms.actions import *  # noqa: F403
from enforcement.forms.base import *  # noqa: F403
from enforcement.forms.cases import *  # noqa: F403
from enforcement.forms.coercion import *  # noqa: F403
from enforcement.forms.credit import *  # noqa: F403
from enforcement.forms.gate import *  # noqa: F403
