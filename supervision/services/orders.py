"""督办 orders (322号 §28): issue, respond, accept, return, withdraw.

Each service checks who may act first, then locks the order, transitions it, saves,
starts or stops the ORDER_RESPONSE clock and records the node on the case timeline
— all in one transaction. Late responses need no mechanism of their own: the
clock is scanned by the escalation ladder like every other clock (overdue → the
target court's bureau head → the upper court's 专人监管).
"""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from core.calendar import local_date
from core.exceptions import Conflict, FieldErrors, InvalidTransition, NotFound, ValidationFailed
from core.models import Court, Deadline, DeadlineRule, NodeEvent, User
from core.services import clocks
from core.services.events import node_event_record
from core.services.inputs import acting_time, clean_text, next_sequence
from enforcement.models import Case, CaseStatus
from enforcement.selectors import cases_visible_to
from supervision import policy
from supervision.events import OrderNode
from supervision.models import (
    OrderKind,
    OrderStatus,
    ResponseReview,
    SupervisionOrder,
    SupervisionOrderResponse,
)
from supervision.selectors.orders import (
    order_get_for_update,
    order_get_visible,
    order_open_exists,
    order_response_get_for_update,
)
from supervision.services.notifications import notify_order_issued, notify_order_returned

RULE = "ORDER_RESPONSE"
MAX_RESPONSE_DAYS = 365
TEXT_MAX = 5000
NOTE_MAX = 1000


# --- helpers ------------------------------------------------------------------------------


def _response_days(value: Any, field: str = "response_days") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed.for_field(field, _("回复期限应为整数天数。"))
    if not 1 <= value <= MAX_RESPONSE_DAYS:
        raise ValidationFailed.for_field(
            field, _("回复期限应在 1 至 %(max)s 日之间。") % {"max": MAX_RESPONSE_DAYS}
        )
    return value


def _label(order: SupervisionOrder) -> str:
    return f"{order.number} · {order.get_kind_display()}"


def _record(
    order: SupervisionOrder,
    *,
    kind: OrderNode,
    at: dt.datetime,
    actor: User,
    flags: list[str],
    payload: dict[str, Any],
) -> NodeEvent:
    return node_event_record(
        kind=kind,
        court=order.target_court,
        case=order.case,
        occurred_at=at,
        actor=actor,
        subject=order,
        subject_label=_label(order),
        payload={"order": order.number, "kind": order.kind, "round": order.round, **payload},
        flags=flags,
    )


def _start_clock(order: SupervisionOrder, *, started_at: dt.datetime, days: int) -> Deadline | None:
    return clocks.clock_start(
        rule_code=RULE,
        court=order.target_court,
        case=order.case,
        subject=order,
        subject_label=_label(order),
        responsible=order.case.handler,
        started_at=started_at,
        duration=days,
    )


def _require_state(order: SupervisionOrder, allowed: tuple[str, ...], message: Any) -> None:
    if order.status not in allowed:
        raise InvalidTransition(message, extra={"status": order.status})


# --- issuing ------------------------------------------------------------------------------


def _assignee_check(*, kind: str, case: Case, issuing_court: Court, assignee_court: Court | None) -> None:
    """指令执行 names a court below the issuer, other than the case's; the other
    kinds name none."""
    if kind != OrderKind.ASSIGN:
        if assignee_court is not None:
            raise ValidationFailed.for_field("assignee_court", _("只有指令执行需要指定执行法院。"))
        return
    if assignee_court is None:
        raise ValidationFailed.for_field("assignee_court", _("指令执行须指定执行法院。"))
    if assignee_court.pk == case.court_id:
        raise ValidationFailed.for_field(
            "assignee_court",
            _("指令执行须指定本案法院以外的法院（322号第28条）。"),
            code="assignee_is_case_court",
        )
    if assignee_court.pk == issuing_court.pk or not assignee_court.path.startswith(issuing_court.path):
        raise ValidationFailed.for_field(
            "assignee_court",
            _("指令执行的法院须是 %(court)s 辖区内的下级法院。") % {"court": issuing_court.name},
            code="assignee_outside_issuer",
        )
    if not assignee_court.is_active:
        raise ValidationFailed.for_field("assignee_court", _("该法院已停用。"))


def _order_issue_check(
    *,
    actor: User,
    case: Case,
    kind: str,
    instructions: str,
    response_days: int,
    issuing_court: Court | None,
    assignee_court: Court | None,
) -> tuple[Case, Court, str, int]:
    """Who may issue, from which court, and the inputs: returns the case (with its
    court and handler), the issuing court, the cleaned instructions and period."""
    if not cases_visible_to(actor).filter(pk=case.pk).exists():
        raise NotFound(_("案件不存在或不在您的可见范围内。"))
    case = Case.objects.select_related("court", "handler").get(pk=case.pk)
    issuing_court = policy.require_order_issuing_court(actor, case, issuing_court)
    errors = FieldErrors()  # every field's refusal in one answer
    if kind not in OrderKind.values:
        errors.add("kind", _("督办方式应为督促执行、提级执行或指令执行。"))
    cleaned = errors.catch(clean_text, instructions, "instructions", _("请填写督办意见。"), limit=TEXT_MAX)
    days = errors.catch(_response_days, response_days)
    if kind in OrderKind.values:
        errors.catch(
            _assignee_check, kind=kind, case=case, issuing_court=issuing_court, assignee_court=assignee_court
        )
    errors.raise_if_any()
    assert cleaned is not None and days is not None  # no errors: both parsed
    return case, issuing_court, cleaned, days


@transaction.atomic
def order_issue(
    *,
    actor: User,
    case: Case,
    kind: str,
    instructions: str,
    response_days: int,
    issuing_court: Court | None = None,
    assignee_court: Court | None = None,
    issued_at: dt.datetime | None = None,
) -> SupervisionOrder:
    """督办: an upper court's 专人监管 or bureau head orders the case's court to act
    (督促执行), takes the case up (提级执行) or assigns it to another court below it
    (指令执行) — 322号 §28, 民事诉讼法 §237 (2023; 322号 quotes the 2017 §226). Starts the ORDER_RESPONSE clock with the
    period the issuer sets. 提级 and 指令 are recorded, not carried out: the case
    stays where it is until it is transferred."""
    case, issuing_court, instructions, response_days = _order_issue_check(
        actor=actor,
        case=case,
        kind=kind,
        instructions=instructions,
        response_days=response_days,
        issuing_court=issuing_court,
        assignee_court=assignee_court,
    )
    issued_at, flags = acting_time(issued_at)
    if case.status == CaseStatus.CLOSED:
        raise Conflict(_("案件已结案，不能督办。"), code="case_closed", extra={"status": case.status})

    year = local_date(issued_at).year
    sequence = next_sequence(
        model=SupervisionOrder, court=issuing_court, court_field="issuing_court", year=year
    )
    # After the issuing court's lock: no second open order of this court slips in.
    if order_open_exists(case_id=case.pk, issuing_court=issuing_court):
        raise Conflict(
            _("%(court)s 对本案已有未办结的督办，请在原督办中继续办理。") % {"court": issuing_court.name},
            code="order_already_open",
        )
    rule = DeadlineRule.objects.get(code=RULE)
    try:
        with transaction.atomic():
            order = SupervisionOrder.objects.create(
                number=f"{issuing_court.code}督〔{year}〕{sequence}号",
                year=year,
                sequence=sequence,
                issuing_court=issuing_court,
                target_court=case.court,
                case=case,
                kind=kind,
                instructions=instructions,
                response_days=response_days,
                response_unit=rule.unit,
                assignee_court=assignee_court if kind == OrderKind.ASSIGN else None,
                issued_by=actor,
                issued_at=issued_at,
            )
    except IntegrityError:
        raise Conflict(_("督办与已有记录冲突，请刷新后重试。"), code="order_already_open") from None
    deadline = _start_clock(order, started_at=issued_at, days=response_days)
    if deadline is not None:
        order.response_deadline = deadline
        order.save(update_fields=["response_deadline", "updated_at"])
    _record(
        order,
        kind=OrderNode.ISSUED,
        at=issued_at,
        actor=actor,
        flags=flags,
        payload={
            "kind_label": str(order.get_kind_display()),
            "issuing_court": issuing_court.code,
            "target_court": case.court.code,
            "executing_court": order.executing_court.code,
            "assignee_court": assignee_court.code if order.assignee_court_id and assignee_court else None,
            # 提级/指令 decide who should execute; the case is not moved by the order.
            "case_moved": False,
            "response_days": response_days,
            "response_unit": rule.unit,
            "due_at": deadline.due_at.isoformat() if deadline else None,
            "instructions": instructions[:500],
        },
    )
    notify_order_issued(order=order, actor=actor)
    return order


# --- the rounds ----------------------------------------------------------------------------


@transaction.atomic
def order_respond(
    *, actor: User, order: SupervisionOrder, text: str, responded_at: dt.datetime | None = None
) -> SupervisionOrder:
    """The lower court reports the measures it took. Stops the round's clock (met
    when in time, breached when late — the ladder has escalated it meanwhile)."""
    order = order_get_visible(actor, order.pk)
    policy.require_order_responder(actor, order)
    text = clean_text(text, "text", _("请填写已采取的执行措施。"), limit=TEXT_MAX)
    responded_at, flags = acting_time(responded_at)
    order = order_get_for_update(order)
    _require_state(
        order, (OrderStatus.ISSUED,), _("该督办当前不等待回复（%(s)s）。") % {"s": order.get_status_display()}
    )
    if responded_at < order.issued_at:
        raise ValidationFailed.for_field("responded_at", _("回复时间早于督办时间。"))
    order.respond(at=responded_at)
    order.save()
    SupervisionOrderResponse.objects.create(
        order=order, round=order.round, text=text, responded_by=actor, responded_at=responded_at
    )
    stopped = clocks.clocks_stop_for_subject(
        subject=order, rule_codes=[RULE], stopped_at=responded_at, actor=actor
    )
    _record(
        order,
        kind=OrderNode.RESPONDED,
        at=responded_at,
        actor=actor,
        flags=flags,
        payload={"late": any(d.status == "breached" for d in stopped), "text": text[:500]},
    )
    return order


@transaction.atomic
def order_accept(
    *, actor: User, order: SupervisionOrder, note: str = "", at: dt.datetime | None = None
) -> SupervisionOrder:
    """The issuer finds the response sufficient: the order is closed."""
    order = order_get_visible(actor, order.pk)
    policy.require_order_issuer_side(actor, order)
    note = (note or "").strip()[:NOTE_MAX]
    at, flags = acting_time(at)
    order = order_get_for_update(order)
    _require_state(order, (OrderStatus.RESPONDED,), _("只有已回复的督办可以认可办结。"))
    response = order_response_get_for_update(order)
    policy.require_not_own_response(actor, response)
    order.accept(by=actor, at=at, note=note)
    order.save()
    response.review, response.review_note, response.reviewed_by, response.reviewed_at = (
        ResponseReview.ACCEPTED,
        note,
        actor,
        at,
    )
    response.save(update_fields=["review", "review_note", "reviewed_by", "reviewed_at"])
    _record(
        order,
        kind=OrderNode.ACCEPTED,
        at=at,
        actor=actor,
        flags=flags,
        payload={"note": note[:500]},
    )
    return order


@transaction.atomic
def order_return(
    *,
    actor: User,
    order: SupervisionOrder,
    note: str,
    response_days: int | None = None,
    at: dt.datetime | None = None,
) -> SupervisionOrder:
    """退回: the response is insufficient. The order waits for a new response, with
    a new ORDER_RESPONSE clock (the issuer may set a new period)."""
    order = order_get_visible(actor, order.pk)
    policy.require_order_issuer_side(actor, order)
    note = clean_text(note, "note", _("请说明退回理由（回复存在的不足）。"), limit=NOTE_MAX)
    days = _response_days(response_days if response_days is not None else order.response_days)
    at, flags = acting_time(at)
    order = order_get_for_update(order)
    _require_state(order, (OrderStatus.RESPONDED,), _("只有已回复的督办可以退回。"))
    response = order_response_get_for_update(order)
    policy.require_not_own_response(actor, response)
    if at < response.responded_at:
        raise ValidationFailed.for_field("at", _("退回时间早于回复时间。"))
    response.review, response.review_note, response.reviewed_by, response.reviewed_at = (
        ResponseReview.RETURNED,
        note,
        actor,
        at,
    )
    response.save(update_fields=["review", "review_note", "reviewed_by", "reviewed_at"])
    order.send_back()
    order.response_days = days
    deadline = _start_clock(order, started_at=at, days=days)
    order.response_deadline = deadline
    order.save()
    _record(
        order,
        kind=OrderNode.RETURNED,
        at=at,
        actor=actor,
        flags=flags,
        payload={
            "note": note[:500],
            "response_days": days,
            "due_at": deadline.due_at.isoformat() if deadline else None,
        },
    )
    notify_order_returned(order=order, replied_by_id=response.responded_by_id, note=note, actor=actor)
    return order


@transaction.atomic
def order_withdraw(
    *, actor: User, order: SupervisionOrder, reason: str, at: dt.datetime | None = None
) -> SupervisionOrder:
    """撤回 before the lower court responds; the response clock ends ``moot`` (its
    object is gone; a response already overdue stays ``breached``) — never waived."""
    order = order_get_visible(actor, order.pk)
    policy.require_order_issuer_side(actor, order)
    reason = clean_text(reason, "reason", _("请填写撤回理由。"), limit=NOTE_MAX)
    at, flags = acting_time(at)
    order = order_get_for_update(order)
    _require_state(order, (OrderStatus.ISSUED,), _("只有待回复的督办可以撤回；已回复的请认可或退回。"))
    order.withdraw(by=actor, at=at, reason=reason)
    order.save()
    for deadline in clocks.running_deadlines_for(order, [RULE]).order_by("pk"):
        clocks.clock_end_moot(deadline=deadline, ended_at=at, reason="order_withdrawn", actor=actor)
    _record(
        order,
        kind=OrderNode.WITHDRAWN,
        at=at,
        actor=actor,
        flags=flags,
        payload={"reason": reason[:500]},
    )
    return order
