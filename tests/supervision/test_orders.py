"""督办 orders (322号 §28): the services, their clocks and who may do what.

ORDER_RESPONSE counts in the rule catalogue's unit — calendar days (日), a last day
on a rest day moving to the next working day (民诉法 §85)."""

import datetime as dt

import pytest

from core.exceptions import (
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    RuleViolation,
    ValidationFailed,
)
from core.models import Deadline, NodeEvent, Role
from supervision.models import Alert, OrderStatus, ResponseReview, SupervisionOrder
from supervision.selectors.orders import order_deadlines, orders_visible_to
from supervision.services.orders import (
    order_accept,
    order_respond,
    order_return,
    order_withdraw,
)
from supervision.services.scan import scan_court
from tests.conftest import at
from tests.core.factories import make_member
from tests.enforcement.factories import make_case
from tests.supervision.factories import *  # noqa: F403

pytestmark = pytest.mark.django_db


def end_of(day: str) -> dt.datetime:
    return at(f"{day} 23:59") + dt.timedelta(seconds=59)


def clock_of(order: SupervisionOrder) -> Deadline:
    return Deadline.objects.select_related("rule").get(pk=order.response_deadline_id)


def reload(order: SupervisionOrder) -> SupervisionOrder:
    return SupervisionOrder.objects.get(pk=order.pk)


# --- issuing -----------------------------------------------------------------------------------


def test_issue_starts_the_response_clock_over_the_national_day(issue_order, courts, order_case, handler):
    # given: issued Mon 2026-09-28 with 5 days → the 5th day is Sat Oct 3, inside
    # the holiday Oct 1–7, so the period ends on the next working day, Thu Oct 8.
    order = issue_order()

    assert order.number == "鲁01督〔2026〕1号"
    assert order.status == OrderStatus.ISSUED
    assert (order.issuing_court, order.target_court) == (courts.lu01, courts.lu0102)
    clock = clock_of(order)
    assert clock.rule.code == "ORDER_RESPONSE"
    assert (clock.court, clock.case, clock.responsible) == (courts.lu0102, order_case, handler)
    assert clock.started_at == at("2026-09-28 10:00")
    assert clock.unit == "calendar_days" and clock.duration == 5
    assert clock.due_at == end_of("2026-10-08")
    # the ladder: escalated to the bureau head 2 working days after due (Fri Oct 9,
    # the 调休 Sat Oct 10), to the upper court 5 working days after (Oct 9, 10, 12, 13, 14)
    assert clock.escalate_at == end_of("2026-10-10")
    assert clock.upper_at == end_of("2026-10-14")


def test_issue_is_a_node_on_the_case_timeline(issue_order, order_case, case_supervisor):
    order = issue_order()

    event = NodeEvent.objects.get(kind="supervision.order_issued")
    assert event.case == order_case
    assert event.actor == case_supervisor
    assert event.subject_id == order.pk
    assert event.subject_label == "鲁01督〔2026〕1号 · 督促执行"
    assert event.payload["executing_court"] == "鲁0102"
    assert event.payload["case_moved"] is False
    assert event.payload["due_at"].startswith("2026-10-08T23:59:59")
    assert "backdated" in event.flags  # dated weeks before it was recorded


def test_numbers_run_per_issuing_court_and_year(issue_order, courts, clerk, handler, high_supervisor):
    other = make_case(clerk, courts.lu0102, number="(2026)鲁0102执2002号", handler=handler)

    first = issue_order()
    second = issue_order(case=other)
    from_high = issue_order(actor=high_supervisor)

    assert (first.number, second.number) == ("鲁01督〔2026〕1号", "鲁01督〔2026〕2号")
    assert from_high.number == "鲁督〔2026〕1号"
    assert from_high.issuing_court == courts.lu


def test_take_up_is_recorded_but_does_not_move_the_case(issue_order, courts, order_case):
    order = issue_order(kind="take_up")

    assert order.executing_court == courts.lu01
    order_case.refresh_from_db(fields=["court"])
    assert order_case.court == courts.lu0102  # the transfer is a separate step
    event = NodeEvent.objects.get(kind="supervision.order_issued")
    assert event.payload["executing_court"] == "鲁01"
    assert event.payload["kind_label"] == "提级执行"


def test_assign_goes_to_another_court_under_the_issuer(issue_order, courts):
    order = issue_order(kind="assign", assignee_court=courts.lu0103)

    assert order.assignee_court == courts.lu0103
    assert order.executing_court == courts.lu0103
    assert NodeEvent.objects.get(kind="supervision.order_issued").payload["assignee_court"] == "鲁0103"


@pytest.mark.parametrize(
    ("assignee", "code"),
    [
        ("lu0202", "assignee_outside_issuer"),
        ("lu0102", "assignee_is_case_court"),
        ("lu01", "assignee_outside_issuer"),
    ],
)
def test_assign_refuses_courts_outside_the_issuer_or_the_case_court(issue_order, courts, assignee, code):
    with pytest.raises(ValidationFailed) as refused:
        issue_order(kind="assign", assignee_court=getattr(courts, assignee))

    assert refused.value.code == code
    assert "assignee_court" in refused.value.extra["fields"]
    assert not SupervisionOrder.objects.exists()


def test_assign_needs_a_court_and_only_assign_takes_one(issue_order, courts):
    with pytest.raises(ValidationFailed) as missing:
        issue_order(kind="assign")
    with pytest.raises(ValidationFailed) as extra:
        issue_order(kind="urge", assignee_court=courts.lu0103)

    assert "assignee_court" in missing.value.extra["fields"]
    assert "assignee_court" in extra.value.extra["fields"]


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("instructions", {"instructions": "   "}),
        ("response_days", {"response_days": 0}),
        ("response_days", {"response_days": 366}),
        ("kind", {"kind": "transfer"}),
    ],
)
def test_issue_validates_its_input(issue_order, field, overrides):
    with pytest.raises(ValidationFailed) as refused:
        issue_order(**overrides)

    assert field in refused.value.extra["fields"]
    assert not Deadline.objects.filter(rule__code="ORDER_RESPONSE").exists()


def test_only_an_upper_court_may_issue(issue_order, basic_supervisor, bureau_head, handler):
    for user in (basic_supervisor, bureau_head, handler):
        with pytest.raises(PermissionDenied) as refused:
            issue_order(actor=user)
        assert refused.value.code == "not_upper_court"
    assert not SupervisionOrder.objects.exists()


def test_a_sibling_court_cannot_even_find_the_case(issue_order, sibling_supervisor):
    with pytest.raises(NotFound):
        issue_order(actor=sibling_supervisor)


def test_issuing_in_the_name_of_a_court_one_does_not_sit_at_is_refused(issue_order, courts):
    with pytest.raises(PermissionDenied):
        issue_order(issuing_court=courts.lu)


def test_one_open_order_per_case_and_issuing_court(issue_order, case_supervisor, high_supervisor):
    first = issue_order()

    with pytest.raises(Conflict) as refused:
        issue_order(issued_at=at("2026-09-29 10:00"))
    assert refused.value.code == "order_already_open"
    # another (higher) court may still order on the same case
    assert issue_order(actor=high_supervisor).issuing_court.code == "鲁"
    # once withdrawn, 鲁01 may issue again
    order_withdraw(actor=case_supervisor, order=first, reason="误发", at=at("2026-09-28 11:00"))
    assert issue_order(issued_at=at("2026-09-28 12:00")).number == "鲁01督〔2026〕2号"


def test_a_node_in_the_future_is_refused(issue_order, now):
    with pytest.raises(RuleViolation) as refused:
        issue_order(issued_at=now + dt.timedelta(days=1))
    assert refused.value.code == "node_in_future"
    assert not SupervisionOrder.objects.exists()


# --- responding --------------------------------------------------------------------------------


def test_a_response_in_time_stops_the_clock_met(issue_order, handler):
    order = issue_order()

    order = order_respond(
        actor=handler,
        order=order,
        text="已冻结被执行人银行存款 8 万元。",
        responded_at=at("2026-09-30 16:00"),
    )

    assert order.status == OrderStatus.RESPONDED
    clock = clock_of(order)
    assert (clock.status, clock.completed_at) == ("met", at("2026-09-30 16:00"))
    response = order.responses.get()
    assert (response.round, response.responded_by, response.review) == (1, handler, ResponseReview.PENDING)
    event = NodeEvent.objects.get(kind="supervision.order_responded")
    assert event.payload["late"] is False


def test_a_late_response_escalates_up_the_ladder_and_ends_it(issue_order, courts, bureau_head):
    order = issue_order()

    # when the scan runs after Thu Oct 15 (upper_at end of Wed Oct 14)
    scan_court(court_id=courts.lu0102.pk, at=at("2026-10-15 09:00"))

    alerts = {a.level: a for a in Alert.objects.filter(deadline_id=order.response_deadline_id)}
    assert {"overdue", "escalated", "upper"} <= set(alerts)
    assert (alerts["escalated"].to_court, alerts["escalated"].to_role) == (courts.lu0102, Role.BUREAU_HEAD)
    assert (alerts["upper"].to_court, alerts["upper"].to_role) == (courts.lu01, Role.CASE_SUPERVISOR)

    order_respond(
        actor=bureau_head, order=order, text="已采取查封措施。", responded_at=at("2026-10-15 10:00")
    )

    assert clock_of(order).status == "breached"
    assert not Alert.objects.filter(deadline_id=order.response_deadline_id, resolved_at__isnull=True).exists()
    assert NodeEvent.objects.get(kind="supervision.order_responded").payload["late"] is True


def test_only_the_target_court_responds(issue_order, case_supervisor, clerk, sibling_clerk, high_supervisor):
    order = issue_order()

    for user, error in [
        (case_supervisor, PermissionDenied),
        (clerk, PermissionDenied),
        (high_supervisor, PermissionDenied),
    ]:
        with pytest.raises(error) as refused:
            order_respond(actor=user, order=order, text="已办理。", responded_at=at("2026-09-30 10:00"))
        assert refused.value.code == "not_target_court"
    with pytest.raises(NotFound):
        order_respond(actor=sibling_clerk, order=order, text="已办理。", responded_at=at("2026-09-30 10:00"))
    assert reload(order).status == OrderStatus.ISSUED


def test_a_response_needs_its_text(issue_order, handler):
    order = issue_order()
    with pytest.raises(ValidationFailed) as refused:
        order_respond(actor=handler, order=order, text="  ")
    assert "text" in refused.value.extra["fields"]


def test_states_refuse_out_of_order_actions(issue_order, handler, case_supervisor):
    order = issue_order()

    with pytest.raises(InvalidTransition) as early_accept:
        order_accept(actor=case_supervisor, order=order)
    assert early_accept.value.code == "invalid_transition"
    order_respond(actor=handler, order=order, text="已办理。", responded_at=at("2026-09-30 10:00"))
    with pytest.raises(InvalidTransition):
        order_respond(actor=handler, order=order, text="再次回复。", responded_at=at("2026-09-30 11:00"))
    with pytest.raises(InvalidTransition) as late_withdraw:
        order_withdraw(actor=case_supervisor, order=order, reason="不再需要")
    assert late_withdraw.value.extra["status"] == "responded"


# --- reviewing ---------------------------------------------------------------------------------


def test_accepting_closes_the_order(issue_order, handler, case_supervisor):
    order = issue_order()
    order_respond(actor=handler, order=order, text="已办理。", responded_at=at("2026-09-30 10:00"))

    order = order_accept(actor=case_supervisor, order=order, note="措施到位。", at=at("2026-10-08 09:00"))

    assert order.status == OrderStatus.CLOSED
    assert (order.closed_by, order.closed_at, order.close_note) == (
        case_supervisor,
        at("2026-10-08 09:00"),
        "措施到位。",
    )
    assert order.responses.get().review == ResponseReview.ACCEPTED
    assert NodeEvent.objects.filter(kind="supervision.order_accepted", case=order.case).exists()


def test_returning_starts_a_new_round_with_a_new_clock(issue_order, handler, case_supervisor):
    order = issue_order()
    order_respond(actor=handler, order=order, text="已发出执行通知。", responded_at=at("2026-09-30 10:00"))
    first_clock = clock_of(order)

    # returned Mon Oct 12 with 3 days → Thu Oct 15
    order = order_return(
        actor=case_supervisor,
        order=order,
        note="仅发通知不足以推进执行，请采取控制措施。",
        response_days=3,
        at=at("2026-10-12 09:00"),
    )

    assert (order.status, order.round, order.response_days) == (OrderStatus.ISSUED, 2, 3)
    new_clock = clock_of(order)
    assert new_clock.pk != first_clock.pk
    assert (new_clock.status, new_clock.started_at, new_clock.due_at) == (
        "open",
        at("2026-10-12 09:00"),
        end_of("2026-10-15"),
    )
    assert Deadline.objects.get(pk=first_clock.pk).status == "met"
    assert order.responses.get(round=1).review == ResponseReview.RETURNED
    assert [d.pk for d in order_deadlines(order)] == [first_clock.pk, new_clock.pk]

    # round 2
    order_respond(actor=handler, order=order, text="已冻结存款并扣划。", responded_at=at("2026-10-14 10:00"))
    order = order_accept(actor=case_supervisor, order=order, at=at("2026-10-14 15:00"))
    assert order.status == OrderStatus.CLOSED
    assert clock_of(order).status == "met"
    assert list(order.responses.values_list("round", "review")) == [(1, "returned"), (2, "accepted")]


def test_returning_needs_a_reason(issue_order, handler, case_supervisor):
    order = issue_order()
    order_respond(actor=handler, order=order, text="已办理。", responded_at=at("2026-09-30 10:00"))
    with pytest.raises(ValidationFailed) as refused:
        order_return(actor=case_supervisor, order=order, note="")
    assert "note" in refused.value.extra["fields"]
    assert reload(order).status == OrderStatus.RESPONDED


def test_the_lower_court_cannot_review_its_own_response(issue_order, handler, bureau_head):
    order = issue_order()
    order_respond(actor=handler, order=order, text="已办理。", responded_at=at("2026-09-30 10:00"))

    with pytest.raises(PermissionDenied) as refused:
        order_accept(actor=bureau_head, order=order)
    assert refused.value.code == "not_issuing_court"


def test_maker_checker_for_someone_on_both_sides(issue_order, courts, case_supervisor):
    # given: one person who is 专人监管 at 鲁01 and handler at 鲁0102
    both = make_member(Role.CASE_SUPERVISOR, courts.lu01, "both_sides")
    make_member(Role.HANDLER, courts.lu0102, "both_sides")

    own = issue_order(actor=both)
    with pytest.raises(PermissionDenied) as respond_own:
        order_respond(actor=both, order=own, text="已办理。", responded_at=at("2026-09-30 10:00"))
    assert respond_own.value.code == "maker_checker"

    order_withdraw(actor=both, order=own, reason="改由他人督办", at=at("2026-09-28 11:00"))
    other = issue_order(actor=case_supervisor, issued_at=at("2026-09-28 12:00"))
    order_respond(actor=both, order=other, text="已办理。", responded_at=at("2026-09-30 10:00"))
    with pytest.raises(PermissionDenied) as review_own:
        order_accept(actor=both, order=other)
    assert review_own.value.code == "maker_checker"


# --- withdrawing -------------------------------------------------------------------------------


def test_withdrawing_ends_the_clock_moot(issue_order, case_supervisor):
    """Issue 15 (spec §0, [C10]): no rule waives a clock; the withdrawn order's
    response clock ends ``moot`` at the withdrawal, never ``waived``."""
    order = issue_order()

    order = order_withdraw(actor=case_supervisor, order=order, reason="案件已和解", at=at("2026-09-29 09:00"))

    assert (order.status, order.withdrawn_by, order.withdraw_reason) == (
        OrderStatus.WITHDRAWN,
        case_supervisor,
        "案件已和解",
    )
    clock = clock_of(order)
    assert (clock.status, clock.ended_at, clock.end_reason, clock.completed_at) == (
        "moot", at("2026-09-29 09:00"), "order_withdrawn", None
    )
    assert NodeEvent.objects.filter(kind="supervision.order_withdrawn").count() == 1


def test_withdrawing_after_the_response_was_due_keeps_the_breach(issue_order, case_supervisor):
    """Issued Mon 09-28 10:00 for 5 days → due 10-03 (rest) → rolls to 10-08 24:00;
    withdrawn 10-09 09:00, after it fell due: the clock stays ``breached``, ended."""
    order = issue_order()
    assert clock_of(order).due_at.date().isoformat() == "2026-10-08"

    order_withdraw(actor=case_supervisor, order=order, reason="案件已和解", at=at("2026-10-09 09:00"))

    clock = clock_of(order)
    assert (clock.status, clock.ended_at, clock.completed_at) == ("breached", at("2026-10-09 09:00"), None)
    assert not clock.is_running


def test_only_the_issuing_side_withdraws(issue_order, bureau_head, high_supervisor):
    order = issue_order()
    with pytest.raises(PermissionDenied):
        order_withdraw(actor=bureau_head, order=order, reason="不需要")
    # a court above the issuer may
    assert (
        order_withdraw(actor=high_supervisor, order=order, reason="由省院统一督办").status
        == OrderStatus.WITHDRAWN
    )


# --- who sees what -----------------------------------------------------------------------------


def test_orders_are_visible_to_both_sides_and_to_the_assignee_only(
    issue_order, courts, case_supervisor, handler, high_supervisor, sibling_supervisor, sibling_clerk
):
    urge = issue_order()
    assign = issue_order(actor=high_supervisor, kind="assign", assignee_court=courts.lu0103)

    assert set(orders_visible_to(case_supervisor)) == {urge, assign}
    assert set(orders_visible_to(handler)) == {urge, assign}
    assert set(orders_visible_to(high_supervisor)) == {urge, assign}
    assert set(orders_visible_to(sibling_clerk)) == {assign}  # 鲁0103 is to execute it
    assert list(orders_visible_to(sibling_supervisor)) == []


# --- demo data ---------------------------------------------------------------------------------


def test_demo_orders_and_petitions(courts, clerk, handler, bureau_head, case_supervisor, high_supervisor, today):
    from supervision import demo_orders
    from supervision.models import Petition

    # given: the demo's people and one open case per basic court, received three months ago
    make_member(Role.CASE_SUPERVISOR, courts.lu02, "supervisor_lu02")
    for court in (courts.lu0103, courts.lu0202):
        for role in (Role.CLERK, Role.HANDLER, Role.BUREAU_HEAD):
            make_member(role, court, f"{role}_{court.code}")
    received = today - dt.timedelta(days=90)
    for number, court in [
        ("鲁0102执3001号", courts.lu0102),
        ("鲁0102执3002号", courts.lu0102),
        ("鲁0103执3001号", courts.lu0103),
        ("鲁0202执3001号", courts.lu0202),
        ("鲁0202执3002号", courts.lu0202),
    ]:
        make_case(
            clerk if court == courts.lu0102 else court.memberships.filter(role=Role.CLERK).first().user,
            court,
            number=f"({received.year}){number}",
            received=f"{received} 10:00",
            filed=(received - dt.timedelta(days=4)).isoformat(),
        )

    created = demo_orders.seed()

    orders = {
        o.issuing_court.code + o.kind + o.status: o
        for o in SupervisionOrder.objects.select_related("issuing_court")
    }
    assert set(orders) == {
        "鲁01urgeissued",
        "鲁01urgeresponded",
        "鲁02urgeclosed",
        "鲁01assignissued",
        "鲁take_upissued",
    }
    overdue = orders["鲁01urgeissued"]
    assert Deadline.objects.get(pk=overdue.response_deadline_id).due_at < dt.datetime.now(dt.UTC)
    petitions = Petition.objects.all()
    assert {p.status for p in petitions} == {"received", "registered", "concluded", "closed"}
    assert petitions.filter(dualcheck_flagged_at__isnull=False).exists()
    assert created == SupervisionOrder.objects.count() + petitions.count()
    assert NodeEvent.objects.filter(kind="supervision.order_issued", flags__contains=["imported"]).exists()
    # idempotent
    assert demo_orders.seed() == 0
