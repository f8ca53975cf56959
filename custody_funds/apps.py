from django.apps import AppConfig


class CustodyFundsConfig(AppConfig):
    name = "custody_funds"
    verbose_name = "案款管理"

    def ready(self) -> None:
        from enforcement import signals

        signals.case_registered.connect(_open_account, dispatch_uid="custody_funds.open_account")


def _open_account(sender, case, **kwargs) -> None:
    """一案一账号: the account is opened in the registering transaction."""
    from custody_funds.services.ledger import fund_account_open

    fund_account_open(case=case)
