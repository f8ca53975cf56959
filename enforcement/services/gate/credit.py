"""Gate rows about 限制消费令 and 失信 (#4, #5)."""

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from enforcement.models import CreditKind
from enforcement.services.gate.base import GateContext, Unmet, condition


@condition(4)
def restriction_not_issued(ctx: GateContext) -> Iterator[Unmet]:
    if not ctx.case.credit_measures.filter(kind=CreditKind.RESTRICTION).exists():
        yield Unmet("restriction_not_issued", _("未发出限制消费令"))
