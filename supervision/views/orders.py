"""Browser pages of 督办 (322号 §28): the order list, the "issue 督办" form (reached
from a case page with ``?case=<id>`` or from the list), and the order page with its
response clock, the ladder's alerts, the response rounds, the timeline and the
actions of the user's side.

Reads go through ``supervision.selectors.orders``; every write goes through
``supervision.services.orders``; which actions the user is offered, ``supervision.policy``. A refusal is shown next to the input it is about
or at the top of its form — never as a server error."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.decorators import perm_required
from core.events import node_label
from core.exceptions import ApplicationError, NotFound, PermissionDenied
from core.models import Court, DeadlineRule, PeriodUnit, Role, User
from core.web.clocks import ClockRows
from core.web.forms import place_error
from core.web.pages import Action, ActionPage, action_run, call_service
from enforcement.selectors import case_get, cases_visible_to
from supervision import forms as f
from supervision import policy
from supervision.models import OrderKind, SupervisionOrder
from supervision.permissions import ISSUE_ORDER
from supervision.selectors.orders import (
    order_alerts,
    order_assignable_courts,
    order_deadlines,
    order_get_detail,
    orders_searched,
    subject_events,
)
from supervision.services import orders as services

PAGE_SIZE = 50

ROLE_LABELS = dict(Role.choices)


# --- timeline ------------------------------------------------------------------------


def timeline_rows(events) -> list[dict]:
    rows = []
    for e in events:
        flags = e.flags or []
        rows.append(
            {
                "event": e,
                "label": node_label(e.kind),
                "backdated": "backdated" in flags,
                "imported": "imported" in flags,
            }
        )
    return rows


def response_unit_label() -> str:
    unit = DeadlineRule.objects.filter(code=services.RULE).values_list("unit", flat=True).first()
    return str(PeriodUnit(unit).label) if unit in PeriodUnit.values else ""


# --- the list -----------------------------------------------------------------------------


@require_GET
@perm_required("core.use_browser")
def order_list(request: HttpRequest) -> HttpResponse:
    """督办: the orders the user's courts issued, received or were assigned, newest
    first, with the response clock of each."""
    user = request.user
    form = f.OrderFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = orders_searched(
        user, status=data.get("status") or "", kind=data.get("kind") or "", text=data.get("q") or ""
    )
    filtered = any(data.get(k) for k in ("status", "kind", "q"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    clocks = ClockRows()
    rows = [{"order": o, "clock": clocks.row(o.response_deadline)} for o in page.object_list]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "filtered": filtered,
        "can_issue": policy.can_issue_orders(user),
    }
    return render(request, "supervision/orders/list.html", context)


# --- issuing ------------------------------------------------------------------------------


def _case_from_query(request: HttpRequest):
    raw = request.POST.get("case") or request.GET.get("case")
    if not raw:
        return None
    try:
        return case_get(request.user, raw)
    except NotFound:
        raise Http404 from None


@require_http_methods(["GET", "POST"])
@perm_required(ISSUE_ORDER)
def order_new(request: HttpRequest) -> HttpResponse:
    """督办 form. With ``?case=<id>`` the case is fixed (the button on a case page);
    otherwise it is typed by its number."""
    user = request.user
    case = _case_from_query(request)
    issuing = policy.order_issuing_courts(user, case.court if case is not None else None)
    context: dict[str, Any] = {"case": case, "unit_label": response_unit_label()}
    if not issuing:
        context["refused"] = (
            _("您不是本案法院的上级法院的专人监管或执行局长，不能对本案督办（322号第28条）。")
            if case is not None
            else _("您没有可以发出督办的上级法院职务。")
        )
        return render(request, "supervision/orders/form.html", context, status=403)
    assignable = list(order_assignable_courts(issuing, exclude=case.court if case is not None else None))
    form = f.OrderIssueForm(
        request.POST or None,
        case=case,
        issuing_courts=issuing,
        assignable=assignable,
        unit_label=context["unit_label"],
    )
    context["form"] = form
    if request.method == "POST":
        if form.is_valid():
            order = _issue(request, form, case, issuing, assignable)
            if order is not None:
                messages.success(
                    request,
                    _("已发出督办 %(n)s（%(k)s），回复期限 %(d)s %(u)s。")
                    % {
                        "n": order.number,
                        "k": order.get_kind_display(),
                        "d": order.response_days,
                        "u": context["unit_label"],
                    },
                )
                return redirect("supervision:order-detail", order_id=order.pk)
        return render(request, "supervision/orders/form.html", context, status=422)
    return render(request, "supervision/orders/form.html", context)


def _issue(request: HttpRequest, form: f.OrderIssueForm, case, issuing: list[Court], assignable: list[Court]):
    data = form.cleaned_data
    if case is None:
        case = cases_visible_to(request.user).filter(case_number=data["case_number"]).first()
        if case is None:
            form.add_error(
                "case_number",
                _("没有案号为 %(n)s 的案件，或该案件不在您的可见范围内。") % {"n": data["case_number"]},
            )
            return None
    issuing_court = next((c for c in issuing if c.pk == data["issuing_court"]), None)
    assignee = next((c for c in assignable if c.pk == data.get("assignee_court")), None)
    try:
        return call_service(
            services.order_issue,
            actor=request.user,
            case=case,
            kind=data["kind"],
            instructions=data["instructions"],
            response_days=data["response_days"],
            issuing_court=issuing_court,
            assignee_court=assignee if data["kind"] == OrderKind.ASSIGN else None,
        )
    except NotFound as exc:
        field = "case_number" if "case_number" in form.fields else None
        form.add_error(field, str(exc.message))
    except PermissionDenied as exc:
        form.add_error("issuing_court" if exc.code == "not_upper_court" else None, str(exc.message))
    except ApplicationError as exc:
        place_error(form, exc)
    return None


# --- the order page -----------------------------------------------------------------------


def _respond(user: User, order: SupervisionOrder, form: forms.Form) -> SupervisionOrder:
    return services.order_respond(actor=user, order=order, text=form.cleaned_data["text"])


def _accept(user: User, order: SupervisionOrder, form: forms.Form) -> SupervisionOrder:
    return services.order_accept(actor=user, order=order, note=form.cleaned_data.get("note") or "")


def _return(user: User, order: SupervisionOrder, form: forms.Form) -> SupervisionOrder:
    data = form.cleaned_data
    return services.order_return(
        actor=user, order=order, note=data["note"], response_days=data.get("response_days")
    )


def _withdraw(user: User, order: SupervisionOrder, form: forms.Form) -> SupervisionOrder:
    return services.order_withdraw(actor=user, order=order, reason=form.cleaned_data["reason"])


# Who is offered which action: ``supervision.policy``, the rules the services enforce.
ACTIONS: dict[str, Action] = {
    a.slug: a
    for a in [
        Action(
            "respond",
            f.OrderRespondForm,
            _("回复督办"),
            _("提交回复"),
            _respond,
            available=lambda page, _obj: policy.can_respond_to_order(page.user, page.order),
            done=_("已回复督办，回复期限停止计算。"),
        ),
        Action(
            "accept",
            f.OrderAcceptForm,
            _("认可回复，办结督办"),
            _("认可并办结"),
            _accept,
            available=lambda page, _obj: policy.can_review_order_response(
                page.user, page.order, page.current
            ),
            done=_("督办已办结。"),
        ),
        Action(
            "return",
            f.OrderReturnForm,
            _("退回回复"),
            _("退回"),
            _return,
            available=lambda page, _obj: policy.can_review_order_response(
                page.user, page.order, page.current
            ),
            danger=True,
            done=_("已退回，下级法院须重新回复。"),
        ),
        Action(
            "withdraw",
            f.OrderWithdrawForm,
            _("撤回督办"),
            _("撤回"),
            _withdraw,
            available=lambda page, _obj: policy.can_withdraw_order(page.user, page.order),
            danger=True,
            done=_("督办已撤回。"),
        ),
    ]
}


class OrderPage(ActionPage):
    """Everything the order page shows, in a fixed number of queries."""

    actions = ACTIONS

    def __init__(self, request: HttpRequest, order: SupervisionOrder):
        super().__init__()
        self.request, self.user, self.order = request, request.user, order
        self.responses = list(order.responses.all())
        self.current = self.responses[-1] if self.responses else None
        self.deadlines = list(order_deadlines(order))
        self.alerts = list(order_alerts(order, [d.pk for d in self.deadlines]))
        self.events = list(subject_events(order))
        self.clocks = ClockRows()

    def form_kwargs(self, action: Action, obj: Any) -> dict[str, Any]:
        return {}

    def action_url(self, action: Action, obj: Any = None) -> str:
        return reverse("supervision:order-action", kwargs={"order_id": self.order.pk, "action": action.slug})

    def form_for(self, action: Action, obj: Any = None) -> forms.Form:
        form = super().form_for(action, obj)
        if action.slug == "return" and not form.is_bound:
            form.fields["response_days"].initial = self.order.response_days
        return form

    def alert_rows(self) -> list[dict]:
        return [
            {"alert": a, "to_role": ROLE_LABELS.get(a.to_role, _("责任人")) if a.to_role else _("责任人")}
            for a in self.alerts
        ]

    def context(self) -> dict:
        current = self.order.response_deadline
        return {
            "order": self.order,
            "case": self.order.case,
            "responses": self.responses,
            "current_clock": self.clocks.row(current),
            "clock_rows": [self.clocks.row(d) for d in self.deadlines],
            "alert_rows": self.alert_rows(),
            "timeline": timeline_rows(self.events),
            "action_forms": self.forms_on(None),
            "executing_court": self.order.executing_court,
        }


def _order_or_404(user: User, order_id: int) -> SupervisionOrder:
    try:
        return order_get_detail(user, order_id)
    except NotFound:
        raise Http404 from None


@require_GET
@perm_required("core.use_browser")
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    page = OrderPage(request, _order_or_404(request.user, order_id))
    return render(request, "supervision/orders/detail.html", page.context())


@require_POST
@perm_required("core.use_browser")
def order_action(request: HttpRequest, order_id: int, action: str) -> HttpResponse:
    """One action of the order page: validate, call the service, then back to the
    page (with the form and its errors when refused)."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    order = _order_or_404(request.user, order_id)
    form = spec.form_class(request.POST, auto_id=f"id_{spec.slug}_%s")
    _result, status = action_run(
        form,
        lambda: spec.perform(request.user, order, form),
        code_fields=spec.code_fields,
        aliases={"at": "note"},
    )
    if status is None:
        messages.success(request, spec.done)
        return redirect("supervision:order-detail", order_id=order.pk)
    page = OrderPage(request, _order_or_404(request.user, order_id))
    page.bind(spec, None, form)
    return render(request, "supervision/orders/detail.html", page.context(), status=status)


urlpatterns = [
    path("orders/", order_list, name="orders"),
    path("orders/new/", order_new, name="order-new"),
    path("orders/<int:order_id>/", order_detail, name="order-detail"),
    path("orders/<int:order_id>/<slug:action>/", order_action, name="order-action"),
]
