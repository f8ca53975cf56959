"""What 一案双查 puts on 我的待办 (``core.work``): the clues at a step the person
may take now — screening, the head's review, the 联席会议 decision, 交办, forming the
joint team, the team's investigation and report, review, conclusion, feedback and
closing — by the rules of the board's "待我处理" (``policy.waiting_on_q``).

Confidential like the rest of 一案双查: only the clues the person may see
(``clues_visible_to``: never one about themselves), and the row names the clue's
number and its stage, never the allegation."""

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import Role, User
from core.selectors import active_memberships
from core.work import WorkItem, WorkSource
from dualcheck.models import Clue
from dualcheck.policy import waiting_on_q
from dualcheck.selectors import VIEW_ROLES, clues_visible_to

# Who may have a step to take: the roles that see clues, and the execution department's
# people, who may sit on a joint team (§5). A role check, no query (``core.work``).
MAY_HAVE_STEPS = frozenset((*VIEW_ROLES, Role.HANDLER, Role.CLERK))


def clues_waiting(user: User) -> QuerySet[Clue]:
    return clues_visible_to(user).filter(waiting_on_q(user))


def clues_waiting_count(user: User) -> int:
    return clues_waiting(user).count()


def clues_waiting_rows(user: User, limit: int) -> list[WorkItem]:
    # oldest step first: the clue that has waited longest since it last moved
    qs = clues_waiting(user).order_by("updated_at", "id")
    return [
        WorkItem(
            title=_("一案双查线索 %(no)s：%(stage)s") % {"no": clue.number, "stage": clue.get_status_display()},
            url=reverse("dualcheck:clue-detail", args=[clue.pk]),
            court=clue.court.name,
            since=clue.updated_at,
        )
        for clue in qs[:limit]
    ]


def _applies(user: User) -> bool:
    return user.has_perm("core.use_browser") and any(m.role in MAY_HAVE_STEPS for m in active_memberships(user))


WORK_SOURCES = (
    WorkSource(
        key="dualcheck.clues",
        label=_("一案双查待办"),
        badge="clue",
        list_url="dualcheck:board",
        applies=_applies,
        count=clues_waiting_count,
        rows=clues_waiting_rows,
    ),
)
