from django.apps import AppConfig

from core import events
from core.signals import clocks_rescheduled, clocks_stopped
from supervision.events import NODE_KINDS


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = "执行监督"

    def ready(self) -> None:
        # exports and receivers import models: only once they are loaded; importing
        # the exports registers the Excel exporters (core.exports). The rules
        # predicates (permissions.py) are found by core.
        from supervision import exports, receivers  # noqa: F401

        events.register(*NODE_KINDS)
        from core import work  # (imports models: only once they are loaded)
        from supervision.work import WORK_SOURCES

        work.register(*WORK_SOURCES)
        clocks_stopped.connect(receivers.resolve_alerts, dispatch_uid="supervision.resolve_alerts")
        clocks_rescheduled.connect(receivers.reschedule_alerts, dispatch_uid="supervision.reschedule_alerts")
