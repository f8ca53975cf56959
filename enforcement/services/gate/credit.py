"""Gate rows about 限制消费令 and 失信 (#4, #5), per respondent."""

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from core.calendar import local_date
from enforcement.models import CreditKind, CreditMeasure
from enforcement.selectors import dishonest_not_applicable_parties
from enforcement.services.gate.base import GateContext, Unmet, condition


def _measures(ctx: GateContext) -> list[CreditMeasure]:
    if "credit_measures" not in ctx.cache:
        ctx.cache["credit_measures"] = list(ctx.case.credit_measures.all())
    return ctx.cache["credit_measures"]


def _in_force(ctx: GateContext, party_id: int, kind: str) -> bool:
    on = local_date(ctx.at)
    return any(m.party_id == party_id and m.kind == kind and m.in_force(on) for m in _measures(ctx))


@condition(4)
def restriction_not_issued(ctx: GateContext) -> Iterator[Unmet]:
    """终本规定 §1(二): a 限制消费令 in force on each respondent — issued, served, not released,
    its 宽限期 over. A released order, an unserved one or one still in grace does not count."""
    for r in ctx.respondents:
        if not _in_force(ctx, r.pk, CreditKind.RESTRICTION):
            yield Unmet(
                "restriction_not_issued",
                _("被执行人“%(p)s”没有生效的限制消费令（已决定、已送达、未解除、宽限期已满）") % {"p": r.name},
                respondent=r.pk,
            )


@condition(5)
def dishonest_not_assessed(ctx: GateContext) -> Iterator[Unmet]:
    """终本规定 §1(二) "符合条件的"; 322号 §23: 失信 decided (and in force), or a recorded finding
    that the respondent does not meet the 失信 conditions."""
    found = dishonest_not_applicable_parties(ctx.case)
    for r in ctx.respondents:
        if r.pk not in found and not _in_force(ctx, r.pk, CreditKind.DISHONEST):
            yield Unmet(
                "dishonest_not_assessed",
                _("被执行人“%(p)s”既未纳入失信名单，也未认定其不符合纳入条件") % {"p": r.name},
                respondent=r.pk,
            )
