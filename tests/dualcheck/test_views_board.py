"""The board (scoped, filtered, query count pinned), the register form (errors next
to their fields), the one-click clue from a petition or an alert, and the nav item."""

import re

import pytest
from django.urls import reverse

from dualcheck.models import Clue, ClueOfficer, ClueSource, ClueStatus
from supervision.models import Alert
from supervision.services.petitions import petition_flag_dualcheck, petition_receive
from supervision.services.scan import scan_court
from tests.conftest import at
from tests.dualcheck.factories import advance, register
from tests.enforcement.factories import make_case
from tests.supervision.test_orders_views import browser, field_errors

pytestmark = pytest.mark.django_db

BOARD = "/dualcheck/"


def cards(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'<article class="clue-card[^"]*" data-clue="(\d+)"', html)}


def count_of(html: str, stage: str) -> int:
    match = re.search(
        rf'data-stage="{stage}">\s*<h2><span>[^<]*</span><span class="n" data-count="(\d+)"', html
    )
    assert match, stage
    return int(match.group(1))


def test_the_board_url():
    assert reverse("dualcheck:board") == BOARD


def test_the_board_shows_the_clues_by_stage(dc, clue):
    other = advance(dc, register(dc, source=ClueSource.DEPUTIES, officers=[]), "referred")

    response = browser(dc.inspector).get(BOARD)

    html = response.content.decode()
    assert response.status_code == 200
    assert cards(html) == {clue.pk, other.pk}
    assert count_of(html, "received") == 1 and count_of(html, "referred") == 1
    assert 'data-clock="DUALCHECK_REPORT"' in html  # the referred clue's report clock
    assert dc.case.case_number in html
    # nothing confidential on a card
    assert "李承办" not in html and "宴请" not in html
    # the lower court sees the referred clue only
    assert cards(browser(dc.lower_head).get(BOARD).content.decode()) == {other.pk}


def test_every_stage_has_one_place_on_the_board():
    # the board's phases (so that it fits 1366 pixels) hold each stage once, in the stages' order
    from dualcheck.models import STAGES
    from dualcheck.views.board import PHASES

    assert [s for _label, members in PHASES for s in members] == STAGES


def test_the_board_groups_the_stages_by_phase(dc, clue):
    other = advance(dc, register(dc, source=ClueSource.DEPUTIES, officers=[]), "investigating")
    client = browser(dc.inspector)

    html = client.get(BOARD).content.decode()

    phases = re.findall(r'<h2 class="phase-label">([^<]+)</h2>', html)
    assert phases == ["受理与审核", "联席会议", "交办与调查", "报告审查", "结论与反馈"]
    assert 'class="board phases-5"' in html
    # every open stage keeps its column and count; the cards sit in their stage
    assert re.findall(r'data-stage="(\w+)"', html) == [s for s in ClueStatus.values if s not in ("closed", "not_launched")]
    investigating = html.split('data-stage="investigating"')[1].split("</section>")[0]
    assert f'data-clue="{other.pk}"' in investigating and count_of(html, "investigating") == 1
    everything = client.get(BOARD, {"state": "all"}).content.decode()
    assert 'class="board phases-6"' in everything and "已结束" in everything
    closed = client.get(BOARD, {"state": "closed"}).content.decode()
    assert re.findall(r'<h2 class="phase-label">([^<]+)</h2>', closed) == ["已结束"]
    assert re.findall(r'data-stage="(\w+)"', closed) == ["closed", "not_launched"]


def test_the_board_is_scoped(dc, clue):
    assert cards(browser(dc.sibling_inspector).get(BOARD).content.decode()) == set()
    for outsider in (dc.clerk, dc.officer):
        assert browser(outsider).get(BOARD).status_code == 403


def test_the_board_filters(dc, clue):
    deputies = advance(dc, register(dc, source=ClueSource.DEPUTIES, officers=[]), "referred")
    closed = advance(dc, register(dc, source=ClueSource.OTHER, officers=[]), "screened")
    from dualcheck.services.clues import clue_approve

    clue_approve(actor=dc.head, clue=closed, approved=False, opinion="不予启动。")
    client = browser(dc.working_group)

    assert cards(client.get(BOARD, {"source": "deputies"}).content.decode()) == {deputies.pk}
    assert cards(client.get(BOARD, {"state": "closed"}).content.decode()) == {closed.pk}
    assert cards(client.get(BOARD, {"state": "all"}).content.decode()) == {clue.pk, deputies.pk, closed.pk}
    assert cards(client.get(BOARD, {"court": dc.courts.lu0102.pk}).content.decode()) == {deputies.pk}
    # waiting on me: the working group screens received clues; the inspector has nothing to screen
    assert cards(client.get(BOARD, {"mine": "on"}).content.decode()) == {clue.pk}
    assert cards(browser(dc.inspector).get(BOARD, {"mine": "on"}).content.decode()) == set()
    # htmx gets the body only
    partial = client.get(BOARD, {"source": "deputies"}, HTTP_HX_REQUEST="true").content.decode()
    assert partial.startswith('<div id="board-body">') and "<html" not in partial


def test_waiting_on_me_follows_the_stage(dc, clue):
    clue = advance(dc, clue, "referred")
    assert cards(browser(dc.lower_head).get(BOARD, {"mine": "on"}).content.decode()) == {clue.pk}
    assert cards(browser(dc.head).get(BOARD, {"mine": "on"}).content.decode()) == set()
    clue = advance(dc, clue, "investigating")
    assert cards(browser(dc.lower_inspector).get(BOARD, {"mine": "on"}).content.decode()) == {clue.pk}


def test_the_board_query_count_does_not_grow_with_the_clues(dc, clue, django_assert_num_queries):
    client = browser(dc.inspector)
    client.get(BOARD)
    # session, user, memberships, the two permission reads of the model backend,
    # court choices, stage counts, clues, their cases, flagged petitions
    # +3: the navigation's counts — one COUNT per work source of the role, the 待办 total, API token (issue 16)
    with django_assert_num_queries(15):  # +1 the bell's unread COUNT (issue 16); +1 一案双查待办
        html = client.get(BOARD).content.decode()
    assert len(cards(html)) == 1
    for n in range(4):
        case = make_case(dc.clerk, dc.courts.lu0102, number=f"(2026)鲁0102执20{n}号")
        advance(
            dc,
            register(dc, cases=[case], officers=[]),
            ["received", "screened", "referred", "investigating"][n],
        )
    with django_assert_num_queries(15):  # +1 the bell's unread COUNT (issue 16); +1 一案双查待办
        html = client.get(BOARD).content.decode()
    assert len(cards(html)) == 5


# --- flagged petitions -----------------------------------------------------------------------


@pytest.fixture
def flagged_petition(dc):
    petition = petition_receive(
        actor=dc.clerk,
        court=dc.courts.lu0102,
        channel="letter",
        petitioner_name="王五",
        petitioner_phone="13912345678",
        content="反映案件长期未执行。",
        case=dc.case,
        received_at=at("2026-10-09 10:00"),
    )
    return petition_flag_dualcheck(actor=dc.working_group, petition=petition, reason="消极执行。")


def test_flagged_petitions_are_listed_with_a_one_click_button(dc, flagged_petition):
    html = browser(dc.working_group).get(BOARD).content.decode()
    action = reverse("dualcheck:from-petition", args=[flagged_petition.pk])
    assert "待立线索的信访" in html and action in html

    response = browser(dc.working_group).post(action, {"next": BOARD})

    clue = Clue.objects.get()
    assert response["Location"] == reverse("dualcheck:clue-detail", args=[clue.pk])
    assert (clue.court, clue.source, clue.petition_id) == (
        dc.courts.lu01,
        "letters_visits",
        flagged_petition.pk,
    )
    assert list(clue.case_links.values_list("case_id", flat=True)) == [dc.case.pk]
    flagged_petition.refresh_from_db()
    assert flagged_petition.dualcheck_clue_id == clue.pk
    assert action not in browser(dc.working_group).get(BOARD).content.decode()
    # a second click goes to the clue that exists
    again = browser(dc.inspector).post(action)
    assert again["Location"] == reverse("dualcheck:clue-detail", args=[clue.pk])
    assert Clue.objects.count() == 1


def test_one_click_from_a_petition_is_refused_to_those_without_a_court_above(dc, flagged_petition):
    action = reverse("dualcheck:from-petition", args=[flagged_petition.pk])
    assert browser(dc.lower_head).post(action).status_code == 403
    assert browser(dc.sibling_inspector).post(action).status_code == 404
    assert browser(dc.inspector).get(action).status_code == 405
    assert not Clue.objects.exists()


# --- alerts ----------------------------------------------------------------------------------


@pytest.fixture
def alert(dc):
    """The SEARCH_START alert of ``dc.case`` that reached 鲁01's 专人监管 (the upper level)."""
    scan_court(court_id=dc.courts.lu0102.pk, at=at("2026-11-20 09:00"))
    return Alert.objects.get(case=dc.case, to_court=dc.courts.lu01, rule__code="SEARCH_START")


def test_an_alert_becomes_a_clue_in_one_click(dc, alert):
    assert alert is not None
    inbox = browser(dc.working_group).get(reverse("supervision:inbox")).content.decode()
    action = reverse("dualcheck:from-alert", args=[alert.pk])
    assert action in inbox

    response = browser(dc.working_group).post(action)

    clue = Clue.objects.get()
    assert response["Location"] == reverse("dualcheck:clue-detail", args=[clue.pk])
    assert (clue.source, clue.alert_id, clue.court) == ("command_centre", alert.pk, dc.courts.lu01)
    again = browser(dc.working_group).post(action)
    assert again["Location"] == reverse("dualcheck:clue-detail", args=[clue.pk])


def test_the_alert_button_is_only_for_an_upper_court(dc, alert):
    # the case's own court has no court above it to register at: no button
    from tests.core.factories import make_member

    local = make_member("case_supervisor", dc.courts.lu0102, "local_cs")
    Alert.objects.filter(pk=alert.pk).update(handler=local)
    inbox = browser(local).get(reverse("supervision:inbox")).content.decode()
    assert reverse("dualcheck:from-alert", args=[alert.pk]) not in inbox


# --- registering -----------------------------------------------------------------------------


def form_data(dc, **overrides) -> dict:
    data = {
        "court": dc.courts.lu01.pk,
        "source": "letters_visits",
        "source_detail": "来信 2026-88",
        "received_at": "2026-11-01T09:00",
        "summary": "反映案件三个月未采取措施。",
        "officer_allegation": "反映承办人收受宴请。",
        "complainant_name": "张三",
        "complainant_phone": "13800000000",
        "cases": f"{dc.case.case_number}\n",
        "officers-0-name": "李承办",
        "officers-0-court": "鲁0102",
        "officers-0-user": dc.officer.username,
        "officers-0-position": "承办人",
    }
    data.update(overrides)
    return data


def test_registering_a_clue_through_the_form(dc):
    client = browser(dc.working_group)
    page = client.get(reverse("dualcheck:clue-new"))
    assert page.status_code == 200 and 'name="officers-0-name"' in page.content.decode()

    response = client.post(
        reverse("dualcheck:clue-new"), form_data(dc, cases=dc.case.case_number.replace("(", "（"))
    )

    clue = Clue.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("dualcheck:clue-detail", args=[clue.pk])
    assert clue.status == ClueStatus.RECEIVED and clue.number.startswith("鲁01双查〔")
    assert list(clue.case_links.values_list("case_id", flat=True)) == [dc.case.pk]
    officer = ClueOfficer.objects.get()
    assert (officer.name, officer.court, officer.user) == ("李承办", dc.courts.lu0102, dc.officer)


def test_the_inspector_registers_straight_to_the_meeting(dc):
    response = browser(dc.inspector).post(
        reverse("dualcheck:clue-new"),
        form_data(
            dc,
            **{
                "officers-0-name": "",
                "officers-0-court": "",
                "officers-0-user": "",
                "officers-0-position": "",
            },
        ),
    )
    assert response.status_code == 302
    assert Clue.objects.get().status == ClueStatus.PENDING_MEETING
    assert not ClueOfficer.objects.exists()


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("summary", {"summary": ""}),
        ("cases", {"cases": "(2026)鲁0102执9999号"}),
        ("complainant_phone", {"complainant_phone": "12345"}),
        ("received_at", {"received_at": "2099-01-01T09:00"}),
        ("officers-0-court", {"officers-0-court": "火星01"}),
        ("officers-0-user", {"officers-0-user": "nobody"}),
        ("officers-0-court", {"officers-0-court": "鲁0202"}),  # outside the handling court
    ],
)
def test_a_refused_clue_shows_the_error_next_to_its_field(dc, field, overrides):
    response = browser(dc.working_group).post(reverse("dualcheck:clue-new"), form_data(dc, **overrides))

    assert response.status_code == 422
    assert field_errors(response.content.decode(), field)
    assert not Clue.objects.exists()


def test_a_case_of_another_court_is_refused(dc):
    other = make_case(dc.clerk, dc.courts.lu0102, number="(2026)鲁0102执3001号")
    # the sibling intermediate court may not take up 鲁01's case
    response = browser(dc.sibling_head).post(
        reverse("dualcheck:clue-new"),
        form_data(
            dc,
            court=dc.courts.lu02.pk,
            cases=other.case_number,
            **{"officers-0-court": "鲁0202", "officers-0-user": ""},
        ),
    )
    assert response.status_code == 422
    assert field_errors(response.content.decode(), "cases")


def test_only_people_of_an_upper_court_may_register(dc):
    for user in (dc.lower_head, dc.clerk, dc.officer):
        assert browser(user).get(reverse("dualcheck:clue-new")).status_code == 403


def test_the_officer_row_partial(dc):
    html = browser(dc.working_group).get(reverse("dualcheck:officer-row"), {"index": 4}).content.decode()
    assert 'name="officers-4-name"' in html and "index=5" in html and 'hx-swap-oob="true"' in html
    assert browser(dc.clerk).get(reverse("dualcheck:officer-row")).status_code == 403


# --- navigation ------------------------------------------------------------------------------


def test_the_nav_item_is_for_the_people_who_see_clues(dc):
    link = f'href="{BOARD}"'
    for user in (dc.inspector, dc.working_group, dc.lower_head, dc.leader):
        assert link in browser(user).get(reverse("supervision:petitions")).content.decode()
    for user in (dc.clerk, dc.officer):
        assert link not in browser(user).get(reverse("supervision:petitions")).content.decode()
