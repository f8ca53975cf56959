from django.apps import AppConfig


class DualcheckConfig(AppConfig):
    name = "dualcheck"
    verbose_name = "一案双查"

    def ready(self) -> None:
        # Once the models are loaded (these modules import them): the node kinds and
        # the Excel exports (core.exports' registry). The rules predicates
        # (permissions.py) are found by core.
        from core import events
        from dualcheck import exports  # noqa: F401 — registers its exporters
        from dualcheck.events import NODE_KINDS

        events.register(*NODE_KINDS)
