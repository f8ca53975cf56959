from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules

from core.outbox.scheduler import embedded_scheduler_start


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        # Every app's ``permissions.py`` (its django-rules predicates and perms), the
        # way the admin finds ``admin.py``: the app registry is ready, and the apps
        # need no ready() of their own for it.
        autodiscover_modules("permissions")
        from django.contrib.auth.signals import user_login_failed

        from core import (
            checks,  # noqa: F401  # registers the settings checks
            work,  # (imports models: only once they are loaded)
        )
        from core.services.login_guard import on_login_failed

        # Password spraying from one address (issue 17): count each failed sign-in.
        user_login_failed.connect(on_login_failed, dispatch_uid="core.login_spray_guard")
        work.register(*work.CORE_SOURCES)
        embedded_scheduler_start()
