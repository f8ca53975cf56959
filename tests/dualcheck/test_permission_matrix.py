import pytest
from tests.dualcheck.matrix_fixtures import world, w, KEYS, STAGE_OF  # noqa

def test_smoke(w):
    for k in KEYS:
        assert w.clue(k).status == STAGE_OF[k]

def test_smoke2(w):
    from dualcheck.models import Clue
    Clue.objects.all().delete() if False else None
    assert w.alert and w.petition
