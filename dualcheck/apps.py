from django.apps import AppConfig


class DualcheckConfig(AppConfig):
    name = "dualcheck"
    verbose_name = "一案双查"
