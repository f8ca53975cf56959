"""The browser's reveal of a party's whole ID and phone number: a POST (CSRF, audited),
answered with the party's row for htmx or a small page without JavaScript."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from audit.forms import AuditFilterForm
from audit.selectors import audit_records_filtered, party_get
from audit.services import party_identity_reveal
from core.decorators import perm_required
from core.exceptions import NotFound, PermissionDenied


@never_cache
@perm_required("core.use_browser")  # people only: a machine client reveals over REST
@require_POST
def party_reveal(request, case_id: int, party_id: int):
    try:
        party = party_get(request.user, case_id, party_id)
    except NotFound:
        raise Http404 from None
    try:
        identity = party_identity_reveal(user=request.user, party=party, request=request)
    except PermissionDenied as exc:
        return render(request, "audit/reveal_refused.html", {"party": party, "message": exc.message}, status=403)
    template = "audit/_party_identity.html" if request.htmx else "audit/party_identity.html"
    return render(request, template, {"party": party, "identity": identity})


@perm_required("audit.view_records")
@require_GET
def audit_records(request):
    """The audit trail of the people of the reader's courts, newest first, filtered."""
    form = AuditFilterForm(request.GET or None)
    filters = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {"event": data["event"], "success": data["success"], "username": data["user"],
                   "since": data["since"], "until": data["until"]}  # fmt: skip
    qs = audit_records_filtered(request.user, **filters)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "audit/records.html", {"form": form, "page": page, "filtered": form.is_bound})
