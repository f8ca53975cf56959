"""Bulk endpoints (API.md "Bulk"): one result per submitted item, in order; one
item's failure changes nothing of the others, and the request as a whole answers
200 whatever its items raised (so that the same ``Idempotency-Key`` replays the
per-item answer, never a single error that hides what was saved).

Public: ``bulk_run``, ``bulk_answer``. The transactions are the service's
(``core.services.bulk.items_each_atomic``); this module only shapes the answer."""

import logging
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from core.api.errors import error_body, error_status_body
from core.services.bulk import ItemOutcome, items_each_atomic

logger = logging.getLogger(__name__)

INTERNAL_ERROR = "internal_error"


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


def bulk_run(items: list, handle: Callable[[Any], dict], key: Callable[[Any], Any]) -> dict:
    """Run ``handle`` on each item in its own transaction, so that an item that
    fails, whatever it raises, leaves nothing behind and the next one goes on.
    ``handle`` returns the fields of a created item's result; ``key`` names the item
    in its result (as submitted). Returns ``{"created", "failed", "results"}``."""
    return _answer(items, items_each_atomic(items, handle), key)


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
