"""Property clues (财产线索): received, verified, concluded (CLUE_VERIFY clock)."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core import messages
from core.exceptions import InvalidTransition, ValidationFailed
from core.models import User
from core.services import clocks
from enforcement.events import PropertyClueNode
from enforcement.models import Asset, AssetCategory, Case, ClueStatus, PropertyClue
from enforcement.selectors import case_get_for_update, property_clue_get_for_update
from enforcement.services.common import check_time, record_node, require_open


@transaction.atomic
def property_clue_receive(
    *, actor: User, case: Case, received_at: dt.datetime, description: str, source: str = "",
    specific: bool = False, urgent: bool = False,
) -> PropertyClue:
    """财产线索: specific and urgent → verification within 24 hours, else 7 days."""
    case = case_get_for_update(actor=actor, case=case)
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
    record_node(case=case, kind=PropertyClueNode.RECEIVED, occurred_at=received_at, actor=actor, subject=clue,
                payload={"specific": specific, "urgent": urgent})
    return clue


@transaction.atomic
def property_clue_start_verification(*, actor: User, clue: PropertyClue, at: dt.datetime) -> PropertyClue:
    case = case_get_for_update(actor=actor, case=clue.case_id)
    check_time(at)
    clue = property_clue_get_for_update(clue.pk)
    if at < clue.received_at:
        raise ValidationFailed.for_field("at", _("核查时间早于收到线索的时间。"))
    clue.start_verification(at=at)
    clue.save()
    clocks.clocks_stop_for_subject(subject=clue, rule_codes=["CLUE_VERIFY"], stopped_at=at, actor=actor)
    record_node(case=case, kind=PropertyClueNode.VERIFYING, occurred_at=at, actor=actor, subject=clue)
    return clue


@transaction.atomic
def property_clue_conclude(
    *, actor: User, clue: PropertyClue, at: dt.datetime, true: bool, note: str, asset: int | None = None
) -> PropertyClue:
    """核查完毕; a clue found true may name the asset it found at once (``asset``)."""
    case = case_get_for_update(actor=actor, case=clue.case_id)
    check_time(at)
    if not note.strip():
        raise ValidationFailed.for_field("note", _("请填写核查结果。"))
    clue = property_clue_get_for_update(clue.pk)
    (clue.confirm if true else clue.refute)(at=at, note=note[:1000])
    clue.save()
    if asset is not None and not true:
        raise ValidationFailed.for_field("asset", _("经查不实的线索不能关联财产。"))
    record_node(case=case, kind=PropertyClueNode.VERIFIED, occurred_at=at, actor=actor, subject=clue,
                payload={"true": true, "note": note[:1000]})
    if asset is not None:
        clue = property_clue_link_asset(actor=actor, clue=clue, at=at, asset=asset)
    return clue


@transaction.atomic
def property_clue_link_asset(
    *, actor: User, clue: PropertyClue, at: dt.datetime, asset: int | None = None, category: str = "",
    description: str = "", value: Decimal | None = None,
) -> PropertyClue:
    """登记线索查明的财产 (322号 §13 "经查属实的，应当立即采取控制措施"): an existing asset of the
    case (``asset``), or a new one (``category`` + ``description``) found at ``at``."""
    case = case_get_for_update(actor=actor, case=clue.case_id)
    check_time(at)
    clue = property_clue_get_for_update(clue.pk)
    if clue.status != ClueStatus.TRUE:
        raise InvalidTransition(_("只有经查属实的线索才能登记查明的财产。"), extra={"status": clue.status})
    if clue.asset_id is not None:
        raise InvalidTransition(_("该线索已登记查明的财产。"))
    if asset is not None:
        found = Asset.objects.filter(case=case, pk=asset).first()
        if found is None:
            raise ValidationFailed.for_field("asset", _("该财产不属于本案。"))
    else:
        errors: dict[str, list[str]] = {}
        cat = AssetCategory.objects.filter(code=category).first()
        if cat is None:
            errors["category"] = [str(_("请选择财产类型。"))]
        if not description.strip():
            errors["description"] = [str(_("请填写财产描述。"))]
        if value is not None and value < 0:
            errors["value"] = [str(messages.AMOUNT_NEGATIVE)]
        if errors:
            raise ValidationFailed(_("请补全线索查明的财产。"), extra={"fields": errors})
        found = Asset.objects.create(
            case=case, category=cat, description=description.strip()[:500], value=value, found_at=at
        )
    clue.asset = found
    clue.save(update_fields=["asset"])
    record_node(case=case, kind=PropertyClueNode.ASSET_LINKED, occurred_at=at, actor=actor, subject=clue,
                payload={"asset": found.pk})
    return clue
