"""Many items, each in its own transaction (API.md "Bulk"): one item's failure,
whatever it raised, leaves nothing behind and the next one goes on. The API layer
(``core.api.bulk``) turns each outcome into the item's answer."""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import transaction

logger = logging.getLogger(__name__)

T = TypeVar("T")


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


def set_write_or_one_by_one(write: Callable[[], T], one_by_one: Callable[[], None], *, what: str) -> T | None:
    """Run ``write`` (all the accepted items of a request at once) in a savepoint. If
    it fails in any way (a row another request wrote meanwhile, a deadlock), roll it
    back and run ``one_by_one`` (each item through the single-item service, in its own
    savepoint): correctness first. Returns what ``write`` returned, or ``None`` after
    the fallback."""
    try:
        with transaction.atomic():
            return write()
    except Exception:
        logger.warning("%s: the set write failed, items one by one", what, exc_info=True)
        one_by_one()
        return None
