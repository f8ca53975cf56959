"""Issue 17: a restricted person's name on a 限制消费令 refuses invisible, control and
direction-reversing characters (core.services.inputs.name_problem); nothing is written."""

import pytest

from enforcement.models import CreditMeasure, PartyRole
from tests.enforcement.factories import person_id


@pytest.mark.parametrize("name", ["\u200b", "赵\u202e六", "赵\x07六"])
def test_a_bad_restricted_person_name_is_a_400_naming_the_field(api, case, name):
    respondent = case.parties.get(role=PartyRole.RESPONDENT)
    body = {
        "party": respondent.pk,
        "kind": "restriction",
        "issued_at": "2026-10-10T10:00:00+08:00",
        "decision_no": "(2026)鲁0102执1001号限消令",
        "persons": [{"name": name, "id_number": person_id("37010219700101123"), "role": "legal_representative"}],
    }
    r = api.post(f"/api/v1/cases/{case.pk}/credit-measures/", body, format="json")
    assert r.status_code == 400, r.json()
    assert "persons.0.name" in r.json()["extra"]["fields"]
    assert not CreditMeasure.objects.filter(case=case).exists()


@pytest.mark.parametrize("id_number", ["370102197001011230", "37010219700101", "91370100MA3C0X1Y2Z"])
def test_a_restricted_persons_id_follows_the_resident_id_rule_of_parties(api, case, id_number):
    """A restricted person (法定代表人 …) is a natural person: the same GB 11643-1999 check as a party's."""
    respondent = case.parties.get(role=PartyRole.RESPONDENT)
    body = {
        "party": respondent.pk,
        "kind": "restriction",
        "issued_at": "2026-10-10T10:00:00+08:00",
        "decision_no": "(2026)鲁0102执1001号限消令",
        "persons": [{"name": "赵六", "id_number": id_number, "role": "legal_representative"}],
    }
    r = api.post(f"/api/v1/cases/{case.pk}/credit-measures/", body, format="json")
    assert r.status_code == 400, r.json()
    assert "persons.0.id_number" in r.json()["extra"]["fields"]
    assert not CreditMeasure.objects.filter(case=case).exists()
