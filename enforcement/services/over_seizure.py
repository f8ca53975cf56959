"""超标的查封 after the seizure (322号 §15): the release of the excess part (分割查封,
a partial ``control_release``), the 分割查封 item's progress, and the 超标的查封异议
with its ruling. "评估期间不停止查封": an objection never stops the measure or its
CONTROL_EXPIRY clock."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core import messages
from core.exceptions import InvalidTransition, ValidationFailed
from core.models import User
from enforcement.events import ControlNode
from enforcement.models import (
    Case,
    ControlMeasure,
    ControlStatus,
    ObjectionRuling,
    ObjectionStatus,
    SeizureObjection,
    SplitSeizure,
    SplitStatus,
)
from enforcement.selectors import (
    case_get_for_update,
    control_measure_get_for_update,
    seizure_objection_get_for_update,
    split_seizure_get_for_update,
)
from enforcement.services.common import check_time, record_node, require_open
from enforcement.services.measures import asset_value

SPLIT_STEPS = {
    "applied": ("applied_at", _("被执行人申请分割登记")),
    "coordinated": ("coordinated_at", _("协调登记机构")),
    "registered": ("registered_at", _("办理分割登记")),
}


def _release_excess(
    *, actor: User, case: Case, measure: ControlMeasure, at: dt.datetime, reason: str, share: str,
    share_value: Decimal | None,
) -> ControlMeasure:
    """Keep the measure on ``share`` (worth ``share_value``) and release the rest.
    Caller holds the case's lock and has the measure locked."""
    errors: dict[str, list[str]] = {}
    if measure.status != ControlStatus.ACTIVE:
        raise InvalidTransition(_("该控制措施已不在有效状态。"))
    if not share.strip():
        errors["share"] = [str(_("请写明继续查封的部分（份额或面积）。"))]
    if share_value is None:
        errors["share_value"] = [str(_("请填写继续查封部分的价值。"))]
    elif share_value <= 0:
        errors["share_value"] = [str(messages.AMOUNT_NOT_POSITIVE)]
    else:
        current = measure.share_value if measure.share_value is not None else asset_value(measure.asset)
        if current is not None and share_value >= current:
            errors["share_value"] = [str(_("继续查封部分的价值应小于当前查封的价值 %(v)s 元。") % {"v": current})]
    if not reason.strip():
        errors["reason"] = [str(_("请填写解除理由。"))]
    if measure.kind != "seize_real_estate" and measure.amount is not None:
        errors["share_value"] = [str(_("有具体控制金额的措施请解除后重新控制。"))]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], extra={"fields": errors})
    previous = {"share": measure.share, "share_value": str(measure.share_value) if measure.share_value is not None else None,
                "whole": measure.whole_because_indivisible}
    measure.share, measure.share_value, measure.whole_because_indivisible = share.strip()[:200], share_value, False
    measure.save(update_fields=["share", "share_value", "whole_because_indivisible"])
    closed = []
    for split in measure.splits.select_for_update().filter(status=SplitStatus.OPEN):
        split.close(at=at)
        split.save()
        closed.append(split.pk)
    record_node(case=case, kind=ControlNode.PARTIALLY_RELEASED, occurred_at=at, actor=actor, subject=measure,
                payload={"reason": reason.strip()[:500], "share": measure.share, "share_value": str(share_value),
                         "previous": previous, "splits_closed": closed})
    return measure


@transaction.atomic
def control_release_excess(
    *, actor: User, measure: ControlMeasure, at: dt.datetime, reason: str, share: str, share_value: Decimal | None
) -> ControlMeasure:
    """解除超标的部分的查封 (322号 §15): the measure stays on the part kept (its expiry
    and clock unchanged); an open 分割查封 item closes."""
    case = case_get_for_update(actor=actor, case=measure.case_id)
    require_open(case)
    check_time(at)
    measure = control_measure_get_for_update(measure.pk)
    if at < measure.effective_at:
        raise ValidationFailed.for_field("at", _("解除时间早于查封生效时间。"))
    return _release_excess(actor=actor, case=case, measure=measure, at=at, reason=reason, share=share,
                           share_value=share_value)


@transaction.atomic
def split_seizure_progress(*, actor: User, split: SplitSeizure, step: str, at: dt.datetime) -> SplitSeizure:
    """Record one step of a 分割查封 item: the respondent's application, the
    coordination with the registry, the 分割登记 (each once, in order)."""
    case = case_get_for_update(actor=actor, case=split.case_id)
    check_time(at)
    split = split_seizure_get_for_update(split.pk)
    if split.status != SplitStatus.OPEN:
        raise InvalidTransition(_("该分割查封事项已办结。"))
    if step not in SPLIT_STEPS:
        raise ValidationFailed.for_field("step", _("分割查封进展事项无效。"))
    field, _label = SPLIT_STEPS[step]
    if getattr(split, field) is not None:
        raise InvalidTransition(_("该事项已登记。"))
    if at < split.opened_at:
        raise ValidationFailed.for_field("at", _("时间早于整体查封时间。"))
    setattr(split, field, at)
    split.save(update_fields=[field])
    record_node(case=case, kind=ControlNode.SPLIT_STEP, occurred_at=at, actor=actor, subject=split,
                payload={"step": step, "measure": split.measure_id})
    return split


@transaction.atomic
def seizure_objection_file(
    *,
    actor: User,
    measure: ControlMeasure,
    party_id: int,
    filed_at: dt.datetime,
    grounds: str,
    appraisal_requested: bool = False,
    case_number: str = "",
) -> SeizureObjection:
    """超标的查封异议 by a party. The measure stays active and its CONTROL_EXPIRY
    keeps running ("评估期间不停止查封")."""
    case = case_get_for_update(actor=actor, case=measure.case_id)
    require_open(case)
    check_time(filed_at)
    measure = control_measure_get_for_update(measure.pk)
    errors: dict[str, list[str]] = {}
    party = case.parties.filter(pk=party_id).first()
    if party is None:
        errors["party"] = [str(_("异议人须为本案当事人。"))]
    if not grounds.strip():
        errors["grounds"] = [str(_("请填写异议理由。"))]
    if filed_at < measure.effective_at:
        errors["filed_at"] = [str(_("异议时间早于查封生效时间。"))]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], extra={"fields": errors})
    if measure.status != ControlStatus.ACTIVE:
        raise InvalidTransition(_("该控制措施已不在有效状态，不能提出超标的查封异议。"))
    if measure.objections.filter(status=ObjectionStatus.PENDING).exists():
        raise InvalidTransition(_("该控制措施已有审查中的超标的查封异议。"), code="objection_pending")
    objection = SeizureObjection.objects.create(
        case=case, measure=measure, party=party, filed_at=filed_at, grounds=grounds.strip()[:1000],
        appraisal_requested=appraisal_requested, objection_case_number=case_number.strip()[:60], created_by=actor,
    )
    record_node(case=case, kind=ControlNode.OBJECTION_FILED, occurred_at=filed_at, actor=actor, subject=objection,
                payload={"measure": measure.pk, "party": party.pk if party else None, "grounds": objection.grounds,
                         "appraisal_requested": appraisal_requested, "case_number": objection.objection_case_number})
    return objection


@transaction.atomic
def seizure_objection_decide(
    *,
    actor: User,
    objection: SeizureObjection,
    ruling: str,
    decided_at: dt.datetime,
    note: str,
    appraisal_value: Decimal | None = None,
    case_number: str = "",
    share: str = "",
    share_value: Decimal | None = None,
) -> SeizureObjection:
    """The ruling on an objection. Upheld with the part to keep (``share``,
    ``share_value``): the excess is released at once (322号 §15)."""
    case = case_get_for_update(actor=actor, case=objection.case_id)
    check_time(decided_at)
    objection = seizure_objection_get_for_update(objection.pk)
    errors: dict[str, list[str]] = {}
    if ruling not in ObjectionRuling.values:
        errors["ruling"] = [str(_("请选择裁定结果。"))]
    if not note.strip():
        errors["note"] = [str(_("请填写裁定理由。"))]
    if decided_at < objection.filed_at:
        errors["decided_at"] = [str(_("裁定时间早于提出异议的时间。"))]
    if appraisal_value is not None and appraisal_value <= 0:
        errors["appraisal_value"] = [str(messages.AMOUNT_NOT_POSITIVE)]
    if ruling != ObjectionRuling.UPHELD and (share.strip() or share_value is not None):
        errors["share_value"] = [str(_("驳回异议时不解除查封部分。"))]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], extra={"fields": errors})
    if objection.status != ObjectionStatus.PENDING:
        raise InvalidTransition(_("该异议已裁定。"))
    objection.decide(ruling=ruling, at=decided_at, note=note.strip()[:1000], appraisal_value=appraisal_value,
                     case_number=case_number.strip()[:60])
    objection.save()
    record_node(case=case, kind=ControlNode.OBJECTION_DECIDED, occurred_at=decided_at, actor=actor, subject=objection,
                payload={"measure": objection.measure_id, "ruling": ruling, "note": objection.ruling_note,
                         "appraisal_value": str(appraisal_value) if appraisal_value is not None else None,
                         "case_number": objection.objection_case_number})
    if ruling == ObjectionRuling.UPHELD and (share.strip() or share_value is not None):
        measure = control_measure_get_for_update(objection.measure_id)
        _release_excess(actor=actor, case=case, measure=measure, at=decided_at,
                        reason=str(_("超标的查封异议成立：%(n)s") % {"n": objection.ruling_note}),
                        share=share, share_value=share_value)
    return objection
