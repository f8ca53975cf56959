from dualcheck.models import Clue, ClueStatus, ConfidentialRead
from dualcheck.selectors import can_read_confidential, clues_visible_to
from tests.dualcheck.factories import advance


def test_full_path(dc, clue):
    clue = advance(dc, clue, "closed")
    assert clue.status == ClueStatus.CLOSED
    assert clue.number.startswith("鲁01双查〔")


def test_officer_concerned_sees_nothing(dc, clue):
    advance(dc, clue, "investigating")
    assert not clues_visible_to(dc.officer).exists()
    assert clues_visible_to(dc.lower_head).filter(pk=clue.pk).exists()
    assert can_read_confidential(dc.lower_inspector, clue)
    assert not can_read_confidential(dc.head, clue)
    assert can_read_confidential(dc.inspector, clue)
    assert not clues_visible_to(dc.sibling_inspector).exists()
    assert ConfidentialRead.objects.count() == 0
    assert Clue.objects.count() == 1
