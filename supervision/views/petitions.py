"""Browser pages of 执行信访 (322号 §30): the petition list, the form that records
a petition when it arrives, and the petition page with its clocks (录入 within
5 working days, 办结 within 30, 反馈 after 办结 within the court's period), the timeline and the actions: register,
conclude, feed back, and flag as a 一案双查 clue.

Reads go through ``supervision.selectors.petitions``; every write goes through
``supervision.services.petitions``. ID and phone numbers are shown masked."""

from typing import Any

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
from core.models import User
from core.web.clocks import ClockRows
from core.web.forms import place_error
from core.web.pages import Action, ActionPage, action_run, call_service
from enforcement.selectors import cases_visible_to
from supervision import forms as f
from supervision import policy
from supervision.models import Petition, PetitionStatus
from supervision.selectors.orders import subject_events
from supervision.selectors.petitions import petition_get_detail, petitions_searched
from supervision.services import petitions as services
from supervision.views.orders import timeline_rows

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
    clocks = ClockRows()
    rows = []
    for p in page.object_list:
        # the clock that matters now: registration first, then conclusion
        current = {
            PetitionStatus.RECEIVED: p.register_deadline,
            PetitionStatus.CONCLUDED: p.feedback_deadline,
        }.get(p.status, p.close_deadline)
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
        place_error(form, exc, aliases={"case": "case_number"}, code_fields={"node_in_future": "received_at"})
    return None


# --- the petition page ---------------------------------------------------------------------------


def _register(user: User, petition: Petition, form: forms.Form) -> Petition:
    return services.petition_register(actor=user, petition=petition)


def _conclude(user: User, petition: Petition, form: forms.Form) -> Petition:
    data = form.cleaned_data
    return services.petition_conclude(
        actor=user,
        petition=petition,
        result=data["result"],
        finding=data["finding"],
        measures=data.get("measures") or "",
        concluded_at=data["concluded_at"],
    )


def _feedback(user: User, petition: Petition, form: forms.Form) -> Petition:
    data = form.cleaned_data
    return services.petition_feedback(
        actor=user,
        petition=petition,
        method=data["method"],
        note=data.get("note") or "",
        fed_back_at=data["fed_back_at"],
    )


def _flag(user: User, petition: Petition, form: forms.Form) -> Petition:
    return services.petition_flag_dualcheck(actor=user, petition=petition, reason=form.cleaned_data["reason"])


# Who is offered which action: ``supervision.policy``, the rules the services enforce.
ACTIONS: dict[str, Action] = {
    a.slug: a
    for a in [
        Action(
            "register",
            f.PetitionRegisterForm,
            _("录入信访"),
            _("录入并编号"),
            _register,
            available=lambda page, _obj: policy.can_register_petition(page.user, page.petition),
            done=_("已录入，录入期限停止计算。"),
        ),
        Action(
            "conclude",
            f.PetitionConcludeForm,
            _("办结"),
            _("办结"),
            _conclude,
            available=lambda page, _obj: policy.can_conclude_petition(page.user, page.petition),
            done=_("已办结，请及时将办理结果反馈信访人。"),
            code_fields={"node_in_future": "concluded_at"},
        ),
        Action(
            "feedback",
            f.PetitionFeedbackForm,
            _("反馈办理结果"),
            _("记录反馈"),
            _feedback,
            available=lambda page, _obj: policy.can_feed_back_petition(page.user, page.petition),
            done=_("已记录反馈，信访办理完毕。"),
            code_fields={"node_in_future": "fed_back_at"},
        ),
        Action(
            "flag-dualcheck",
            f.PetitionFlagForm,
            _("转一案双查线索"),
            _("转为线索"),
            _flag,
            available=lambda page, _obj: policy.can_flag_petition_for_dualcheck(page.user, page.petition),
            danger=True,
            done=_("已转为一案双查线索。"),
        ),
    ]
}


class PetitionPage(ActionPage):
    actions = ACTIONS

    def __init__(self, request: HttpRequest, petition: Petition):
        super().__init__()
        self.request, self.user, self.petition = request, request.user, petition
        self.events = list(subject_events(petition))
        self.clocks = ClockRows()

    def form_kwargs(self, action: Action, obj: Any) -> dict[str, Any]:
        return {}

    def action_url(self, action: Action, obj: Any = None) -> str:
        return reverse(
            "supervision:petition-action", kwargs={"petition_id": self.petition.pk, "action": action.slug}
        )

    def context(self) -> dict:
        p = self.petition
        return {
            "petition": p,
            "register_clock": self.clocks.row(p.register_deadline),
            "close_clock": self.clocks.row(p.close_deadline),
            "feedback_clock": self.clocks.row(p.feedback_deadline),
            "conclude_refusal": policy.petition_conclude_refusal(self.user, p),
            "timeline": timeline_rows(self.events),
            "action_forms": self.forms_on(None),
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
    form = spec.form_class(request.POST, auto_id=f"id_{spec.slug}_%s")
    _result, status = action_run(
        form, lambda: spec.perform(request.user, petition, form), code_fields=spec.code_fields
    )
    if status is None:
        messages.success(request, spec.done)
        return redirect("supervision:petition-detail", petition_id=petition.pk)
    page = PetitionPage(request, _petition_or_404(request.user, petition_id))
    page.bind(spec, None, form)
    return render(request, "supervision/petitions/detail.html", page.context(), status=status)


urlpatterns = [
    path("petitions/", petition_list, name="petitions"),
    path("petitions/new/", petition_new, name="petition-new"),
    path("petitions/<int:petition_id>/", petition_detail, name="petition-detail"),
    path("petitions/<int:petition_id>/<slug:action>/", petition_action, name="petition-action"),
]
