"""Fixtures of the 督办 and 信访 tests (imported by those modules with
``from tests.supervision.order_fixtures import *``).

Dates: the 2026 National Day holiday runs Thu Oct 1 – Wed Oct 7 with the 调休
working Saturday Oct 10 (and Sunday Sep 27 a holiday of the Mid-autumn festival)."""

import pytest

from core.models import Role
from tests.conftest import at
from tests.enforcement.factories import make_case
from tests.factories import make_member


@pytest.fixture
def order_case(courts, clerk, handler):
    """A case of 鲁0102 (under 鲁01 under 鲁), handled by ``handler``."""
    return make_case(
        clerk,
        courts.lu0102,
        number="(2026)鲁0102执2001号",
        received="2026-09-01 10:00",
        filed="2026-08-28",
        handler=handler,
    )


@pytest.fixture
def sibling_supervisor(courts):
    """专人监管 of 鲁02: a sibling branch, sees nothing of 鲁01's courts."""
    return make_member(Role.CASE_SUPERVISOR, courts.lu02, "sibling_supervisor")


@pytest.fixture
def sibling_clerk(courts):
    """A clerk of 鲁0103, the sibling of 鲁0102 under 鲁01."""
    return make_member(Role.CLERK, courts.lu0103, "sibling_clerk")


@pytest.fixture
def basic_supervisor(courts):
    """专人监管 of the case's own court 鲁0102: not an upper court."""
    return make_member(Role.CASE_SUPERVISOR, courts.lu0102, "basic_supervisor")


@pytest.fixture
def high_supervisor(courts):
    return make_member(Role.CASE_SUPERVISOR, courts.lu, "high_supervisor")


@pytest.fixture
def issue_order(case_supervisor, order_case):
    """Issue an order from 鲁01's 专人监管 (defaults: 督促执行, 5 days, Mon 2026-09-28 10:00)."""
    from supervision.services.orders import order_issue

    def issue(**overrides):
        params = {
            "actor": case_supervisor,
            "case": order_case,
            "kind": "urge",
            "instructions": "该案长期未采取控制措施，请于期限内查明财产并依法控制。",
            "response_days": 5,
            "issued_at": at("2026-09-28 10:00"),
        }
        params.update(overrides)
        return order_issue(**params)

    return issue


@pytest.fixture
def receive_petition(clerk, courts):
    """Receive a petition at 鲁0102 (defaults: a letter received Tue 2026-09-29 10:00)."""
    from supervision.services.petitions import petition_receive

    def receive(**overrides):
        params = {
            "actor": clerk,
            "court": courts.lu0102,
            "channel": "letter",
            "petitioner_name": "李四",
            "petitioner_id_number": "370102199001011231",
            "petitioner_phone": "13812345678",
            "content": "执行法院收到案款后迟迟未发放。",
            "received_at": at("2026-09-29 10:00"),
        }
        params.update(overrides)
        return petition_receive(**params)

    return receive


__all__ = [
    "basic_supervisor",
    "high_supervisor",
    "issue_order",
    "order_case",
    "receive_petition",
    "sibling_clerk",
    "sibling_supervisor",
]
