"""Issue 17: an officer's or a complainant's name with an invisible, control or
direction-reversing character is a 400 naming the field; nothing is written."""

import pytest

from core.models import NodeEvent
from dualcheck.models import Clue
from tests.dualcheck.test_api import URL, client_for, register_body

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"officers": [{"name": "\u200b", "court": "鲁0102"}]}, "officers[0].name"),
        ({"officers": [{"name": "李\u202e承办", "court": "鲁0102"}]}, "officers[0].name"),
        ({"complainant_name": "张\u0007三"}, "complainant_name"),
        ({"complainant_name": "\u200b"}, "complainant_name"),
    ],
)
def test_a_bad_name_on_a_clue_is_refused(dc, overrides, field):
    response = client_for(dc.working_group).post(URL, register_body(dc, **overrides), format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid_name" and list(body["extra"]["fields"]) == [field]
    assert not Clue.objects.exists() and not NodeEvent.objects.filter(kind__startswith="dualcheck.").exists()
