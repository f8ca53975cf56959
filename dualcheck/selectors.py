"""Reads of 一案双查, scoped to what the acting user may see.

Two tiers (DESIGN 一案双查, 双查规定 §2 分工协作):
- the clue itself (sources, cases, stage, meetings, referral, team, report sections,
  review, non-disciplinary dispositions, feedback) — the execution and supervision
  departments and court leaders of the court that handles the clue and of the court
  investigating it (and, for supervisory roles, the courts above them), the members of
  its active joint team, and the command centre's API client of the court that
  handles it (§5: the referral goes out through the upper court's 执行指挥中心);
- the confidential (干警) content — officers concerned, the allegation against them,
  officer conduct and findings, report attachments, disciplinary dispositions and the
  clarification — only the supervision department (监察/督察) and court leaders of
  those courts and the active team.
The officers concerned see neither, whatever their role. A revoked membership or a
removed team member loses access on the next request (memberships are read per
request; team membership is read in the query).

An API client is a court's system, not a person: nobody behind its token can be
excluded as an officer concerned, and any of the court's staff may hold it. So it
never reads a clue about its own court — not as the court under investigation (the
clue referred to it), nor as the court of an officer concerned — only the clues its
court handles about the courts below.

The report clocks (DUALCHECK_REPORT, DUALCHECK_SUPPLEMENT) and the alerts raised on
them carry the clue's number and due date: ``clocks_readable_q`` keeps them to who
sees the clue, wherever clocks or alerts are listed.
"""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from core.exceptions import NotFound
from core.models import Court, Deadline, DeadlineRule, Membership, NodeEvent, Role, User
from core.selectors import active_memberships
from dualcheck.models import (
    TEAM_STATUSES,
    Clue,
    ClueOfficer,
    ClueStatus,
    ConfidentialRead,
    Team,
    TeamMember,
)

# Who sees a clue (subtree for the supervisory ones; an API client: ``_api_client_q``).
VIEW_ROLES = (Role.CASE_SUPERVISOR, Role.BUREAU_HEAD, Role.INSPECTOR, Role.COURT_LEADER)
# Who sees its confidential content (besides the active team).
CONFIDENTIAL_ROLES = (Role.INSPECTOR, Role.COURT_LEADER)
# (Who may act: ``dualcheck.policy``.)


# The clocks of the procedure (§8): the report and the supplementary report.
CLOCK_RULES = ("DUALCHECK_REPORT", "DUALCHECK_SUPPLEMENT")


def _courts_q(user: User, roles, field: str) -> Q:
    """Clues whose ``field`` court lies in the subtree of one of the user's
    memberships in ``roles``."""
    q = Q(pk__in=[])
    for m in active_memberships(user):
        if m.role in roles and m.role != Role.API_CLIENT:
            q |= Q(**{f"{field}__path__startswith": m.court.path})
    return q


def _api_client_q(user: User) -> Q:
    """An API client (a court's command-centre system) sees the clues its own court
    handles, never one about its court: never through ``target_court`` (the court
    under investigation), and not a clue naming an officer of its court. (A clue's
    cases are always of courts below the handling court, ``clue_register``.)"""
    q = Q(pk__in=[])
    for m in active_memberships(user):
        if m.role == Role.API_CLIENT:
            own_officer = ClueOfficer.objects.filter(clue=OuterRef("pk"), court_id=m.court_id)
            q |= Q(court_id=m.court_id) & ~Q(Exists(own_officer))
    return q


def _member_court_ids(user: User) -> list[int]:
    """The courts where ``user`` still holds a membership (read per request): a team
    member who left the team's court loses the team's access with the membership."""
    return sorted({m.court_id for m in active_memberships(user)})


def _team_member_q(user: User) -> Q:
    active = TeamMember.objects.filter(
        team__clue=OuterRef("pk"),
        team__dissolved_at__isnull=True,
        team__court_id__in=_member_court_ids(user),
        removed_at__isnull=True,
        user=user,
    )
    return Q(Exists(active), status__in=TEAM_STATUSES)


def _concerned_q(user: User) -> Q:
    return Q(Exists(ClueOfficer.objects.filter(clue=OuterRef("pk"), user=user)))


def clue_scope_q(user: User) -> Q:
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    return (
        _courts_q(user, VIEW_ROLES, "court")
        | _courts_q(user, VIEW_ROLES, "target_court")
        | _api_client_q(user)
        | _team_member_q(user)
    ) & ~_concerned_q(user)


def confidential_q(user: User) -> Q:
    """Clues whose confidential content ``user`` may read."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    return (
        _courts_q(user, CONFIDENTIAL_ROLES, "court")
        | _courts_q(user, CONFIDENTIAL_ROLES, "target_court")
        | _team_member_q(user)
    ) & ~_concerned_q(user)


def clock_rule_ids() -> QuerySet[DeadlineRule, Any]:  # Any: a values("pk") subquery
    """The catalogue rows of the 一案双查 clocks, as a subquery (no query of its own)."""
    return DeadlineRule.objects.filter(code__in=CLOCK_RULES).values("pk")


def clocks_readable_q(user: User, *, deadline_field: str = "pk", rule_field: str = "rule_id") -> Q:
    """A filter on clocks — or on rows about one, an alert: ``deadline_field=
    "deadline_id"`` — keeping every clock except the 一案双查 clocks of clues ``user``
    does not see. Subqueries only: it adds no query, and a row of another rule is
    settled by its rule id (the clue is only looked up for the report clocks)."""
    readable = Deadline.objects.filter(
        pk=OuterRef(deadline_field), subject_id__in=Clue.objects.filter(clue_scope_q(user)).values("pk")
    )
    return ~Q(**{f"{rule_field}__in": clock_rule_ids()}) | Q(Exists(readable))


def _active_team_members() -> QuerySet[TeamMember]:
    """Members of a clue's team while it investigates (formed, not dissolved, not
    removed), still members of the team's court and not among the clue's officers
    concerned."""
    return TeamMember.objects.filter(
        Exists(
            Membership.objects.filter(
                user_id=OuterRef("user_id"), court_id=OuterRef("team__court_id"), revoked_at__isnull=True
            )
        ),
        ~Exists(ClueOfficer.objects.filter(clue_id=OuterRef("team__clue_id"), user_id=OuterRef("user_id"))),
        team__dissolved_at__isnull=True,
        team__clue__status__in=TEAM_STATUSES,
        removed_at__isnull=True,
        user__is_active=True,
    )


def clocks_of_my_team_q(user: User, *, deadline_field: str = "deadline_id") -> Q:
    """Rows about a 一案双查 clock of a clue whose active joint team ``user`` is on
    (the team receives the report clock's alerts)."""
    mine = _active_team_members().filter(user=user).values("team__clue_id")
    return Q(
        Exists(
            Deadline.objects.filter(
                pk=OuterRef(deadline_field), rule_id__in=clock_rule_ids(), subject_id__in=mine
            )
        )
    )


def team_members_by_clue(clue_ids) -> dict[int, list[User]]:
    """clue id → the members of its active joint team, in one query."""
    result: dict[int, list[User]] = {}
    if not clue_ids:
        return result
    rows = (
        _active_team_members()
        .filter(team__clue_id__in=sorted(set(clue_ids)))
        .select_related("user", "team")
        .order_by("user__username")
    )
    for member in rows:
        result.setdefault(member.team.clue_id, []).append(member.user)
    return result


def clue_ids_visible_to(user: User, clue_ids) -> set[int]:
    """Which of ``clue_ids`` ``user`` sees (memberships read afresh: a recipient
    is not the user of the request)."""
    if not clue_ids:
        return set()
    return set(
        Clue.objects.filter(clue_scope_q(user), pk__in=sorted(set(clue_ids))).values_list("pk", flat=True)
    )


def clues_visible_to(user: User) -> QuerySet[Clue]:
    return Clue.objects.filter(clue_scope_q(user)).select_related("court", "target_court", "report_deadline")


def clues_confidential_to(user: User) -> QuerySet[Clue]:
    return Clue.objects.filter(confidential_q(user))


def clue_get_visible(user: User, clue_id) -> Clue:
    try:
        pk = int(clue_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    clue = clues_visible_to(user).filter(pk=pk).first()
    if clue is None:
        raise NotFound()
    return clue


def clue_get_detail(user: User, clue_id) -> Clue:
    """The clue with everything its page and API show, in a fixed number of queries."""
    clue = clue_get_visible(user, clue_id)
    return (
        Clue.objects.select_related(
            "court",
            "target_court",
            "report_deadline",
            "registered_by",
            "screened_by",
            "approved_by",
            "closed_by",
        )
        .prefetch_related(
            "case_links__case__court",
            "meetings__participants__user",
            "referrals__target_court",
            "referrals__deadline",
            "teams__members__user",
            "teams__court",
            "reports__submitted_by",
            "reviews__reviewed_by",
        )
        .get(pk=clue.pk)
    )


def clue_get_for_update(user: User, clue_id: int) -> Clue:
    """Authorise (the clue must be visible to ``user``: 404 otherwise) and lock the
    clue's row. Caller is inside ``transaction.atomic``."""
    clue_get_visible(user, clue_id)
    return (
        Clue.objects.select_for_update(of=("self",)).select_related("court", "target_court").get(pk=clue_id)
    )


def can_read_confidential(user: User, clue: Clue) -> bool:
    return Clue.objects.filter(confidential_q(user), pk=clue.pk).exists()


def active_team(clue: Clue) -> Team | None:
    return (
        Team.objects.filter(clue=clue, dissolved_at__isnull=True)
        .select_related("court")
        .prefetch_related("members__user")
        .first()
    )


def is_team_member(user: User, clue: Clue) -> bool:
    return (
        clue.status in TEAM_STATUSES
        and TeamMember.objects.filter(
            team__clue=clue,
            team__dissolved_at__isnull=True,
            team__court_id__in=_member_court_ids(user),
            removed_at__isnull=True,
            user=user,
        ).exists()
    )


def is_concerned(user: User, clue: Clue) -> bool:
    return ClueOfficer.objects.filter(clue=clue, user=user).exists()


def user_has_role_at(user: User, court: Court | None, roles) -> bool:
    """Acting roles are held at the court itself; no superuser shortcut here (a
    system administrator does not run 一案双查)."""
    if court is None:
        return False
    wanted = set(roles)
    return any(m.role in wanted and m.court_id == court.pk for m in active_memberships(user))


def user_department_at(user: User, court: Court) -> set[str]:
    return {m.department for m in active_memberships(user) if m.court_id == court.pk}


# A review "exists" for the case page once the joint meeting has launched it: a
# clue still being screened must not tip off the officers concerned.
LAUNCHED_STATUSES = tuple(
    s
    for s in ClueStatus.values
    if s
    not in (ClueStatus.RECEIVED, ClueStatus.SCREENED, ClueStatus.PENDING_MEETING, ClueStatus.NOT_LAUNCHED)
)


def clues_for_case(user: User, case) -> tuple[bool, QuerySet[Clue]]:
    """For the case page: whether a launched review concerns the case (all that
    anyone who sees the case may know), and the clues ``user`` may open."""
    visible = clues_visible_to(user).filter(case_links__case=case).order_by("-received_at")
    exists = Clue.objects.filter(case_links__case=case, status__in=LAUNCHED_STATUSES).exists()
    return exists, visible


def flagged_nodes(clue: Clue) -> QuerySet[NodeEvent]:
    """§6(二) 系统检查: the flagged (backdated, future-dated, imported) nodes of the
    clue's cases, for the team's system check."""
    return (
        NodeEvent.objects.filter(case__dualcheck_links__clue=clue)
        .exclude(flags=[])
        .select_related("case", "actor")
        .order_by("case_id", "occurred_at", "id")
    )


def confidential_reads(clue: Clue) -> QuerySet[ConfidentialRead]:
    return ConfidentialRead.objects.filter(clue=clue).select_related("user")
