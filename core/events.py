"""The kinds of node event (``NodeEvent.kind``) and their names in words.

Each app declares its own kinds in ``<app>/events.py`` as a ``NodeKind`` enum (value
"noun.verb", label the node's name) and registers it when the app is ready, so that
core, which imports no domain app, can still name any node it is shown::

    class CaseNode(NodeKind):
        RECEIVED = "case.received", _("收案（移送执行）")

    # <app>/apps.py, in ready():  events.register(CaseNode)

A kind nobody registered is shown as it is stored (old rows keep their kind).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NodeKind(models.TextChoices):
    """Base of every app's node kinds (a ``TextChoices``: value and label)."""


_LABELS: dict[str, str] = {}


def register(*kinds: type[NodeKind]) -> None:
    for enum in kinds:
        for value, label in enum.choices:
            existing = _LABELS.get(value)
            if existing is not None and existing != label:
                raise ValueError(f"node kind {value!r} registered twice with different labels")
            _LABELS[value] = label


def node_label(kind: str) -> str:
    """The node's name in words, or its stored kind when unknown."""
    return _LABELS.get(kind, kind)


def registered_kinds() -> set[str]:
    return set(_LABELS)


class CoreNode(NodeKind):
    """Nodes recorded by core itself: clocks and the working calendar."""

    CLOCK_PAUSED = "clock.paused", _("期限中止计算")
    CLOCK_RESUMED = "clock.resumed", _("期限恢复计算")
    CLOCK_EXTENDED = "clock.extended", _("期限延长")
    CLOCK_WAIVED = "clock.waived", _("期限免除")
    CLOCK_ENDED = "clock.ended", _("期限因案件事项终止")
    CLOCK_BACKDATE_PENDING = "clock.backdate_pending", _("补录节点待核实")
    CLOCK_BACKDATE_APPROVED = "clock.backdate_approved", _("补录节点核实属实")
    CLOCK_BACKDATE_REJECTED = "clock.backdate_rejected", _("补录节点核实不属实")
    CALENDAR_DAY_SET = "calendar.day_set", _("设置节假日或调休日")
    CALENDAR_DAY_REMOVED = "calendar.day_removed", _("删除节假日或调休日")
    CALENDAR_YEAR_LOADED = "calendar.year_loaded", _("载入年度节假日安排")


register(CoreNode)
