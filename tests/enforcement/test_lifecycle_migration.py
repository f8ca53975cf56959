"""Issue 15 (e), lifecycle spec §9 T14c: the data migration that undoes the waivers
closure used to write (note "案件已结案", completed_by = the closer).

Case (2026)鲁0102执14号 received Mon 2026-06-01 09:00, closed 撤回申请 (withdrawn)
Wed 06-10 10:00 by the bureau head; the old ``_close`` waived three clocks:
- SEARCH_START: 06-02(1) 06-03(2) 06-04(3) 06-05(4) 06-08(5) → due 06-08 24:00, before
  the closure → ENDS_MOOT after due → ``breached`` (ended at the closure);
- EXECUTION_NOTICE: 06-01 + 10 days → due 06-11 24:00, after the closure → ``moot``;
- RESTRICTION_RELEASE (限消 release owed since Fri 06-05 10:00): 06-08(1) 06-09(2)
  06-10(3) → due 06-10 24:00; REFUSE_CLOSURE for 撤回: the duty is still owed →
  reopened, past due today (2026-11-21) → ``breached`` and running again.
Two past due → exactly two more breaches on the dashboard and in 期限遵守率.
"""

import datetime as dt
import importlib

import pytest
from django.apps import apps

from core.models import Deadline, DeadlineStatus
from core.services import clocks
from enforcement.models import Case, CaseStatus
from supervision.selectors.dashboard import dashboard_data
from supervision.selectors.indicators import indicators_data
from supervision.services.stats import court_stats_refresh
from tests.conftest import at
from tests.enforcement.factories import make_case

pytestmark = pytest.mark.django_db

migration = importlib.import_module("enforcement.migrations.0004_lifecycle_unwaive_closed_clocks")
NOW = at("2026-11-21 10:00")


def _end(day):
    return at(f"{day} 23:59") + dt.timedelta(seconds=59)


@pytest.fixture
def closed_with_waivers(courts, clerk, handler, bureau_head):
    case = make_case(clerk, courts.lu0102, number="(2026)鲁0102执14号", received="2026-06-01 09:00", filed="2026-06-01", handler=handler)
    closed_at = at("2026-06-10 10:00")
    release = clocks.clock_start(rule_code="RESTRICTION_RELEASE", court=case.court, case=case, subject=case,
                                 started_at=at("2026-06-05 10:00"))
    duration = Deadline.objects.get(case=case, rule__code="CASE_DURATION")
    clocks.clock_stop(deadline=duration, stopped_at=closed_at, actor=bureau_head)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closure_type="withdrawn", closed_at=closed_at)
    # what the old _close wrote: clock_waive(by_rule=True) at the moment of closing
    Deadline.objects.filter(case=case, completed_at__isnull=True).update(
        status=DeadlineStatus.WAIVED, completed_at=closed_at, completed_by=bureau_head, note="案件已结案"
    )
    clocks_ = {d.rule.code: d for d in Deadline.objects.filter(case=case).select_related("rule")}
    assert clocks_["SEARCH_START"].due_at == _end("2026-06-08")
    assert clocks_["EXECUTION_NOTICE"].due_at == _end("2026-06-11")
    assert release.due_at == _end("2026-06-10")
    return case


def test_t14c_migration_reopens_moots_and_breaches_closure_waivers(closed_with_waivers, bureau_head, court_leader, courts):
    case = closed_with_waivers
    court_stats_refresh(court_id=courts.lu0102.pk, at=NOW)
    before = dashboard_data(user=court_leader, now=NOW)["totals"]
    rate_before = indicators_data(user=court_leader, now=NOW)
    assert (before["waived"], before["breached"], before["met"]) == (3, 0, 1)

    assert migration.unwaive_closed_clocks(apps, None) == 3

    d = {x.rule.code: x for x in Deadline.objects.filter(case=case).select_related("rule")}
    closed_at = at("2026-06-10 10:00")
    assert (d["SEARCH_START"].status, d["SEARCH_START"].ended_at, d["SEARCH_START"].completed_at) == (
        "breached", closed_at, None
    )
    assert (d["EXECUTION_NOTICE"].status, d["EXECUTION_NOTICE"].ended_at, d["EXECUTION_NOTICE"].end_reason) == (
        "moot", closed_at, "withdrawn"
    )
    release = d["RESTRICTION_RELEASE"]
    assert (release.status, release.completed_at, release.completed_by, release.ended_at) == ("breached", None, None, None)
    assert release.is_running and release.due_at == _end("2026-06-10")
    assert d["CASE_DURATION"].status == "met"  # untouched
    assert not Deadline.objects.filter(status="waived").exists()
    # the clock still owed is back on the case's running list (and the scan's)
    assert list(clocks.running_deadlines_for(case).values_list("rule__code", flat=True)) == ["RESTRICTION_RELEASE"]

    court_stats_refresh(court_id=courts.lu0102.pk, at=NOW)
    after = dashboard_data(user=court_leader, now=NOW)["totals"]
    assert (after["waived"], after["breached"], after["met"]) == (0, 2, 1)
    assert after["breached"] - before["breached"] == 2
    assert after["overdue"] - before["overdue"] == 1  # the reopened release is overdue and running
    rate_after = indicators_data(user=court_leader, now=NOW)
    assert sum(r["breached"] for r in rate_after["rules"]) - sum(r["breached"] for r in rate_before["rules"]) == 2
    # idempotent: nothing left to migrate
    assert migration.unwaive_closed_clocks(apps, None) == 0


def test_t14c_migration_leaves_a_persons_waiver_alone(closed_with_waivers, bureau_head):
    """A 免除 a person approved carries the person's reason, not "案件已结案"."""
    Deadline.objects.filter(case=closed_with_waivers, rule__code="EXECUTION_NOTICE").update(note="申请执行人撤回申请，经批准免除")
    assert migration.unwaive_closed_clocks(apps, None) == 2
    assert Deadline.objects.get(case=closed_with_waivers, rule__code="EXECUTION_NOTICE").status == "waived"
