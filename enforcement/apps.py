from django.apps import AppConfig

from core import events
from enforcement.events import NODE_KINDS


class EnforcementConfig(AppConfig):
    name = "enforcement"
    verbose_name = "执行案件"

    def ready(self) -> None:
        # The rules predicates (permissions.py) are found by core.
        events.register(*NODE_KINDS)
        # the queue's sources query models: only once they are loaded
        from core import work
        from enforcement.work import WORK_SOURCES, case_summaries

        work.register(*WORK_SOURCES)
        work.register_case_summaries(case_summaries)
