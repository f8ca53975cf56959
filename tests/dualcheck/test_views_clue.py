"""The clue page: who may open it (404 for everyone else, the officer concerned
included), the confidential (干警) section only for those entitled — and every
such view recorded — the badge on the case page, and the 一案双查 section of the
petition page."""

import pytest
from django.urls import reverse

from dualcheck.models import Clue, ConfidentialRead
from supervision.services.petitions import petition_flag_dualcheck, petition_receive
from tests.conftest import at
from tests.dualcheck.factories import advance, revoke
from tests.supervision.test_orders_views import browser

pytestmark = pytest.mark.django_db

OFFICER_NAME = "李承办"
ALLEGATION = "反映承办人收受被执行人宴请"


def page(user, clue):
    return browser(user).get(reverse("dualcheck:clue-detail", args=[clue.pk]))


def test_the_inspector_sees_everything_and_the_read_is_recorded(dc, clue):
    clue = advance(dc, clue, "reported")

    response = page(dc.inspector, clue)

    html = response.content.decode()
    assert response.status_code == 200
    assert clue.number in html and 'data-status="reported"' in html
    assert 'id="confidential"' in html and 'id="restricted"' not in html
    assert OFFICER_NAME in html and ALLEGATION in html and "承办人接受宴请属实" in html
    assert "接受宴请一次" in html  # the officer finding
    read = ConfidentialRead.objects.get()
    assert (read.user, read.clue, read.what, read.via) == (dc.inspector, clue, "detail", "page")
    # the record of reads is itself on the page (the next view shows this one)
    assert 'id="confidential-reads"' in page(dc.inspector, clue).content.decode()
    assert ConfidentialRead.objects.count() == 2


def test_the_bureau_head_sees_the_clue_but_not_the_officers(dc, clue):
    clue = advance(dc, clue, "reported")

    response = page(dc.head, clue)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="restricted"' in html and 'id="confidential"' not in html
    assert OFFICER_NAME not in html and ALLEGATION not in html and "承办人接受宴请属实" not in html
    # the report's four public parts are there
    assert "立案后三个月未发起网络查控" in html
    assert not ConfidentialRead.objects.exists()


def test_a_court_leader_above_sees_the_confidential_part(dc, clue):
    assert 'id="confidential"' in page(dc.leader, clue).content.decode()
    assert ConfidentialRead.objects.filter(user=dc.leader).count() == 1


@pytest.mark.parametrize("who", ["officer", "sibling_inspector", "sibling_head", "clerk", "lower_handler2"])
def test_nobody_else_may_open_it(dc, clue, who):
    advance(dc, clue, "investigating")
    assert page(getattr(dc, who), clue).status_code == 404
    assert not ConfidentialRead.objects.exists()


def test_the_lower_court_sees_it_once_referred(dc, clue):
    assert page(dc.lower_head, clue).status_code == 404
    clue = advance(dc, clue, "referred")

    html = page(dc.lower_head, clue).content.decode()

    assert 'id="form-form-team"' in html and 'id="restricted"' in html
    assert 'data-clock="DUALCHECK_REPORT"' in html


def test_the_team_sees_the_confidential_part_while_it_exists(dc, clue):
    clue = advance(dc, clue, "investigating")
    html = page(dc.lower_inspector, clue).content.decode()
    assert 'id="confidential"' in html and 'id="form-record-work"' in html
    assert 'id="flagged-nodes"' in html  # the system check list (§6(二))
    assert reverse("dualcheck:report-edit", args=[clue.pk]) in html


def test_a_revoked_membership_ends_access_on_the_next_request(dc, clue):
    client = browser(dc.inspector)
    assert client.get(reverse("dualcheck:clue-detail", args=[clue.pk])).status_code == 200
    revoke(dc.inspector, dc.courts.lu01, "inspector")
    assert client.get(reverse("dualcheck:clue-detail", args=[clue.pk])).status_code == 404


def test_the_page_shows_the_timeline_meetings_referral_and_team(dc, clue):
    clue = advance(dc, clue, "closed")

    html = page(dc.head, clue).content.decode()

    for kind in ("clue_registered", "meeting_decided", "referred", "team_formed", "concluded", "closed"):
        assert f'data-kind="dualcheck.{kind}"' in html
    assert 'id="meetings"' in html and 'id="referrals"' in html and 'id="team"' in html
    assert 'id="conclusion"' in html and 'data-disposition="deadline_order"' in html
    # the disciplinary disposition is confidential
    assert 'data-disposition="disciplinary"' not in html and "历下区法院监察室" not in html
    assert reverse("dualcheck:conclusion-pdf", args=[clue.pk]) in html
    assert reverse("dualcheck:report-pdf", args=[clue.pk, 1]) in html
    assert "您在当前阶段没有可办理的事项" in html


def test_unknown_clue_is_404(dc):
    assert browser(dc.inspector).get(reverse("dualcheck:clue-detail", args=[999999])).status_code == 404


# --- the case page ---------------------------------------------------------------------------


def case_page(user, case) -> str:
    response = browser(user).get(reverse("enforcement:case-detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_case_page_shows_only_the_badge_to_enforcement_staff(dc, clue):
    url = reverse("dualcheck:clue-detail", args=[clue.pk])
    # still being screened: no tipping off
    for user in (dc.officer, dc.clerk):
        assert "一案双查" not in case_page(user, dc.case)
    advance(dc, clue, "launched")
    for user in (dc.officer, dc.clerk):
        html = case_page(user, dc.case)
        assert "该案存在一案双查审查" in html
        assert url not in html and clue.number not in html
    html = case_page(dc.inspector, dc.case)
    assert "该案存在一案双查审查" in html and url in html


def test_no_badge_without_a_clue_or_when_it_was_not_launched(dc, clue):
    from dualcheck.services.clues import clue_screen

    clue_screen(actor=dc.working_group, clue=clue, proceed=False, opinion="线索不具体。")
    assert "一案双查" not in case_page(dc.clerk, dc.case)


# --- the petition page ---------------------------------------------------------------------


@pytest.fixture
def flagged_petition(dc):
    petition = petition_receive(
        actor=dc.clerk,
        court=dc.courts.lu0102,
        channel="letter",
        petitioner_name="王五",
        content="反映案件长期未执行，承办人态度恶劣。",
        case=dc.case,
        received_at=at("2026-10-09 10:00"),
    )
    return petition_flag_dualcheck(actor=dc.working_group, petition=petition, reason="反映干警作风问题。")


def petition_page(user, petition) -> str:
    return browser(user).get(reverse("supervision:petition-detail", args=[petition.pk])).content.decode()


def test_the_petition_page_offers_one_click_to_the_upper_court(dc, flagged_petition):
    action = reverse("dualcheck:from-petition", args=[flagged_petition.pk])
    assert action in petition_page(dc.inspector, flagged_petition)
    # the basic court's own head sees the petition, but has no court above to register at
    assert action not in petition_page(dc.lower_head, flagged_petition)

    response = browser(dc.inspector).post(action)

    clue = Clue.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("dualcheck:clue-detail", args=[clue.pk])
    html = petition_page(dc.inspector, flagged_petition)
    assert action not in html and reverse("dualcheck:clue-detail", args=[clue.pk]) in html
