"""The in-app notifications of 一案双查 (issue 16): a clue referred (交办) to a court
reaches that court's supervision department, which forms the joint team; the people
put on a team, and the team told of a supplementary investigation.

Confidential by design (双查规定; DESIGN "Who sees what"): only members of the
supervision department or of the joint team are told, never an officer the clue is
about; the text names the clue's number and the step, never the allegation."""

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from core.models import NotificationKind, Role, User
from core.selectors import users_with_roles_at
from core.services.notifications import in_site_language, notify
from dualcheck.models import Clue, Team, TeamMember
from dualcheck.services.common import concerned_user_ids


def _tell(*, clue: Clue, people: Iterable[int], actor: User, court, title: str, body: str) -> None:
    notify(
        recipients=set(people) - concerned_user_ids(clue),
        actor=actor,
        kind=NotificationKind.CLUE_STEP,
        title=title,
        body=body,
        link=reverse("dualcheck:clue-detail", args=[clue.pk]),
        court=court,
        subject=clue,
    )


@in_site_language
def notify_clue_referred(*, clue: Clue, target_court, days: int, actor: User) -> None:
    """交办: the supervision department (监察/督察人员) of the investigating court."""
    inspectors = users_with_roles_at([target_court.pk], [Role.INSPECTOR]).values_list("pk", flat=True)
    _tell(
        clue=clue,
        people=inspectors,
        actor=actor,
        court=target_court,
        title=_("一案双查线索 %(no)s 已交办本院调查") % {"no": clue.number},
        body=_("请组成联合调查组，并在 %(d)s 日内报送调查报告（双查规定第五条、第八条）。") % {"d": days},
    )


@in_site_language
def notify_team_members(*, clue: Clue, team: Team, user_ids: Iterable[int], actor: User) -> None:
    """Put on the joint team (formed or changed)."""
    _tell(
        clue=clue,
        people=user_ids,
        actor=actor,
        court=team.court,
        title=_("您已被列为一案双查线索 %(no)s 的联合调查组成员") % {"no": clue.number},
        body=_("请查看交办要求，记录调查工作并按期报送调查报告。"),
    )


@in_site_language
def notify_supplement(*, clue: Clue, days: int | None, actor: User) -> None:
    """补充调查 ordered: the active team's members."""
    team = Team.objects.filter(clue=clue, dissolved_at__isnull=True).first()
    if team is None:
        return
    members = TeamMember.objects.filter(team=team, removed_at__isnull=True).values_list("user_id", flat=True)
    _tell(
        clue=clue,
        people=members,
        actor=actor,
        court=team.court,
        title=_("一案双查线索 %(no)s 须补充调查") % {"no": clue.number},
        body=_("上级法院审查后要求补充调查，请在 %(d)s 日内报送补充调查报告。") % {"d": days},
    )
