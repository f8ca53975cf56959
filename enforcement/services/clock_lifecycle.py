"""What case events do to the case's running clocks — read from the catalogue's
``LIFECYCLE`` table (core.rule_catalogue), never a sweep: no closure or suspension
waives a clock (issue 15 items 1–2, DESIGN "A clock the law keeps running")."""

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import User
from core.rule_catalogue import ENDS_MOOT, REFUSE_CLOSURE, STOP_MET, SUSPENSION, lifecycle_outcome, pauses_on
from core.services import clocks
from enforcement.models import Case, ClosureType, CreditStatus


def _running(case: Case):
    return clocks.running_deadlines_for(case).select_related("rule").order_by("pk")


def clocks_blocking_closure(case: Case, closure: str) -> list[dict[str, Any]]:
    """The running clocks of ``case`` whose rule refuses ``closure`` (breached ones
    too: the duty is still owed), as ``{deadline, rule, subject, due_at}``."""
    return [
        {
            "deadline": d.pk,
            "rule": d.rule.code,
            "rule_name": d.rule.name_zh,
            "subject": d.subject_label,
            "due_at": d.due_at.isoformat(),
        }
        for d in _running(case)
        if lifecycle_outcome(d.rule.code, closure) == REFUSE_CLOSURE
    ]


def closure_blocked_message(blocking: list[dict[str, Any]]) -> str:
    # the rule's name, not its code: the message is shown on a Chinese page
    names = "；".join(f"{c['rule_name']}（{c['subject']}）" if c["subject"] else c["rule_name"] for c in blocking)
    return str(_("以下法定期限仍在计算，须先完成相应事项方可结案：%(clocks)s") % {"clocks": names})


def credit_measures_blocking_closure(case: Case, closure: str) -> list[dict[str, Any]]:
    """Every 限消/失信 of every respondent not yet released (served or not, with or without a
    release clock), as ``{id, kind, respondent, since}``: they refuse every closure but 终本,
    the only one that keeps them in force (lifecycle spec §4; 322号 §23)."""
    if closure == ClosureType.TERMINATED_THIS_ROUND:
        return []
    return [
        {
            "id": m.pk,
            "kind": m.kind,
            "kind_name": str(m.get_kind_display()),
            "respondent": m.party_id,
            "respondent_name": m.party.name,
            "since": timezone.localtime(m.issued_at).isoformat(),
        }
        for m in case.credit_measures.filter(status=CreditStatus.ISSUED).select_related("party").order_by("pk")
    ]


def closure_blocked_by_credit_message(measures: list[dict[str, Any]]) -> str:
    names = "；".join(f"{m['respondent_name']}（{m['kind_name']}）" for m in measures)
    return str(_("以下信用惩戒措施尚未解除/删除，不能以该方式结案：%(m)s") % {"m": names})


def clocks_apply_closure(*, case: Case, closure: str, at: dt.datetime, actor: User | None) -> None:
    """After the case is closed: stop the clocks the closure completes (CASE_DURATION),
    end those whose object it takes away (ENDS_MOOT: ``moot``, or ``breached`` if
    already overdue), pause those the closure suspends (移送破产审查); every other
    clock keeps running. Nothing is waived."""
    for deadline in _running(case):
        outcome = lifecycle_outcome(deadline.rule.code, closure)
        if outcome == STOP_MET:
            clocks.clock_stop(deadline=deadline, stopped_at=at, actor=actor)
        elif outcome == ENDS_MOOT:
            clocks.clock_end_moot(deadline=deadline, ended_at=at, reason=closure, actor=actor)
        elif (
            pauses_on(deadline.rule.code, closure, SUSPENSION)
            and deadline.paused_at is None
            and deadline.started_at <= at
        ):
            clocks.clock_pause(deadline=deadline, paused_at=at, reason="移送破产审查", actor=actor)


def clocks_apply_suspension(*, case: Case, at: dt.datetime, reason: str, actor: User | None) -> None:
    """中止执行: pause only the clocks whose rule the 中止 itself may pause."""
    for deadline in _running(case).filter(paused_at__isnull=True):
        if deadline.started_at <= at and pauses_on(deadline.rule.code, "suspend", SUSPENSION):
            clocks.clock_pause(deadline=deadline, paused_at=at, reason=f"中止执行：{reason}"[:500], actor=actor)


def clocks_apply_resumption(*, case: Case, at: dt.datetime, actor: User | None) -> None:
    """恢复: resume the clocks the 中止 paused (a 延缓发放 pause stays until released)."""
    for deadline in _running(case).filter(paused_at__isnull=False):
        if pauses_on(deadline.rule.code, "suspend", SUSPENSION):
            clocks.clock_resume(deadline=deadline, resumed_at=max(at, deadline.paused_at or at), actor=actor)


def clocks_apply_restoration(*, case: Case, at: dt.datetime, actor: User | None) -> None:
    """恢复执行 (执恢) of a 终本 case: the old case's clocks follow the table's
    ``restore`` column — TERMINATED_RESEARCH ends moot (spec [C8]); the new 执恢 case
    starts its own clocks at registration."""
    for deadline in _running(case):
        outcome = lifecycle_outcome(deadline.rule.code, "restore")
        if outcome == ENDS_MOOT:
            clocks.clock_end_moot(deadline=deadline, ended_at=at, reason="restore", actor=actor)
        elif outcome == STOP_MET:
            clocks.clock_stop(deadline=deadline, stopped_at=at, actor=actor, note="恢复执行")
