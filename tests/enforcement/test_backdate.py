"""Issue 15 item 7: backdating (docs/clock-lifecycle-spec.md §6.2, tests T9a–T9e).

Urgent clue received 2026-03-09 (Mon) 09:00 → CLUE_VERIFY urgent due 03-10 09:00;
person tolerance 2 h; API client window 24 h. Every node is entered at a frozen
moment (time-machine), never "today"."""

import pytest
import time_machine
from django.core.management import call_command

from core.exceptions import PermissionDenied
from core.models import ApiToken, Deadline, DeadlineStatus, NodeEvent, Role
from core.services import clocks
from core.services.events import historical_import
from core.services.people import api_client_create
from enforcement.models import PropertyClue
from enforcement.services import property_clues as clue_services
from supervision.models import Alert
from supervision.selectors.indicators import indicators_data
from supervision.services.scan import scan_court
from tests.conftest import at
from tests.core.factories import make_member
from tests.enforcement.factories import make_case

pytestmark = [pytest.mark.django_db, pytest.mark.backdate_review]


def entered(text):
    """The moment the node is typed in (the clock stands still there)."""
    return time_machine.travel(at(text), tick=False)


@pytest.fixture(autouse=True)
def _tolerance(settings):
    settings.NODE_BACKDATE_TOLERANCE_HOURS_PERSON = 2


@pytest.fixture
def case(courts, clerk, handler):
    with entered("2026-03-09 08:30"):
        return make_case(clerk, courts.lu0102, received="2026-03-09 08:00", filed="2026-03-06", handler=handler)


def urgent_clue(case, actor, description="被执行人在某银行有存款"):
    with entered("2026-03-09 09:00"):
        clue = clue_services.property_clue_receive(
            actor=actor, case=case, received_at=at("2026-03-09 09:00"), description=description,
            specific=True, urgent=True,
        )
    deadline = Deadline.objects.get(rule__code="CLUE_VERIFY", subject_id=clue.pk)
    assert deadline.due_at == at("2026-03-10 09:00")  # 24 hours (322号 §13 情况紧急)
    return clue, deadline


def verify(clue, actor, declared, entered_at):
    with entered(entered_at):
        clue_services.property_clue_start_verification(actor=actor, clue=PropertyClue.objects.get(pk=clue.pk), at=at(declared))
    return NodeEvent.objects.filter(kind="clue.verifying", subject_id=clue.pk).latest("pk")


def pending_clock(case, clerk):
    """T9b: declared 03-09 10:00, entered 03-10 16:00 (30 h, after the due moment)."""
    clue, deadline = urgent_clue(case, clerk)
    node = verify(clue, clerk, "2026-03-09 10:00", "2026-03-10 16:00")
    deadline.refresh_from_db()
    return deadline, node


def test_t9a_within_the_tolerance_met_at_declared_time_unflagged(case, clerk):
    clue, deadline = urgent_clue(case, clerk)
    node = verify(clue, clerk, "2026-03-09 14:00", "2026-03-09 15:30")  # 1.5 h later
    deadline.refresh_from_db()
    assert (deadline.status, deadline.completed_at) == (DeadlineStatus.MET, at("2026-03-09 14:00"))
    assert deadline.claimed_at is None
    assert node.flags == []


def test_t9a_beyond_the_tolerance_but_entered_by_the_due_moment_met_at_once_flagged(case, clerk):
    clue, deadline = urgent_clue(case, clerk)
    node = verify(clue, clerk, "2026-03-09 10:00", "2026-03-09 20:00")  # 10 h > 2 h, before 03-10 09:00
    deadline.refresh_from_db()
    assert (deadline.status, deadline.completed_at) == (DeadlineStatus.MET, at("2026-03-09 10:00"))
    assert node.flags == ["backdated"]  # today: 10 h < 72 h, no flag
    assert not NodeEvent.objects.filter(kind="clock.backdate_pending").exists()


def test_t9b_entered_after_the_due_moment_waits_for_verification(case, clerk, courts):
    deadline, node = pending_clock(case, clerk)
    assert deadline.status == DeadlineStatus.PENDING_VERIFICATION  # today: met
    assert deadline.get_status_display() == "待核实"
    assert deadline.claimed_at == at("2026-03-09 10:00")
    assert deadline.completed_at == at("2026-03-10 16:00")  # the entry time, until decided
    assert not deadline.is_running
    assert node.flags == ["backdated"]
    pending_node = NodeEvent.objects.get(kind="clock.backdate_pending", subject_id=deadline.pk)
    assert pending_node.payload["claimed_at"] == at("2026-03-09 10:00").isoformat()
    # no further alerts: the scan neither marks it breached nor raises an overdue alert
    scan_court(court_id=courts.lu0102.pk, at=at("2026-03-16 10:00"))
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.PENDING_VERIFICATION
    assert not Alert.objects.filter(deadline=deadline, resolved_at__isnull=True).exists()


def test_t9b_compliance_rate_counts_pending_in_neither_term(case, clerk, court_leader):
    # met, met, breached, pending → 2/3 = 66.7 %
    first, _ = urgent_clue(case, clerk, "线索一")
    verify(first, clerk, "2026-03-09 14:00", "2026-03-09 15:30")
    second, _ = urgent_clue(case, clerk, "线索二")
    verify(second, clerk, "2026-03-09 10:00", "2026-03-09 20:00")
    third, late = urgent_clue(case, clerk, "线索三")
    verify(third, clerk, "2026-03-10 12:00", "2026-03-10 12:30")  # honest and late
    late.refresh_from_db()
    assert late.status == DeadlineStatus.BREACHED
    pending_clock(case, clerk)

    data = indicators_data(user=court_leader, params={"court": "鲁0102", "from": "2026-03-01", "to": "2026-03-31"})
    total = data["total"]
    assert (total["clocks_met"], total["clocks_breached"], total["clocks_pending"]) == (2, 1, 1)
    assert total["compliance_rate"] == 0.6667  # today: 3/4
    [rule] = [r for r in data["rules"] if r["code"] == "CLUE_VERIFY"]
    assert (rule["met"], rule["breached"]) == (2, 1)


def test_t9c_maker_and_handler_may_not_approve_bureau_head_does(case, clerk, handler, bureau_head, courts):
    deadline, _node = pending_clock(case, clerk)
    for person in (clerk, handler):  # entered it / handles the case
        with pytest.raises(PermissionDenied) as exc:
            clocks.clock_backdate_approve(deadline=deadline, actor=person, reason="属实")
        assert exc.value.code == "maker_checker"
    other_court = make_member(Role.BUREAU_HEAD, courts.lu0103, "bureau_head_0103")
    with pytest.raises(PermissionDenied) as exc:
        clocks.clock_backdate_approve(deadline=deadline, actor=other_court, reason="属实")
    assert exc.value.code == "permission_denied"
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.PENDING_VERIFICATION  # nothing changed

    with entered("2026-03-11 10:00"):
        clocks.clock_backdate_approve(deadline=deadline, actor=bureau_head, reason="核查笔录显示 03-09 10:00 已启动核查")
    deadline.refresh_from_db()
    assert (deadline.status, deadline.completed_at) == (DeadlineStatus.MET, at("2026-03-09 10:00"))
    approved = NodeEvent.objects.get(kind="clock.backdate_approved", subject_id=deadline.pk)
    assert approved.actor == bureau_head and approved.occurred_at == at("2026-03-11 10:00")
    assert approved.payload["reason"] == "核查笔录显示 03-09 10:00 已启动核查"
    assert NodeEvent.objects.filter(kind="clue.verifying", flags=["backdated"]).exists()  # append-only


def test_t9c_a_bureau_head_who_entered_it_himself_may_not_approve(case, bureau_head, court_leader):
    clue, deadline = urgent_clue(case, bureau_head)
    verify(clue, bureau_head, "2026-03-09 10:00", "2026-03-10 16:00")
    with pytest.raises(PermissionDenied) as exc:
        clocks.clock_backdate_approve(deadline=deadline, actor=bureau_head, reason="属实")
    assert exc.value.code == "maker_checker"
    with entered("2026-03-11 10:00"):
        clocks.clock_backdate_approve(deadline=deadline, actor=court_leader, reason="属实")  # 院领导 over the court
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.MET


def test_t9d_bureau_head_rejects_clock_stops_at_entry_time(case, clerk, bureau_head):
    deadline, _node = pending_clock(case, clerk)
    with entered("2026-03-11 10:00"):
        clocks.clock_backdate_reject(deadline=deadline, actor=bureau_head, reason="无核查记录")
    deadline.refresh_from_db()
    assert (deadline.status, deadline.completed_at) == (DeadlineStatus.BREACHED, at("2026-03-10 16:00"))
    assert NodeEvent.objects.filter(kind="clock.backdate_rejected", subject_id=deadline.pk).exists()
    assert NodeEvent.objects.filter(kind="clue.verifying", flags=["backdated"]).exists()


def test_t9e_api_client_window_and_historical_import(case, clerk, courts):
    user, _key = api_client_create(court=courts.lu0102, name="鲁0102查控系统")
    assert ApiToken.objects.get(user=user).backdate_window_hours == 24
    user = type(user).objects.get(pk=user.pk)
    # source time 20 h old, entered after the due moment: within the system's window
    clue, deadline = urgent_clue(case, clerk, "线索一")
    node = verify(clue, user, "2026-03-09 14:00", "2026-03-10 10:00")
    deadline.refresh_from_db()
    assert (deadline.status, deadline.completed_at) == (DeadlineStatus.MET, at("2026-03-09 14:00"))
    assert node.flags == []
    assert node.payload["source_system"] == "鲁0102查控系统"
    assert node.payload["source_time"] == at("2026-03-09 14:00").isoformat()
    # 30 h old → 待核实
    clue, deadline = urgent_clue(case, clerk, "线索二")
    node = verify(clue, type(user).objects.get(pk=user.pk), "2026-03-09 10:00", "2026-03-10 16:00")
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.PENDING_VERIFICATION
    assert node.flags == ["backdated"]
    # inside historical_import() (commands and data migrations only) a node 400 days old
    # is imported: it stops the clock at its declared time, no review
    clue, deadline = urgent_clue(case, clerk, "线索三")
    with historical_import():
        node = verify(clue, clerk, "2026-03-09 10:00", "2027-04-13 10:00")  # 400 days later
    deadline.refresh_from_db()
    assert (deadline.status, deadline.completed_at) == (DeadlineStatus.MET, at("2026-03-09 10:00"))
    assert node.flags == ["imported"]


def test_person_tolerance_system_check(settings):
    from core.checks import backdate_tolerance_check

    settings.NODE_BACKDATE_TOLERANCE_HOURS_PERSON = 24
    [error] = backdate_tolerance_check()
    assert error.id == "core.E102" and "CLUE_VERIFY urgent" in error.msg
    settings.NODE_BACKDATE_TOLERANCE_HOURS_PERSON = 23
    assert backdate_tolerance_check() == []
    call_command("check")


# --- REST and browser ------------------------------------------------------------------------------


def test_rest_list_and_decide(case, clerk, bureau_head, courts, as_user):
    deadline, _node = pending_clock(case, clerk)
    listed = as_user(bureau_head).get("/api/v1/clock-corrections/", {"court": "鲁0102"})
    assert listed.status_code == 200
    [row] = listed.json()["results"]
    assert row["id"] == deadline.pk and row["status"] == "pending_verification" and row["can_decide"] is True
    assert row["claimed_at"] == "2026-03-09T10:00:00+08:00" and row["completed_at"] == "2026-03-10T16:00:00+08:00"
    assert row["case_number"] == case.case_number and row["rule"] == "CLUE_VERIFY"
    assert as_user(clerk).get("/api/v1/clock-corrections/").json()["results"][0]["can_decide"] is False

    url = f"/api/v1/clock-corrections/{deadline.pk}/approve/"
    refused = as_user(clerk).post(url, {"reason": "属实"}, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "maker_checker"
    blank = as_user(bureau_head).post(url, {"reason": "  "}, format="json")
    assert blank.status_code == 400 and "reason" in blank.json()["extra"]["fields"]
    assert as_user(bureau_head).post(url, {}, format="json").status_code == 400
    other = make_member(Role.BUREAU_HEAD, courts.lu0103, "bureau_head_0103")
    assert as_user(other).post(url, {"reason": "属实"}, format="json").status_code == 404
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.PENDING_VERIFICATION  # refusals changed nothing

    with entered("2026-03-11 10:00"):
        done = as_user(bureau_head).post(url, {"reason": "核查笔录在卷"}, format="json")
    assert done.status_code == 200, done.json()
    assert done.json()["status"] == "met" and done.json()["completed_at"] == "2026-03-09T10:00:00+08:00"
    again = as_user(bureau_head).post(f"/api/v1/clock-corrections/{deadline.pk}/reject/", {"reason": "x"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "not_pending_verification"
    assert as_user(bureau_head).get("/api/v1/clock-corrections/").json()["results"] == []


def test_pages_show_pending_and_decide(case, clerk, bureau_head, client):
    deadline, _node = pending_clock(case, clerk)
    client.force_login(bureau_head)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-rule="CLUE_VERIFY"' in page and "待核实" in page
    assert 'id="clock-corrections"' in page and f'data-correction="{deadline.pk}"' in page
    listing = client.get("/clock-corrections/").content.decode()
    assert case.case_number in listing and f'data-correction="{deadline.pk}"' in listing

    url = f"/clock-corrections/{deadline.pk}/decide/"
    blank = client.post(url, {f"c{deadline.pk}-decision": "reject", f"c{deadline.pk}-reason": ""})
    assert blank.status_code == 400
    assert f'id="id_c{deadline.pk}-reason-error">请填写核实意见。' in blank.content.decode()
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.PENDING_VERIFICATION

    with entered("2026-03-11 10:00"):
        done = client.post(url, {f"c{deadline.pk}-decision": "reject", f"c{deadline.pk}-reason": "无核查记录", "next": f"/cases/{case.pk}/"})
    assert done.status_code == 302 and done["Location"] == f"/cases/{case.pk}/"
    deadline.refresh_from_db()
    assert (deadline.status, deadline.completed_at) == (DeadlineStatus.BREACHED, at("2026-03-10 16:00"))

    client.force_login(clerk)
    assert client.get("/clock-corrections/").status_code == 403  # bureau heads and court leaders


def test_an_api_clients_window_is_set_when_it_is_created(courts):
    from io import StringIO

    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("create_api_client", court="鲁0102", name="鲁0102查控系统", backdate_window_hours=80, stdout=StringIO())
    call_command("create_api_client", court="鲁0102", name="鲁0102查控系统", backdate_window_hours=12, stdout=StringIO())
    assert ApiToken.objects.get(name="鲁0102查控系统").backdate_window_hours == 12


def test_t9e_over_rest_the_token_is_the_source_system(case, clerk, courts, api_client):
    _user, key = api_client_create(court=courts.lu0102, name="鲁0102查控系统")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    clue, deadline = urgent_clue(case, clerk)
    with entered("2026-03-10 16:00"):  # source time 30 h old, after the due moment
        r = api_client.post(f"/api/v1/property-clues/{clue.pk}/verify/", {"at": "2026-03-09T10:00:00+08:00"}, format="json")
    assert r.status_code == 200, r.json()
    deadline.refresh_from_db()
    assert (deadline.status, deadline.claimed_at) == (DeadlineStatus.PENDING_VERIFICATION, at("2026-03-09 10:00"))
    node = NodeEvent.objects.get(kind="clue.verifying", subject_id=clue.pk)
    assert node.payload["source_system"] == "鲁0102查控系统" and node.flags == ["backdated"]
