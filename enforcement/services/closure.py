"""Closure (结案) and its gates, restoration (恢复执行), and the approval queue."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.calendar import local_date
from core.case_numbers import parse_case_number
from core.exceptions import InvalidTransition, PermissionDenied, RuleViolation, ValidationFailed
from core.models import Deadline, User
from core.models.clocks import RUNNING
from core.services import clocks
from enforcement.events import ApprovalNode, CaseNode, ProcedureNode
from enforcement.models import (
    Approval,
    ApprovalKind,
    ApprovalStatus,
    Case,
    CaseStatus,
    ClosureType,
    PartyRole,
)
from enforcement.policy import can_approve, closure_allowed_for_type
from enforcement.selectors import (
    approval_get_for_update,
    case_get_for_update,
    case_get_for_update_unchecked,
)
from enforcement.services import credit
from enforcement.services.cases import CaseInput, PartyInput, PayoutAccountInput, case_register
from enforcement.services.clock_lifecycle import (
    clocks_apply_closure,
    clocks_apply_restoration,
    clocks_blocking_closure,
    closure_blocked_by_credit_message,
    closure_blocked_message,
    credit_measures_blocking_closure,
)
from enforcement.services.common import check_time, record_node, require_open
from enforcement.services.gate import terminated_round_unmet, unmet_codes
from enforcement.services.gate.procedure import ruling_served_at
from enforcement.services.notifications import notify_approval_decided, notify_approval_requested


def _check_closure(case: Case, closure: str, at: dt.datetime, document: str) -> None:
    if closure not in ClosureType.values:
        raise ValidationFailed.for_field("closure", _("结案方式无效。"))
    if not closure_allowed_for_type(case, closure):
        raise RuleViolation(
            _("类型代字为“%(type)s”的案件不能以“%(closure)s”方式结案。")
            % {"type": case.type_code, "closure": ClosureType(closure).label},
            code="closure_type_not_allowed",
            extra={"type_code": case.type_code, "closure": closure},
        )
    if at < case.received_at:
        raise ValidationFailed.for_field("closed_at", _("结案时间早于收案时间。"))
    if closure == ClosureType.TERMINATED_THIS_ROUND:
        unmet = terminated_round_unmet(case, at, document)
        if unmet:
            extra: dict[str, Any] = {"unmet": unmet_codes(unmet), "details": unmet}
            blocking = clocks_blocking_closure(case, closure)
            if blocking:
                extra["clocks"] = blocking
            raise RuleViolation(
                _("不符合终结本次执行程序的条件：%(items)s")
                % {"items": "；".join(dict.fromkeys(u["message"] for u in unmet))},
                code="closure_conditions_unmet",
                extra=extra,
            )
    if closure == ClosureType.FULLY_EXECUTED and case.fulfilled_at is None:
        raise RuleViolation(
            _("执行完毕须先登记债权已实现（履行完毕或案款已发放）。"),
            code="claim_not_satisfied",
        )
    blocking = clocks_blocking_closure(case, closure)
    credit = credit_measures_blocking_closure(case, closure)
    if blocking or credit:
        message = "".join(
            ([closure_blocked_message(blocking)] if blocking else [])
            + ([closure_blocked_by_credit_message(credit)] if credit else [])
        )
        raise RuleViolation(
            message, code="closure_blocked_by_clocks", extra={"clocks": blocking, "credit_measures": credit}
        )


def _close(case: Case, *, closure: str, at: dt.datetime, document: str, actor: User | None) -> Case:
    """Caller holds the case lock and has checked the gate."""
    case.close(closure_type=closure, closed_at=at, document=document.strip()[:200])
    case.save()
    # the catalogue's LIFECYCLE: CASE_DURATION stops, procedure clocks end moot; nothing is waived
    clocks_apply_closure(case=case, closure=closure, at=at, actor=actor)
    if closure == ClosureType.TERMINATED_THIS_ROUND:
        # 终本规定 §9: search again every six months for five years.
        clocks.clock_start(
            rule_code="TERMINATED_RESEARCH", court=case.court, case=case, subject=case,
            started_at=at, responsible=case.handler,
        )
    record_node(
        case=case, kind=CaseNode.CLOSED, occurred_at=at, actor=actor,
        payload={"closure": closure, "document": document.strip()[:200]},
    )
    return case


def _rule_terminated(case: Case, *, at: dt.datetime, document: str, actor: User | None) -> Case:
    """终本, first step (spec §3 "Two-step 终本"): the approved ruling is made and the case is
    ``closing`` until the ruling has been served on every party (``terminated_close_if_served``).
    Caller holds the case lock and has checked rows 1–19 of the gate."""
    case.rule_terminated(ruled_at=at, document=document.strip()[:200])
    case.save()
    record_node(
        case=case, kind=ProcedureNode.TERMINATED_RULING, occurred_at=at, actor=actor,
        payload={"closure": ClosureType.TERMINATED_THIS_ROUND, "document": document.strip()[:200]},
    )
    return case


def terminated_close_if_served(case: Case, *, actor: User | None) -> Case:
    """终本, second step: once the ruling has been served on every party (322号 §24 "并送达当事人")
    the case closes at the last service; TERMINATED_RESEARCH starts then. Caller holds the lock."""
    if case.status != CaseStatus.CLOSING:
        return case
    served_at = ruling_served_at(case)
    if served_at is None:
        return case
    return _close(case, closure=ClosureType.TERMINATED_THIS_ROUND, at=served_at, document=case.closure_document,
                  actor=actor)


@transaction.atomic
def case_close(
    *, actor: User, case: Case, closure: str, closed_at: dt.datetime, document: str
) -> Case | Approval:
    """结案. 终本 by anyone but a bureau head (or court leader) becomes a request in
    the approval queue once its conditions hold; the others close at once."""
    case = case_get_for_update(actor=actor, case=case)
    require_open(case)
    check_time(closed_at)
    _check_closure(case, closure, closed_at, document)
    if closure == ClosureType.TERMINATED_THIS_ROUND and not can_approve(actor, case):
        if case.approvals.filter(kind=ApprovalKind.CLOSURE, status=ApprovalStatus.PENDING).exists():
            raise InvalidTransition(_("该案已有待审批的终本申请。"), code="approval_pending")
        approval = Approval.objects.create(
            case=case,
            kind=ApprovalKind.CLOSURE,
            reason=_("申请终结本次执行程序").__str__(),
            payload={"closure": closure, "closed_at": closed_at.isoformat(), "document": document.strip()[:200]},
            requested_by=actor,
        )
        record_node(
            case=case, kind=ApprovalNode.REQUESTED, occurred_at=timezone.now(), actor=actor,
            subject=approval, payload={"kind": ApprovalKind.CLOSURE},
        )
        notify_approval_requested(approval=approval, actor=actor)
        return approval
    if closure == ClosureType.TERMINATED_THIS_ROUND:
        return _rule_terminated(case, at=closed_at, document=document, actor=actor)
    return _close(case, closure=closure, at=closed_at, document=document, actor=actor)


@transaction.atomic
def case_restore(
    *, actor: User, case: Case, new_case_number: str, received_at: dt.datetime, reason: str
) -> Case:
    """恢复执行 of a 终本 case: a linked new case of type 执恢 with the same parties."""

    case = case_get_for_update(actor=actor, case=case)
    if case.status != CaseStatus.CLOSED or case.closure_type != ClosureType.TERMINATED_THIS_ROUND:
        raise InvalidTransition(_("只有终结本次执行程序的案件可以恢复执行。"))
    if not reason.strip():
        raise ValidationFailed.for_field("reason", _("请填写恢复执行的事由（如发现新的财产）。"))

    try:
        number = parse_case_number(new_case_number)
    except ValidationFailed as exc:
        raise ValidationFailed(exc.message, extra={"fields": {"case_number": [str(exc.message)]}}) from None
    if number.type_code != "执恢":
        raise ValidationFailed.for_field("case_number", _("恢复执行案件的类型代字应为“执恢”。"))

    def party_input(p) -> PartyInput:
        account = getattr(p, "payout_account", None)
        return PartyInput(
            name=p.name, kind=p.kind, id_number=p.id_number, phone=p.phone,
            payout_account=PayoutAccountInput(account.bank, account.account_number, account.holder) if account else None,
        )

    parties = list(case.parties.select_related("payout_account"))
    restored = case_register(
        actor=actor,
        data=CaseInput(
            case_number=number.normalized,
            court=case.court,
            filed_on=local_date(received_at),
            received_at=received_at,
            claim_amount=case.claim_amount,
            costs=case.costs,
            basis_document=case.basis_document,
            applicants=[party_input(p) for p in parties if p.role == PartyRole.APPLICANT],
            respondents=[party_input(p) for p in parties if p.role == PartyRole.RESPONDENT],
            handler=case.handler,
            team=case.team,
            restored_from=case,
        ),
    )
    clocks_apply_restoration(case=case, at=received_at, actor=actor)
    record_node(
        case=case, kind=CaseNode.RESTORED, occurred_at=received_at, actor=actor,
        payload={"new_case": restored.case_number, "reason": reason[:500]},
    )
    return restored


# --- approvals -------------------------------------------------------------------


@transaction.atomic
def approval_request(*, actor: User, case: Case, kind: str, reason: str, payload: dict[str, Any]) -> Approval:
    case = case_get_for_update(actor=actor, case=case)
    require_open(case)
    if kind not in ApprovalKind.values:
        raise ValidationFailed.for_field("kind", _("审批事项无效。"))
    if not reason.strip():
        raise ValidationFailed.for_field("reason", _("请填写申请理由。"))
    if kind == ApprovalKind.EXTENSION:
        deadline_id: Any = payload.get("deadline")  # Any: the client's JSON, looked up as is
        deadline = Deadline.objects.filter(RUNNING, pk=deadline_id, case=case).select_related("rule").first()
        if deadline is None:
            raise ValidationFailed.for_field("deadline", _("该期限不属于本案或已结束。"))
        # The rule's policy: extendable at all, in the clock's unit, within its maximum
        # (counting extensions already pending), 审限 requested before it is due.
        pending = sum(
            int(a.payload.get("added") or 0)
            for a in Approval.objects.filter(case=case, kind=ApprovalKind.EXTENSION, status=ApprovalStatus.PENDING)
            if a.payload.get("deadline") == deadline.pk
        )
        clocks.extension_request_check(
            deadline, added=payload.get("added"), unit=payload.pop("unit", None) or None, at=timezone.now(),
            pending=pending,
        )
        payload["unit"] = deadline.unit
    if kind == ApprovalKind.DISHONEST_DELETE:
        payload = credit.dishonest_deletion_request_check(case, payload)
    if kind == ApprovalKind.OVER_SEIZURE and payload.get("asset") is not None:
        if not case.assets.filter(pk=payload["asset"]).exists():
            raise ValidationFailed.for_field("asset", _("该财产不属于本案。"))
    approval = Approval.objects.create(
        case=case, kind=kind, reason=reason[:1000], payload=payload, requested_by=actor
    )
    record_node(
        case=case, kind=ApprovalNode.REQUESTED, occurred_at=timezone.now(), actor=actor,
        subject=approval, payload={"kind": kind, "reason": reason[:1000]},
    )
    notify_approval_requested(approval=approval, actor=actor)
    return approval


def _require_other_than_requester(approval: Approval, actor: User) -> None:
    if approval.requested_by_id == actor.pk:
        raise PermissionDenied(_("审批人不能审批自己提出的申请。"), code="maker_checker")


@transaction.atomic
def approval_decide(*, actor: User, approval: Approval, approve: bool, note: str = "") -> Approval:
    """The bureau head (or a court leader) of the case's court or above decides;
    never the person who asked (maker ≠ checker). Approving a 终本 request closes
    the case; approving an extension extends the clock."""
    approval = approval_get_for_update(approval.pk)
    case = case_get_for_update_unchecked(approval.case_id)
    extension = None
    if approval.kind == ApprovalKind.EXTENSION:
        # Who may decide is the rule's (院长 for 审限, the issuing court for 督办).
        extension = Deadline.objects.select_related("rule", "court").get(pk=approval.payload["deadline"], case=case)
        _require_other_than_requester(approval, actor)
        if approve or not can_approve(actor, case):  # the case's approvers may still turn a request down
            clocks.extension_approver_check(extension, actor)
    elif not can_approve(actor, case):
        raise PermissionDenied(_("只有本院或上级法院的执行局长、院领导可以审批。"))
    _require_other_than_requester(approval, actor)
    now = timezone.now()
    if not approve:
        approval.reject(by=actor, at=now, note=note[:1000])
        approval.save()
        record_node(case=case, kind=ApprovalNode.REJECTED, occurred_at=now, actor=actor, subject=approval,
                    payload={"kind": approval.kind, "note": note[:1000]})
        notify_approval_decided(approval=approval, actor=actor)
        return approval
    approval.approve(by=actor, at=now, note=note[:1000])
    if approval.kind == ApprovalKind.CLOSURE:
        closed_at = dt.datetime.fromisoformat(approval.payload["closed_at"])
        require_open(case)
        _check_closure(case, approval.payload["closure"], closed_at, approval.payload["document"])
        # the ruling is made on approval; the case closes on its last service
        _rule_terminated(case, at=max(now, closed_at), document=approval.payload["document"], actor=actor)
        approval.use()
    elif approval.kind == ApprovalKind.DISHONEST_DELETE:
        credit.dishonest_deletion_approved(actor=actor, case=case, payload=approval.payload, approval_id=approval.pk)
        approval.use()
    elif extension is not None:
        clocks.clock_extend(
            deadline=extension, added=int(approval.payload["added"]), reason=approval.reason, approved_by=actor,
            unit=approval.payload.get("unit"),
        )
        approval.use()
    approval.save()
    record_node(case=case, kind=ApprovalNode.APPROVED, occurred_at=now, actor=actor, subject=approval,
                payload={"kind": approval.kind, "note": note[:1000]})
    notify_approval_decided(approval=approval, actor=actor)
    return approval
