"""Case registration and the case-level nodes: notice, interview, suspension,
track, fulfilment, assignment."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import can_proceed

from core import messages
from core.calendar import WorkingCalendar, start_of_day
from core.case_numbers import CaseNumber, implementation_type_check, parse_case_number
from core.exceptions import (
    Conflict,
    FieldErrors,
    InvalidTransition,
    PermissionDenied,
    RuleViolation,
    ValidationFailed,
)
from core.identity import validate_party_id, validate_phone
from core.models import Court, Deadline, DeadlineRule, NodeEvent, User
from core.models.clocks import RUNNING
from core.rule_catalogue import CASE_TYPE_CLOCKS
from core.services import clocks
from core.services.events import node_event_record
from core.services.inputs import name_check
from enforcement import signals
from enforcement.events import CaseNode
from enforcement.models import (
    Case,
    CaseStatus,
    CreditStatus,
    Party,
    PartyKind,
    PartyRole,
    PayoutAccount,
    Track,
)
from enforcement.policy import can_act_at
from enforcement.selectors import (
    case_get_for_update,
    case_get_for_update_unchecked,
    handler_of_court,
    suspension_approvers,
)
from enforcement.services.clock_lifecycle import clocks_apply_resumption, clocks_apply_suspension
from enforcement.services.common import check_time, node_build, record_node, require_open, start_if_received
from enforcement.services.credit import release_clock_start
from enforcement.services.notifications import notify_case_assigned


@dataclass
class PayoutAccountInput:
    bank: str
    account_number: str
    holder: str


@dataclass
class PartyInput:
    name: str
    kind: str
    id_number: str
    phone: str = ""
    payout_account: PayoutAccountInput | None = None


@dataclass
class CaseInput:
    case_number: str
    court: Court
    filed_on: dt.date
    received_at: dt.datetime
    claim_amount: Decimal
    basis_document: str
    applicants: list[PartyInput]
    respondents: list[PartyInput]
    costs: Decimal = Decimal("0.00")
    track: str = Track.SIMPLE
    handler: User | None = None
    team: str = ""
    restored_from: Case | None = None
    # 执保 only: the 保全裁定 orders the respondent's property to be found (SEARCH_START runs).
    find_property: bool = False
    extra_fields: dict = field(default_factory=dict)


# 民诉法 §126 and 《关于人民法院登记立案若干问题的规定》§8: a court that cannot decide at once
# decides within seven days of receiving the application. A case received on 31 December
# may thus be filed (立案) up to 7 January and keep the 收案年度 of the year before.
FILING_DECISION_DAYS = 7


def case_number_year_check(number_year: int, filed_on: dt.date) -> bool:
    """Whether a 案号 of ``number_year`` may be filed on ``filed_on``. The year is the
    收案年度, the calendar year the court received the case (法〔2015〕137号 第二条第二款),
    which is the year of 立案 except for an application received in the last days of
    December and filed in the first ``FILING_DECISION_DAYS`` days of January."""
    if number_year == filed_on.year:
        return True
    return number_year == filed_on.year - 1 and filed_on <= dt.date(filed_on.year, 1, FILING_DECISION_DAYS)


def case_input_errors(
    *,
    case_number: str | None,
    court: Court | None,
    filed_on: dt.date | None,
    received_at: dt.datetime | None,
    claim_amount: Decimal | None,
    costs: Decimal | None,
    track: str | None,
    find_property: bool,
    applicants: list[PartyInput] | None,
    respondents: list[PartyInput] | None,
) -> tuple[FieldErrors, CaseNumber | None]:
    """Every rule of a registration that needs no database, on whatever was typed
    (``None``: the input is missing or already refused by the form, its rules skipped).
    Party ID numbers and phones are normalised in place."""
    errors = FieldErrors()
    number = None
    if case_number is not None:
        try:
            number = parse_case_number(case_number)
        except ValidationFailed as exc:
            errors.add_failure("case_number", exc)
    if number is not None and court is not None and number.court_code != court.code:
        errors.add(
            "case_number",
            _("案号中的法院代字 %(code)s 与收案法院 %(court)s 不一致。") % {"code": number.court_code, "court": court.code},
        )
    if number is not None:
        try:
            implementation_type_check(number)
        except ValidationFailed as exc:
            errors.add_failure("case_number", exc, keep_code=True)
    if number is not None and filed_on is not None and not case_number_year_check(number.year, filed_on):
        errors.add(
            "case_number",
            messages.CASE_NUMBER_YEAR % {"number_year": number.year, "filed_year": filed_on.year},
            code="case_number_year",
        )
    if find_property and number is not None and number.type_code != "执保":
        errors.add("find_property", _("“保全裁定要求查找财产”仅适用于财产保全执行（执保）案件。"))
    if claim_amount is not None and claim_amount <= 0:
        errors.add("claim_amount", messages.AMOUNT_NOT_POSITIVE)
    if costs is not None and costs < 0:
        errors.add("costs", messages.AMOUNT_NEGATIVE)
    if filed_on is not None and received_at is not None and filed_on > received_at.date() + dt.timedelta(days=1):
        errors.add("filed_on", _("立案日期不能晚于移送执行时间。"))
    if track is not None and track not in Track.values:
        errors.add("track", _("繁简类型无效。"))
    if applicants is not None and not applicants:
        errors.add("applicants", _("至少需要一名申请执行人。"))
    if respondents is not None and not respondents:
        errors.add("respondents", _("至少需要一名被执行人。"))
    for role, parties in (("applicants", applicants or []), ("respondents", respondents or [])):
        for index, party in enumerate(parties):
            _party_errors(errors, f"{role}[{index}]", party, applicant=role == "applicants")
    _both_sides_errors(errors, applicants or [], respondents or [])
    return errors, number


def case_values_errors(
    values: Mapping[str, Any],
    *,
    court: Court | None,
    applicants: list[PartyInput] | None,
    respondents: list[PartyInput] | None,
) -> tuple[FieldErrors, CaseNumber | None]:
    """``case_input_errors`` on what parsed of a form or a body (``values`` keyed by the
    field names; a missing key is an input refused or not given)."""
    return case_input_errors(
        case_number=values.get("case_number"),
        court=court,
        filed_on=values.get("filed_on"),
        received_at=values.get("received_at"),
        claim_amount=values.get("claim_amount"),
        costs=values.get("costs"),
        track=values.get("track"),
        find_property=bool(values.get("find_property")),
        applicants=applicants,
        respondents=respondents,
    )


def _party_errors(errors: FieldErrors, prefix: str, party: PartyInput, *, applicant: bool) -> None:
    if not party.name.strip():
        errors.add(f"{prefix}.name", _("请填写当事人名称。"))
    else:
        try:
            name_check(party.name, f"{prefix}.name")
        except ValidationFailed as exc:
            errors.add_failure(f"{prefix}.name", exc, keep_code=True)
    if party.kind not in PartyKind.values:
        errors.add(f"{prefix}.kind", _("当事人类型应为 person 或 organization。"))
    else:
        try:
            party.id_number = validate_party_id(party.kind, party.id_number)
        except ValidationFailed as exc:
            errors.add_failure(f"{prefix}.id_number", exc)
    if party.phone:
        try:
            party.phone = validate_phone(party.phone)
        except ValidationFailed as exc:
            errors.add_failure(f"{prefix}.phone", exc)
    if not applicant:
        return
    account = party.payout_account
    # 322号 §20: the payout account is confirmed when the case is filed.
    if account is None:
        errors.add(f"{prefix}.payout_account", _("执行立案时必须确认申请执行人接受案款的具体账户（322号第20条）。"))
        return
    if not (account.bank.strip() and account.account_number.strip() and account.holder.strip()):
        errors.add(f"{prefix}.payout_account", _("收款账户的开户行、账号、户名均须填写。"))
        return
    digits = account.account_number.replace(" ", "")
    if not digits.isdigit() or not 8 <= len(digits) <= 32:
        errors.add(f"{prefix}.payout_account.account_number", _("账号应为 8 至 32 位数字。"))
    else:
        account.account_number = digits
    try:
        name_check(account.holder, f"{prefix}.payout_account.holder")
    except ValidationFailed as exc:
        errors.add_failure(f"{prefix}.payout_account.holder", exc, keep_code=True)


def _both_sides_errors(errors: FieldErrors, applicants: list[PartyInput], respondents: list[PartyInput]) -> None:
    """A party cannot be on both sides: the same ID number, or the same name where
    either side has no ID number (the refusal sits on the respondent)."""
    ids = {p.id_number.strip().upper() for p in applicants if p.id_number.strip()}
    bare_names = {p.name.strip() for p in applicants if not p.id_number.strip()}
    named = {p.name.strip() for p in applicants}
    for index, party in enumerate(respondents):
        id_number, name = party.id_number.strip().upper(), party.name.strip()
        if id_number and id_number in ids:
            errors.add(f"respondents[{index}].id_number", messages.PARTY_BOTH_SIDES, code="party_on_both_sides")
        elif name and (name in bare_names or (not id_number and name in named)):
            errors.add(f"respondents[{index}].name", messages.PARTY_BOTH_SIDES, code="party_on_both_sides")


def _case_input_errors(data: CaseInput) -> tuple[FieldErrors, CaseNumber | None]:
    return case_input_errors(
        case_number=data.case_number,
        court=data.court,
        filed_on=data.filed_on,
        received_at=data.received_at,
        claim_amount=data.claim_amount,
        costs=data.costs,
        track=data.track,
        find_property=data.find_property,
        applicants=data.applicants,
        respondents=data.respondents,
    )


def _duplicate(number: str) -> Conflict:
    message = _("案号 %(n)s 已存在。") % {"n": number}
    return Conflict(message, code="duplicate_case_number", extra={"fields": {"case_number": [str(message)]}})


def _case_register_check(*, actor: User, data: CaseInput) -> tuple[str, str]:
    """Refuse a registration the actor may not make or the input does not allow;
    return the normalized case number and its type code."""
    if not can_act_at(actor, data.court):
        raise PermissionDenied(_("只有本院的书记员、承办人、执行局长或对接系统可以登记案件。"))
    errors, number = _case_input_errors(data)
    if data.handler is not None and not handler_of_court(data.handler, data.court):
        errors.add("handler", messages.HANDLER_NOT_OF_COURT)  # with the rest: one answer names every field
    # A time in the future and a number already taken are refusals of their own (422
    # node_in_future, 409 duplicate_case_number) when nothing else is wrong; beside other
    # mistakes they are named with them, so the clerk corrects everything in one round.
    future: RuleViolation | None = None
    try:
        check_time(data.received_at)
    except RuleViolation as exc:
        future = exc
    taken = number is not None and Case.objects.filter(case_number=number.normalized).exists()
    if errors.fields:
        if future is not None:
            errors.add("received_at", future.message)
        if taken:
            assert number is not None
            errors.add("case_number", _duplicate(number.normalized).message)
    errors.raise_if_any()
    assert number is not None  # no errors: the number parsed
    if future is not None:
        raise future
    if taken:
        raise _duplicate(number.normalized)
    return number.normalized, number.type_code


def _case_new(*, data: CaseInput, normalized: str, type_code: str) -> Case:
    """The case row of a registration, not yet saved."""
    return Case(
        case_number=normalized,
        court=data.court,
        type_code=type_code,
        filed_on=data.filed_on,
        received_at=data.received_at,
        claim_amount=data.claim_amount,
        costs=data.costs,
        basis_document=data.basis_document.strip()[:200],
        track=data.track,
        handler=data.handler,
        team=data.team[:50],
        restored_from=data.restored_from,
    )


def _parties_new(*, actor: User, case: Case, data: CaseInput) -> list[tuple[Party, PayoutAccount | None]]:
    """The case's parties, each applicant with the payout account confirmed at filing,
    not yet saved."""
    rows: list[tuple[Party, PayoutAccount | None]] = []
    for role, parties in ((PartyRole.APPLICANT, data.applicants), (PartyRole.RESPONDENT, data.respondents)):
        for p in parties:
            party = Party(
                case=case, role=role, kind=p.kind, name=p.name.strip()[:100], id_number=p.id_number, phone=p.phone
            )
            account = None
            if role == PartyRole.APPLICANT and p.payout_account is not None:
                account = PayoutAccount(
                    party=party,
                    bank=p.payout_account.bank.strip()[:100],
                    account_number=p.payout_account.account_number,
                    holder=p.payout_account.holder.strip()[:100],
                    confirmed_at=data.received_at,
                    confirmed_by=actor if actor.is_authenticated else None,
                )
            rows.append((party, account))
    return rows


def _parties_create(*, actor: User, case: Case, data: CaseInput) -> None:
    for party, account in _parties_new(actor=actor, case=case, data=data):
        party.save(force_insert=True)
        if account is not None:
            account.save(force_insert=True)


def _registration_clocks(
    *,
    case: Case,
    data: CaseInput,
    type_code: str,
    calendar: WorkingCalendar | None = None,
    rules: dict[str, DeadlineRule] | None = None,
) -> list[Deadline]:
    """The clocks registration starts for a case of ``type_code`` (CASE_TYPE_CLOCKS),
    their due moments computed, not yet saved. A bulk registration passes one
    calendar snapshot and one rule lookup for all its cases."""
    clocks_of_type = CASE_TYPE_CLOCKS[type_code]
    rule_codes = list(clocks_of_type["on_register"])
    if data.find_property:
        rule_codes += clocks_of_type["on_register_if_find_property"]
    built = []
    for rule_code in rule_codes:
        # 执行期限 counts from 立案 (the day), the others from receipt (移送执行).
        started_at = start_of_day(data.filed_on) if rule_code == "CASE_DURATION" else data.received_at
        deadline = clocks.clock_build(
            rule_code=rule_code, started_at=started_at, court=data.court, case=case, subject=case,
            responsible=data.handler, calendar=calendar, rules=rules,
        )
        if deadline is not None:
            built.append(deadline)
    return built


def _registration_clocks_start(*, case: Case, data: CaseInput, type_code: str) -> None:
    for deadline in _registration_clocks(case=case, data=data, type_code=type_code):
        deadline.save()


def _registration_node(*, actor: User, case: Case, data: CaseInput) -> NodeEvent:
    """The RECEIVED node of a registration, not yet saved."""
    return node_build(
        case=case,
        kind=CaseNode.RECEIVED,
        occurred_at=data.received_at,
        actor=actor,
        payload={
            "case_number": case.case_number,
            "claim_amount": str(data.claim_amount),
            "restored_from": data.restored_from.case_number if data.restored_from else None,
            "type_code": case.type_code,
            "find_property": data.find_property,
        },
    )


@transaction.atomic
def case_register(*, actor: User, data: CaseInput) -> Case:
    """收案: the execution department receives the case (移送执行). Starts the clocks
    of its type (``CASE_TYPE_CLOCKS``): for 执 and 执恢 SEARCH_START (322号 §13),
    EXECUTION_NOTICE (民诉法解释 §480) and CASE_DURATION; for 执保 only SEARCH_START,
    and only when the 保全裁定 orders property to be found. Review and coordination
    types (执异, 执复, 执监, 执协, 执他) are refused (``case_type_not_implementation``)."""
    normalized, type_code = _case_register_check(actor=actor, data=data)
    try:
        with transaction.atomic():
            case = _case_new(data=data, normalized=normalized, type_code=type_code)
            case.save(force_insert=True)
    except IntegrityError:
        raise _duplicate(normalized) from None
    _parties_create(actor=actor, case=case, data=data)
    _registration_clocks_start(case=case, data=data, type_code=type_code)
    _registration_node(actor=actor, case=case, data=data).save(force_insert=True)
    notify_case_assigned(case=case, handler=data.handler, actor=actor)
    signals.case_registered.send(sender=Case, case=case)
    return case


@transaction.atomic
def case_assign(*, actor: User, case: Case, handler: User | None, team: str = "") -> Case:
    case = case_get_for_update(actor=actor, case=case)
    require_open(case)
    if handler is not None and not handler_of_court(handler, case.court):
        raise ValidationFailed.for_field("handler", messages.HANDLER_NOT_OF_COURT)
    previous = case.handler_id
    case.handler, case.team = handler, team[:50]
    case.save(update_fields=["handler", "team", "updated_at"])
    if handler is not None and handler.pk != previous:
        notify_case_assigned(case=case, handler=handler, actor=actor)

    Deadline.objects.filter(RUNNING, case=case).update(responsible=handler)
    record_node(
        case=case, kind=CaseNode.ASSIGNED, occurred_at=timezone.now(), actor=actor,
        payload={"handler": handler.pk if handler else None, "team": team[:50]},
    )
    return case


@transaction.atomic
def case_serve_notice(*, actor: User, case: Case, served_at: dt.datetime) -> Case:
    """执行通知书 and 报告财产令 served: stops EXECUTION_NOTICE."""
    case = case_get_for_update(actor=actor, case=case)
    require_open(case)
    check_time(served_at)
    if case.notice_served_at is not None:
        raise InvalidTransition(_("执行通知书已送达。"))
    if served_at < case.received_at:
        raise ValidationFailed.for_field("served_at", _("送达时间早于收案时间。"))
    case.notice_served_at = case.property_order_served_at = served_at
    start_if_received(case)
    case.save(update_fields=["notice_served_at", "property_order_served_at", "updated_at"])
    clocks.clocks_stop_for_subject(subject=case, rule_codes=["EXECUTION_NOTICE"], stopped_at=served_at, actor=actor)
    record_node(case=case, kind=CaseNode.NOTICE_SERVED, occurred_at=served_at, actor=actor)
    return case


@transaction.atomic
def case_record_interview(*, actor: User, case: Case, at: dt.datetime, note: str) -> Case:
    """约谈申请执行人 (终本规定 §1(6))."""
    case = case_get_for_update(actor=actor, case=case)
    require_open(case)
    check_time(at)
    if not note.strip():
        raise ValidationFailed.for_field("note", _("请记录约谈内容。"))
    case.applicant_interviewed_at = at
    case.save(update_fields=["applicant_interviewed_at", "updated_at"])
    record_node(case=case, kind=CaseNode.APPLICANT_INTERVIEWED, occurred_at=at, actor=actor, payload={"note": note[:1000]})
    return case


SUSPENSION_RULING_MAX = 100


def case_suspend_check(
    *, actor: User, case: Case, ruling_number: str, approved_by: int | None
) -> tuple[str, User]:
    """The 中止 must carry its ruling: the ruling's number and the 执行局长 who approved
    it (lifecycle spec §1 "approved reason on 中止"; not the requester). Every problem
    is reported at once, each beside its input; ``extra.missing`` names what is
    missing."""
    ruling_number = ruling_number.strip()
    fields: dict[str, list[str]] = {}
    missing: list[str] = []
    code = ""
    if not ruling_number:
        missing.append("ruling_number")
        fields["ruling_number"] = [str(_("请填写中止执行裁定书文号。"))]
    elif len(ruling_number) > SUSPENSION_RULING_MAX or not ruling_number.isprintable():
        code = code or "invalid"
        fields["ruling_number"] = [str(_("裁定书文号无效（最长 100 字，不含控制字符）。"))]
    approver = suspension_approvers(case).filter(pk=approved_by).first() if approved_by is not None else None
    if approved_by is None:
        missing.append("approved_by")
        fields["approved_by"] = [str(_("请选择批准中止的执行局长。"))]
    elif approved_by == actor.pk:
        code = code or "maker_checker"
        fields["approved_by"] = [str(_("中止须经他人批准：批准人不能是申请中止的本人。"))]
    elif approver is None:
        code = code or "suspension_approver_invalid"
        fields["approved_by"] = [str(_("批准人须为本案所属法院的执行局长。"))]
    if missing:
        raise ValidationFailed(
            _("中止执行须载明中止裁定书文号及批准人。"),
            code="suspension_incomplete",
            extra={"fields": fields, "missing": missing},
        )
    if fields:
        raise ValidationFailed(next(iter(fields.values()))[0], code=code, extra={"fields": fields})
    assert approver is not None
    return ruling_number, approver


@transaction.atomic
def case_suspend(
    *,
    actor: User,
    case: Case,
    at: dt.datetime,
    ruling_number: str,
    approved_by: int | None,
    reason: str = "",
) -> Case:
    """中止执行 by a ruling (its number, approved by the bureau head ≠ requester): the
    clocks the catalogue's LIFECYCLE lets the 中止 pause stand still until the case
    resumes; the others (a freeze's expiry, money, 限消) keep running. ``approved_by``
    is the approver's user id; ``reason`` the optional ground (案外人异议 …)."""
    case = case_get_for_update(actor=actor, case=case)
    if not can_proceed(case.suspend):  # a closed or suspended case: 409 before any input check
        raise InvalidTransition()
    check_time(at)
    ruling_number, approver = case_suspend_check(
        actor=actor, case=case, ruling_number=ruling_number, approved_by=approved_by
    )
    reason = reason.strip()
    case.suspend()
    case.save(update_fields=["status", "updated_at"])
    ground = f"{ruling_number}（{reason}）" if reason else ruling_number
    clocks_apply_suspension(case=case, at=at, reason=ground, actor=actor)
    record_node(
        case=case, kind=CaseNode.SUSPENDED, occurred_at=at, actor=actor,
        payload={
            "ruling_number": ruling_number,
            "approved_by": approver.pk,
            "approved_by_name": approver.get_full_name() or approver.get_username(),
            "reason": reason[:500],
        },
    )
    return case


@transaction.atomic
def case_resume(*, actor: User, case: Case, at: dt.datetime) -> Case:
    case = case_get_for_update(actor=actor, case=case)
    check_time(at)
    case.resume()
    case.save(update_fields=["status", "updated_at"])
    clocks_apply_resumption(case=case, at=at, actor=actor)
    record_node(case=case, kind=CaseNode.RESUMED, occurred_at=at, actor=actor)
    return case


@transaction.atomic
def case_set_track(*, actor: User, case: Case, track: str, reason: str = "") -> Case:
    """繁简分流 (322号 §7)."""
    case = case_get_for_update(actor=actor, case=case)
    require_open(case)
    if track not in Track.values:
        raise ValidationFailed.for_field("track", _("繁简类型无效。"))
    if case.track == track:
        return case
    previous, case.track = case.track, track
    case.save(update_fields=["track", "updated_at"])
    record_node(
        case=case, kind=CaseNode.TRACK_CHANGED, occurred_at=timezone.now(), actor=actor,
        payload={"from": previous, "to": track, "reason": reason[:500]},
    )
    return case


def simple_cases_overdue(now: dt.datetime) -> QuerySet[Case]:
    """Simple-track cases still open past the configured time (322号 §7: 简易执行案件
    无法在既定期限内执结的，应转为普通案件办理)."""
    limit = now.date() - dt.timedelta(days=settings.ENFORCEMENT_SIMPLE_TRACK_DAYS)
    return Case.objects.filter(track=Track.SIMPLE, filed_on__lt=limit).exclude(status=CaseStatus.CLOSED)


@transaction.atomic
def cases_move_overdue_simple_to_ordinary(*, now: dt.datetime) -> int:
    """Run daily: a simple case past its time moves to the ordinary track."""
    moved = 0
    for case in simple_cases_overdue(now).select_for_update(of=("self",)).select_related("court").order_by("pk")[:5000]:
        case.track = Track.ORDINARY
        case.save(update_fields=["track", "updated_at"])
        node_event_record(
            kind=CaseNode.TRACK_CHANGED, court=case.court, case=case, occurred_at=now, actor=None,
            subject=case, payload={"from": Track.SIMPLE, "to": Track.ORDINARY, "reason": "简易执行超过规定期限"},
        )
        moved += 1
    return moved


@transaction.atomic
def case_record_fulfilment(*, actor: User, case: Case, at: dt.datetime, note: str) -> Case:
    """履行完毕 only (322号 §23; 失信规定 §10): every credit measure of every respondent must
    be lifted (限消) and deleted (失信) within 3 working days. A guarantee or the applicant's
    consent is not 履行完毕: ``credit_guarantee_accept`` / ``credit_applicant_consent``."""
    case = case_get_for_update(actor=actor, case=case)
    check_time(at)
    if not note.strip():
        raise ValidationFailed.for_field("note", _("请说明履行完毕的情况（履行方式、金额）。"))
    if case.fulfilled_at is not None:
        raise InvalidTransition(_("已登记履行完毕。"))
    case.fulfilled_at, case.fulfilment_note = at, note[:500]
    case.save(update_fields=["fulfilled_at", "fulfilment_note", "updated_at"])
    _credit_release_clocks_start(case, at)
    record_node(case=case, kind=CaseNode.FULFILLED, occurred_at=at, actor=actor, payload={"note": note[:500]})
    return case


def _credit_release_clocks_start(case: Case, at: dt.datetime) -> None:
    """履行完毕: RESTRICTION_RELEASE and DISHONEST_DELETE for every measure not yet released
    (a clock an earlier 担保/同意 started keeps its earlier due date)."""
    for measure in case.credit_measures.filter(status=CreditStatus.ISSUED).order_by("pk"):
        if at >= measure.issued_at:
            release_clock_start(case=case, measure=measure, at=at)


@transaction.atomic
def case_mark_claim_satisfied(*, case: Case, at: dt.datetime, source: str) -> Case:
    """The claim has been paid in full (custody_funds tells enforcement): closure as
    执行完毕 becomes allowed and the credit measures must be lifted within 3 working
    days (322号 §23; 失信规定 §10). A system node: no acting-role check."""
    case = case_get_for_update_unchecked(case.pk)
    if case.fulfilled_at is not None:
        return case
    case.fulfilled_at, case.fulfilment_note = at, source[:500]
    case.save(update_fields=["fulfilled_at", "fulfilment_note", "updated_at"])
    _credit_release_clocks_start(case, at)
    node_event_record(
        kind=CaseNode.FULFILLED, court=case.court, case=case, occurred_at=at, actor=None, subject=case,
        payload={"note": source[:500], "by": "custody_funds"},
    )
    return case
