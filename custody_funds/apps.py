from django.apps import AppConfig

from core import events
from custody_funds.events import NODE_KINDS
from enforcement.signals import case_registered, cases_registered


class CustodyFundsConfig(AppConfig):
    name = "custody_funds"
    verbose_name = "案款管理"

    def ready(self) -> None:
        # receivers import models: only once they are loaded. The rules predicates
        # (permissions.py) are found by core.
        # importing the exports registers the 对账表 with the background exports (core.exports)
        from custody_funds import exports, receivers  # noqa: F401

        events.register(*NODE_KINDS)
        # the queue's sources query models: only once they are loaded
        from core import work
        from custody_funds.work import WORK_SOURCES

        work.register(*WORK_SOURCES)
        case_registered.connect(receivers.open_account, dispatch_uid="custody_funds.open_account")
        cases_registered.connect(receivers.open_accounts, dispatch_uid="custody_funds.open_accounts")
