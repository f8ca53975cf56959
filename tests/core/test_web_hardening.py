"""Issue 17: a Content-Security-Policy on every HTML page (not on the JSON API), and a
routine browser 403 logged as one line without a traceback (a 500 keeps its own)."""

import logging
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import include, path

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def _forbidden(request):
    raise PermissionDenied


def _broken(request):
    raise RuntimeError("boom")


# the two views, then the whole site (the error pages link to 我的待办)
urlpatterns = [path("forbidden/", _forbidden), path("broken/", _broken), path("", include("config.urls"))]


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split(" ", 1)[1] if " " in part else "" for part in header.split("; ")}


def test_pages_carry_a_content_security_policy_with_a_fresh_nonce(client, clerk):
    first = client.get("/login/")
    assert first.status_code == 200
    policy = _policy(first)
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    nonce = re.search(r"'nonce-([^']+)'", policy["script-src"]).group(1)
    client.force_login(clerk)
    home = client.get("/todo/")
    assert home.status_code == 200 and "Content-Security-Policy" in home
    assert f"'nonce-{nonce}'" not in home["Content-Security-Policy"]  # one nonce per request


def test_an_error_page_carries_it_too_but_the_json_api_does_not(client, clerk, api_client):
    client.force_login(clerk)
    refused = client.get("/calendar/load/")
    assert refused.status_code == 403 and "frame-ancestors 'none'" in refused["Content-Security-Policy"]
    api_client.force_authenticate(clerk)
    r = api_client.get("/api/v1/cases/")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/json")
    assert "Content-Security-Policy" not in r


def test_no_template_has_inline_script_the_policy_would_block():
    """Inline handlers (on*=) and <script> without src or the request's nonce would be
    blocked by script-src 'self' 'nonce-…': none may remain."""
    handler = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)
    script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=\"\{\{ request\.csp_nonce \}\}\")[^>]*>")
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        text = re.sub(r"\{\{[^}]*json_script[^}]*\}\}", "", text)
        if handler.search(text) or script.search(text):
            offenders.append(str(template.relative_to(TEMPLATES)))
    assert offenders == []


@pytest.mark.urls(__name__)
def test_a_browser_403_is_one_warning_line_without_a_traceback(client, clerk, caplog):
    client.force_login(clerk)
    with caplog.at_level(logging.INFO, logger="django.request"):
        assert client.get("/forbidden/").status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    assert records[0].levelno == logging.WARNING and "Forbidden" in records[0].getMessage()
    assert records[0].exc_info is None and not records[0].exc_text
    assert "Traceback" not in caplog.text


def test_a_real_403_page_logs_no_traceback(client, clerk, caplog):
    client.force_login(clerk)
    with caplog.at_level(logging.INFO, logger="django.request"):
        assert client.get("/calendar/load/").status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert [(r.levelno, r.exc_info, r.exc_text) for r in records] == [(logging.WARNING, None, None)]


@pytest.mark.urls(__name__)
def test_a_500_keeps_its_traceback(client, clerk, caplog):
    client.force_login(clerk)
    client.raise_request_exception = False
    with caplog.at_level(logging.INFO, logger="django.request"):
        assert client.get("/broken/").status_code == 500
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1 and records[0].levelno == logging.ERROR
    assert records[0].exc_info is not None or "RuntimeError" in (records[0].exc_text or "")
