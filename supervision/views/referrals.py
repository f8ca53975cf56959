"""拒执 referrals report (issue 15): per court and period, referrals by route and outcome, with
the cases. Reads only, through ``supervision.selectors.referrals`` (court-scoped there)."""

from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from core.decorators import perm_required
from core.exceptions import NotFound, ValidationFailed
from supervision.filters import indicator_params
from supervision.permissions import VIEW_DASHBOARD
from supervision.selectors.referrals import referral_report


@require_GET
@perm_required(VIEW_DASHBOARD)
def referrals(request):
    """拒执罪移送统计."""
    error = None
    try:
        params = indicator_params(request.user, request.GET)  # court, from, to
    except NotFound:
        raise Http404 from None
    except ValidationFailed as exc:
        error = exc.message
        params = indicator_params(request.user, {"court": request.GET.get("court", "")})
    data = referral_report(user=request.user, params=params)
    context = {
        "data": data,
        "params": params,
        "error": error,
        "export_params": params,
        "court_code": params.get("court", ""),
    }
    return render(request, "supervision/dashboard/referrals.html", context, status=400 if error else 200)


urlpatterns = [
    path("referrals/", referrals, name="referrals"),
]
