from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "enforcement"
    verbose_name = "执行案件"

    def ready(self) -> None:
        from core import events  # the app registry is ready only now
        from enforcement import permissions  # noqa: F401 - registers the rules predicates
        from enforcement.events import ENFORCEMENT_NODE_KINDS

        events.register(*ENFORCEMENT_NODE_KINDS)
