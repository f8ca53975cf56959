from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = "执行监督"

    def ready(self) -> None:
        # ready() runs once the models are loaded: what these modules import at
        # their top (models, other apps' selectors) exists only from here on.
        from core import events
        from core.signals import clocks_rescheduled, clocks_stopped
        from supervision import exports, permissions, receivers  # noqa: F401 — register perms and exports
        from supervision.events import SUPERVISION_NODE_KINDS

        events.register(*SUPERVISION_NODE_KINDS)
        clocks_stopped.connect(receivers.resolve_alerts, dispatch_uid="supervision.resolve_alerts")
        clocks_rescheduled.connect(receivers.reschedule_alerts, dispatch_uid="supervision.reschedule_alerts")
