"""The courts a supervisor looks at (监督看板, screening, indicators): one court they
can see and its subtree, or everything they can see — resolved once per request."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import NotFound
from core.models import Court, User
from core.selectors import visible_courts


@dataclass
class Scope:
    """What one user sees when looking at ``root`` (a court they can see) or, without
    a court, at everything they can see. ``courts`` are the visible courts of the
    subtree; ``rows`` the lines of per-court tables: the root court itself ("本院")
    and each visible child, whose figures include everything below it."""

    user: User
    root: Court | None
    roots: list[Court]
    courts: list[Court]
    rows: list[Court]
    breadcrumb: list[Court] = field(default_factory=list)
    # Every court the user can see (for court pickers).
    visible: list[Court] = field(default_factory=list)

    @property
    def court_ids(self) -> list[int]:
        return [c.pk for c in self.courts]

    def row_of(self, court: Court) -> Court | None:
        """The line of the per-court tables that ``court``'s figures add up to."""
        if self.root is not None and court.pk == self.root.pk:
            return self.root
        for row in self.rows:
            if row.pk != getattr(self.root, "pk", None) and court.path.startswith(row.path):
                return row
        return None

    def rollup(self) -> dict[int, int]:
        """court id → id of its line in per-court tables."""
        result = {}
        for court in self.courts:
            row = self.row_of(court)
            if row is not None:
                result[court.pk] = row.pk
        return result

    def root_ref(self) -> dict[str, str] | None:
        """The court looked at, as the pages and the API name it."""
        if self.root is None:
            return None
        return {"code": self.root.code, "name": self.root.name, "level": self.root.level}

    def breadcrumb_refs(self) -> list[dict[str, str]]:
        return [{"code": c.code, "name": c.name} for c in self.breadcrumb]


# Read once per request (``core.selectors`` forgets it with the memberships).
_VISIBLE_ATTR = "_supervision_visible_courts"


def scope_for(user: User, court: Court | str | None = None) -> Scope:
    """Resolve the court a supervisor is looking at (two queries: memberships,
    visible courts). A court outside the user's view is 404, never 403."""
    visible = getattr(user, _VISIBLE_ATTR, None)
    if visible is None:
        visible = list(visible_courts(user).only("pk", "code", "name", "level", "path", "depth", "parent_id"))
        # Read once per request, like the memberships it derives from (the user
        # object lives for one request; a task loads the user afresh).
        setattr(user, _VISIBLE_ATTR, visible)
    by_code = {c.code: c for c in visible}
    ids = {c.pk for c in visible}
    code = court.code if isinstance(court, Court) else (court or "").strip()
    if code:
        root = by_code.get(code)
        if root is None:
            raise NotFound(_("法院 %(code)s 不存在或不在您的可见范围内。") % {"code": code})
        roots = [root]
    else:
        roots = [c for c in visible if c.parent_id not in ids]
        root = roots[0] if len(roots) == 1 else None
    subtree = [c for c in visible if any(c.path.startswith(r.path) for r in roots)]
    if root is not None:
        rows = [root] + [c for c in subtree if c.parent_id == root.pk]
        breadcrumb = sorted((c for c in visible if root.path.startswith(c.path)), key=lambda c: c.depth)
    else:
        rows, breadcrumb = roots, []
    return Scope(
        user=user, root=root, roots=roots, courts=subtree, rows=rows, breadcrumb=breadcrumb, visible=visible
    )


def court_param(params: Mapping[str, Any]) -> str:
    """The ``court`` filter as given (a code, or empty for everything visible)."""
    return (params.get("court") or "").strip()


def iso(moment: dt.datetime | None) -> str | None:
    """A moment in local time, ISO 8601 (the rows are JSON-friendly)."""
    return timezone.localtime(moment).isoformat() if moment is not None else None


def rate(numerator: int | Decimal, denominator: int | Decimal) -> float | None:
    """A ratio rounded to four places, ``None`` when there is nothing to divide."""
    if not denominator:
        return None
    return round(float(numerator) / float(denominator), 4)
