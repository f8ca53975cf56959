"""收案 in bulk (API.md "Bulk"; issue 17): many registrations checked and written
as a set, each with exactly what ``cases.case_register`` writes for one case.

What ``case_register`` does for one case, and where the set does the same:

1. ``_case_register_check``: the actor may act at the court (``can_act_at``), the
   input holds (``_case_input_errors``; the handler by ``handler_of_court``, once per
   handler and court), the receipt time is not in the future
   (``check_time``) — called item by item, by name — and the number is new: one
   query for every number of the set, plus the numbers repeated inside the set (the
   first occurrence wins, as it would one by one);
2. the case row (``_case_new``), its parties and the applicants' payout accounts
   (``_parties_new``): one set write per table (``core.services.bulk.rows_insert``:
   ``COPY`` on PostgreSQL);
3. the clocks of its type (``_registration_clocks``): one calendar snapshot and one
   rule lookup for the whole set, one INSERT;
4. the RECEIVED node event (``_registration_node``): one INSERT; events carry no
   per-row chain — ``audit``'s sealer chains whatever was committed, in id order;
   the handler's 站内通知 (``notify_case_assigned``): ``notify_cases_assigned``, one
   query for the active handlers and one INSERT;
5. ``case_registered`` → the case's ledger account: ``cases_registered`` →
   ``custody_funds`` opens all the accounts in one INSERT;
6. history: django-pghistory's triggers write the history rows of every inserted
   row, bulk or not.

An item that fails a check is answered without touching the database. If the set
write fails in the database (a number registered meanwhile by another request, a
deadlock …), the set is rolled back and its items are registered one by one through
``case_register``, each in its own savepoint: correctness first."""

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core import messages
from core.calendar import WorkingCalendar
from core.exceptions import PermissionDenied
from core.models import User
from core.rule_catalogue import CASE_TYPE_CLOCKS
from core.services import clocks
from core.services.bulk import rows_insert, set_write_or_one_by_one
from core.services.events import node_events_record_many
from enforcement import signals
from enforcement.models import Case, Party, PayoutAccount
from enforcement.policy import can_act_at
from enforcement.selectors import handler_of_court
from enforcement.services.cases import (
    CaseInput,
    _case_input_errors,
    _case_new,
    _duplicate,
    _parties_new,
    _registration_clocks,
    _registration_node,
    case_register,
)
from enforcement.services.common import check_time
from enforcement.services.notifications import notify_cases_assigned

# One registration: its position in the request, its input, normalised number, type.
Checked = tuple[int, CaseInput, str, str]


def _registration_check_offline(
    *, actor: User, data: CaseInput, handler_ok: dict[tuple[int, int], bool]
) -> tuple[str, str]:
    """``_case_register_check`` without its per-number query (the set asks once): the
    same calls, in the same order, the same refusal. Whether a handler may handle at a
    court is asked once per (handler, court) of the request (``handler_ok``)."""
    if not can_act_at(actor, data.court):
        raise PermissionDenied(_("只有本院的书记员、承办人、执行局长或对接系统可以登记案件。"))
    errors, number = _case_input_errors(data)
    if data.handler is not None:
        pair = (data.handler.pk, data.court.pk)
        if pair not in handler_ok:
            handler_ok[pair] = handler_of_court(data.handler, data.court)
        if not handler_ok[pair]:
            errors.add(
                "handler", messages.HANDLER_NOT_OF_COURT
            )  # with the rest: one answer names every field
    errors.raise_if_any()
    assert number is not None  # no errors: the number parsed
    check_time(data.received_at)
    return number.normalized, number.type_code


def _numbers_taken(numbers: set[str]) -> set[str]:
    """Which of ``numbers`` are registered already, at any court (a case number is
    unique nationally): one query."""
    return set(Case.objects.filter(case_number__in=numbers).values_list("case_number", flat=True))


def _set_write(*, actor: User, batch: list[Checked]) -> list[Case]:
    """Write every registration of ``batch`` in one set write per table
    (``rows_insert``: COPY on PostgreSQL)."""
    calendar = WorkingCalendar.load()
    rules = clocks.rules_by_code(
        code
        for _i, _d, _n, type_code in batch
        for group in CASE_TYPE_CLOCKS[type_code].values()
        for code in group
    )
    cases = [
        _case_new(data=data, normalized=number, type_code=type_code) for _i, data, number, type_code in batch
    ]
    rows_insert(cases)
    parties: list[Party] = []
    accounts: list[PayoutAccount] = []
    for case, (_i, data, _n, _t) in zip(cases, batch, strict=True):
        for party, account in _parties_new(actor=actor, case=case, data=data):
            parties.append(party)
            if account is not None:
                accounts.append(account)
    rows_insert(parties)
    rows_insert(accounts)  # party_id from the saved party
    clocks.clocks_start_many(
        [
            deadline
            for case, (_i, data, _n, type_code) in zip(cases, batch, strict=True)
            for deadline in _registration_clocks(
                case=case, data=data, type_code=type_code, calendar=calendar, rules=rules
            )
        ]
    )
    node_events_record_many(
        [
            _registration_node(actor=actor, case=case, data=data)
            for case, (_i, data, _n, _t) in zip(cases, batch, strict=True)
        ]
    )
    notify_cases_assigned(
        assignments=[(case, data.handler) for case, (_i, data, _n, _t) in zip(cases, batch, strict=True)],
        actor=actor,
    )
    signals.cases_registered.send(sender=Case, cases=cases)
    return cases


def _one_by_one(*, actor: User, batch: list[Checked], answers: list) -> None:
    for index, data, _n, _t in batch:
        try:
            with transaction.atomic():
                answers[index] = case_register(actor=actor, data=data)
        except Exception as exc:  # every item answers, whatever it raised
            answers[index] = exc


def cases_register_many(*, actor: User, items: Sequence[CaseInput | Exception]) -> list[Case | Exception]:
    """Register ``items`` (an item that could not even be read is passed as the
    exception it raised, and answered with it). Returns, in order, the new case or
    the exception that refused the item, as ``case_register`` would have raised it."""
    answers: list[Case | Exception] = list(items)  # type: ignore[arg-type]  # every CaseInput is replaced below
    checked: list[Checked] = []
    handler_ok: dict[tuple[int, int], bool] = {}
    for index, data in enumerate(items):
        if isinstance(data, Exception):
            continue
        try:
            normalized, type_code = _registration_check_offline(actor=actor, data=data, handler_ok=handler_ok)
        except Exception as exc:  # as case_register would have raised it
            answers[index] = exc
            continue
        checked.append((index, data, normalized, type_code))

    taken = _numbers_taken({number for _i, _d, number, _t in checked})
    batch: list[Checked] = []
    for index, data, number, type_code in checked:
        if number in taken:
            answers[index] = _duplicate(number)
            continue
        taken.add(number)  # a number repeated later in the set: the first one wins
        batch.append((index, data, number, type_code))
    if not batch:
        return answers

    cases = set_write_or_one_by_one(
        lambda: _set_write(actor=actor, batch=batch),
        lambda: _one_by_one(actor=actor, batch=batch, answers=answers),
        what=f"bulk registration of {len(batch)} cases",
    )
    for (index, _d, _n, _t), case in zip(batch, cases or [], strict=False):
        answers[index] = case
    return answers
