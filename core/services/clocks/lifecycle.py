"""A clock's life: start, stop, pause, resume, extend, waive — and which clocks run
about a subject. Domain services call these inside their own transaction; nothing
here imports a domain app."""

import datetime as dt
from collections.abc import Callable, Iterable
from typing import ParamSpec

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.calendar import WorkingCalendar
from core.events import CoreNode
from core.exceptions import InvalidTransition, PermissionDenied, RuleViolation, ValidationFailed
from core.models import (
    Court,
    Deadline,
    DeadlineExtension,
    DeadlinePause,
    DeadlineRule,
    DeadlineStatus,
    PeriodUnit,
    Role,
    User,
)
from core.models.clocks import RUNNING
from core.selectors import deadline_get_for_update, user_has_role_over
from core.services.bulk import rows_insert
from core.services.clocks.backdate import backdate_review_needed, notify_backdate_pending
from core.services.clocks.extensions import breach_kept, extension_approver_check, extension_request_check
from core.services.clocks.schedule import SCHEDULE_FIELDS, compute_schedule, schedule_apply
from core.services.events import node_event_record
from core.signals import clocks_stopped

P = ParamSpec("P")

# Who may approve an extension or waive a clock (322号 §8: the responsible leader).
APPROVER_ROLES = (Role.BUREAU_HEAD, Role.COURT_LEADER)


def _reschedule(deadline: Deadline, calendar: WorkingCalendar | None = None) -> None:
    schedule_apply(
        deadline,
        compute_schedule(
            deadline=deadline,
            rule=deadline.rule,
            calendar=calendar or WorkingCalendar.load(),
            pauses=list(deadline.pauses.all()),
            extensions=list(deadline.extensions.all()),
        ),
    )


def require_aware(moment: dt.datetime, field: str) -> None:
    if timezone.is_naive(moment):
        raise ValidationFailed.for_field(field, _("时间必须带时区。"))


# --- services ---------------------------------------------------------------------


def _clock_start_check(rule: DeadlineRule, *, variant: str, duration: int | None) -> tuple[int, str]:
    """The period and unit a clock of ``rule`` runs for (``variant``'s, or ``duration``
    where the rule leaves it to the decision); raises what the rule does not allow."""
    unit = rule.unit
    default = rule.duration
    if variant:
        try:
            spec = rule.variants[variant]
        except KeyError:
            raise ValueError(f"rule {rule.code} has no variant {variant!r}") from None
        default, unit = spec["duration"], spec.get("unit", unit)
    period = duration if duration is not None else default
    if period is None:
        raise ValidationFailed.for_field(
            "duration", _("%(rule)s 的期限须由决定机关逐案确定。") % {"rule": rule.name_zh}
        )
    if period <= 0:
        raise ValidationFailed.for_field("duration", _("期限必须为正数。"))
    if rule.max_duration is not None and period > rule.max_duration:
        raise RuleViolation(
            _("%(rule)s 的期限最长为 %(max)s %(unit)s。")
            % {"rule": rule.name_zh, "max": rule.max_duration, "unit": PeriodUnit(unit).label},
            code="duration_exceeds_maximum",
            extra={"max_duration": rule.max_duration, "unit": unit},
        )
    return period, unit


def clock_build(
    *,
    rule_code: str,
    court: Court,
    started_at: dt.datetime,
    subject: models.Model | None = None,
    subject_label: str = "",
    case: models.Model | None = None,
    responsible: User | None = None,
    variant: str = "",
    duration: int | None = None,
    calendar: WorkingCalendar | None = None,
    rules: dict[str, DeadlineRule] | None = None,
) -> Deadline | None:
    """The clock of catalogue rule ``rule_code``, its due moment computed, not yet
    saved (``clock_start`` saves it; ``clocks_start_many`` saves many at once).
    Returns ``None`` when an admin has switched the rule off. ``calendar`` and
    ``rules`` (``rules_by_code``) are snapshots a caller starting many clocks loads
    once.

    ``variant`` picks a named alternative of the rule (CLUE_VERIFY "urgent");
    ``duration`` is required for rules whose period is set case by case
    (DUALCHECK_REPORT, ORDER_RESPONSE, SELF_DISPOSAL) and may not exceed the rule's
    maximum (SELF_DISPOSAL ≤ 90 days, 322号 §17).
    """
    require_aware(started_at, "started_at")
    rule = rules[rule_code] if rules is not None else DeadlineRule.objects.get(code=rule_code)
    if not rule.is_active:
        return None
    period, unit = _clock_start_check(rule, variant=variant, duration=duration)
    deadline = Deadline(  # type: ignore[misc]  # case: an enforcement.Case, which core may not import (layering)
        rule=rule,
        court=court,
        case=case,
        subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        subject_id=subject.pk if subject is not None else None,
        subject_label=(subject_label or (str(subject) if subject is not None else ""))[:200],
        responsible=responsible,
        variant=variant,
        duration=period,
        unit=unit,
        roll_to_working_day=rule.roll_to_working_day,
        started_at=started_at,
    )
    schedule_apply(
        deadline,
        compute_schedule(deadline=deadline, rule=rule, calendar=calendar or WorkingCalendar.load()),
    )
    return deadline


def _started(build: Callable[P, Deadline | None]) -> Callable[P, Deadline | None]:
    @transaction.atomic
    def start(*args: P.args, **kwargs: P.kwargs) -> Deadline | None:
        deadline = build(*args, **kwargs)
        if deadline is not None:
            deadline.save()
        return deadline

    return start


# Start the clock of catalogue rule ``rule_code`` (``clock_build``'s arguments).
clock_start = _started(clock_build)


def rules_by_code(codes: Iterable[str]) -> dict[str, DeadlineRule]:
    """The catalogue rules named ``codes``, in one query (``clock_build(rules=…)``)."""
    return DeadlineRule.objects.in_bulk(set(codes), field_name="code")


def clocks_start_many(deadlines: list[Deadline]) -> list[Deadline]:
    """Save the clocks ``clock_build`` made, in one set write (``rows_insert``). A
    clock's save does nothing else (no signal), so this writes what ``clock_start``
    would."""
    return list(rows_insert(deadlines))


@transaction.atomic
def clock_stop(
    *, deadline: Deadline, stopped_at: dt.datetime, actor: User | None = None, note: str = ""
) -> Deadline:
    """Stop a running clock: ``met`` when stopped by its due moment, else it stays
    (or becomes) ``breached`` with its completion recorded."""
    require_aware(stopped_at, "stopped_at")
    deadline = deadline_get_for_update(deadline.pk)
    if not deadline.is_running:
        raise InvalidTransition(_("该期限已结束，不能再次完成。"))
    if stopped_at < deadline.started_at:
        raise ValidationFailed.for_field("stopped_at", _("完成时间早于期限起算时间。"))
    if deadline.paused_at is not None:
        DeadlinePause.objects.filter(deadline=deadline, resumed_at__isnull=True).update(
            resumed_at=max(stopped_at, deadline.paused_at), resumed_by=actor
        )
        deadline.paused_at = None
        _reschedule(deadline)
    now = timezone.now()
    if backdate_review_needed(deadline, stopped_at=stopped_at, actor=actor, now=now):
        return _clock_stop_pending(deadline, stopped_at=stopped_at, actor=actor, note=note, now=now)
    met = stopped_at <= deadline.due_at and not breach_kept(deadline, stopped_at)  # an extension keeps a breach
    deadline.status = DeadlineStatus.MET if met else DeadlineStatus.BREACHED
    deadline.completed_at = stopped_at
    deadline.completed_by = actor
    deadline.note = note[:500]
    deadline.save()
    clocks_stopped.send(sender=Deadline, deadline_ids=[deadline.pk], stopped_at=stopped_at)
    return deadline


def _clock_stop_pending(
    deadline: Deadline, *, stopped_at: dt.datetime, actor: User | None, note: str, now: dt.datetime
) -> Deadline:
    """待核实 (322号 §12; ``core.services.clocks.backdate``): the stop was entered
    beyond its tolerance and after the due moment. The clock stops running (no more
    alerts) at the entry time, the declared time waits in ``claimed_at``."""
    deadline.status = DeadlineStatus.PENDING_VERIFICATION
    deadline.claimed_at = stopped_at
    deadline.completed_at = now
    deadline.completed_by = actor
    deadline.note = note[:500]
    deadline.save()
    clocks_stopped.send(sender=Deadline, deadline_ids=[deadline.pk], stopped_at=now)
    node_event_record(
        kind=CoreNode.CLOCK_BACKDATE_PENDING,
        court=deadline.court,
        case=deadline.case,
        occurred_at=now,
        actor=actor,
        subject=deadline,
        payload={"rule": deadline.rule.code, "claimed_at": stopped_at.isoformat(), "due_at": deadline.due_at.isoformat()},
    )
    notify_backdate_pending(deadline, actor=actor)
    return deadline


def running_deadlines_for(
    subject: models.Model, rule_codes: Iterable[str] | None = None
) -> QuerySet[Deadline]:
    """Running clocks about ``subject``; for an enforcement case, every running clock
    of the case."""
    if subject._meta.label == "enforcement.Case":
        qs = Deadline.objects.filter(RUNNING, case=subject)  # type: ignore[misc]  # an enforcement.Case (layering)
    else:
        qs = Deadline.objects.filter(
            RUNNING,
            subject_type=ContentType.objects.get_for_model(subject),
            subject_id=subject.pk,
        )
    if rule_codes is not None:
        qs = qs.filter(rule__code__in=list(rule_codes))
    return qs


# Clocks about the case but owed to someone who oversees it (an upper court's
# 督办, a petitioner, the 一案双查 team): suspending or closing the case does not
# pause or end them — the answer is still due.
OVERSIGHT_RULES = frozenset(
    {
        "ORDER_RESPONSE",
        "PETITION_REGISTER",
        "PETITION_CLOSE",
        "PETITION_FEEDBACK",
        "DUALCHECK_REPORT",
        "DUALCHECK_SUPPLEMENT",
    }
)


@transaction.atomic
def clocks_stop_for_subject(
    *,
    subject: models.Model,
    rule_codes: Iterable[str],
    stopped_at: dt.datetime,
    actor: User | None = None,
    note: str = "",
) -> list[Deadline]:
    """Stop every running clock of ``rule_codes`` about ``subject`` (the usual way a
    domain node completes its time limit)."""
    ids = list(running_deadlines_for(subject, rule_codes).order_by("pk").values_list("pk", flat=True))
    return [clock_stop(deadline=Deadline(pk=pk), stopped_at=stopped_at, actor=actor, note=note) for pk in ids]


@transaction.atomic
def clock_pause(*, deadline: Deadline, paused_at: dt.datetime, reason: str, actor: User | None) -> Deadline:
    """中止/暂缓: the clock stands still until resumed."""
    require_aware(paused_at, "paused_at")
    deadline = deadline_get_for_update(deadline.pk)
    if not deadline.is_running:
        raise InvalidTransition(_("该期限已结束，不能中止。"))
    if deadline.paused_at is not None:
        raise InvalidTransition(_("该期限已处于中止状态。"))
    if paused_at < deadline.started_at:
        raise ValidationFailed.for_field("paused_at", _("中止时间早于期限起算时间。"))
    if not reason.strip():
        raise ValidationFailed.for_field("reason", _("请填写中止原因。"))
    DeadlinePause.objects.create(deadline=deadline, paused_at=paused_at, reason=reason[:500], paused_by=actor)
    deadline.paused_at = paused_at
    deadline.save(update_fields=["paused_at"])
    node_event_record(
        kind=CoreNode.CLOCK_PAUSED,
        court=deadline.court,
        case=deadline.case,
        occurred_at=paused_at,
        actor=actor,
        subject=deadline,
        payload={"rule": deadline.rule.code, "reason": reason[:500]},
    )
    return deadline


@transaction.atomic
def clock_resume(*, deadline: Deadline, resumed_at: dt.datetime, actor: User | None) -> Deadline:
    """Resume a paused clock; its due date moves by the time it stood still."""
    require_aware(resumed_at, "resumed_at")
    deadline = deadline_get_for_update(deadline.pk)
    if deadline.paused_at is None or not deadline.is_running:
        raise InvalidTransition(_("该期限未处于中止状态。"))
    if resumed_at < deadline.paused_at:
        raise ValidationFailed.for_field("resumed_at", _("恢复时间早于中止时间。"))
    DeadlinePause.objects.filter(deadline=deadline, resumed_at__isnull=True).update(
        resumed_at=resumed_at, resumed_by=actor
    )
    deadline.paused_at = None
    _reschedule(deadline)
    _reopen_if_due_moved_past_now(deadline)
    deadline.save(update_fields=["paused_at", "status", *SCHEDULE_FIELDS])
    node_event_record(
        kind=CoreNode.CLOCK_RESUMED,
        court=deadline.court,
        case=deadline.case,
        occurred_at=resumed_at,
        actor=actor,
        subject=deadline,
        payload={"rule": deadline.rule.code, "due_at": deadline.due_at.isoformat()},
    )
    return deadline


def _reopen_if_due_moved_past_now(deadline: Deadline) -> None:
    """A clock the scan marked ``breached`` whose due moment moved into the future
    (resumed, or extended with approval) is running within its time limit again.
    Once the new due moment passes, the scan marks it ``breached`` again (it looks at
    the clock's status, not at whether an ``overdue`` alert was raised: that one
    already exists and is not raised twice)."""
    if deadline.status == DeadlineStatus.BREACHED and deadline.due_at >= timezone.now():
        deadline.status = DeadlineStatus.OPEN


def _require_approver(user: User, court: Court) -> None:
    if not user_has_role_over(user, court, APPROVER_ROLES):
        raise PermissionDenied(_("只有本院或上级法院的执行局长、院领导可以批准。"))


@transaction.atomic
def clock_extend(
    *,
    deadline: Deadline,
    added: int,
    reason: str,
    approved_by: User,
    approved_at: dt.datetime | None = None,
    unit: str | None = None,
) -> Deadline:
    """延长: move the due date by ``added`` units of the clock's own unit, as the
    rule's extension policy allows (``core.rule_catalogue.EXTENSIONS``: who approves
    at which court, up to what in total). The original due date stays on the clock;
    the extension records who and why. A clock extended after its due moment stays
    ``breached``: the new due date is for the remaining work, the breach is kept."""
    deadline = deadline_get_for_update(deadline.pk)
    if not deadline.is_running:
        raise InvalidTransition(_("该期限已结束，不能延长。"))
    extension_request_check(deadline, added=added, unit=unit)
    extension_approver_check(deadline, approved_by)
    if not reason.strip():
        raise ValidationFailed.for_field("reason", _("请填写延长理由。"))
    approved_at = approved_at or timezone.now()
    previous = deadline.due_at
    extension = DeadlineExtension(
        deadline=deadline,
        added=added,
        reason=reason[:500],
        approved_by=approved_by,
        approved_at=approved_at,
        previous_due_at=previous,
        new_due_at=previous,
    )
    schedule_apply(
        deadline,
        compute_schedule(
            deadline=deadline,
            rule=deadline.rule,
            calendar=WorkingCalendar.load(),
            pauses=list(deadline.pauses.all()),
            extensions=[*deadline.extensions.all(), extension],
        ),
    )
    extension.new_due_at = deadline.due_at
    extension.save()
    breached = approved_at > previous or deadline.status == DeadlineStatus.BREACHED
    if breached:
        deadline.status = DeadlineStatus.BREACHED
    deadline.save(update_fields=["status", *SCHEDULE_FIELDS])
    node_event_record(
        kind=CoreNode.CLOCK_EXTENDED,
        court=deadline.court,
        case=deadline.case,
        occurred_at=approved_at,
        actor=approved_by,
        subject=deadline,
        payload={
            "rule": deadline.rule.code,
            "added": added,
            "unit": deadline.unit,
            "reason": reason[:500],
            "previous_due_at": previous.isoformat(),
            "due_at": deadline.due_at.isoformat(),
            "breached": breached,
        },
    )
    return deadline


@transaction.atomic
def clock_waive(*, deadline: Deadline, reason: str, actor: User | None) -> Deadline:
    """免除: a person with approver rights decides the time limit no longer applies.
    No rule and no case event ever waives a clock (lifecycle spec §0): a duty a case
    event takes away ends ``moot`` (``clock_end_moot``)."""
    deadline = deadline_get_for_update(deadline.pk)
    if actor is None:
        raise PermissionDenied()
    _require_approver(actor, deadline.court)
    if not deadline.is_running:
        raise InvalidTransition(_("该期限已结束，不能免除。"))
    if not reason.strip():
        raise ValidationFailed.for_field("reason", _("请填写免除理由。"))
    now = timezone.now()
    deadline.status = DeadlineStatus.WAIVED
    deadline.completed_at = now
    deadline.completed_by = actor
    deadline.note = reason[:500]
    deadline.save(update_fields=["status", "completed_at", "completed_by", "note"])
    clocks_stopped.send(sender=Deadline, deadline_ids=[deadline.pk], stopped_at=now)
    node_event_record(
        kind=CoreNode.CLOCK_WAIVED,
        court=deadline.court,
        case=deadline.case,
        occurred_at=now,
        actor=actor,
        subject=deadline,
        payload={"rule": deadline.rule.code, "reason": reason[:500]},
    )
    return deadline


@transaction.atomic
def clock_end_moot(*, deadline: Deadline, ended_at: dt.datetime, reason: str, actor: User | None) -> Deadline:
    """ENDS_MOOT (lifecycle spec §1.2): a case event took the duty's object away. Only
    the lifecycle table calls this — no person and no API chooses it. A clock not yet
    due ends ``moot`` (neither met nor breached); one already overdue at the event, or
    already ``breached``, stays ``breached`` with ``completed_at`` empty — the breach
    is never laundered. Either way ``ended_at``/``end_reason`` record the event and
    the clock leaves the running lists."""
    require_aware(ended_at, "ended_at")
    deadline = deadline_get_for_update(deadline.pk)
    if not deadline.is_running:
        raise InvalidTransition(_("该期限已结束。"))
    if deadline.paused_at is not None:
        DeadlinePause.objects.filter(deadline=deadline, resumed_at__isnull=True).update(
            resumed_at=max(ended_at, deadline.paused_at), resumed_by=actor
        )
        deadline.paused_at = None
        _reschedule(deadline)
    if deadline.status == DeadlineStatus.BREACHED or deadline.due_at < ended_at:
        deadline.status = DeadlineStatus.BREACHED
    else:
        deadline.status = DeadlineStatus.MOOT
    deadline.ended_at = ended_at
    deadline.end_reason = reason[:100]
    deadline.save()
    clocks_stopped.send(sender=Deadline, deadline_ids=[deadline.pk], stopped_at=ended_at)
    node_event_record(
        kind=CoreNode.CLOCK_ENDED,
        court=deadline.court,
        case=deadline.case,
        occurred_at=ended_at,
        actor=actor,
        subject=deadline,
        payload={"rule": deadline.rule.code, "status": deadline.status, "reason": reason[:100]},
    )
    return deadline
