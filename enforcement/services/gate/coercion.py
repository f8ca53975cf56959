"""Gate rows about 强制措施与调查措施 (#3, #14, #15, #16), read from the register
(``enforcement.models.coercion``).

* #3 ``report_default_unsanctioned`` — a late/refused/false 财产报告 met with 罚款 or 拘留, or a
  拒执 referral, dated on or after the default (终本规定 §2(三), outside the seeds).
* #14 ``whereabouts_not_searched`` — a respondent recorded 下落不明 has been searched for on or
  after that record (终本规定 §1(五), outside the seeds).
* #15 ``obstruction_unsanctioned`` — where evasion/obstruction is indicated (a 规避/妨害执行
  finding or a report default), 罚款/拘留/拒执罪移送 on or after the latest indication, or the
  bureau head's reasoned ``obstruction.not_sanctioned`` decision (322号 §24 "符合条件的，应当采取
  罚款、司法拘留或者追究拒执罪等措施").
* #16 ``application_measure_unanswered`` — every application of the applicant for 审计/搜查/悬赏/
  调查令 granted and done, or refused with reasons (322号 §24 "应当根据申请执行人申请采取委托专项
  审计、搜查等措施").

A row with nothing on record (no finding, no application) holds: the gate asks for a measure
only where the register shows the reason for it.
"""

from collections import defaultdict
from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from enforcement.models import ApplicationStatus, CoercionKind, FindingKind
from enforcement.models.coercion import REPORT_DEFAULTS, SANCTION_KINDS
from enforcement.services.gate.base import GateContext, Unmet, condition


def _latest(ctx: GateContext, kinds: tuple[str, ...]) -> dict[int, object]:
    """Per respondent, the latest finding of ``kinds`` (its time)."""
    latest: dict[int, object] = {}
    for party_id, found_at in ctx.case.coercion_findings.filter(kind__in=kinds).values_list("party_id", "found_at"):
        if party_id not in latest or found_at > latest[party_id]:  # type: ignore[operator]
            latest[party_id] = found_at
    return latest


def _entries_after(ctx: GateContext, kinds: tuple[str, ...]) -> dict[int, list]:
    out: dict[int, list] = defaultdict(list)
    for party_id, decided_at in ctx.case.coercion_entries.filter(kind__in=kinds, party__isnull=False).values_list(
        "party_id", "decided_at"
    ):
        out[party_id].append(decided_at)
    return out


def _answered(times: list, since: object) -> bool:
    return any(t >= since for t in times)


@condition(3)
def report_default_unsanctioned(ctx: GateContext) -> Iterator[Unmet]:
    defaults = _latest(ctx, tuple(REPORT_DEFAULTS))
    if not defaults:
        return
    sanctions = _entries_after(ctx, (CoercionKind.FINE, CoercionKind.DETENTION, CoercionKind.REFUSAL_CRIME_REFERRAL))
    for respondent in ctx.respondents:
        since = defaults.get(respondent.pk)
        if since is not None and not _answered(sanctions[respondent.pk], since):
            yield Unmet(
                "report_default_unsanctioned",
                _("被执行人“%(name)s”逾期、拒绝或虚假报告财产，未采取罚款、拘留或移送拒执罪") % {"name": respondent.name},
                respondent=respondent.pk,
            )


@condition(14)
def whereabouts_not_searched(ctx: GateContext) -> Iterator[Unmet]:
    missing = _latest(ctx, (FindingKind.WHEREABOUTS_UNKNOWN,))
    if not missing:
        return
    searches = _entries_after(ctx, (CoercionKind.WHEREABOUTS_SEARCH,))
    for respondent in ctx.respondents:
        since = missing.get(respondent.pk)
        if since is not None and not _answered(searches[respondent.pk], since):
            yield Unmet(
                "whereabouts_not_searched",
                _("被执行人“%(name)s”下落不明，未依法查找") % {"name": respondent.name},
                respondent=respondent.pk,
            )


@condition(15)
def obstruction_unsanctioned(ctx: GateContext) -> Iterator[Unmet]:
    indicated = _latest(ctx, (FindingKind.EVASION, *REPORT_DEFAULTS))
    if not indicated:
        return
    answers = _entries_after(ctx, tuple(SANCTION_KINDS))
    for party_id, decided_at in ctx.case.obstruction_decisions.values_list("party_id", "decided_at"):
        answers[party_id].append(decided_at)
    for respondent in ctx.respondents:
        since = indicated.get(respondent.pk)
        if since is not None and not _answered(answers[respondent.pk], since):
            yield Unmet(
                "obstruction_unsanctioned",
                _("被执行人“%(name)s”有规避、妨害执行情形，未采取罚款、拘留或追究拒执罪，也无执行局长不予采取的决定")
                % {"name": respondent.name},
                respondent=respondent.pk,
            )


@condition(16)
def application_measure_unanswered(ctx: GateContext) -> Iterator[Unmet]:
    for application in ctx.case.measure_applications.filter(
        status__in=[ApplicationStatus.PENDING, ApplicationStatus.GRANTED]
    ).select_related("applicant"):
        yield Unmet(
            "application_measure_unanswered",
            _("申请执行人“%(name)s”申请%(kind)s，尚未实施或作出不予准许的决定")
            % {"name": application.applicant.name, "kind": application.get_kind_display()},
            applicant=application.applicant_id,
            application=application.pk,
        )
