"""查询反馈 in bulk (API.md "Bulk"; issue 17): many searches' feedback checked and
written as a set, each with what ``assets.search_record_feedback`` writes for one.

What ``search_record_feedback`` does for one search, and where the set does the same:

1. finds the search inside the user's courts (else 404): one query for all
   (``searches_visible``);
2. locks the case (the actor must act at its court) and the search: all the cases,
   then all the searches, each in id order, in one query each;
3. ``_feedback_check`` (time, launch time, findings) with the categories of every
   item looked up once; the search's transition (``receive_feedback``: 409 when the
   search already has its feedback — so a search fed back twice in one request, the
   second time);
4. the search (status, time, 调查情况): one UPDATE for all; the assets
   (``_feedback_assets``), their CONTROL_AFTER_FEEDBACK clocks (``_feedback_clocks``,
   one calendar snapshot) and the FEEDBACK node events (``_feedback_node``): one
   INSERT per table. History rows come from the tables' triggers.

An item refused by a check writes nothing. If the set write fails in the database,
it is rolled back and its items are recorded one by one through
``search_record_feedback``, each in its own savepoint."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.calendar import WorkingCalendar
from core.exceptions import NotFound, PermissionDenied
from core.models import User
from core.services import clocks
from core.services.bulk import rows_insert, set_write_or_one_by_one
from core.services.events import node_events_record_many
from enforcement.models import Asset, AssetSearch, Case
from enforcement.policy import can_act_at
from enforcement.selectors import cases_and_searches_lock, searches_visible
from enforcement.services.assets import (
    FindingInput,
    _feedback_assets,
    _feedback_check,
    _feedback_clocks,
    _feedback_node,
    feedback_categories,
    search_record_feedback,
)


@dataclass
class FeedbackItem:
    search: int
    received_at: dt.datetime
    findings: list[FindingInput]
    note: str = ""


# One accepted item: its position, input, the locked search and case.
Accepted = tuple[int, FeedbackItem, AssetSearch, Case]


def _set_write(*, actor: User, accepted: list[Accepted], by_code: dict) -> list[list[Asset]]:
    AssetSearch.objects.bulk_update(
        [search for _i, _item, search, _c in accepted], ["status", "feedback_at", "result_note"]
    )
    per_item = [
        _feedback_assets(
            case=case, search=search, received_at=item.received_at, findings=item.findings, by_code=by_code
        )
        for _i, item, search, case in accepted
    ]
    rows_insert([asset for assets in per_item for asset in assets])
    calendar = WorkingCalendar.load()
    rules = clocks.rules_by_code(["CONTROL_AFTER_FEEDBACK"])
    clocks.clocks_start_many(
        [
            deadline
            for (_i, item, _s, case), assets in zip(accepted, per_item, strict=True)
            for deadline in _feedback_clocks(
                case=case, assets=assets, received_at=item.received_at, calendar=calendar, rules=rules
            )
        ]
    )
    node_events_record_many(
        [
            _feedback_node(actor=actor, case=case, search=search, received_at=item.received_at, assets=assets)
            for (_i, item, search, case), assets in zip(accepted, per_item, strict=True)
        ]
    )
    return per_item


def _one_by_one(*, actor: User, accepted: list[Accepted], answers: list) -> None:
    for index, item, search, _case in accepted:
        try:
            with transaction.atomic():
                answers[index] = search_record_feedback(
                    actor=actor,
                    search=AssetSearch(pk=search.pk, case_id=search.case_id),
                    received_at=item.received_at,
                    findings=item.findings,
                    note=item.note,
                )
        except Exception as exc:  # every item answers, whatever it raised
            answers[index] = exc


@transaction.atomic
def searches_record_feedback_many(
    *, actor: User, items: Sequence[FeedbackItem | Exception]
) -> list[list[Asset] | Exception]:
    """Record the feedback ``items`` (an item that could not even be read is passed as
    the exception it raised, and answered with it). Returns, in order, each item's new
    assets or the exception that refused it, as ``search_record_feedback`` raises it."""
    answers: list = list(items)
    pending = [(index, item) for index, item in enumerate(items) if isinstance(item, FeedbackItem)]
    visible = searches_visible(actor, [item.search for _i, item in pending])
    for index, item in pending:
        if item.search not in visible:
            answers[index] = NotFound()
    pending = [(index, item) for index, item in pending if item.search in visible]
    if not pending:
        return answers
    cases, searches = cases_and_searches_lock(
        [visible[item.search].case_id for _i, item in pending], [item.search for _i, item in pending]
    )
    by_code = feedback_categories(finding for _i, item in pending for finding in item.findings)
    accepted: list[Accepted] = []
    for index, item in pending:
        search = searches[item.search]
        case = search.case = cases[search.case_id]  # the locked case, also for str(search)
        try:
            if not can_act_at(actor, case.court):
                raise PermissionDenied(_("只有本院的书记员、承办人、执行局长或对接系统可以办理该案件节点。"))
            _feedback_check(
                search=search, received_at=item.received_at, findings=item.findings, by_code=by_code
            )
            search.receive_feedback(at=item.received_at)  # the second item of one search: 409
            search.result_note = item.note.strip()[:1000]
        except Exception as exc:  # as search_record_feedback would have raised it
            answers[index] = exc
            continue
        accepted.append((index, item, search, case))
    if not accepted:
        return answers
    per_item = set_write_or_one_by_one(
        lambda: _set_write(actor=actor, accepted=accepted, by_code=by_code),
        lambda: _one_by_one(actor=actor, accepted=accepted, answers=answers),
        what=f"bulk feedback of {len(accepted)} searches",
    )
    for (index, _item, _s, _c), assets in zip(accepted, per_item or [], strict=False):
        answers[index] = assets
    return answers
