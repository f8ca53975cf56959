"""Gate rows about the procedure: notice and report order served on each respondent (#1), each
respondent's 财产报告 checked or its absence recorded (#2), three months (#17), each applicant heard with
the opinion recorded (#18), the ruling (#19). Row #20 (the ruling served on every party) is not checked
at the request or the approval — the ruling does not exist yet — but decides when a ``closing`` case
closes (``ruling_unserved``)."""

import datetime as dt
from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from core.calendar import WorkingCalendar, local_date
from enforcement.models import Case, DocumentServiceMethod, ServedDocument
from enforcement.services.gate.base import GateContext, Unmet, condition


def _served(case: Case, document: str) -> set[int]:
    """Parties on whom ``document`` was served (a failed attempt does not count)."""
    return set(
        case.services.filter(document=document).exclude(method=DocumentServiceMethod.FAILED).values_list("party_id", flat=True)
    )


@condition(1)
def notice_not_served(ctx: GateContext) -> Iterator[Unmet]:
    """终本规定 §1(一): 执行通知书 and 报告财产令 served on each respondent."""
    notice = _served(ctx.case, ServedDocument.NOTICE)
    order = _served(ctx.case, ServedDocument.PROPERTY_ORDER)
    for r in ctx.respondents:
        missing = [str(d.label) for d in (ServedDocument.NOTICE, ServedDocument.PROPERTY_ORDER)
                   if r.pk not in (notice if d == ServedDocument.NOTICE else order)]
        if missing:
            yield Unmet("notice_not_served", _("未向被执行人%(name)s送达%(docs)s") % {"name": r.name, "docs": "、".join(missing)},
                        respondent=r.pk)


@condition(2)
def property_report_unchecked(ctx: GateContext) -> Iterator[Unmet]:
    """终本规定 §2(二): each respondent's 财产报告 checked, or its absence recorded."""
    done = set(ctx.case.property_reports.values_list("respondent_id", flat=True))
    for r in ctx.respondents:
        if r.pk not in done:
            yield Unmet("property_report_unchecked",
                        _("被执行人%(name)s的财产报告未核查，也未记录其未报告") % {"name": r.name}, respondent=r.pk)


@condition(17)
def filed_within_three_months(ctx: GateContext) -> Iterator[Unmet]:
    three_months = WorkingCalendar(loaded_years=frozenset()).add_months(ctx.case.filed_on, 3, roll=False)
    if local_date(ctx.at) <= three_months:
        yield Unmet("filed_within_three_months", _("自立案之日起未超过三个月"))


@condition(18)
def applicant_not_interviewed(ctx: GateContext) -> Iterator[Unmet]:
    """终本规定 §5: each applicant told and heard, the opinion recorded (an objection does not block)."""
    heard = set(ctx.case.applicant_interviews.values_list("applicant_id", flat=True))
    for a in ctx.applicants:
        if a.pk not in heard:
            yield Unmet("applicant_not_interviewed",
                        _("未约谈申请执行人%(name)s并记录其意见") % {"name": a.name}, applicant=a.pk)


@condition(19)
def ruling_not_issued(ctx: GateContext) -> Iterator[Unmet]:
    if not ctx.document.strip():
        yield Unmet("ruling_not_issued", _("未制作终结本次执行程序裁定书（请填写裁定书文号）"))


def ruling_unserved(case: Case) -> list[Unmet]:
    """Row #20 (322号 §24 "并送达当事人"): the parties the 终本 ruling has not been served on yet."""
    served = _served(case, ServedDocument.TERMINATED_RULING)
    return [
        Unmet("ruling_not_served", _("终本裁定尚未送达%(role)s%(name)s") % {"role": p.get_role_display(), "name": p.name},
              party=p.pk)
        for p in case.parties.order_by("id")
        if p.pk not in served
    ]


def ruling_served_at(case: Case) -> dt.datetime | None:
    """The moment the ruling had been served on every party (the latest first service), or None."""
    if ruling_unserved(case):
        return None
    firsts: dict[int, dt.datetime] = {}
    for party_id, at in (
        case.services.filter(document=ServedDocument.TERMINATED_RULING)
        .exclude(method=DocumentServiceMethod.FAILED)
        .values_list("party_id", "served_at")
    ):
        firsts[party_id] = min(at, firsts.get(party_id, at))
    return max(firsts.values()) if firsts else None

