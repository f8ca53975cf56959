from django.apps import AppConfig


class DualcheckConfig(AppConfig):
    name = "dualcheck"
    verbose_name = "一案双查"

    def ready(self) -> None:
        # Register the Excel exports (core.exports) in every process — web and
        # worker — not only once a page module happens to be imported.
        from dualcheck import exports  # noqa: F401
