"""Control measures (查封/扣押/冻结, 322号 §15) and credit measures (限制消费令 / 失信名单,
322号 §23) — each node starts and stops its clocks."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core import messages
from core.calendar import WorkingCalendar, local_date, start_of_day
from core.exceptions import FieldErrors, InvalidTransition, RuleViolation, ValidationFailed
from core.models import User
from core.services import clocks
from custody_funds import selectors as funds_selectors
from enforcement.events import AssetNode, ControlNode, CreditNode
from enforcement.models import (
    Approval,
    ApprovalKind,
    ApprovalStatus,
    Asset,
    AssetStatus,
    Case,
    ControlKind,
    ControlMeasure,
    ControlStatus,
    CreditKind,
    CreditMeasure,
    CreditStatus,
    EstimateBasis,
    PartyRole,
    SplitSeizure,
)
from enforcement.models.measures import CONTROL_TERM_MONTHS, CONTROL_TERM_VARIANT
from enforcement.selectors import (
    approval_get_for_update,
    asset_get_for_update,
    case_get_for_update,
    control_measure_get_for_update,
    credit_measure_get_for_update,
)
from enforcement.services.common import (
    check_time,
    record_node,
    require_open_or_closing,
    start_if_received,
)
from enforcement.services.credit import (
    RestrictedPersonInput,
    restricted_persons_check,
    restricted_persons_create,
)


def measure_value(measure: ControlMeasure) -> Decimal | None:
    """What one measure holds (spec §7.1): its amount; else the part seized (分割查封);
    else the asset's appraised / reference value; else its reasoned estimate; else
    unknown (None) — never zero."""
    if measure.amount is not None:
        return measure.amount
    if measure.share_value is not None:
        return measure.share_value
    return asset_value(measure.asset)


def asset_value(asset: Asset) -> Decimal | None:
    """The asset's value (appraisal / reference price), else its reasoned estimate."""
    return asset.value if asset.value is not None else asset.estimated_value


def controlled_value(case: Case) -> Decimal:
    """The value under control now: the sum of the active measures whose value is
    known. Measures of unknown value are listed by ``controlled_unknown``."""
    return sum(
        (v for m in _active_measures(case) if (v := measure_value(m)) is not None), Decimal(0)
    )


def controlled_unknown(case: Case) -> list[int]:
    """The active measures whose value nobody knows (admitted by an approval)."""
    return [m.pk for m in _active_measures(case) if measure_value(m) is None]


def _active_measures(case: Case) -> list[ControlMeasure]:
    return list(case.control_measures.filter(status=ControlStatus.ACTIVE).select_related("asset"))


def outstanding_claim(case: Case) -> tuple[Decimal, Decimal]:
    """``(outstanding, recovered)``: claim + costs − what was already recovered
    (paid out, deposited or still on the case account; custody_funds), never below 0."""
    cent = Decimal("0.01")
    recovered = funds_selectors.case_recovered(case).quantize(cent)
    return max(case.claim_amount + case.costs - recovered, Decimal(0)).quantize(cent), recovered


def seizure_limit(case: Case) -> Decimal:
    """322号 §15 "以其价值足以清偿生效法律文书确定的债权额为限": the outstanding claim
    plus the margin (``ENFORCEMENT_OVERSEIZURE_MARGIN``)."""
    margin = Decimal(str(settings.ENFORCEMENT_OVERSEIZURE_MARGIN))
    outstanding, _recovered = outstanding_claim(case)
    return (outstanding * (1 + margin)).quantize(Decimal("0.01"))


def expiry_date(kind: str, effective_on: dt.date) -> dt.date:
    """民诉法解释 §485 terms counted like every period (the start day not counted)."""
    months = CONTROL_TERM_MONTHS[CONTROL_TERM_VARIANT[ControlKind(kind)]]
    return WorkingCalendar(loaded_years=frozenset()).add_months(effective_on, months, roll=False)


def _control_create_check(
    *, case: Case, asset: Asset, kind: str, amount: Decimal | None, effective_at: dt.datetime
) -> Asset:
    """Refuse a measure the case, the kind, the amount or the asset does not allow;
    return the asset, locked. Caller holds the case's lock."""
    require_open_or_closing(case)
    check_time(effective_at)
    errors = FieldErrors()  # every field's refusal in one answer
    if kind not in ControlKind.values:
        errors.add("kind", _("控制措施类型无效。"))
    if kind == ControlKind.FREEZE_DEPOSIT and amount is None:
        errors.add("amount", _("冻结存款必须明确具体冻结数额（322号第15条）。"))
    if amount is not None and amount <= 0:
        errors.add("amount", messages.AMOUNT_NOT_POSITIVE)
    asset = asset_get_for_update(asset.pk, with_category=True)
    if asset.case_id != case.pk:
        errors.add("asset", _("该财产不属于本案。"))
    elif effective_at < asset.found_at:
        errors.add("effective_at", _("生效时间早于查明财产的时间。"))
    errors.raise_if_any()
    if asset.status not in (AssetStatus.FOUND, AssetStatus.RELEASED):
        raise InvalidTransition(_("该财产当前状态（%(s)s）不能再采取控制措施。") % {"s": asset.get_status_display()})
    return asset


def _over_seizure_override(
    *,
    actor: User,
    case: Case,
    asset: Asset,
    adding: Decimal | None,
    override_reason: str | None,
    override_approval: Approval | None,
) -> Approval | None:
    """None when the measure's value is known and stays within the limit (322号 §15).
    A value nobody knows (no amount, no appraisal, no reasoned estimate) is never
    counted as zero: ``over_seizure_value_unknown``. Over the limit: ``over_seizure``.
    Either passes only with an approved OVER_SEIZURE request for this asset, decided
    by an approver other than the requester (``approval_decide``), used once. The
    bureau head's own decision (径行批准) is gone: ``override_reason`` alone passes nothing."""
    margin = Decimal(str(settings.ENFORCEMENT_OVERSEIZURE_MARGIN))
    outstanding, recovered = outstanding_claim(case)
    limit = (outstanding * (1 + margin)).quantize(Decimal("0.01"))
    controlled = controlled_value(case).quantize(Decimal("0.01"))
    unknown = controlled_unknown(case)
    extra: dict[str, Any] = {
        "limit": str(limit), "outstanding": str(outstanding), "recovered": str(recovered),
        "controlled": str(controlled), "adding": str(adding) if adding is not None else None,
    }
    if adding is None or unknown:
        code = "over_seizure_value_unknown"
        extra |= {"after": None, "asset": asset.pk, "unknown_measures": unknown,
                  "missing": ["amount", "estimated_value", "estimate_basis", "estimate_note"] if adding is None else []}
        message = (
            _("“%(a)s”没有评估价、参考价，也没有有依据的估算价值，无法判断是否超标的查封（322号第15条）。"
              "请填写估算价值、估算依据和估算说明，或提出超标的查封审批申请，说明无法估算的理由。")
            % {"a": asset.description}
            if adding is None else
            _("本案已有价值不明的控制措施，无法判断是否超标的查封（322号第15条）。请先补充其估算价值，或提出超标的查封审批申请。")
        )
    else:
        after = controlled + adding
        extra["after"] = str(after)
        if after <= limit:
            return None
        code, message = "over_seizure", (
            _("控制财产价值 %(after)s 元将超过尚未清偿的债权（申请执行标的与执行费用减去已执行到位 %(rec)s 元，"
              "含 %(m)s%% 幅度）%(limit)s 元，构成超标的查封（322号第15条）。"
              "如确有必要，请提出超标的查封审批申请，由申请人以外的执行局长或院领导批准。")
            % {"after": after, "rec": recovered, "limit": limit, "m": int(margin * 100)}
        )
    if override_approval is None:
        if override_reason and override_reason.strip():
            extra["approval_required"] = True
        raise RuleViolation(message, code=code, extra=extra)
    used_override = approval_get_for_update(override_approval.pk)
    covers = used_override.payload.get("amount")
    if (
        used_override.case_id != case.pk
        or used_override.kind != ApprovalKind.OVER_SEIZURE
        or used_override.status != ApprovalStatus.APPROVED
        or used_override.payload.get("asset") not in (None, asset.pk)
        or (covers not in (None, "") and adding is not None and adding > Decimal(str(covers)))
    ):
        raise RuleViolation(_("所附超标的查封审批无效、不针对该财产或已使用。"), code=code,
                            extra=extra | {"override_approval": used_override.pk})
    used_override.use()
    used_override.save()
    return used_override


def _share_check(
    *, asset: Asset, kind: str, amount: Decimal | None, share: str, share_value: Decimal | None,
    whole_because_indivisible: bool, registry_refusal: str,
) -> dict[str, list[str]]:
    """分割查封 (322号 §15): the part seized with its value, or the whole because the
    registry refused to split — with its refusal on record. Returns the errors by field."""
    errors: dict[str, list[str]] = {}
    if share_value is not None:
        if share_value <= 0:
            errors["share_value"] = [str(messages.AMOUNT_NOT_POSITIVE)]
        elif (whole := asset_value(asset)) is not None and share_value > whole:
            errors["share_value"] = [str(_("查封部分价值不能超过该财产的价值 %(v)s 元。") % {"v": whole})]
        if not share.strip():
            errors["share"] = [str(_("请写明查封的部分（份额或面积）。"))]
        if amount is not None or kind == ControlKind.FREEZE_DEPOSIT:
            errors["share_value"] = [str(_("冻结存款以冻结数额为准，不填写查封部分。"))]
    elif share.strip():
        errors["share_value"] = [str(_("请填写查封部分的价值。"))]
    if whole_because_indivisible:
        if share.strip() or share_value is not None:
            errors["whole_because_indivisible"] = [str(_("整体查封与分割查封只能选择一种。"))]
        if not registry_refusal.strip():
            errors["registry_refusal"] = [str(_("整体查封须记录登记机构以登记在同一权利证书下为由不能办理分割查封的情况。"))]
    return errors


def _estimate_check(
    *, estimated_value: Decimal | None, estimate_basis: str, estimate_note: str
) -> dict[str, list[str]] | None:
    """None when no estimate is given; else the errors by field of the reasoned
    estimate (value, basis and its reasoning) — empty when it is complete."""
    if estimated_value is None and not estimate_basis and not estimate_note.strip():
        return None
    errors: dict[str, list[str]] = {}
    if estimated_value is None:
        errors["estimated_value"] = [str(_("请填写估算价值。"))]
    elif estimated_value <= 0:
        errors["estimated_value"] = [str(messages.AMOUNT_NOT_POSITIVE)]
    if estimate_basis not in EstimateBasis.values:
        errors["estimate_basis"] = [str(_("请选择估算依据。"))]
    if not estimate_note.strip():
        errors["estimate_note"] = [str(_("请说明估算的依据（如询价平台与结果、参照的成交案例）。"))]
    return errors


@transaction.atomic
def control_create(
    *,
    actor: User,
    case: Case,
    asset: Asset,
    kind: str,
    amount: Decimal | None,
    effective_at: dt.datetime,
    override_reason: str | None = None,
    override_approval: Approval | None = None,
    estimated_value: Decimal | None = None,
    estimate_basis: str = "",
    estimate_note: str = "",
    share: str = "",
    share_value: Decimal | None = None,
    whole_because_indivisible: bool = False,
    registry_refusal: str = "",
    selection_reason: str = "",
) -> ControlMeasure:
    """查封/扣押/冻结 an asset (322号 §15). The value it adds is its amount, the part
    seized, the asset's value or a reasoned estimate given here (recorded on the
    asset); unknown → ``over_seizure_value_unknown``. Refused when the value under
    control would exceed the outstanding claim by more than the margin
    (``over_seizure``), unless an approved OVER_SEIZURE request (decided by someone
    other than the requester) is attached. A deposit freeze must state its amount. A
    whole seizure over the limit because the registry would not split opens a
    ``SplitSeizure`` item."""
    case = case_get_for_update(actor=actor, case=case)
    asset = _control_create_check(case=case, asset=asset, kind=kind, amount=amount, effective_at=effective_at)
    errors = _share_check(asset=asset, kind=kind, amount=amount, share=share, share_value=share_value,
                          whole_because_indivisible=whole_because_indivisible, registry_refusal=registry_refusal)
    estimate_errors = _estimate_check(
        estimated_value=estimated_value, estimate_basis=estimate_basis, estimate_note=estimate_note
    )
    errors |= estimate_errors or {}
    if errors:  # every field's error at once
        raise ValidationFailed(next(iter(errors.values()))[0], extra={"fields": errors})
    if estimate_errors is not None:
        _record_estimate(actor=actor, case=case, asset=asset, value=estimated_value, basis=estimate_basis,
                         note=estimate_note, at=effective_at)
    adding = amount if amount is not None else share_value if share_value is not None else asset_value(asset)
    used_override = _over_seizure_override(
        actor=actor, case=case, asset=asset, adding=adding,
        override_reason=override_reason, override_approval=override_approval,
    )
    effective_on = local_date(effective_at)
    measure = ControlMeasure.objects.create(
        case=case, asset=asset, kind=kind, amount=amount, effective_at=effective_at,
        expires_on=expiry_date(kind, effective_on), override=used_override, created_by=actor,
        share=share.strip()[:200], share_value=share_value, whole_because_indivisible=whole_because_indivisible,
        registry_refusal=registry_refusal.strip()[:500],
        selection_reason=(selection_reason or override_reason or "").strip()[:1000],
    )
    asset.control()
    asset.save()
    start_if_received(case)
    clocks.clocks_stop_for_subject(subject=asset, rule_codes=["CONTROL_AFTER_FEEDBACK"], stopped_at=effective_at, actor=actor)
    clocks.clock_start(
        rule_code="CONTROL_EXPIRY", court=case.court, case=case, subject=measure,
        subject_label=f"{case} · {measure}", started_at=effective_at, variant=CONTROL_TERM_VARIANT[ControlKind(kind)],
        responsible=case.handler,
    )
    if asset.category.needs_disposal:
        clocks.clock_start(
            rule_code="PRICE_START", court=case.court, case=case, subject=asset,
            subject_label=f"{case} · {asset}", started_at=effective_at, responsible=case.handler,
        )
    record_node(
        case=case, kind=ControlNode.CREATED, occurred_at=effective_at, actor=actor, subject=measure,
        payload={"kind": kind, "amount": str(amount) if amount is not None else None, "asset": asset.pk,
                 "expires_on": measure.expires_on.isoformat(), "override": used_override.pk if used_override else None,
                 "value": str(adding) if adding is not None else None,
                 "share": measure.share, "share_value": str(share_value) if share_value is not None else None,
                 "whole_because_indivisible": whole_because_indivisible, "registry_refusal": measure.registry_refusal,
                 "selection_reason": measure.selection_reason},
    )
    if whole_because_indivisible and used_override is not None:
        split = SplitSeizure.objects.create(case=case, measure=measure, opened_at=effective_at)
        record_node(case=case, kind=ControlNode.SPLIT_OPENED, occurred_at=effective_at, actor=actor, subject=split,
                    payload={"measure": measure.pk, "registry_refusal": measure.registry_refusal})
    return measure


def _record_estimate(
    *, actor: User, case: Case, asset: Asset, value: Decimal | None, basis: str, note: str, at: dt.datetime
) -> None:
    """The reasoned estimate on the (locked) asset, with who and when, and its node."""
    asset.estimated_value, asset.estimate_basis, asset.estimate_note = value, basis, note.strip()[:500]
    asset.estimated_by, asset.estimated_at = actor, at
    asset.save(update_fields=["estimated_value", "estimate_basis", "estimate_note", "estimated_by", "estimated_at"])
    record_node(case=case, kind=AssetNode.ESTIMATED, occurred_at=at, actor=actor, subject=asset,
                payload={"value": str(value), "basis": basis, "note": note.strip()[:500]})


@transaction.atomic
def control_renew(*, actor: User, measure: ControlMeasure, renewed_at: dt.datetime) -> ControlMeasure:
    """续行 before expiry: a new term of the same legal length from the old expiry."""
    case = case_get_for_update(actor=actor, case=measure.case_id)
    check_time(renewed_at)
    measure = control_measure_get_for_update(measure.pk)
    if local_date(renewed_at) > measure.expires_on:
        raise RuleViolation(_("控制措施已于 %(d)s 到期，不能续行。") % {"d": measure.expires_on}, code="control_expired")
    old_expiry = measure.expires_on
    measure.renew(expires_on=expiry_date(measure.kind, old_expiry))
    measure.save()
    clocks.clocks_stop_for_subject(subject=measure, rule_codes=["CONTROL_EXPIRY"], stopped_at=renewed_at, actor=actor)
    clocks.clock_start(
        rule_code="CONTROL_EXPIRY", court=case.court, case=case, subject=measure, subject_label=f"{case} · {measure}",
        started_at=start_of_day(old_expiry), variant=CONTROL_TERM_VARIANT[ControlKind(measure.kind)], responsible=case.handler,
    )
    record_node(case=case, kind=ControlNode.RENEWED, occurred_at=renewed_at, actor=actor, subject=measure,
                payload={"expires_on": measure.expires_on.isoformat(), "previous": old_expiry.isoformat()})
    return measure


@transaction.atomic
def control_release(*, actor: User, measure: ControlMeasure, at: dt.datetime, reason: str) -> ControlMeasure:
    case = case_get_for_update(actor=actor, case=measure.case_id)
    check_time(at)
    if not reason.strip():
        raise ValidationFailed.for_field("reason", _("请填写解除理由。"))
    measure = control_measure_get_for_update(measure.pk)
    measure.release(at=at)
    measure.save()
    clocks.clocks_stop_for_subject(subject=measure, rule_codes=["CONTROL_EXPIRY"], stopped_at=at, actor=actor)
    asset = asset_get_for_update(measure.asset_id)
    if asset.status == AssetStatus.CONTROLLED and not asset.measures.filter(status=ControlStatus.ACTIVE).exists():
        asset.release()
        asset.save()
        clocks.clocks_stop_for_subject(subject=asset, rule_codes=["PRICE_START"], stopped_at=at, actor=actor, note="已解除控制")
    record_node(case=case, kind=ControlNode.RELEASED, occurred_at=at, actor=actor, subject=measure,
                payload={"reason": reason[:500]})
    return measure


@transaction.atomic
def credit_issue(
    *, actor: User, case: Case, party_id: int, kind: str, issued_at: dt.datetime, grace_until: dt.date | None = None,
    decision_no: str = "", persons: list[RestrictedPersonInput] | None = None,
) -> list[CreditMeasure]:
    """限制消费令 / 失信名单. A 失信 entry always comes with a 限制消费令 (322号 §23:
    纳入失信名单同时限制消费). ``grace_until`` is the optional 宽限期; ``decision_no`` the
    决定书's number; ``persons`` the people an organisation's 限制消费令 restricts (法定代表人 …).
    Not in force until served (``credit.services.credit_serve``)."""
    case = case_get_for_update(actor=actor, case=case)
    require_open_or_closing(case)
    check_time(issued_at)
    if kind not in CreditKind.values:
        raise ValidationFailed.for_field("kind", _("信用惩戒措施类型无效。"))
    party = case.parties.filter(pk=party_id, role=PartyRole.RESPONDENT).first()
    if party is None:
        raise ValidationFailed.for_field("party", _("只能对本案被执行人采取信用惩戒措施。"))
    if grace_until is not None and grace_until <= local_date(issued_at):
        raise ValidationFailed.for_field("grace_until", _("宽限期应晚于决定日期。"))
    restricted_persons_check(party, CreditKind.RESTRICTION if persons else kind, persons or [])
    kinds = [kind] if kind == CreditKind.RESTRICTION else [CreditKind.DISHONEST, CreditKind.RESTRICTION]
    issued = []
    for k in kinds:
        if case.credit_measures.filter(party=party, kind=k, status=CreditStatus.ISSUED).exists():
            if k == kind:
                raise InvalidTransition(_("该被执行人已有生效的同类措施。"))
            continue
        measure = CreditMeasure.objects.create(
            case=case, party=party, kind=k, issued_at=issued_at, grace_until=grace_until,
            decision_no=decision_no.strip()[:100], issued_by=actor,
        )
        if k == CreditKind.RESTRICTION and persons:
            restricted_persons_create(measure, persons)
        issued.append(measure)
        record_node(case=case, kind=CreditNode.ISSUED, occurred_at=issued_at, actor=actor, subject=measure,
                    payload={"kind": k, "grace_until": grace_until.isoformat() if grace_until else None,
                             "decision_no": measure.decision_no})
    start_if_received(case)
    return issued


@transaction.atomic
def credit_release(*, actor: User, measure: CreditMeasure, at: dt.datetime, reason: str) -> CreditMeasure:
    case = case_get_for_update(actor=actor, case=measure.case_id)
    check_time(at)
    if not reason.strip():
        raise ValidationFailed.for_field("reason", _("请填写解除/删除的理由。"))
    measure = credit_measure_get_for_update(measure.pk)
    measure.release(at=at, reason=reason[:500])
    measure.save()
    clocks.clocks_stop_for_subject(
        subject=measure, rule_codes=["RESTRICTION_RELEASE", "DISHONEST_DELETE", "DISHONEST_CORRECTION"],
        stopped_at=at, actor=actor,
    )
    record_node(case=case, kind=CreditNode.RELEASED, occurred_at=at, actor=actor, subject=measure,
                payload={"kind": measure.kind, "reason": reason[:500]})
    return measure
