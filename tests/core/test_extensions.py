"""Extensions by rule (issue 15 item 3; lifecycle spec §2, tests T5b, T5e, T5f):
which clocks may be extended, by whom, up to what — and a breach stays on record.
Dates hand-computed on the 2026 calendar (rest days 05-01–05, 10-01–07; make-up
working day Sat 10-10)."""

import datetime as dt

import pytest

from core.exceptions import PermissionDenied, RuleViolation
from core.models import DeadlineExtension, DeadlineStatus, NodeEvent, Role
from core.rule_catalogue import CATALOGUE, EXTENSIONS
from core.services import clocks
from core.services.clocks.recompute import clocks_mark_breached
from tests.conftest import at
from tests.core.factories import make_member

pytestmark = pytest.mark.django_db


def end_of(day: str) -> dt.datetime:
    return at(f"{day} 23:59") + dt.timedelta(seconds=59)


@pytest.fixture
def president(courts):
    """院领导 of 鲁0102: the system has no 院长 role; 院领导 stands for the court president."""
    return make_member(Role.COURT_LEADER, courts.lu0102, "president_0102")


FIXED = [
    "SEARCH_START", "FUNDS_NOTICE", "FUNDS_PAYMENT", "RESTRICTION_RELEASE", "DISHONEST_DELETE",
    "CONTROL_AFTER_FEEDBACK", "PETITION_REGISTER", "PETITION_CLOSE",
]


@pytest.mark.parametrize("rule", FIXED)
def test_t5b_a_period_the_law_fixes_cannot_be_extended(rule, courts, bureau_head, president):
    clock = clocks.clock_start(rule_code=rule, court=courts.lu0102, started_at=at("2026-11-16 10:00"))
    due = clock.due_at
    for approver in (bureau_head, president):
        with pytest.raises(RuleViolation) as refused:
            clocks.clock_extend(deadline=clock, added=1, reason="申请延长", approved_by=approver)
        assert refused.value.code == "extension_not_allowed"
        assert refused.value.extra["rule"] == rule
    clock.refresh_from_db()
    assert clock.due_at == due and not DeadlineExtension.objects.exists()


def test_every_extendable_rule_is_in_the_catalogue():
    codes = {spec["code"] for spec in CATALOGUE}
    assert set(EXTENSIONS) <= codes
    units = {spec["code"]: spec["unit"] for spec in CATALOGUE}
    assert all(units[code] == policy["unit"] for code, policy in EXTENSIONS.items())


@pytest.fixture
def duration_clock(courts):
    # 立案 2026-01-05: + 6 months = Sun 07-05 → Mon 07-06
    return clocks.clock_start(rule_code="CASE_DURATION", court=courts.lu0102, started_at=at("2026-01-05 00:00"))


def test_t5a_case_duration_needs_the_president_and_at_most_three_months(
    duration_clock, bureau_head, president, courts, time_machine
):
    assert duration_clock.due_at == end_of("2026-07-06")
    time_machine.move_to(at("2026-06-30 10:00"), tick=False)
    with pytest.raises(PermissionDenied) as refused:
        clocks.clock_extend(deadline=duration_clock, added=3, reason="财产处置中", approved_by=bureau_head)
    assert refused.value.code == "extension_wrong_role"
    upper_leader = make_member(Role.COURT_LEADER, courts.lu01, "leader_lu01")
    with pytest.raises(PermissionDenied) as refused:
        clocks.clock_extend(deadline=duration_clock, added=3, reason="财产处置中", approved_by=upper_leader)
    assert refused.value.code == "extension_wrong_court"

    # 07-05 + 3 months = Mon 10-05, a rest day (10-01–07) → Thu 10-08
    clock = clocks.clock_extend(deadline=duration_clock, added=3, reason="财产处置中", approved_by=president,
                                unit="months")
    assert clock.due_at == end_of("2026-10-08")
    assert clock.original_due_at == end_of("2026-07-06")
    assert clock.status == DeadlineStatus.OPEN

    with pytest.raises(RuleViolation) as refused:
        clocks.clock_extend(deadline=clock, added=1, reason="再延长", approved_by=president)
    assert refused.value.code == "extension_exceeds_maximum"
    assert {k: refused.value.extra[k] for k in ("max_total", "used", "unit")} == {
        "max_total": 3, "used": 3, "unit": "months"
    }


def test_t5c_an_extension_in_another_unit_is_refused(duration_clock, president):
    from core.exceptions import ValidationFailed

    with pytest.raises(ValidationFailed) as refused:
        clocks.clock_extend(deadline=duration_clock, added=90, reason="x", approved_by=president, unit="working_days")
    assert refused.value.code == "extension_unit_mismatch"
    assert "unit" in refused.value.extra["fields"]


def test_t5e_an_extension_after_the_breach_keeps_the_breach(duration_clock, president, courts, time_machine):
    time_machine.move_to(at("2026-07-07 00:10"), tick=False)
    assert clocks_mark_breached(court_id=courts.lu0102.pk, at=at("2026-07-07 00:10")) == 1
    duration_clock.refresh_from_db()
    assert duration_clock.status == DeadlineStatus.BREACHED

    time_machine.move_to(at("2026-07-08 10:00"), tick=False)
    clock = clocks.clock_extend(deadline=duration_clock, added=3, reason="财产处置中", approved_by=president)
    # the new due date is for the remaining work; the ladder follows it
    assert clock.due_at == end_of("2026-10-08")
    assert clock.escalate_at == end_of("2026-10-10")  # 10-09(1) 10-10(2, make-up Sat)
    assert clock.upper_at == end_of("2026-10-14")  # 10-12(3) 10-13(4) 10-14(5)
    assert clock.status == DeadlineStatus.BREACHED
    event = NodeEvent.objects.get(kind="clock.extended", subject_id=clock.pk)
    assert event.payload["breached"] is True

    # done within the extension: still a breach, recorded as 延长后按期完成
    clock = clocks.clock_stop(deadline=clock, stopped_at=at("2026-09-01 10:00"))
    assert clock.status == DeadlineStatus.BREACHED
    assert clocks.within_extension(clock)


def test_an_extension_approved_after_the_due_moment_is_a_breach_even_before_the_scan(
    duration_clock, president, time_machine
):
    time_machine.move_to(at("2026-07-07 09:00"), tick=False)
    clock = clocks.clock_extend(deadline=duration_clock, added=1, reason="x", approved_by=president)
    assert clock.status == DeadlineStatus.BREACHED
    # a stop declared before the original due moment was on time, extension or not
    clock = clocks.clock_stop(deadline=clock, stopped_at=at("2026-07-06 17:00"))
    assert clock.status == DeadlineStatus.MET


def test_an_extension_in_time_still_ends_met(duration_clock, president, time_machine):
    time_machine.move_to(at("2026-06-30 10:00"), tick=False)
    clocks.clock_extend(deadline=duration_clock, added=3, reason="x", approved_by=president)
    time_machine.move_to(at("2026-09-01 10:00"), tick=False)
    clock = clocks.clock_stop(deadline=duration_clock, stopped_at=at("2026-09-01 10:00"))
    assert clock.status == DeadlineStatus.MET and not clocks.within_extension(clock)


def test_t5f_self_disposal_with_its_extensions_stays_within_90_days(courts, bureau_head, time_machine):
    time_machine.move_to(at("2026-03-02 10:00"), tick=False)
    clock = clocks.clock_start(rule_code="SELF_DISPOSAL", court=courts.lu0102, started_at=at("2026-03-02 10:00"),
                               duration=60)
    assert clock.due_at == end_of("2026-05-06")  # 03-02 + 60 = Fri 05-01, rest until 05-05
    with pytest.raises(RuleViolation) as refused:
        clocks.clock_extend(deadline=clock, added=31, reason="x", approved_by=bureau_head)
    assert refused.value.code == "extension_exceeds_maximum"
    assert refused.value.extra["max_total"] == 90 and refused.value.extra["used"] == 60
    upper_head = make_member(Role.BUREAU_HEAD, courts.lu01, "head_lu01")
    with pytest.raises(PermissionDenied) as refused:
        clocks.clock_extend(deadline=clock, added=30, reason="x", approved_by=upper_head)
    assert refused.value.code == "extension_wrong_court"
    clock = clocks.clock_extend(deadline=clock, added=30, reason="买受人尚在筹款", approved_by=bureau_head)
    assert clock.due_at == end_of("2026-06-01")  # 05-01 + 30 = Sun 05-31 → Mon 06-01


def test_the_catalogue_page_says_who_may_extend_what(client, courts, handler):
    from core.models import DeadlineRule

    client.force_login(handler)
    body = client.get("/rules/").content.decode()
    section = body[body.index('id="extension-table"'):]
    row = section[section.index('data-rule="CASE_DURATION"'):]
    row = row[: row.index("</tr>")]
    assert "本院院长（院领导）" in row and "累计不超过 3 月" in row and "须在期限届满前申请" in row
    row = section[section.index('data-rule="SEARCH_START"'):]
    assert "不得延长" in row[: row.index("</tr>")]
    row = section[section.index('data-rule="SELF_DISPOSAL"'):]
    assert "合计不超过 90 日" in row[: row.index("</tr>")]
    assert section.count("<tr data-rule=") == DeadlineRule.objects.count()
