from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "enforcement"
    verbose_name = "执行案件"

    def ready(self) -> None:
        # Once the models are loaded: the node kinds. The rules predicates
        # (permissions.py) are found by core.
        from core import events
        from enforcement.events import NODE_KINDS

        events.register(*NODE_KINDS)
