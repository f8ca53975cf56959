from django.apps import AppConfig


class CustodyFundsConfig(AppConfig):
    name = "custody_funds"
    verbose_name = "案款管理"
