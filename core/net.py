"""The client's address as the court's reverse proxy saw it (issue 17).

Behind the documented proxy every request's ``REMOTE_ADDR`` is the proxy. Its
``X-Forwarded-For`` names the client, but only a proxy we run may say so: a client
that talks to us directly can put anything in that header. So the header is read
only when the peer is one of ``settings.TRUSTED_PROXIES`` (addresses or networks),
and then from the right: each hop a trusted proxy appended is skipped, the first
address no trusted proxy vouches for is the client. A malformed hop ends the walk at
the last trusted peer — never a made-up address.

One answer for everything that keys on the client: django-axes (lockout per user and
address, ``AXES_CLIENT_IP_CALLABLE``), the audit trail, the login spraying guard and
the REST throttles.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in spec if item.strip())


def trusted_proxies() -> tuple[IPNetwork, ...]:
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))


def _address(value: str) -> IPAddress | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:51234"
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def _is_trusted(address: IPAddress, networks: tuple[IPNetwork, ...]) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or from a trusted proxy the first
    untrusted hop of ``X-Forwarded-For`` counted from the right."""
    if request is None:
        return None
    peer = _address(request.META.get("REMOTE_ADDR", "") or "")
    if peer is None:
        return None
    networks = trusted_proxies()
    if not _is_trusted(peer, networks):
        return str(peer)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "") or ""
    client = peer
    for hop in reversed([h for h in forwarded.split(",") if h.strip()]):
        address = _address(hop)
        if address is None:
            break
        client = address
        if not _is_trusted(address, networks):
            break
    return str(client)


def axes_client_ip(request: HttpRequest) -> str:
    """``AXES_CLIENT_IP_CALLABLE``: axes wants a string."""
    return client_ip(request) or ""
