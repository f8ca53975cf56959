"""Disposal of controlled assets (322号 §16-17): reference price, auction, self-disposal."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core import messages
from core.exceptions import RuleViolation, ValidationFailed
from core.models import User
from core.services import clocks
from enforcement.events import DisposalNode
from enforcement.models import (
    Asset,
    AssetStatus,
    ControlStatus,
    Disposal,
    DisposalStatus,
    OffsetRefusal,
    PartyRole,
    PriceMethod,
    SaleMode,
    SelfDisposal,
)
from enforcement.selectors import (
    asset_get_for_update,
    case_get_for_update,
    disposal_get_for_update,
    self_disposal_get_for_update,
)
from enforcement.services.common import check_time, record_node, require_open


@transaction.atomic
def disposal_start(*, actor: User, asset: Asset, method: str, at: dt.datetime) -> Disposal:
    """启动确定参考价 (322号 §16) — stops PRICE_START."""
    case = case_get_for_update(actor=actor, case=asset.case_id)
    require_open(case)
    check_time(at)
    if method not in PriceMethod.values:
        raise ValidationFailed.for_field("method", _("参考价确定方式无效。"))
    asset = asset_get_for_update(asset.pk)
    asset.start_disposal()
    asset.save()
    disposal = Disposal.objects.create(case=case, asset=asset, method=method, price_started_at=at)
    clocks.clocks_stop_for_subject(subject=asset, rule_codes=["PRICE_START"], stopped_at=at, actor=actor)
    record_node(case=case, kind=DisposalNode.PRICE_STARTED, occurred_at=at, actor=actor, subject=disposal,
                payload={"method": method})
    return disposal


@transaction.atomic
def disposal_fix_price(*, actor: User, disposal: Disposal, price: Decimal, at: dt.datetime) -> Disposal:
    """参考价确定 — starts DISPOSAL_START (10 days to launch the sale)."""
    case = case_get_for_update(actor=actor, case=disposal.case_id)
    check_time(at)
    if price <= 0:
        raise ValidationFailed.for_field("price", messages.AMOUNT_NOT_POSITIVE)
    disposal = disposal_get_for_update(disposal.pk)
    disposal.fix_price(price=price, at=at)
    disposal.save()
    clocks.clock_start(rule_code="DISPOSAL_START", court=case.court, case=case, subject=disposal,
                       subject_label=f"{case} · {disposal.asset}", started_at=at, responsible=case.handler)
    record_node(case=case, kind=DisposalNode.PRICE_FIXED, occurred_at=at, actor=actor, subject=disposal,
                payload={"price": str(price)})
    return disposal


@transaction.atomic
def disposal_launch_auction(
    *, actor: User, disposal: Disposal, at: dt.datetime, platform: str = "网络司法拍卖", mode: str = SaleMode.AUCTION
) -> Disposal:
    """拍卖 (or 变卖, ``mode="sell_off"``); the round counts the asset's earlier failed sales of that mode."""
    case = case_get_for_update(actor=actor, case=disposal.case_id)
    check_time(at)
    if mode not in SaleMode.values:
        raise ValidationFailed.for_field("mode", _("处置方式应为拍卖（auction）或变卖（sell_off）。"))
    disposal = disposal_get_for_update(disposal.pk)
    disposal.mode = mode
    disposal.round = (
        Disposal.objects.filter(asset_id=disposal.asset_id, mode=mode, status=DisposalStatus.UNSOLD).count() + 1
    )
    disposal.launch_auction(at=at, platform=(platform or "网络司法拍卖")[:50])
    disposal.save()
    clocks.clocks_stop_for_subject(subject=disposal, rule_codes=["DISPOSAL_START"], stopped_at=at, actor=actor)
    record_node(case=case, kind=DisposalNode.AUCTION_LAUNCHED, occurred_at=at, actor=actor, subject=disposal,
                payload={"platform": disposal.platform, "mode": disposal.mode, "round": disposal.round})
    return disposal


@transaction.atomic
def disposal_conclude(
    *, actor: User, disposal: Disposal, at: dt.datetime, sold: bool, amount: Decimal | None = None
) -> Disposal:
    case = case_get_for_update(actor=actor, case=disposal.case_id)
    check_time(at)
    disposal = disposal_get_for_update(disposal.pk)
    asset = asset_get_for_update(disposal.asset_id)
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
    record_node(case=case, kind=DisposalNode.CONCLUDED, occurred_at=at, actor=actor, subject=disposal,
                payload={"sold": sold, "amount": str(amount) if amount is not None else None})
    if not sold:  # 流拍 / 变卖未成交, by round (spec §3 #11)
        failed = DisposalNode.AUCTION_FAILED if disposal.mode == SaleMode.AUCTION else DisposalNode.SELL_OFF_FAILED
        record_node(case=case, kind=failed, occurred_at=at, actor=actor, subject=asset,
                    payload={"disposal": disposal.pk, "round": disposal.round})
    return disposal


@transaction.atomic
def disposal_record_offset_refusal(
    *, actor: User, asset: Asset, applicant: int | None, at: dt.datetime, document: str
) -> OffsetRefusal:
    """申请执行人拒绝以物抵债, signed (322号 §24; 拍卖变卖规定 §28–29, outside the seeds): with the
    failed sales it makes an unsold asset one that "不能处置" at the 终本 gate."""
    case = case_get_for_update(actor=actor, case=asset.case_id)
    require_open(case)
    check_time(at)
    errors: dict[str, list[str]] = {}
    party = case.parties.filter(pk=applicant, role=PartyRole.APPLICANT).first() if isinstance(applicant, int) else None
    if party is None:
        errors["applicant"] = [str(_("请选择本案的申请执行人。"))]
    if not document.strip():
        errors["document"] = [str(_("请填写申请执行人签字确认拒绝以物抵债的书面材料。"))]
    if errors or party is None:
        raise ValidationFailed(_("请补全拒绝以物抵债的记录。"), extra={"fields": errors})
    asset = asset_get_for_update(asset.pk)
    if asset.status != AssetStatus.UNSOLD:
        raise RuleViolation(
            _("只有经拍卖、变卖未成交的财产才能记录申请执行人拒绝以物抵债。"),
            code="offset_not_offered", extra={"asset": asset.pk, "status": asset.status},
        )
    refusal = OffsetRefusal.objects.create(
        case=case, asset=asset, applicant=party, refused_at=at, document=document.strip()[:200], recorded_by=actor
    )
    record_node(case=case, kind=DisposalNode.OFFSET_REFUSED, occurred_at=at, actor=actor, subject=asset,
                payload={"applicant": party.pk, "document": refusal.document})
    return refusal


@transaction.atomic
def self_disposal_allow(*, actor: User, asset: Asset, at: dt.datetime, days: int) -> SelfDisposal:
    """准许自行处置 (322号 §17): at most 90 days, set by the court."""
    case = case_get_for_update(actor=actor, case=asset.case_id)
    require_open(case)
    check_time(at)
    if not 1 <= days <= 90:
        raise RuleViolation(_("自行处置期限最长不得超过 90 日（322号第17条）。"), code="duration_exceeds_maximum",
                            extra={"max_duration": 90})
    asset = asset_get_for_update(asset.pk)
    asset.start_disposal()
    asset.save()
    sd = SelfDisposal.objects.create(case=case, asset=asset, allowed_at=at, days=days)
    clocks.clocks_stop_for_subject(subject=asset, rule_codes=["PRICE_START"], stopped_at=at, actor=actor, note="准许自行处置")
    clocks.clock_start(rule_code="SELF_DISPOSAL", court=case.court, case=case, subject=sd,
                       subject_label=f"{case} · {asset}", started_at=at, duration=days, responsible=case.handler)
    record_node(case=case, kind=DisposalNode.SELF_ALLOWED, occurred_at=at, actor=actor, subject=sd, payload={"days": days})
    return sd


@transaction.atomic
def self_disposal_conclude(
    *, actor: User, self_disposal: SelfDisposal, at: dt.datetime, sold: bool, amount: Decimal | None = None
) -> SelfDisposal:
    case = case_get_for_update(actor=actor, case=self_disposal.case_id)
    check_time(at)
    sd = self_disposal_get_for_update(self_disposal.pk)
    asset = asset_get_for_update(sd.asset_id)
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
    record_node(case=case, kind=DisposalNode.SELF_CONCLUDED, occurred_at=at, actor=actor, subject=sd,
                payload={"sold": sold})
    return sd
