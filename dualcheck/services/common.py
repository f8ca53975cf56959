"""What the dualcheck services share: node events, text and time checks, the
joint meeting (its composition rule and its record) and the referral with its
report clock."""

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from core.exceptions import ValidationFailed
from core.models import Court, Department, NodeEvent, User
from core.selectors import active_memberships
from core.services import clocks, inputs
from core.services.events import node_event_record
from dualcheck.events import ClueNode
from dualcheck.models import (
    Clue,
    ClueOfficer,
    JointMeeting,
    MeetingParticipant,
    OfficerFindingResult,
    Referral,
)

TEXT_MAX = 20000
NOTE_MAX = 2000
MAX_REPORT_DAYS = 180
REPORT_RULE = "DUALCHECK_REPORT"
BOTH_DEPARTMENTS = (Department.EXECUTION, Department.SUPERVISION)
# The 执行机构 includes its command centre (执行指挥中心, where the 专人监管 sit).
SIDE_OF: dict[str, str] = {
    Department.EXECUTION: Department.EXECUTION,
    Department.COMMAND_CENTRE: Department.EXECUTION,
    Department.SUPERVISION: Department.SUPERVISION,
}


def sides_at(user: User, court: Court) -> set[str]:
    """The departments (execution side / supervision) ``user`` belongs to at ``court``."""
    return {
        SIDE_OF[m.department]
        for m in active_memberships(user)
        if m.court_id == court.pk and m.department in SIDE_OF
    }


def clean_text(value, field: str, message, *, limit: int = TEXT_MAX, required: bool = True) -> str:
    return inputs.clean_text(value, field, message, limit=limit, required=required)


def days_in_range(value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed.for_field(field, _("期限应为整数天数。"))
    if not 1 <= value <= MAX_REPORT_DAYS:
        raise ValidationFailed.for_field(
            field, _("期限应在 1 至 %(max)s 日之间。") % {"max": MAX_REPORT_DAYS}
        )
    return value


def next_sequence(*, court: Court, year: int) -> int:
    """The next clue number of ``court`` in ``year``."""
    return inputs.next_sequence(model=Clue, court=court, court_field="court", year=year)


def record(
    clue: Clue, *, kind: ClueNode, at: dt.datetime, actor: User, flags: list[str], payload: dict | None = None
) -> NodeEvent:
    """The node event of a step. No case (the case timeline must not show a review's
    progress to the officers concerned) and nothing confidential in the payload."""
    return node_event_record(
        kind=kind,
        court=clue.court,
        occurred_at=at,
        actor=actor,
        subject=clue,
        subject_label=clue.number,
        payload={"clue": clue.pk, "number": clue.number, "status": clue.status, **(payload or {})},
        flags=flags,
    )


def concerned_user_ids(clue: Clue) -> set[int]:
    return set(ClueOfficer.objects.filter(clue=clue, user__isnull=False).values_list("user_id", flat=True))


def meeting_participants(
    clue: Clue, users: Iterable[User], field: str = "participants"
) -> list[tuple[User, str]]:
    """§4 联席会议: people of the handling court from BOTH its execution and its
    supervision department; none of the officers concerned. Returns (user, department)."""
    people = list({u.pk: u for u in users}.values())
    if not people:
        raise ValidationFailed.for_field(field, _("请填写参会人员。"))
    concerned = concerned_user_ids(clue)
    chosen: list[tuple[User, str]] = []
    present: set[str] = set()
    for person in people:
        if person.pk in concerned:
            raise ValidationFailed.for_field(
                field,
                _("%(name)s 应当回避，不能参加本次会议。") % {"name": person},
                code="conflict_of_interest",
            )
        departments = sides_at(person, clue.court)
        if not departments:
            raise ValidationFailed.for_field(
                field,
                _("%(name)s 不是 %(court)s 执行机构或监察机构的人员。")
                % {"name": person, "court": clue.court.name},
            )
        present |= departments
        chosen.append((person, min(departments)))
    if not set(BOTH_DEPARTMENTS) <= present:
        raise ValidationFailed.for_field(
            field,
            _("联席会议须由执行机构和监察机构共同参加（双查规定第四条）：请同时选择两个部门的人员。"),
            code="meeting_composition",
        )
    return chosen


def meeting_record(
    *,
    clue: Clue,
    actor: User,
    purpose: str,
    held_at: dt.datetime,
    participants: Iterable[User],
    minutes: str,
    launch: bool | None = None,
) -> JointMeeting:
    """Caller holds the clue's lock and has checked the state."""
    chosen = meeting_participants(clue, participants)
    minutes = clean_text(minutes, "minutes", _("请填写会议纪要。"))
    if held_at < clue.received_at:
        raise ValidationFailed.for_field("held_at", _("会议时间早于线索收到时间。"))
    meeting = JointMeeting.objects.create(
        clue=clue, purpose=purpose, held_at=held_at, minutes=minutes, launch=launch, recorded_by=actor
    )
    MeetingParticipant.objects.bulk_create(
        [MeetingParticipant(meeting=meeting, user=u, department=d) for u, d in chosen]
    )
    return meeting


def referral_create(
    *, clue: Clue, actor: User, mode: str, target_court: Court, days: int, instructions: str, at: dt.datetime
) -> Referral:
    """Caller holds the clue's lock. Starts DUALCHECK_REPORT at the investigating
    court and moves the clue to ``referred``. The clock's responsible person is the
    upper court's ``actor`` who set the period: its alerts go to them and to the
    joint team, never to a post of the court under investigation (whose officers may
    be the ones concerned; ``supervision.services.scan``)."""
    deadline = clocks.clock_start(
        rule_code=REPORT_RULE,
        court=target_court,
        subject=clue,
        subject_label=clue.number,
        started_at=at,
        duration=days,
        responsible=actor,
    )
    referral = Referral.objects.create(
        clue=clue,
        mode=mode,
        number=f"{clue.number}-交{clue.referrals.count() + 1}",
        target_court=target_court,
        instructions=instructions,
        report_days=days,
        deadline=deadline,
        referred_at=at,
        referred_by=actor,
    )
    clue.refer(target_court=target_court, deadline=deadline)
    clue.save()
    return referral


def clean_choices(values: object, allowed: Iterable[str], field: str) -> list[str]:
    """A list of distinct choices among ``allowed`` (None: none)."""
    if values is None:
        return []
    if isinstance(values, str) or not isinstance(values, list | tuple):
        raise ValidationFailed.for_field(field, _("应为列表。"))
    out = []
    for value in values:
        if value not in allowed:
            raise ValidationFailed.for_field(field, _("无效的选项：%(v)s") % {"v": str(value)[:40]})
        if value not in out:
            out.append(value)
    return out


def clean_officer_findings(
    clue: Clue, findings: object, field: str = "officer_findings"
) -> list[tuple[ClueOfficer, str, str]]:
    """The report's finding per officer concerned: (officer, result, detail)."""
    if findings is None:
        return []
    if not isinstance(findings, list | tuple):
        raise ValidationFailed.for_field(field, _("应为列表。"))
    officers: dict[int | None, ClueOfficer] = {o.pk: o for o in ClueOfficer.objects.filter(clue=clue)}
    out, seen = [], set()
    for i, row in enumerate(findings):
        officer = officers.get(as_id(row.get("officer")) if isinstance(row, dict) else None)
        if officer is None:
            raise ValidationFailed.for_field(f"{field}[{i}].officer", _("不是本线索登记的涉及干警。"))
        if officer.pk in seen:
            raise ValidationFailed.for_field(f"{field}[{i}].officer", _("同一干警填写了两次。"))
        seen.add(officer.pk)
        result = row.get("result")
        if result not in OfficerFindingResult.values:
            raise ValidationFailed.for_field(f"{field}[{i}].result", _("请选择查明结论。"))
        detail = clean_text(row.get("detail"), f"{field}[{i}].detail", _("请填写查明情况。"))
        out.append((officer, result, detail))
    return out


def as_id(value) -> int | None:
    """A primary key from client input, or None (never a TypeError for a list)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None
