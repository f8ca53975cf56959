import pytest

from core.models import Role
from tests.core.factories import make_member
from tests.enforcement.conftest import (  # noqa: F401 - shared fixtures
    api,
    api_token,
    as_user,
    case,
)


@pytest.fixture
def finance(courts):
    return make_member(Role.FINANCE, courts.lu0102, "finance")
