import pytest

from core.models import Role
from tests.conftest import at
from tests.core.factories import make_member
from tests.enforcement.conftest import as_user  # noqa: F401 - fixture re-exported
from tests.enforcement.factories import make_case
from tests.supervision.factories import search_clock


@pytest.fixture
def local_supervisor(courts):
    """专人监管 of the basic court 鲁0102 (the ``case_supervisor`` fixture sits at 鲁01)."""
    return make_member(Role.CASE_SUPERVISOR, courts.lu0102, "local_supervisor")


@pytest.fixture
def search_case(courts, clerk, handler):
    """A case received Tue 2026-09-29 10:00: its SEARCH_START clock (5 working days)
    runs over the National Day holiday (Oct 1–7) and the 调休 Saturday Oct 10."""
    return make_case(clerk, courts.lu0102, received="2026-09-29 10:00", handler=handler)


__all__ = ["at", "search_clock"]
