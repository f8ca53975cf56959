"""What every domain service does with what a person submits: the moment a node
happened, free text, and the next number of a court's register. Shared by the
supervision (督办, 信访) and dualcheck (一案双查) services."""

import datetime as dt

from django.db import models
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.exceptions import ValidationFailed
from core.models import Court
from core.services.events import node_time_check


def acting_time(at: dt.datetime | None) -> tuple[dt.datetime, list[str]]:
    """The moment of a node (now unless declared) and its data-screening flags: a
    node in the future is refused, a backdated one flagged (双查规定 §6)."""
    moment = at or timezone.now()
    return moment, node_time_check(moment)


def clean_text(value, field: str, message, *, limit: int, required: bool = True) -> str:
    """Stripped text of at most ``limit`` characters; blank is refused with
    ``message`` when ``required``. Anything but a string (a list, a number sent as
    JSON) is a 400, never a crash."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationFailed.for_field(field, _("应为文字。"))
    text = value.strip()
    if required and not text:
        raise ValidationFailed.for_field(field, message)
    if len(text) > limit:
        raise ValidationFailed.for_field(field, _("内容过长：最多 %(n)s 字。") % {"n": limit})
    return text


def next_sequence(*, model: type[models.Model], court: Court, court_field: str, year: int) -> int:
    """The next number of ``model`` within ``court`` and ``year``. The court row is
    locked (FOR NO KEY UPDATE, which does not block rows referring to it) so two
    numbers given at once never collide. Caller is inside ``transaction.atomic``."""
    Court.objects.select_for_update(no_key=True, of=("self",)).filter(pk=court.pk).exists()
    current = model.objects.filter(  # type: ignore[attr-defined]  # every numbered model keeps ``objects``
        **{court_field: court, "year": year}).aggregate(m=Max("sequence"))["m"]
    return (current or 0) + 1
