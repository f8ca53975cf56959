"""The admin site in Chinese (issue 16): the third-party apps' labels and model
names — axes, pghistory, django_celery_beat — have no Chinese of their own, and
renaming them on their models would make migrations in packages we do not own.
The index and the app pages name them here instead."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _

APP_NAMES = {
    "axes": _("登录防护"),
    "pghistory": _("变更历史"),
    "django_celery_beat": _("周期任务"),
}
MODEL_NAMES = {
    ("axes", "accessattempt"): _("登录尝试"),
    ("axes", "accessfailurelog"): _("登录失败记录"),
    ("axes", "accesslog"): _("登录记录"),
    ("pghistory", "events"): _("变更事件"),
}


class CourtAdminSite(admin.AdminSite):
    site_header = _("执行监督平台 管理后台")
    site_title = _("执行监督平台")
    index_title = _("系统管理")

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        for app in apps:
            label = app["app_label"]
            app["name"] = APP_NAMES.get(label, app["name"])
            for model in app["models"]:
                name = MODEL_NAMES.get((label, model["object_name"].lower()))
                if name is not None:
                    model["name"] = name
        return apps


class CourtAdminConfig(AdminConfig):
    default_site = "core.admin_site.CourtAdminSite"
