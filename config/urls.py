from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.urls import include, path
from django.utils.translation import gettext as _
from django.views.defaults import bad_request, page_not_found, server_error

from core.api.docs import DocsView, SchemaView
from core.api.health import healthz
from core.views.auth import LoginView

api_v1 = [
    path("", include("core.api.urls")),
    path("", include("enforcement.api.urls")),
    path("", include("custody_funds.api.urls")),
    path("", include("supervision.api.urls")),
    path("", include("dualcheck.api.urls")),
    path("", include("audit.api.urls")),
    path("", include("documents.api.urls")),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    path("api/docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("cases/", include("enforcement.urls")),
    path("funds/", include("custody_funds.urls")),
    path("supervision/", include("supervision.urls")),
    path("dualcheck/", include("dualcheck.urls")),
    path("audit/", include("audit.urls")),
    path("documents/", include("documents.urls")),
    path("public/", include("enforcement.public_urls")),  # h/gateproc: 终本案件公开 (322号 §11)
    path("", include("core.urls")),
]

# the site's titles: core.admin_site.CourtAdminSite


def _json_error(request, status: int, code: str, message: str):
    return JsonResponse({"code": code, "message": message, "extra": {}}, status=status)


def handler404(request, exception=None):
    if request.path.startswith("/api/"):
        return _json_error(request, 404, "not_found", _("对象不存在或不在您的可见范围内。"))
    return page_not_found(request, exception)


def handler500(request):
    if request.path.startswith("/api/"):
        return _json_error(request, 500, "server_error", _("服务器内部错误，已记录。"))
    return server_error(request)


def handler400(request, exception=None):
    if request.path.startswith("/api/"):
        return _json_error(request, 400, "bad_request", _("请求无法解析。"))
    return bad_request(request, exception)
