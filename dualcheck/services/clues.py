"""一案双查 from clue to referral (双查规定 §3–§5).

register (§3 sources) → screen by the execution department's working group →
approval by its head (§4) → joint meeting decides to launch or not (§4) → referral
through the command centre with a report deadline, or the upper court investigating
itself (§5). A clue from 司法巡查/审务督察, or one the supervision department
registers from a complaint, goes straight to the joint meeting (§4 ¶1, ¶3).
"""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.calendar import local_date
from core.exceptions import Conflict, InvalidTransition, PermissionDenied, RuleViolation, ValidationFailed
from core.identity import validate_phone
from core.models import Court, Deadline, Department, Membership, Role, User
from core.models.clocks import RUNNING
from core.services import clocks
from core.services.inputs import acting_time
from dualcheck.models import (
    Clue,
    ClueCase,
    ClueOfficer,
    ClueSource,
    ClueStatus,
    JointMeeting,
    MeetingParticipant,
    MeetingPurpose,
    Referral,
    ReferralMode,
)
from dualcheck.selectors import (
    HANDLING_LEVELS,
    HEAD_ROLES,
    JOINT_ROLES,
    REGISTER_ROLES,
    WORKING_GROUP_ROLES,
    handling_court_for,
    user_has_role_at,
)
from dualcheck.services.common import (
    NOTE_MAX,
    clean_text,
    days_in_range,
    lock,
    meeting_participants,
    next_sequence,
    record,
    require_role,
    require_state,
)
from enforcement.models import Case
from enforcement.selectors import cases_visible_to

REPORT_RULE = "DUALCHECK_REPORT"


def _officer_rows(clue_court: Court, officers: Iterable[dict], actor: User) -> list[dict]:
    """Validate the officers concerned: name, a court in the handling court's
    subtree, optionally their system account (which must belong to that court)."""
    rows = []
    for i, officer in enumerate(officers or []):
        field = f"officers[{i}]"
        if not isinstance(officer, dict):
            raise ValidationFailed.for_field(field, _("格式有误。"))
        name = clean_text(officer.get("name"), f"{field}.name", _("请填写干警姓名。"), limit=50)
        court = officer.get("court")
        if not isinstance(court, Court) or not court.path.startswith(clue_court.path):
            raise ValidationFailed.for_field(
                f"{field}.court", _("干警所在法院须是 %(court)s 或其辖区法院。") % {"court": clue_court.name}
            )
        user = officer.get("user")
        if user is not None:
            if not Membership.objects.filter(user=user, court=court, revoked_at__isnull=True).exists():
                raise ValidationFailed.for_field(
                    f"{field}.user", _("该账号不是 %(court)s 的在职人员。") % {"court": court.name}
                )
            if user.pk == actor.pk:
                raise ValidationFailed.for_field(
                    f"{field}.user",
                    _("不能登记反映本人的线索，请由其他人员登记（回避）。"),
                    code="conflict_of_interest",
                )
        position = clean_text(officer.get("position"), f"{field}.position", "", limit=100, required=False)
        rows.append({"name": name, "court": court, "user": user, "position": position})
    users = [r["user"].pk for r in rows if r["user"] is not None]
    if len(users) != len(set(users)):
        raise ValidationFailed.for_field("officers", _("同一干警登记了两次。"))
    return rows


@transaction.atomic
def clue_register(
    *,
    actor: User,
    court: Court,
    source: str,
    summary: str,
    officer_allegation: str = "",
    source_detail: str = "",
    complainant_name: str = "",
    complainant_phone: str = "",
    received_at: dt.datetime | None = None,
    cases: Iterable[Case] = (),
    officers: Iterable[dict] = (),
    petition_id: int | None = None,
    alert_id: int | None = None,
) -> Clue:
    """登记线索 (§3) at an upper court (§4: 最高法, 高院, 中院)."""
    if court.level not in HANDLING_LEVELS:
        raise ValidationFailed.for_field(
            "court", _("一案双查线索由最高人民法院、高级人民法院和中级人民法院受理（双查规定第四条）。")
        )
    require_role(
        actor,
        court,
        REGISTER_ROLES,
        _("只有 %(court)s 执行机构的工作组、执行局长或监察部门人员可以登记一案双查线索。")
        % {"court": court.name},
    )
    if source not in ClueSource.values:
        raise ValidationFailed.for_field("source", _("请选择线索来源（双查规定第三条）。"))
    summary = clean_text(summary, "summary", _("请填写反映的执行问题。"))
    officer_allegation = clean_text(officer_allegation, "officer_allegation", "", required=False)
    source_detail = clean_text(source_detail, "source_detail", "", limit=500, required=False)
    complainant_name = clean_text(complainant_name, "complainant_name", "", limit=100, required=False)
    phone = ""
    if (complainant_phone or "").strip():
        try:
            phone = validate_phone(complainant_phone)
        except ValidationFailed as exc:
            raise ValidationFailed.for_field("complainant_phone", exc.message, code=exc.code) from None
    case_list = list({c.pk: c for c in cases}.values())
    # one query: the cases the actor may see, with their courts' paths
    paths = dict(
        cases_visible_to(actor).filter(pk__in=[c.pk for c in case_list]).values_list("pk", "court__path")
    )
    for case in case_list:
        if case.pk not in paths:
            raise ValidationFailed.for_field("cases", _("案件不存在或不在您的可见范围内。"))
        if not paths[case.pk].startswith(court.path) or case.court_id == court.pk:
            raise ValidationFailed.for_field(
                "cases",
                _("案件 %(n)s 不是 %(court)s 辖区下级法院的案件（双查规定第一条）。")
                % {"n": case.case_number, "court": court.name},
            )
    officer_rows = _officer_rows(court, officers, actor)
    if any(row["court"].pk == court.pk for row in officer_rows) and not user_has_role_at(
        actor, court, [r for r in REGISTER_ROLES if r != Role.API_CLIENT]
    ):
        # A court's API client never reads a clue about its own court (selectors):
        # it could not even read back what it registered.
        raise PermissionDenied(
            _("涉及本院干警的线索须由本院具名人员登记，接口客户端不能登记。"), code="named_person_required"
        )
    at, flags = acting_time(received_at)
    year = local_date(at).year
    sequence = next_sequence(court=court, year=year)
    department = (
        Department.SUPERVISION
        if user_has_role_at(actor, court, [Role.INSPECTOR])
        and not user_has_role_at(actor, court, WORKING_GROUP_ROLES)
        else Department.EXECUTION
    )
    clue = Clue.objects.create(
        number=f"{court.code}双查〔{year}〕{sequence}号",
        year=year,
        sequence=sequence,
        court=court,
        source=source,
        source_detail=source_detail,
        summary=summary,
        officer_allegation=officer_allegation,
        complainant_name=complainant_name,
        complainant_phone=phone,
        received_at=at,
        registered_by=actor,
        registered_department=department,
        petition_id=petition_id,
        alert_id=alert_id,
    )
    ClueCase.objects.bulk_create([ClueCase(clue=clue, case=c) for c in case_list])
    ClueOfficer.objects.bulk_create([ClueOfficer(clue=clue, **row) for row in officer_rows])
    if source == ClueSource.INSPECTION or department == Department.SUPERVISION:
        clue.to_meeting()
        clue.save(update_fields=["status", "updated_at"])
    record(
        clue,
        kind="dualcheck.clue_registered",
        at=at,
        actor=actor,
        flags=flags,
        payload={"source": source, "cases": len(case_list)},
    )
    return clue


def _handling_court(actor: User, near: Court) -> Court:
    court = handling_court_for(actor, near)
    if court is None:
        raise PermissionDenied(
            _("您不是 %(court)s 上级法院执行机构或监察部门的人员，不能将其转为一案双查线索。")
            % {"court": near.name},
            code="not_dualcheck_role",
        )
    return court


@transaction.atomic
def clue_register_from_petition(*, actor: User, petition_id: int) -> Clue:
    """One click from a petition flagged 转一案双查线索 (§3(一) 来信来访): the clue
    is registered at the court above the petition's court with the petition's
    content, petitioner and case, and the petition records the clue."""
    from supervision.selectors.petitions import petition_get_visible
    from supervision.services.petitions import petition_dualcheck_link

    petition = petition_get_visible(actor, petition_id)
    # Two clicks at once: the second waits here and then finds the first one's link.
    petition = (
        type(petition)
        .objects.select_for_update(of=("self",))
        .select_related("court", "case__court")
        .get(pk=petition.pk)
    )
    if petition.dualcheck_flagged_at is None:
        raise InvalidTransition(_("该信访尚未被转为一案双查线索（请先在信访页面标记）。"), code="not_flagged")
    if petition.dualcheck_clue_id is not None or Clue.objects.filter(petition_id=petition.pk).exists():
        raise Conflict(_("该信访已立为一案双查线索。"), code="already_linked")
    near = petition.case.court if petition.case_id else petition.court
    court = _handling_court(actor, near)
    clue = clue_register(
        actor=actor,
        court=court,
        source=ClueSource.LETTERS_VISITS,
        source_detail=_("执行信访 %(n)s：%(reason)s")
        % {"n": petition.number or petition.pk, "reason": petition.dualcheck_reason},
        summary=petition.content,
        complainant_name=petition.petitioner_name,
        complainant_phone=petition.petitioner_phone,
        cases=[petition.case] if petition.case_id else [],
        petition_id=petition.pk,
    )
    petition_dualcheck_link(petition=petition, clue_id=clue.pk)
    return clue


@transaction.atomic
def clue_register_from_alert(*, actor: User, alert_id: int) -> Clue:
    """One click from a deadline alert (§3(八) 执行指挥中心运行管理中发现): the clue
    names the missed time limit and the case."""
    from supervision.selectors.alerts import alert_get_visible

    alert = alert_get_visible(actor, alert_id)
    if alert.case_id is None:
        raise InvalidTransition(_("该预警不涉及具体案件，不能转为一案双查线索。"), code="no_case")
    court = _handling_court(actor, alert.court)
    # Two clicks at once: registrations at ``court`` queue on its row (as numbering
    # does), so the second click finds the first one's clue.
    Court.objects.select_for_update(no_key=True, of=("self",)).filter(pk=court.pk).exists()
    if Clue.objects.filter(alert_id=alert.pk, court=court).exists():
        raise Conflict(_("该预警已转为一案双查线索。"), code="already_linked")
    summary = _("案件 %(case)s 的「%(rule)s」期限（%(due)s 届满）触发%(level)s预警，未按期办理。") % {
        "case": alert.case.case_number,
        "rule": alert.rule.name_zh,
        "due": local_date(alert.due_at).isoformat(),
        "level": alert.get_level_display(),
    }
    return clue_register(
        actor=actor,
        court=court,
        source=ClueSource.COMMAND_CENTRE,
        source_detail=_("期限预警 #%(id)s") % {"id": alert.pk},
        summary=summary,
        cases=[alert.case],
        alert_id=alert.pk,
    )


@transaction.atomic
def clue_screen(
    *, actor: User, clue: Clue, proceed: bool, opinion: str, at: dt.datetime | None = None
) -> Clue:
    """工作组筛选 (§4): submit to the head of execution, or screen out (not launched)."""
    opinion = clean_text(opinion, "opinion", _("请填写筛选意见。"), limit=NOTE_MAX)
    at, flags = acting_time(at)
    clue = lock(actor, clue)
    require_role(
        actor,
        clue.court,
        WORKING_GROUP_ROLES,
        _("线索筛选由受理法院执行机构的工作组（专人监管、执行局长）负责。"),
    )
    require_state(clue, (ClueStatus.RECEIVED,), _("只有待筛选的线索可以筛选。"))
    if proceed:
        clue.screen(by=actor, at=at, opinion=opinion)
    else:
        clue.screened_by, clue.screened_at, clue.screening_opinion = actor, at, opinion
        clue.drop(by=actor, at=at, reason=opinion)
    clue.save()
    record(
        clue, kind="dualcheck.clue_screened", at=at, actor=actor, flags=flags, payload={"proceed": proceed}
    )
    return clue


@transaction.atomic
def clue_approve(
    *, actor: User, clue: Clue, approved: bool, opinion: str, at: dt.datetime | None = None
) -> Clue:
    """执行机构主要负责人审核 (§4); never the person who screened it."""
    opinion = clean_text(opinion, "opinion", _("请填写审核意见。"), limit=NOTE_MAX)
    at, flags = acting_time(at)
    clue = lock(actor, clue)
    require_role(actor, clue.court, HEAD_ROLES, _("线索须由受理法院执行局长审核（双查规定第四条）。"))
    require_state(clue, (ClueStatus.SCREENED,), _("只有已筛选、待审核的线索可以审核。"))
    if clue.screened_by_id == actor.pk:
        raise PermissionDenied(_("审核人不能审核自己筛选的线索。"), code="maker_checker")
    if approved:
        clue.approve(by=actor, at=at, opinion=opinion)
    else:
        clue.approved_by, clue.approved_at, clue.approval_opinion = actor, at, opinion
        clue.drop(by=actor, at=at, reason=opinion)
    clue.save()
    record(
        clue, kind="dualcheck.clue_approved", at=at, actor=actor, flags=flags, payload={"approved": approved}
    )
    return clue


def meeting_record(
    *, clue: Clue, actor: User, purpose: str, held_at: dt.datetime, participants, minutes: str, launch=None
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


@transaction.atomic
def clue_decide(
    *,
    actor: User,
    clue: Clue,
    launch: bool,
    participants: Iterable[User],
    minutes: str,
    held_at: dt.datetime | None = None,
) -> Clue:
    """联席会议决定是否启动 (§4)."""
    held_at, flags = acting_time(held_at)
    clue = lock(actor, clue)
    require_role(actor, clue.court, JOINT_ROLES, _("联席会议决定由受理法院执行局长或监察部门人员记录。"))
    require_state(clue, (ClueStatus.PENDING_MEETING,), _("只有待联席会议研究的线索可以作出启动决定。"))
    meeting = meeting_record(
        clue=clue,
        actor=actor,
        purpose=MeetingPurpose.LAUNCH,
        held_at=held_at,
        participants=participants,
        minutes=minutes,
        launch=launch,
    )
    if launch:
        clue.launch()
    else:
        clue.drop(by=actor, at=held_at, reason=meeting.minutes[:NOTE_MAX])
    clue.save()
    record(
        clue,
        kind="dualcheck.meeting_decided",
        at=held_at,
        actor=actor,
        flags=flags,
        payload={"launch": launch},
    )
    return clue


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


@transaction.atomic
def clue_refer(
    *,
    actor: User,
    clue: Clue,
    mode: str,
    report_days: int,
    instructions: str,
    target_court: Court | None = None,
    referred_at: dt.datetime | None = None,
) -> Clue:
    """交办 (§5): through the command centre to a lower court, with the report
    deadline the upper court sets (DUALCHECK_REPORT); or investigate directly. The
    SPC directing a high court is a referral to that high court."""
    if mode not in ReferralMode.values:
        raise ValidationFailed.for_field("mode", _("请选择交办方式。"))
    days = days_in_range(report_days, "report_days")
    instructions = clean_text(instructions, "instructions", _("请填写交办要求。"), limit=NOTE_MAX)
    at, flags = acting_time(referred_at)
    clue = lock(actor, clue)
    require_role(
        actor, clue.court, JOINT_ROLES, _("交办须由受理法院执行机构和监察机构（执行局长、监察人员）作出。")
    )
    require_state(clue, (ClueStatus.LAUNCHED,), _("只有联席会议决定启动的线索可以交办。"))
    meeting = clue.meetings.filter(purpose=MeetingPurpose.LAUNCH, launch=True).order_by("-held_at").first()
    if meeting is not None and at < meeting.held_at:
        raise ValidationFailed.for_field("referred_at", _("交办时间早于联席会议决定启动的时间。"))
    if mode == ReferralMode.DIRECT:
        target = clue.court
    else:
        if target_court is None:
            raise ValidationFailed.for_field("target_court", _("请选择承办调查的下级法院。"))
        if not target_court.path.startswith(clue.court.path) or target_court.pk == clue.court.pk:
            raise ValidationFailed.for_field(
                "target_court", _("只能交办给 %(court)s 辖区的下级法院。") % {"court": clue.court.name}
            )
        target = target_court
    referral = referral_create(
        clue=clue, actor=actor, mode=mode, target_court=target, days=days, instructions=instructions, at=at
    )
    record(
        clue,
        kind="dualcheck.referred",
        at=at,
        actor=actor,
        flags=flags,
        payload={"mode": mode, "target_court": target.code, "days": days, "referral": referral.number},
    )
    return clue


def court_for_code(code: str, field: str = "target_court") -> Court:
    court = Court.objects.filter(code=(code or "").strip(), is_active=True).first()
    if court is None:
        raise ValidationFailed.for_field(field, _("法院 %(c)s 不存在。") % {"c": code})
    return court


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


@transaction.atomic
def clue_record_officers(
    *,
    actor: User,
    clue: Clue,
    officers: Iterable[dict] = (),
    officer_allegation: str | None = None,
    at: dt.datetime | None = None,
) -> Clue:
    """补充登记涉及干警 (confidential), by the handling court's supervision department:
    a clue taken up from a petition or an alert, or one whose investigation finds
    further officers, names them here (and the allegation about them). An officer
    now on the joint team must leave it first (回避)."""
    from dualcheck.models import TeamMember

    at, flags = acting_time(at)
    clue = lock(actor, clue)
    require_role(actor, clue.court, (Role.INSPECTOR,), _("涉及干警由受理法院监察部门补充登记。"))
    require_state(clue, BEFORE_CONCLUSION, _("已形成检查结论的线索不能再补充涉及干警。"))
    rows = _officer_rows(clue.court, officers, actor)
    if not rows and officer_allegation is None:
        raise ValidationFailed.for_field("officers", _("请填写涉及干警或反映的干警问题。"))
    known = set(ClueOfficer.objects.filter(clue=clue, user__isnull=False).values_list("user_id", flat=True))
    on_team = set(
        TeamMember.objects.filter(
            team__clue=clue, team__dissolved_at__isnull=True, removed_at__isnull=True
        ).values_list("user_id", flat=True)
    )
    for i, row in enumerate(rows):
        if row["user"] is None:
            continue
        if row["user"].pk in known:
            raise ValidationFailed.for_field(f"officers[{i}].user", _("该干警已登记。"))
        if row["user"].pk in on_team:
            raise RuleViolation(
                _("%(name)s 是联合调查组成员，请先将其调出调查组（回避）。") % {"name": row["user"]},
                code="conflict_of_interest",
                extra={"fields": {f"officers[{i}].user": [str(_("该人员是联合调查组成员。"))]}},
            )
    if officer_allegation is not None:
        clue.officer_allegation = clean_text(officer_allegation, "officer_allegation", "", required=False)
        clue.save(update_fields=["officer_allegation", "updated_at"])
    ClueOfficer.objects.bulk_create([ClueOfficer(clue=clue, **row) for row in rows])
    # The report clock's responsible person (the referrer, who receives its alerts)
    # now named as concerned hands it to the supervision department recording them.
    named = [row["user"].pk for row in rows if row["user"] is not None]
    if named and clue.report_deadline_id is not None:
        Deadline.objects.filter(RUNNING, pk=clue.report_deadline_id, responsible_id__in=named).update(
            responsible=actor
        )
    record(
        clue,
        kind="dualcheck.officers_recorded",
        at=at,
        actor=actor,
        flags=flags,
        payload={"officers": len(rows)},
    )
    return clue
