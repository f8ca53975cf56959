"""执行信访 (322号 §30): received → registered within 5 working days → concluded
within 30 working days (both counted from receipt) → result fed back."""

import datetime as dt

import pytest

from core.exceptions import (
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from core.models import CalendarYear, Deadline, NodeEvent
from supervision.models import Petition, PetitionStatus
from supervision.selectors.petitions import petitions_flagged_for_dualcheck, petitions_visible_to
from supervision.services.petitions import (
    petition_conclude,
    petition_dualcheck_link,
    petition_feedback,
    petition_flag_dualcheck,
    petition_register,
)
from tests.conftest import at
from tests.supervision.factories import *  # noqa: F403

pytestmark = pytest.mark.django_db


def end_of(day: str) -> dt.datetime:
    return at(f"{day} 23:59") + dt.timedelta(seconds=59)


def clock(pk) -> Deadline:
    return Deadline.objects.select_related("rule").get(pk=pk)


def registered(receive_petition, clerk, **overrides):
    petition = receive_petition(**overrides)
    return petition_register(actor=clerk, petition=petition, at=at("2026-09-30 09:00"))


def test_receiving_starts_both_clocks_from_receipt(receive_petition, courts, clerk):
    # received Tue 2026-09-29 10:00, the day before the National Day holiday
    petition = receive_petition()

    assert petition.status == PetitionStatus.RECEIVED
    assert petition.number is None
    register = clock(petition.register_deadline_id)
    close = clock(petition.close_deadline_id)
    assert (register.rule.code, close.rule.code) == ("PETITION_REGISTER", "PETITION_CLOSE")
    assert register.started_at == close.started_at == at("2026-09-29 10:00")
    assert register.court == courts.lu0102
    # 5 working days: Sep 30, Oct 8, Oct 9, Sat Oct 10 (调休), Mon Oct 12
    assert register.due_at == end_of("2026-10-12")
    # 30 working days: ... the 30th is Mon Nov 16
    assert close.due_at == end_of("2026-11-16")
    event = NodeEvent.objects.get(kind="supervision.petition_received")
    assert (event.court, event.actor, event.subject_id) == (courts.lu0102, clerk, petition.pk)


def test_identity_numbers_are_validated_and_normalised(receive_petition):
    petition = receive_petition(
        petitioner_id_number="37010219900101123１", petitioner_phone="+86 138 1234 5678"
    )

    assert petition.petitioner_id_number == "370102199001011231"
    assert petition.petitioner_phone == "13812345678"


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("petitioner_id_number", "370102199001011234", "invalid_id_number"),
        ("petitioner_phone", "12345", "invalid_phone"),
    ],
)
def test_a_wrong_identity_number_is_refused_on_its_field(receive_petition, field, value, code):
    with pytest.raises(ValidationFailed) as refused:
        receive_petition(**{field: value})

    assert refused.value.code == code
    assert field in refused.value.extra["fields"]
    assert not Petition.objects.exists()


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("content", {"content": " "}),
        ("petitioner_name", {"petitioner_name": ""}),
        ("channel", {"channel": "fax"}),
    ],
)
def test_receiving_validates_its_input(receive_petition, field, overrides):
    with pytest.raises(ValidationFailed) as refused:
        receive_petition(**overrides)
    assert field in refused.value.extra["fields"]


def test_a_petition_whose_period_runs_into_an_unloaded_year_is_recorded_with_a_provisional_clock(
    receive_petition,
):
    CalendarYear.objects.filter(year=2027).delete()

    petition = receive_petition(received_at=at("2026-11-20 10:00"))

    close = clock(petition.close_deadline_id)
    assert close.provisional is True  # 30 working days reach into 2027: predicted calendar
    assert close.due_at.year == 2027
    assert clock(petition.register_deadline_id).provisional is False


def test_registering_in_time_gives_a_number_and_stops_the_register_clock(receive_petition, clerk):
    petition = receive_petition()

    petition = petition_register(actor=clerk, petition=petition, at=at("2026-10-12 18:00"))

    assert petition.status == PetitionStatus.REGISTERED
    assert petition.number == "鲁0102信〔2026〕1号"
    assert clock(petition.register_deadline_id).status == "met"
    assert clock(petition.close_deadline_id).completed_at is None  # still running
    assert NodeEvent.objects.filter(kind="supervision.petition_registered", subject_id=petition.pk).exists()


def test_registering_late_is_a_breach(receive_petition, clerk):
    petition = receive_petition()
    second = receive_petition(petitioner_name="王五")

    petition_register(actor=clerk, petition=petition, at=at("2026-10-12 18:00"))
    second = petition_register(actor=clerk, petition=second, at=at("2026-10-13 09:00"))

    assert second.number == "鲁0102信〔2026〕2号"
    assert clock(second.register_deadline_id).status == "breached"


def test_registering_twice_is_refused(receive_petition, clerk):
    petition = registered(receive_petition, clerk)
    with pytest.raises(InvalidTransition) as refused:
        petition_register(actor=clerk, petition=petition)
    assert refused.value.code == "invalid_transition"


def test_concluding_stops_the_close_clock(receive_petition, clerk, handler):
    petition = registered(receive_petition, clerk)

    petition = petition_conclude(
        actor=handler,
        petition=petition,
        result="经查，案款已于10月20日发放。",
        finding="untrue",
        concluded_at=at("2026-11-16 17:00"),
    )

    assert petition.status == PetitionStatus.CONCLUDED
    assert (petition.finding, petition.concluded_by) == ("untrue", handler)
    assert clock(petition.close_deadline_id).status == "met"


def test_a_founded_petition_needs_the_measures_taken(receive_petition, clerk, handler):
    petition = registered(receive_petition, clerk)

    with pytest.raises(ValidationFailed) as refused:
        petition_conclude(actor=handler, petition=petition, result="属实。", finding="true")

    assert "measures" in refused.value.extra["fields"]
    petition = petition_conclude(
        actor=handler,
        petition=petition,
        result="属实。",
        finding="true",
        measures="责令承办人三日内发放案款。",
        concluded_at=at("2026-11-17 10:00"),
    )
    assert clock(petition.close_deadline_id).status == "breached"  # one working day late


def test_a_clerk_records_but_does_not_conclude(receive_petition, clerk):
    petition = registered(receive_petition, clerk)
    with pytest.raises(PermissionDenied) as refused:
        petition_conclude(actor=clerk, petition=petition, result="已处理。", finding="untrue")
    assert refused.value.code == "not_petition_concluder"


def test_concluding_before_registering_is_refused(receive_petition, handler):
    petition = receive_petition()
    with pytest.raises(InvalidTransition):
        petition_conclude(actor=handler, petition=petition, result="已处理。", finding="untrue")


def test_feedback_closes_the_petition(receive_petition, clerk, handler):
    petition = registered(receive_petition, clerk)
    with pytest.raises(InvalidTransition):
        petition_feedback(actor=clerk, petition=petition, method="phone")
    petition_conclude(
        actor=handler,
        petition=petition,
        result="已发放。",
        finding="untrue",
        concluded_at=at("2026-10-20 10:00"),
    )

    with pytest.raises(ValidationFailed) as bad_method:
        petition_feedback(actor=clerk, petition=petition, method="pigeon")
    assert "method" in bad_method.value.extra["fields"]
    petition = petition_feedback(
        actor=clerk,
        petition=petition,
        method="phone",
        note="信访人表示满意。",
        fed_back_at=at("2026-10-21 10:00"),
    )

    assert petition.status == PetitionStatus.CLOSED
    assert (petition.fed_back_at, petition.feedback_method, petition.fed_back_by) == (
        at("2026-10-21 10:00"),
        "phone",
        clerk,
    )
    kinds = list(
        NodeEvent.objects.filter(subject_id=petition.pk, kind__startswith="supervision.petition").values_list(
            "kind", flat=True
        )
    )
    assert kinds == [
        "supervision.petition_received",
        "supervision.petition_registered",
        "supervision.petition_concluded",
        "supervision.petition_fed_back",
    ]


def test_flagging_as_a_dualcheck_clue_records_who_when_and_why(receive_petition, clerk, case_supervisor):
    petition = receive_petition()

    with pytest.raises(PermissionDenied):
        petition_flag_dualcheck(actor=clerk, petition=petition, reason="反映承办人索要好处费")
    with pytest.raises(ValidationFailed):
        petition_flag_dualcheck(actor=case_supervisor, petition=petition, reason="")
    petition = petition_flag_dualcheck(
        actor=case_supervisor, petition=petition, reason="反映承办人索要好处费", at=at("2026-09-30 10:00")
    )

    assert (petition.dualcheck_flagged_by, petition.dualcheck_flagged_at) == (
        case_supervisor,
        at("2026-09-30 10:00"),
    )
    assert petition.dualcheck_reason == "反映承办人索要好处费"
    assert list(petitions_flagged_for_dualcheck(case_supervisor)) == [petition]
    with pytest.raises(Conflict) as again:
        petition_flag_dualcheck(actor=case_supervisor, petition=petition, reason="重复")
    assert again.value.code == "already_flagged"

    # the hook the dualcheck app calls once it made its clue
    petition_dualcheck_link(petition=petition, clue_id=41)
    petition_dualcheck_link(petition=petition, clue_id=41)  # idempotent
    with pytest.raises(Conflict):
        petition_dualcheck_link(petition=petition, clue_id=42)
    assert list(petitions_flagged_for_dualcheck(case_supervisor)) == []


def test_petitions_are_scoped_by_receiving_court(
    receive_petition, clerk, case_supervisor, high_supervisor, sibling_clerk, sibling_supervisor
):
    petition = receive_petition()

    assert list(petitions_visible_to(clerk)) == [petition]
    assert list(petitions_visible_to(case_supervisor)) == [petition]
    assert list(petitions_visible_to(high_supervisor)) == [petition]
    assert list(petitions_visible_to(sibling_clerk)) == []
    assert list(petitions_visible_to(sibling_supervisor)) == []
    with pytest.raises(NotFound):
        petition_register(actor=sibling_clerk, petition=petition)


def test_receiving_is_for_the_receiving_courts_own_staff(
    receive_petition, courts, case_supervisor, sibling_clerk
):
    with pytest.raises(NotFound):
        receive_petition(actor=sibling_clerk)  # 鲁0102 is not visible from 鲁0103
    with pytest.raises(PermissionDenied):
        receive_petition(actor=case_supervisor)  # sees 鲁0102 but does not sit there
    assert receive_petition(actor=case_supervisor, court=courts.lu01).court == courts.lu01


def test_a_linked_case_must_be_in_the_receiving_courts_scope(
    receive_petition, courts, order_case, handler, case_supervisor, sibling_clerk
):
    linked = receive_petition(case=order_case)
    assert linked.case == order_case
    assert clock(linked.register_deadline_id).responsible == handler
    assert NodeEvent.objects.filter(case=order_case, kind="supervision.petition_received").exists()
    # an upper court's petition may concern a case below it
    assert receive_petition(actor=case_supervisor, court=courts.lu01, case=order_case).case == order_case

    with pytest.raises(ValidationFailed) as outside:
        receive_petition(actor=sibling_clerk, court=courts.lu0103, case=order_case)
    assert "case" in outside.value.extra["fields"]


def test_the_petition_clocks_do_not_stop_with_the_case(receive_petition, clerk, bureau_head, order_case):
    from enforcement.models import Case, CaseStatus
    from enforcement.services.cases import case_suspend

    petition = receive_petition(case=order_case)
    Case.objects.filter(pk=order_case.pk).update(status=CaseStatus.EXECUTING)

    case_suspend(actor=clerk, case=order_case, at=at("2026-09-30 10:00"), ruling_number="(2026)鲁0102执异1号",
                 approved_by=bureau_head.pk, reason="案外人异议")

    for pk in (petition.register_deadline_id, petition.close_deadline_id):
        assert clock(pk).paused_at is None and clock(pk).completed_at is None
