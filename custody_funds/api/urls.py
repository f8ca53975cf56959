"""REST routes of case funds, under /api/v1/ (config/urls.py)."""

from django.urls import path

from custody_funds.api import disbursements, holds, ledger, receipts, reconciliation

urlpatterns = [
    path("receipts/", receipts.ReceiptListCreateApi.as_view(), name="api-receipts"),
    path("receipts/daily/", reconciliation.ReceiptsDailyApi.as_view(), name="api-receipts-daily"),
    path("funds/reconciliation/", reconciliation.ReconciliationApi.as_view(), name="api-funds-reconciliation"),
    path("funds/reconciliation/export/", reconciliation.ReconciliationExportApi.as_view(),
         name="api-funds-reconciliation-export"),
    path("receipts/<int:receipt_id>/match/", receipts.ReceiptMatchApi.as_view(), name="api-receipt-match"),
    path("cases/<int:case_id>/funds/", ledger.CaseFundsApi.as_view(), name="api-case-funds"),
    path("cases/<int:case_id>/funds/export/", ledger.CaseLedgerExportApi.as_view(), name="api-case-funds-export"),
    path("funds/held/export/", ledger.FundsHeldExportApi.as_view(), name="api-funds-held-export"),
    path("cases/<int:case_id>/disbursements/", disbursements.DisbursementListCreateApi.as_view(),
         name="api-case-disbursements"),
    path("disbursements/", disbursements.DisbursementQueueApi.as_view(), name="api-disbursements"),
    path("cases/<int:case_id>/funds-holds/", holds.HoldCreateApi.as_view(), name="api-case-funds-holds"),
    *[
        path(f"funds-holds/<int:hold_id>/{step}/", view.as_view(), name=f"api-funds-hold-{step}")
        for step, view in holds.HOLD_STEPS.items()
    ],
    *[
        path(f"disbursements/<int:disbursement_id>/{step}/", view.as_view(), name=f"api-disbursement-{step}")
        for step, view in disbursements.DISBURSEMENT_STEPS.items()
    ],
]
