import pytest

from core.models import Role
from tests.enforcement.conftest import (  # noqa: F401 - shared fixtures
    api,
    api_token,
    as_user,
    case,
)
from tests.factories import make_member


@pytest.fixture
def finance(courts):
    return make_member(Role.FINANCE, courts.lu0102, "finance")
