"""Who may take which step of 一案双查 on which clue, in which stage (双查规定 §4–§11).

The one place these rules live. Each step has two faces of one rule:

- ``check_<verb>(user, clue)`` for the services: raises the error the step is
  refused with (class, message and code) before anything is written;
- ``can_<verb>(user, clue) -> bool`` for the pages and the API's
  ``allowed_actions`` (``clue_actions``): whether ``check_<verb>`` lets it pass.

Roles act at the court named (never inherited from a court above, and no superuser
shortcut: a system administrator does not run 一案双查). Seeing a clue at all is the
selectors' business (``dualcheck.selectors``): every step first fetches the clue
through them (404 for someone who does not see it).

What a step's *input* must satisfy (a complete report, the conditions of closure,
the composition of a meeting) stays in its service.
"""

from collections.abc import Callable, Iterable

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core.exceptions import (
    ApplicationError,
    InvalidTransition,
    PermissionDenied,
    RuleViolation,
    ValidationFailed,
)
from core.models import Court, CourtLevel, Role, User
from core.selectors import active_memberships
from dualcheck.models import (
    Clarification,
    Clue,
    ClueOfficer,
    ClueStatus,
    ConclusionFinding,
    FeedbackLead,
    Report,
    ReportStatus,
    TeamMember,
)
from dualcheck.selectors import VIEW_ROLES, can_read_confidential, is_team_member, user_has_role_at

# Acting roles, at the court named (never inherited from a court above):
REGISTER_ROLES = (Role.CASE_SUPERVISOR, Role.BUREAU_HEAD, Role.INSPECTOR, Role.API_CLIENT)
WORKING_GROUP_ROLES = (Role.CASE_SUPERVISOR, Role.BUREAU_HEAD)  # §4 工作组
HEAD_ROLES = (Role.BUREAU_HEAD,)  # §4 执行机构主要负责人
JOINT_ROLES = (Role.BUREAU_HEAD, Role.INSPECTOR)  # both departments act jointly (§5, §8, §9)
TEAM_FORMING_ROLES = (Role.BUREAU_HEAD, Role.INSPECTOR, Role.COURT_LEADER)
EXECUTION_FEEDBACK_ROLES = (Role.BUREAU_HEAD, Role.CASE_SUPERVISOR)
SUPERVISION_FEEDBACK_ROLES = (Role.INSPECTOR,)
# 一案双查 is handled by 最高法, 高院 and 中院 (§4).
HANDLING_LEVELS = (CourtLevel.SUPREME, CourtLevel.HIGH, CourtLevel.INTERMEDIATE)

# A clue's officers concerned can be added until the joint meeting concludes it.
BEFORE_CONCLUSION = (
    ClueStatus.RECEIVED,
    ClueStatus.SCREENED,
    ClueStatus.PENDING_MEETING,
    ClueStatus.LAUNCHED,
    ClueStatus.REFERRED,
    ClueStatus.INVESTIGATING,
    ClueStatus.REPORTED,
    ClueStatus.ACCEPTED,
)
AFTER_CONCLUSION = (ClueStatus.CONCLUDED, ClueStatus.FED_BACK)


def _require_role(
    user: User, court: Court | None, roles: Iterable[str], message, code: str = "not_allowed"
) -> None:
    if not user_has_role_at(user, court, roles):
        raise PermissionDenied(message, code=code)


def _require_state(clue: Clue, allowed: Iterable[str], message) -> None:
    allowed = tuple(allowed)
    if clue.status not in allowed:
        raise InvalidTransition(message, extra={"status": clue.status, "allowed": list(allowed)})


def _passes(check: Callable[[User, Clue], None], user: User, clue: Clue) -> bool:
    try:
        check(user, clue)
    except ApplicationError:
        return False
    return True


# --- the rules that decide between steps ---------------------------------------------------------


def feedback_lead(clue: Clue) -> str:
    """§10: officer-discipline allegations → the supervision department leads;
    enforcement conduct only → the execution department."""
    if clue.officer_allegation.strip() or ClueOfficer.objects.filter(clue=clue).exists():
        return FeedbackLead.SUPERVISION
    return FeedbackLead.EXECUTION


def clarification_required(clue: Clue) -> bool:
    """§11: the allegation against officers proved untrue → clarify."""
    conclusion = getattr(clue, "conclusion", None)
    return (
        conclusion is not None
        and conclusion.finding == ConclusionFinding.UNSUBSTANTIATED
        and (bool(clue.officer_allegation.strip()) or ClueOfficer.objects.filter(clue=clue).exists())
    )


def investigating_court(clue: Clue) -> Court:
    """The court investigating a referred clue (set by the referral)."""
    assert clue.target_court is not None  # referred or investigating: the referral set it
    return clue.target_court


# --- registering ---------------------------------------------------------------------------------


def check_register(user: User, court: Court) -> None:
    """登记线索 (§3) at an upper court (§4: 最高法, 高院, 中院)."""
    if court.level not in HANDLING_LEVELS:
        raise ValidationFailed.for_field(
            "court", _("一案双查线索由最高人民法院、高级人民法院和中级人民法院受理（双查规定第四条）。")
        )
    _require_role(
        user,
        court,
        REGISTER_ROLES,
        _("只有 %(court)s 执行机构的工作组、执行局长或监察部门人员可以登记一案双查线索。")
        % {"court": court.name},
    )


def can_register(user: User, court: Court) -> bool:
    try:
        check_register(user, court)
    except ApplicationError:
        return False
    return True


def handling_courts(user: User) -> list[Court]:
    """The courts at which ``user`` may register a clue (their own 中院 or above)."""
    courts = {m.court.pk: m.court for m in active_memberships(user) if can_register(user, m.court)}
    return sorted(courts.values(), key=lambda c: c.path)


def handling_court_for(user: User, near: Court) -> Court | None:
    """The nearest court strictly above ``near`` where ``user`` may register a clue
    (a petition or alert at a lower court becomes a clue of the court above it)."""
    above = [c for c in handling_courts(user) if near.path.startswith(c.path) and c.pk != near.pk]
    return max(above, key=lambda c: len(c.path)) if above else None


def can_name_own_officers(user: User, court: Court) -> bool:
    """A clue naming an officer of ``court`` itself is registered by a named person:
    a court's API client never reads a clue about its own court (selectors), so it
    could not even read back what it registered."""
    return user_has_role_at(user, court, [r for r in REGISTER_ROLES if r != Role.API_CLIENT])


# --- from clue to referral (§4, §5) --------------------------------------------------------------


def check_screen(user: User, clue: Clue) -> None:
    """工作组筛选 (§4)."""
    _require_role(
        user,
        clue.court,
        WORKING_GROUP_ROLES,
        _("线索筛选由受理法院执行机构的工作组（专人监管、执行局长）负责。"),
    )
    _require_state(clue, (ClueStatus.RECEIVED,), _("只有待筛选的线索可以筛选。"))


def can_screen(user: User, clue: Clue) -> bool:
    return _passes(check_screen, user, clue)


def check_approve(user: User, clue: Clue) -> None:
    """执行机构主要负责人审核 (§4); never the person who screened it."""
    _require_role(user, clue.court, HEAD_ROLES, _("线索须由受理法院执行局长审核（双查规定第四条）。"))
    _require_state(clue, (ClueStatus.SCREENED,), _("只有已筛选、待审核的线索可以审核。"))
    if clue.screened_by_id == user.pk:
        raise PermissionDenied(_("审核人不能审核自己筛选的线索。"), code="maker_checker")


def can_approve(user: User, clue: Clue) -> bool:
    return _passes(check_approve, user, clue)


def check_decide(user: User, clue: Clue) -> None:
    """联席会议决定是否启动 (§4)."""
    _require_role(user, clue.court, JOINT_ROLES, _("联席会议决定由受理法院执行局长或监察部门人员记录。"))
    _require_state(clue, (ClueStatus.PENDING_MEETING,), _("只有待联席会议研究的线索可以作出启动决定。"))


def can_decide(user: User, clue: Clue) -> bool:
    return _passes(check_decide, user, clue)


def check_refer(user: User, clue: Clue) -> None:
    """交办 (§5)."""
    _require_role(
        user, clue.court, JOINT_ROLES, _("交办须由受理法院执行机构和监察机构（执行局长、监察人员）作出。")
    )
    _require_state(clue, (ClueStatus.LAUNCHED,), _("只有联席会议决定启动的线索可以交办。"))


def can_refer(user: User, clue: Clue) -> bool:
    return _passes(check_refer, user, clue)


def check_record_officers(user: User, clue: Clue) -> None:
    """补充登记涉及干警 (confidential), by the handling court's supervision department."""
    _require_role(user, clue.court, (Role.INSPECTOR,), _("涉及干警由受理法院监察部门补充登记。"))
    _require_state(clue, BEFORE_CONCLUSION, _("已形成检查结论的线索不能再补充涉及干警。"))


def can_record_officers(user: User, clue: Clue) -> bool:
    return _passes(check_record_officers, user, clue)


# --- the investigation (§5–§8) -------------------------------------------------------------------


def check_form_team(user: User, clue: Clue) -> None:
    """组成联合调查组 (§5), at the investigating court. The state first: a clue not
    yet referred has no investigating court."""
    _require_state(clue, (ClueStatus.REFERRED,), _("只有已交办、尚未组成调查组的线索可以组成联合调查组。"))
    court = investigating_court(clue)
    _require_role(
        user,
        court,
        TEAM_FORMING_ROLES,
        _("联合调查组由 %(court)s 的执行局长、监察部门人员或院领导组成。") % {"court": court.name},
    )


def can_form_team(user: User, clue: Clue) -> bool:
    return _passes(check_form_team, user, clue)


def check_change_team(user: User, clue: Clue) -> None:
    _require_state(clue, (ClueStatus.INVESTIGATING,), _("只有调查中的联合调查组可以调整成员。"))
    court = investigating_court(clue)
    _require_role(
        user,
        court,
        TEAM_FORMING_ROLES,
        _("联合调查组成员由 %(court)s 的执行局长、监察部门人员或院领导调整。") % {"court": court.name},
    )


def can_change_team(user: User, clue: Clue) -> bool:
    return _passes(check_change_team, user, clue)


def _require_investigating_member(user: User, clue: Clue, state_message) -> None:
    """The team's work, its report and the report's attachments: the same rule, each
    refused in its own words when the clue is not being investigated."""
    _require_state(clue, (ClueStatus.INVESTIGATING,), state_message)
    if not is_team_member(user, clue):
        raise PermissionDenied(_("只有联合调查组成员可以办理调查工作。"), code="not_team_member")


def check_record_work(user: User, clue: Clue) -> None:
    """Record the methods used (§6) and the scope covered (§7): the active team."""
    _require_investigating_member(user, clue, _("只有调查中的线索可以记录调查工作。"))


def can_record_work(user: User, clue: Clue) -> bool:
    return _passes(check_record_work, user, clue)


def check_write_report(user: User, clue: Clue) -> None:
    """Write (and submit) the report of the current round: the active team."""
    _require_investigating_member(user, clue, _("只有调查中的线索可以编写调查报告。"))


def can_write_report(user: User, clue: Clue) -> bool:
    return _passes(check_write_report, user, clue)


def check_attach(user: User, clue: Clue) -> None:
    _require_investigating_member(user, clue, _("只有调查中的线索可以上传报告附件。"))


def check_review(user: User, clue: Clue) -> None:
    """上级法院审查报告 (§8), never by the report's own submitter: when the upper
    court investigates itself (§5 直接调查) its people write the report and sit on
    the side that reviews it (maker ≠ checker)."""
    _require_role(user, clue.court, JOINT_ROLES, _("调查报告由受理法院执行局长或监察部门人员审查。"))
    _require_state(clue, (ClueStatus.REPORTED,), _("只有已上报、待审查的调查报告可以审查。"))
    report = Report.objects.filter(clue=clue, status=ReportStatus.SUBMITTED).order_by("-round").first()
    if report is not None and report.submitted_by_id == user.pk:
        raise PermissionDenied(_("审查人不能审查自己上报的调查报告。"), code="maker_checker")


def can_review(user: User, clue: Clue) -> bool:
    return _passes(check_review, user, clue)


# --- conclusion, feedback, clarification, closure (§9–§11) ---------------------------------------


def check_conclude(user: User, clue: Clue) -> None:
    """联席会议会商形成检查结论 (§9)."""
    _require_role(user, clue.court, JOINT_ROLES, _("检查结论由受理法院执行局长或监察部门人员记录。"))
    _require_state(clue, (ClueStatus.ACCEPTED,), _("只有调查报告已采纳的线索可以形成检查结论。"))


def can_conclude(user: User, clue: Clue) -> bool:
    return _passes(check_conclude, user, clue)


def check_record_disciplinary(user: User, clue: Clue) -> None:
    """Naming an officer concerned in a disciplinary disposition is for those who may
    read who they are (and the answer must not tell a non-reader whether an id is one)."""
    if not can_read_confidential(user, clue):
        raise PermissionDenied(
            _("违纪行为处分涉及干警，须由监察部门人员记录。"), code="confidential_disposition"
        )


def check_feedback(user: User, clue: Clue) -> None:
    """反馈 to the complainant (§10), by the leading department."""
    _require_state(clue, (ClueStatus.CONCLUDED,), _("只有已形成结论的线索可以反馈。"))
    lead = feedback_lead(clue)
    _require_role(
        user,
        clue.court,
        SUPERVISION_FEEDBACK_ROLES if lead == FeedbackLead.SUPERVISION else EXECUTION_FEEDBACK_ROLES,
        _(
            "反映干警违规违法违纪问题的，由监察机构牵头反馈；反映执行行为问题的，由执行机构牵头反馈（双查规定第十条）。"
        ),
        code="not_feedback_lead",
    )


def can_feedback(user: User, clue: Clue) -> bool:
    return _passes(check_feedback, user, clue)


def check_clarify(user: User, clue: Clue) -> None:
    """澄清 (§11), by the supervision department, once."""
    _require_role(user, clue.court, SUPERVISION_FEEDBACK_ROLES, _("澄清由受理法院监察部门作出。"))
    _require_state(clue, AFTER_CONCLUSION, _("只有已形成结论、未办结的线索可以澄清。"))
    if not clarification_required(clue):
        raise RuleViolation(
            _("只有检查结论为反映干警问题不实的，才予以澄清（双查规定第十一条）。"),
            code="clarification_not_applicable",
        )
    if Clarification.objects.filter(clue=clue).exists():
        raise InvalidTransition(_("已作出澄清。"))


def can_clarify(user: User, clue: Clue) -> bool:
    return _passes(check_clarify, user, clue)


def check_close(user: User, clue: Clue) -> None:
    """Who may close, and when. Whether the clue is ready to be closed (feedback
    given, officers cleared) is the service's check: the page offers the step and
    the service says what is missing."""
    _require_role(user, clue.court, JOINT_ROLES, _("线索由受理法院执行局长或监察部门人员办结。"))
    _require_state(clue, AFTER_CONCLUSION, _("只有已形成结论的线索可以办结。"))


def can_close(user: User, clue: Clue) -> bool:
    return _passes(check_close, user, clue)


# --- the page ------------------------------------------------------------------------------------

# slug → who may take the step now, in the order the page offers them.
STEPS: list[tuple[str, Callable[[User, Clue], bool]]] = [
    ("screen", can_screen),
    ("approve", can_approve),
    ("decide", can_decide),
    ("refer", can_refer),
    ("record-officers", can_record_officers),
    ("form-team", can_form_team),
    # the team's work and its report: one rule (the active team while investigating)
    ("record-work", can_write_report),
    ("report", can_write_report),
    ("submit-report", can_write_report),
    ("review", can_review),
    ("conclude", can_conclude),
    ("feedback", can_feedback),
    ("clarify", can_clarify),
    ("close", can_close),
]


def clue_actions(user: User, clue: Clue) -> list[str]:
    """The steps ``user`` may take on ``clue`` now — what the page offers and the
    API reports as ``allowed_actions``; the services refuse by the same rules."""
    answers: dict[Callable[[User, Clue], bool], bool] = {}  # each rule asked once
    for _slug, allowed in STEPS:
        if allowed not in answers:
            answers[allowed] = allowed(user, clue)
    return [slug for slug, allowed in STEPS if answers[allowed]]


def can_use_dualcheck(user: User) -> bool:
    """Who gets the 一案双查 menu and board: the execution and supervision people
    who see clues (VIEW_ROLES), and anyone on an active joint team."""
    if any(m.role in VIEW_ROLES for m in active_memberships(user)):
        return True
    return TeamMember.objects.filter(
        user=user, removed_at__isnull=True, team__dissolved_at__isnull=True
    ).exists()


def waiting_on_q(user: User) -> Q:
    """Clues at a step ``user`` may take now, as one filter for the board's "waiting
    on me" (the set form of the role and stage rules above; the clue page asks
    ``clue_actions`` one clue at a time)."""
    memberships = active_memberships(user)

    def courts(roles: Iterable[str]) -> list[int]:
        return [m.court_id for m in memberships if m.role in roles]

    team = TeamMember.objects.filter(
        team__clue=OuterRef("pk"), team__dissolved_at__isnull=True, removed_at__isnull=True, user=user
    )
    return (
        Q(status=ClueStatus.RECEIVED, court_id__in=courts(WORKING_GROUP_ROLES))
        | (Q(status=ClueStatus.SCREENED, court_id__in=courts(HEAD_ROLES)) & ~Q(screened_by=user))
        | Q(
            status__in=[
                ClueStatus.PENDING_MEETING,
                ClueStatus.LAUNCHED,
                ClueStatus.REPORTED,
                ClueStatus.ACCEPTED,
            ],
            court_id__in=courts(JOINT_ROLES),
        )
        | Q(status=ClueStatus.REFERRED, target_court_id__in=courts(TEAM_FORMING_ROLES))
        | Q(Exists(team), status=ClueStatus.INVESTIGATING)
        | Q(
            status=ClueStatus.CONCLUDED,
            court_id__in=courts((*JOINT_ROLES, *EXECUTION_FEEDBACK_ROLES, *SUPERVISION_FEEDBACK_ROLES)),
        )
        | Q(status=ClueStatus.FED_BACK, court_id__in=courts((*JOINT_ROLES, *SUPERVISION_FEEDBACK_ROLES)))
    )
