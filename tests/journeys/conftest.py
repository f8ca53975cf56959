"""The 一案双查 cast (tests/dualcheck/conftest.py) for the court leader's journey."""

from tests.dualcheck.conftest import dc  # noqa: F401 - fixture re-exported
