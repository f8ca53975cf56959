"""Gate rows about searching, clues and assets (#6 – #13 of the spec's §3 table).

Searches count per respondent (322号 §24 "全面核查财产情况"): a search names the respondent it
covers. A legacy search without one (before migration 0003) counts only on a case with a single
respondent — there it can only have covered that respondent; on a case with several it counts
for none, and the court searches each respondent again.
"""

from collections.abc import Iterator

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enforcement.models import (
    AssetCategory,
    AssetStatus,
    ClueStatus,
    CourtAssetCategory,
    DisposalStatus,
    SaleMode,
    SearchChannel,
    TransferAnswer,
    UncontrollableReason,
)
from enforcement.selectors import enabled_categories
from enforcement.services.gate.base import GateContext, Unmet, condition

ONLINE_CHANNELS = (SearchChannel.NATIONAL, SearchChannel.LOCAL)

# 不动产 and other property rights go to 变卖 after the second failed auction before they count as
# "不能处置" (拍卖变卖规定 §29, 网络司法拍卖规定 §26 — outside the seeds, unverified); movables
# (车辆、船舶 …) do not.
SELL_OFF_REQUIRED = frozenset({"real_estate", "equity", "securities", "futures"})


def _covered(ctx: GateContext, respondent_id: int, channels: tuple[str, ...]) -> set[int]:
    """Category ids searched, with feedback, for this respondent through ``channels``."""
    mine = Q(respondent_id=respondent_id)
    if len(ctx.respondents) == 1:
        mine |= Q(respondent__isnull=True)
    searches = ctx.case.searches.filter(mine, channel__in=channels, feedback_at__isnull=False)
    if channels == (SearchChannel.OFFLINE,):  # an investigation counts with its findings
        searches = searches.filter(~Q(result_note="") | Q(findings__isnull=False))
    return set(searches.values_list("categories", flat=True)) - {None}


@condition(6)
def online_search_incomplete(ctx: GateContext) -> Iterator[Unmet]:
    enabled = enabled_categories(ctx.case.court)
    for respondent in ctx.respondents:
        covered = _covered(ctx, respondent.pk, ONLINE_CHANNELS)
        for category in enabled:
            if category.pk not in covered:
                yield Unmet(
                    "online_search_incomplete",
                    _("未对被执行人%(name)s完成“%(category)s”的网络查控（含反馈）")
                    % {"name": respondent.name, "category": category.name},
                    respondent=respondent.pk, category=category.code,
                )


def offline_categories(ctx: GateContext) -> list[AssetCategory]:
    """Categories the online system cannot query, or that the court has switched off."""
    off = CourtAssetCategory.objects.filter(court=ctx.case.court, enabled=False).values("category_id")
    return list(AssetCategory.objects.filter(Q(online=False) | Q(pk__in=off)).order_by("sort", "code"))


@condition(7)
def offline_investigation_missing(ctx: GateContext) -> Iterator[Unmet]:
    categories = offline_categories(ctx)
    for respondent in ctx.respondents:
        covered = _covered(ctx, respondent.pk, (SearchChannel.OFFLINE,))
        for category in categories:
            if category.pk not in covered:
                yield Unmet(
                    "offline_investigation_missing",
                    _("未对被执行人%(name)s的“%(category)s”进行线下调查并记录调查情况")
                    % {"name": respondent.name, "category": category.name},
                    respondent=respondent.pk, category=category.code,
                )


@condition(8)
def clues_unverified(ctx: GateContext) -> Iterator[Unmet]:
    for clue in ctx.case.clues.filter(status__in=[ClueStatus.RECEIVED, ClueStatus.VERIFYING]).order_by("id"):
        yield Unmet("clues_unverified", _("财产线索“%(clue)s”尚未核查完毕") % {"clue": clue}, clue=clue.pk)


def _reason_valid(asset) -> bool:
    return asset.uncontrollable_code in UncontrollableReason.values and bool(asset.uncontrollable_evidence.strip())


@condition(9)
def clue_true_uncontrolled(ctx: GateContext) -> Iterator[Unmet]:
    for clue in ctx.case.clues.filter(status=ClueStatus.TRUE).select_related("asset").order_by("id"):
        asset = clue.asset
        if asset is not None and (
            asset.measures.exists() or (asset.status == AssetStatus.UNCONTROLLABLE and _reason_valid(asset))
        ):
            continue
        yield Unmet(
            "clue_true_uncontrolled",
            _("经查属实的线索“%(clue)s”未对查明的财产采取控制措施") % {"clue": clue},
            clue=clue.pk, asset=asset.pk if asset else None,
        )


def _transfer_answer(asset) -> str | None:
    answered = asset.priority_transfers.filter(answered_at__isnull=False).order_by("-answered_at").first()
    return answered.answer if answered else None


@condition(10)
def assets_unhandled(ctx: GateContext) -> Iterator[Unmet]:
    pending = [AssetStatus.FOUND, AssetStatus.CONTROLLED, AssetStatus.DISPOSING]
    for asset in ctx.case.assets.filter(status__in=pending).order_by("id"):
        if asset.status != AssetStatus.FOUND and asset.waiting_seizure:
            # 轮候查封: without priority this court cannot dispose; with priority #13 decides until
            # the first-seizing court agreed to transfer the disposal.
            if not asset.applicant_priority or _transfer_answer(asset) != TransferAnswer.AGREED:
                continue
        message = (
            _("财产“%(asset)s”已查明但未控制")
            if asset.status == AssetStatus.FOUND
            else _("财产“%(asset)s”已控制但未处置完毕")
        )
        yield Unmet("assets_unhandled", message % {"asset": asset}, asset=asset.pk)


@condition(11)
def disposal_not_exhausted(ctx: GateContext) -> Iterator[Unmet]:
    applicants = {p.pk for p in ctx.applicants}
    for asset in ctx.case.assets.filter(status=AssetStatus.UNSOLD).select_related("category").order_by("id"):
        failed = asset.disposals.filter(status=DisposalStatus.UNSOLD)
        auctions = failed.filter(mode=SaleMode.AUCTION).count()
        sold_off = failed.filter(mode=SaleMode.SELL_OFF).exists()
        refused = set(asset.offset_refusals.values_list("applicant_id", flat=True))
        missing = []
        if auctions < 2:
            missing.append(str(_("两次拍卖流拍")))
        if asset.category.code in SELL_OFF_REQUIRED and not sold_off:
            missing.append(str(_("变卖未成交")))
        if not applicants <= refused:
            missing.append(str(_("申请执行人签字拒绝以物抵债")))
        if missing:
            yield Unmet(
                "disposal_not_exhausted",
                _("财产“%(asset)s”未穷尽处置程序，尚缺：%(missing)s") % {"asset": asset, "missing": "、".join(missing)},
                asset=asset.pk,
            )


@condition(12)
def uncontrollable_reason_invalid(ctx: GateContext) -> Iterator[Unmet]:
    for asset in ctx.case.assets.filter(status=AssetStatus.UNCONTROLLABLE).order_by("id"):
        if not _reason_valid(asset):
            yield Unmet(
                "uncontrollable_reason_invalid",
                _("财产“%(asset)s”无法控制的理由不属于法定情形或缺少证明材料") % {"asset": asset},
                asset=asset.pk,
            )


@condition(13)
def priority_transfer_not_requested(ctx: GateContext) -> Iterator[Unmet]:
    waiting = ctx.case.assets.filter(waiting_seizure=True, applicant_priority=True).exclude(
        status__in=[AssetStatus.DISPOSED, AssetStatus.RELEASED]
    )
    for asset in waiting.order_by("id"):
        if _transfer_answer(asset) is None:
            yield Unmet(
                "priority_transfer_not_requested",
                _("轮候查封的财产“%(asset)s”申请执行人享有优先权，未商请首封法院移送处置权或尚无答复")
                % {"asset": asset},
                asset=asset.pk,
            )
