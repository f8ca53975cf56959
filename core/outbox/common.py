"""What the outbox's modules share (no models: ``core.outbox.task`` imports it while
settings load)."""

import threading

ERROR_MAX = 2000
# How many rows one relay run takes (the next run takes the rest).
RELAY_BATCH = 500


def error_text(exc: BaseException) -> str:
    """``exc`` as kept on a row (``last_error``)."""
    return f"{type(exc).__name__}: {exc}"[:ERROR_MAX]


publishing_state = threading.local()


def publishing_outbox_id() -> int | None:
    """The outbox row being published by this thread (``core.outbox.task`` puts it in
    the message headers)."""
    return getattr(publishing_state, "outbox_id", None)
