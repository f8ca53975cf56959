"""Issue 16: an order's and a petition's forms name every refused field in one answer."""

import pytest

from core.exceptions import ValidationFailed
from supervision.models import Petition, SupervisionOrder
from tests.supervision.factories import *  # noqa: F403


def test_an_order_with_three_bad_fields_names_all_three(issue_order):
    with pytest.raises(ValidationFailed) as refused:
        issue_order(kind="scold", instructions="  ", response_days=0)
    assert set(refused.value.extra["fields"]) == {"kind", "instructions", "response_days"}
    assert not SupervisionOrder.objects.exists()


def test_an_assignment_without_a_court_and_without_instructions_names_both(issue_order):
    with pytest.raises(ValidationFailed) as refused:
        issue_order(kind="assign", instructions="")
    assert set(refused.value.extra["fields"]) == {"instructions", "assignee_court"}


def test_a_petition_with_four_bad_fields_names_all_four(receive_petition):
    with pytest.raises(ValidationFailed) as refused:
        receive_petition(
            channel="pigeon", petitioner_id_number="370102199001011230", petitioner_phone="123", content=""
        )
    fields = refused.value.extra["fields"]
    assert set(fields) == {"channel", "petitioner_id_number", "petitioner_phone", "content"}
    assert not Petition.objects.exists()


def test_a_good_petition_is_received(receive_petition):
    assert receive_petition().pk is not None
