"""What the dualcheck services share: locking, node events, text and time checks,
the joint-meeting rule."""

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from core.exceptions import InvalidTransition, PermissionDenied, ValidationFailed
from core.models import Court, Department, User
from core.selectors import active_memberships
from core.services import inputs
from core.services.events import node_event_record
from dualcheck.models import Clue, ClueOfficer
from dualcheck.selectors import clue_get_visible, user_has_role_at

TEXT_MAX = 20000
NOTE_MAX = 2000
MAX_REPORT_DAYS = 180
BOTH_DEPARTMENTS = (Department.EXECUTION, Department.SUPERVISION)
# The 执行机构 includes its command centre (执行指挥中心, where the 专人监管 sit).
SIDE_OF = {
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


def lock(actor: User, clue: Clue) -> Clue:
    """Authorise (the clue must be visible to ``actor``: 404 otherwise) and lock."""
    clue_get_visible(actor, clue.pk)
    return (
        Clue.objects.select_for_update(of=("self",)).select_related("court", "target_court").get(pk=clue.pk)
    )


def require_state(clue: Clue, allowed: Iterable[str], message) -> None:
    allowed = tuple(allowed)
    if clue.status not in allowed:
        raise InvalidTransition(message, extra={"status": clue.status, "allowed": list(allowed)})


def require_role(actor: User, court: Court | None, roles, message, code: str = "not_allowed") -> None:
    if not user_has_role_at(actor, court, roles):
        raise PermissionDenied(message, code=code)


def record(
    clue: Clue, *, kind: str, at: dt.datetime, actor: User, flags: list[str], payload: dict | None = None
):
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


def as_id(value) -> int | None:
    """A primary key from client input, or None (never a TypeError for a list)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None
