"""The investigation (双查规定 §5–§8): the joint team, its methods and scope, the
report (four required parts), and the upper court's review."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.exceptions import InvalidTransition, RuleViolation, ValidationFailed
from core.models import Department, User
from core.services import clocks
from core.services.inputs import acting_time
from dualcheck import policy
from dualcheck.events import ClueNode
from dualcheck.models import (
    REPORT_SECTIONS,
    Clue,
    ClueOfficer,
    OfficerFinding,
    Referral,
    ReferralMode,
    Report,
    ReportAttachment,
    ReportStatus,
    Review,
    ReviewDecision,
    ScopeItem,
    Team,
    TeamMember,
    TeamMethod,
)
from dualcheck.selectors import active_team, clue_get_for_update
from dualcheck.services.common import (
    BOTH_DEPARTMENTS,
    NOTE_MAX,
    clean_choices,
    clean_officer_findings,
    clean_text,
    concerned_user_ids,
    days_in_range,
    record,
    referral_create,
    sides_at,
)
from dualcheck.services.notifications import notify_clue_referred, notify_supplement, notify_team_members

SUPPLEMENT_RULE = "DUALCHECK_SUPPLEMENT"
REPORT_RULES = ("DUALCHECK_REPORT", SUPPLEMENT_RULE)
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_TYPES = {
    "application/pdf",
    "image/jpeg",
    "image/png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/msword",
    "text/plain",
}


def _team_form_check(
    *, actor: User, clue: Clue, members: Iterable[dict], at: dt.datetime
) -> tuple[Referral, list[tuple[User, str, bool]]]:
    """Caller holds the clue's lock. Who may form the team, and its members (user,
    department, is_leader — exactly one leader); raises the first refusal."""
    policy.check_form_team(actor, clue)
    court = policy.investigating_court(clue)
    referral = clue.referrals.order_by("-referred_at", "-id").first()
    if referral is not None and at < referral.referred_at:
        raise ValidationFailed.for_field("formed_at", _("调查组组成时间早于交办时间。"))
    assert referral is not None  # a referred clue has its referral
    rows = list(members or [])
    if not rows:
        raise ValidationFailed.for_field("members", _("请选择调查组成员。"))
    concerned = concerned_user_ids(clue)
    chosen: dict[int, tuple[User, str, bool]] = {}
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            raise ValidationFailed.for_field(f"members[{i}]", _("格式有误。"))
        user, department = row.get("user"), row.get("department")
        if not isinstance(user, User):
            raise ValidationFailed.for_field(f"members[{i}].user", _("请选择人员。"))
        if department not in BOTH_DEPARTMENTS:
            raise ValidationFailed.for_field(f"members[{i}].department", _("部门应为执行机构或监察机构。"))
        if user.pk in concerned:
            raise RuleViolation(
                _("%(name)s 应当回避，不能参加本次联合调查组。") % {"name": user},
                code="conflict_of_interest",
                extra={"fields": {f"members[{i}].user": [str(_("该人员应当回避。"))]}},
            )
        if department not in sides_at(user, court):
            raise ValidationFailed.for_field(
                f"members[{i}].department",
                _("%(name)s 不是 %(court)s %(dept)s的人员。")
                % {"name": user, "court": court.name, "dept": Department(department).label},
            )
        if user.pk in chosen:
            raise ValidationFailed.for_field(f"members[{i}].user", _("同一人员选择了两次。"))
        chosen[user.pk] = (user, department, bool(row.get("is_leader")))
    departments = {d for _u, d, _l in chosen.values()}
    if not set(BOTH_DEPARTMENTS) <= departments:
        raise RuleViolation(
            _("联合调查组须由执行机构和监察机构人员共同组成（双查规定第五条）：每个部门至少一人。"),
            code="team_composition",
            extra={"departments": sorted(departments)},
        )
    leaders = [u for u, _d, lead in chosen.values() if lead]
    if len(leaders) > 1:
        raise ValidationFailed.for_field("members", _("调查组只能有一名组长。"))
    if not leaders:
        first = next(iter(chosen))
        user, department, _lead = chosen[first]
        chosen[first] = (user, department, True)
    return referral, list(chosen.values())


@transaction.atomic
def team_form(
    *, actor: User, clue: Clue, members: Iterable[dict], formed_at: dt.datetime | None = None
) -> Team:
    """组成联合调查组 (§5): people of the investigating court, at least one from its
    execution department and one from its supervision department, none of the
    officers concerned; one leader. ``members``: ``{"user", "department",
    "is_leader"}``."""
    at, flags = acting_time(formed_at)
    clue = clue_get_for_update(actor, clue.pk)
    referral, chosen = _team_form_check(actor=actor, clue=clue, members=members, at=at)
    court = policy.investigating_court(clue)
    team = Team.objects.create(
        clue=clue,
        referral=referral,
        court=court,
        formed_at=at,
        formed_by=actor,
    )
    TeamMember.objects.bulk_create(
        [TeamMember(team=team, user=u, department=d, is_leader=lead) for u, d, lead in chosen]
    )
    clue.start_investigation()
    clue.save()
    record(
        clue,
        kind=ClueNode.TEAM_FORMED,
        at=at,
        actor=actor,
        flags=flags,
        payload={"court": court.code, "members": len(chosen)},
    )
    notify_team_members(clue=clue, team=team, user_ids=[u.pk for u, _d, _lead in chosen], actor=actor)
    return team


def _team_of(clue: Clue) -> Team:
    """The active team of a clue whose team member the caller has checked
    (``policy.check_record_work`` and the like)."""
    team = active_team(clue)
    assert team is not None  # the member's team
    return team


@transaction.atomic
def team_record_work(
    *,
    actor: User,
    clue: Clue,
    methods: list[str] | None = None,
    scope: list[str] | None = None,
    notes: str | None = None,
) -> Team:
    """Record the methods used (§6) and the scope covered (§7)."""
    clue = clue_get_for_update(actor, clue.pk)
    policy.check_record_work(actor, clue)
    team = _team_of(clue)
    team = Team.objects.select_for_update().get(pk=team.pk)
    if methods is not None:
        team.methods = clean_choices(methods, TeamMethod.values, "methods")
    if scope is not None:
        team.scope = clean_choices(scope, ScopeItem.values, "scope")
    if notes is not None:
        team.work_notes = clean_text(notes, "notes", "", required=False)
    team.save(update_fields=["methods", "scope", "work_notes"])
    return team


def _draft(clue: Clue, team: Team, actor: User) -> Report:
    report = Report.objects.select_for_update().filter(clue=clue, round=clue.round).first()
    if report is None:
        report = Report.objects.create(clue=clue, team=team, round=clue.round, updated_by=actor)
    if report.status != ReportStatus.DRAFT:
        raise InvalidTransition(_("本轮调查报告已上报。"))
    return report


@transaction.atomic
def report_save(
    *,
    actor: User,
    clue: Clue,
    process: str | None = None,
    facts: str | None = None,
    analysis: str | None = None,
    opinion: str | None = None,
    officer_conduct: str | None = None,
    officer_findings: list[dict] | None = None,
) -> Report:
    """保存草稿: any part may still be empty. Omitted (None) parts keep their text."""
    clue = clue_get_for_update(actor, clue.pk)
    policy.check_write_report(actor, clue)
    team = _team_of(clue)
    parts = {
        "process": process,
        "facts": facts,
        "analysis": analysis,
        "opinion": opinion,
        "officer_conduct": officer_conduct,
    }
    cleaned = {k: clean_text(v, k, "", required=False) for k, v in parts.items() if v is not None}
    findings = clean_officer_findings(clue, officer_findings) if officer_findings is not None else None
    report = _draft(clue, team, actor)
    for key, value in cleaned.items():
        setattr(report, key, value)
    report.updated_by = actor
    report.save()
    if findings is not None:
        report.officer_findings.all().delete()
        OfficerFinding.objects.bulk_create(
            [OfficerFinding(report=report, officer=o, result=r, detail=d) for o, r, d in findings]
        )
    return report


@transaction.atomic
def report_submit(*, actor: User, clue: Clue, submitted_at: dt.datetime | None = None, **parts) -> Report:
    """上报调查报告 (§8): 调查经过、查明事实、问题分析、处理意见 all required; a
    finding for every officer concerned; at least one method recorded (§6). Stops
    the report clock."""
    at, flags = acting_time(submitted_at)
    report = report_save(actor=actor, clue=clue, **parts)
    clue = clue_get_for_update(actor, clue.pk)
    team = active_team(clue)
    missing = [key for key in REPORT_SECTIONS if not getattr(report, key).strip()]
    errors: dict[str, list[str]] = {
        key: [str(_("报告须包含“%(s)s”。") % {"s": REPORT_SECTIONS[key]})] for key in missing
    }
    officers = set(ClueOfficer.objects.filter(clue=clue).values_list("pk", flat=True))
    covered = set(report.officer_findings.values_list("officer_id", flat=True))
    if officers - covered:
        errors["officer_findings"] = [str(_("请对每一名被反映的干警写明查明情况。"))]
    if team is None or not team.methods:
        errors["methods"] = [str(_("请记录采取的调查方式（双查规定第六条）。"))]
    if errors:
        names = "、".join(str(REPORT_SECTIONS[k]) for k in missing)
        message = (
            _("调查报告缺少：%(names)s（双查规定第八条）。") % {"names": names}
            if missing
            else _("调查报告尚不完整。")
        )
        raise ValidationFailed(
            message, code="report_incomplete", extra={"fields": errors, "missing": missing}
        )
    if clue.report_deadline is not None and at < clue.report_deadline.started_at:
        # (the clock would refuse it as "stopped_at", a field no form has)
        raise ValidationFailed.for_field("submitted_at", _("上报时间早于交办或责令补充调查的时间。"))
    report.status = ReportStatus.SUBMITTED
    report.submitted_at, report.submitted_by = at, actor
    report.save(update_fields=["status", "submitted_at", "submitted_by"])
    clocks.clocks_stop_for_subject(subject=clue, rule_codes=REPORT_RULES, stopped_at=at, actor=actor)
    clue.report()
    clue.save()
    record(
        clue,
        kind=ClueNode.REPORT_SUBMITTED,
        at=at,
        actor=actor,
        flags=flags,
        payload={"round": report.round},
    )
    return report


@transaction.atomic
def report_attachment_add(
    *, actor: User, clue: Clue, name: str, content_type: str, data: bytes
) -> ReportAttachment:
    clue = clue_get_for_update(actor, clue.pk)
    policy.check_attach(actor, clue)
    team = _team_of(clue)
    name = clean_text(name, "file", _("请选择文件。"), limit=200).replace("/", "_").replace("\\", "_")
    if content_type not in ATTACHMENT_TYPES:
        raise ValidationFailed.for_field("file", _("只接受 PDF、图片、Word 或文本文件。"))
    if not data:
        raise ValidationFailed.for_field("file", _("文件为空。"))
    if len(data) > ATTACHMENT_MAX_BYTES:
        raise ValidationFailed.for_field("file", _("文件不能超过 10 MB。"))
    report = _draft(clue, team, actor)
    return ReportAttachment.objects.create(
        report=report, name=name, content_type=content_type, size=len(data), data=data, uploaded_by=actor
    )


@dataclass
class _ReviewInput:
    opinion: str
    days: int | None
    hearing_at: dt.datetime | None
    hearing_record: str


def _review_input_check(
    *, decision: str, opinion: str, days: int | None, hearing_at: dt.datetime | None, hearing_record: str
) -> _ReviewInput:
    """The decision and what it needs (a period, or the hearing held); raises."""
    if decision not in ReviewDecision.values:
        raise ValidationFailed.for_field("decision", _("请选择审查决定。"))
    opinion = clean_text(opinion, "opinion", _("请填写审查意见。"), limit=NOTE_MAX)
    if decision in (ReviewDecision.SUPPLEMENT, ReviewDecision.DIRECT):
        days = days_in_range(days, "days")
    else:
        days = None
    if decision == ReviewDecision.HEARING:
        if hearing_at is None:
            raise ValidationFailed.for_field("hearing_at", _("请填写听证时间。"))
        if timezone.is_naive(hearing_at):
            raise ValidationFailed.for_field("hearing_at", _("听证时间须带时区。"))
        if hearing_at > timezone.now():
            raise ValidationFailed.for_field("hearing_at", _("请在听证举行后记录听证情况。"))
        hearing_record = clean_text(hearing_record, "hearing_record", _("请填写听证情况。"))
    else:
        hearing_at, hearing_record = None, ""
    return _ReviewInput(opinion=opinion, days=days, hearing_at=hearing_at, hearing_record=hearing_record)


def _review_decision_apply(
    *, clue: Clue, actor: User, decision: str, days: int | None, opinion: str, at: dt.datetime
) -> None:
    """The review's effect on the clue. Caller holds the clue's lock and has checked
    the review: accepted; a supplementary investigation with its own clock; or the
    upper court investigating itself (the lower court's team stands down). A hearing
    leaves the report under review."""
    if decision == ReviewDecision.ACCEPT:
        clue.accept()
        clue.save()
    elif decision == ReviewDecision.SUPPLEMENT:
        deadline = clocks.clock_start(
            rule_code=SUPPLEMENT_RULE,
            court=policy.investigating_court(clue),
            subject=clue,
            subject_label=clue.number,
            started_at=at,
            duration=days,
            responsible=actor,  # as the referral's clock: the upper court's person, never the lower court's posts
        )
        clue.supplement(deadline=deadline)
        clue.save()
    elif decision == ReviewDecision.DIRECT:
        assert days is not None  # checked: a direct investigation has its period
        Team.objects.filter(clue=clue, dissolved_at__isnull=True).update(dissolved_at=at)
        referral_create(
            clue=clue,
            actor=actor,
            mode=ReferralMode.DIRECT,
            target_court=clue.court,
            days=days,
            instructions=opinion,
            at=at,
        )


@transaction.atomic
def clue_review(
    *,
    actor: User,
    clue: Clue,
    decision: str,
    opinion: str,
    days: int | None = None,
    hearing_at: dt.datetime | None = None,
    hearing_record: str = "",
    reviewed_at: dt.datetime | None = None,
) -> Review:
    """上级法院审查报告 (§8): accept; order a supplementary investigation within a
    new period (DUALCHECK_SUPPLEMENT); investigate directly (the lower court's team
    stands down, the upper court forms its own with a new report deadline); or
    record a hearing (the report stays under review)."""
    given = _review_input_check(
        decision=decision, opinion=opinion, days=days, hearing_at=hearing_at, hearing_record=hearing_record
    )
    opinion, days = given.opinion, given.days
    at, flags = acting_time(reviewed_at)
    clue = clue_get_for_update(actor, clue.pk)
    policy.check_review(actor, clue)  # maker ≠ checker among its rules
    report = Report.objects.filter(clue=clue, status=ReportStatus.SUBMITTED).order_by("-round").first()
    assert report is not None  # a reported clue has its submitted report
    review = Review.objects.create(
        clue=clue,
        report=report,
        decision=decision,
        opinion=opinion,
        days=days,
        hearing_at=given.hearing_at,
        hearing_record=given.hearing_record,
        reviewed_at=at,
        reviewed_by=actor,
    )
    _review_decision_apply(clue=clue, actor=actor, decision=decision, days=days, opinion=opinion, at=at)
    record(
        clue,
        kind=ClueNode.REVIEWED,
        at=at,
        actor=actor,
        flags=flags,
        payload={"decision": decision, "days": days},
    )
    if decision == ReviewDecision.SUPPLEMENT:
        notify_supplement(clue=clue, days=days, actor=actor)
    elif decision == ReviewDecision.DIRECT:
        notify_clue_referred(clue=clue, target_court=clue.court, days=days or 0, actor=actor)
    return review


def _team_member_change_check(
    *, clue: Clue, team: Team, add: Iterable[dict], remove: Iterable[User]
) -> tuple[set[int], list[tuple[User, str]]]:
    """Caller holds the team's lock. The members to remove (their ids) and to add
    (user, department); raises the first refusal."""
    court = policy.investigating_court(clue)
    members = {m.user_id: m for m in TeamMember.objects.filter(team=team, removed_at__isnull=True)}
    concerned = concerned_user_ids(clue)
    removing = {u.pk for u in remove}
    for pk in removing:
        if pk not in members:
            raise ValidationFailed.for_field("remove", _("该人员不是调查组成员。"))
    adding = []
    for i, row in enumerate(add or []):
        if not isinstance(row, dict):
            raise ValidationFailed.for_field(f"add[{i}]", _("格式有误。"))
        user, department = row.get("user"), row.get("department")
        if not isinstance(user, User):
            raise ValidationFailed.for_field(f"add[{i}].user", _("请选择人员。"))
        if department not in BOTH_DEPARTMENTS or department not in sides_at(user, court):
            raise ValidationFailed.for_field(
                f"add[{i}].department",
                _("%(name)s 不是 %(court)s 该部门的人员。") % {"name": user, "court": court.name},
            )
        if user.pk in concerned:
            raise RuleViolation(
                _("%(name)s 应当回避，不能参加本次联合调查组。") % {"name": user},
                code="conflict_of_interest",
            )
        if user.pk in members and user.pk not in removing:
            raise ValidationFailed.for_field(f"add[{i}].user", _("该人员已是调查组成员。"))
        adding.append((user, department))
    remaining = {m.department for pk, m in members.items() if pk not in removing} | {d for _u, d in adding}
    if not set(BOTH_DEPARTMENTS) <= remaining:
        raise RuleViolation(
            _("联合调查组须由执行机构和监察机构人员共同组成（双查规定第五条）：每个部门至少一人。"),
            code="team_composition",
        )
    return removing, adding


@transaction.atomic
def team_member_change(
    *,
    actor: User,
    clue: Clue,
    add: Iterable[dict] = (),
    remove: Iterable[User] = (),
    at: dt.datetime | None = None,
) -> Team:
    """Change the joint team while it investigates: add people of the investigating
    court (``{"user", "department"}``), remove members (their access to the clue ends
    with their next request). The team must still have both departments (§5)."""
    at, flags = acting_time(at)
    clue = clue_get_for_update(actor, clue.pk)
    policy.check_change_team(actor, clue)
    team = Team.objects.select_for_update().get(pk=_team_of(clue).pk)
    removing, adding = _team_member_change_check(clue=clue, team=team, add=add, remove=remove)
    TeamMember.objects.filter(team=team, user_id__in=removing, removed_at__isnull=True).update(removed_at=at)
    TeamMember.objects.bulk_create([TeamMember(team=team, user=u, department=d) for u, d in adding])
    if not TeamMember.objects.filter(team=team, removed_at__isnull=True, is_leader=True).exists():
        first = (
            TeamMember.objects.filter(team=team, removed_at__isnull=True).order_by("added_at", "pk").first()
        )
        assert first is not None  # the team keeps both departments
        TeamMember.objects.filter(pk=first.pk).update(is_leader=True)
    record(
        clue,
        kind=ClueNode.TEAM_CHANGED,
        at=at,
        actor=actor,
        flags=flags,
        payload={"added": len(adding), "removed": len(removing)},
    )
    notify_team_members(clue=clue, team=team, user_ids=[u.pk for u, _d in adding], actor=actor)
    return team
