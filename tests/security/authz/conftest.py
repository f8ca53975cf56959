"""The fixtures of the authorization matrix: its world (``world.py``), and what
makes thousands of requests cheap and independent of each other."""

import pytest
from django.db import transaction

from tests.security.authz.engine import _LAST
from tests.security.authz.world import w_fixture, world_fixture  # noqa: F401 - fixtures


@pytest.fixture(autouse=True)
def _fresh_counters():
    """The change counters start afresh in every test (``engine.send``)."""
    _LAST["writes"] = None
    yield
    _LAST["writes"] = None


@pytest.fixture
def _django_db_helper(django_db_setup, django_db_blocker):
    """Each test in a savepoint of the world's transaction — what pytest-django's
    helper of the same name does for a ``django_db`` test, without building a
    ``TestCase`` class around each of two thousand tests (that cost more than many
    of the tests). The ``django_db`` mark stays: it is what has the test database
    set up. (Should pytest-django rename its helper, this one is simply unused.)"""
    with django_db_blocker.unblock():
        with transaction.atomic():
            yield
            transaction.set_rollback(True)


@pytest.fixture(scope="module", autouse=True)
def _lean_requests():
    """Thousands of requests: Django's test instrumentation copies the context of
    every template rendered (for ``response.context``, unused here), and every
    refusal is logged as a warning with its traceback. Neither is under test."""
    import logging

    from django.template import Template
    from django.test.utils import _TestState

    saved = getattr(_TestState, "saved_data", None)
    instrumented = Template._render
    if saved is not None:
        Template._render = saved.template_render
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)  # server errors are still logged
    yield
    logger.setLevel(level)
    Template._render = instrumented


@pytest.fixture(autouse=True)
def _no_throttling(monkeypatch):
    """Thousands of requests a minute from one address: the rate limits (their own
    tests are in tests/core/test_api.py) would answer 429."""
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "allow_request", lambda self, request, view: True)
