"""Behind the documented reverse proxy (issue 17): lockout, audit, the spraying guard
and the API throttles see the client's address, never the proxy's, and believe
``X-Forwarded-For`` only from a trusted proxy."""

import ipaddress
import secrets

import pytest
from django.test import Client, RequestFactory, override_settings

from audit.models import AuditEvent, AuditRecord
from core.api.throttling import AnonRateThrottle
from core.models import Role
from core.net import client_ip
from tests.core.factories import make_member

PROXY = "127.0.0.1"  # the default TRUSTED_PROXIES: nginx on the same host
PASSWORD = "pw-for-tests-1"


def fresh_ip() -> str:
    """A documentation address no earlier run has used (the guard's state is in Redis)."""
    return str(ipaddress.IPv6Address("2001:db8::") + secrets.randbits(64))


def via_proxy(client_address: str) -> Client:
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_address)


# --- core.net.client_ip --------------------------------------------------------------


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "expected"),
    [
        ("10.9.9.9", "", ["127.0.0.1"], "10.9.9.9"),  # no proxy
        ("10.9.9.9", "1.2.3.4", ["127.0.0.1"], "10.9.9.9"),  # an untrusted peer cannot claim another address
        ("127.0.0.1", "203.0.113.7", ["127.0.0.1"], "203.0.113.7"),
        ("127.0.0.1", "1.2.3.4, 203.0.113.7", ["127.0.0.1"], "203.0.113.7"),  # the client forged the left part
        ("127.0.0.1", "203.0.113.7, 10.0.0.2", ["127.0.0.1", "10.0.0.0/8"], "203.0.113.7"),  # two proxies
        ("127.0.0.1", "not-an-ip", ["127.0.0.1"], "127.0.0.1"),  # malformed: stop at the proxy
        ("127.0.0.1", "garbage, 203.0.113.7", ["127.0.0.1"], "203.0.113.7"),
        ("127.0.0.1", "203.0.113.7:51234", ["127.0.0.1"], "203.0.113.7"),
        ("127.0.0.1", "[2001:db8::5]:443", ["127.0.0.1"], "2001:db8::5"),
        ("::ffff:127.0.0.1", "203.0.113.9", ["127.0.0.1"], "203.0.113.9"),  # v4-mapped peer
        ("127.0.0.1", "203.0.113.7", [], "127.0.0.1"),  # no trusted proxy configured
    ],
)
def test_client_ip_trusts_forwarded_for_only_from_trusted_proxies(remote, forwarded, trusted, expected):
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(TRUSTED_PROXIES=trusted):
        assert client_ip(request) == expected


# --- axes: per (account, real address) -------------------------------------------------


def test_lockout_behind_the_proxy_is_per_client_address(db, courts, settings):
    user = make_member(Role.CLERK, courts.lu0102, "proxied-clerk")
    attacker, owner = fresh_ip(), fresh_ip()
    for attempt in range(1, settings.AXES_FAILURE_LIMIT + 1):
        r = via_proxy(attacker).post("/login/", {"username": user.username, "password": "wrong"})
        assert r.status_code == (429 if attempt == settings.AXES_FAILURE_LIMIT else 200)
    # the attacker's address is locked out for this account …
    assert via_proxy(attacker).post("/login/", {"username": user.username, "password": PASSWORD}).status_code == 429
    # … the account's owner, through the same proxy from their own desk, still signs in
    owner_browser = via_proxy(owner)
    r = owner_browser.post("/login/", {"username": user.username, "password": PASSWORD})
    assert r.status_code == 302 and owner_browser.session["_auth_user_id"] == str(user.pk)


def test_forged_forwarded_for_from_an_untrusted_peer_does_not_escape_lockout(db, courts, settings):
    user = make_member(Role.CLERK, courts.lu0102, "forging-target")
    peer = "198.51.100.23"
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        # a new made-up address in every request: ignored, the peer is who counts
        r = Client(REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=fresh_ip()).post(
            "/login/", {"username": user.username, "password": "wrong"}
        )
    assert r.status_code == 429


def test_audit_records_the_client_address_not_the_proxy(db, courts):
    user = make_member(Role.CLERK, courts.lu0102, "audited-clerk")
    address = fresh_ip()
    via_proxy(address).post("/login/", {"username": user.username, "password": "wrong"})
    via_proxy(address).post("/login/", {"username": user.username, "password": PASSWORD})
    records = AuditRecord.objects.filter(username=user.username).order_by("pk")
    assert [(r.event, r.ip) for r in records] == [
        (AuditEvent.LOGIN_FAILED, address),
        (AuditEvent.LOGIN, address),
    ]


# --- password spraying from one address ------------------------------------------------


def test_spraying_many_accounts_from_one_address_is_stopped(db, courts, settings):
    settings.LOGIN_SPRAY_ACCOUNTS = 5
    accounts = [make_member(Role.CLERK, courts.lu0102, f"spray-{i}") for i in range(8)]
    sprayer, colleague = fresh_ip(), fresh_ip()
    statuses = []
    for user in accounts:
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):  # under axes' per-account limit
            r = via_proxy(sprayer).post("/login/", {"username": user.username, "password": "wrong"})
            statuses.append(r.status_code)
    # the fifth distinct account's first failure blocks the address; everything after is refused
    per_account = settings.AXES_FAILURE_LIMIT - 1
    first_block = statuses.index(429)
    assert first_block == per_account * 4 + 1
    assert set(statuses[first_block:]) == {429}
    assert statuses[:first_block] == [200] * first_block
    # a right password does not lift the block for the sprayer …
    r = via_proxy(sprayer).post("/login/", {"username": accounts[0].username, "password": PASSWORD})
    assert r.status_code == 429 and "登录已暂时受限" in r.content.decode()
    # … and another address is not affected
    browser = via_proxy(colleague)
    r = browser.post("/login/", {"username": accounts[0].username, "password": PASSWORD})
    assert r.status_code == 302 and browser.session["_auth_user_id"] == str(accounts[0].pk)


def test_one_account_mistyped_repeatedly_is_not_spraying(db, courts, settings):
    settings.LOGIN_SPRAY_ACCOUNTS = 2
    user = make_member(Role.CLERK, courts.lu0102, "clumsy-clerk")
    address = fresh_ip()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert via_proxy(address).post("/login/", {"username": user.username, "password": "x"}).status_code == 200
    browser = via_proxy(address)
    assert browser.post("/login/", {"username": user.username, "password": PASSWORD}).status_code == 302


# --- REST throttles --------------------------------------------------------------------


def test_api_throttle_identity_is_the_client_address():
    throttle = AnonRateThrottle()
    factory = RequestFactory()
    forged = factory.get("/", REMOTE_ADDR="198.51.100.8", HTTP_X_FORWARDED_FOR="1.1.1.1")
    proxied = factory.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.50")
    assert throttle.get_ident(forged) == "198.51.100.8"
    assert throttle.get_ident(proxied) == "203.0.113.50"
