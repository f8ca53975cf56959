"""The inputs every browser form shares, and ``place_error``.

Forms only parse and check the shape of what was typed; every rule lives in the
services, whose ``ApplicationError`` the page puts next to the input it names
(``place_error``). Times typed into a form are Beijing time whatever the server's zone
(DESIGN: every period is counted in Asia/Shanghai)."""

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone

from core.exceptions import ApplicationError
from core.forms import CourtDateTimeMixin, IsoDateInput, MoneyFormField

SHANGHAI = ZoneInfo("Asia/Shanghai")
DATETIME_INPUT = "%Y-%m-%dT%H:%M"
MAX_ROWS = 50


def local_now_input() -> str:
    """Now, as a ``datetime-local`` value (minutes; never in the future)."""
    return timezone.localtime(timezone.now(), SHANGHAI).strftime(DATETIME_INPUT)


def local_today() -> dt.date:
    return timezone.localtime(timezone.now(), SHANGHAI).date()


class LocalDateTimeField(CourtDateTimeMixin, forms.DateTimeField):
    """A ``datetime-local`` input read as Asia/Shanghai time. A node's time defaults to
    now only where the form says so (``initial=local_now_input``)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT)
        )
        kwargs.setdefault("input_formats", [DATETIME_INPUT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"])
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dt.datetime | None:
        with timezone.override(SHANGHAI):
            result = super().to_python(value)
        if result is not None and timezone.is_naive(result):
            result = timezone.make_aware(result, SHANGHAI)
        return result

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dt.datetime) and timezone.is_aware(value):
            return timezone.localtime(value, SHANGHAI).replace(second=0, microsecond=0, tzinfo=None)
        return value


# A date picker whose value is ISO (a date input shows nothing for 2026/12/06).
DateInput = IsoDateInput


def money_field(label: Any, *, required: bool = True, **kwargs: Any) -> forms.DecimalField:
    """CNY, at most two places, ASCII digits."""
    return MoneyFormField(
        label=label,
        required=required,
        max_digits=16,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        **kwargs,
    )


def textarea(rows: int = 3, **attrs: Any) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, **attrs})


def blank_choice(label: Any) -> list[tuple[str, Any]]:
    """The empty first choice of a filter (全部, 请选择)."""
    return [("", label)]


class RowSet:
    """Repeated rows of one small form (parties, findings, officers), posted as
    ``<name>-<i>-<field>``. Rows can be added by htmx with any free index and removed
    in the browser, so the indices present in the data are the rows; rows left
    entirely blank are ignored."""

    def __init__(
        self,
        form_class: type[forms.Form],
        name: str,
        data: Any = None,
        *,
        initial_rows: int = 1,
        auto_id: str = "id_%s",
        form_kwargs: dict[str, Any] | None = None,
    ) -> None:
        self.name = name
        self.errors: list[str] = []
        kwargs = form_kwargs or {}
        if data is not None:
            pattern = re.compile(rf"^{re.escape(name)}-(\d+)-")
            indices = sorted({int(m.group(1)) for key in data if (m := pattern.match(key))})[:MAX_ROWS]
        else:
            indices = list(range(initial_rows))
        self.forms = [form_class(data, prefix=f"{name}-{i}", auto_id=auto_id, **kwargs) for i in indices]
        self.next_index = (max(indices) + 1) if indices else 0

    @property
    def filled(self) -> list[forms.Form]:
        """The rows that were typed into, in order; the service sees them as
        ``<name>[0]``, ``<name>[1]``..."""
        return [f for f in self.forms if f.is_bound and f.has_changed()]

    def is_valid(self) -> bool:
        return all([f.is_valid() for f in self.filled])  # a list: every row gets its errors


# --- placing a service's refusal ---------------------------------------------------------------

_PATH = re.compile(r"^(?P<name>\w+)(?:\[(?P<index>\d+)\])?(?:\.(?P<rest>[\w.]+))?$")


def place_error(
    form: forms.Form,
    exc: ApplicationError,
    *,
    rowsets: Iterable[RowSet] = (),
    code_fields: Mapping[str, str] | None = None,
    aliases: Mapping[str, str] | None = None,
) -> bool:
    """Show ``exc`` next to the input it is about, else at the top of ``form``.

    In order: the paths of ``extra["fields"]`` (a form field, ``rows[1].field`` for
    that row's input, ``rows`` for the whole row set; ``aliases`` maps a service's
    name to the form's), else the input ``code_fields`` names for the rule code, else
    the top of the form. Returns whether it was placed next to an input."""
    by_name = {r.name: r for r in rowsets}
    fields = exc.extra.get("fields") if isinstance(exc.extra, dict) else None
    if isinstance(fields, dict) and place_errors(form, fields, rowsets=rowsets, aliases=aliases):
        return True
    target = (code_fields or {}).get(exc.code or "")
    if target is not None and target in by_name:
        by_name[target].errors.append(str(exc.message))
        return True
    if target is not None and target in form.fields:
        form.add_error(target, str(exc.message))
        return True
    form.add_error(None, str(exc.message))
    return False


def place_errors(
    form: forms.Form,
    fields: Mapping[str, Any],
    *,
    rowsets: Iterable[RowSet] = (),
    aliases: Mapping[str, str] | None = None,
    keep_existing: bool = False,
) -> bool:
    """Put every message of ``fields`` (a service's ``extra["fields"]``: path →
    messages) next to its input, all at once. With ``keep_existing`` an input the form
    already refused keeps the form's message only. Returns whether any was placed."""
    by_name = {r.name: r for r in rowsets}
    placed = False
    for path, messages in fields.items():
        texts = [str(m) for m in (messages if isinstance(messages, list) else [messages])]
        placed |= _place_path(
            form, by_name, (aliases or {}).get(str(path), str(path)), texts, keep_existing=keep_existing
        )
    return placed


def _place_path(
    form: forms.Form,
    rowsets: dict[str, RowSet],
    path: str,
    messages: list[str],
    *,
    keep_existing: bool = False,
) -> bool:
    match = _PATH.match(path)
    if match is None:
        return False
    name, index, rest = match["name"], match["index"], match["rest"] or ""
    if name in rowsets:
        rowset = rowsets[name]
        filled = rowset.filled
        if index is None or int(index) >= len(filled):
            rowset.errors.extend(messages)
            return True
        row = filled[int(index)]
        field = rest.rsplit(".", 1)[-1]
        target = field if field in row.fields else None
        if keep_existing and target is not None and target in row.errors:
            return True
        for message in messages:
            row.add_error(target, message)
        return True
    if name in form.fields:
        if keep_existing and name in form.errors:
            return True
        for message in messages:
            form.add_error(name, message)
        return True
    return False
