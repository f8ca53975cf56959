from django.apps import AppConfig

from core import events
from enforcement.events import ENFORCEMENT_NODE_KINDS


class EnforcementConfig(AppConfig):
    name = "enforcement"
    verbose_name = "执行案件"

    def ready(self) -> None:
        # the rules predicates (django-rules autodiscovers only ``rules.py``); models
        # must be loaded before they are imported
        from enforcement import permissions  # noqa: F401

        events.register(*ENFORCEMENT_NODE_KINDS)
