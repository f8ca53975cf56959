"""Side effects after commit (Zulip ``send_event_on_commit``, Saleor).

Tasks get ids, never model instances; ``functools.partial`` binds the arguments now,
so a loop cannot hand every callback the last value (Saleor's late-binding bug).
"""

from functools import partial
from typing import Any

from django.db import transaction


def enqueue_on_commit(task: Any, /, **kwargs: Any) -> None:
    transaction.on_commit(partial(task.delay, **kwargs))
