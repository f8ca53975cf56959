"""督办 and 信访 under concurrency, with real transactions and threads on PostgreSQL:
numbers never collide, one open order per case and issuer, one response per round."""

import pytest

from core.models import NodeEvent, User
from supervision.models import Petition, SupervisionOrder, SupervisionOrderResponse
from supervision.services.orders import order_issue, order_respond
from supervision.services.petitions import petition_receive, petition_register
from tests.concurrency import race
from tests.conftest import at
from tests.enforcement.factories import make_case

pytestmark = pytest.mark.django_db(transaction=True)


def fresh(user) -> User:
    return User.objects.get(pk=user.pk)


def test_orders_issued_at_once_get_distinct_numbers(courts, clerk, handler, case_supervisor):
    cases = [
        make_case(
            clerk,
            courts.lu0102,
            number=f"(2026)鲁0102执40{i}号",
            received="2026-09-01 10:00",
            filed="2026-08-28",
            handler=handler,
        )
        for i in range(4)
    ]

    outcomes = race(
        4,
        lambda i: order_issue(
            actor=fresh(case_supervisor),
            case=cases[i],
            kind="urge",
            instructions="请推进。",
            response_days=5,
            issued_at=at("2026-09-28 10:00"),
        ).number,
    )

    assert sorted(o[1] for o in outcomes) == [f"鲁01督〔2026〕{n}号" for n in range(1, 5)]


def test_one_open_order_per_case_even_when_issued_at_once(courts, clerk, handler, case_supervisor):
    case = make_case(
        clerk,
        courts.lu0102,
        number="(2026)鲁0102执4101号",
        received="2026-09-01 10:00",
        filed="2026-08-28",
        handler=handler,
    )

    outcomes = race(
        4,
        lambda i: order_issue(
            actor=fresh(case_supervisor),
            case=case,
            kind="urge",
            instructions=f"第{i}份督办。",
            response_days=5,
            issued_at=at("2026-09-28 10:00"),
        ).pk,
    )

    assert sorted(o[0] for o in outcomes) == ["ok", "refused", "refused", "refused"]
    assert {o[1] for o in outcomes if o[0] == "refused"} == {"order_already_open"}
    assert SupervisionOrder.objects.count() == 1
    assert NodeEvent.objects.filter(kind="supervision.order_issued").count() == 1


def test_one_response_per_round(courts, clerk, handler, bureau_head, case_supervisor):
    case = make_case(
        clerk,
        courts.lu0102,
        number="(2026)鲁0102执4201号",
        received="2026-09-01 10:00",
        filed="2026-08-28",
        handler=handler,
    )
    order = order_issue(
        actor=case_supervisor,
        case=case,
        kind="urge",
        instructions="请推进。",
        response_days=5,
        issued_at=at("2026-09-28 10:00"),
    )
    responders = [handler, bureau_head, handler, bureau_head]

    outcomes = race(
        4,
        lambda i: order_respond(
            actor=fresh(responders[i]),
            order=SupervisionOrder(pk=order.pk),
            text=f"回复{i}",
            responded_at=at("2026-09-30 10:00"),
        ).pk,
    )

    assert sorted(o[0] for o in outcomes) == ["ok", "refused", "refused", "refused"]
    assert {o[1] for o in outcomes if o[0] == "refused"} == {"invalid_transition"}
    assert SupervisionOrderResponse.objects.filter(order_id=order.pk).count() == 1


def test_petitions_registered_at_once_get_distinct_numbers(courts, clerk):
    petitions = [
        petition_receive(
            actor=clerk,
            court=courts.lu0102,
            channel="letter",
            petitioner_name=f"信访人{i}",
            content="反映问题。",
            received_at=at("2026-09-29 10:00"),
        )
        for i in range(4)
    ]

    outcomes = race(
        4,
        lambda i: petition_register(
            actor=fresh(clerk), petition=Petition(pk=petitions[i].pk), at=at("2026-09-30 10:00")
        ).number,
    )

    assert sorted(o[1] for o in outcomes) == [f"鲁0102信〔2026〕{n}号" for n in range(1, 5)]
