"""Browser pages of case funds, under /funds/ (the REST routes are in api/urls.py)."""

from django.urls import path

from custody_funds.views import case, daily, queues

app_name = "custody_funds"

urlpatterns = [
    path("cases/<int:case_id>/", case.case_funds, name="case"),
    path("cases/<int:case_id>/<slug:action>/", case.case_action, name="case-action"),
    path("cases/<int:case_id>/<slug:action>/<int:obj_id>/", case.case_action, name="case-object-action"),
    path("finance/", queues.finance_queue, name="finance"),
    path("finance/<int:disbursement_id>/pay/", queues.finance_pay, name="finance-pay"),
    path("receipts/daily/", daily.receipts_daily, name="receipts-daily"),
    path("reconciliation/", daily.reconcile_statement, name="reconcile"),
    path("receipts/unidentified/", queues.unidentified_queue, name="unidentified"),
    path("receipts/<int:receipt_id>/cases/", queues.match_suggestions, name="match-suggestions"),
    path("receipts/<int:receipt_id>/match/", queues.receipt_match, name="receipt-match"),
    path("approvals/", queues.approval_queue, name="approvals"),
    path("disbursements/<int:disbursement_id>/notice/", queues.disbursement_notice, name="notice"),
]
