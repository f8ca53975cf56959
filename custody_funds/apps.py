from django.apps import AppConfig

from core import events
from custody_funds.events import FundsNode


class CustodyFundsConfig(AppConfig):
    name = "custody_funds"
    verbose_name = "案款管理"

    def ready(self) -> None:
        # app loading: these import models, ready only now
        from custody_funds import permissions  # noqa: F401 - registers the rules predicates
        from enforcement import signals

        events.register(FundsNode)
        signals.case_registered.connect(_open_account, dispatch_uid="custody_funds.open_account")


def _open_account(sender, case, **kwargs) -> None:
    """一案一账号: the account is opened in the registering transaction."""
    from custody_funds.services.ledger import fund_account_open  # services import models: not at app loading

    fund_account_open(case=case)
