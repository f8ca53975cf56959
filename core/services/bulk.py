"""Many items, each in its own transaction (API.md "Bulk"): one item's failure,
whatever it raised, leaves nothing behind and the next one goes on. The API layer
(``core.api.bulk``) turns each outcome into the item's answer."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction


@dataclass(frozen=True)
class ItemOutcome:
    """What ``handle`` returned for one item (``fields``), or what it raised (``error``)."""

    index: int
    item: Any  # one submitted item, as the client sent it (usually a dict)
    fields: dict | None = None
    error: Exception | None = None


def items_each_atomic(items: Iterable[Any], handle: Callable[[Any], dict]) -> list[ItemOutcome]:
    """Run ``handle`` on each item in its own transaction — a savepoint when the
    caller holds one — and return one outcome per item, in order."""
    outcomes = []
    for index, item in enumerate(items):
        try:
            with transaction.atomic():
                fields = handle(item)
        except Exception as exc:  # every item answers, whatever it raised
            outcomes.append(ItemOutcome(index=index, item=item, error=exc))
        else:
            outcomes.append(ItemOutcome(index=index, item=item, fields=fields))
    return outcomes
