"""REST routes of documents, under /api/v1/ (config.urls)."""

from django.urls import path

from documents.api import documents

urlpatterns = [
    path("cases/<int:case_id>/documents/", documents.CaseDocumentsApi.as_view(), name="api-case-documents"),
    path(
        "documents/<int:document_id>/download/",
        documents.DocumentDownloadApi.as_view(),
        name="api-document-download",
    ),
]
