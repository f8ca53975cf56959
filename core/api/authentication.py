"""``Authorization: Token <key>`` for machine clients (hashed keys, revocable) and
session + CSRF for the browser."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from core.exceptions import PermissionDenied
from core.models import ApiToken
from core.services.people import hash_key


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Authorization 头格式应为 “Token <密钥>”。"))
        try:
            key = header[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("密钥格式无效。")) from None
        token = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=hash_key(key), revoked_at__isnull=True)
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("密钥无效或已吊销。"))
        request._api_token = token
        token.user._api_token = token  # type: ignore[attr-defined]  # the system the nodes come from (backdate window)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return self.keyword


class CsrfFailed(PermissionDenied, exceptions.PermissionDenied):
    """403 ``csrf_failed``: an unsafe request on a browser session without a valid CSRF
    token. Both an ``ApplicationError`` (so the contract's handler renders its code and a
    message in the user's language) and DRF's ``PermissionDenied`` (so DRF treats the
    request as unauthenticated while it fails)."""

    status_code = 403
    default_code = "csrf_failed"
    default_message = _("CSRF 校验失败：请刷新页面后重试。浏览器会话提交的请求须附带 CSRF 令牌。")

    def __init__(self, reason: str = ""):
        PermissionDenied.__init__(self)
        self.detail = exceptions.ErrorDetail(str(self.message), code=self.code)
        self.reason = reason  # DRF's English reason ("CSRF Failed: ..."), for debugging


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's session authentication (CSRF enforced on unsafe methods), refusing with
    ``CsrfFailed`` instead of DRF's English message."""

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied as exc:
            raise CsrfFailed(reason=str(exc.detail)) from None
