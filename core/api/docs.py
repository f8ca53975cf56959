"""The schema and its Swagger UI, answering errors in the contract's shape (issue 17).

drf-spectacular's views render an error with the renderer the client asked for: a
stranger asking ``/api/docs/`` for HTML gets an HTML error page, and ``/api/schema/``
asked for HTML answers 406 before it even checks credentials. Here an error is always
``{"code", "message", "extra"}`` in JSON, and credentials are checked first.
"""

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView


class _ErrorsInJson(APIView):
    def perform_content_negotiation(self, request, force=False):
        # a client asking for a type the view cannot give still learns first
        # whether it may see the schema at all (401), then gets the default type
        return super().perform_content_negotiation(request, force=True)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code >= 400 and isinstance(getattr(response, "data", None), dict):
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = "application/json"
            response["Content-Type"] = "application/json"
        return response


class SchemaView(_ErrorsInJson, SpectacularAPIView):
    pass


class DocsView(_ErrorsInJson, SpectacularSwaggerView):
    pass
