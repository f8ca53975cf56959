"""What every domain service does with what a person submits: the moment a node
happened, free text, and the next number of a court's register. Shared by the
supervision (督办, 信访) and dualcheck (一案双查) services."""

import datetime as dt
import unicodedata

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


# Characters that change the direction of the text around them (Trojan-Source style
# spoofing: "U+202E" shows "gpj.exe" as "exe.jpg"): embeddings, overrides, isolates and
# the invisible direction marks.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def name_problem(text: str) -> str | None:
    """Why ``text`` cannot be a name a person typed (a party, a petitioner, an
    officer), or ``None``: control characters (line breaks, tabs, NUL …), characters
    that reverse the text direction, and invisible format characters (zero-width
    space, joiners …) are refused, so two records never look identical while being
    different and a list or a log line is never rearranged."""
    if any(unicodedata.category(c) in ("Cc", "Cs", "Co", "Cn") for c in text):
        return str(_("含有控制字符或无效字符，请删除后重新填写。"))
    if any(c in BIDI_CONTROLS for c in text):
        return str(_("含有改变文字方向的隐藏字符（如 U+202E），请删除后重新填写。"))
    if any(unicodedata.category(c) == "Cf" for c in text):
        return str(_("含有不可见字符（如零宽空格 U+200B），请删除后重新填写。"))
    return None


def name_check(text: str, field: str) -> None:
    """Raise a 400 ``invalid_name`` naming ``field`` when ``text`` is not a clean name."""
    problem = name_problem(text)
    if problem is not None:
        raise ValidationFailed.for_field(field, problem, code="invalid_name")


def clean_name(value, field: str, message, *, limit: int, required: bool = True) -> str:
    """``clean_text`` for a name a person typed, plus ``name_check``."""
    text = clean_text(value, field, message, limit=limit, required=required)
    name_check(text, field)
    return text


def next_sequence(*, model: type[models.Model], court: Court, court_field: str, year: int) -> int:
    """The next number of ``model`` within ``court`` and ``year``. The court row is
    locked (FOR NO KEY UPDATE, which does not block rows referring to it) so two
    numbers given at once never collide. Caller is inside ``transaction.atomic``."""
    Court.objects.select_for_update(no_key=True, of=("self",)).filter(pk=court.pk).exists()
    current = model.objects.filter(  # type: ignore[attr-defined]  # every numbered model keeps ``objects``
        **{court_field: court, "year": year}).aggregate(m=Max("sequence"))["m"]
    return (current or 0) + 1
