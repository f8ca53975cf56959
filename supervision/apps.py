from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = "执行监督"

    def ready(self) -> None:
        from core.signals import clocks_rescheduled, clocks_stopped
        from supervision import receivers

        clocks_stopped.connect(receivers.resolve_alerts, dispatch_uid="supervision.resolve_alerts")
        clocks_rescheduled.connect(receivers.reschedule_alerts, dispatch_uid="supervision.reschedule_alerts")
