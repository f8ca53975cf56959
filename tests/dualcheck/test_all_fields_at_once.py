"""Issue 16: a clue's registration names every refused field in one answer (REST and
the page share the service), and writes nothing."""

import pytest

from core.models import NodeEvent
from dualcheck.models import Clue
from tests.dualcheck.test_api import URL, client_for, register_body

pytestmark = pytest.mark.django_db


def test_every_refused_field_of_a_clue_is_named_at_once(dc):
    body = register_body(
        dc,
        complainant_name="张\u0007三",
        complainant_phone="12345",
        officers=[{"name": "\u200b", "court": "鲁0102"}, {"name": "王\u202e某", "court": "鲁0102"}],
    )
    response = client_for(dc.working_group).post(URL, body, format="json")
    assert response.status_code == 400, response.content
    fields = response.json()["extra"]["fields"]
    assert set(fields) == {"complainant_name", "complainant_phone", "officers[0].name", "officers[1].name"}
    assert not Clue.objects.exists() and not NodeEvent.objects.filter(kind__startswith="dualcheck.").exists()


def test_a_good_clue_still_registers(dc):
    response = client_for(dc.working_group).post(URL, register_body(dc), format="json")
    assert response.status_code == 201, response.content
