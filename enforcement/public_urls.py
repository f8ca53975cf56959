"""Public pages of enforcement (no login), under /public/ (config.urls; h/gateproc)."""

from django.urls import path

from enforcement.views import public

app_name = "public"

urlpatterns = [
    path("terminated-cases/", public.terminated_cases, name="terminated-cases"),
]
