"""Concurrent transitions on one case, with real transactions and threads on
PostgreSQL: exactly one wins, the others get a clean 409."""

import threading

import pytest
from django.db import connection
from django_fsm import TransitionNotAllowed

from core.exceptions import ApplicationError
from core.models import NodeEvent
from enforcement.models import Case, CaseStatus
from enforcement.services.cases import case_suspend
from enforcement.services.closure import case_close
from tests.conftest import at
from tests.enforcement.factories import make_case

pytestmark = pytest.mark.django_db(transaction=True)


def race(n, work):
    barrier = threading.Barrier(n)
    outcomes: list = []
    lock = threading.Lock()

    def run(i):
        try:
            barrier.wait()
            result = ("ok", work(i))
        except TransitionNotAllowed:
            result = ("refused", "invalid_transition")  # the API answers 409 invalid_transition
        except ApplicationError as exc:
            result = ("refused", exc.code)
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not any(t.is_alive() for t in threads), "a thread is still running"
    return outcomes


def test_concurrent_suspensions_exactly_one_wins(courts, clerk, handler, bureau_head):
    case = make_case(clerk, courts.lu0102, handler=handler)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.EXECUTING)
    outcomes = race(6, lambda i: case_suspend(actor=clerk, case=Case(pk=case.pk), at=at("2026-10-09 10:00"),
                                           ruling_number=f"(2026)鲁0102执异{i}号", approved_by=bureau_head.pk))
    assert sorted(o[0] for o in outcomes) == ["ok"] + ["refused"] * 5
    assert all(o[1] == "invalid_transition" for o in outcomes if o[0] == "refused")
    assert NodeEvent.objects.filter(case=case, kind="case.suspended").count() == 1
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUSPENDED


def test_concurrent_closures_exactly_one_wins(courts, clerk, handler):
    case = make_case(clerk, courts.lu0102, handler=handler)
    closures = ["withdrawn", "rejected", "terminated", "not_executed"]
    outcomes = race(4, lambda i: case_close(actor=clerk, case=Case(pk=case.pk), closure=closures[i],
                                            closed_at=at("2026-10-20 10:00"), document="文书"))
    assert sorted(o[0] for o in outcomes) == ["ok", "refused", "refused", "refused"]
    assert NodeEvent.objects.filter(case=case, kind="case.closed").count() == 1
    closed = Case.objects.get(pk=case.pk)
    assert closed.status == CaseStatus.CLOSED and closed.closure_type in closures
