"""System checks of the kernel's settings (``manage.py check``)."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, register

from core.models import PeriodUnit
from core.rule_catalogue import CATALOGUE


def shortest_hour_rule() -> tuple[str, int] | None:
    """The catalogue's shortest period counted in hours (CLUE_VERIFY urgent, 24 h)."""
    periods = []
    for rule in CATALOGUE:
        if rule.get("unit") == PeriodUnit.HOURS and rule.get("duration"):
            periods.append((rule["duration"], rule["code"]))
        for name, variant in (rule.get("variants") or {}).items():
            if variant.get("unit") == PeriodUnit.HOURS and variant.get("duration"):
                periods.append((variant["duration"], f"{rule['code']} {name}"))
    if not periods:
        return None
    hours, code = min(periods)
    return code, hours


@register()
def backdate_tolerance_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """322号 §12: the person tolerance for a backdated node must not swallow a whole
    hour-unit time limit (the 24-hour clue verification)."""
    shortest = shortest_hour_rule()
    tolerance = settings.NODE_BACKDATE_TOLERANCE_HOURS_PERSON
    if not isinstance(tolerance, int) or tolerance < 0:
        return [Error("NODE_BACKDATE_TOLERANCE_HOURS_PERSON must be a non-negative number of hours.", id="core.E101")]
    if shortest is not None and tolerance >= shortest[1]:
        code, hours = shortest
        return [
            Error(
                f"NODE_BACKDATE_TOLERANCE_HOURS_PERSON={tolerance} covers the whole {hours}-hour limit of {code}.",
                hint=f"Set it below {hours} (default 2).",
                id="core.E102",
            )
        ]
    return []
