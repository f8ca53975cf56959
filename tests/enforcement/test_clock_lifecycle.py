"""Issue 15 items 1–2: case events follow the catalogue's LIFECYCLE table
(docs/clock-lifecycle-spec.md §1, tests T1–T4, T14)."""

import datetime as dt

import pytest

from core.exceptions import RuleViolation
from core.models import Deadline, DeadlineRule
from core.rule_catalogue import (
    CATALOGUE,
    CLOSURE_EVENTS,
    ENDS_MOOT,
    KEEP_RUNNING,
    LIFECYCLE,
    LIFECYCLE_EVENTS,
    PAUSE_WITH_APPROVED_REASON,
    REFUSE_CLOSURE,
    RESUMES,
    STOP_MET,
    pauses_on,
)
from core.services import clocks
from enforcement.models import Case, CaseStatus, ClosureType, PartyRole
from enforcement.services import cases as case_services
from enforcement.services import closure as closure_services
from enforcement.services import measures as measure_services
from tests.conftest import at
from tests.enforcement.factories import make_case

pytestmark = pytest.mark.django_db


def _clock(case, code, started, **kw):
    return clocks.clock_start(rule_code=code, court=case.court, case=case, subject=case, started_at=at(started), **kw)


def _end(day):
    """24:00 of ``day`` (stored as 23:59:59 Asia/Shanghai)."""
    return at(f"{day} 23:59") + dt.timedelta(seconds=59)


def _executing(case):
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.EXECUTING)  # a first node moved it on


def _due(d):
    return Deadline.objects.get(pk=d.pk).due_at


def test_t1_fully_executed_refused_while_restriction_release_owed(courts, clerk, handler):
    case = make_case(clerk, courts.lu0102, number="(2026)鲁0102执1号", received="2026-04-01 09:00", filed="2026-04-01", handler=handler)
    respondent = case.parties.get(role=PartyRole.RESPONDENT)
    [restriction] = measure_services.credit_issue(actor=clerk, case=case, party_id=respondent.pk, kind="restriction", issued_at=at("2026-04-10 10:00"))
    case_services.case_record_fulfilment(actor=clerk, case=case, at=at("2026-04-30 10:00"), note="被执行人已全部履行")
    release = Deadline.objects.get(case=case, rule__code="RESTRICTION_RELEASE")
    assert release.due_at == _end("2026-05-08")  # 05-06(1) 05-07(2) 05-08(3), 24:00
    with pytest.raises(RuleViolation) as exc:
        closure_services.case_close(actor=clerk, case=case, closure="fully_executed", closed_at=at("2026-05-07 11:00"), document="结案通知书")
    assert exc.value.code == "closure_blocked_by_clocks"
    assert exc.value.extra["clocks"] == [
        {"deadline": release.pk, "rule": "RESTRICTION_RELEASE", "rule_name": "解除限制消费令",
         "subject": release.subject_label, "due_at": release.due_at.isoformat()}
    ]
    # named for a person: the rule's name, never its code
    assert "解除限制消费令" in exc.value.message and "RESTRICTION_RELEASE" not in exc.value.message
    case.refresh_from_db()
    assert case.status != CaseStatus.CLOSED
    measure_services.credit_release(actor=clerk, measure=restriction, at=at("2026-05-07 14:00"), reason="履行完毕")
    assert Deadline.objects.get(pk=release.pk).status == "met"
    closure_services.case_close(actor=clerk, case=case, closure="fully_executed", closed_at=at("2026-05-07 15:00"), document="结案通知书")
    duration = Deadline.objects.get(case=case, rule__code="CASE_DURATION")
    assert duration.status == "met" and duration.due_at == _end("2026-10-08")  # 10-01 → 10-08 (rest days)
    assert not Deadline.objects.filter(case=case, status="waived").exists()


@pytest.mark.parametrize("closure", ["withdrawn", "fully_executed", "not_executed", "rejected", "terminated"])
def test_t2_money_in_the_account_refuses_closure(courts, clerk, handler, closure):
    case = make_case(clerk, courts.lu0102, number="(2026)鲁0102执2号", received="2026-09-01 09:00", filed="2026-09-01", handler=handler)
    if closure == "fully_executed":
        case_services.case_record_fulfilment(actor=clerk, case=case, at=at("2026-09-28 10:00"), note="履行完毕")
    notice = _clock(case, "FUNDS_NOTICE", "2026-09-18 15:00")
    assert notice.due_at == _end("2026-10-09")  # 09-20 (make-up) … 10-09, 24:00
    with pytest.raises(RuleViolation) as exc:
        closure_services.case_close(actor=clerk, case=case, closure=closure, closed_at=at("2026-09-29 10:00"), document="裁定书")
    assert exc.value.code == "closure_blocked_by_clocks"
    assert [c["rule"] for c in exc.value.extra["clocks"]] == ["FUNDS_NOTICE"]
    assert Deadline.objects.get(pk=notice.pk).status == "open"
    clocks.clock_stop(deadline=notice, stopped_at=at("2026-09-29 11:00"), note="提存")
    closure_services.case_close(actor=clerk, case=case, closure=closure, closed_at=at("2026-09-29 12:00"), document="裁定书")
    assert not Deadline.objects.filter(case=case, status="waived").exists()


def test_t3_a_seizure_survives_termination_of_this_round(courts, clerk, handler, bureau_head):
    case = make_case(clerk, courts.lu0102, number="(2026)鲁0102执3号", received="2026-03-01 09:00", filed="2026-03-01", handler=handler)
    expiry = _clock(case, "CONTROL_EXPIRY", "2026-03-10 10:00", variant="real_estate")
    assert expiry.due_at == _end("2029-03-10")  # 2029-03-10 (Sat), no roll, 24:00
    # the 终本 gate is another task's: apply the closure's clock step directly
    closure_services._close(case, closure="terminated_this_round", at=at("2026-07-20 10:00"), document="裁定书", actor=bureau_head)
    d = Deadline.objects.get(pk=expiry.pk)
    assert (d.status, d.completed_at, d.due_at) == ("open", None, _end("2029-03-10"))
    assert Deadline.objects.filter(case=case, rule__code="TERMINATED_RESEARCH", completed_at__isnull=True).exists()


def test_t4_suspension_pauses_only_procedure_clocks(courts, clerk, handler, bureau_head):
    case = make_case(clerk, courts.lu0102, number="(2026)鲁0102执4号", received="2026-04-13 09:00", filed="2026-04-13", handler=handler)
    search = Deadline.objects.get(case=case, rule__code="SEARCH_START")
    notice = Deadline.objects.get(case=case, rule__code="EXECUTION_NOTICE")
    duration = Deadline.objects.get(case=case, rule__code="CASE_DURATION")
    expiry = _clock(case, "CONTROL_EXPIRY", "2026-04-13 11:00", variant="deposit")
    funds = _clock(case, "FUNDS_NOTICE", "2026-04-14 10:00")
    assert (search.due_at, funds.due_at, expiry.due_at) == (_end("2026-04-20"), _end("2026-04-28"), _end("2027-04-13"))
    _executing(case)
    case_services.case_suspend(actor=clerk, case=case, at=at("2026-04-15 10:00"), ruling_number="（2026）鲁0102执异1号",
                               approved_by=bureau_head.pk)
    assert Deadline.objects.get(pk=funds.pk).paused_at is None
    assert Deadline.objects.get(pk=expiry.pk).paused_at is None
    assert Deadline.objects.get(pk=search.pk).paused_at == at("2026-04-15 10:00")
    case_services.case_resume(actor=clerk, case=case, at=at("2026-04-22 09:00"))
    assert _due(search) == _end("2026-04-27")  # 04-27 24:00
    assert _due(notice) == _end("2026-04-30")  # 04-23 + 7 d = 04-30 24:00
    assert _due(duration) == _end("2026-10-20")  # 10-13 + 7 d = 10-20 24:00
    assert _due(funds) == _end("2026-04-28")  # 04-28 24:00, not paused
    assert _due(expiry) == _end("2027-04-13")  # 2027-04-13 24:00, not paused


def test_t14a_lifecycle_covers_every_rule_and_event():
    assert set(LIFECYCLE) == {spec["code"] for spec in CATALOGUE}
    for code, row in LIFECYCLE.items():
        assert tuple(row) == LIFECYCLE_EVENTS, code
        assert "WAIVE" not in "".join(row.values())
        # the money clocks never pause on the 中止 itself (322号 §22: only 延缓发放)
    assert not pauses_on("FUNDS_NOTICE", "suspend", "suspension")
    assert pauses_on("FUNDS_NOTICE", "suspend", "funds_hold")
    assert LIFECYCLE["CONTROL_EXPIRY"]["suspend"] == KEEP_RUNNING


# T14 (a): every rule × every case event — 中止 (with 恢复), 执恢, each closure incl.
# 销案, 移送/指定执行. A fresh clock starts 07-15 10:00 (every ENDS_MOOT rule is due
# after 07-20); the "old" twin of an ENDS_MOOT clock started 06-02 is overdue by then.
_WALK_EVENTS = ("suspend", "restore", *CLOSURE_EVENTS, "move")
_WALK = [(code, event) for code in LIFECYCLE for event in _WALK_EVENTS]
_FRESH, _OLD, _CLOSED = "2026-07-15 10:00", "2026-06-02 10:00", "2026-07-20 10:00"


def _walk_clock(case, code, started):
    variant = "deposit" if code == "CONTROL_EXPIRY" else ""
    duration = 30 if code in ("SELF_DISPOSAL", "ORDER_RESPONSE", "DUALCHECK_REPORT", "DUALCHECK_SUPPLEMENT") else None
    return _clock(case, code, started, variant=variant, duration=duration)


def _assert_kept(d, due):
    assert (d.status, d.completed_at, d.ended_at, d.paused_at, d.due_at) == ("open", None, None, None, due)


@pytest.mark.parametrize(("code", "event"), _WALK)
def test_t14_walk_every_rule_through_every_case_event(
    courts, clerk, handler, bureau_head, case_supervisor, code, event
):
    case = make_case(clerk, courts.lu0102, number="(2026)鲁0102执9号", received="2026-06-01 09:00", filed="2026-06-01", handler=handler)
    if code == "CASE_DURATION":
        clock = Deadline.objects.get(case=case, rule__code=code)
    else:
        Deadline.objects.filter(case=case).exclude(rule__code="CASE_DURATION").delete()
        # a rule shipped switched off (DISHONEST_CORRECTION, h/credit) still follows its row once enabled
        DeadlineRule.objects.filter(code=code, is_active=False).update(is_active=True)
        clock = _walk_clock(case, code, _FRESH)
    due = clock.due_at
    outcome = LIFECYCLE[code][event]
    if event == "suspend":
        _executing(case)
        case_services.case_suspend(actor=clerk, case=case, at=at("2026-07-16 10:00"), ruling_number="(2026)鲁0102执异9号",
                                   approved_by=bureau_head.pk)
        d = Deadline.objects.get(pk=clock.pk)
        paused = outcome == PAUSE_WITH_APPROVED_REASON and pauses_on(code, "suspend", "suspension")
        assert (d.paused_at is not None) == paused
        # the money clocks: PAUSE only with an approved 延缓发放, never on a bare 中止
        assert paused == (outcome == PAUSE_WITH_APPROVED_REASON and not code.startswith("FUNDS_"))
        case_services.case_resume(actor=clerk, case=case, at=at("2026-07-23 10:00"))
        d = Deadline.objects.get(pk=clock.pk)
        assert d.paused_at is None and d.status == "open" and d.ended_at is None
        assert (d.due_at > due) == (LIFECYCLE[code]["resume"] == RESUMES and paused)
        return
    if event == "move":
        # 提级执行 (322号 §28 via 民事诉讼法 §237): the case's clocks are untouched ([D3])
        from supervision.services.orders import order_issue

        order_issue(actor=case_supervisor, case=case, kind="take_up", instructions="该案疑难复杂，决定由本院提级执行。",
                    response_days=5, issued_at=at("2026-07-16 10:00"))
        assert outcome == KEEP_RUNNING
        _assert_kept(Deadline.objects.get(pk=clock.pk), due)
        return
    if event == "restore":
        # 执恢 of a 终本 case: the old case's clocks follow the ``restore`` column
        if code == "TERMINATED_RESEARCH":
            clock.delete()  # 终本 starts it
        closure_services._close(case, closure="terminated_this_round", at=at("2026-07-15 12:00"), document="裁定书", actor=bureau_head)
        if code == "TERMINATED_RESEARCH":
            clock = Deadline.objects.get(case=case, rule__code=code)
            due = clock.due_at
        elif not Deadline.objects.get(pk=clock.pk).is_running:
            assert LIFECYCLE[code]["terminated_this_round"] == STOP_MET  # n/a: 终本 stopped it
            return
        closure_services.case_restore(actor=clerk, case=case, new_case_number="(2026)鲁0102执恢9号",
                                      received_at=at(_CLOSED), reason="发现新的财产")
        d = Deadline.objects.get(pk=clock.pk)
        if outcome == ENDS_MOOT:
            assert (d.status, d.ended_at, d.end_reason, d.completed_at) == ("moot", at(_CLOSED), "restore", None)
        else:
            assert outcome == KEEP_RUNNING
            _assert_kept(d, due)
        return
    old = None
    if outcome == ENDS_MOOT:
        old = _walk_clock(case, code, _OLD)
        clocks.clocks_mark_breached(court_id=case.court_id, at=at("2026-07-14 00:00"))
        assert Deadline.objects.get(pk=old.pk).status == "breached"
    if event == "fully_executed":
        case_services.case_record_fulfilment(actor=clerk, case=case, at=at("2026-07-16 10:00"), note="履行完毕")
    closed_at = at(_CLOSED)
    if outcome == REFUSE_CLOSURE and event != "terminated_this_round":
        with pytest.raises(RuleViolation) as exc:
            closure_services.case_close(actor=clerk, case=case, closure=event, closed_at=closed_at, document="裁定书")
        assert exc.value.code == "closure_blocked_by_clocks"
        assert [c["deadline"] for c in exc.value.extra["clocks"]] == [clock.pk]
        assert Case.objects.get(pk=case.pk).status != CaseStatus.CLOSED
        return
    if outcome == REFUSE_CLOSURE:
        assert [c["deadline"] for c in closure_services.clocks_blocking_closure(case, event)] == [clock.pk]
        return
    if event == "terminated_this_round":  # the 终本 gate (§3) is another task's: the closure's clock step
        closure_services._close(case, closure=event, at=closed_at, document="裁定书", actor=bureau_head)
    else:
        closure_services.case_close(actor=clerk, case=case, closure=event, closed_at=closed_at, document="裁定书")
    assert Case.objects.get(pk=case.pk).closure_type == event
    d = Deadline.objects.get(pk=clock.pk)
    running = set(clocks.running_deadlines_for(case).values_list("pk", flat=True))
    if outcome == STOP_MET:
        assert (d.status, d.completed_at) == ("met", closed_at)
    elif outcome == PAUSE_WITH_APPROVED_REASON and pauses_on(code, event, "suspension"):
        assert (d.paused_at, d.completed_at, d.status) == (closed_at, None, "open")
    elif outcome == PAUSE_WITH_APPROVED_REASON:  # the money clocks: only an approved 延缓发放 pauses them
        _assert_kept(d, due)
    elif outcome == ENDS_MOOT:
        assert (d.status, d.ended_at, d.end_reason, d.completed_at) == ("moot", closed_at, event, None)
        o = Deadline.objects.get(pk=old.pk)
        # the overdue twin keeps its breach: ended, no completion recorded, off the to-do lists
        assert (o.status, o.ended_at, o.completed_at) == ("breached", closed_at, None)
        assert not running & {d.pk, o.pk}
    else:
        assert outcome == KEEP_RUNNING
        _assert_kept(d, due)
        assert d.pk in running
    assert not Deadline.objects.filter(case=case, status="waived").exists()


def test_t14_no_rule_waives_a_clock():
    """``clock_waive(by_rule=...)`` no longer exists: only a person's approved 免除 waives."""
    import inspect

    assert "by_rule" not in inspect.signature(clocks.clock_waive).parameters
    assert all("WAIVE" not in outcome for row in LIFECYCLE.values() for outcome in row.values())
    assert "cancelled" in CLOSURE_EVENTS and set(CLOSURE_EVENTS) == set(ClosureType.values)


def test_t14b_catalogue_page_shows_the_lifecycle_table(client, courts, clerk):
    import re

    from django.urls import reverse

    client.force_login(clerk)
    html = client.get(reverse("core:rules")).content.decode()
    table = html[html.index('id="lifecycle-table"'):]
    table = table[: table.index("</table>")]
    shown = {
        code: re.findall(r'data-outcome="([A-Z_]+)"', row)
        for code, row in re.findall(r'<tr data-lifecycle="(\w+)"><td>[^<]*</td>(.*?)</tr>', table)
    }
    assert shown == {code: [row[e] for e in LIFECYCLE_EVENTS] for code, row in LIFECYCLE.items()}
    funds = dict(re.findall(r'<tr data-lifecycle="(\w+)"><td>[^<]*</td>(.*?)</tr>', table))["FUNDS_NOTICE"]
    assert re.search(r'data-event="suspend" data-outcome="PAUSE_WITH_APPROVED_REASON">[^<]*延缓发放审批', funds)
    assert re.search(r'data-event="fully_executed" data-outcome="REFUSE_CLOSURE">不得结案', funds)


def test_an_ended_breach_stays_in_the_counts_but_raises_no_more_alerts(courts, clerk, handler):
    """ENDS_MOOT on an overdue clock (spec §1.2 guard rails 2–3): received Wed 07-15 →
    SEARCH_START 07-16(1) 07-17(2) 07-20(3) 07-21(4) 07-22(5) → due 07-22 24:00; the scan at
    07-23 00:10 marks it breached and raises ``overdue``; closed 执行完毕 07-24 10:00 → stays
    ``breached``, ended, its alerts resolved; the scan at 07-30 (past escalate = due + 2 WD =
    07-24 and upper = due + 5 WD = 07-29) raises nothing more for it."""
    from supervision.models import Alert
    from supervision.services.scan import scan_court

    case = make_case(clerk, courts.lu0102, number="(2026)鲁0102执15号", received="2026-07-15 09:00", filed="2026-07-15", handler=handler)
    search = Deadline.objects.get(case=case, rule__code="SEARCH_START")
    assert search.due_at == _end("2026-07-22") and search.upper_at.date().isoformat() == "2026-07-29"
    scan_court(court_id=case.court_id, at=at("2026-07-23 00:10"))
    assert Deadline.objects.get(pk=search.pk).status == "breached"
    assert Alert.objects.filter(deadline=search, level="overdue", resolved_at__isnull=True).exists()
    case_services.case_record_fulfilment(actor=clerk, case=case, at=at("2026-07-24 09:00"), note="履行完毕")
    closure_services.case_close(actor=clerk, case=case, closure="fully_executed", closed_at=at("2026-07-24 10:00"), document="结案通知书")
    d = Deadline.objects.get(pk=search.pk)
    assert (d.status, d.ended_at, d.completed_at) == ("breached", at("2026-07-24 10:00"), None)
    assert not Alert.objects.filter(deadline=search, resolved_at__isnull=True).exists()
    levels_before = set(Alert.objects.filter(deadline=search).values_list("level", flat=True))
    scan_court(court_id=case.court_id, at=at("2026-07-30 10:00"))
    assert set(Alert.objects.filter(deadline=search).values_list("level", flat=True)) == levels_before
    assert not Alert.objects.filter(deadline=search, resolved_at__isnull=True).exists()


def test_cancellation_xiaoan_over_rest_and_in_the_browser(as_user, client, courts, clerk, handler):
    """销案 (``cancelled``) is a closure type of the REST contract and of the 结案 form: received
    Mon 06-01 09:00, SEARCH_START due 06-08 24:00, EXECUTION_NOTICE 06-11 24:00; 销案 06-03
    10:00 → both ``moot`` (ended, not met), CASE_DURATION ``met``; nothing ``waived``."""
    from django.urls import reverse

    rest = make_case(clerk, courts.lu0102, number="(2026)鲁0102执16号", received="2026-06-01 09:00", filed="2026-06-01", handler=handler)
    response = as_user(clerk).post(f"/api/v1/cases/{rest.pk}/close/", {
        "closure": "cancelled", "closed_at": "2026-06-03T10:00:00+08:00", "document": "（2026）鲁0102执16号之一"}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["closure_type"]) == ("closed", "cancelled")
    shown = {d["rule"]: (d["status"], d["end_reason"]) for d in response.json()["deadlines"]}
    assert shown["SEARCH_START"] == ("moot", "cancelled") and shown["EXECUTION_NOTICE"] == ("moot", "cancelled")
    assert shown["CASE_DURATION"] == ("met", "")

    page = make_case(clerk, courts.lu0102, number="(2026)鲁0102执17号", received="2026-06-01 09:00", filed="2026-06-01", handler=handler)
    client.force_login(clerk)
    form = client.get(reverse("enforcement:case-detail", kwargs={"case_id": page.pk})).content.decode()
    assert '<option value="cancelled">销案</option>' in form
    url = reverse("enforcement:case-action", kwargs={"case_id": page.pk, "action": "close"})
    assert client.post(url, {"closure": "cancelled", "closed_at": "2026-06-03T10:00", "document": "销案通知"}).status_code == 302
    assert Case.objects.get(pk=page.pk).closure_type == "cancelled"
    assert set(Deadline.objects.filter(case=page).values_list("rule__code", "status")) == {
        ("SEARCH_START", "moot"), ("EXECUTION_NOTICE", "moot"), ("CASE_DURATION", "met")
    }
