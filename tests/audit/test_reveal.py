"""A party's whole ID and phone number: masked everywhere; revealed only to the people
handling cases at the case's own court, each reveal (and each refusal) recorded."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent, AuditRecord
from core.models import Role
from tests.core.factories import make_member
from tests.enforcement.factories import make_case


@pytest.fixture
def case(courts, clerk, handler):
    return make_case(clerk, courts.lu0102, handler=handler)


def _applicant(case):
    return case.parties.get(role="applicant")


def _url(case, party):
    return f"/api/v1/cases/{case.pk}/parties/{party.pk}/reveal/"


def test_the_case_answer_is_masked_and_the_handler_may_reveal_it_once_recorded(case, handler, as_user):
    party = _applicant(case)
    client = as_user(handler)
    detail = client.get(f"/api/v1/cases/{case.pk}/").content.decode()
    assert party.id_number not in detail and party.phone not in detail

    answer = client.post(_url(case, party))

    assert answer.status_code == 200
    assert answer.json() == {"id": party.pk, "name": party.name, "id_number": party.id_number, "phone": party.phone}
    assert "no-store" in answer["Cache-Control"]
    record = AuditRecord.objects.get(event=AuditEvent.REVEAL)
    assert (record.user, record.success, record.object_type, record.object_id) == (
        handler,
        True,
        "enforcement.party",
        str(party.pk),
    )
    assert party.id_number not in str(record.detail)
    assert AuditRecord.objects.count() == 1  # the reveal is the request's record


@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.CASE_SUPERVISOR, Role.COURT_LEADER, Role.FINANCE])
def test_others_who_see_the_case_are_refused_and_the_refusal_is_recorded(case, courts, as_user, role):
    court = courts.lu0102 if role == Role.FINANCE else courts.lu01
    user = make_member(role, court, f"r-{role}")
    party = _applicant(case)

    answer = as_user(user).post(_url(case, party))

    assert answer.status_code == 403
    assert answer.json()["code"] == "permission_denied"
    assert party.id_number not in answer.content.decode()
    assert AuditRecord.objects.filter(event=AuditEvent.REVEAL, success=False, user=user).count() == 1


def test_a_sibling_court_gets_404_and_a_party_of_another_case_is_404(case, courts, as_user, clerk):
    sibling = make_member(Role.HANDLER, courts.lu0103, "sib")
    other = make_case(clerk, courts.lu0102, number="(2026)鲁0102执1003号")
    assert as_user(sibling).post(_url(case, _applicant(case))).status_code == 404
    handler = case.handler
    assert as_user(handler).post(f"/api/v1/cases/{case.pk}/parties/{_applicant(other).pk}/reveal/").status_code == 404


def test_the_browser_reveals_in_place_for_the_handler_and_hides_the_button_from_others(case, client, handler, inspector):
    party = _applicant(case)
    client.force_login(inspector)
    page = client.get(reverse("enforcement:case-detail", args=[case.pk])).content.decode()
    assert "查看完整" not in page and party.id_number not in page

    client.force_login(handler)
    page = client.get(reverse("enforcement:case-detail", args=[case.pk])).content.decode()
    assert "查看完整" in page and party.id_number not in page
    url = reverse("audit:party-reveal", args=[case.pk, party.pk])
    assert client.get(url).status_code == 405
    fragment = client.post(url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert party.id_number in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    assert AuditRecord.objects.filter(event=AuditEvent.REVEAL, user=handler, success=True).count() == 1

    client.force_login(inspector)
    refused = client.post(url)
    assert refused.status_code == 403 and party.id_number not in refused.content.decode()
