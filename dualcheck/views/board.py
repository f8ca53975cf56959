"""The 一案双查 board and the ways a clue comes in.

- ``/dualcheck/``: the clues the user may see, one column per stage with its count
  and a card per clue (number, source, courts, cases, report clock); filters by
  source, court, open/closed and "waiting on me"; and the petitions flagged
  转一案双查 that no clue has taken up yet, each with a one-click 立为线索.
- ``/dualcheck/new/``: the register form (§3 sources, the cases by number, the
  officers concerned as a repeatable row set).
- one click from a petition or an alert (POST) → the new clue's page.

Reads go through ``dualcheck.selectors`` (the board in a fixed number of queries,
whatever the number of clues); every write goes through ``dualcheck.services``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.decorators import perm_required
from core.exceptions import ApplicationError, Conflict, NotFound, PermissionDenied
from core.models import Court, User
from core.web.clocks import ClockRows
from core.web.forms import RowSet, place_error
from core.web.htmx import is_partial, safe_next
from core.web.pages import call_service
from dualcheck import forms as f
from dualcheck.models import OPEN_STATUSES, STAGES, Clue, ClueCase, ClueStatus
from dualcheck.policy import can_use_dualcheck, handling_court_for, handling_courts, waiting_on_q
from dualcheck.selectors import clues_visible_to
from dualcheck.services import clues as services
from enforcement.selectors import cases_visible_to
from supervision.selectors.petitions import petitions_flagged_for_dualcheck

BOARD_MAX = 300
PETITIONS_MAX = 50
CLOSED_STATUSES = (ClueStatus.CLOSED, ClueStatus.NOT_LAUNCHED)
# The board's columns: the stages grouped by phase of the procedure (双查规定第三条至第十条),
# so that ten open stages fit a 1366-pixel laptop screen as five columns of two stacked
# stages each, every card still visible.
PHASES = (
    (_("受理与审核"), (ClueStatus.RECEIVED, ClueStatus.SCREENED)),
    (_("联席会议"), (ClueStatus.PENDING_MEETING, ClueStatus.LAUNCHED)),
    (_("交办与调查"), (ClueStatus.REFERRED, ClueStatus.INVESTIGATING)),
    (_("报告审查"), (ClueStatus.REPORTED, ClueStatus.ACCEPTED)),
    (_("结论与反馈"), (ClueStatus.CONCLUDED, ClueStatus.FED_BACK)),
    (_("已结束"), CLOSED_STATUSES),
)


def _stages_for(state: str) -> list[str]:
    if state == "closed":
        return list(CLOSED_STATUSES)
    if state == "all":
        return list(STAGES)
    return list(OPEN_STATUSES)


def _petition_rows(user: User) -> list[dict]:
    """Petitions flagged 转一案双查 and not yet a clue, with the court above where
    ``user`` could register it (None: only an upper court's people can)."""
    if not handling_courts(user):
        return []
    petitions = (
        petitions_flagged_for_dualcheck(user)
        .select_related("case__court")
        .order_by("dualcheck_flagged_at", "id")[:PETITIONS_MAX]
    )
    rows = []
    for p in petitions:
        near = p.case.court if p.case_id else p.court
        rows.append({"petition": p, "court": handling_court_for(user, near)})
    return rows


@require_GET
@perm_required("core.use_browser")
def board(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can_use_dualcheck(user):
        raise DjangoPermissionDenied
    visible = clues_visible_to(user)
    courts = Court.objects.filter(
        Q(pk__in=visible.order_by().values("court_id"))
        | Q(pk__in=visible.order_by().values("target_court_id"))
    ).order_by("path")
    form = f.BoardFilterForm(request.GET or None, courts=courts)
    qs = visible
    state, filtered = "open", False
    if form.is_valid():
        data = form.cleaned_data
        state = data.get("state") or "open"
        if data.get("source"):
            qs = qs.filter(source=data["source"])
        if data.get("court"):
            qs = qs.filter(Q(court_id=data["court"]) | Q(target_court_id=data["court"]))
        if data.get("mine"):
            qs = qs.filter(waiting_on_q(user))
        filtered = bool(data.get("source") or data.get("court") or data.get("mine") or state != "open")
    stages = _stages_for(state)
    qs = qs.filter(status__in=stages)
    counts = dict(qs.order_by().values_list("status").annotate(n=Count("id")))
    clues = list(
        qs.select_related("report_deadline__rule")
        .prefetch_related(
            Prefetch("case_links", queryset=ClueCase.objects.select_related("case").order_by("id"))
        )
        .order_by("-received_at", "-id")[:BOARD_MAX]
    )
    clocks = ClockRows()
    by_stage: dict[str, list[dict]] = {s: [] for s in stages}
    for clue in clues:
        by_stage[clue.status].append(
            {
                "clue": clue,
                "cases": [link.case for link in clue.case_links.all()],
                "clock": clocks.row(clue.report_deadline) if clue.report_deadline_id else None,
            }
        )
    columns = [
        {"status": s, "label": ClueStatus(s).label, "count": counts.get(s, 0), "cards": by_stage[s]}
        for s in stages
    ]
    by_status = {c["status"]: c for c in columns}
    phases = [
        {"label": label, "columns": [by_status[s] for s in members if s in by_status]}
        for label, members in PHASES
        if any(s in by_status for s in members)
    ]
    total = sum(counts.values())
    context = {
        "form": form,
        "phases": phases,
        "total": total,
        "truncated": total > len(clues),
        "board_max": BOARD_MAX,
        "filtered": filtered,
        "can_register": bool(handling_courts(user)),
        "petition_rows": _petition_rows(user),
    }
    template = "dualcheck/_board_body.html" if is_partial(request) else "dualcheck/board.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- registering --------------------------------------------------------------------------------


def _resolve_officers(rowset: RowSet) -> list[dict] | None:
    """Court codes and usernames typed into the officer rows → objects; an unknown
    one is marked on its row (and None returned)."""
    rows, ok = [], True
    for row in rowset.filled:
        d = row.cleaned_data
        court = Court.objects.filter(code=d["court"].strip(), is_active=True).first()
        if court is None:
            row.add_error("court", _("法院代字 %(c)s 不存在。") % {"c": d["court"]})
            ok = False
        account = None
        if d.get("user"):
            account = User.objects.filter(username=d["user"].strip(), is_active=True).first()
            if account is None:
                row.add_error("user", _("没有用户名为 %(u)s 的账号。") % {"u": d["user"]})
                ok = False
        rows.append({"name": d["name"], "court": court, "user": account, "position": d.get("position") or ""})
    return rows if ok else None


def _register(
    request: HttpRequest, form: f.ClueRegisterForm, officers: RowSet, courts: list[Court]
) -> Clue | None:
    data = form.cleaned_data
    court = next((c for c in courts if c.pk == data["court"]), None)
    numbers = data["cases"]
    cases = list(cases_visible_to(request.user).filter(case_number__in=numbers)) if numbers else []
    missing = sorted(set(numbers) - {c.case_number for c in cases})
    if missing:
        form.add_error(
            "cases",
            _("没有案号为 %(n)s 的案件，或不在您的可见范围内。") % {"n": "、".join(missing)},
        )
    officer_rows = _resolve_officers(officers)
    if missing or officer_rows is None:
        return None
    try:
        return call_service(
            services.clue_register,
            actor=request.user,
            court=court,
            source=data["source"],
            summary=data["summary"],
            officer_allegation=data.get("officer_allegation") or "",
            source_detail=data.get("source_detail") or "",
            complainant_name=data.get("complainant_name") or "",
            complainant_phone=data.get("complainant_phone") or "",
            received_at=data["received_at"],
            cases=cases,
            officers=officer_rows,
        )
    except (NotFound, PermissionDenied) as exc:
        form.add_error("court", str(exc.message))
    except ApplicationError as exc:
        place_error(
            form,
            exc,
            rowsets=[officers],
            code_fields={"node_in_future": "received_at", "conflict_of_interest": "officers"},
        )
    return None


@require_http_methods(["GET", "POST"])
@perm_required("core.use_browser")
def clue_new(request: HttpRequest) -> HttpResponse:
    """登记线索 at one of the user's handling courts (中院 and above, §4)."""
    courts = handling_courts(request.user)
    if not courts:
        raise DjangoPermissionDenied
    if request.method == "POST":
        form = f.ClueRegisterForm(request.POST, courts=courts)
        officers = RowSet(f.OfficerRowForm, "officers", request.POST)
        if all([form.is_valid(), officers.is_valid()]):
            clue = _register(request, form, officers, courts)
            if clue is not None:
                messages.success(
                    request,
                    _("已登记一案双查线索 %(n)s（%(s)s）。")
                    % {"n": clue.number, "s": clue.get_status_display()},
                )
                return redirect("dualcheck:clue-detail", clue_id=clue.pk)
        status = 422
    else:
        form = f.ClueRegisterForm(courts=courts)
        officers = RowSet(f.OfficerRowForm, "officers")
        status = 200
    return render(request, "dualcheck/new.html", {"form": form, "officers": officers}, status=status)


@require_GET
@perm_required("core.use_browser")
def officer_row(request: HttpRequest) -> HttpResponse:
    """htmx: one more officer row of the register form, and the button for the next."""
    if not handling_courts(request.user):
        raise DjangoPermissionDenied
    try:
        index = min(max(int(request.GET.get("index", "0")), 0), 999)
    except ValueError:
        index = 0
    row = f.OfficerRowForm(prefix=f"officers-{index}")
    return render(request, "dualcheck/_officer_row.html", {"row": row, "next_index": index + 1, "oob": True})


# --- one click from a petition or an alert ---------------------------------------------------


def _one_click(request: HttpRequest, service, fallback: str, linked: Q, **kwargs) -> HttpResponse:
    try:
        clue = call_service(service, actor=request.user, **kwargs)
    except NotFound:
        raise Http404 from None
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(str(exc.message)) from None
    except Conflict as exc:
        existing = (
            clues_visible_to(request.user).filter(linked).first() if exc.code == "already_linked" else None
        )
        if existing is not None:
            messages.info(request, exc.message)
            return redirect("dualcheck:clue-detail", clue_id=existing.pk)
        messages.error(request, exc.message)
        return redirect(safe_next(request) or fallback)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(safe_next(request) or fallback)
    messages.success(
        request, _("已立为一案双查线索 %(n)s（%(s)s）。") % {"n": clue.number, "s": clue.get_status_display()}
    )
    return redirect("dualcheck:clue-detail", clue_id=clue.pk)


@require_POST
@perm_required("core.use_browser")
def clue_from_petition(request: HttpRequest, petition_id: int) -> HttpResponse:
    return _one_click(
        request,
        services.clue_register_from_petition,
        reverse("supervision:petition-detail", args=[petition_id]),
        Q(petition_id=petition_id),
        petition_id=petition_id,
    )


@require_POST
@perm_required("core.use_browser")
def clue_from_alert(request: HttpRequest, alert_id: int) -> HttpResponse:
    return _one_click(
        request,
        services.clue_register_from_alert,
        reverse("supervision:inbox"),
        Q(alert_id=alert_id),
        alert_id=alert_id,
    )


urlpatterns = [
    path("", board, name="board"),
    path("new/", clue_new, name="clue-new"),
    path("new/officer-row/", officer_row, name="officer-row"),
    path("from-petition/<int:petition_id>/", clue_from_petition, name="from-petition"),
    path("from-alert/<int:alert_id>/", clue_from_alert, name="from-alert"),
]
