"""Asset search (查询) and its feedback, and assets that cannot be controlled — each
node starts and stops its clocks."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core import messages
from core.calendar import WorkingCalendar
from core.exceptions import FieldErrors, InvalidTransition, RuleViolation, ValidationFailed
from core.models import Deadline, DeadlineRule, NodeEvent, User
from core.services import clocks
from enforcement.events import AssetNode, DisposalNode, SearchNode
from enforcement.models import (
    Asset,
    AssetCategory,
    AssetSearch,
    AssetStatus,
    Case,
    CaseStatus,
    Party,
    PartyRole,
    PriorityTransferRequest,
    SearchChannel,
    TransferAnswer,
    UncontrollableReason,
)
from enforcement.policy import is_terminated
from enforcement.selectors import (
    asset_get_for_update,
    case_get_for_update,
    enabled_categories,
    search_get_for_update,
)
from enforcement.services.common import check_time, node_build, record_node, require_open, start_if_received


def _online_coverage(case: Case) -> set[int]:
    return set(
        case.searches.filter(channel__in=[SearchChannel.NATIONAL, SearchChannel.LOCAL]).values_list("categories", flat=True)
    ) - {None}


@transaction.atomic
def search_launch(
    *, actor: User, case: Case, channel: str, category_codes: list[str] | None, launched_at: dt.datetime,
    respondent: int | None = None,
) -> AssetSearch:
    """发起查询. Once online searches cover every category open at the court, the
    5-working-day SEARCH_START clock stops (322号 §13). On a 终本 case an online
    search is the periodic re-search (终本规定 §9) and starts the next one.
    ``respondent`` is the respondent searched (322号 §24); on a case with one respondent it
    defaults to that one, else a search without one counts for no respondent at the 终本 gate."""
    case = case_get_for_update(actor=actor, case=case)
    searched = _respondent_of(case, respondent)
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
    search = AssetSearch.objects.create(
        case=case, channel=channel, launched_at=launched_at, launched_by=actor, respondent=searched
    )
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
        payload={"channel": channel, "categories": [c.code for c in categories],
                 "respondent": searched.pk if searched else None},
    )
    return search


def _respondent_of(case: Case, respondent: int | None) -> Party | None:
    respondents = list(case.parties.filter(role=PartyRole.RESPONDENT).order_by("id"))
    if respondent is None:
        return respondents[0] if len(respondents) == 1 else None
    for party in respondents:
        if party.pk == respondent:
            return party
    raise ValidationFailed.for_field("respondent", _("该被执行人不是本案的被执行人。"))


@dataclass
class FindingInput:
    category: str
    description: str
    value: Decimal | None = None
    controllable_online: bool = False


def feedback_categories(findings: Iterable[FindingInput]) -> dict[str, AssetCategory]:
    """The asset categories ``findings`` name, by code, in one query."""
    return {c.code: c for c in AssetCategory.objects.filter(code__in={f.category for f in findings})}


def _feedback_check(
    *, search: AssetSearch, received_at: dt.datetime, findings: list[FindingInput], by_code: dict[str, AssetCategory]
) -> None:
    check_time(received_at)
    errors = FieldErrors()  # the time and every row's refusals in one answer
    if received_at < search.launched_at:
        errors.add("received_at", _("反馈时间早于查询发起时间。"))
    for index, finding in enumerate(findings):
        if finding.category not in by_code:
            errors.add(f"findings[{index}].category", _("未知财产类型：%(c)s") % {"c": finding.category})
        if not finding.description.strip():
            errors.add(f"findings[{index}].description", _("请填写财产描述。"))
        if finding.value is not None and finding.value < 0:
            errors.add(f"findings[{index}].value", messages.AMOUNT_NEGATIVE)
    errors.raise_if_any()


def _feedback_assets(
    *, case: Case, search: AssetSearch, received_at: dt.datetime, findings: list[FindingInput],
    by_code: dict[str, AssetCategory],
) -> list[Asset]:
    """The assets the findings become, not yet saved."""
    return [
        Asset(
            case=case,
            search=search,
            category=by_code[finding.category],
            description=finding.description.strip()[:500],
            value=finding.value,
            controllable_online=finding.controllable_online,
            found_at=received_at,
        )
        for finding in findings
    ]


def _feedback_clocks(
    *,
    case: Case,
    assets: list[Asset],
    received_at: dt.datetime,
    calendar: WorkingCalendar | None = None,
    rules: dict[str, DeadlineRule] | None = None,
) -> list[Deadline]:
    """CONTROL_AFTER_FEEDBACK for each saved asset that cannot be controlled online,
    not yet saved."""
    built = []
    for asset in assets:
        if not asset.controllable_online and case.status != CaseStatus.CLOSED:
            deadline = clocks.clock_build(
                rule_code="CONTROL_AFTER_FEEDBACK", court=case.court, case=case, subject=asset,
                subject_label=f"{case} · {asset}", started_at=received_at, responsible=case.handler,
                calendar=calendar, rules=rules,
            )
            if deadline is not None:
                built.append(deadline)
    return built


def _feedback_node(
    *, actor: User, case: Case, search: AssetSearch, received_at: dt.datetime, assets: list[Asset]
) -> NodeEvent:
    return node_build(
        case=case, kind=SearchNode.FEEDBACK, occurred_at=received_at, actor=actor, subject=search,
        payload={"findings": len(assets), "value": str(sum((a.value or 0 for a in assets), Decimal(0))),
                 "note": search.result_note},
    )


@transaction.atomic
def search_record_feedback(
    *, actor: User, search: AssetSearch, received_at: dt.datetime, findings: list[FindingInput], note: str = ""
) -> list[Asset]:
    """查询反馈: findings become assets. An asset that cannot be controlled online
    must be controlled within 3 working days (CONTROL_AFTER_FEEDBACK, 322号 §13).
    ``note`` is the 调查情况 (an offline investigation without findings counts at the 终本 gate
    only with it)."""
    case = case_get_for_update(actor=actor, case=search.case_id)
    search = search_get_for_update(search.pk)
    by_code = feedback_categories(findings)
    _feedback_check(search=search, received_at=received_at, findings=findings, by_code=by_code)
    search.receive_feedback(at=received_at)
    search.result_note = note.strip()[:1000]
    search.save()
    assets = _feedback_assets(case=case, search=search, received_at=received_at, findings=findings, by_code=by_code)
    for asset in assets:
        asset.save(force_insert=True)
    for deadline in _feedback_clocks(case=case, assets=assets, received_at=received_at):
        deadline.save()
    _feedback_node(actor=actor, case=case, search=search, received_at=received_at, assets=assets).save(
        force_insert=True
    )
    return assets


@transaction.atomic
def asset_mark_uncontrollable(
    *, actor: User, asset: Asset, at: dt.datetime, reason: str = "", reason_code: str = "", evidence: str = ""
) -> Asset:
    """记录无法控制及理由 — also stops CONTROL_AFTER_FEEDBACK. The reason comes from the closed
    list (终本规定 §4(二), unverified; 322号 §24): "其他" is not a reason, and the evidence is named.
    An asset already marked may be given a valid reason again (legacy free-text reasons)."""
    case = case_get_for_update(actor=actor, case=asset.case_id)
    check_time(at)
    errors: dict[str, list[str]] = {}
    if not evidence.strip():
        errors["evidence"] = [str(_("请写明证明无法控制的材料（如查封登记、扣押笔录、灭失证明）。"))]
    if reason_code not in UncontrollableReason.values:
        errors["reason_code"] = [str(_("请选择法定的无法控制理由"))]
        raise RuleViolation(
            _("无法控制的理由须为：登记在册但未能实际扣押、轮候查封且无优先权或财产已灭失；“其他”理由不予认可。"),
            code="uncontrollable_reason_invalid",
            extra={"fields": errors, "allowed": list(UncontrollableReason.values)},
        )
    if errors:
        raise ValidationFailed(_("请补全无法控制的证明材料。"), extra={"fields": errors})
    asset = asset_get_for_update(asset.pk)
    label = UncontrollableReason(reason_code).label
    text = (reason.strip() or str(label))[:500]
    asset.mark_uncontrollable(reason=text, code=reason_code, evidence=evidence.strip()[:500])
    asset.save()
    clocks.clocks_stop_for_subject(subject=asset, rule_codes=["CONTROL_AFTER_FEEDBACK"], stopped_at=at, actor=actor)
    record_node(case=case, kind=AssetNode.UNCONTROLLABLE, occurred_at=at, actor=actor, subject=asset,
                payload={"reason": text, "reason_code": reason_code, "evidence": asset.uncontrollable_evidence})
    return asset


@transaction.atomic
def asset_record_waiting_seizure(
    *, actor: User, asset: Asset, at: dt.datetime, first_court: str, applicant_priority: bool
) -> Asset:
    """记录轮候查封: another court seized first; whether the applicant has priority decides
    whether the disposal power must be asked for (322号 §24)."""
    case = case_get_for_update(actor=actor, case=asset.case_id)
    require_open(case)
    check_time(at)
    if not first_court.strip():
        raise ValidationFailed.for_field("first_court", _("请填写首封法院。"))
    asset = asset_get_for_update(asset.pk)
    if asset.status not in (AssetStatus.FOUND, AssetStatus.CONTROLLED):
        raise InvalidTransition(_("只有已查明或已控制的财产可以记录轮候查封。"), extra={"status": asset.status})
    asset.waiting_seizure, asset.first_seizing_court = True, first_court.strip()[:100]
    asset.applicant_priority = applicant_priority
    asset.save(update_fields=["waiting_seizure", "first_seizing_court", "applicant_priority"])
    record_node(case=case, kind=AssetNode.WAITING_SEIZURE, occurred_at=at, actor=actor, subject=asset,
                payload={"first_court": asset.first_seizing_court, "applicant_priority": applicant_priority})
    return asset


@transaction.atomic
def priority_transfer_request(
    *, actor: User, asset: Asset, at: dt.datetime, letter_no: str, first_court: str = ""
) -> PriorityTransferRequest:
    """商请首封法院移送处置权 (322号 §24): the letter (函), its date and the first-seizing court."""
    case = case_get_for_update(actor=actor, case=asset.case_id)
    require_open(case)
    check_time(at)
    asset = asset_get_for_update(asset.pk)
    if not (asset.waiting_seizure and asset.applicant_priority):
        raise RuleViolation(
            _("只有申请执行人享有优先权的轮候查封财产才需商请首封法院移送处置权，请先记录轮候查封。"),
            code="not_waiting_with_priority", extra={"asset": asset.pk},
        )
    court = (first_court.strip() or asset.first_seizing_court)[:100]
    if not letter_no.strip():
        raise ValidationFailed.for_field("letter_no", _("请填写商请函文号。"))
    request = PriorityTransferRequest.objects.create(
        case=case, asset=asset, first_court=court, letter_no=letter_no.strip()[:100], requested_at=at,
        requested_by=actor,
    )
    record_node(case=case, kind=DisposalNode.TRANSFER_REQUESTED, occurred_at=at, actor=actor, subject=asset,
                payload={"request": request.pk, "letter_no": request.letter_no, "first_court": court})
    return request


@transaction.atomic
def priority_transfer_answer(
    *, actor: User, request: PriorityTransferRequest, at: dt.datetime, agreed: bool, note: str
) -> PriorityTransferRequest:
    """首封法院的答复: agreed → this court disposes of the asset; refused → on record for 终本."""
    case = case_get_for_update(actor=actor, case=request.case_id)
    check_time(at)
    request = PriorityTransferRequest.objects.select_for_update(of=("self",)).get(pk=request.pk)
    if request.answered_at is not None:
        raise InvalidTransition(_("该商请函已记录答复。"))
    if at < request.requested_at:
        raise ValidationFailed.for_field("at", _("答复时间早于发函时间。"))
    if not note.strip():
        raise ValidationFailed.for_field("note", _("请填写首封法院的答复内容。"))
    request.answer = TransferAnswer.AGREED if agreed else TransferAnswer.REFUSED
    request.answered_at, request.answer_note = at, note.strip()[:500]
    request.save(update_fields=["answer", "answered_at", "answer_note"])
    record_node(case=case, kind=DisposalNode.TRANSFER_ANSWERED, occurred_at=at, actor=actor, subject=request.asset,
                payload={"request": request.pk, "agreed": agreed, "note": request.answer_note})
    return request
