"""Browser pages of case funds, under /funds/ (the REST routes are in api_urls)."""

from django.urls import path

from custody_funds import views

app_name = "custody_funds"

urlpatterns = [
    path("cases/<int:case_id>/", views.case_funds, name="case"),
    path("cases/<int:case_id>/<slug:action>/", views.case_action, name="case-action"),
    path("cases/<int:case_id>/<slug:action>/<int:obj_id>/", views.case_action, name="case-object-action"),
    path("finance/", views.finance_queue, name="finance"),
    path("finance/<int:disbursement_id>/pay/", views.finance_pay, name="finance-pay"),
    path("receipts/unidentified/", views.unidentified_queue, name="unidentified"),
    path("receipts/<int:receipt_id>/cases/", views.match_suggestions, name="match-suggestions"),
    path("receipts/<int:receipt_id>/match/", views.receipt_match, name="receipt-match"),
    path("approvals/", views.approval_queue, name="approvals"),
    path("disbursements/<int:disbursement_id>/notice/", views.disbursement_notice, name="notice"),
]
