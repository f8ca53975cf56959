from tests.enforcement.conftest import as_user  # noqa: F401 - a fixture
