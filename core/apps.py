from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from core.outbox.scheduler import embedded_scheduler_start  # starts with the app registry ready

        embedded_scheduler_start()
