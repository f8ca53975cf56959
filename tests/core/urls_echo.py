"""A minimal POST endpoint on the API base class, for the idempotency tests."""

from django.urls import include, path
from rest_framework import status
from rest_framework.response import Response

from core.api.base import ApiView
from core.exceptions import RuleViolation

CALLS: list[dict] = []


class EchoApi(ApiView):
    def post(self, request):
        CALLS.append(request.data)
        if request.data.get("fail"):
            raise RuleViolation("拒绝", code="echo_refused")
        return Response({"n": len(CALLS), "got": request.data}, status=status.HTTP_201_CREATED)


urlpatterns = [path("echo/", EchoApi.as_view()), path("", include("config.urls"))]
