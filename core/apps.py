from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from core.scheduler import embedded_scheduler_start

        embedded_scheduler_start()
