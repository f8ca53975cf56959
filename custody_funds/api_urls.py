from django.urls import path

from custody_funds import apis

urlpatterns = [
    path("receipts/", apis.ReceiptListCreateApi.as_view(), name="api-receipts"),
    path("receipts/<int:receipt_id>/match/", apis.ReceiptMatchApi.as_view(), name="api-receipt-match"),
    path("cases/<int:case_id>/funds/", apis.CaseFundsApi.as_view(), name="api-case-funds"),
    path("cases/<int:case_id>/funds/export/", apis.CaseLedgerExportApi.as_view(), name="api-case-funds-export"),
    path("funds/held/export/", apis.FundsHeldExportApi.as_view(), name="api-funds-held-export"),
    path("cases/<int:case_id>/disbursements/", apis.DisbursementListCreateApi.as_view(), name="api-case-disbursements"),
    path("disbursements/", apis.DisbursementQueueApi.as_view(), name="api-disbursements"),
    path("cases/<int:case_id>/funds-holds/", apis.HoldCreateApi.as_view(), name="api-case-funds-holds"),
    *[path(f"funds-holds/<int:hold_id>/{name}/", view, name=f"api-funds-hold-{name}") for name, view in apis.HOLD_VIEWS.items()],
    *[
        path(f"disbursements/<int:disbursement_id>/{name}/", view, name=f"api-disbursement-{name}")
        for name, view in apis.ACTION_VIEWS.items()
    ],
]
