"""失信 / 限消 per respondent (322号 §23; lifecycle spec §4): service of the decision,
纠正申请 and its decision, 担保 and 申请执行人同意 (which lift one respondent's 限消 without
being 履行完毕), the urgent release, the restricted persons of an organisation, and the
finding that a respondent does not meet the 失信 conditions (终本 gate row #5).

Every node is recorded; every release clock runs on the measure it is about."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import messages
from core.exceptions import FieldErrors, InvalidTransition, PermissionDenied, RuleViolation, ValidationFailed
from core.identity import mask_id, validate_resident_id
from core.models import Deadline, User
from core.services import clocks
from core.services.inputs import name_problem
from enforcement.events import CreditNode
from enforcement.models import (
    Case,
    CorrectionOutcome,
    CreditKind,
    CreditMeasure,
    CreditStatus,
    Party,
    PartyKind,
    PartyRole,
    RestrictedPerson,
    RestrictedRole,
    ServiceMethod,
)
from enforcement.policy import can_approve
from enforcement.selectors import (
    case_get_for_update,
    credit_measure_get_for_update,
    restricted_person_get_for_update,
)
from enforcement.services.common import check_time, record_node, require_open

RELEASE_RULE = {CreditKind.RESTRICTION: "RESTRICTION_RELEASE", CreditKind.DISHONEST: "DISHONEST_DELETE"}


@dataclass
class RestrictedPersonInput:
    name: str
    id_number: str
    role: str
    since: dt.date | None = None
    until: dt.date | None = None


def release_clock_start(*, case: Case, measure: CreditMeasure, at: dt.datetime, variant: str = "") -> Deadline | None:
    """Start the measure's release (or deletion) clock, unless one of that kind already runs
    (an earlier trigger keeps its earlier due date)."""
    rule = RELEASE_RULE[CreditKind(measure.kind)]
    running = clocks.running_deadlines_for(measure, [rule]).filter(variant=variant)
    if running.exists():
        return None
    return clocks.clock_start(
        rule_code=rule, court=case.court, case=case, subject=measure, subject_label=f"{case} · {measure}",
        started_at=at, responsible=case.handler, variant=variant,
    )


def _respondent(case: Case, party_id: object, field: str = "party") -> Party:
    party = case.parties.filter(pk=party_id, role=PartyRole.RESPONDENT).first() if isinstance(party_id, int) else None
    if party is None:
        raise ValidationFailed.for_field(field, _("请选择本案的被执行人。"))
    return party


def _issued(case: Case, party: Party, kind: str) -> CreditMeasure | None:
    return case.credit_measures.filter(party=party, kind=kind, status=CreditStatus.ISSUED).first()


def restricted_persons_check(party: Party, kind: str, persons: list[RestrictedPersonInput]) -> None:
    """Restricted persons belong to a 限制消费令 on an organisation; each with name, ID and role."""
    if not persons:
        return
    if kind != CreditKind.RESTRICTION or party.kind == PartyKind.PERSON:
        raise ValidationFailed.for_field("persons", _("只有对单位被执行人的限制消费令可以列明被限制消费的人员。"))
    errors: dict[str, list[str]] = {}
    for i, p in enumerate(persons):
        if not p.name.strip():
            errors.setdefault(f"persons.{i}.name", []).append(str(_("请填写姓名。")))
        elif (problem := name_problem(p.name)) is not None:
            errors.setdefault(f"persons.{i}.name", []).append(problem)
        if not p.id_number.strip():
            errors.setdefault(f"persons.{i}.id_number", []).append(str(_("请填写证件号码。")))
        else:
            # the same 居民身份证 rule as a party's (GB 11643-1999 check character)
            try:
                validate_resident_id(p.id_number)
            except ValidationFailed as exc:
                errors.setdefault(f"persons.{i}.id_number", []).append(str(exc.message))
        if p.role not in RestrictedRole.values:
            errors.setdefault(f"persons.{i}.role", []).append(str(_("身份无效。")))
        if p.since and p.until and p.until < p.since:
            errors.setdefault(f"persons.{i}.until", []).append(str(_("任职止日不能早于任职起日。")))
    if errors:
        raise ValidationFailed(_("被限制消费人员信息有误。"), extra={"fields": errors})


def restricted_persons_create(measure: CreditMeasure, persons: list[RestrictedPersonInput]) -> list[RestrictedPerson]:
    return [
        RestrictedPerson.objects.create(
            measure=measure, name=p.name.strip()[:100], id_number=validate_resident_id(p.id_number), role=p.role,
            since=p.since, until=p.until,
        )
        for p in persons
    ]


@transaction.atomic
def credit_person_add(*, actor: User, measure: CreditMeasure, person: RestrictedPersonInput) -> RestrictedPerson:
    """List one more person restricted by an organisation's 限制消费令 in force."""
    case = case_get_for_update(actor=actor, case=measure.case_id)
    require_open(case)
    measure = credit_measure_get_for_update(measure.pk)
    if measure.status != CreditStatus.ISSUED:
        raise InvalidTransition(_("该措施已解除，不能再列明被限制消费人员。"))
    restricted_persons_check(measure.party, measure.kind, [person])
    (created,) = restricted_persons_create(measure, [person])
    return created


@transaction.atomic
def credit_serve(
    *, actor: User, measure: CreditMeasure, served_at: dt.datetime, method: str, recipient: str
) -> CreditMeasure:
    """送达 the decision (322号 §23 "制作决定书送达当事人"): only a served measure is in force."""
    case = case_get_for_update(actor=actor, case=measure.case_id)
    require_open(case)
    check_time(served_at)
    errors: dict[str, list[str]] = {}
    if method not in ServiceMethod.values:
        errors["method"] = [str(_("送达方式无效。"))]
    if not recipient.strip():
        errors["recipient"] = [str(_("请填写受送达人。"))]
    if errors:
        raise ValidationFailed(_("送达信息有误。"), extra={"fields": errors})
    measure = credit_measure_get_for_update(measure.pk)
    if measure.status != CreditStatus.ISSUED:
        raise InvalidTransition(_("该措施已解除，无需送达。"))
    if measure.served_at is not None:
        raise InvalidTransition(_("该决定书已送达。"), code="credit_already_served")
    if served_at < measure.issued_at:
        raise ValidationFailed.for_field("served_at", _("送达时间早于决定时间。"))
    measure.served_at, measure.service_method, measure.service_recipient = served_at, method, recipient.strip()[:100]
    measure.save(update_fields=["served_at", "service_method", "service_recipient"])
    record_node(case=case, kind=CreditNode.SERVED, occurred_at=served_at, actor=actor, subject=measure,
                payload={"kind": measure.kind, "method": method, "recipient": measure.service_recipient})
    return measure


@transaction.atomic
def credit_correction_request(*, actor: User, measure: CreditMeasure, at: dt.datetime, reason: str) -> CreditMeasure:
    """纠正申请 by the listed person (322号 §23 "应及时审查，及时纠正，不得拖延"). For a 失信 entry
    it starts DISHONEST_CORRECTION (shipped switched off until its period is verified)."""
    case = case_get_for_update(actor=actor, case=measure.case_id)
    check_time(at)
    if not reason.strip():
        raise ValidationFailed.for_field("reason", _("请填写纠正申请的事实和理由。"))
    measure = credit_measure_get_for_update(measure.pk)
    if measure.status != CreditStatus.ISSUED:
        raise InvalidTransition(_("该措施已解除，无需纠正。"))
    if measure.correction_pending:
        raise InvalidTransition(_("该措施已有待审查的纠正申请。"), code="credit_correction_pending")
    if at < measure.issued_at:
        raise ValidationFailed.for_field("at", _("申请时间早于决定时间。"))
    measure.correction_requested_at, measure.correction_request = at, reason.strip()[:1000]
    measure.correction_decided_at, measure.correction_outcome, measure.correction_reasons = None, "", ""
    measure.correction_decided_by = None
    measure.save()
    if measure.kind == CreditKind.DISHONEST:
        clocks.clock_start(
            rule_code="DISHONEST_CORRECTION", court=case.court, case=case, subject=measure,
            subject_label=f"{case} · {measure}", started_at=at, responsible=case.handler,
        )
    record_node(case=case, kind=CreditNode.CORRECTION_REQUESTED, occurred_at=at, actor=actor, subject=measure,
                payload={"kind": measure.kind, "reason": measure.correction_request})
    return measure


@transaction.atomic
def credit_correction_decide(
    *, actor: User, measure: CreditMeasure, at: dt.datetime, outcome: str, reasons: str
) -> CreditMeasure:
    """The bureau head (≠ whoever issued the measure) upholds it or corrects it; a corrected
    measure is released at once (reason: 纠正)."""
    case = case_get_for_update(actor=actor, case=measure.case_id)
    check_time(at)
    errors: dict[str, list[str]] = {}
    if outcome not in CorrectionOutcome.values:
        errors["outcome"] = [str(_("请选择维持或予以纠正。"))]
    if not reasons.strip():
        errors["reasons"] = [str(_("请填写决定理由。"))]
    if errors:
        raise ValidationFailed(_("纠正决定信息有误。"), extra={"fields": errors})
    if not can_approve(actor, case):
        raise PermissionDenied(_("纠正申请由执行局长（或院领导）审查决定。"), code="credit_correction_wrong_role")
    measure = credit_measure_get_for_update(measure.pk)
    if measure.issued_by_id == actor.pk:
        raise PermissionDenied(_("作出该措施的人不能审查对它的纠正申请。"), code="maker_checker")
    if not measure.correction_pending or measure.status != CreditStatus.ISSUED:
        raise InvalidTransition(_("该措施没有待审查的纠正申请。"), code="credit_no_correction_pending")
    if measure.correction_requested_at is not None and at < measure.correction_requested_at:
        raise ValidationFailed.for_field("at", _("决定时间早于申请时间。"))
    measure.correction_decided_at, measure.correction_outcome = at, outcome
    measure.correction_reasons, measure.correction_decided_by = reasons.strip()[:1000], actor
    if outcome == CorrectionOutcome.CORRECTED:
        measure.release(at=at, reason=str(_("纠正：%(r)s") % {"r": reasons.strip()})[:500])
    measure.save()
    stopping = ["DISHONEST_CORRECTION"]
    if outcome == CorrectionOutcome.CORRECTED:
        stopping += ["RESTRICTION_RELEASE", "DISHONEST_DELETE"]
    clocks.clocks_stop_for_subject(subject=measure, rule_codes=stopping, stopped_at=at, actor=actor)
    record_node(case=case, kind=CreditNode.CORRECTION_DECIDED, occurred_at=at, actor=actor, subject=measure,
                payload={"kind": measure.kind, "outcome": outcome, "reasons": measure.correction_reasons})
    if outcome == CorrectionOutcome.CORRECTED:
        record_node(case=case, kind=CreditNode.RELEASED, occurred_at=at, actor=actor, subject=measure,
                    payload={"kind": measure.kind, "reason": measure.release_reason})
    return measure


@transaction.atomic
def credit_guarantee_accept(
    *, actor: User, case: Case, party_id: int, at: dt.datetime, document: str, amount: Decimal | None = None
) -> CreditMeasure:
    """被执行人提供有效担保 (322号 §23): RESTRICTION_RELEASE for this respondent's 限消 only.
    Not 履行完毕: ``fulfilled_at`` stays empty, no 失信 deletion, other respondents untouched."""
    case = case_get_for_update(actor=actor, case=case)
    require_open(case)
    check_time(at)
    party = _respondent(case, party_id)
    errors: dict[str, list[str]] = {}
    if not document.strip():
        errors["document"] = [str(_("请填写担保书（或担保财产）的名称、文号。"))]
    if amount is not None and amount <= 0:
        errors["amount"] = [str(messages.AMOUNT_NOT_POSITIVE)]
    if errors:
        raise ValidationFailed(_("担保信息有误。"), extra={"fields": errors})
    restriction = _issued(case, party, CreditKind.RESTRICTION)
    if restriction is None:
        raise RuleViolation(
            _("被执行人“%(p)s”没有生效的限制消费令，无需因担保解除。") % {"p": party.name},
            code="credit_restriction_not_in_force", extra={"respondent": party.pk},
        )
    if at < restriction.issued_at:
        raise ValidationFailed.for_field("at", _("担保时间早于限制消费令的决定时间。"))
    release_clock_start(case=case, measure=restriction, at=at)
    record_node(case=case, kind=CreditNode.GUARANTEE_ACCEPTED, occurred_at=at, actor=actor, subject=restriction,
                payload={"respondent": party.pk, "document": document.strip()[:200],
                         "amount": str(amount) if amount is not None else None})
    return restriction


@transaction.atomic
def credit_applicant_consent(
    *, actor: User, case: Case, party_ids: list[int], at: dt.datetime, document: str, delete_dishonest: bool = False
) -> list[CreditMeasure]:
    """申请执行人同意 (322号 §23): RESTRICTION_RELEASE for the named respondents' 限消 only. The
    失信 entry is deleted only when the consent asks for it and the court (a bureau head or
    court leader) approves it (失信规定 §10(三), outside the seeds, unverified)."""
    case = case_get_for_update(actor=actor, case=case)
    require_open(case)
    check_time(at)
    if not party_ids:
        raise ValidationFailed.for_field("parties", _("请选择申请执行人同意解除的被执行人。"))
    parties = [_respondent(case, pid, "parties") for pid in dict.fromkeys(party_ids)]
    if not document.strip():
        raise ValidationFailed.for_field("document", _("请填写申请执行人签署的同意书。"))
    if delete_dishonest and not can_approve(actor, case):
        # the request the refusal needs, ready to send (REST) or offered in place (the page)
        raise PermissionDenied(
            _("因申请执行人同意删除失信信息，须经执行局长（或院领导）批准。"), code="credit_deletion_needs_approval",
            extra={"request": {
                "method": "POST", "path": f"/api/v1/cases/{case.pk}/approvals/",
                "body": {"kind": "dishonest_delete", "reason": "", "respondents": [p.pk for p in parties],
                         "consent_at": at.isoformat(), "document": document.strip()[:200]},
            }},
        )
    started: list[CreditMeasure] = []
    for party in parties:
        restriction = _issued(case, party, CreditKind.RESTRICTION)
        dishonest = _issued(case, party, CreditKind.DISHONEST) if delete_dishonest else None
        if restriction is None and dishonest is None:
            raise RuleViolation(
                _("被执行人“%(p)s”没有生效的限制消费令。") % {"p": party.name},
                code="credit_restriction_not_in_force", extra={"respondent": party.pk},
            )
        for measure in (restriction, dishonest):
            if measure is None:
                continue
            if at < measure.issued_at:
                raise ValidationFailed.for_field("at", _("同意时间早于措施的决定时间。"))
            release_clock_start(case=case, measure=measure, at=at)
            started.append(measure)
    record_node(case=case, kind=CreditNode.APPLICANT_CONSENTED, occurred_at=at, actor=actor,
                payload={"respondents": [p.pk for p in parties], "document": document.strip()[:200],
                         "delete_dishonest": delete_dishonest})
    return started


@transaction.atomic
def credit_urgent_release_request(*, actor: User, measure: CreditMeasure, at: dt.datetime, reason: str) -> CreditMeasure:
    """因情况紧急当事人申请立即解除 (322号 §23): once the release is owed (履行完毕, 担保 or 同意),
    the 限消 is lifted "立即" — RESTRICTION_RELEASE variant ``urgent``."""
    case = case_get_for_update(actor=actor, case=measure.case_id)
    check_time(at)
    if not reason.strip():
        raise ValidationFailed.for_field("reason", _("请填写情况紧急的事由。"))
    measure = credit_measure_get_for_update(measure.pk)
    if measure.kind != CreditKind.RESTRICTION or measure.status != CreditStatus.ISSUED:
        raise InvalidTransition(_("只有生效的限制消费令可以申请立即解除。"))
    if not clocks.running_deadlines_for(measure, ["RESTRICTION_RELEASE"]).exists():
        raise RuleViolation(
            _("尚未出现解除事由（履行完毕、提供有效担保或申请执行人同意），不能申请立即解除。"),
            code="credit_release_not_due", extra={"measure": measure.pk},
        )
    release_clock_start(case=case, measure=measure, at=at, variant="urgent")
    record_node(case=case, kind=CreditNode.URGENT_RELEASE_REQUESTED, occurred_at=at, actor=actor, subject=measure,
                payload={"reason": reason.strip()[:500]})
    return measure


@transaction.atomic
def credit_person_release(*, actor: User, person: RestrictedPerson, at: dt.datetime, change_record: str) -> RestrictedPerson:
    """解除对原法定代表人（主要负责人…）的限制消费 on the party's application with the registry's
    change record (322号 §23 "及时"; no period in the seeds). The organisation's 限消 stays."""
    case = case_get_for_update(actor=actor, case=person.measure.case_id)
    check_time(at)
    if not change_record.strip():
        raise ValidationFailed.for_field("change_record", _("请填写登记机关的变更记录（变更登记文号、日期）。"))
    person = restricted_person_get_for_update(person.pk)
    if person.released_at is not None:
        raise InvalidTransition(_("该人员的限制消费已解除。"), code="credit_person_already_released")
    measure = credit_measure_get_for_update(person.measure_id)
    if measure.status != CreditStatus.ISSUED:
        raise InvalidTransition(_("该限制消费令已解除。"))
    if at < measure.issued_at:
        raise ValidationFailed.for_field("at", _("解除时间早于限制消费令的决定时间。"))
    person.released_at, person.change_record, person.released_by = at, change_record.strip()[:500], actor
    person.save(update_fields=["released_at", "change_record", "released_by"])
    record_node(case=case, kind=CreditNode.PERSON_RELEASED, occurred_at=at, actor=actor, subject=measure,
                payload={"person": person.pk, "name": person.name, "id_number": mask_id(person.id_number),
                         "role": person.role, "change_record": person.change_record})
    return person


@transaction.atomic
def credit_dishonest_not_applicable(*, actor: User, case: Case, party_id: int, at: dt.datetime, reason: str) -> Party:
    """A reasoned finding that the respondent does not meet the 失信 conditions (322号 §23 "仅符合
    限制消费情形的，不得纳入失信名单"; 终本 gate row #5)."""
    case = case_get_for_update(actor=actor, case=case)
    require_open(case)
    check_time(at)
    party = _respondent(case, party_id)
    if not reason.strip():
        raise ValidationFailed.for_field("reason", _("请说明不符合纳入失信名单条件的理由。"))
    if _issued(case, party, CreditKind.DISHONEST) is not None:
        raise InvalidTransition(_("该被执行人已被纳入失信名单。"), code="credit_dishonest_in_force")
    record_node(case=case, kind=CreditNode.DISHONEST_NOT_APPLICABLE, occurred_at=at, actor=actor, subject=party,
                payload={"respondent": party.pk, "reason": reason.strip()[:1000]})
    return party


def dishonest_deletion_request_check(case: Case, payload: dict) -> dict:
    """A 删除失信信息 request's payload (``ApprovalKind.DISHONEST_DELETE``): the respondents
    whose 失信 entry is in force, the consent's time and its document — normalised, or
    every field's refusal at once."""
    errors = FieldErrors()
    raw = payload.get("respondents")
    ids = [i for i in raw if isinstance(i, int)] if isinstance(raw, list) else []
    if not ids or len(ids) != len(raw or []):
        errors.add("respondents", _("请选择申请执行人同意删除失信信息的被执行人。"))
    for pid in dict.fromkeys(ids):
        party = case.parties.filter(pk=pid, role=PartyRole.RESPONDENT).first()
        if party is None or _issued(case, party, CreditKind.DISHONEST) is None:
            errors.add("respondents", _("被执行人（%(p)s）没有生效的失信决定。") % {"p": pid})
    at = None
    try:
        at = dt.datetime.fromisoformat(str(payload.get("at") or ""))
        check_time(at)
    except (ValueError, TypeError):
        errors.add("at", _("请填写申请执行人同意的时间，如 2026-11-20T10:00:00+08:00。"))
    except (RuleViolation, ValidationFailed) as exc:
        errors.add("at", exc.message)
    document = str(payload.get("document") or "").strip()
    if not document:
        errors.add("document", _("请填写申请执行人签署的同意书。"))
    errors.raise_if_any()
    assert at is not None
    return {"respondents": list(dict.fromkeys(ids)), "at": at.isoformat(), "document": document[:200]}


def dishonest_deletion_approved(*, actor: User, case: Case, payload: dict, approval_id: int) -> list[CreditMeasure]:
    """The request approved: DISHONEST_DELETE runs for each named respondent's 失信 entry
    still in force, from the consent's time (失信规定 §10(三))."""
    at = dt.datetime.fromisoformat(payload["at"])
    started: list[CreditMeasure] = []
    for pid in payload["respondents"]:
        party = case.parties.filter(pk=pid, role=PartyRole.RESPONDENT).first()
        measure = _issued(case, party, CreditKind.DISHONEST) if party is not None else None
        if measure is None or at < measure.issued_at:
            continue
        release_clock_start(case=case, measure=measure, at=at)
        started.append(measure)
    record_node(case=case, kind=CreditNode.APPLICANT_CONSENTED, occurred_at=timezone.now(), actor=actor,
                payload={"respondents": payload["respondents"], "document": payload["document"],
                         "delete_dishonest": True, "approval": approval_id})
    return started
