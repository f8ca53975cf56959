from django.apps import AppConfig

from core import events
from dualcheck.events import NODE_KINDS


class DualcheckConfig(AppConfig):
    name = "dualcheck"
    verbose_name = "一案双查"

    def ready(self) -> None:
        # exports import models: only once they are loaded; importing them registers
        # the Excel exporters (core.exports). The rules predicates (permissions.py)
        # are found by core.
        from dualcheck import exports  # noqa: F401

        events.register(*NODE_KINDS)
        # the queue's source queries models: only once they are loaded
        from core import work
        from dualcheck.work import WORK_SOURCES

        work.register(*WORK_SOURCES)
