"""Deadline clocks: start, stop, pause, resume, extend, waive, recompute.

Domain services call these inside their own transaction; nothing here imports a
domain app. The escalation thresholds are computed here, in working days, so the
supervision scan only compares timestamps (DESIGN "The clock engine").
"""

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import F, Lookup, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.calendar import WorkingCalendar, end_of_day, local_date, start_of_day
from core.exceptions import (
    CalendarNotLoaded,
    InvalidTransition,
    PermissionDenied,
    RuleViolation,
    ValidationFailed,
)
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
from core.selectors import user_has_role_over
from core.services.events import node_event_record
from core.signals import clocks_rescheduled, clocks_stopped

# Who may approve an extension or waive a clock (322号 §8: the responsible leader).
APPROVER_ROLES = (Role.BUREAU_HEAD, Role.COURT_LEADER)

SCHEDULE_FIELDS = [
    "original_due_at",
    "due_at",
    "provisional",
    "warn_at",
    "warn_again_at",
    "escalate_at",
    "upper_at",
]


@dataclass(frozen=True)
class Schedule:
    original_due_at: dt.datetime
    due_at: dt.datetime
    provisional: bool
    warn_at: dt.datetime | None
    warn_again_at: dt.datetime | None
    escalate_at: dt.datetime | None
    upper_at: dt.datetime | None


def compute_schedule(
    *,
    deadline: Deadline,
    rule: DeadlineRule,
    calendar: WorkingCalendar,
    pauses: Iterable[DeadlinePause] = (),
    extensions: Iterable[DeadlineExtension] = (),
) -> Schedule:
    """The due moment and the ladder thresholds of ``deadline``.

    A period that reaches into a year whose official schedule is not loaded is
    counted on the predicted calendar and marked ``provisional`` (暂定): the node
    that started it happened and is recorded; only the date is uncertain. Loading
    the year recomputes it (``core.services.calendar``). Only a year the prediction
    cannot place raises ``CalendarNotLoaded``; a threshold there stays ``None``.
    """
    provisional = False  # hours need no calendar
    closed_pauses = [p for p in pauses if p.resumed_at is not None]
    added = sum(e.added for e in extensions)
    unit = deadline.unit

    if unit == PeriodUnit.HOURS:
        original = deadline.started_at + dt.timedelta(hours=deadline.duration)
        stood_still = sum((p.resumed_at - p.paused_at for p in closed_pauses), dt.timedelta())  # type: ignore[operator]
        due = original + stood_still + dt.timedelta(hours=added)
    else:
        start = local_date(deadline.started_at)
        roll = deadline.roll_to_working_day and unit != PeriodUnit.WORKING_DAYS
        if unit == PeriodUnit.WORKING_DAYS:
            raw = calendar.add_working_days(start, deadline.duration)
        elif unit == PeriodUnit.CALENDAR_DAYS:
            raw = start + dt.timedelta(days=deadline.duration)
        else:
            raw = calendar.add_months(start, deadline.duration, roll=False)
        original_day = calendar.roll_forward(raw) if roll else raw

        day = raw
        if unit == PeriodUnit.WORKING_DAYS:
            shift = sum(
                calendar.working_days_between(local_date(p.paused_at), local_date(p.resumed_at))  # type: ignore[arg-type]
                for p in closed_pauses
            )
            day = calendar.add_working_days(day, shift + added)
        else:
            shift_days = sum(
                (local_date(p.resumed_at) - local_date(p.paused_at)).days  # type: ignore[arg-type]
                for p in closed_pauses
            )
            day += dt.timedelta(days=shift_days)
            if unit == PeriodUnit.CALENDAR_DAYS:
                day += dt.timedelta(days=added)
            else:
                day = calendar.add_months(day, added, roll=False)
        unrolled = day
        day = calendar.roll_forward(day) if roll else day
        # Only the current due day decides (an original date in a predicted year
        # that an extension has since moved is history, not a promise), and only
        # where the calendar was consulted: every day counted for working days, the
        # move past rest days for the others; an expiry on its own date needs none.
        if unit == PeriodUnit.WORKING_DAYS:
            provisional = calendar.is_provisional(start, day)
        else:
            provisional = roll and calendar.is_provisional(unrolled, day)
        original = end_of_day(original_day)
        due = end_of_day(day)

    def maybe(compute):  # thresholds beyond the loaded calendar stay unknown
        try:
            return compute()
        except CalendarNotLoaded:
            return None

    variant = rule.variants.get(deadline.variant, {}) if deadline.variant else {}
    warn_unit = variant.get("warn_before_unit", rule.warn_before_unit)

    def warn(amount: int | None) -> dt.datetime | None:
        if amount is None:
            return None
        moment = maybe(lambda: calendar.shift_back(due, amount, warn_unit))
        return max(moment, deadline.started_at) if moment is not None else None

    due_day = local_date(due)
    return Schedule(
        original_due_at=original,
        due_at=due,
        provisional=provisional,
        warn_at=warn(variant.get("warn_before", rule.warn_before)),
        warn_again_at=warn(rule.warn_again_before),
        escalate_at=maybe(lambda: end_of_day(calendar.add_working_days(due_day, rule.escalate_after))),
        upper_at=maybe(lambda: end_of_day(calendar.add_working_days(due_day, rule.upper_after))),
    )


def _apply(deadline: Deadline, schedule: Schedule) -> None:
    for name in SCHEDULE_FIELDS:
        setattr(deadline, name, getattr(schedule, name))


def _reschedule(deadline: Deadline, calendar: WorkingCalendar | None = None) -> None:
    _apply(
        deadline,
        compute_schedule(
            deadline=deadline,
            rule=deadline.rule,
            calendar=calendar or WorkingCalendar.load(),
            pauses=list(deadline.pauses.all()),
            extensions=list(deadline.extensions.all()),
        ),
    )


def _locked(deadline: Deadline) -> Deadline:
    """Re-read ``deadline`` under a row lock (caller is inside ``transaction.atomic``)."""
    return (
        Deadline.objects.select_for_update(of=("self",)).select_related("rule", "court").get(pk=deadline.pk)
    )


def _require_aware(moment: dt.datetime, field: str) -> None:
    if timezone.is_naive(moment):
        raise ValidationFailed.for_field(field, _("时间必须带时区。"))


# --- services ---------------------------------------------------------------------


@transaction.atomic
def clock_start(
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
) -> Deadline | None:
    """Start the clock of catalogue rule ``rule_code``. Returns ``None`` when an
    admin has switched the rule off.

    ``variant`` picks a named alternative of the rule (CLUE_VERIFY "urgent");
    ``duration`` is required for rules whose period is set case by case
    (DUALCHECK_REPORT, ORDER_RESPONSE, SELF_DISPOSAL) and may not exceed the rule's
    maximum (SELF_DISPOSAL ≤ 90 days, 322号 §17).
    """
    _require_aware(started_at, "started_at")
    rule = DeadlineRule.objects.get(code=rule_code)
    if not rule.is_active:
        return None
    unit = rule.unit
    default = rule.duration
    if variant:
        try:
            spec = rule.variants[variant]
        except KeyError:
            raise ValueError(f"rule {rule_code} has no variant {variant!r}") from None
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
    deadline = Deadline(
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
    _apply(
        deadline,
        compute_schedule(deadline=deadline, rule=rule, calendar=calendar or WorkingCalendar.load()),
    )
    deadline.save()
    return deadline


@transaction.atomic
def clock_stop(
    *, deadline: Deadline, stopped_at: dt.datetime, actor: User | None = None, note: str = ""
) -> Deadline:
    """Stop a running clock: ``met`` when stopped by its due moment, else it stays
    (or becomes) ``breached`` with its completion recorded."""
    _require_aware(stopped_at, "stopped_at")
    deadline = _locked(deadline)
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
    deadline.status = DeadlineStatus.MET if stopped_at <= deadline.due_at else DeadlineStatus.BREACHED
    deadline.completed_at = stopped_at
    deadline.completed_by = actor
    deadline.note = note[:500]
    deadline.save()
    clocks_stopped.send(sender=Deadline, deadline_ids=[deadline.pk], stopped_at=stopped_at)
    return deadline


def running_deadlines_for(
    subject: models.Model, rule_codes: Iterable[str] | None = None
) -> QuerySet[Deadline]:
    """Running clocks about ``subject``; for an enforcement case, every running clock
    of the case."""
    if subject._meta.label == "enforcement.Case":
        qs = Deadline.objects.filter(RUNNING, case=subject)
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
    {"ORDER_RESPONSE", "PETITION_REGISTER", "PETITION_CLOSE", "DUALCHECK_REPORT", "DUALCHECK_SUPPLEMENT"}
)


def execution_deadlines_for(case: models.Model) -> QuerySet[Deadline]:
    """Running clocks of the execution of ``case`` itself (not its oversight)."""
    return running_deadlines_for(case).exclude(rule__code__in=OVERSIGHT_RULES)


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
    _require_aware(paused_at, "paused_at")
    deadline = _locked(deadline)
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
        kind="clock.paused",
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
    _require_aware(resumed_at, "resumed_at")
    deadline = _locked(deadline)
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
        kind="clock.resumed",
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
) -> Deadline:
    """延长: move the due date by ``added`` units of the clock's own unit. The
    original due date stays on the clock; the extension records who and why."""
    deadline = _locked(deadline)
    _require_approver(approved_by, deadline.court)
    if not deadline.is_running:
        raise InvalidTransition(_("该期限已结束，不能延长。"))
    if added <= 0:
        raise ValidationFailed.for_field("added", _("延长期限必须为正数。"))
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
    _apply(
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
    _reopen_if_due_moved_past_now(deadline)
    deadline.save(update_fields=["status", *SCHEDULE_FIELDS])
    node_event_record(
        kind="clock.extended",
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
        },
    )
    return deadline


@transaction.atomic
def clock_waive(*, deadline: Deadline, reason: str, actor: User | None, by_rule: bool = False) -> Deadline:
    """免除: the time limit no longer applies. A person waiving needs approver rights;
    ``by_rule`` is for the system itself (the case was closed, so its remaining
    clocks end), recorded with the actor who closed it."""
    deadline = _locked(deadline)
    if not by_rule:
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
        kind="clock.waived",
        court=deadline.court,
        case=deadline.case,
        occurred_at=now,
        actor=actor,
        subject=deadline,
        payload={"rule": deadline.rule.code, "reason": reason[:500]},
    )
    return deadline


def clocks_mark_breached(
    *, court_id: int, at: dt.datetime, deadline_ids: Collection[int] | None = None
) -> int:
    """Mark the running, unpaused clocks of one court whose due moment has passed as
    ``breached``; no indexed column changes, so rows are updated in place (HOT), and
    a repeated run writes nothing. Returns the number of clocks marked.

    ``deadline_ids`` narrows the UPDATE to those clocks: the supervision scan passes
    the ones it found still ``open`` past their due moment while reading its
    candidates, so a scan with nothing new runs no UPDATE at all instead of walking
    every overdue clock of the court to find none. The conditions are checked again
    either way (a clock stopped, paused or extended meanwhile is left alone).
    Without it, one UPDATE over the ``deadline_running_due`` partial index."""
    _require_aware(at, "at")
    if deadline_ids is not None and not deadline_ids:
        return 0
    clocks = Deadline.objects.filter(
        court_id=court_id,
        status=DeadlineStatus.OPEN,
        completed_at__isnull=True,
        paused_at__isnull=True,
        due_at__lt=at,
    )
    if deadline_ids is not None:
        clocks = clocks.filter(_pk_among(deadline_ids))
    return clocks.update(status=DeadlineStatus.BREACHED)


class _PkAmong(Lookup):
    """``id = ANY(%s)``: the ids as one array parameter (PostgreSQL)."""

    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*lhs_params, self.rhs]


def _pk_among(ids: Collection[int]) -> Q | Lookup:
    """``pk IN ids``; on PostgreSQL ``id = ANY(%s)`` (the first scan of a big court
    passes thousands of ids; a placeholder each took two to three times as long)."""
    if connection.vendor != "postgresql":
        return Q(pk__in=ids)
    return _PkAmong(F("pk"), list(ids))


def clocks_recompute(*, queryset: QuerySet[Deadline] | None = None, chunk_size: int = 5000) -> int:
    """Recompute due dates and thresholds of running clocks (after a calendar or
    rule edit); returns the number of clocks whose schedule changed."""
    base = queryset if queryset is not None else Deadline.objects.all()
    return clocks_recompute_reporting(queryset=base, chunk_size=chunk_size).changed


@dataclass
class RecomputeReport:
    """What a recompute moved: clocks examined and changed, due dates earlier and
    later, clocks overdue only because of the new schedule, and provisional clocks
    now settled — in total and per court id."""

    examined: int = 0
    changed: int = 0
    earlier: int = 0
    later: int = 0
    now_overdue: int = 0
    settled: int = 0
    by_court: dict[int, dict[str, int]] | None = None

    def count(self, court_id: int, key: str) -> None:
        setattr(self, key, getattr(self, key) + 1)
        if self.by_court is None:
            self.by_court = {}
        part = self.by_court.setdefault(court_id, {"earlier": 0, "later": 0, "now_overdue": 0, "settled": 0})
        part[key] += 1


_RECOMPUTE_COLUMNS = (
    "pk",
    "court_id",
    "rule_id",
    "variant",
    "duration",
    "unit",
    "roll_to_working_day",
    "started_at",
    "status",
    *SCHEDULE_FIELDS,
)


def _schedule_key(row: dict) -> tuple | None:
    """Clocks that share this key share their schedule (up to the warn thresholds'
    floor at the start moment), so a province's clocks cost one computation per
    (rule, start day, period) instead of one per clock. Hour periods count from the
    exact moment and are computed one by one."""
    if row["unit"] == PeriodUnit.HOURS:
        return None
    return (
        row["rule_id"],
        row["variant"],
        local_date(row["started_at"]),
        row["duration"],
        row["unit"],
        row["roll_to_working_day"],
    )


def clocks_recompute_reporting(
    *,
    queryset: QuerySet[Deadline],
    chunk_size: int = 5000,
    progress=None,
    now: dt.datetime | None = None,
) -> RecomputeReport:
    """Recompute the running clocks of ``queryset`` on the current calendar, in
    chunks of ``chunk_size`` by primary key, each in its own short transaction that
    locks only its rows (a scan waits at most one chunk). Rows are read as plain
    values with one statement per chunk (the ids as one array; whether a clock has
    pauses or extensions comes with the row, and only those clocks' are fetched),
    schedules are memoised per ``_schedule_key``, and a chunk's changes are written
    with one ``UPDATE`` (``_write_schedules``). A breached clock whose corrected due
    moment lies ahead runs again as open (the breach was the prediction's, not the
    court's); ``clocks_rescheduled`` lets supervision resolve the alerts that no
    longer apply. ``progress(n)`` is called after each chunk. Measured by ``make
    bench`` (docs/performance.md, "载入年度日历 / Loading a year")."""
    now = now or timezone.now()
    calendar = WorkingCalendar.load()
    rules = {r.pk: r for r in DeadlineRule.objects.all()}
    memo: dict[tuple, Schedule] = {}
    report = RecomputeReport(by_court={})
    ids = list(queryset.filter(RUNNING).order_by("pk").values_list("pk", flat=True))
    for offset in range(0, len(ids), chunk_size):
        chunk_ids = ids[offset : offset + chunk_size]
        with transaction.atomic():
            rows = list(
                Deadline.objects.filter(_pk_among(chunk_ids))
                .filter(RUNNING)
                .select_for_update(of=("self",))
                .order_by("pk")
                .annotate(
                    has_pauses=models.Exists(DeadlinePause.objects.filter(deadline=models.OuterRef("pk"))),
                    has_extensions=models.Exists(
                        DeadlineExtension.objects.filter(deadline=models.OuterRef("pk"))
                    ),
                )
                .values(*_RECOMPUTE_COLUMNS, "has_pauses", "has_extensions")
            )
            # Most clocks were never paused or extended: fetch only the others'.
            pauses: dict[int, list[DeadlinePause]] = {}
            paused = [row["pk"] for row in rows if row["has_pauses"]]
            for pause in DeadlinePause.objects.filter(deadline_id__in=paused) if paused else ():
                pauses.setdefault(pause.deadline_id, []).append(pause)
            extensions: dict[int, list[DeadlineExtension]] = {}
            extended = [row["pk"] for row in rows if row["has_extensions"]]
            for extension in DeadlineExtension.objects.filter(deadline_id__in=extended) if extended else ():
                extensions.setdefault(extension.deadline_id, []).append(extension)
            changed: list[tuple[dict, Schedule, str]] = []
            for row in rows:
                schedule = _recompute_row(row, rules, calendar, memo, pauses, extensions)
                if schedule is None:
                    continue
                status = row["status"]
                if status == DeadlineStatus.BREACHED and schedule.due_at >= now:
                    status = DeadlineStatus.OPEN
                if status == row["status"] and all(row[f] == getattr(schedule, f) for f in SCHEDULE_FIELDS):
                    continue
                changed.append((row, schedule, status))
                court = row["court_id"]
                if schedule.due_at < row["due_at"]:
                    report.count(court, "earlier")
                elif schedule.due_at > row["due_at"]:
                    report.count(court, "later")
                if schedule.due_at < now <= row["due_at"]:
                    report.count(court, "now_overdue")
                if row["provisional"] and not schedule.provisional:
                    report.count(court, "settled")
            _write_schedules(changed)
            if changed:
                clocks_rescheduled.send(sender=Deadline, deadline_ids=[r["pk"] for r, _s, _st in changed], at=now)
            report.changed += len(changed)
        report.examined += len(rows)
        if progress is not None:
            progress(report.examined)
    return report


def _recompute_row(row, rules, calendar, memo, pauses, extensions) -> Schedule | None:
    rule = rules[row["rule_id"]]
    own_pauses = pauses.get(row["pk"], ())
    own_extensions = extensions.get(row["pk"], ())
    key = None if (own_pauses or own_extensions) else _schedule_key(row)
    try:
        if key is None:
            return compute_schedule(
                deadline=_row_deadline(row),
                rule=rule,
                calendar=calendar,
                pauses=own_pauses,
                extensions=own_extensions,
            )
        shared = memo.get(key)
        if shared is None:
            # computed from the start of the day: the shared part of every clock
            # that starts on that day; each clock's warnings are floored at its own
            # start moment below, as compute_schedule does
            probe = _row_deadline({**row, "started_at": start_of_day(key[2])})
            shared = memo[key] = compute_schedule(deadline=probe, rule=rule, calendar=calendar)
    except CalendarNotLoaded:
        return None  # a year the prediction cannot place: left as it is
    started = row["started_at"]
    if (shared.warn_at is None or shared.warn_at >= started) and (
        shared.warn_again_at is None or shared.warn_again_at >= started
    ):
        return shared  # no warning to floor: the very same schedule (one entry in the write)
    return Schedule(
        original_due_at=shared.original_due_at,
        due_at=shared.due_at,
        provisional=shared.provisional,
        warn_at=max(shared.warn_at, started) if shared.warn_at else None,
        warn_again_at=max(shared.warn_again_at, started) if shared.warn_again_at else None,
        escalate_at=shared.escalate_at,
        upper_at=shared.upper_at,
    )


def _row_deadline(row: dict) -> Deadline:
    return Deadline(
        pk=row["pk"],
        rule_id=row["rule_id"],
        variant=row["variant"],
        duration=row["duration"],
        unit=row["unit"],
        roll_to_working_day=row["roll_to_working_day"],
        started_at=row["started_at"],
    )


def _write_schedules(changed: list[tuple[dict, Schedule, str]]) -> None:
    """Write a chunk's new schedules. On PostgreSQL one ``UPDATE … FROM unnest(…)``:
    clocks that share a schedule (most of a chunk: ``_recompute_row`` hands out the
    memoised one) share one entry, so the statement carries each distinct schedule
    once and, per clock, only its id and the entry's number — two integer arrays
    instead of nine literals a row to adapt, send and parse."""
    if not changed:
        return
    columns = [*SCHEDULE_FIELDS, "status"]
    if connection.vendor == "postgresql":
        entries: dict[tuple[Schedule, str], int] = {}
        ids, numbers = [], []
        for row, schedule, status in changed:
            ids.append(row["pk"])
            numbers.append(entries.setdefault((schedule, status), len(entries) + 1))
        arrays = [[getattr(schedule, f) for schedule, _status in entries] for f in SCHEDULE_FIELDS]
        arrays.append([status for _schedule, status in entries])
        types = {"provisional": "boolean", "status": "text"}
        placeholders = ", ".join(f"%s::{types.get(c, 'timestamptz')}[]" for c in columns)
        table = Deadline._meta.db_table
        sql = (
            f"UPDATE {table} AS d SET {', '.join(f'{c} = s.{c}' for c in columns)} "  # noqa: S608 (names are ours)
            "FROM unnest(%s::bigint[], %s::integer[]) AS c(id, entry) "
            f"JOIN unnest({placeholders}) WITH ORDINALITY AS s({', '.join(columns)}, entry) "
            "ON s.entry = c.entry WHERE d.id = c.id AND d.completed_at IS NULL"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [ids, numbers, *arrays])
        return
    objects = []
    for row, schedule, status in changed:
        deadline = Deadline(pk=row["pk"], status=status)
        _apply(deadline, schedule)
        objects.append(deadline)
    Deadline.objects.bulk_update(objects, columns)
