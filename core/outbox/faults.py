"""Fault injection for the tests (``tests/faults``)."""

import time
from pathlib import Path

from django.conf import settings


def fault_point(name: str) -> None:
    """Where the fault tests (``tests/faults``) stop a worker: if ``FAULT_PAUSE_AT``
    names this point (only ``config.settings.test`` reads it, from the environment),
    write ``FAULT_PAUSE_FILE`` and sleep so the test can kill the process here.
    Elsewhere one attribute read."""
    if getattr(settings, "FAULT_PAUSE_AT", "") != name:
        return
    Path(settings.FAULT_PAUSE_FILE).write_text(name)
    time.sleep(getattr(settings, "FAULT_PAUSE_SECONDS", 300))
