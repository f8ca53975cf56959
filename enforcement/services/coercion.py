"""强制措施与调查措施 register (issue 15): entries, findings, the applicant's applications,
拒执 referral outcomes and the bureau head's reasoned ``obstruction.not_sanctioned``.

Every write is one node (``enforcement.events.CoercionNode``). Refusals:

* 400 ``invalid`` with ``extra.fields`` naming every input at once (document number,
  person concerned, amount, dates, route …);
* 422 ``fine_exceeds_cap`` / ``fine_below_minimum`` (``extra.max``/``min``, ``target_kind``,
  ``basis``) and ``detention_exceeds_maximum`` (``extra.max_days=15``, ``days``) —
  民事诉讼法（2023年修正）第一百一十八条, outside the seeds, **unverified**;
* 422 ``application_not_granted`` when an entry names an application that is not granted
  or of another kind;
* 403 ``not_sanctioned_by_handler`` / ``not_sanctioned_wrong_role``: only the bureau head of
  the case's court, never the case's handler, decides not to sanction.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import messages
from core.calendar import local_date
from core.exceptions import PermissionDenied, RuleViolation, ValidationFailed
from core.models import User
from enforcement import policy
from enforcement.events import CoercionNode
from enforcement.models import (
    ApplicationStatus,
    Case,
    CoercionEntry,
    CoercionFinding,
    CoercionKind,
    FindingKind,
    MeasureApplication,
    ObstructionDecision,
    Party,
    PartyKind,
    PartyRole,
    ReferralOutcome,
    ReferralRoute,
)
from enforcement.models.coercion import (
    APPLICATION_KINDS,
    DETENTION_MAX_DAYS,
    FINE_MAX_ORGANIZATION,
    FINE_MAX_PERSON,
    FINE_MIN_ORGANIZATION,
    SANCTION_BASIS,
)
from enforcement.selectors import (
    case_get_for_update,
    case_party_get,
    coercion_entry_get_for_update,
    measure_application_get_for_update,
)
from enforcement.services.common import check_time, record_node, require_open


def require_open_or_terminated(case: Case) -> None:
    """The register stays open after 终本: evasion found by the periodic re-search is recorded and
    sanctioned on the 终本 case (screening lists 终本 cases where it is not)."""
    if not policy.is_terminated(case):
        require_open(case)

ENTRY_NODES = {
    CoercionKind.FINE: CoercionNode.FINE,
    CoercionKind.DETENTION: CoercionNode.DETENTION,
    CoercionKind.SEARCH: CoercionNode.SEARCH,
    CoercionKind.AUDIT: CoercionNode.AUDIT,
    CoercionKind.REWARD: CoercionNode.REWARD,
    CoercionKind.INVESTIGATION_ORDER: CoercionNode.INVESTIGATION_ORDER,
    CoercionKind.WHEREABOUTS_SEARCH: CoercionNode.WHEREABOUTS_SEARCH,
    CoercionKind.REFUSAL_CRIME_REFERRAL: CoercionNode.REFERRAL,
}
# Kinds whose person concerned must be a respondent of the case (a search for a missing
# respondent; a referral may name another obstructing person, as may 罚款/拘留).
RESPONDENT_ONLY = (CoercionKind.WHEREABOUTS_SEARCH,)


def _invalid(errors: dict[str, list[str]]) -> ValidationFailed:
    return ValidationFailed(_("请更正标出的内容。"), extra={"fields": errors})


def _respondent(case: Case, party_id: Any, errors: dict[str, list[str]], field: str = "party") -> Party | None:
    if party_id in (None, ""):
        errors.setdefault(field, []).append(_("请选择被执行人。"))
        return None
    party = case_party_get(case, party_id, role=PartyRole.RESPONDENT)
    if party is None:
        errors.setdefault(field, []).append(_("所选当事人不是本案的被执行人。"))
    return party


@transaction.atomic
def coercion_finding_record(
    *, actor: User, case: Case, party_id: Any, kind: str, found_at: dt.datetime, note: str
) -> CoercionFinding:
    """A 规避/妨害执行 finding, a 财产报告 default (late/refused/false) or 下落不明 on a respondent."""
    case = case_get_for_update(actor=actor, case=case)
    require_open_or_terminated(case)
    check_time(found_at)
    errors: dict[str, list[str]] = {}
    party = _respondent(case, party_id, errors)
    if kind not in FindingKind.values:
        errors["kind"] = [_("请选择情形。")]
    if not (note or "").strip():
        errors["note"] = [_("请填写认定的事实与证据。")]
    if errors:
        raise _invalid(errors)
    assert party is not None
    finding = CoercionFinding.objects.create(
        case=case, party=party, kind=kind, found_at=found_at, note=note.strip()[:1000], created_by=actor
    )
    record_node(case=case, kind=CoercionNode.FINDING, occurred_at=found_at, actor=actor, subject=finding,
                payload={"finding": kind, "party": party.pk})
    return finding


def _check_fine_cap(amount: Decimal, target_kind: str) -> None:
    """民事诉讼法（2023年修正）第一百一十八条 (unverified): a person ≤ 100,000 元; an organisation
    50,000 – 1,000,000 元."""
    basis = str(SANCTION_BASIS)
    if target_kind == PartyKind.ORGANIZATION:
        if amount > FINE_MAX_ORGANIZATION:
            message = _("对单位的罚款不得超过人民币一百万元（%(basis)s）。") % {"basis": basis}
            raise RuleViolation(message, code="fine_exceeds_cap", extra={
                "max": f"{FINE_MAX_ORGANIZATION:.2f}", "target_kind": target_kind, "basis": basis,
                "fields": {"amount": [message]}})
        if amount < FINE_MIN_ORGANIZATION:
            message = _("对单位的罚款不得低于人民币五万元（%(basis)s）。") % {"basis": basis}
            raise RuleViolation(message, code="fine_below_minimum", extra={
                "min": f"{FINE_MIN_ORGANIZATION:.2f}", "target_kind": target_kind, "basis": basis,
                "fields": {"amount": [message]}})
    elif amount > FINE_MAX_PERSON:
        message = _("对个人的罚款不得超过人民币十万元（%(basis)s）。") % {"basis": basis}
        raise RuleViolation(message, code="fine_exceeds_cap", extra={
            "max": f"{FINE_MAX_PERSON:.2f}", "target_kind": target_kind, "basis": basis,
            "fields": {"amount": [message]}})


def _check_detention(start_on: dt.date | None, end_on: dt.date | None, errors: dict[str, list[str]]) -> None:
    if start_on is None:
        errors["start_on"] = [_("请填写拘留起始日。")]
    if end_on is None:
        errors["end_on"] = [_("请填写拘留届满日。")]
    if start_on is None or end_on is None:
        return
    if end_on < start_on:
        errors["end_on"] = [_("拘留届满日不能早于起始日。")]
        return


def _check_detention_cap(start_on: dt.date, end_on: dt.date) -> None:
    """At most 15 days, both the first and the last day counted (民事诉讼法 第一百一十八条, unverified)."""
    days = (end_on - start_on).days + 1
    if days > DETENTION_MAX_DAYS:
        message = _("拘留期限不得超过十五日（%(basis)s），本次为 %(days)s 日。") % {"basis": SANCTION_BASIS, "days": days}
        raise RuleViolation(message, code="detention_exceeds_maximum", extra={
            "max_days": DETENTION_MAX_DAYS, "days": days, "basis": str(SANCTION_BASIS), "fields": {"end_on": [message]}})


@transaction.atomic
def coercion_entry_record(
    *,
    actor: User,
    case: Case,
    kind: str,
    decided_at: dt.datetime,
    document_number: str,
    party_id: Any = None,
    person_name: str = "",
    target_kind: str = "",
    amount: Decimal | None = None,
    start_on: dt.date | None = None,
    end_on: dt.date | None = None,
    note: str = "",
    route: str = "",
    application_id: Any = None,
) -> CoercionEntry:
    """One entry of the register, with its document and date(s); a node."""
    case = case_get_for_update(actor=actor, case=case)
    require_open_or_terminated(case)
    check_time(decided_at)
    errors: dict[str, list[str]] = {}
    if kind not in CoercionKind.values:
        raise _invalid({"kind": [_("请选择措施。")]})
    person_name = (person_name or "").strip()[:100]
    party: Party | None = None
    if party_id not in (None, ""):
        party = case_party_get(case, party_id, role=PartyRole.RESPONDENT)
        if party is None:
            errors["party"] = [_("所选当事人不是本案的被执行人。")]
    elif kind in RESPONDENT_ONLY:
        errors["party"] = [_("请选择下落不明的被执行人。")]
    elif not person_name and kind not in APPLICATION_KINDS:
        errors["party"] = [_("请选择被执行人，或填写被采取措施的其他人。")]
    if not (document_number or "").strip():
        errors["document_number"] = [_("请填写决定书或文书文号。")]
    # who the measure is taken against: the organisation itself, or a natural person
    if party is not None and not person_name:
        target_kind = party.kind
    elif person_name and party is not None:
        target_kind = PartyKind.PERSON  # the organisation's 主要负责人 / 直接责任人员
    elif not target_kind:
        target_kind = PartyKind.PERSON
    elif target_kind not in PartyKind.values:
        errors["target_kind"] = [_("对象类型应为个人或单位。")]
    if kind == CoercionKind.DETENTION:
        if target_kind == PartyKind.ORGANIZATION:
            errors.setdefault("person_name", []).append(_("单位不能被拘留：请填写其主要负责人或直接责任人员。"))
        _check_detention(start_on, end_on, errors)
    else:
        start_on = end_on = None
    if kind == CoercionKind.REFUSAL_CRIME_REFERRAL:
        if route not in ReferralRoute.values:
            errors["route"] = [_("请选择移送公安机关或告知自诉。")]
    else:
        route = ""
    if kind == CoercionKind.WHEREABOUTS_SEARCH and not (note or "").strip():
        errors["note"] = [_("请填写查找的方式和结果。")]
    if kind == CoercionKind.FINE:
        if amount is None:
            errors["amount"] = [_("请填写罚款金额（大于零）。")]
        elif amount <= 0:
            errors["amount"] = [str(messages.AMOUNT_NOT_POSITIVE)]
    else:
        amount = None
    application = None
    if application_id not in (None, ""):
        application = _granted_application(case, application_id, kind, errors)
    if errors:
        raise _invalid(errors)
    if kind == CoercionKind.FINE and amount is not None:
        _check_fine_cap(amount, target_kind)
    if kind == CoercionKind.DETENTION and start_on is not None and end_on is not None:
        _check_detention_cap(start_on, end_on)
    entry = CoercionEntry.objects.create(
        case=case, kind=kind, party=party, person_name=person_name, target_kind=target_kind,
        document_number=document_number.strip()[:100], decided_at=decided_at, amount=amount,
        start_on=start_on, end_on=end_on, note=(note or "").strip()[:1000], route=route,
        outcome=ReferralOutcome.PENDING if kind == CoercionKind.REFUSAL_CRIME_REFERRAL else "",
        application=application, created_by=actor,
    )
    if application is not None:
        application.status = ApplicationStatus.DONE
        application.save(update_fields=["status"])
    payload: dict[str, Any] = {"document_number": entry.document_number, "party": party.pk if party else None}
    if amount is not None:
        payload["amount"] = f"{amount:.2f}"
    if start_on is not None and end_on is not None:
        payload.update(start_on=start_on.isoformat(), end_on=end_on.isoformat())
    if route:
        payload["route"] = route
    if application is not None:
        payload["application"] = application.pk
    record_node(case=case, kind=ENTRY_NODES[CoercionKind(kind)], occurred_at=decided_at, actor=actor, subject=entry,
                payload=payload)
    return entry


def _granted_application(case: Case, application_id: Any, kind: str, errors: dict[str, list[str]]) -> MeasureApplication | None:
    try:
        pk = int(application_id)
    except (TypeError, ValueError):
        errors["application"] = [_("申请不存在。")]
        return None
    if not case.measure_applications.filter(pk=pk).exists():  # type: ignore[attr-defined]
        errors["application"] = [_("申请不存在。")]
        return None
    application = measure_application_get_for_update(pk)
    if application.status != ApplicationStatus.GRANTED or application.kind != kind:
        raise RuleViolation(
            _("只能登记已准许且事项相同的申请的实施情况。"), code="application_not_granted",
            extra={"application": application.pk, "status": application.status, "kind": application.kind,
                   "fields": {"application": [_("该申请尚未准许，或申请事项与措施不同。")]}},
        )
    return application


@transaction.atomic
def referral_outcome_record(
    *, actor: User, entry: CoercionEntry, outcome: str, outcome_on: dt.date, outcome_document: str = "",
) -> CoercionEntry:
    """The outcome of a 拒执罪 referral (立案 / 不立案 / 判决 …), also after the case closed."""
    case = case_get_for_update(actor=actor, case=entry.case_id)
    entry = coercion_entry_get_for_update(entry.pk)
    errors: dict[str, list[str]] = {}
    if entry.kind != CoercionKind.REFUSAL_CRIME_REFERRAL:
        raise RuleViolation(_("只有拒执罪移送才有处理结果。"), code="not_a_referral")
    if outcome not in ReferralOutcome.values or outcome == ReferralOutcome.PENDING:
        errors["outcome"] = [_("请选择处理结果。")]
    if outcome_on is None:
        errors["outcome_on"] = [_("请填写结果日期。")]
    elif outcome_on < local_date(entry.decided_at):
        errors["outcome_on"] = [_("结果日期不能早于移送日期。")]
    elif outcome_on > local_date(timezone.now()):
        errors["outcome_on"] = [_("结果日期不能晚于今天。")]
    if errors:
        raise _invalid(errors)
    entry.outcome, entry.outcome_on, entry.outcome_document = outcome, outcome_on, (outcome_document or "").strip()[:100]
    entry.save(update_fields=["outcome", "outcome_on", "outcome_document"])
    at = dt.datetime.combine(outcome_on, dt.time(12, 0), tzinfo=entry.decided_at.tzinfo)
    at = min(at, timezone.now())
    record_node(case=case, kind=CoercionNode.REFERRAL_OUTCOME, occurred_at=at, actor=actor, subject=entry,
                payload={"outcome": outcome, "outcome_on": outcome_on.isoformat(), "document": entry.outcome_document})
    return entry


@transaction.atomic
def measure_application_receive(
    *, actor: User, case: Case, applicant_id: Any, kind: str, applied_at: dt.datetime, note: str = "",
) -> MeasureApplication:
    """The applicant applies for 委托专项审计 / 搜查 / 悬赏 / 律师调查令 (322号 第24条)."""
    case = case_get_for_update(actor=actor, case=case)
    require_open_or_terminated(case)
    check_time(applied_at)
    errors: dict[str, list[str]] = {}
    applicant = None
    if applicant_id in (None, ""):
        errors["applicant"] = [_("请选择申请执行人。")]
    else:
        applicant = case_party_get(case, applicant_id, role=PartyRole.APPLICANT)
        if applicant is None:
            errors["applicant"] = [_("所选当事人不是本案的申请执行人。")]
    if kind not in [k.value for k in APPLICATION_KINDS]:
        errors["kind"] = [_("请选择申请事项（委托专项审计、搜查、悬赏或律师调查令）。")]
    if errors:
        raise _invalid(errors)
    assert applicant is not None
    application = MeasureApplication.objects.create(
        case=case, applicant=applicant, kind=kind, applied_at=applied_at, note=(note or "").strip()[:1000]
    )
    record_node(case=case, kind=CoercionNode.APPLICATION_RECEIVED, occurred_at=applied_at, actor=actor,
                subject=application, payload={"kind": kind, "applicant": applicant.pk})
    return application


@transaction.atomic
def measure_application_decide(
    *, actor: User, application: MeasureApplication, grant: bool, at: dt.datetime, reason: str = "",
) -> MeasureApplication:
    """Grant (then record the measure with ``application``), or refuse with reasons."""
    case = case_get_for_update(actor=actor, case=application.case_id)
    require_open_or_terminated(case)
    check_time(at)
    application = measure_application_get_for_update(application.pk)
    if application.status != ApplicationStatus.PENDING:
        raise RuleViolation(_("该申请已作出决定。"), code="application_decided", extra={"status": application.status})
    errors: dict[str, list[str]] = {}
    if not grant and not (reason or "").strip():
        errors["reason"] = [_("不予准许须说明理由。")]
    if at < application.applied_at:
        errors["at"] = [_("决定时间早于申请时间。")]
    if errors:
        raise _invalid(errors)
    application.status = ApplicationStatus.GRANTED if grant else ApplicationStatus.REFUSED
    application.decided_at, application.decided_by = at, actor
    application.decision_reason = (reason or "").strip()[:1000]
    application.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
    record_node(
        case=case, kind=CoercionNode.APPLICATION_GRANTED if grant else CoercionNode.APPLICATION_REFUSED,
        occurred_at=at, actor=actor, subject=application, payload={"reason": application.decision_reason},
    )
    return application


@transaction.atomic
def obstruction_not_sanctioned(
    *, actor: User, case: Case, party_id: Any, at: dt.datetime, reason: str,
) -> ObstructionDecision:
    """``obstruction.not_sanctioned``: the bureau head (≠ handler) decides, with reasons, that the
    respondent's obstruction is not met with 罚款/拘留/拒执 (spec §3 row #15)."""
    case = case_get_for_update(actor=actor, case=case)
    require_open_or_terminated(case)
    if actor.pk == case.handler_id:
        raise PermissionDenied(_("承办人不能决定对本案不予采取强制措施，须由执行局长决定。"), code="not_sanctioned_by_handler")
    if not policy.is_not_sanctioned_decider(actor, case):
        raise PermissionDenied(_("不予采取强制措施须由本院执行局长决定。"), code="not_sanctioned_wrong_role")
    check_time(at)
    errors: dict[str, list[str]] = {}
    party = _respondent(case, party_id, errors)
    if not (reason or "").strip():
        errors["reason"] = [_("请说明不予采取罚款、拘留或移送拒执罪的理由。")]
    if errors:
        raise _invalid(errors)
    assert party is not None
    decision = ObstructionDecision.objects.create(
        case=case, party=party, decided_at=at, reason=reason.strip()[:1000], decided_by=actor
    )
    record_node(case=case, kind=CoercionNode.NOT_SANCTIONED, occurred_at=at, actor=actor, subject=decision,
                payload={"party": party.pk, "reason": decision.reason})
    return decision
