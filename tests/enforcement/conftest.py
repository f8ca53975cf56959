import pytest

from core.services.people import api_client_create
from tests.enforcement.factories import make_case


@pytest.fixture
def case(courts, clerk, handler):
    return make_case(clerk, courts.lu0102, handler=handler)


@pytest.fixture
def api_token(courts):
    _user, key = api_client_create(court=courts.lu0102, name="鲁0102审判系统")
    return key


@pytest.fixture
def api(api_client, api_token):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token}")
    return api_client


@pytest.fixture
def as_user():
    """A separate API client signed in as ``user`` (the ``api`` fixture stays the
    machine client)."""
    from rest_framework.test import APIClient

    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make
