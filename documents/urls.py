from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("cases/<int:case_id>/generate/", views.document_generate, name="generate"),
    path("<int:document_id>/download/", views.document_download, name="download"),
]
