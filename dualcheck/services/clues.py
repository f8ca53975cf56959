"""一案双查 from clue to referral (双查规定 §3–§5).

register (§3 sources) → screen by the execution department's working group →
approval by its head (§4) → joint meeting decides to launch or not (§4) → referral
through the command centre with a report deadline, or the upper court investigating
itself (§5). A clue from 司法巡查/审务督察, or one the supervision department
registers from a complaint, goes straight to the joint meeting (§4 ¶1, ¶3).
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.calendar import local_date
from core.exceptions import (
    Conflict,
    FieldErrors,
    InvalidTransition,
    PermissionDenied,
    RuleViolation,
    ValidationFailed,
)
from core.identity import validate_phone
from core.models import Court, Deadline, Department, Membership, Role, User
from core.models.clocks import RUNNING
from core.services.inputs import acting_time, name_check
from dualcheck import policy
from dualcheck.events import ClueNode
from dualcheck.models import (
    Clue,
    ClueCase,
    ClueOfficer,
    ClueSource,
    MeetingPurpose,
    ReferralMode,
    TeamMember,
)
from dualcheck.selectors import clue_get_for_update, user_has_role_at
from dualcheck.services.common import (
    NOTE_MAX,
    clean_text,
    days_in_range,
    meeting_record,
    next_sequence,
    record,
    referral_create,
)
from dualcheck.services.notifications import notify_clue_referred
from enforcement.models import Case
from enforcement.selectors import cases_visible_to
from supervision.selectors.alerts import alert_get_visible
from supervision.selectors.petitions import petition_get_visible
from supervision.services.petitions import petition_dualcheck_link


def _officer_rows(
    clue_court: Court, officers: Iterable[dict], actor: User, errors: FieldErrors
) -> list[dict]:
    """Validate the officers concerned: name, a court in the handling court's
    subtree, optionally their system account (which must belong to that court).
    Every row's refusals go to ``errors``."""
    rows: list[dict[str, Any]] = []  # Any: name, court, user and position of one officer
    for i, officer in enumerate(officers or []):
        field = f"officers[{i}]"
        if not isinstance(officer, dict):
            errors.add(field, _("格式有误。"))
            continue
        name = errors.catch(clean_text, officer.get("name"), f"{field}.name", _("请填写干警姓名。"), limit=50)
        if name:
            errors.catch(name_check, name, f"{field}.name")
        court = officer.get("court")
        if not isinstance(court, Court) or not court.path.startswith(clue_court.path):
            errors.add(
                f"{field}.court", _("干警所在法院须是 %(court)s 或其辖区法院。") % {"court": clue_court.name}
            )
            court = None
        user = officer.get("user")
        if user is not None and court is not None:
            if not Membership.objects.filter(user=user, court=court, revoked_at__isnull=True).exists():
                errors.add(f"{field}.user", _("该账号不是 %(court)s 的在职人员。") % {"court": court.name})
            elif user.pk == actor.pk:
                errors.add(
                    f"{field}.user",
                    _("不能登记反映本人的线索，请由其他人员登记（回避）。"),
                    code="conflict_of_interest",
                )
        position = errors.catch(
            clean_text, officer.get("position"), f"{field}.position", "", limit=100, required=False
        )
        rows.append({"name": name or "", "court": court, "user": user, "position": position or ""})
    users = [row["user"].pk for row in rows if row["user"] is not None]
    if len(users) != len(set(users)):
        errors.add("officers", _("同一干警登记了两次。"))
    return rows


@dataclass
class _Registration:
    """A registration's input, checked: what ``clue_register`` writes."""

    summary: str
    officer_allegation: str
    source_detail: str
    complainant_name: str
    complainant_phone: str
    cases: list[Case]
    officers: list[dict]


def _clue_register_check(
    *,
    actor: User,
    court: Court,
    source: str,
    summary: str,
    officer_allegation: str,
    source_detail: str,
    complainant_name: str,
    complainant_phone: str,
    cases: Iterable[Case],
    officers: Iterable[dict],
) -> _Registration:
    """Who may register at ``court`` and what they registered; raises one refusal
    naming every field."""
    policy.check_register(actor, court)
    errors = FieldErrors()
    if source not in ClueSource.values:
        errors.add("source", _("请选择线索来源（双查规定第三条）。"))
    summary = errors.catch(clean_text, summary, "summary", _("请填写反映的执行问题。")) or ""
    officer_allegation = (
        errors.catch(clean_text, officer_allegation, "officer_allegation", "", required=False) or ""
    )
    source_detail = (
        errors.catch(clean_text, source_detail, "source_detail", "", limit=500, required=False) or ""
    )
    complainant_name = (
        errors.catch(clean_text, complainant_name, "complainant_name", "", limit=100, required=False) or ""
    )
    errors.catch(name_check, complainant_name, "complainant_name")
    phone = ""
    if (complainant_phone or "").strip():
        try:
            phone = validate_phone(complainant_phone)
        except ValidationFailed as exc:
            errors.add("complainant_phone", exc.message, code=exc.code)
    case_list = list({c.pk: c for c in cases}.values())
    # one query: the cases the actor may see, with their courts' paths
    paths = dict(
        cases_visible_to(actor).filter(pk__in=[c.pk for c in case_list]).values_list("pk", "court__path")
    )
    for case in case_list:
        if case.pk not in paths:
            errors.add("cases", _("案件不存在或不在您的可见范围内。"))
        elif not paths[case.pk].startswith(court.path) or case.court_id == court.pk:
            errors.add(
                "cases",
                _("案件 %(n)s 不是 %(court)s 辖区下级法院的案件（双查规定第一条）。")
                % {"n": case.case_number, "court": court.name},
            )
    officer_rows = _officer_rows(court, officers, actor, errors)
    errors.raise_if_any()
    if any(row["court"].pk == court.pk for row in officer_rows) and not policy.can_name_own_officers(
        actor, court
    ):
        raise PermissionDenied(
            _("涉及本院干警的线索须由本院具名人员登记，接口客户端不能登记。"), code="named_person_required"
        )
    return _Registration(
        summary=summary,
        officer_allegation=officer_allegation,
        source_detail=source_detail,
        complainant_name=complainant_name,
        complainant_phone=phone,
        cases=case_list,
        officers=officer_rows,
    )


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
    checked = _clue_register_check(
        actor=actor,
        court=court,
        source=source,
        summary=summary,
        officer_allegation=officer_allegation,
        source_detail=source_detail,
        complainant_name=complainant_name,
        complainant_phone=complainant_phone,
        cases=cases,
        officers=officers,
    )
    at, flags = acting_time(received_at)
    year = local_date(at).year
    sequence = next_sequence(court=court, year=year)
    department = (
        Department.SUPERVISION
        if user_has_role_at(actor, court, [Role.INSPECTOR])
        and not user_has_role_at(actor, court, policy.WORKING_GROUP_ROLES)
        else Department.EXECUTION
    )
    clue = Clue.objects.create(
        number=f"{court.code}双查〔{year}〕{sequence}号",
        year=year,
        sequence=sequence,
        court=court,
        source=source,
        source_detail=checked.source_detail,
        summary=checked.summary,
        officer_allegation=checked.officer_allegation,
        complainant_name=checked.complainant_name,
        complainant_phone=checked.complainant_phone,
        received_at=at,
        registered_by=actor,
        registered_department=department,
        petition_id=petition_id,
        alert_id=alert_id,
    )
    ClueCase.objects.bulk_create([ClueCase(clue=clue, case=c) for c in checked.cases])
    ClueOfficer.objects.bulk_create([ClueOfficer(clue=clue, **row) for row in checked.officers])
    if source == ClueSource.INSPECTION or department == Department.SUPERVISION:
        clue.to_meeting()
        clue.save(update_fields=["status", "updated_at"])
    record(
        clue,
        kind=ClueNode.REGISTERED,
        at=at,
        actor=actor,
        flags=flags,
        payload={"source": source, "cases": len(checked.cases)},
    )
    return clue


def _handling_court(actor: User, near: Court) -> Court:
    court = policy.handling_court_for(actor, near)
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
    case = petition.case if petition.case_id else None
    near = case.court if case is not None else petition.court
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
        cases=[case] if case is not None else [],
        petition_id=petition.pk,
    )
    petition_dualcheck_link(petition=petition, clue_id=clue.pk)
    return clue


@transaction.atomic
def clue_register_from_alert(*, actor: User, alert_id: int) -> Clue:
    """One click from a deadline alert (§3(八) 执行指挥中心运行管理中发现): the clue
    names the missed time limit and the case."""
    alert = alert_get_visible(actor, alert_id)
    if alert.case_id is None:
        raise InvalidTransition(_("该预警不涉及具体案件，不能转为一案双查线索。"), code="no_case")
    case = alert.case
    assert case is not None  # alert.case_id is set
    court = _handling_court(actor, alert.court)
    # Two clicks at once: registrations at ``court`` queue on its row (as numbering
    # does), so the second click finds the first one's clue.
    Court.objects.select_for_update(no_key=True, of=("self",)).filter(pk=court.pk).exists()
    if Clue.objects.filter(alert_id=alert.pk, court=court).exists():
        raise Conflict(_("该预警已转为一案双查线索。"), code="already_linked")
    summary = _("案件 %(case)s 的「%(rule)s」期限（%(due)s 届满）触发%(level)s预警，未按期办理。") % {
        "case": case.case_number,
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
        cases=[case],
        alert_id=alert.pk,
    )


@transaction.atomic
def clue_screen(
    *, actor: User, clue: Clue, proceed: bool, opinion: str, at: dt.datetime | None = None
) -> Clue:
    """工作组筛选 (§4): submit to the head of execution, or screen out (not launched)."""
    opinion = clean_text(opinion, "opinion", _("请填写筛选意见。"), limit=NOTE_MAX)
    at, flags = acting_time(at)
    clue = clue_get_for_update(actor, clue.pk)
    policy.check_screen(actor, clue)
    if proceed:
        clue.screen(by=actor, at=at, opinion=opinion)
    else:
        clue.screened_by, clue.screened_at, clue.screening_opinion = actor, at, opinion
        clue.drop(by=actor, at=at, reason=opinion)
    clue.save()
    record(clue, kind=ClueNode.SCREENED, at=at, actor=actor, flags=flags, payload={"proceed": proceed})
    return clue


@transaction.atomic
def clue_approve(
    *, actor: User, clue: Clue, approved: bool, opinion: str, at: dt.datetime | None = None
) -> Clue:
    """执行机构主要负责人审核 (§4); never the person who screened it."""
    opinion = clean_text(opinion, "opinion", _("请填写审核意见。"), limit=NOTE_MAX)
    at, flags = acting_time(at)
    clue = clue_get_for_update(actor, clue.pk)
    policy.check_approve(actor, clue)
    if approved:
        clue.approve(by=actor, at=at, opinion=opinion)
    else:
        clue.approved_by, clue.approved_at, clue.approval_opinion = actor, at, opinion
        clue.drop(by=actor, at=at, reason=opinion)
    clue.save()
    record(clue, kind=ClueNode.APPROVED, at=at, actor=actor, flags=flags, payload={"approved": approved})
    return clue


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
    clue = clue_get_for_update(actor, clue.pk)
    policy.check_decide(actor, clue)
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
        kind=ClueNode.MEETING_DECIDED,
        at=held_at,
        actor=actor,
        flags=flags,
        payload={"launch": launch},
    )
    return clue


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
    clue = clue_get_for_update(actor, clue.pk)
    policy.check_refer(actor, clue)
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
        kind=ClueNode.REFERRED,
        at=at,
        actor=actor,
        flags=flags,
        payload={"mode": mode, "target_court": target.code, "days": days, "referral": referral.number},
    )
    notify_clue_referred(clue=clue, target_court=target, days=days, actor=actor)
    return clue


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
    at, flags = acting_time(at)
    clue = clue_get_for_update(actor, clue.pk)
    policy.check_record_officers(actor, clue)
    errors = FieldErrors()
    rows = _officer_rows(clue.court, officers, actor, errors)
    errors.raise_if_any()
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
        kind=ClueNode.OFFICERS_RECORDED,
        at=at,
        actor=actor,
        flags=flags,
        payload={"officers": len(rows)},
    )
    return clue
