"""No full ID or phone number leaves the system except through an audited reveal: not in
logs (each handler masks; a forged line break stays inside its record), error pages,
Celery task arguments or results, or Excel exports."""

import importlib
import inspect
import io
import json
import logging

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import include, path
from openpyxl import load_workbook

from core.exports import export_run, export_start, registered
from core.logging import JsonFormatter, PlainFormatter, RedactFilter, redact
from core.models import Role
from tests.core.factories import make_member
from tests.enforcement.factories import make_case

RESIDENT_ID = "11010519491231002X"
MOBILE = "13912345678"


def _record(message, *args):
    return logging.LogRecord("zhixing.test", logging.WARNING, __file__, 1, message, args, None)


def test_the_redaction_masks_ids_credit_codes_and_phones_and_leaves_case_numbers_and_amounts():
    text = redact(f"id={RESIDENT_ID} code=91370102MA3C8XYZ1A tel={MOBILE} land=0531-88881234 "
                  "case=（2026）鲁0102执1001号 amount=1000000.00 day=20261121")
    assert RESIDENT_ID not in text and MOBILE not in text and "88881234" not in text
    assert "110105" in text and "002X" in text and "139****5678" in text
    assert "（2026）鲁0102执1001号" in text and "1000000.00" in text and "20261121" in text


def test_a_line_break_in_a_message_cannot_forge_a_log_line():
    forged = f"x\n2026-11-21 08:00:00 INFO security admin granted {RESIDENT_ID}\r\x1b[2J"
    for formatter in (JsonFormatter(), PlainFormatter("%(levelname)s %(message)s")):
        record = _record("user said %s", forged)
        RedactFilter().filter(record)
        line = formatter.format(record)
        assert "\n" not in line and "\r" not in line and "\x1b" not in line
        assert RESIDENT_ID not in line
    entry = json.loads(JsonFormatter().format(_record("plain")))
    assert entry["time"].endswith("+08:00") and entry["level"] == "WARNING"


def test_every_configured_handler_masks():
    for name, handler in settings.LOGGING["handlers"].items():
        assert "redact" in handler.get("filters", []), name
    assert settings.LOGGING["filters"]["redact"]["()"] == "core.logging.RedactFilter"


def _boom(request):
    raise ValueError(f"party {RESIDENT_ID} phone {MOBILE}")


urlpatterns = [
    path("boom/", _boom),
    path("api/v1/boom/", _boom),
    path("", include("config.urls")),
]


@pytest.mark.urls("tests.audit.test_data_protection")
@pytest.mark.parametrize("url", ["/boom/", "/api/v1/boom/"])
def test_an_error_page_and_its_log_carry_no_number(client, clerk, url):
    client.force_login(clerk)
    client.raise_request_exception = False
    console = logging._handlers["console"]  # the handler settings.LOGGING configured
    stream = io.StringIO()
    previous = console.setStream(stream)
    try:
        response = client.get(url)
    finally:
        console.setStream(previous)

    assert response.status_code == 500
    body = response.content.decode()
    assert RESIDENT_ID not in body and MOBILE not in body and "Traceback" not in body
    logged = stream.getvalue()
    assert "ValueError" in logged  # the error is logged …
    assert RESIDENT_ID not in logged and MOBILE not in logged  # … masked


OUR_APPS = ("core", "enforcement", "custody_funds", "dualcheck", "supervision", "audit")
# A task takes ids, ISO moments and counters; never a name, an ID or a phone number.
ALLOWED_PARAMETERS = {"at", "first", "last", "job_id", "court_id", "self", "args", "kwargs", "limit", "full", "older_than", "redeliver_after"}


def test_tasks_take_ids_and_moments_only_and_keep_no_results():
    from config.celery_app import app

    for module in OUR_APPS:
        try:
            importlib.import_module(f"{module}.tasks")
        except ModuleNotFoundError:
            continue
    ours = {name: task for name, task in app.tasks.items() if name.split(".")[0] in OUR_APPS}
    assert len(ours) >= 8
    for name, task in ours.items():
        parameters = set(inspect.signature(task.run).parameters)
        unexpected = {p for p in parameters - ALLOWED_PARAMETERS if not p.endswith(("_id", "_ids"))}
        assert not unexpected, f"{name} takes {unexpected}"
    assert settings.CELERY_TASK_IGNORE_RESULT is True
    assert not settings.CELERY_RESULT_BACKEND


def _load_exporters() -> None:
    for config in apps.get_app_configs():
        if config.name in OUR_APPS:
            try:
                importlib.import_module(f"{config.name}.exports")
            except ModuleNotFoundError:
                pass


def test_no_export_carries_a_full_id_or_phone(courts, clerk, handler):
    case = make_case(clerk, courts.lu0102, handler=handler)
    secrets = set()
    for party in case.parties.all():
        secrets |= {party.id_number, *([party.phone] if party.phone else [])}
    people = [
        handler,
        make_member(Role.BUREAU_HEAD, courts.lu0102, "x-head"),
        make_member(Role.FINANCE, courts.lu0102, "x-fin"),
        make_member(Role.CASE_SUPERVISOR, courts.lu01, "x-sup"),
        make_member(Role.INSPECTOR, courts.lu01, "x-insp"),
        make_member(Role.COURT_LEADER, courts.lu, "x-lead"),
    ]
    _load_exporters()
    exporters = {k: e for k, e in registered().items() if not e.module.startswith("tests.")}
    assert exporters
    checked = 0
    for key, exporter in exporters.items():
        user = next((p for p in people if not exporter.permission or p.has_perm(exporter.permission)), None)
        assert user is not None, f"nobody may export {key}"
        try:
            job = export_start(user=user, key=key, params={})
        except Exception as exc:  # an exporter that needs filters: say so
            pytest.fail(f"{key} needs filters to run: {exc!r}")
        export_run(job_id=str(job.pk))
        job.refresh_from_db()
        book = load_workbook(io.BytesIO(bytes(job.content)))
        text = " ".join(str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row)
        assert not any(secret in text for secret in secrets), key
        checked += 1
    assert checked == len(exporters)
