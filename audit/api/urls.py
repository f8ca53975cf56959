"""The audit app's REST endpoints (included by ``config.urls`` under ``/api/v1/``)."""

from django.urls import path

from audit.api.parties import PartyRevealApi
from audit.api.records import AuditRecordListApi

urlpatterns = [
    path(
        "cases/<int:case_id>/parties/<int:party_id>/reveal/",
        PartyRevealApi.as_view(),
        name="api-party-reveal",
    ),
    path("audit-records/", AuditRecordListApi.as_view(), name="api-audit-records"),
]
