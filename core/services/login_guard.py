"""Password spraying from one address (issue 17).

django-axes locks one account at one address after ``AXES_FAILURE_LIMIT`` wrong
passwords. A sprayer stays under that limit on every account: four guesses at each
of fourteen predictable user names. This guard counts, per client address
(``core.net.client_ip``), the *distinct* accounts that failed within
``LOGIN_SPRAY_WINDOW_MINUTES``; at ``LOGIN_SPRAY_ACCOUNTS`` the address may not try
any account for ``AXES_COOLOFF_TIME`` hours. A colleague at another address is not
affected; a right password afterwards does not lift it (a sprayer would only need
one hit).

State is in the cache (Redis in production, shared by every worker): one key per
(address, account) added atomically, a counter per address, a block flag.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

from core.net import client_ip


def _key(*parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]
    return f"login-spray:{digest}"


def _window_seconds() -> int:
    return int(settings.LOGIN_SPRAY_WINDOW_MINUTES * 60)


def _cooloff_seconds() -> int:
    return int(float(settings.AXES_COOLOFF_TIME) * 3600)


def login_spray_blocked(ip: str | None) -> bool:
    """Whether this address may not try to sign in at the moment."""
    return bool(ip) and cache.get(_key("block", ip or "")) is not None


def login_failure_record(ip: str | None, username: str) -> bool:
    """Count one failed sign-in of ``username`` from ``ip``; returns whether the
    address is now blocked. The same account failing again is not counted twice
    (that is axes' business)."""
    if not ip:
        return False
    window = _window_seconds()
    counter = _key("count", ip)
    if cache.add(_key("account", ip, (username or "").strip().lower()), 1, window):
        cache.add(counter, 0, window)
        try:
            accounts = cache.incr(counter)
        except ValueError:  # expired between add and incr
            cache.add(counter, 1, window)
            accounts = 1
        if accounts >= settings.LOGIN_SPRAY_ACCOUNTS:
            cache.set(_key("block", ip), 1, _cooloff_seconds())
    return login_spray_blocked(ip)


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    """``user_login_failed`` receiver (connected in ``CoreConfig.ready``)."""
    login_failure_record(client_ip(request), str(credentials.get("username", "")))
