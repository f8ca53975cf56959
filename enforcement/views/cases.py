"""Browser pages of enforcement: the case list and registration (收案登记)."""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from core.decorators import perm_required
from core.exceptions import ApplicationError
from core.models import Court, User
from core.selectors import visible_courts
from core.web.forms import RowSet, local_now_input, local_today, place_error, place_errors
from core.web.htmx import is_partial
from core.web.pages import call_service
from enforcement import forms as f
from enforcement import policy
from enforcement.selectors import (
    asset_categories,
    case_handler_choices,
    cases_filter,
    cases_with_party_names,
    handlers_by_court,
    user_get,
)
from enforcement.services import cases as case_services

logger = logging.getLogger(__name__)


PAGE_SIZE = 50


HANDLER_CHOICES_MAX = 500


def actable_courts(user: User) -> list[Court]:
    """The courts where ``user`` registers and progresses cases."""
    return [c for c in visible_courts(user) if policy.can_act_at(user, c)]


@require_GET
@perm_required("core.use_browser")
def case_list(request: HttpRequest) -> HttpResponse:
    """案件列表: filters, search, 50 a page; htmx swaps only the table."""
    user = request.user
    courts = list(visible_courts(user))
    handler_choices = case_handler_choices(user, limit=HANDLER_CHOICES_MAX)
    form = f.CaseFilterForm(request.GET or None, courts=courts, handlers=handler_choices)
    params = form.params() if request.GET else {}
    cases = cases_with_party_names(cases_filter(user, params))
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "filtered": bool(params),
        "can_register": user.has_perm("enforcement.act") and any(policy.can_act_at(user, c) for c in courts),
    }
    template = "enforcement/_case_table.html" if is_partial(request) else "enforcement/case_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _party_input(row: Form, *, applicant: bool) -> case_services.PartyInput:
    """The row as the service's input; on a row the form refused, what parsed (the
    refused inputs' rules are skipped when their errors are placed)."""
    d = getattr(row, "cleaned_data", {})
    account = None
    if applicant and any(d.get(k) for k in ("bank", "account_number", "holder")):
        account = case_services.PayoutAccountInput(
            bank=d.get("bank") or "", account_number=d.get("account_number") or "", holder=d.get("holder") or ""
        )
    return case_services.PartyInput(
        name=d.get("name") or "",
        kind=d.get("kind") or "",
        id_number=d.get("id_number") or "",
        phone=d.get("phone") or "",
        payout_account=account,
    )


def _rules_on_what_parsed(form: f.CaseForm, applicants: RowSet, respondents: RowSet) -> None:
    """The form refused some inputs: check the service's rules on the others too, so
    that one answer shows every mistake next to its field (a refused input keeps the
    form's message only)."""
    d = getattr(form, "cleaned_data", {})
    errors, _number = case_services.case_values_errors(
        d,
        court=form.courts.get(d["court"]) if d.get("court") is not None else None,
        applicants=[_party_input(r, applicant=True) for r in applicants.filled],
        respondents=[_party_input(r, applicant=False) for r in respondents.filled],
    )
    place_errors(form, errors.fields, rowsets=[applicants, respondents], keep_existing=True)


@require_http_methods(["GET", "POST"])
@perm_required("enforcement.act")
def case_register(request: HttpRequest) -> HttpResponse:
    """收案登记 with its parties; the service checks IDs, accounts and the number."""
    user = request.user
    courts = actable_courts(user)
    if not courts:
        raise DjangoPermissionDenied
    handlers = handlers_by_court(courts)
    status = 200
    if request.method == "POST":
        form = f.CaseForm(request.POST, courts=courts, handlers=handlers)
        applicants = RowSet(f.ApplicantRowForm, "applicants", request.POST)
        respondents = RowSet(f.PartyRowForm, "respondents", request.POST)
        if all([form.is_valid(), applicants.is_valid(), respondents.is_valid()]):
            d = form.cleaned_data
            data = case_services.CaseInput(
                case_number=d["case_number"],
                court=form.courts[d["court"]],
                filed_on=d["filed_on"],
                received_at=d["received_at"],
                claim_amount=d["claim_amount"],
                costs=d["costs"] if d.get("costs") is not None else 0,
                basis_document=d["basis_document"],
                track=d["track"],
                handler=user_get(d["handler"]) if d.get("handler") else None,
                team=d.get("team") or "",
                find_property=bool(d.get("find_property")),
                applicants=[_party_input(r, applicant=True) for r in applicants.filled],
                respondents=[_party_input(r, applicant=False) for r in respondents.filled],
            )
            try:
                case = call_service(case_services.case_register, actor=user, data=data)
            except ApplicationError as exc:
                place_error(
                    form, exc, rowsets=[applicants, respondents],
                    code_fields={"duplicate_case_number": "case_number", "node_in_future": "received_at"},
                )
            else:
                messages.success(request, _("案件 %(n)s 已登记，法定期限已开始计算。") % {"n": case.case_number})
                return redirect("enforcement:case-detail", case_id=case.pk)
        else:
            _rules_on_what_parsed(form, applicants, respondents)
        status = 422
    else:
        form = f.CaseForm(
            courts=courts,
            handlers=handlers,
            initial={
                "court": courts[0].pk,
                "filed_on": local_today(),
                "received_at": local_now_input(),
                "handler": user.pk if user.pk in {pk for pk, _l in handlers.get(courts[0].pk, [])} else None,
            },
        )
        applicants = RowSet(f.ApplicantRowForm, "applicants")
        respondents = RowSet(f.PartyRowForm, "respondents")
    context = {"form": form, "applicants": applicants, "respondents": respondents}
    return render(request, "enforcement/case_form.html", context, status=status)


@require_GET
@perm_required("core.use_browser")
def row_partial(request: HttpRequest, kind: str) -> HttpResponse:
    """htmx: one more blank row (party or finding) and the add button for the next."""
    try:
        index = min(max(int(request.GET.get("index", "0")), 0), 999)
    except ValueError:
        index = 0
    dom = request.GET.get("dom", "")
    if kind in ("applicant", "respondent"):
        form_class = f.ApplicantRowForm if kind == "applicant" else f.PartyRowForm
        row = form_class(prefix=f"{kind}s-{index}")
        context = {"row": row, "role": kind, "index": index, "next_index": index + 1, "oob": True}
        return render(request, "enforcement/_party_row.html", context)
    if kind == "finding" and dom.replace("-", "").replace("_", "").isalnum() and len(dom) <= 40:
        row = f.FindingRowForm(
            prefix=f"findings-{index}", auto_id=f"id_{dom}_%s", categories=asset_categories()
        )
        context = {"row": row, "dom": dom, "index": index, "next_index": index + 1, "oob": True}
        return render(request, "enforcement/_finding_row.html", context)
    raise Http404
