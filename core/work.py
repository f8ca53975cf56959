"""Work waiting for a person's post (我的待办 beyond their own clocks): approvals for
a bureau head, payments for finance, alerts to sign for, 督办 to answer, petitions.

Core imports no domain app (DESIGN "Layers"), so each app registers its own *work
sources* when it is ready, the way it registers its node kinds (``core.events``)::

    # <app>/apps.py, in ready():  work.register(*WORK_SOURCES)

A source says who it is for (``applies``: a role check, no query), how many items
wait (``count``: one COUNT, scoped by court in the app's selector) and the oldest
``limit`` of them as ``WorkItem`` rows linking to where the work is done. The
navigation shows the counts of the sources a user's roles have; 我的待办 shows their
rows. Cases are named through one registered ``case summaries`` reader (the
enforcement app's), so core can show a clock's case without importing it."""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import User
from core.selectors import clock_corrections_visible_to, membership_cache

# The four counts of the navigation (issue 16), 信访 and 一案双查; a source names its badge.
BADGES: dict[str, Any] = {
    "approve": _("待审批"),
    "pay": _("待付"),
    "sign": _("待签收"),
    "reply": _("待回复督办"),
    "petition": _("待办信访"),
    "clue": _("一案双查待办"),
}


@dataclass(frozen=True)
class WorkItem:
    """One thing waiting for the person: what, where it is done, since when."""

    title: Any
    url: str
    case_number: str = ""
    case_url: str = ""
    court: str = ""
    since: dt.datetime | None = None
    detail: Any = ""


@dataclass(frozen=True)
class WorkSource:
    key: str
    label: Any
    badge: str
    # the page where the whole list is worked (a URL name)
    list_url: str
    applies: Callable[[User], bool]
    count: Callable[[User], int]
    rows: Callable[[User, int], list[WorkItem]]


@dataclass(frozen=True)
class CaseSummary:
    number: str
    url: str
    parties: list[str] = field(default_factory=list)


_SOURCES: dict[str, WorkSource] = {}
_CASE_SUMMARIES: list[Callable[[Iterable[int]], dict[int, CaseSummary]]] = []
_COUNTS_ATTR = membership_cache("_work_counts")


def register(*sources: WorkSource) -> None:
    for source in sources:
        if source.key in _SOURCES and _SOURCES[source.key] != source:
            raise ValueError(f"work source {source.key!r} registered twice")
        _SOURCES[source.key] = source


def register_case_summaries(reader: Callable[[Iterable[int]], dict[int, CaseSummary]]) -> None:
    """The reader naming cases (number, page, parties) for a set of case ids, in one or
    two queries; the enforcement app registers it."""
    if reader not in _CASE_SUMMARIES:
        _CASE_SUMMARIES.append(reader)


def case_summaries(case_ids: Iterable[int | None]) -> dict[int, CaseSummary]:
    ids = sorted({pk for pk in case_ids if pk is not None})
    found: dict[int, CaseSummary] = {}
    if ids:
        for reader in _CASE_SUMMARIES:
            found.update(reader(ids))
    return found


def sources_for(user: User) -> list[WorkSource]:
    """The sources the user's roles have, in registration order (no query beyond the
    memberships read once per request)."""
    return [s for s in _SOURCES.values() if s.applies(user)]


def counts_for(user: User) -> dict[str, int]:
    """One COUNT per source the user has, computed once per request (the navigation
    and 我的待办 share it)."""
    cached = getattr(user, _COUNTS_ATTR, None)
    if cached is None:
        cached = {s.key: s.count(user) for s in sources_for(user)}
        setattr(user, _COUNTS_ATTR, cached)
    return cached


def badge_counts(user: User) -> list[dict[str, Any]]:
    """The navigation's counts by badge (待审批 sums every approval source), only
    for badges the user has a source for."""
    totals: dict[str, int] = {}
    urls: dict[str, str] = {}
    counts = counts_for(user)
    for source in sources_for(user):
        n, badge = counts[source.key], source.badge
        # the badge links to the list of its first source that has work
        if badge not in totals or (n and not totals[badge]):
            urls[badge] = reverse(source.list_url)
        totals[badge] = totals.get(badge, 0) + n
    return [
        {"key": key, "label": BADGES[key], "count": totals[key], "url": urls[key]}
        for key in BADGES
        if key in totals
    ]


# --- core's own source: 补录核实 (322号 §12; core.services.clocks.backdate) -------------------


def _may_verify(user: User) -> bool:
    return user.has_perm("core.approve_deadline_change")


def corrections_waiting_count(user: User) -> int:
    return clock_corrections_visible_to(user).count()


def corrections_waiting_rows(user: User, limit: int) -> list[WorkItem]:
    url = reverse("core:clock-corrections")
    rows = list(clock_corrections_visible_to(user)[:limit])
    summaries = case_summaries(d.case_id for d in rows)
    items = []
    for d in rows:
        case = summaries.get(d.case_id) if d.case_id else None
        items.append(
            WorkItem(
                title=_("补录核实：%(rule)s") % {"rule": d.rule.name_zh},
                url=url,
                case_number=case.number if case else "",
                case_url=case.url if case else "",
                court=d.court.name,
                since=d.completed_at,
                detail=_("%(who)s 录入") % {"who": d.completed_by or "—"},
            )
        )
    return items


CORE_SOURCES = (
    WorkSource(
        key="core.clock_corrections",
        label=_("补录核实"),
        badge="approve",
        list_url="core:clock-corrections",
        applies=_may_verify,
        count=corrections_waiting_count,
        rows=corrections_waiting_rows,
    ),
)
