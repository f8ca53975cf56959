from django.apps import AppConfig


class DualcheckConfig(AppConfig):
    name = "dualcheck"
    verbose_name = "一案双查"

    def ready(self) -> None:
        # Imported here, once the models are loaded, in every process (web and worker):
        # the Excel exports (core.exports), the rules predicates and the node kinds.
        from core import events
        from dualcheck import exports, permissions  # noqa: F401
        from dualcheck.events import ClueNode

        events.register(ClueNode)
