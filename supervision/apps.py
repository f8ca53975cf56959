from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = "执行监督"

    def ready(self) -> None:
        # Once the models are loaded (these modules import them): the node kinds, the
        # Excel exports (core.exports' registry) and the receivers of core's clock
        # signals. The rules predicates (permissions.py) are found by core.
        from core import events
        from core.signals import clocks_rescheduled, clocks_stopped
        from supervision import exports, receivers  # noqa: F401 — exports register their exporters
        from supervision.events import NODE_KINDS

        events.register(*NODE_KINDS)
        clocks_stopped.connect(receivers.resolve_alerts, dispatch_uid="supervision.resolve_alerts")
        clocks_rescheduled.connect(receivers.reschedule_alerts, dispatch_uid="supervision.reschedule_alerts")
