"""Control measures (查封/扣押/冻结, 322号 §15) and credit measures (限制消费令 / 失信名单,
322号 §23) — each node starts and stops its clocks."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.calendar import WorkingCalendar, local_date, start_of_day
from core.exceptions import InvalidTransition, RuleViolation, ValidationFailed
from core.models import User
from core.services import clocks
from enforcement.events import ControlNode, CreditNode
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
    PartyRole,
)
from enforcement.models.measures import CONTROL_TERM_MONTHS, CONTROL_TERM_VARIANT
from enforcement.policy import can_approve
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


def controlled_value(case: Case) -> Decimal:
    """The value under control now: each active measure counts its amount, or the
    asset's value when the measure states none. Unknown values count as zero."""
    total = Decimal(0)
    for measure in case.control_measures.filter(status=ControlStatus.ACTIVE).select_related("asset"):
        total += measure.amount if measure.amount is not None else (measure.asset.value or Decimal(0))
    return total


def seizure_limit(case: Case) -> Decimal:
    margin = Decimal(str(settings.ENFORCEMENT_OVERSEIZURE_MARGIN))
    return ((case.claim_amount + case.costs) * (1 + margin)).quantize(Decimal("0.01"))


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
    if kind not in ControlKind.values:
        raise ValidationFailed.for_field("kind", _("控制措施类型无效。"))
    if kind == ControlKind.FREEZE_DEPOSIT and amount is None:
        raise ValidationFailed.for_field("amount", _("冻结存款必须明确具体冻结数额（322号第15条）。"))
    if amount is not None and amount <= 0:
        raise ValidationFailed.for_field("amount", _("控制金额必须大于零。"))
    asset = asset_get_for_update(asset.pk, with_category=True)
    if asset.case_id != case.pk:
        raise ValidationFailed.for_field("asset", _("该财产不属于本案。"))
    if asset.status not in (AssetStatus.FOUND, AssetStatus.RELEASED):
        raise InvalidTransition(_("该财产当前状态（%(s)s）不能再采取控制措施。") % {"s": asset.get_status_display()})
    if effective_at < asset.found_at:
        raise ValidationFailed.for_field("effective_at", _("生效时间早于查明财产的时间。"))
    return asset


def _over_seizure_override(
    *,
    actor: User,
    case: Case,
    asset: Asset,
    amount: Decimal | None,
    effective_at: dt.datetime,
    override_reason: str | None,
    override_approval: Approval | None,
) -> Approval | None:
    """None when the measure stays within the limit (322号 §15). Over it: the approved
    request attached, or the bureau head's own decision with a reason (recorded as an
    approval he asked for and decided), used at once; else ``over_seizure``."""
    adding = amount if amount is not None else (asset.value or Decimal(0))
    after = controlled_value(case) + adding
    limit = seizure_limit(case)
    if after <= limit:
        return None
    if override_approval is not None:
        used_override = approval_get_for_update(override_approval.pk)
        if (used_override.case_id != case.pk or used_override.kind != ApprovalKind.OVER_SEIZURE
                or used_override.status != ApprovalStatus.APPROVED):
            raise RuleViolation(_("所附超标的查封审批无效或已使用。"), code="over_seizure",
                                extra={"limit": str(limit), "after": str(after)})
    elif override_reason and override_reason.strip() and can_approve(actor, case):
        used_override = Approval.objects.create(
            case=case, kind=ApprovalKind.OVER_SEIZURE, reason=override_reason.strip()[:1000],
            payload={"asset": asset.pk, "amount": str(adding), "limit": str(limit)}, requested_by=actor,
        )
        used_override.approve(by=actor, at=effective_at, note=str(_("执行局长径行批准")))
    else:
        raise RuleViolation(
            _("控制财产价值 %(after)s 元将超过申请执行标的与执行费用（含 %(m)s%% 幅度）%(limit)s 元，构成超标的查封。"
              "如确有必要，请由执行局长批准。")
            % {"after": after, "limit": limit, "m": int(Decimal(str(settings.ENFORCEMENT_OVERSEIZURE_MARGIN)) * 100)},
            code="over_seizure",
            extra={"limit": str(limit), "controlled": str(after - adding), "adding": str(adding), "after": str(after)},
        )
    used_override.use()
    used_override.save()
    return used_override


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
) -> ControlMeasure:
    """查封/扣押/冻结 an asset. Refused when the value under control would exceed the
    claim plus costs by more than the margin (322号 §15, ``over_seizure``), unless a
    bureau head overrides it — themselves, with a reason, or through an approved
    request. A deposit freeze must state its amount (§15)."""
    case = case_get_for_update(actor=actor, case=case)
    asset = _control_create_check(case=case, asset=asset, kind=kind, amount=amount, effective_at=effective_at)
    used_override = _over_seizure_override(
        actor=actor, case=case, asset=asset, amount=amount, effective_at=effective_at,
        override_reason=override_reason, override_approval=override_approval,
    )
    effective_on = local_date(effective_at)
    measure = ControlMeasure.objects.create(
        case=case, asset=asset, kind=kind, amount=amount, effective_at=effective_at,
        expires_on=expiry_date(kind, effective_on), override=used_override, created_by=actor,
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
                 "expires_on": measure.expires_on.isoformat(), "override": used_override.pk if used_override else None},
    )
    return measure


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
