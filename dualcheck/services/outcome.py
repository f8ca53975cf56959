"""Conclusion, feedback, clarification and closure (双查规定 §9–§11), and the record
of confidential reads."""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.exceptions import (
    ApplicationError,
    RuleViolation,
    ValidationFailed,
)
from core.models import Court, User
from core.services.inputs import acting_time
from dualcheck import policy
from dualcheck.events import ClueNode
from dualcheck.models import (
    Clarification,
    Clue,
    ClueOfficer,
    Conclusion,
    ConclusionFinding,
    ConfidentialRead,
    Disposition,
    DispositionKind,
    Feedback,
    FeedbackMethod,
    MeetingPurpose,
    Team,
)
from dualcheck.policy import clarification_required, feedback_lead
from dualcheck.selectors import can_read_confidential, clue_get_for_update
from dualcheck.services.common import NOTE_MAX, as_id, clean_text, meeting_record, record
from supervision.selectors.orders import order_get_visible

# Dispositions that act on a court need it; a disciplinary referral names the
# officer and the authority it goes to (处分权限).
COURT_DISPOSITIONS = (
    DispositionKind.CORRECTION,
    DispositionKind.DEADLINE_ORDER,
    DispositionKind.INTERVIEW,
    DispositionKind.EVALUATION,
    DispositionKind.NOTIFICATION,
)


def _disposition_rows(actor: User, clue: Clue, dispositions) -> list[Disposition]:
    if not isinstance(dispositions, list | tuple):
        raise ValidationFailed.for_field("dispositions", _("应为列表。"))
    officers: dict[int | None, ClueOfficer] = {o.pk: o for o in ClueOfficer.objects.filter(clue=clue)}
    case_ids = set(clue.case_links.values_list("case_id", flat=True))
    rows = []
    for i, item in enumerate(dispositions):
        field = f"dispositions[{i}]"
        if not isinstance(item, dict):
            raise ValidationFailed.for_field(field, _("格式有误。"))
        kind = item.get("kind")
        if kind not in DispositionKind.values:
            raise ValidationFailed.for_field(f"{field}.kind", _("请选择处理方式（双查规定第九条）。"))
        detail = clean_text(item.get("detail"), f"{field}.detail", _("请填写处理内容。"), limit=NOTE_MAX)
        row = Disposition(kind=kind, detail=detail)
        if kind in COURT_DISPOSITIONS:
            court = item.get("target_court")
            if not isinstance(court, Court) or not court.path.startswith(clue.court.path):
                raise ValidationFailed.for_field(
                    f"{field}.target_court",
                    _("请选择 %(court)s 或其辖区的法院。") % {"court": clue.court.name},
                )
            row.target_court = court
        if kind == DispositionKind.DEADLINE_ORDER:
            if item.get("due_date") is None:
                raise ValidationFailed.for_field(f"{field}.due_date", _("督促限期办理须写明办理期限。"))
            row.due_date = item["due_date"]
        if kind in (DispositionKind.CORRECTION, DispositionKind.DEADLINE_ORDER) and item.get(
            "supervision_order"
        ):
            try:
                order = order_get_visible(actor, item["supervision_order"])
            except ApplicationError:
                order = None
            if order is None or order.case_id not in case_ids:
                raise ValidationFailed.for_field(
                    f"{field}.supervision_order", _("督办不存在，或不是本线索所涉案件的督办。")
                )
            row.supervision_order_id = order.pk
        if kind == DispositionKind.DISCIPLINARY:
            policy.check_record_disciplinary(actor, clue)
            officer = officers.get(as_id(item.get("officer")))
            if officer is None:
                raise ValidationFailed.for_field(f"{field}.officer", _("请选择本线索登记的涉及干警。"))
            row.officer = officer
            row.referred_to = clean_text(
                item.get("referred_to"),
                f"{field}.referred_to",
                _("请填写移送的法院或职能部门（处分权限）。"),
                limit=200,
            )
        rows.append(row)
    return rows


@transaction.atomic
def clue_conclude(
    *,
    actor: User,
    clue: Clue,
    finding: str,
    summary: str,
    participants: Iterable[User],
    minutes: str,
    dispositions: list[dict],
    held_at: dt.datetime | None = None,
) -> Conclusion:
    """联席会议会商形成检查结论 (§9) with its dispositions. A finding that the
    problem was (partly) real needs at least one disposition. The joint team's work
    ends here (its members' access ends with it)."""
    if finding not in ConclusionFinding.values:
        raise ValidationFailed.for_field("finding", _("请选择检查结论。"))
    summary = clean_text(summary, "summary", _("请填写结论意见。"))
    held_at, flags = acting_time(held_at)
    clue = clue_get_for_update(actor, clue.pk)
    policy.check_conclude(actor, clue)
    rows = _disposition_rows(actor, clue, dispositions or [])
    if finding != ConclusionFinding.UNSUBSTANTIATED and not rows:
        raise ValidationFailed.for_field(
            "dispositions", _("反映问题属实或部分属实的，须写明处理方式（双查规定第九条）。")
        )
    meeting = meeting_record(
        clue=clue,
        actor=actor,
        purpose=MeetingPurpose.CONCLUSION,
        held_at=held_at,
        participants=participants,
        minutes=minutes,
    )
    conclusion = Conclusion.objects.create(
        clue=clue, meeting=meeting, finding=finding, summary=summary, concluded_at=held_at, concluded_by=actor
    )
    for row in rows:
        row.conclusion = conclusion
    Disposition.objects.bulk_create(rows)
    Team.objects.filter(clue=clue, dissolved_at__isnull=True).update(dissolved_at=held_at)
    clue.conclude()
    clue.save()
    record(
        clue,
        kind=ClueNode.CONCLUDED,
        at=held_at,
        actor=actor,
        flags=flags,
        payload={"finding": finding, "dispositions": len(rows)},
    )
    return conclusion


@transaction.atomic
def clue_feedback(
    *, actor: User, clue: Clue, method: str, content: str, fed_back_at: dt.datetime | None = None
) -> Feedback:
    """反馈 to the complainant (§10), by the leading department."""
    if method not in FeedbackMethod.values:
        raise ValidationFailed.for_field("method", _("请选择反馈方式。"))
    content = clean_text(content, "content", _("请填写反馈及息访疏导情况。"), limit=NOTE_MAX)
    at, flags = acting_time(fed_back_at)
    clue = clue_get_for_update(actor, clue.pk)
    policy.check_feedback(actor, clue)
    lead = feedback_lead(clue)
    if at < clue.conclusion.concluded_at:
        raise ValidationFailed.for_field("fed_back_at", _("反馈时间早于结论时间。"))
    feedback = Feedback.objects.create(
        clue=clue, lead=lead, method=method, content=content, fed_back_at=at, fed_back_by=actor
    )
    clue.feed_back()
    clue.save()
    record(clue, kind=ClueNode.FED_BACK, at=at, actor=actor, flags=flags, payload={"lead": lead})
    return feedback


@transaction.atomic
def clue_clarify(
    *, actor: User, clue: Clue, scope: str, content: str, clarified_at: dt.datetime | None = None
) -> Clarification:
    """澄清 (§11), by the supervision department."""
    scope = clean_text(scope, "scope", _("请填写澄清范围。"), limit=500)
    content = clean_text(content, "content", _("请填写澄清内容。"), limit=NOTE_MAX)
    at, flags = acting_time(clarified_at)
    clue = clue_get_for_update(actor, clue.pk)
    policy.check_clarify(actor, clue)
    clarification = Clarification.objects.create(
        clue=clue, scope=scope, content=content, clarified_at=at, clarified_by=actor
    )
    record(clue, kind=ClueNode.CLARIFIED, at=at, actor=actor, flags=flags)
    return clarification


@transaction.atomic
def clue_close(*, actor: User, clue: Clue, note: str = "", closed_at: dt.datetime | None = None) -> Clue:
    """办结: the complainant has been answered (§10) and, where the allegation was
    untrue, the officers cleared (§11)."""
    note = clean_text(note, "note", "", limit=NOTE_MAX, required=False)
    at, flags = acting_time(closed_at)
    clue = clue_get_for_update(actor, clue.pk)
    policy.check_close(actor, clue)
    unmet = []
    if clue.complainant_name and not Feedback.objects.filter(clue=clue).exists():
        unmet.append("feedback")
    if clarification_required(clue) and not Clarification.objects.filter(clue=clue).exists():
        unmet.append("clarification")
    if unmet:
        labels = {"feedback": _("向反映人反馈（第十条）"), "clarification": _("澄清（第十一条）")}
        raise RuleViolation(
            _("尚不能办结，还需：%(what)s。") % {"what": "、".join(str(labels[u]) for u in unmet)},
            code="closure_conditions_unmet",
            extra={"unmet": unmet},
        )
    clue.close(by=actor, at=at, note=note)
    clue.save()
    record(clue, kind=ClueNode.CLOSED, at=at, actor=actor, flags=flags)
    return clue


def confidential_read(*, user: User, clue: Clue, what: str, via: str) -> bool:
    """Whether ``user`` may read ``clue``'s confidential content; when yes, the read
    is recorded (who, when, what, through which door) before anything is shown."""
    if not can_read_confidential(user, clue):
        return False
    ConfidentialRead.objects.create(clue=clue, user=user, what=what[:40], via=via[:10])
    return True


def confidential_reads_record(*, user: User, clues: Iterable[Clue], what: str, via: str) -> int:
    """Record one read per clue of a list whose confidential content ``user`` just
    searched or saw (the caller has filtered ``clues`` through ``confidential_q``).
    One INSERT whatever the number of clues."""
    rows = [ConfidentialRead(clue=clue, user=user, what=what[:40], via=via[:10]) for clue in clues]
    ConfidentialRead.objects.bulk_create(rows)
    return len(rows)
