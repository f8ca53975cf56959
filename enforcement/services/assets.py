"""Asset search (查询) and its feedback, and assets that cannot be controlled — each
node starts and stops its clocks."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.exceptions import InvalidTransition, ValidationFailed
from core.models import User
from core.services import clocks
from enforcement.events import AssetNode, SearchNode
from enforcement.models import Asset, AssetCategory, AssetSearch, Case, CaseStatus, SearchChannel
from enforcement.policy import is_terminated
from enforcement.selectors import (
    asset_get_for_update,
    case_get_for_update,
    enabled_categories,
    search_get_for_update,
)
from enforcement.services.common import check_time, record_node, require_open, start_if_received


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
    case = case_get_for_update(actor=actor, case=case)
    if case.status == CaseStatus.CLOSING:
        require_open(case)  # gate: gateproc — no enforcement node while the 终本 ruling is served
    check_time(launched_at)
    terminated = is_terminated(case)
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
            five_years = (case.closed_at or launched_at) + dt.timedelta(days=5 * 365 + 1)  # set: 终本
            if stopped and launched_at < five_years:
                clocks.clock_start(
                    rule_code="TERMINATED_RESEARCH", court=case.court, case=case, subject=case,
                    started_at=launched_at, responsible=case.handler,
                )
    record_node(
        case=case, kind=SearchNode.LAUNCHED, occurred_at=launched_at, actor=actor, subject=search,
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
    case = case_get_for_update(actor=actor, case=search.case_id)
    search = search_get_for_update(search.pk)
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
        case=case, kind=SearchNode.FEEDBACK, occurred_at=received_at, actor=actor, subject=search,
        payload={"findings": len(assets), "value": str(sum((a.value or 0 for a in assets), Decimal(0)))},
    )
    return assets


@transaction.atomic
def asset_mark_uncontrollable(*, actor: User, asset: Asset, at: dt.datetime, reason: str) -> Asset:
    """记录无法控制及理由 — also stops CONTROL_AFTER_FEEDBACK."""
    case = case_get_for_update(actor=actor, case=asset.case_id)
    check_time(at)
    if not reason.strip():
        raise ValidationFailed.for_field("reason", _("请说明无法控制的理由。"))
    asset = asset_get_for_update(asset.pk)
    asset.mark_uncontrollable(reason=reason[:500])
    asset.save()
    clocks.clocks_stop_for_subject(subject=asset, rule_codes=["CONTROL_AFTER_FEEDBACK"], stopped_at=at, actor=actor)
    record_node(case=case, kind=AssetNode.UNCONTROLLABLE, occurred_at=at, actor=actor, subject=asset,
                payload={"reason": reason[:500]})
    return asset
