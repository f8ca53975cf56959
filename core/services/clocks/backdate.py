"""补录核实 (322号 §12 "彻底堵塞执行程序关键节点信息随意填报、随意改动的技术漏洞";
docs/clock-lifecycle-spec.md §6.2).

A stop entered later than its tolerance after its declared time (a person:
``NODE_BACKDATE_TOLERANCE_HOURS_PERSON``; an integrated system: its token's
``backdate_window_hours``), and after the clock's due moment, does not stop the clock
at the declared time on the actor's word: the clock goes to ``pending_verification``
(待核实) with ``claimed_at`` = declared time and ``completed_at`` = entry time. It is
neither met nor breached (期限遵守率 counts it in neither term), the scan leaves it
alone (it is no longer running) and a bureau head or court leader over the court —
not the person who entered it, not the case's handler — approves (the clock stops at
the declared time) or rejects (it stays stopped at the entry time). Entered by the
due moment the outcome is ``met`` either way, so the clock stops at once (the node
keeps its ``backdated`` flag for screening). Imported history
(``historical_import()``) stops at its declared time, flagged ``imported``.
"""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.events import CoreNode
from core.exceptions import InvalidTransition, PermissionDenied, ValidationFailed
from core.models import Deadline, DeadlineStatus, NotificationKind, Role, User
from core.selectors import deadline_get_for_update, user_has_role_over, users_with_roles_at
from core.services.clocks.extensions import breach_kept
from core.services.events import backdate_tolerance, is_historical_import, node_event_record
from core.services.notifications import in_site_language, notify

REVIEWER_ROLES = (Role.BUREAU_HEAD, Role.COURT_LEADER)


def backdate_review_needed(
    deadline: Deadline, *, stopped_at: dt.datetime, actor: User | None, now: dt.datetime
) -> bool:
    """Whether a stop at ``stopped_at`` entered at ``now`` by ``actor`` waits for a
    bureau head (待核实) instead of stopping the clock at once."""
    if is_historical_import():
        return False
    if stopped_at >= now - backdate_tolerance(actor):
        return False
    return now > deadline.due_at  # entered by the due moment: met either way


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.for_field("reason", _("请填写核实意见。"))
    return reason[:500]


def backdate_reviewer_check(deadline: Deadline, user: User) -> None:
    """A bureau head or court leader over the clock's court, who neither entered the
    node nor handles the case (maker–checker)."""
    handler_id = getattr(deadline.case, "handler_id", None) if deadline.case_id else None
    if user.pk in {deadline.completed_by_id, deadline.responsible_id, handler_id}:
        raise PermissionDenied(
            _("录入该事项的人员或案件承办人不能核实该补录。"),
            code="maker_checker",
            extra={"deadline": deadline.pk},
        )
    if not user_has_role_over(user, deadline.court, REVIEWER_ROLES):
        raise PermissionDenied(
            _("只有本院或上级法院的执行局长、院领导可以核实补录的办理时间。"), code="permission_denied"
        )


def can_review_backdate(deadline: Deadline, user: User) -> bool:
    if deadline.status != DeadlineStatus.PENDING_VERIFICATION:
        return False
    try:
        backdate_reviewer_check(deadline, user)
    except PermissionDenied:
        return False
    return True


def _pending(deadline_pk: int) -> Deadline:
    deadline = deadline_get_for_update(deadline_pk)
    if deadline.status != DeadlineStatus.PENDING_VERIFICATION:
        raise InvalidTransition(
            _("该期限不处于待核实状态。"), code="not_pending_verification", extra={"status": deadline.status}
        )
    return deadline


def _record(deadline: Deadline, kind: str, *, actor: User, at: dt.datetime, reason: str, entered_at: dt.datetime) -> None:
    node_event_record(
        kind=kind,
        court=deadline.court,
        case=deadline.case,
        occurred_at=at,
        actor=actor,
        subject=deadline,
        payload={
            "rule": deadline.rule.code,
            "reason": reason,
            "claimed_at": deadline.claimed_at.isoformat() if deadline.claimed_at else None,
            "entered_at": entered_at.isoformat(),
            "completed_at": deadline.completed_at.isoformat() if deadline.completed_at else None,
            "status": deadline.status,
        },
    )


@in_site_language
def notify_backdate_pending(deadline: Deadline, *, actor: User | None) -> None:
    """A clock gone to 待核实 waits for the court's bureau heads: they are told — not
    whoever entered the node, nor the case's handler or the clock's responsible
    person (they may not decide it)."""
    handler_id = getattr(deadline.case, "handler_id", None) if deadline.case_id else None
    barred = {deadline.completed_by_id, deadline.responsible_id, handler_id}
    heads = users_with_roles_at([deadline.court_id], [Role.BUREAU_HEAD]).exclude(pk__in=[b for b in barred if b])
    label = deadline.case.case_number if deadline.case_id else deadline.subject_label  # type: ignore[union-attr]
    notify(
        recipients=heads,
        actor=actor,
        kind=NotificationKind.APPROVAL_REQUESTED,
        title=_("补录节点待您核实：%(r)s（%(c)s）") % {"r": deadline.rule.name_zh, "c": label},
        body=_("录入人：%(who)s。节点在期限届满后补录，须核实是否属实。") % {"who": actor or _("对接系统")},
        link=reverse("core:clock-corrections"),
        court=deadline.court,
        subject=deadline,
    )


@in_site_language
def _notify_decided(deadline: Deadline, *, actor: User, approved: bool, reason: str) -> None:
    """Who entered the node (their request to count it at the declared time) is told
    the decision; an integrated system's entry has no person to tell."""
    if deadline.completed_by_id is None:
        return
    label = deadline.case.case_number if deadline.case_id else deadline.subject_label  # type: ignore[union-attr]
    title = _("补录节点核实属实：%(r)s（%(c)s）") if approved else _("补录节点核实不属实：%(r)s（%(c)s）")
    # By name: the case page is enforcement's (core imports no domain app).
    link = reverse("enforcement:case-detail", args=[deadline.case_id]) if deadline.case_id else ""
    notify(
        recipients=[deadline.completed_by_id],
        actor=actor,
        kind=NotificationKind.REQUEST_DECIDED,
        title=title % {"r": deadline.rule.name_zh, "c": label},
        body=_("核实人：%(who)s。核实意见：%(why)s") % {"who": actor, "why": reason},
        link=link,
        court=deadline.court,
        subject=deadline,
    )


@transaction.atomic
def clock_backdate_approve(*, deadline: Deadline, actor: User, reason: str) -> Deadline:
    """核实属实: the clock stops at the declared time — met if by the due moment."""
    deadline = _pending(deadline.pk)
    backdate_reviewer_check(deadline, actor)
    reason = _reason(reason)
    entered_at = deadline.completed_at or timezone.now()
    claimed = deadline.claimed_at or entered_at
    met = claimed <= deadline.due_at and not breach_kept(deadline, claimed)
    deadline.status = DeadlineStatus.MET if met else DeadlineStatus.BREACHED
    deadline.completed_at = claimed
    deadline.save(update_fields=["status", "completed_at"])
    _record(deadline, CoreNode.CLOCK_BACKDATE_APPROVED, actor=actor, at=timezone.now(), reason=reason, entered_at=entered_at)
    _notify_decided(deadline, actor=actor, approved=True, reason=reason)
    return deadline


@transaction.atomic
def clock_backdate_reject(*, deadline: Deadline, actor: User, reason: str) -> Deadline:
    """核实不属实: the clock stays stopped at the time the node was entered."""
    deadline = _pending(deadline.pk)
    backdate_reviewer_check(deadline, actor)
    reason = _reason(reason)
    entered_at = deadline.completed_at or timezone.now()
    met = entered_at <= deadline.due_at and not breach_kept(deadline, entered_at)
    deadline.status = DeadlineStatus.MET if met else DeadlineStatus.BREACHED
    deadline.completed_at = entered_at
    deadline.save(update_fields=["status", "completed_at"])
    _record(deadline, CoreNode.CLOCK_BACKDATE_REJECTED, actor=actor, at=timezone.now(), reason=reason, entered_at=entered_at)
    _notify_decided(deadline, actor=actor, approved=False, reason=reason)
    return deadline
