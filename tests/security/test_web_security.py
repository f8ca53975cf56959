"""The browser-facing perimeter, proved over the whole URLconf rather than a sample:

(a) CSRF: every unsafe request a signed-in browser can make — to every page pattern and
    to the API through its session — is refused without the token, and writes nothing;
(b) nothing is open to anonymous users except the login pages, ``healthz``, the
    language switch and static files (the list below is the whole list);
(c) production settings pass ``check --deploy`` and every response under them carries
    the security headers and cookie flags; repeated failed logins lock the account out.

Patterns are enumerated with ``django.urls.get_resolver``; a new view is covered the
day it is added, and a pattern the sweep cannot build a URL for fails the test."""

import json
import os
import re
import secrets
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from core.models import Role
from tests.conftest import at
from tests.core.factories import UserFactory, make_member
from tests.enforcement.factories import make_case

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "pw-for-tests-1"  # tests.core.factories.UserFactory
UNSAFE = ("post", "put", "patch", "delete")

# --- the URLconf, flattened ---------------------------------------------------------------------


def _patterns(resolver=None, prefix: str = "", names: tuple[str, ...] = ()):
    """(route, converters, full name, callback) for every pattern; ``route`` joins the
    pieces as written (``<int:case_id>`` kept) and regex pieces stay regexes."""
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = (*names, p.namespace) if p.namespace else names
            yield from _patterns(p, prefix + _piece(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = ":".join((*names, p.name)) if p.name else None
            yield prefix + _piece(p.pattern), name, p.callback


def _piece(pattern) -> str:
    if isinstance(pattern, RegexPattern):
        return "\x00" + pattern._regex + "\x00"  # marked: filled from REGEX_SAMPLES
    assert isinstance(pattern, RoutePattern), pattern
    return str(pattern)


# A sample for each regex piece of the URLconf (only the admin uses them).
REGEX_SAMPLES = {
    r"(?P<url>.*)$": "no-such-page/",
}
_CONVERTER = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<kw>[^>]+)>")


def _fill_regex(route: str) -> str:
    def sample(match: re.Match) -> str:
        regex = match.group(1)
        if regex in REGEX_SAMPLES:
            return REGEX_SAMPLES[regex]
        # ^(?P<app_label>auth|core|...)/$ → its first alternative
        choice = re.fullmatch(r"\^?\(\?P<\w+>([\w|]+)\)(/?)\$?", regex)
        assert choice, f"no sample for the URL regex {regex!r}: add one to REGEX_SAMPLES"
        return choice.group(1).split("|")[0] + choice.group(2)

    return re.sub("\x00(.*?)\x00", sample, route)


def _slugs() -> dict[str, list[str]]:
    """Every action slug of the action patterns (each action is its own unsafe request)."""
    from custody_funds.views import case_actions as funds_views
    from dualcheck.views import actions as dualcheck_actions
    from enforcement.views import actions as enforcement_views
    from supervision.views import orders as order_views
    from supervision.views import petitions as petition_views

    return {
        "enforcement:case-action": sorted(enforcement_views.ACTIONS),
        "enforcement:case-object-action": sorted(enforcement_views.ACTIONS),
        "custody_funds:case-action": sorted(funds_views.ACTIONS),
        "custody_funds:case-object-action": sorted(funds_views.ACTIONS),
        "dualcheck:clue-action": sorted(dualcheck_actions.ACTIONS),
        "supervision:order-action": sorted(order_views.ACTIONS),
        "supervision:petition-action": sorted(petition_views.ACTIONS),
    }


def concrete_urls(ids: dict[str, object]) -> list[tuple[str, str | None, str]]:
    """(url, name, route) for every pattern: kwargs from ``ids`` (real objects of the
    world) or a placeholder; action patterns once per action slug."""
    slugs = _slugs()
    out: list[tuple[str, str | None, str]] = []
    for route, name, _callback in _patterns():
        route = _fill_regex(route)
        values: list[dict[str, str]] = [{}]
        for m in _CONVERTER.finditer(route):
            conv, kw = m.group("conv") or "str", m.group("kw")
            if conv == "slug" and name in slugs and kw in ("action", "slug"):
                choices = slugs[name]
            elif kw in ids:
                choices = [str(ids[kw])]
            else:
                choices = [{"int": "1", "uuid": str(uuid.uuid4()), "path": "1"}.get(conv, "x")]
            values = [{**v, kw: c} for v in values for c in choices]
        for v in values:
            url = _CONVERTER.sub(lambda m, v=v: v[m.group("kw")], route)
            assert "<" not in url and "\x00" not in url, url
            out.append(("/" + url.lstrip("^"), name, route))
    return out


def is_api(url: str) -> bool:
    """The REST contract (JSON errors in its shape); /api/schema/ and /api/docs/ are
    documents (YAML, HTML) refused the same way but rendered in their own format."""
    return url.startswith("/api/v1/")


# --- a small world, so that the URLs point at real rows -----------------------------------------


@pytest.fixture
def world(courts, clerk, handler, bureau_head, case_supervisor, inspector):
    """A case of 鲁0102 with money, a payment, a hold and an approval request; a 督办
    on it; a petition; a 一案双查 clue at 鲁01. Returns the URL kwargs → ids."""
    from decimal import Decimal

    from custody_funds.services import funds
    from dualcheck.models import ClueSource
    from dualcheck.services import clues as s_clues
    from enforcement.services import closure
    from supervision.services.orders import order_issue
    from supervision.services.petitions import petition_receive

    case = make_case(clerk, courts.lu0102, handler=handler, received="2026-09-01 10:00", filed="2026-08-28")
    receipt, _ = funds.receipt_record(
        actor=clerk, court=courts.lu0102, reference="W-1", account_number=case.fund_account.number,
        amount=Decimal("5000.00"), arrived_at=at("2026-10-12 10:00"),
    )
    payee = case.parties.get(role="applicant")
    d = funds.disbursement_draft(
        actor=handler, case=case, payee_id=payee.pk, amount=Decimal("1000.00"),
        account_number=payee.payout_account.account_number,
    )
    funds.disbursement_submit(actor=handler, disbursement=d)
    hold = funds.hold_request(actor=handler, case=case, kind="delay", reason="to_distribute", note="需要分配。")
    approval = closure.approval_request(actor=handler, case=case, kind="over_seizure", reason="整体查封。", payload={})
    order = order_issue(actor=case_supervisor, case=case, kind="urge", instructions="请依法推进。", response_days=5,
                        issued_at=at("2026-09-28 10:00"))
    petition = petition_receive(actor=clerk, court=courts.lu0102, channel="letter", petitioner_name="李四",
                                content="案款未发放。", received_at=at("2026-09-29 10:00"))
    clue = s_clues.clue_register(actor=case_supervisor, court=courts.lu01, source=ClueSource.LETTERS_VISITS,
                                 summary="长期未执行。", cases=[case], received_at=at("2026-10-09 10:00"))
    return {
        "case_id": case.pk, "obj_id": d.pk, "approval_id": approval.pk, "receipt_id": receipt.pk,
        "disbursement_id": d.pk, "hold_id": hold.pk, "order_id": order.pk, "petition_id": petition.pk,
        "clue_id": clue.pk, "alert_id": 1, "round": 1,
    }


def row_counts() -> dict[str, int]:
    """Rows of every table (sessions, sign-in attempts and the security audit trail
    aside: the trail records every refused request, as it should)."""
    skip = {"sessions.Session", "axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog", "audit.AuditRecord"}
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.label not in skip and not m._meta.proxy and m._meta.managed
    }


# --- (a) CSRF -----------------------------------------------------------------------------------


def test_the_sweep_covers_every_pattern_and_every_action(world):
    urls = concrete_urls(world)
    routes = {route for _u, _n, route in urls}
    assert len(routes) == sum(1 for _ in _patterns())
    assert len(urls) > len(routes)  # the action patterns, once per action
    assert f"/api/v1/disbursements/{world['disbursement_id']}/approve/" in {u for u, _n, _r in urls}
    assert f"/funds/cases/{world['case_id']}/approve/{world['obj_id']}/" in {u for u, _n, _r in urls}


def test_every_unsafe_browser_request_without_the_token_is_refused_and_writes_nothing(world, db):
    # given: a signed-in superuser (every permission) whose browser holds a CSRF cookie
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(admin)
    assert browser.get("/todo/").status_code == 200  # a page with a form sets the cookie
    assert browser.cookies.get(settings.CSRF_COOKIE_NAME), "the browser holds a CSRF cookie"
    from audit.models import AuditRecord

    before = row_counts()
    last = AuditRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0
    refused: dict[str, int] = {}
    wrong: list[str] = []
    # when: every page pattern gets a form POST without the token (the middleware treats
    # PUT/PATCH/DELETE the same: no page view is exempt, see the test below); every API
    # pattern gets every unsafe method as JSON, and the HTML form a hostile page would send
    for url, _name, _route in concrete_urls(world):
        if not url.startswith("/api/"):
            form = browser.post(url, data="a=1", content_type="application/x-www-form-urlencoded")
            refused[f"post {url}"] = form.status_code
            if form.status_code != 403 or b"CSRF" not in form.content:
                wrong.append(f"POST {url} → {form.status_code}, not the CSRF refusal")
            continue
        form = browser.post(url, data="a=1", content_type="application/x-www-form-urlencoded")
        refused[f"post form {url}"] = form.status_code
        if form.status_code not in (403, 415):  # JSON only (415) or the CSRF refusal
            wrong.append(f"POST (form) {url} → {form.status_code}")
        for method in UNSAFE:
            r = getattr(browser, method)(url, data="{}", content_type="application/json")
            refused[f"{method} {url}"] = r.status_code
            if r.status_code != 403:
                wrong.append(f"{method.upper()} {url} → {r.status_code}")
            elif is_api(url):
                body = r.json()
                if body.get("code") != "csrf_failed" or not re.search(r"[\u4e00-\u9fff]", body["message"]):
                    wrong.append(f"{method.upper()} {url} → {body}")
            elif b"csrf_failed" not in r.content and b"403" not in r.content:
                wrong.append(f"{method.upper()} {url} → 403 but not the CSRF refusal")
    # then: each one is the CSRF refusal, and nothing was written anywhere
    assert not wrong, "\n".join(wrong[:40])
    assert len(refused) > 800
    assert row_counts() == before
    # the audit trail recorded the attempts, each as refused
    trail = AuditRecord.objects.filter(id__gt=last)
    assert trail.count() >= len(refused)
    assert not trail.filter(success=True).exists()


def test_no_page_view_is_exempt_from_csrf():
    """CsrfViewMiddleware refuses every unsafe method of a view unless the view is
    ``csrf_exempt``; only DRF views are, and they enforce CSRF on the session themselves
    (``core.api.authentication.SessionAuthentication``, proved by the sweep above)."""
    from rest_framework.views import APIView

    exempt = []
    for route, name, callback in _patterns():
        if getattr(callback, "csrf_exempt", False):
            view_class = getattr(callback, "cls", None)
            if not (view_class and issubclass(view_class, APIView) and route.startswith("api/")):
                exempt.append(f"{route} ({name})")
    assert not exempt
    assert settings.REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"][-1] == (
        "core.api.authentication.SessionAuthentication"
    )


def test_the_same_requests_with_the_token_get_through(world, bureau_head):
    """The control: the refusal above is the missing token, not something else."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(bureau_head)
    page = browser.get("/funds/approvals/")
    token = page.cookies[settings.CSRF_COOKIE_NAME].value
    url = f"/api/v1/disbursements/{world['disbursement_id']}/approve/"
    r = browser.post(url, data="{}", content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "approved"
    r = browser.post(
        f"/funds/cases/{world['case_id']}/hold-approve/{world['hold_id']}/",
        {"csrfmiddlewaretoken": token},
    )
    assert r.status_code == 302
    from custody_funds.models import FundsHold

    assert FundsHold.objects.get(pk=world["hold_id"]).status == "approved"


def test_a_token_client_needs_no_csrf_token(world, courts):
    from core.services.people import api_client_create

    _user, key = api_client_create(court=courts.lu0102, name="鲁0102审判系统")
    machine = Client(enforce_csrf_checks=True)
    r = machine.post(
        f"/api/v1/cases/{world['case_id']}/property-clues/",
        data=json.dumps({"received_at": "2026-10-09T17:00:00+08:00", "description": "房产", "specific": False,
                         "urgent": False}),
        content_type="application/json", HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert r.status_code == 201, r.content


# --- (b) anonymous ------------------------------------------------------------------------------

# The whole list of what an anonymous visitor may open (name → what they get).
OPEN_TO_ANONYMOUS = {
    "login": {200},  # the login form (and its errors on POST)
    "admin:login": {200},  # the admin's login form
    "healthz": {200},  # liveness probe: {"status": "ok", ...}, nothing else
    "set_language": {204, 302},  # switches the language cookie, redirects back
    "logout": {302},  # ends nothing, redirects to the login page
    # 322号 §11: the 终本案件 a court publishes (masked names, no ids); without ?court= a 400
    "public:terminated-cases": {200, 400},
    "api-public-terminated-cases": {200, 400},
}
REFUSED = {401, 403, 404, 405}


def _login_redirect(response) -> bool:
    location = response.get("Location", "")
    return response.status_code == 302 and (
        location.startswith("/login/?next=") or location.startswith("/admin/login/?next=")
        or location == "/admin/"  # admin logout sends everyone to the admin index (→ login)
    )


def test_nothing_is_open_to_anonymous_users(world, db):
    anonymous = Client()
    wrong: list[str] = []
    seen_open: set[str] = set()
    for url, name, _route in concrete_urls(world):
        for method in ("get", "post"):
            r = anonymous.get(url) if method == "get" else anonymous.post(url, {})
            if name in OPEN_TO_ANONYMOUS:
                if r.status_code in OPEN_TO_ANONYMOUS[name] | REFUSED or _login_redirect(r):
                    seen_open.add(name)
                    continue
            if r.status_code in REFUSED or _login_redirect(r):
                if is_api(url) and r.status_code in (401, 403):
                    body = r.json()
                    if set(body) != {"code", "message", "extra"}:
                        wrong.append(f"{method.upper()} {url} → {r.status_code} not in the contract shape")
                continue
            wrong.append(f"{method.upper()} {url} ({name}) → {r.status_code} {r.get('Location', '')}")
    assert not wrong, "\n".join(wrong[:40])
    assert seen_open == set(OPEN_TO_ANONYMOUS)


@pytest.mark.parametrize("url", ["/api/schema/", "/api/docs/"])
def test_the_api_schema_and_docs_need_a_login(url, db, clerk):
    r = Client().get(url)
    assert r.status_code == 401
    assert b"openapi" not in r.content and b"paths" not in r.content
    signed_in = Client()
    signed_in.force_login(clerk)
    assert signed_in.get(url).status_code == 200


def test_static_files_are_served_to_anyone(db, settings):
    # (production serves the collected files; here WhiteNoise finds them in place)
    settings.WHITENOISE_USE_FINDERS = True
    r = Client().get("/static/css/app.css")
    assert r.status_code == 200
    assert b"".join(r.streaming_content if r.streaming else [r.content]).strip()


def test_healthz_tells_nothing_but_health(db):
    body = Client().get("/healthz").json()
    assert set(body) <= {"status", "database", "redis"}
    assert set(body.values()) <= {"ok", "error", "disabled"}


# --- (c) production settings --------------------------------------------------------------------


def production_env(db_name: str | None = None) -> dict[str, str]:
    """A realistic production environment: nothing inherited but PATH."""
    db = settings.DATABASES["default"]
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "zhixing.example.gov.cn",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "https://zhixing.example.gov.cn",
        "DATABASE_URL": "postgres://{u}{pw}@{h}:{p}/{n}".format(
            u=quote(db["USER"] or "postgres"), pw=f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else "",
            h=db["HOST"] or "127.0.0.1", p=db["PORT"] or 5432, n=quote(db_name or db["NAME"]),
        ),
        "REDIS_URL": settings.REDIS_URL or "redis://127.0.0.1:6379/15",
        "PYTHONPATH": str(ROOT),
    }


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)


def test_check_deploy_passes_under_production_settings(db):
    result = run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.skipif((ROOT / ".env").exists(), reason="a local .env supplies the secret")
def test_production_settings_refuse_to_start_without_their_secrets(db):
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    result = run([sys.executable, "manage.py", "check"], env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


# Run under config.settings.production in a child process: the settings, then real
# requests through the whole middleware stack (HTTPS and plain HTTP), then a real
# login — inside a transaction that is rolled back, so nothing stays behind. No
# collectstatic has run here, so only the static storage is swapped for the plain one.
PRODUCTION_PROBE = r"""
import json, django
django.setup()
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings

out = {"settings": {k: getattr(settings, k) for k in (
    "DEBUG", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY", "CSRF_COOKIE_SAMESITE", "LANGUAGE_COOKIE_SECURE",
    "LANGUAGE_COOKIE_HTTPONLY", "LANGUAGE_COOKIE_SAMESITE", "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SECURE_SSL_REDIRECT", "X_FRAME_OPTIONS",
    "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY", "SECURE_CROSS_ORIGIN_OPENER_POLICY")}}
out["settings"]["has_redact_filter"] = any(
    h.get("filters") == ["redact"] for h in settings.LOGGING["handlers"].values())

def answer(r):
    return {"status": r.status_code, "headers": dict(r.headers),
            "cookies": {k: {a: v[a] for a in ("secure", "httponly", "samesite", "path", "domain")}
                        for k, v in r.cookies.items()}}

plain = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
with override_settings(STORAGES=plain):
    host = "zhixing.example.gov.cn"
    c = Client(HTTP_HOST=host)
    out["login_https"] = answer(c.get("/login/", secure=True))
    out["login_http"] = answer(c.get("/login/"))
    out["healthz_http"] = answer(c.get("/healthz"))
    out["api_https"] = answer(c.get("/api/v1/courts/", secure=True))
    with transaction.atomic():
        from core.models import User
        User.objects.create_user("probe-user", password="pw-for-probe-1")
        c = Client(HTTP_HOST=host, enforce_csrf_checks=True)
        token = c.get("/login/", secure=True).cookies["csrftoken"].value
        r = c.post("/login/", {"username": "probe-user", "password": "pw-for-probe-1",
                               "csrfmiddlewaretoken": token}, secure=True,
                   HTTP_REFERER=f"https://{host}/login/")
        out["login_post"] = answer(r)
        token = c.cookies["csrftoken"].value  # rotated by the login
        r = c.post("/i18n/setlang/", {"language": "en", "next": "/login/", "csrfmiddlewaretoken": token},
                   secure=True, HTTP_REFERER=f"https://{host}/login/")
        out["setlang"] = answer(r)
        transaction.set_rollback(True)
print("PROBE" + json.dumps(out, default=str))
"""


@pytest.fixture(scope="module")
def production(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        result = run([sys.executable, "-c", PRODUCTION_PROBE], production_env())
    line = next((x for x in result.stdout.splitlines() if x.startswith("PROBE")), None)
    assert line, result.stdout[-3000:] + result.stderr[-3000:]
    return json.loads(line[len("PROBE"):])


def test_production_cookie_and_header_settings(production):
    s = production["settings"]
    assert s["DEBUG"] is False
    assert (s["SESSION_COOKIE_SECURE"], s["SESSION_COOKIE_HTTPONLY"], s["SESSION_COOKIE_SAMESITE"]) == (True, True, "Lax")
    assert (s["CSRF_COOKIE_SECURE"], s["CSRF_COOKIE_HTTPONLY"], s["CSRF_COOKIE_SAMESITE"]) == (True, True, "Lax")
    assert (s["LANGUAGE_COOKIE_SECURE"], s["LANGUAGE_COOKIE_HTTPONLY"], s["LANGUAGE_COOKIE_SAMESITE"]) == (
        True, True, "Lax")
    assert s["SECURE_HSTS_SECONDS"] >= 31536000 and s["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and s["SECURE_HSTS_PRELOAD"]
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["X_FRAME_OPTIONS"] == "DENY" and s["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert s["SECURE_REFERRER_POLICY"] == "same-origin"
    assert s["SECURE_CROSS_ORIGIN_OPENER_POLICY"] == "same-origin"
    assert s["has_redact_filter"], "production logs keep core.logging's redaction"


@pytest.mark.parametrize("key", ["login_https", "api_https", "login_post"])
def test_production_responses_carry_the_security_headers(production, key):
    headers = production[key]["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_production_cookies_are_secure_httponly_and_samesite(production):
    csrf = production["login_https"]["cookies"]["csrftoken"]
    assert (csrf["secure"], csrf["httponly"], csrf["samesite"]) == (True, True, "Lax")
    assert production["login_post"]["status"] == 302, production["login_post"]
    session = production["login_post"]["cookies"]["sessionid"]
    assert (session["secure"], session["httponly"], session["samesite"]) == (True, True, "Lax")
    language = production["setlang"]["cookies"][settings.LANGUAGE_COOKIE_NAME]
    assert (language["secure"], language["httponly"], language["samesite"]) == (True, True, "Lax")
    for answer in production.values():
        for cookie in answer.get("cookies", {}).values() if isinstance(answer, dict) else []:
            assert not cookie["domain"], "host-only cookies"


def test_production_redirects_plain_http_except_the_health_probe(production):
    assert production["login_http"]["status"] == 301
    assert production["login_http"]["headers"]["Location"] == "https://zhixing.example.gov.cn/login/"
    assert production["healthz_http"]["status"] == 200  # the load balancer probes over HTTP


# --- axes: repeated failures lock the account out ----------------------------------------------


def test_repeated_failed_logins_lock_the_account_out(db, courts, settings):
    user = make_member(Role.CLERK, courts.lu0102, "locked-clerk")
    other = make_member(Role.CLERK, courts.lu0102, "other-clerk")
    browser = Client(REMOTE_ADDR="10.1.2.3")
    for attempt in range(1, settings.AXES_FAILURE_LIMIT + 1):
        r = browser.post("/login/", {"username": user.username, "password": "wrong-password"})
        assert r.status_code == (429 if attempt == settings.AXES_FAILURE_LIMIT else 200)
        assert not r.wsgi_request.user.is_authenticated
    # the right password no longer helps: the lockout page, no session
    r = browser.post("/login/", {"username": user.username, "password": PASSWORD})
    assert r.status_code == 429
    assert "_auth_user_id" not in browser.session
    assert "锁定" in r.content.decode() or "locked" in r.content.decode().lower()
    # the lockout is per account and address: a colleague at the same desk still signs in
    r = browser.post("/login/", {"username": other.username, "password": PASSWORD})
    assert r.status_code == 302 and browser.session["_auth_user_id"] == str(other.pk)
