from django.apps import AppConfig


class CustodyFundsConfig(AppConfig):
    name = "custody_funds"
    verbose_name = "案款管理"

    def ready(self) -> None:
        # Once the models are loaded (these modules import them): the node kinds and
        # the receivers. The rules predicates (permissions.py) are found by core.
        from core import events
        from custody_funds import receivers
        from custody_funds.events import NODE_KINDS
        from enforcement.signals import case_registered

        events.register(*NODE_KINDS)
        case_registered.connect(receivers.open_account, dispatch_uid="custody_funds.open_account")
