"""Browser pages of 执行信访 (322号 §30): the petition list, the form that records
a petition when it arrives, and the petition page with its two clocks (录入 within
5 working days, 办结 within 30), the timeline and the actions: register,
conclude, feed back, and flag as a 一案双查 clue.

Reads go through ``supervision.selectors.petitions``; every write goes through
``supervision.services.petitions``. ID and phone numbers are shown masked."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.decorators import perm_required
from core.exceptions import ApplicationError, NotFound, PermissionDenied
from core.web import call_service
from enforcement.selectors import cases_visible_to
from supervision import forms as f
from supervision import policy
from supervision.models import Petition, PetitionStatus
from supervision.selectors.orders import subject_events
from supervision.selectors.petitions import petition_get_detail, petitions_searched
from supervision.services import petitions as services
from supervision.views.actions import Action, action_run
from supervision.views.orders import Clocks, timeline_rows

PAGE_SIZE = 50


@require_GET
@perm_required("core.use_browser")
def petition_list(request: HttpRequest) -> HttpResponse:
    """执行信访: petitions of the user's courts (and below, for supervisory roles),
    newest first, with the clock that is running."""
    user = request.user
    form = f.PetitionFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = petitions_searched(
        user,
        status=data.get("status") or "",
        channel=data.get("channel") or "",
        late_at=timezone.now() if data.get("overdue") else None,
        dualcheck=bool(data.get("dualcheck")),
    )
    filtered = any(data.get(k) for k in ("status", "channel", "overdue", "dualcheck"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    clocks = Clocks()
    rows = []
    for p in page.object_list:
        # the clock that matters now: registration first, then conclusion
        current = p.register_deadline if p.status == PetitionStatus.RECEIVED else p.close_deadline
        rows.append(
            {"petition": p, "clock": clocks.row(current) if p.status != PetitionStatus.CLOSED else None}
        )
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "filtered": filtered,
        "can_receive": bool(policy.petition_receiving_courts(user)),
    }
    return render(request, "supervision/petitions/list.html", context)


@require_http_methods(["GET", "POST"])
@perm_required("core.use_browser")
def petition_new(request: HttpRequest) -> HttpResponse:
    """接访登记: record a petition the court received (the 5- and 30-working-day
    clocks start from the time it was received)."""
    courts = policy.petition_receiving_courts(request.user)
    if not courts:
        raise DjangoPermissionDenied
    form = f.PetitionReceiveForm(request.POST or None, courts=courts)
    if request.method == "POST":
        if form.is_valid():
            petition = _receive(request, form, courts)
            if petition is not None:
                messages.success(
                    request,
                    _("已接收 %(name)s 的信访，请于 5 个工作日内录入、30 个工作日内办结。")
                    % {"name": petition.petitioner_name},
                )
                return redirect("supervision:petition-detail", petition_id=petition.pk)
        return render(request, "supervision/petitions/form.html", {"form": form}, status=422)
    return render(request, "supervision/petitions/form.html", {"form": form})


def _receive(request: HttpRequest, form: f.PetitionReceiveForm, courts):
    data = form.cleaned_data
    court = next((c for c in courts if c.pk == data["court"]), None)
    case = None
    if data.get("case_number"):
        case = cases_visible_to(request.user).filter(case_number=data["case_number"]).first()
        if case is None:
            form.add_error(
                "case_number",
                _("没有案号为 %(n)s 的案件，或该案件不在您的可见范围内。") % {"n": data["case_number"]},
            )
            return None
    try:
        return call_service(
            services.petition_receive,
            actor=request.user,
            court=court,
            channel=data["channel"],
            petitioner_name=data["petitioner_name"],
            petitioner_kind=data["petitioner_kind"],
            petitioner_id_number=data.get("petitioner_id_number") or "",
            petitioner_phone=data.get("petitioner_phone") or "",
            content=data["content"],
            case=case,
            received_at=data["received_at"],
        )
    except (NotFound, PermissionDenied) as exc:
        form.add_error("court", str(exc.message))
    except ApplicationError as exc:
        f.place_error(
            form, exc, aliases={"case": "case_number"}, code_fields={"node_in_future": "received_at"}
        )
    return None


# --- the petition page ---------------------------------------------------------------------------


def _register(user, petition, data):
    return services.petition_register(actor=user, petition=petition)


def _conclude(user, petition, data):
    return services.petition_conclude(
        actor=user,
        petition=petition,
        result=data["result"],
        finding=data["finding"],
        measures=data.get("measures") or "",
        concluded_at=data["concluded_at"],
    )


def _feedback(user, petition, data):
    return services.petition_feedback(
        actor=user,
        petition=petition,
        method=data["method"],
        note=data.get("note") or "",
        fed_back_at=data["fed_back_at"],
    )


def _flag(user, petition, data):
    return services.petition_flag_dualcheck(actor=user, petition=petition, reason=data["reason"])


ACTIONS: dict[str, Action] = {
    a.slug: a
    for a in [
        Action(
            "register",
            f.PetitionRegisterForm,
            _("录入信访"),
            _("录入并编号"),
            _register,
            _("已录入，录入期限停止计算。"),
        ),
        Action(
            "conclude",
            f.PetitionConcludeForm,
            _("办结"),
            _("办结"),
            _conclude,
            _("已办结，请及时将办理结果反馈信访人。"),
        ),
        Action(
            "feedback",
            f.PetitionFeedbackForm,
            _("反馈办理结果"),
            _("记录反馈"),
            _feedback,
            _("已记录反馈，信访办理完毕。"),
        ),
        Action(
            "flag-dualcheck",
            f.PetitionFlagForm,
            _("转一案双查线索"),
            _("转为线索"),
            _flag,
            _("已转为一案双查线索。"),
            danger=True,
        ),
    ]
}


class PetitionPage:
    def __init__(self, request: HttpRequest, petition: Petition):
        self.request, self.user, self.petition = request, request.user, petition
        self.events = list(subject_events(petition))
        self.clocks = Clocks()
        self.bound: dict[str, forms.Form] = {}

    def available(self, slug: str) -> bool:
        p, user = self.petition, self.user
        if slug == "register":
            return policy.can_register_petition(user, p)
        if slug == "conclude":
            return policy.can_conclude_petition(user, p)
        if slug == "feedback":
            return policy.can_feed_back_petition(user, p)
        if slug == "flag-dualcheck":
            return policy.can_flag_petition_for_dualcheck(user, p)
        return False

    def forms(self) -> list[forms.Form]:
        result = []
        for slug, action in ACTIONS.items():
            if slug in self.bound or self.available(slug):
                form = self.bound.get(slug) or action.form_class(auto_id=f"id_{slug}_%s")
                form.action = action
                form.url = reverse(
                    "supervision:petition-action", kwargs={"petition_id": self.petition.pk, "action": slug}
                )
                form.dom_id = f"form-{slug}"
                result.append(form)
        return result

    def context(self) -> dict:
        p = self.petition
        return {
            "petition": p,
            "register_clock": self.clocks.row(p.register_deadline),
            "close_clock": self.clocks.row(p.close_deadline),
            "timeline": timeline_rows(self.events),
            "action_forms": self.forms(),
        }


def _petition_or_404(user, petition_id: int) -> Petition:
    try:
        return petition_get_detail(user, petition_id)
    except NotFound:
        raise Http404 from None


@require_GET
@perm_required("core.use_browser")
def petition_detail(request: HttpRequest, petition_id: int) -> HttpResponse:
    page = PetitionPage(request, _petition_or_404(request.user, petition_id))
    return render(request, "supervision/petitions/detail.html", page.context())


@require_POST
@perm_required("core.use_browser")
def petition_action(request: HttpRequest, petition_id: int, action: str) -> HttpResponse:
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    petition = _petition_or_404(request.user, petition_id)
    form, status = action_run(
        request,
        spec=spec,
        obj=petition,
        place_error={
            "code_fields": {"node_in_future": "fed_back_at" if action == "feedback" else "concluded_at"}
        },
    )
    if status is None:
        messages.success(request, spec.done)
        return redirect("supervision:petition-detail", petition_id=petition.pk)
    page = PetitionPage(request, _petition_or_404(request.user, petition_id))
    page.bound[action] = form
    return render(request, "supervision/petitions/detail.html", page.context(), status=status)


urlpatterns = [
    path("petitions/", petition_list, name="petitions"),
    path("petitions/new/", petition_new, name="petition-new"),
    path("petitions/<int:petition_id>/", petition_detail, name="petition-detail"),
    path("petitions/<int:petition_id>/<slug:action>/", petition_action, name="petition-action"),
]
