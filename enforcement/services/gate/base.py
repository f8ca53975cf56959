"""The frame of the 终本 gate: what an unmet condition is, and the registry of conditions.

Each module of this package owns some rows of the specification's §3 table
(`docs/clock-lifecycle-spec.md`) and registers one function per row with
``@condition(number)``; the gate runs them in the table's order.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from enforcement.models import Case, Party, PartyRole


@dataclass(frozen=True)
class Unmet:
    """One condition that does not hold, for one object (respondent, asset, clue …) or the case."""

    code: str
    message: Any  # str or lazy str; rendered by ``as_dict``
    respondent: int | None = None
    applicant: int | None = None
    party: int | None = None
    asset: int | None = None
    category: str | None = None
    clue: int | None = None
    application: int | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "message": str(self.message)}
        for key in ("respondent", "applicant", "party", "asset", "category", "clue", "application"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out


@dataclass
class GateContext:
    """What every condition reads: the case, the moment of the check and the ruling's number."""

    case: Case
    at: dt.datetime
    document: str = "x"
    cache: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def parties(self) -> list[Party]:
        return list(self.case.parties.order_by("id"))

    @cached_property
    def respondents(self) -> list[Party]:
        return [p for p in self.parties if p.role == PartyRole.RESPONDENT]

    @cached_property
    def applicants(self) -> list[Party]:
        return [p for p in self.parties if p.role == PartyRole.APPLICANT]


Condition = Callable[[GateContext], Iterable[Unmet]]

CONDITIONS: list[tuple[int, Condition]] = []


def condition(number: int) -> Callable[[Condition], Condition]:
    """Register ``fn`` as row ``number`` of the spec's §3 table."""

    def register(fn: Condition) -> Condition:
        CONDITIONS.append((number, fn))
        CONDITIONS.sort(key=lambda item: item[0])
        return fn

    return register
