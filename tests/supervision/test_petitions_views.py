"""Browser pages of 执行信访: the receive form (errors next to fields), the list
(scoped, masked, query count pinned) and the petition page with its actions."""

import pytest
from django.urls import reverse

from supervision.models import Petition, PetitionStatus
from tests.supervision.factories import *  # noqa: F403
from tests.supervision.test_orders_views import browser, field_errors

pytestmark = pytest.mark.django_db

ID_NUMBER = "370102199001011231"
PHONE = "13812345678"


def form_data(**overrides) -> dict:
    data = {
        "channel": "visit",
        "received_at": "2026-09-29T10:00",
        "petitioner_name": "李四",
        "petitioner_kind": "person",
        "petitioner_id_number": ID_NUMBER,
        "petitioner_phone": PHONE,
        "case_number": "",
        "content": "反映案款到账后未发放。",
    }
    data.update(overrides)
    return data


def test_receiving_a_petition_through_the_form(clerk, courts):
    client = browser(clerk)

    assert client.get(reverse("supervision:petition-new")).status_code == 200
    response = client.post(reverse("supervision:petition-new"), form_data(court=courts.lu0102.pk))

    petition = Petition.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("supervision:petition-detail", args=[petition.pk])
    assert (petition.received_by, petition.channel, petition.court) == (clerk, "visit", courts.lu0102)
    html = client.get(response["Location"]).content.decode()
    assert "370102********1231" in html and "138****5678" in html
    assert ID_NUMBER not in html and PHONE not in html
    assert 'data-due="2026-10-12"' in html and 'data-due="2026-11-16"' in html
    assert 'id="form-register"' in html


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("petitioner_id_number", {"petitioner_id_number": "370102199001011234"}),
        ("petitioner_phone", {"petitioner_phone": "12345"}),
        ("content", {"content": ""}),
        ("case_number", {"case_number": "(2026)鲁0102执9999号"}),
        ("received_at", {"received_at": "2099-01-04T10:00"}),
    ],
)
def test_a_refused_petition_shows_the_error_next_to_its_field(clerk, courts, field, overrides):
    response = browser(clerk).post(
        reverse("supervision:petition-new"), form_data(court=courts.lu0102.pk, **overrides)
    )

    assert response.status_code == 422
    assert field_errors(response.content.decode(), field)
    assert not Petition.objects.exists()


def test_only_staff_of_a_court_may_receive(inspector):
    assert browser(inspector).get(reverse("supervision:petition-new")).status_code == 403


def test_the_list_is_scoped_masked_and_pinned(
    receive_petition, clerk, case_supervisor, sibling_clerk, django_assert_num_queries
):
    receive_petition()
    client = browser(case_supervisor)
    # session, user, memberships, count, page, calendar years and days (working-day
    # clocks), the model backend's two permission reads, the calendar banner's two (loaded years, provisional counters: the suite's today is in November, next year not loaded)
    # +5: the navigation's counts — one COUNT per work source of the role, the 待办 total, API token (issue 16)
    with django_assert_num_queries(18):  # +1 the bell's unread COUNT (issue 16); +1 一案双查待办
        html = client.get(reverse("supervision:petitions")).content.decode()
    assert "138****5678" in html and PHONE not in html
    for n in range(4):
        receive_petition(petitioner_name=f"信访人{n}")
    with django_assert_num_queries(18):  # +1 the bell's unread COUNT (issue 16); +1 一案双查待办
        html = client.get(reverse("supervision:petitions")).content.decode()
    assert html.count('data-petition="') == 5
    assert (
        'data-petition="' not in browser(sibling_clerk).get(reverse("supervision:petitions")).content.decode()
    )


def test_the_list_filters(receive_petition, clerk):
    late = receive_petition()
    fresh_name = "赵六"
    receive_petition(petitioner_name=fresh_name, channel="online")
    client = browser(clerk)

    html = client.get(reverse("supervision:petitions"), {"channel": "online"}).content.decode()
    assert fresh_name in html and f'data-petition="{late.pk}"' not in html
    assert (
        client.get(reverse("supervision:petitions"), {"overdue": "on"})
        .content.decode()
        .count('data-petition="')
        == 2
    )
    assert (
        'data-petition="'
        not in client.get(reverse("supervision:petitions"), {"dualcheck": "on"}).content.decode()
    )


def test_the_whole_life_on_the_petition_page(receive_petition, clerk, handler, case_supervisor):
    petition = receive_petition()
    staff, head, upper = browser(clerk), browser(handler), browser(case_supervisor)

    def act(client, action, data=None):
        return client.post(reverse("supervision:petition-action", args=[petition.pk, action]), data or {})

    assert act(staff, "register").status_code == 302
    page = staff.get(reverse("supervision:petition-detail", args=[petition.pk])).content.decode()
    assert "鲁0102信〔2026〕1号" in page
    assert 'id="form-conclude"' not in page  # a clerk records, the handler concludes

    founded = act(
        head,
        "conclude",
        {"finding": "true", "result": "属实。", "measures": "", "concluded_at": "2026-11-16T10:00"},
    )
    assert founded.status_code == 422
    assert field_errors(founded.content.decode(), "measures")
    refused = act(
        staff, "conclude", {"finding": "untrue", "result": "不属实。", "concluded_at": "2026-11-16T10:00"}
    )
    assert refused.status_code == 403
    assert (
        act(
            head,
            "conclude",
            {
                "finding": "partly_true",
                "result": "部分属实。",
                "measures": "已督促发放。",
                "concluded_at": "2026-11-16T10:00",
            },
        ).status_code
        == 302
    )
    assert (
        act(
            staff, "feedback", {"method": "phone", "fed_back_at": "2026-11-17T09:00", "note": "已告知"}
        ).status_code
        == 302
    )
    assert Petition.objects.get(pk=petition.pk).status == PetitionStatus.CLOSED

    assert act(upper, "flag-dualcheck", {"reason": ""}).status_code == 422
    assert act(upper, "flag-dualcheck", {"reason": "反映执行人员违规"}).status_code == 302
    page = upper.get(reverse("supervision:petition-detail", args=[petition.pk])).content.decode()
    assert "已转一案双查线索" in page and "反映执行人员违规" in page
    assert 'data-kind="supervision.petition_flagged_dualcheck"' in page


def test_the_petition_page_is_not_found_outside_scope(receive_petition, sibling_clerk, sibling_supervisor):
    petition = receive_petition()
    for user in (sibling_clerk, sibling_supervisor):
        assert (
            browser(user).get(reverse("supervision:petition-detail", args=[petition.pk])).status_code == 404
        )
        assert (
            browser(user)
            .post(reverse("supervision:petition-action", args=[petition.pk, "register"]))
            .status_code
            == 404
        )
