"""执行信访 (322号 §30): receive, register, conclude, feed back, flag as a 一案双查 clue.

人民法院收到信访材料后5个工作日内必须录入执行信访办理系统，30个工作日内办结，并将
办理结果及时反馈当事人. Both clocks start when the material is received (the
regulation counts both periods from receipt, and so does the rule catalogue);
registering stops PETITION_REGISTER, concluding stops PETITION_CLOSE and starts
PETITION_FEEDBACK, which the feedback to the petitioner stops.
"""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.calendar import local_date
from core.exceptions import Conflict, FieldErrors, InvalidTransition, NotFound, ValidationFailed
from core.identity import validate_party_id, validate_phone
from core.models import Court, NodeEvent, User
from core.selectors import visible_courts
from core.services import clocks
from core.services.events import node_event_record
from core.services.inputs import acting_time, clean_name, clean_text, next_sequence
from enforcement.models import Case
from enforcement.selectors import cases_visible_to
from supervision import policy
from supervision.events import PetitionNode
from supervision.models import (
    FeedbackMethod,
    Petition,
    PetitionChannel,
    PetitionerKind,
    PetitionFinding,
    PetitionStatus,
)
from supervision.selectors.petitions import petition_get_for_update, petition_get_visible

REGISTER_RULE, CLOSE_RULE = "PETITION_REGISTER", "PETITION_CLOSE"
# 322号 §30 "并将办理结果及时反馈当事人": from 办结 to the feedback (the court's period).
FEEDBACK_RULE = "PETITION_FEEDBACK"
TEXT_MAX = 5000
NOTE_MAX = 1000


def _record(
    petition: Petition,
    *,
    kind: PetitionNode,
    at: dt.datetime,
    actor: User,
    flags: list[str],
    payload: dict[str, Any] | None = None,
    on_case: bool = True,
) -> NodeEvent:
    return node_event_record(
        kind=kind,
        court=petition.court,
        case=petition.case if on_case else None,
        occurred_at=at,
        actor=actor,
        subject=petition,
        subject_label=str(petition),
        payload={"petition": petition.pk, "number": petition.number, **(payload or {})},
        flags=flags,
    )


def _require_state(petition: Petition, allowed: tuple[str, ...], message: Any) -> None:
    if petition.status not in allowed:
        raise InvalidTransition(message, extra={"status": petition.status})


def _petitioner_id_check(kind: str, id_number: str) -> str:
    if not (id_number or "").strip():
        return ""
    try:
        return validate_party_id(kind, id_number)
    except ValidationFailed as exc:
        raise ValidationFailed.for_field("petitioner_id_number", exc.message, code=exc.code) from None


def _petitioner_phone_check(phone: str) -> str:
    if not (phone or "").strip():
        return ""
    try:
        return validate_phone(phone)
    except ValidationFailed as exc:
        raise ValidationFailed.for_field("petitioner_phone", exc.message, code=exc.code) from None


def _petition_case_check(actor: User, court: Court, case: Case | None) -> Case | None:
    """The petition may concern a case of the receiving court or of a court below
    it (四级法院统一办理), as long as the person recording it can see the case."""
    if case is None:
        return None
    if not cases_visible_to(actor).filter(pk=case.pk).exists():
        raise ValidationFailed.for_field("case", _("案件不存在或不在您的可见范围内。"))
    case = Case.objects.select_related("court").get(pk=case.pk)
    if not case.court.path.startswith(court.path):
        raise ValidationFailed.for_field(
            "case", _("关联案件须是 %(court)s 或其辖区法院的案件。") % {"court": court.name}
        )
    return case


def _petition_receive_check(
    *,
    actor: User,
    court: Court,
    channel: str,
    petitioner_name: str,
    content: str,
    petitioner_kind: str,
    petitioner_id_number: str,
    petitioner_phone: str,
    case: Case | None,
) -> dict[str, Any]:
    """Who may receive at ``court`` and the inputs, cleaned: the fields of the new
    petition (without the moment of receipt)."""
    if not visible_courts(actor).filter(pk=court.pk).exists():
        raise NotFound(_("法院不存在或不在您的可见范围内。"))
    policy.require_petition_staff(actor, court)
    errors = FieldErrors()  # every field's refusal in one answer
    if channel not in PetitionChannel.values:
        errors.add("channel", _("请选择信访渠道。"))
    name = errors.catch(
        clean_name, petitioner_name, "petitioner_name", _("请填写信访人姓名或名称。"), limit=100
    )
    id_number = None
    if petitioner_kind not in PetitionerKind.values:
        errors.add("petitioner_kind", _("信访人类型应为自然人或法人或其他组织。"))
    else:
        id_number = errors.catch(_petitioner_id_check, petitioner_kind, petitioner_id_number)
    phone = errors.catch(_petitioner_phone_check, petitioner_phone)
    text = errors.catch(clean_text, content, "content", _("请填写信访内容。"), limit=TEXT_MAX)
    linked = errors.catch(_petition_case_check, actor, court, case)
    errors.raise_if_any()
    return {
        "court": court,
        "channel": channel,
        "petitioner_name": name,
        "petitioner_kind": petitioner_kind,
        "petitioner_id_number": id_number,
        "petitioner_phone": phone,
        "content": text,
        "case": linked,
    }


@transaction.atomic
def petition_receive(
    *,
    actor: User,
    court: Court,
    channel: str,
    petitioner_name: str,
    content: str,
    received_at: dt.datetime | None = None,
    petitioner_kind: str = PetitionerKind.PERSON,
    petitioner_id_number: str = "",
    petitioner_phone: str = "",
    case: Case | None = None,
) -> Petition:
    """收到信访材料 (接访即办): starts PETITION_REGISTER (5 working days) and
    PETITION_CLOSE (30 working days), both from receipt (322号 §30)."""
    fields = _petition_receive_check(
        actor=actor,
        court=court,
        channel=channel,
        petitioner_name=petitioner_name,
        content=content,
        petitioner_kind=petitioner_kind,
        petitioner_id_number=petitioner_id_number,
        petitioner_phone=petitioner_phone,
        case=case,
    )
    case = fields["case"]
    received_at, flags = acting_time(received_at)
    petition = Petition.objects.create(**fields, received_at=received_at, received_by=actor)
    # The clocks belong to the petition, not to the case: suspending or closing the
    # case (which pauses or ends the case's clocks) does not stop the 5- and
    # 30-working-day periods of a petition about it.
    common = {
        "court": court,
        "subject": petition,
        "subject_label": str(petition),
        "responsible": case.handler if case is not None else None,
        "started_at": received_at,
    }
    petition.register_deadline = clocks.clock_start(rule_code=REGISTER_RULE, **common)
    petition.close_deadline = clocks.clock_start(rule_code=CLOSE_RULE, **common)
    petition.save(update_fields=["register_deadline", "close_deadline", "updated_at"])
    _record(
        petition,
        kind=PetitionNode.RECEIVED,
        at=received_at,
        actor=actor,
        flags=flags,
        payload={"channel": channel, "case": case.case_number if case else None},
    )
    return petition


@transaction.atomic
def petition_register(*, actor: User, petition: Petition, at: dt.datetime | None = None) -> Petition:
    """录入 (登记): the petition gets its registration number; stops
    PETITION_REGISTER (met within 5 working days of receipt, else breached)."""
    petition = petition_get_visible(actor, petition.pk)
    policy.require_petition_staff(actor, petition.court)
    at, flags = acting_time(at)
    petition = petition_get_for_update(petition)
    _require_state(petition, (PetitionStatus.RECEIVED,), _("该信访已录入。"))
    if at < petition.received_at:
        raise ValidationFailed.for_field("registered_at", _("录入时间早于收到时间。"))
    year = local_date(at).year
    sequence = next_sequence(model=Petition, court=petition.court, court_field="court", year=year)
    petition.register(
        number=f"{petition.court.code}信〔{year}〕{sequence}号", year=year, sequence=sequence, by=actor, at=at
    )
    petition.save()
    clocks.clocks_stop_for_subject(subject=petition, rule_codes=[REGISTER_RULE], stopped_at=at, actor=actor)
    _record(petition, kind=PetitionNode.REGISTERED, at=at, actor=actor, flags=flags)
    return petition


@transaction.atomic
def petition_conclude(
    *,
    actor: User,
    petition: Petition,
    result: str,
    finding: str,
    measures: str = "",
    concluded_at: dt.datetime | None = None,
) -> Petition:
    """办结: the result, whether the petition was founded (是否属实) and the measures
    taken. Stops PETITION_CLOSE and starts PETITION_FEEDBACK. A founded petition
    needs its measures (有错必纠). The handler of the case complained about — now or
    before a reassignment — may not conclude it (403 ``petition_concluder_conflict``)."""
    petition = petition_get_visible(actor, petition.pk)
    policy.require_petition_concluder(actor, petition)
    errors = FieldErrors()  # every field's refusal in one answer
    cleaned = errors.catch(clean_text, result, "result", _("请填写办理结果。"), limit=TEXT_MAX)
    if finding not in PetitionFinding.values:
        errors.add("finding", _("请选择信访反映的问题是否属实。"))
    measures = (measures or "").strip()
    if finding in (PetitionFinding.TRUE, PetitionFinding.PARTLY_TRUE) and not measures:
        errors.add("measures", _("信访反映的问题属实的，须填写采取的纠正措施（有错必纠）。"))
    if len(measures) > TEXT_MAX:
        errors.add("measures", _("内容过长：最多 %(n)s 字。") % {"n": TEXT_MAX})
    errors.raise_if_any()
    result = cleaned or ""
    at, flags = acting_time(concluded_at)
    petition = petition_get_for_update(petition)
    _require_state(
        petition, (PetitionStatus.REGISTERED,), _("只有已录入、未办结的信访可以办结（请先录入）。")
    )
    if at < petition.received_at:
        raise ValidationFailed.for_field("concluded_at", _("办结时间早于收到时间。"))
    petition.conclude(by=actor, at=at, result=result, finding=finding, measures=measures)
    petition.save()
    clocks.clocks_stop_for_subject(subject=petition, rule_codes=[CLOSE_RULE], stopped_at=at, actor=actor)
    petition.feedback_deadline = clocks.clock_start(
        rule_code=FEEDBACK_RULE,
        court=petition.court,
        subject=petition,
        subject_label=str(petition),
        responsible=actor,
        started_at=at,
    )
    petition.save(update_fields=["feedback_deadline", "updated_at"])
    _record(
        petition,
        kind=PetitionNode.CONCLUDED,
        at=at,
        actor=actor,
        flags=flags,
        payload={"finding": finding},
    )
    return petition


@transaction.atomic
def petition_feedback(
    *,
    actor: User,
    petition: Petition,
    method: str,
    note: str = "",
    fed_back_at: dt.datetime | None = None,
) -> Petition:
    """反馈: the result is told to the petitioner (when and how); the petition is
    closed (事事有回应) and PETITION_FEEDBACK stops (met within the court's period of
    办结, else breached)."""
    petition = petition_get_visible(actor, petition.pk)
    policy.require_petition_feedback_giver(actor, petition)
    if method not in FeedbackMethod.values:
        raise ValidationFailed.for_field("method", _("请选择反馈方式。"))
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationFailed.for_field("note", _("内容过长：最多 %(n)s 字。") % {"n": NOTE_MAX})
    at, flags = acting_time(fed_back_at)
    petition = petition_get_for_update(petition)
    _require_state(petition, (PetitionStatus.CONCLUDED,), _("只有已办结的信访可以反馈结果。"))
    if petition.concluded_at is not None and at < petition.concluded_at:  # set once concluded
        raise ValidationFailed.for_field("fed_back_at", _("反馈时间早于办结时间。"))
    petition.feed_back(by=actor, at=at, how=method, note=note)
    petition.save()
    clocks.clocks_stop_for_subject(subject=petition, rule_codes=[FEEDBACK_RULE], stopped_at=at, actor=actor)
    _record(
        petition,
        kind=PetitionNode.FED_BACK,
        at=at,
        actor=actor,
        flags=flags,
        payload={"method": method},
    )
    return petition


@transaction.atomic
def petition_flag_dualcheck(
    *, actor: User, petition: Petition, reason: str, at: dt.datetime | None = None
) -> Petition:
    """转一案双查线索 (双查规定 §3(一); 322号 §31 涉执信访): recorded here with who,
    when and why; the dualcheck app takes it up (``petitions_flagged_for_dualcheck``
    then ``petition_dualcheck_link``)."""
    petition = petition_get_visible(actor, petition.pk)
    policy.require_petition_dualcheck_role(actor, petition)
    reason = clean_text(reason, "reason", _("请说明转为一案双查线索的理由。"), limit=NOTE_MAX)
    at, flags = acting_time(at)
    petition = petition_get_for_update(petition)
    if petition.dualcheck_flagged_at is not None:
        raise Conflict(_("该信访已转为一案双查线索。"), code="already_flagged")
    petition.dualcheck_flagged_at, petition.dualcheck_flagged_by, petition.dualcheck_reason = (
        at,
        actor,
        reason,
    )
    petition.save(
        update_fields=["dualcheck_flagged_at", "dualcheck_flagged_by", "dualcheck_reason", "updated_at"]
    )
    _record(
        petition,
        kind=PetitionNode.FLAGGED_DUALCHECK,
        at=at,
        actor=actor,
        flags=flags,
        # Not on the case timeline, and without the reason: the officers concerned
        # read that timeline and must not be tipped off (双查 confidentiality).
        on_case=False,
    )
    return petition


@transaction.atomic
def petition_dualcheck_link(*, petition: Petition, clue_id: int) -> Petition:
    """The hook for the dualcheck app: record that its clue ``clue_id`` was made
    from this flagged petition (idempotent for the same clue). The dualcheck
    service that creates the clue has checked its own permissions."""
    petition = petition_get_for_update(petition)
    if petition.dualcheck_flagged_at is None:
        raise InvalidTransition(_("该信访未被转为一案双查线索。"), code="not_flagged")
    if petition.dualcheck_clue_id not in (None, clue_id):
        raise Conflict(_("该信访已对应另一条一案双查线索。"), code="already_linked")
    if petition.dualcheck_clue_id != clue_id:
        petition.dualcheck_clue_id = clue_id
        petition.save(update_fields=["dualcheck_clue_id", "updated_at"])
    return petition
