from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("records/", views.audit_records, name="records"),
    path("cases/<int:case_id>/parties/<int:party_id>/reveal/", views.party_reveal, name="party-reveal"),
]
