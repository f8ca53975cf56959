"""The 终本 gate (322号 §24; 终本规定 §1, §5): every condition, per respondent where the law says so.

``terminated_round_unmet`` returns one item per unmet condition and object; ``unmet_codes`` the
codes, each once, in the table's order (for ``extra.unmet``).
"""

import datetime as dt
from typing import Any

from enforcement.models import Case
from enforcement.services.gate import (  # noqa: F401  (register conditions)
    assets,
    coercion,
    credit,
    procedure,
)
from enforcement.services.gate.base import CONDITIONS, GateContext, Unmet, condition

__all__ = ["GateContext", "Unmet", "condition", "terminated_round_unmet", "unmet_codes"]


def terminated_round_unmet(case: Case, at: dt.datetime, document: str = "x") -> list[dict[str, Any]]:
    ctx = GateContext(case=case, at=at, document=document)
    return [item.as_dict() for _number, fn in CONDITIONS for item in fn(ctx)]


def unmet_codes(unmet: list[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(u["code"] for u in unmet))
