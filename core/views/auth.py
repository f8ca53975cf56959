"""Sign-in: Django's login view with the spraying guard in front (issue 17)."""

from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.net import client_ip
from core.services.login_guard import login_spray_blocked


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if login_spray_blocked(client_ip(request)):
            return render(
                request,
                "registration/locked_out.html",
                {
                    "heading": _("登录已暂时受限"),
                    "reason": _(
                        "您所在的地址在短时间内登录多个账号失败，已暂时不能登录。请稍后再试，或联系系统管理员。"
                    ),
                },
                status=429,
            )
        return super().post(request, *args, **kwargs)
