"""一案双查 statistics for the 通报 (the SPC-style periodic report): clues by source
(§3), by stage, by conclusion, by disposition (§9) and by court — the handling
court and the investigating court — over the clues the user may see, filtered by
year and court.

Disciplinary dispositions (违纪处分移送) are confidential: they are counted only
over the clues whose confidential content the user may read (``confidential_q``),
and the disposition total never includes the ones the user may not count, so no
difference of two numbers gives them away. A user who may read no confidential
content at all gets ``None`` for them ("无权查看"), not a misleading 0.

``clue_stats`` runs a fixed number of queries whatever the data (the user's
memberships, once per request, and four aggregates).
"""

from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.calendar import local_date
from core.exceptions import ValidationFailed
from core.models import Court, User
from core.selectors import active_memberships, court_get_visible
from dualcheck.models import (
    CONFIDENTIAL_DISPOSITIONS,
    OPEN_STATUSES,
    STAGES,
    Clue,
    ClueSource,
    ClueStatus,
    ConclusionFinding,
    Disposition,
    DispositionKind,
)
from dualcheck.selectors import CONFIDENTIAL_ROLES, clue_scope_q, confidential_q

# The 2019 rules took effect in 2019: no earlier year is offered or accepted.
FIRST_YEAR = 2019
DISCIPLINARY = DispositionKind.DISCIPLINARY


def stats_years() -> list[int]:
    """The years the filter offers, newest first."""
    return list(range(local_date(timezone.now()).year, FIRST_YEAR - 1, -1))


def stats_params(user: User, params: Any) -> dict:
    """Validated filters: ``year`` (the year the clue was received) and ``court``
    (a court code in the user's view; clues handled or investigated in its
    subtree). Accepts strings (query string, export form) or the cleaned values
    again (an export job re-checks its stored filters)."""
    params = params or {}
    cleaned: dict[str, Any] = {}
    year = params.get("year")
    if year not in (None, ""):
        try:
            year = int(str(year).strip())
        except ValueError:
            raise ValidationFailed.for_field("year", _("年度应为四位数字。")) from None
        if not FIRST_YEAR <= year <= local_date(timezone.now()).year:
            raise ValidationFailed.for_field(
                "year", _("年度应在 %(first)s 年至今年之间。") % {"first": FIRST_YEAR}
            )
        cleaned["year"] = year
    code = str(params.get("court") or "").strip()
    if code:
        court_get_visible(user, code)  # 404 outside the user's view
        cleaned["court"] = code
    return cleaned


def describe(params: dict) -> str:
    """The filters in words (the export file's title)."""
    parts = []
    if params.get("court"):
        parts.append(params["court"])
    if params.get("year"):
        parts.append(str(_("%(y)s年") % {"y": params["year"]}))
    return " ".join(parts)


def _key(value: str) -> str:
    return value.replace("-", "_")


def _rows(choices, counts: dict[str, int | None], prefix: str) -> list[dict]:
    return [
        {"key": value, "label": str(label), "count": counts[f"{prefix}{_key(value)}"]}
        for value, label in choices
    ]


def _court_rows(rows, field: str) -> list[dict]:
    return [
        {
            "code": r[f"{field}__code"],
            "name": r[f"{field}__name"],
            "count": r["n"],
            "open": r["open"],
            "closed": r["closed"],
        }
        for r in rows
    ]


def clue_stats(*, user: User, params: dict) -> dict:
    """The 通报 numbers over the clues ``user`` may see, with ``params`` from
    ``stats_params``."""
    clues = Clue.objects.filter(clue_scope_q(user))
    court: Court | None = None
    if params.get("court"):
        court = court_get_visible(user, params["court"])
        clues = clues.filter(
            Q(court__path__startswith=court.path) | Q(target_court__path__startswith=court.path)
        )
    if params.get("year"):
        clues = clues.filter(year=params["year"])
    confidential = confidential_q(user)

    # 1. totals, by source, by stage, by conclusion — one row
    aggregates = {
        "total": Count("pk"),
        "open": Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        "confidential_scope": Count("pk", filter=confidential),
        **{f"source_{_key(s)}": Count("pk", filter=Q(source=s)) for s in ClueSource.values},
        **{f"status_{_key(s)}": Count("pk", filter=Q(status=s)) for s in STAGES},
        **{
            f"finding_{_key(f)}": Count("pk", filter=Q(conclusion__finding=f))
            for f in ConclusionFinding.values
        },
    }
    counts = clues.aggregate(**aggregates)

    # 2–3. by handling court and by investigating court
    per_court = {
        "n": Count("pk"),
        "open": Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        "closed": Count("pk", filter=Q(status=ClueStatus.CLOSED)),
    }
    handling = (
        clues.values("court__code", "court__name", "court__path")
        .annotate(**per_court)
        .order_by("court__path")
    )
    investigating = (
        clues.filter(target_court__isnull=False)
        .values("target_court__code", "target_court__name", "target_court__path")
        .annotate(**per_court)
        .order_by("target_court__path")
    )

    # 4. dispositions: the confidential kinds only over clues readable in confidence
    readable = Clue.objects.filter(confidential).values("pk")
    disposition_counts = Disposition.objects.filter(conclusion__clue__in=clues.values("pk")).aggregate(
        **{
            f"kind_{_key(k)}": Count(
                "pk",
                filter=Q(kind=k, conclusion__clue__in=readable)
                if k in CONFIDENTIAL_DISPOSITIONS
                else Q(kind=k),
            )
            for k in DispositionKind.values
        }
    )
    may_count_confidential = counts["confidential_scope"] > 0 or any(
        m.role in CONFIDENTIAL_ROLES for m in active_memberships(user)
    )
    if not may_count_confidential:
        for k in CONFIDENTIAL_DISPOSITIONS:
            disposition_counts[f"kind_{_key(k)}"] = None

    by_disposition = _rows(DispositionKind.choices, disposition_counts, "kind_")
    return {
        "filters": {
            "year": params.get("year"),
            "court": {"code": court.code, "name": court.name} if court else None,
        },
        "total": counts["total"],
        "open": counts["open"],
        "closed": counts[f"status_{ClueStatus.CLOSED}"],
        "not_launched": counts[f"status_{ClueStatus.NOT_LAUNCHED}"],
        "by_source": _rows(ClueSource.choices, counts, "source_"),
        "by_status": _rows([(s, ClueStatus(s).label) for s in STAGES], counts, "status_"),
        "by_finding": _rows(ConclusionFinding.choices, counts, "finding_"),
        "by_disposition": by_disposition,
        # only what the user may count: never "all minus the hidden ones"
        "dispositions_total": sum(r["count"] for r in by_disposition if r["count"] is not None),
        "disciplinary_visible": may_count_confidential,
        "confidential_scope": counts["confidential_scope"],
        "by_court": _court_rows(handling, "court"),
        "by_target_court": _court_rows(investigating, "target_court"),
        "generated_at": timezone.now(),
    }


def stats_rows(data: dict) -> list[list]:
    """The statistics as one table (类别, 项目, 数量, 未办结, 已办结) for the
    export: every section of the page, in the page's order."""
    rows: list[list] = [[str(_("合计")), str(_("线索总数")), data["total"], data["open"], data["closed"]]]
    sections = [
        (_("线索来源"), "by_source"),
        (_("办理阶段"), "by_status"),
        (_("检查结论"), "by_finding"),
        (_("处理方式"), "by_disposition"),
    ]
    for title, key in sections:
        for r in data[key]:
            count = r["count"] if r["count"] is not None else str(_("无权查看"))
            rows.append([str(title), r["label"], count, None, None])
    for title, key in ((_("受理法院"), "by_court"), (_("调查法院"), "by_target_court")):
        for r in data[key]:
            rows.append([str(title), f"{r['name']}（{r['code']}）", r["count"], r["open"], r["closed"]])
    return rows


__all__ = ["FIRST_YEAR", "clue_stats", "describe", "stats_params", "stats_rows", "stats_years"]
