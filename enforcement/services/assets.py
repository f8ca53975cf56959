"""Asset search (查询), feedback, control measures (查封/扣押/冻结), property clues,
disposal and credit measures — each node starts and stops its clocks."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.calendar import local_date, start_of_day
from core.exceptions import InvalidTransition, RuleViolation, ValidationFailed
from core.models import User
from core.services import clocks
from enforcement.models import (
    Approval,
    ApprovalKind,
    ApprovalStatus,
    Asset,
    AssetCategory,
    AssetSearch,
    AssetStatus,
    Case,
    CaseStatus,
    ClosureType,
    ControlKind,
    ControlMeasure,
    ControlStatus,
    CreditKind,
    CreditMeasure,
    CreditStatus,
    Disposal,
    PartyRole,
    PriceMethod,
    PropertyClue,
    SearchChannel,
    SelfDisposal,
)
from enforcement.models.measures import CONTROL_TERM_MONTHS, CONTROL_TERM_VARIANT
from enforcement.selectors import enabled_categories
from enforcement.services.closure import is_approver
from enforcement.services.common import case_lock, check_time, record_node, require_open, start_if_received

# --- search -----------------------------------------------------------------------


def _online_coverage(case: Case) -> set[int]:
    return set(
        case.searches.filter(channel__in=[SearchChannel.NATIONAL, SearchChannel.LOCAL]).values_list("categories", flat=True)
    ) - {None}


@transaction.atomic
def search_launch(
    *, actor: User, case: Case, channel: str, category_codes: list[str] | None, launched_at: dt.datetime
) -> AssetSearch:
    """发起查询. Once online searches cover every category open at the court, the
    5-working-day SEARCH_START clock stops (322号 §13). On a 终本 case an online
    search is the periodic re-search (终本规定 §9) and starts the next one."""
    case = case_lock(actor=actor, case=case)
    check_time(launched_at)
    terminated = case.status == CaseStatus.CLOSED and case.closure_type == ClosureType.TERMINATED_THIS_ROUND
    if case.status == CaseStatus.CLOSED and not terminated:
        raise InvalidTransition(_("案件已结案，不能再发起查询。"))
    if channel not in SearchChannel.values:
        raise ValidationFailed.for_field("channel", _("查询渠道应为 online、online_local 或 offline。"))
    if launched_at < case.received_at:
        raise ValidationFailed.for_field("launched_at", _("发起时间早于收案时间。"))
    enabled = enabled_categories(case.court)
    if category_codes is None:
        categories = enabled if channel != SearchChannel.OFFLINE else list(AssetCategory.objects.all())
    else:
        by_code = {c.code: c for c in AssetCategory.objects.filter(code__in=category_codes)}
        unknown = sorted(set(category_codes) - set(by_code))
        if unknown:
            raise ValidationFailed.for_field("categories", _("未知财产类型：%(c)s") % {"c": "、".join(unknown)})
        if not category_codes:
            raise ValidationFailed.for_field("categories", _("至少选择一种财产类型。"))
        categories = [by_code[c] for c in dict.fromkeys(category_codes)]
    search = AssetSearch.objects.create(case=case, channel=channel, launched_at=launched_at, launched_by=actor)
    search.categories.set(categories)
    if not terminated:
        start_if_received(case)
    if search.is_online and {c.pk for c in enabled} <= _online_coverage(case):
        clocks.clocks_stop_for_subject(subject=case, rule_codes=["SEARCH_START"], stopped_at=launched_at, actor=actor)
        if terminated:
            stopped = clocks.clocks_stop_for_subject(
                subject=case, rule_codes=["TERMINATED_RESEARCH"], stopped_at=launched_at, actor=actor
            )
            five_years = case.closed_at + dt.timedelta(days=5 * 365 + 1)
            if stopped and launched_at < five_years:
                clocks.clock_start(
                    rule_code="TERMINATED_RESEARCH", court=case.court, case=case, subject=case,
                    started_at=launched_at, responsible=case.handler,
                )
    record_node(
        case=case, kind="search.launched", occurred_at=launched_at, actor=actor, subject=search,
        payload={"channel": channel, "categories": [c.code for c in categories]},
    )
    return search


@dataclass
class FindingInput:
    category: str
    description: str
    value: Decimal | None = None
    controllable_online: bool = False


@transaction.atomic
def search_record_feedback(
    *, actor: User, search: AssetSearch, received_at: dt.datetime, findings: list[FindingInput]
) -> list[Asset]:
    """查询反馈: findings become assets. An asset that cannot be controlled online
    must be controlled within 3 working days (CONTROL_AFTER_FEEDBACK, 322号 §13)."""
    case = case_lock(actor=actor, case=search.case_id)
    search = AssetSearch.objects.select_for_update(of=("self",)).get(pk=search.pk)
    check_time(received_at)
    if received_at < search.launched_at:
        raise ValidationFailed.for_field("received_at", _("反馈时间早于查询发起时间。"))
    codes = {f.category for f in findings}
    by_code = {c.code: c for c in AssetCategory.objects.filter(code__in=codes)}
    for index, finding in enumerate(findings):
        if finding.category not in by_code:
            raise ValidationFailed(
                _("未知财产类型：%(c)s") % {"c": finding.category},
                extra={"fields": {f"findings[{index}].category": [str(_("未知财产类型"))]}},
            )
        if not finding.description.strip():
            raise ValidationFailed(
                _("请填写财产描述。"), extra={"fields": {f"findings[{index}].description": [str(_("必填"))]}}
            )
        if finding.value is not None and finding.value < 0:
            raise ValidationFailed(
                _("财产价值不能为负数。"), extra={"fields": {f"findings[{index}].value": [str(_("不能为负数"))]}}
            )
    search.receive_feedback(at=received_at)
    search.save()
    assets = []
    for finding in findings:
        asset = Asset.objects.create(
            case=case,
            search=search,
            category=by_code[finding.category],
            description=finding.description.strip()[:500],
            value=finding.value,
            controllable_online=finding.controllable_online,
            found_at=received_at,
        )
        assets.append(asset)
        if not finding.controllable_online and case.status != CaseStatus.CLOSED:
            clocks.clock_start(
                rule_code="CONTROL_AFTER_FEEDBACK", court=case.court, case=case, subject=asset,
                subject_label=f"{case} · {asset}", started_at=received_at, responsible=case.handler,
            )
    record_node(
        case=case, kind="search.feedback", occurred_at=received_at, actor=actor, subject=search,
        payload={"findings": len(assets), "value": str(sum((a.value or 0 for a in assets), Decimal(0)))},
    )
    return assets


@transaction.atomic
def asset_mark_uncontrollable(*, actor: User, asset: Asset, at: dt.datetime, reason: str) -> Asset:
    """记录无法控制及理由 — also stops CONTROL_AFTER_FEEDBACK."""
    case = case_lock(actor=actor, case=asset.case_id)
    check_time(at)
    if not reason.strip():
        raise ValidationFailed.for_field("reason", _("请说明无法控制的理由。"))
    asset = Asset.objects.select_for_update(of=("self",)).get(pk=asset.pk)
    asset.mark_uncontrollable(reason=reason[:500])
    asset.save()
    clocks.clocks_stop_for_subject(subject=asset, rule_codes=["CONTROL_AFTER_FEEDBACK"], stopped_at=at, actor=actor)
    record_node(case=case, kind="asset.uncontrollable", occurred_at=at, actor=actor, subject=asset,
                payload={"reason": reason[:500]})
    return asset


# --- control measures --------------------------------------------------------------


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
    from core.calendar import WorkingCalendar

    months = CONTROL_TERM_MONTHS[CONTROL_TERM_VARIANT[kind]]
    return WorkingCalendar(loaded_years=frozenset()).add_months(effective_on, months, roll=False)


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
    case = case_lock(actor=actor, case=case)
    require_open(case)
    check_time(effective_at)
    if kind not in ControlKind.values:
        raise ValidationFailed.for_field("kind", _("控制措施类型无效。"))
    if kind == ControlKind.FREEZE_DEPOSIT and amount is None:
        raise ValidationFailed.for_field("amount", _("冻结存款必须明确具体冻结数额（322号第15条）。"))
    if amount is not None and amount <= 0:
        raise ValidationFailed.for_field("amount", _("控制金额必须大于零。"))
    asset = Asset.objects.select_for_update(of=("self",)).select_related("category").get(pk=asset.pk)
    if asset.case_id != case.pk:
        raise ValidationFailed.for_field("asset", _("该财产不属于本案。"))
    if asset.status not in (AssetStatus.FOUND, AssetStatus.RELEASED):
        raise InvalidTransition(_("该财产当前状态（%(s)s）不能再采取控制措施。") % {"s": asset.get_status_display()})
    if effective_at < asset.found_at:
        raise ValidationFailed.for_field("effective_at", _("生效时间早于查明财产的时间。"))

    adding = amount if amount is not None else (asset.value or Decimal(0))
    after = controlled_value(case) + adding
    limit = seizure_limit(case)
    used_override = None
    if after > limit:
        if override_approval is not None:
            used_override = Approval.objects.select_for_update().get(pk=override_approval.pk)
            if (used_override.case_id != case.pk or used_override.kind != ApprovalKind.OVER_SEIZURE
                    or used_override.status != ApprovalStatus.APPROVED):
                raise RuleViolation(_("所附超标的查封审批无效或已使用。"), code="over_seizure",
                                    extra={"limit": str(limit), "after": str(after)})
        elif override_reason and override_reason.strip() and is_approver(actor, case):
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
        subject_label=f"{case} · {measure}", started_at=effective_at, variant=CONTROL_TERM_VARIANT[kind],
        responsible=case.handler,
    )
    if asset.category.needs_disposal:
        clocks.clock_start(
            rule_code="PRICE_START", court=case.court, case=case, subject=asset,
            subject_label=f"{case} · {asset}", started_at=effective_at, responsible=case.handler,
        )
    record_node(
        case=case, kind="control.created", occurred_at=effective_at, actor=actor, subject=measure,
        payload={"kind": kind, "amount": str(amount) if amount is not None else None, "asset": asset.pk,
                 "expires_on": measure.expires_on.isoformat(), "override": used_override.pk if used_override else None},
    )
    return measure


@transaction.atomic
def control_renew(*, actor: User, measure: ControlMeasure, renewed_at: dt.datetime) -> ControlMeasure:
    """续行 before expiry: a new term of the same legal length from the old expiry."""
    case = case_lock(actor=actor, case=measure.case_id)
    check_time(renewed_at)
    measure = ControlMeasure.objects.select_for_update(of=("self",)).get(pk=measure.pk)
    if local_date(renewed_at) > measure.expires_on:
        raise RuleViolation(_("控制措施已于 %(d)s 到期，不能续行。") % {"d": measure.expires_on}, code="control_expired")
    old_expiry = measure.expires_on
    measure.renew(expires_on=expiry_date(measure.kind, old_expiry))
    measure.save()
    clocks.clocks_stop_for_subject(subject=measure, rule_codes=["CONTROL_EXPIRY"], stopped_at=renewed_at, actor=actor)
    clocks.clock_start(
        rule_code="CONTROL_EXPIRY", court=case.court, case=case, subject=measure, subject_label=f"{case} · {measure}",
        started_at=start_of_day(old_expiry), variant=CONTROL_TERM_VARIANT[measure.kind], responsible=case.handler,
    )
    record_node(case=case, kind="control.renewed", occurred_at=renewed_at, actor=actor, subject=measure,
                payload={"expires_on": measure.expires_on.isoformat(), "previous": old_expiry.isoformat()})
    return measure


@transaction.atomic
def control_release(*, actor: User, measure: ControlMeasure, at: dt.datetime, reason: str) -> ControlMeasure:
    case = case_lock(actor=actor, case=measure.case_id)
    check_time(at)
    if not reason.strip():
        raise ValidationFailed.for_field("reason", _("请填写解除理由。"))
    measure = ControlMeasure.objects.select_for_update(of=("self",)).get(pk=measure.pk)
    measure.release(at=at)
    measure.save()
    clocks.clocks_stop_for_subject(subject=measure, rule_codes=["CONTROL_EXPIRY"], stopped_at=at, actor=actor)
    asset = Asset.objects.select_for_update(of=("self",)).get(pk=measure.asset_id)
    if asset.status == AssetStatus.CONTROLLED and not asset.measures.filter(status=ControlStatus.ACTIVE).exists():
        asset.release()
        asset.save()
        clocks.clocks_stop_for_subject(subject=asset, rule_codes=["PRICE_START"], stopped_at=at, actor=actor, note="已解除控制")
    record_node(case=case, kind="control.released", occurred_at=at, actor=actor, subject=measure,
                payload={"reason": reason[:500]})
    return measure


# --- property clues -----------------------------------------------------------------


@transaction.atomic
def clue_receive(
    *, actor: User, case: Case, received_at: dt.datetime, description: str, source: str = "",
    specific: bool = False, urgent: bool = False,
) -> PropertyClue:
    """财产线索: specific and urgent → verification within 24 hours, else 7 days."""
    case = case_lock(actor=actor, case=case)
    require_open(case)
    check_time(received_at)
    if not description.strip():
        raise ValidationFailed.for_field("description", _("请填写线索内容。"))
    clue = PropertyClue.objects.create(
        case=case, received_at=received_at, description=description.strip()[:1000], source=source[:100],
        specific=specific, urgent=urgent,
    )
    clocks.clock_start(
        rule_code="CLUE_VERIFY", court=case.court, case=case, subject=clue, subject_label=f"{case} · 财产线索",
        started_at=received_at, variant="urgent" if specific and urgent else "", responsible=case.handler,
    )
    record_node(case=case, kind="clue.received", occurred_at=received_at, actor=actor, subject=clue,
                payload={"specific": specific, "urgent": urgent})
    return clue


@transaction.atomic
def clue_start_verification(*, actor: User, clue: PropertyClue, at: dt.datetime) -> PropertyClue:
    case = case_lock(actor=actor, case=clue.case_id)
    check_time(at)
    clue = PropertyClue.objects.select_for_update(of=("self",)).get(pk=clue.pk)
    if at < clue.received_at:
        raise ValidationFailed.for_field("at", _("核查时间早于收到线索的时间。"))
    clue.start_verification(at=at)
    clue.save()
    clocks.clocks_stop_for_subject(subject=clue, rule_codes=["CLUE_VERIFY"], stopped_at=at, actor=actor)
    record_node(case=case, kind="clue.verifying", occurred_at=at, actor=actor, subject=clue)
    return clue


@transaction.atomic
def clue_conclude(*, actor: User, clue: PropertyClue, at: dt.datetime, true: bool, note: str) -> PropertyClue:
    case = case_lock(actor=actor, case=clue.case_id)
    check_time(at)
    if not note.strip():
        raise ValidationFailed.for_field("note", _("请填写核查结果。"))
    clue = PropertyClue.objects.select_for_update(of=("self",)).get(pk=clue.pk)
    (clue.confirm if true else clue.refute)(at=at, note=note[:1000])
    clue.save()
    record_node(case=case, kind="clue.verified", occurred_at=at, actor=actor, subject=clue,
                payload={"true": true, "note": note[:1000]})
    return clue


# --- disposal ------------------------------------------------------------------------


@transaction.atomic
def disposal_start(*, actor: User, asset: Asset, method: str, at: dt.datetime) -> Disposal:
    """启动确定参考价 (322号 §16) — stops PRICE_START."""
    case = case_lock(actor=actor, case=asset.case_id)
    require_open(case)
    check_time(at)
    if method not in PriceMethod.values:
        raise ValidationFailed.for_field("method", _("参考价确定方式无效。"))
    asset = Asset.objects.select_for_update(of=("self",)).get(pk=asset.pk)
    asset.start_disposal()
    asset.save()
    disposal = Disposal.objects.create(case=case, asset=asset, method=method, price_started_at=at)
    clocks.clocks_stop_for_subject(subject=asset, rule_codes=["PRICE_START"], stopped_at=at, actor=actor)
    record_node(case=case, kind="disposal.price_started", occurred_at=at, actor=actor, subject=disposal,
                payload={"method": method})
    return disposal


@transaction.atomic
def disposal_fix_price(*, actor: User, disposal: Disposal, price: Decimal, at: dt.datetime) -> Disposal:
    """参考价确定 — starts DISPOSAL_START (10 days to launch the sale)."""
    case = case_lock(actor=actor, case=disposal.case_id)
    check_time(at)
    if price <= 0:
        raise ValidationFailed.for_field("price", _("参考价必须大于零。"))
    disposal = Disposal.objects.select_for_update(of=("self",)).get(pk=disposal.pk)
    disposal.fix_price(price=price, at=at)
    disposal.save()
    clocks.clock_start(rule_code="DISPOSAL_START", court=case.court, case=case, subject=disposal,
                       subject_label=f"{case} · {disposal.asset}", started_at=at, responsible=case.handler)
    record_node(case=case, kind="disposal.price_fixed", occurred_at=at, actor=actor, subject=disposal,
                payload={"price": str(price)})
    return disposal


@transaction.atomic
def disposal_launch_auction(*, actor: User, disposal: Disposal, at: dt.datetime, platform: str = "网络司法拍卖") -> Disposal:
    case = case_lock(actor=actor, case=disposal.case_id)
    check_time(at)
    disposal = Disposal.objects.select_for_update(of=("self",)).get(pk=disposal.pk)
    disposal.launch_auction(at=at, platform=(platform or "网络司法拍卖")[:50])
    disposal.save()
    clocks.clocks_stop_for_subject(subject=disposal, rule_codes=["DISPOSAL_START"], stopped_at=at, actor=actor)
    record_node(case=case, kind="disposal.auction_launched", occurred_at=at, actor=actor, subject=disposal,
                payload={"platform": disposal.platform})
    return disposal


@transaction.atomic
def disposal_conclude(
    *, actor: User, disposal: Disposal, at: dt.datetime, sold: bool, amount: Decimal | None = None
) -> Disposal:
    case = case_lock(actor=actor, case=disposal.case_id)
    check_time(at)
    disposal = Disposal.objects.select_for_update(of=("self",)).get(pk=disposal.pk)
    asset = Asset.objects.select_for_update(of=("self",)).get(pk=disposal.asset_id)
    if sold:
        if amount is None or amount <= 0:
            raise ValidationFailed.for_field("amount", _("请填写成交价。"))
        disposal.sell(at=at, amount=amount)
        asset.dispose()
        for measure in asset.measures.filter(status=ControlStatus.ACTIVE):
            measure.dispose()
            measure.save()
            clocks.clocks_stop_for_subject(subject=measure, rule_codes=["CONTROL_EXPIRY"], stopped_at=at, actor=actor)
    else:
        disposal.fail(at=at)
        asset.fail_disposal()
    disposal.save()
    asset.save()
    record_node(case=case, kind="disposal.concluded", occurred_at=at, actor=actor, subject=disposal,
                payload={"sold": sold, "amount": str(amount) if amount is not None else None})
    return disposal


@transaction.atomic
def self_disposal_allow(*, actor: User, asset: Asset, at: dt.datetime, days: int) -> SelfDisposal:
    """准许自行处置 (322号 §17): at most 90 days, set by the court."""
    case = case_lock(actor=actor, case=asset.case_id)
    require_open(case)
    check_time(at)
    if not 1 <= days <= 90:
        raise RuleViolation(_("自行处置期限最长不得超过 90 日（322号第17条）。"), code="duration_exceeds_maximum",
                            extra={"max_duration": 90})
    asset = Asset.objects.select_for_update(of=("self",)).get(pk=asset.pk)
    asset.start_disposal()
    asset.save()
    sd = SelfDisposal.objects.create(case=case, asset=asset, allowed_at=at, days=days)
    clocks.clocks_stop_for_subject(subject=asset, rule_codes=["PRICE_START"], stopped_at=at, actor=actor, note="准许自行处置")
    clocks.clock_start(rule_code="SELF_DISPOSAL", court=case.court, case=case, subject=sd,
                       subject_label=f"{case} · {asset}", started_at=at, duration=days, responsible=case.handler)
    record_node(case=case, kind="disposal.self_allowed", occurred_at=at, actor=actor, subject=sd, payload={"days": days})
    return sd


@transaction.atomic
def self_disposal_conclude(
    *, actor: User, self_disposal: SelfDisposal, at: dt.datetime, sold: bool, amount: Decimal | None = None
) -> SelfDisposal:
    case = case_lock(actor=actor, case=self_disposal.case_id)
    check_time(at)
    sd = SelfDisposal.objects.select_for_update(of=("self",)).get(pk=self_disposal.pk)
    asset = Asset.objects.select_for_update(of=("self",)).get(pk=sd.asset_id)
    if sold:
        if amount is None or amount <= 0:
            raise ValidationFailed.for_field("amount", _("请填写成交价。"))
        sd.sell(at=at, amount=amount)
        asset.dispose()
    else:
        sd.revoke(at=at)
        asset.fail_disposal()
    sd.save()
    asset.save()
    clocks.clocks_stop_for_subject(subject=sd, rule_codes=["SELF_DISPOSAL"], stopped_at=at, actor=actor)
    record_node(case=case, kind="disposal.self_concluded", occurred_at=at, actor=actor, subject=sd,
                payload={"sold": sold})
    return sd


# --- credit measures -----------------------------------------------------------------


@transaction.atomic
def credit_issue(
    *, actor: User, case: Case, party_id: int, kind: str, issued_at: dt.datetime, grace_until: dt.date | None = None
) -> list[CreditMeasure]:
    """限制消费令 / 失信名单. A 失信 entry always comes with a 限制消费令 (322号 §23:
    纳入失信名单同时限制消费). ``grace_until`` is the optional 宽限期."""
    case = case_lock(actor=actor, case=case)
    require_open(case)
    check_time(issued_at)
    if kind not in CreditKind.values:
        raise ValidationFailed.for_field("kind", _("信用惩戒措施类型无效。"))
    party = case.parties.filter(pk=party_id, role=PartyRole.RESPONDENT).first()
    if party is None:
        raise ValidationFailed.for_field("party", _("只能对本案被执行人采取信用惩戒措施。"))
    if grace_until is not None and grace_until <= local_date(issued_at):
        raise ValidationFailed.for_field("grace_until", _("宽限期应晚于决定日期。"))
    kinds = [kind] if kind == CreditKind.RESTRICTION else [CreditKind.DISHONEST, CreditKind.RESTRICTION]
    issued = []
    for k in kinds:
        if case.credit_measures.filter(party=party, kind=k, status=CreditStatus.ISSUED).exists():
            if k == kind:
                raise InvalidTransition(_("该被执行人已有生效的同类措施。"))
            continue
        measure = CreditMeasure.objects.create(
            case=case, party=party, kind=k, issued_at=issued_at, grace_until=grace_until
        )
        issued.append(measure)
        record_node(case=case, kind="credit.issued", occurred_at=issued_at, actor=actor, subject=measure,
                    payload={"kind": k, "grace_until": grace_until.isoformat() if grace_until else None})
    start_if_received(case)
    return issued


@transaction.atomic
def credit_release(*, actor: User, measure: CreditMeasure, at: dt.datetime, reason: str) -> CreditMeasure:
    case = case_lock(actor=actor, case=measure.case_id)
    check_time(at)
    if not reason.strip():
        raise ValidationFailed.for_field("reason", _("请填写解除/删除的理由。"))
    measure = CreditMeasure.objects.select_for_update(of=("self",)).get(pk=measure.pk)
    measure.release(at=at, reason=reason[:500])
    measure.save()
    clocks.clocks_stop_for_subject(
        subject=measure, rule_codes=["RESTRICTION_RELEASE", "DISHONEST_DELETE"], stopped_at=at, actor=actor
    )
    record_node(case=case, kind="credit.released", occurred_at=at, actor=actor, subject=measure,
                payload={"kind": measure.kind, "reason": reason[:500]})
    return measure

