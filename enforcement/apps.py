from django.apps import AppConfig

from core import events
from enforcement.events import NODE_KINDS


class EnforcementConfig(AppConfig):
    name = "enforcement"
    verbose_name = "执行案件"

    def ready(self) -> None:
        # The rules predicates (permissions.py) are found by core.
        events.register(*NODE_KINDS)
