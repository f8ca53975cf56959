"""Gate rows about the procedure: notice and report order (#1), three months (#17), the applicant heard (#18),
the ruling (#19)."""

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from core.calendar import WorkingCalendar, local_date
from enforcement.services.gate.base import GateContext, Unmet, condition


@condition(1)
def notice_not_served(ctx: GateContext) -> Iterator[Unmet]:
    case = ctx.case
    if case.notice_served_at is None or case.property_order_served_at is None:
        yield Unmet("notice_not_served", _("未发出执行通知书、报告财产令"))


@condition(17)
def filed_within_three_months(ctx: GateContext) -> Iterator[Unmet]:
    three_months = WorkingCalendar(loaded_years=frozenset()).add_months(ctx.case.filed_on, 3, roll=False)
    if local_date(ctx.at) <= three_months:
        yield Unmet("filed_within_three_months", _("自立案之日起未超过三个月"))


@condition(18)
def applicant_not_interviewed(ctx: GateContext) -> Iterator[Unmet]:
    if ctx.case.applicant_interviewed_at is None:
        yield Unmet("applicant_not_interviewed", _("未约谈申请执行人"))


@condition(19)
def ruling_not_issued(ctx: GateContext) -> Iterator[Unmet]:
    if not ctx.document.strip():
        yield Unmet("ruling_not_issued", _("未制作终结本次执行程序裁定书（请填写裁定书文号）"))
