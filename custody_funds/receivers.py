"""What case funds do when another app announces something."""

from typing import Any

from custody_funds.services.ledger import fund_account_open, fund_accounts_open
from enforcement.models import Case


def open_account(sender: Any, case: Case, **kwargs: Any) -> None:
    """一案一账号: the case's account opens in the registering transaction."""
    fund_account_open(case=case)


def open_accounts(sender: Any, cases: list[Case], **kwargs: Any) -> None:
    """The same for cases registered in bulk, in one INSERT."""
    fund_accounts_open(cases=cases)
