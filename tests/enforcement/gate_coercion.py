"""The records the 终本 gate's coercion rows (#3, #14, #15, #16) ask about, for a case with
the indications of spec §9 T11: R2 refused to report (→ 罚款), R1 下落不明 (→ 查找), evasion by
R2 (→ 拘留 of its 法定代表人), the applicant's 审计 application (→ granted and done).

``satisfy_coercion_gate(case, actor=…, at=…)`` records them through the services, each before
``at``; ``omit`` leaves one answer out (T11.3 ``report_sanction``, T11.14 ``whereabouts_search``,
T11.15 ``obstruction_sanction``, T11.16 ``application_answer``), the indication staying on record.
With one respondent, R1 and R2 are the same party.

A report default is also an indication of obstruction (#15), and any 罚款/拘留/referral after the
default answers #3: to leave only #3 unmet (``omit="report_sanction"``) R2's evasion is answered by
``bureau_head``'s reasoned ``obstruction.not_sanctioned`` instead of the 拘留 (it answers #15, never #3)."""

import datetime as dt
from types import SimpleNamespace

from enforcement.models import Case, PartyRole
from enforcement.services import coercion as coercion_services

OMITTABLE = ("report_sanction", "whereabouts_search", "obstruction_sanction", "application_answer")


def satisfy_coercion_gate(
    case: Case, *, actor, at: dt.datetime, omit: str | None = None, bureau_head=None
) -> SimpleNamespace:
    assert omit is None or omit in OMITTABLE, omit
    assert omit != "report_sanction" or bureau_head is not None, "report_sanction: pass the bureau_head"
    parties = list(case.parties.order_by("id"))
    respondents = [p for p in parties if p.role == PartyRole.RESPONDENT]
    applicant = next(p for p in parties if p.role == PartyRole.APPLICANT)
    r1, r2 = respondents[0], respondents[-1]
    t = at - dt.timedelta(days=14)

    def step(hours: int) -> dt.datetime:
        return t + dt.timedelta(hours=hours)

    out = SimpleNamespace(r1=r1, r2=r2, applicant=applicant)
    # #3: R2 refused to report its property; fined (and #15's first indication)
    out.default = coercion_services.coercion_finding_record(
        actor=actor, case=case, party_id=r2.pk, kind="report_refused", found_at=step(1), note="拒不申报财产，经传唤未到"
    )
    if omit != "report_sanction":
        out.fine = coercion_services.coercion_entry_record(
            actor=actor, case=case, kind="fine", party_id=r2.pk, decided_at=step(2),
            document_number="(2026)鲁0102司惩1号", amount=_fine_for(r2),
        )
    # #14: R1 下落不明; searched for
    out.missing = coercion_services.coercion_finding_record(
        actor=actor, case=case, party_id=r1.pk, kind="whereabouts_unknown", found_at=step(3), note="户籍地、经常居住地均未找到"
    )
    if omit != "whereabouts_search":
        out.search = coercion_services.coercion_entry_record(
            actor=actor, case=case, kind="whereabouts_search", party_id=r1.pk, decided_at=step(4),
            document_number="(2026)鲁0102执1号查找记录", note="公安协查、通信查询，仍下落不明",
        )
    # #15: evasion by R2 after the fine; 拘留 of its 法定代表人
    out.evasion = coercion_services.coercion_finding_record(
        actor=actor, case=case, party_id=r2.pk, kind="evasion", found_at=step(5), note="立案后将车辆低价转让给关联公司"
    )
    if omit == "report_sanction":
        out.not_sanctioned = coercion_services.obstruction_not_sanctioned(
            actor=bureau_head, case=case, party_id=r2.pk, at=step(6), reason="转让的车辆已追回，情节轻微"
        )
    elif omit != "obstruction_sanction":
        day = (step(6) + dt.timedelta(hours=8)).date()
        out.detention = coercion_services.coercion_entry_record(
            actor=actor, case=case, kind="detention", party_id=r2.pk, person_name="李四（法定代表人）",
            decided_at=step(6), document_number="(2026)鲁0102司惩2号",
            start_on=day, end_on=day + dt.timedelta(days=14),
        )
    # #16: the applicant applies for 委托专项审计; granted and done
    out.application = coercion_services.measure_application_receive(
        actor=actor, case=case, applicant_id=applicant.pk, kind="audit", applied_at=step(7), note="被执行人账目可疑"
    )
    if omit != "application_answer":
        coercion_services.measure_application_decide(actor=actor, application=out.application, grant=True, at=step(8))
        out.audit = coercion_services.coercion_entry_record(
            actor=actor, case=case, kind="audit", decided_at=step(9), document_number="(2026)鲁0102执1号委托书",
            note="委托某会计师事务所专项审计", application_id=out.application.pk,
        )
    return out


def _fine_for(party):
    from decimal import Decimal

    return Decimal("50000.00") if party.kind == "organization" else Decimal("10000.00")
