"""Chinese everywhere a Chinese user looks (issue 16): every browser page of the
authorization matrix's tables (every URL of core, enforcement, custody_funds,
supervision and audit — the tables are complete, ``test_matrix.test_every_url_is_classified``)
rendered in zh-hans for every role entitled to it, every Excel export, the admin
index and the error pages. The visible text must hold no English word and no
code (``tests/chinese.py`` says what counts); a failure names the page, the
person and the word in its context.

It runs on the matrix's world (``world.py``), built once for the module."""

import io
import os

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.chinese import context_of, foreign_words, visible_text
from tests.security.authz.engine import Entry, Op, text_of
from tests.security.authz.test_matrix import TABLE  # the matrix's tables, every URL of five apps
from tests.security.authz.world import POSITIONS, ROLES

pytestmark = [pytest.mark.django_db] + (
    [pytest.mark.xdist_group("authz-matrix")] if os.environ.get("PYTEST_XDIST_WORKER") else []
)

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
PEOPLE = [r for r in ROLES if r != "api_client"]  # the pages are for named people


def _pages() -> list[tuple[Entry, Op]]:
    """Every GET: the browser pages, and the files a REST GET downloads (the JSON
    answers are for machines; their messages are the catalogue's, see
    tests/core/test_translations.py)."""
    return [(entry, op) for entry in TABLE for op in entry.ops if op.method == "GET"]


PAGES = _pages()


@pytest.fixture
def counted(w):
    """The world with the dashboards' counters computed (the scan's job), so the
    pages and exports by rule have rows to show."""
    from django.utils import timezone

    from supervision.services.stats import court_stats_refresh

    for court in w.by_code.values():
        court_stats_refresh(court_id=court.pk, at=timezone.now())
    return w


def _problems(where: str, text: str) -> list[str]:
    return [f"{where}: {word!r} in …{context_of(text, word)}…" for word in foreign_words(text)]


def _person(op: Op, role: str) -> str | None:
    """Where ``role`` is entitled to ``op``: its own court first."""
    return next((p for p in POSITIONS if op.entitled(role, p)), None)


@pytest.mark.parametrize("role", PEOPLE)
def test_every_page_is_chinese(counted, role):
    w = counted
    problems, shown = [], 0
    for entry, op in PAGES:
        position = _person(op, role)
        if position is None:
            continue
        client = w.client(role, position)
        path = reverse(entry.url_name, kwargs=entry.kwargs(w))
        data = op.data(w, role, position) if op.data else {}
        response = client.get(path, data, **ZH)
        client.cookies.pop("messages", None)
        kind = response.get("Content-Type", "")
        if response.status_code != op.ok:
            continue  # the matrix judges the status
        if "spreadsheetml" in kind:  # an Excel file: every sheet's cells
            text = text_of(response)
        elif "html" in kind:
            text = visible_text(response.content.decode())
        else:
            continue
        shown += 1
        problems += _problems(f"{entry.name} as {role}@{position}", text)
    assert shown, f"{role} was shown no page at all"
    assert not problems, "\n".join(problems)


def test_every_export_is_chinese(counted):
    """Every registered Excel export as a case supervisor of 鲁01, run as the worker runs
    it: its sheet names and every cell (headers and the coded values under them)."""
    from openpyxl import load_workbook

    from core.exports import export_run, export_start, registered
    from core.models import ExportJob

    w = counted
    user = w.user("case_supervisor", "own")
    problems = []
    for key in sorted(k for k in registered() if not k.startswith("tests.")):
        with transaction.atomic():
            job = export_start(user=user, key=key, params={})
            assert export_run(job_id=str(job.pk)) == "done", key
            job = ExportJob.objects.get(pk=job.pk)
            content, title = bytes(job.content), job.title
            transaction.set_rollback(True)
        book = load_workbook(io.BytesIO(content), read_only=True)
        cells = [ws.title for ws in book.worksheets] + [
            str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v
        ]
        problems += _problems(f"export {key} ({title})", "\n".join(cells))
    assert not problems, "\n".join(problems)


def test_the_admin_index_is_chinese(w):
    user = w.user("admin", "own")
    user.is_staff = True
    user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    client = Client()
    client.force_login(user)
    response = client.get(reverse("admin:index"), **ZH)
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert "执行监督平台" in text
    problems = _problems("admin:index", text)
    assert not problems, "\n".join(problems)


def test_the_error_pages_are_chinese(w):
    """403 and 404 as the browser meets them; 400 and 500 from Django's handlers."""
    from django.test import RequestFactory
    from django.views import defaults

    client = w.client("clerk", "own")
    forbidden = client.get(reverse("core:calendar-load"), **ZH)  # administrators only
    missing = client.get("/cases/2000000000/", **ZH)
    assert (forbidden.status_code, missing.status_code) == (403, 404)
    stale = Client(enforce_csrf_checks=True)  # a form sent without its token
    stale.force_login(w.user("clerk", "own"))
    csrf = stale.post(reverse("core:export-start"), {"key": "supervision.clocks"}, **ZH)
    assert csrf.status_code == 403 and b'data-reason="CSRF' in csrf.content
    request = RequestFactory().get("/", **ZH)
    request.LANGUAGE_CODE = "zh-hans"
    pages = {
        "403": forbidden.content.decode(),
        "403 CSRF": csrf.content.decode(),
        "404": missing.content.decode(),
        "400": defaults.bad_request(request, Exception()).content.decode(),
        "500": defaults.server_error(request).content.decode(),
    }
    problems = []
    for status, html in pages.items():
        text = visible_text(html)
        if "执行监督平台" not in text:
            problems.append(f"{status}: not the house page: {text[:200]!r}")
        problems += _problems(status, text)
    assert not problems, "\n".join(problems)
    # the REST API keeps its contract's shape, in Chinese
    api = client.get("/api/v1/cases/2000000000/", **ZH)
    assert api.status_code == 404 and api.json()["code"] == "not_found", api.content
    assert not foreign_words(api.json()["message"])


def test_the_pages_before_signing_in_are_chinese(w):
    """What everyone meets first: the sign-in page and the public 终本 list."""
    client = Client()
    problems = []
    for name in ("login", "public:terminated-cases"):
        response = client.get(reverse(name), **ZH)
        assert response.status_code == 200, name
        problems += _problems(name, visible_text(response.content.decode()))
    assert not problems, "\n".join(problems)
