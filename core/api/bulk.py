"""Bulk endpoints (API.md "Bulk"): one result per submitted item, in order; one
item's failure changes nothing of the others, and the request as a whole answers
200 whatever its items raised (so that the same ``Idempotency-Key`` replays the
per-item answer, never a single error that hides what was saved).

Public: ``bulk_answer``. The service handles the items as a set (the transactions
are its own: ``core.services.bulk.set_write_or_one_by_one``); this module only
shapes the answer."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from core.api.errors import error_body, error_status_body

logger = logging.getLogger(__name__)

INTERNAL_ERROR = "internal_error"


@dataclass(frozen=True)
class ItemOutcome:
    """What the service made of one item (``fields`` of its result), or what refused
    it (``error``)."""

    index: int
    item: Any  # one submitted item, as the client sent it (usually a dict)
    fields: dict | None = None
    error: Exception | None = None


def _item_error(exc: Exception, index: int) -> dict:
    """The status and body the item would have got on its own; an unknown error is
    ``500 internal_error``, logged with its traceback (as a single request's 500)."""
    answer = error_status_body(exc)
    if answer is not None:
        status, body = answer
        return {"status": status, "error": body}
    logger.error("bulk item %s failed", index, exc_info=exc)
    return {
        "status": 500,
        "error": error_body(INTERNAL_ERROR, _("处理该条时发生内部错误，该条未保存；其他各条不受影响。")),
    }


def bulk_answer(
    items: list, answers: list, fields: Callable[[Any, Any], dict], key: Callable[[Any], Any]
) -> dict:
    """The answer to ``items`` from a service that handled them as a set: ``answers``
    holds, per item and in order, what it made or the exception that refused it;
    ``fields(item, made)`` are a created item's result fields."""
    outcomes = [
        ItemOutcome(index=index, item=item, error=answer)
        if isinstance(answer, Exception)
        else ItemOutcome(index=index, item=item, fields=fields(item, answer))
        for index, (item, answer) in enumerate(zip(items, answers, strict=True))
    ]
    return _answer(items, outcomes, key)


def _answer(items: list, outcomes: list[ItemOutcome], key: Callable[[Any], Any]) -> dict:
    keys = [key(item) if isinstance(item, dict) else None for item in items]
    results = []
    for outcome in outcomes:
        head = {"index": outcome.index, "key": keys[outcome.index]}
        if outcome.error is not None:
            results.append({**head, "result": "error", **_item_error(outcome.error, outcome.index)})
        else:
            results.append({**head, "result": "created", **(outcome.fields or {})})
    created = sum(1 for r in results if r["result"] == "created")
    return {"created": created, "failed": len(results) - created, "results": results}
