"""DRF's throttles keyed on the real client address (``core.net``).

DRF's own ``get_ident`` believes any ``X-Forwarded-For`` when ``NUM_PROXIES`` is
unset, so a client could pick a fresh identity per request; behind the proxy it would
otherwise throttle the proxy. These read the address the way lockout and audit do.
"""

from rest_framework import throttling

from core.net import client_ip


class _ClientIdentMixin:
    def get_ident(self, request) -> str:
        return client_ip(request) or ""


class AnonRateThrottle(_ClientIdentMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_ClientIdentMixin, throttling.UserRateThrottle):
    pass
