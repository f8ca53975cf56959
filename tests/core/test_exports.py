"""Excel exports with progress (``core.exports``): the job, the task that writes a
real workbook, progress while it runs, scoping of rows and of the job itself, the
views and the reusable button."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.exceptions import NotFound, PermissionDenied, RuleViolation, ValidationFailed
from core.exports import Column, Exporter, export_job_get, export_run, export_start, register
from core.models import ExportJob, ExportStatus, Role
from core.tasks import run_export
from enforcement.selectors import cases_visible_to
from tests.core.factories import make_member
from tests.enforcement.factories import make_case

# Set by a test to look at the job while its rows are being written.
_DURING_ROWS: list = []


def _case_rows(user, params):
    qs = cases_visible_to(user).order_by("case_number")
    if params.get("court"):
        qs = qs.filter(court__code=params["court"])
    for index, case in enumerate(qs):
        for hook in _DURING_ROWS:
            hook(index)
        yield [case.case_number, case.court.code, case.claim_amount, case.received_at, '=HYPERLINK("x")']


def _clean(user, params):
    if params.get("court") == "nowhere":
        raise NotFound()
    if params.get("court", "").startswith("bad"):
        raise ValidationFailed.for_field("court", "法院代字无效")
    return {"court": params["court"]} if params.get("court") else {}


def _count(user, params):
    return cases_visible_to(user).count()


CASES = register(
    Exporter(
        key="tests.cases",
        title="测试案件",
        columns=[
            Column("案号", 26),
            Column("法院", 10),
            Column("标的（元）", 14, "money"),
            Column("收案时间", 17, "datetime"),
            "备注",
        ],
        rows=_case_rows,
        clean=_clean,
        count=_count,
        permission="core.use_browser",
    )
)


def _failing_rows(user, params):
    yield ["一"]
    raise RuleViolation("数据源暂不可用", code="source_down")


register(Exporter(key="tests.failing", title="会失败的导出", columns=["列"], rows=_failing_rows))
register(
    Exporter(
        key="tests.supervisors_only",
        title="仅监督",
        columns=["列"],
        rows=lambda u, p: [],
        permission="supervision.view_dashboard",
    )
)


@pytest.fixture
def cases(courts, clerk):
    clerk0103 = make_member(Role.CLERK, courts.lu0103, "clerk0103")
    own = [make_case(clerk, courts.lu0102, number=f"(2026)鲁0102执90{n}号") for n in range(3)]
    other = make_case(clerk0103, courts.lu0103, number="(2026)鲁0103执909号")
    return own, other, clerk0103


def start(user, key="tests.cases", params=None, capture=None):
    with capture(execute=False) as callbacks:
        job = export_start(user=user, key=key, params=params or {})
    assert len(callbacks) == 1  # run_export queued after commit, not before
    return job


def workbook(job: ExportJob):
    job = ExportJob.objects.get(pk=job.pk)
    return load_workbook(io.BytesIO(bytes(job.content)))


def test_export_writes_a_real_workbook_with_header_and_rows(cases, clerk, django_capture_on_commit_callbacks):
    job = start(clerk, capture=django_capture_on_commit_callbacks)
    assert job.status == ExportStatus.QUEUED and job.module == __name__

    assert run_export(job_id=str(job.pk)) == ExportStatus.DONE

    job.refresh_from_db()
    assert (job.status, job.progress, job.done_rows, job.total_rows) == (ExportStatus.DONE, 100, 3, 3)
    assert job.filename.startswith("测试案件-") and job.filename.endswith(".xlsx")
    sheet = workbook(job).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("案号", "法院", "标的（元）", "收案时间", "备注")
    assert [r[0] for r in rows[1:]] == ["(2026)鲁0102执900号", "(2026)鲁0102执901号", "(2026)鲁0102执902号"]
    assert rows[1][2] == 100000 and sheet.cell(row=2, column=3).number_format == "#,##0.00"
    assert rows[1][3].strftime("%Y-%m-%d %H:%M") == "2026-09-30 10:00"  # local time, no offset
    # a formula-looking text stays text
    assert sheet.cell(row=2, column=5).data_type == "s"


def test_rows_follow_the_requesters_court_scope(cases, clerk, django_capture_on_commit_callbacks):
    own, other, clerk0103 = cases
    mine = start(clerk, capture=django_capture_on_commit_callbacks)
    theirs = start(clerk0103, capture=django_capture_on_commit_callbacks)
    run_export(job_id=str(mine.pk))
    run_export(job_id=str(theirs.pk))

    mine_numbers = {r[0] for r in list(workbook(mine).active.iter_rows(values_only=True))[1:]}
    their_numbers = {r[0] for r in list(workbook(theirs).active.iter_rows(values_only=True))[1:]}
    assert mine_numbers == {c.case_number for c in own}
    assert their_numbers == {other.case_number}


def test_a_job_belongs_to_whoever_asked_for_it(cases, clerk, client, django_capture_on_commit_callbacks):
    own, other, clerk0103 = cases
    job = start(clerk, capture=django_capture_on_commit_callbacks)
    run_export(job_id=str(job.pk))

    with pytest.raises(NotFound):
        export_job_get(clerk0103, job.pk)
    client.force_login(clerk0103)
    for name in ("core:export-detail", "core:export-progress", "core:export-download"):
        assert client.get(reverse(name, kwargs={"job_id": job.pk})).status_code == 404
    client.force_login(clerk)
    r = client.get(reverse("core:export-download", kwargs={"job_id": job.pk}))
    assert r.status_code == 200
    assert r["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment; filename*=UTF-8''" in r["Content-Disposition"]
    assert load_workbook(io.BytesIO(r.content)).active["A1"].value == "案号"


def test_the_progress_endpoint_reports_progress_while_rows_are_written(
    cases, clerk, client, monkeypatch, django_capture_on_commit_callbacks
):
    from core import exports

    monkeypatch.setattr(exports, "PROGRESS_EVERY", 1)
    job = start(clerk, capture=django_capture_on_commit_callbacks)
    client.force_login(clerk)
    url = reverse("core:export-progress", kwargs={"job_id": job.pk})

    queued = client.get(url, {"format": "json"}).json()
    assert (queued["status"], queued["progress"], queued["download_url"]) == ("queued", 0, None)

    seen = []

    def look(index):
        seen.append(client.get(url, {"format": "json"}).json())
        if index == 2:
            partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
            seen.append(partial)

    _DURING_ROWS.append(look)
    try:
        run_export(job_id=str(job.pk))
    finally:
        _DURING_ROWS.remove(look)

    # while writing row 3 the job is running and two of three rows are done
    assert seen[0]["status"] == "running" and seen[0]["total_rows"] == 3
    assert [s["progress"] for s in seen if isinstance(s, dict)] == [0, 33, 66]
    assert 'hx-trigger="every 1s"' in seen[-1] and "<progress" in seen[-1]
    done = client.get(url, {"format": "json"}).json()
    assert (done["status"], done["progress"], done["done_rows"]) == ("done", 100, 3)
    assert done["download_url"] == reverse("core:export-download", kwargs={"job_id": job.pk})
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in partial and done["download_url"] in partial


def test_the_task_is_idempotent(cases, clerk, django_capture_on_commit_callbacks):
    job = start(clerk, capture=django_capture_on_commit_callbacks)
    assert export_run(job_id=str(job.pk)) == ExportStatus.DONE
    first = ExportJob.objects.get(pk=job.pk)
    # delivered again (acks_late): nothing is redone
    assert export_run(job_id=str(job.pk)) == ExportStatus.DONE
    again = ExportJob.objects.get(pk=job.pk)
    assert (again.attempts, again.finished_at, bytes(again.content)) == (
        1,
        first.finished_at,
        bytes(first.content),
    )
    # a job its worker left half done starts over
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, content=None, done_rows=1)
    assert export_run(job_id=str(job.pk)) == ExportStatus.DONE
    restarted = ExportJob.objects.get(pk=job.pk)
    assert restarted.attempts == 2 and restarted.done_rows == 3
    assert export_run(job_id="00000000-0000-0000-0000-000000000000") == "missing"


def test_a_failing_source_fails_the_job_with_its_reason(cases, clerk, django_capture_on_commit_callbacks):
    job = start(clerk, key="tests.failing", capture=django_capture_on_commit_callbacks)
    assert run_export(job_id=str(job.pk)) == ExportStatus.FAILED
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and job.error == "数据源暂不可用" and job.content is None


def test_filters_and_permissions_are_checked_when_asked_and_when_run(
    cases, clerk, handler, django_capture_on_commit_callbacks
):
    with pytest.raises(NotFound):
        export_start(user=clerk, key="tests.cases", params={"court": "nowhere"})
    with pytest.raises(ValidationFailed):
        export_start(user=clerk, key="tests.cases", params={"court": "bad"})
    with pytest.raises(NotFound):
        export_start(user=clerk, key="no.such.export", params={})
    with pytest.raises(PermissionDenied):
        export_start(user=handler, key="tests.supervisors_only", params={})
    assert not ExportJob.objects.exists()
    # the requester lost their post between asking and running: the job fails
    job = start(clerk, capture=django_capture_on_commit_callbacks)
    clerk.is_active = False
    clerk.save()
    assert run_export(job_id=str(job.pk)) == ExportStatus.FAILED


def test_the_button_starts_a_job_and_shows_its_progress(
    cases, clerk, client, django_capture_on_commit_callbacks
):
    client.force_login(clerk)
    url = reverse("core:export-start")
    with django_capture_on_commit_callbacks(execute=False):
        r = client.post(url, {"key": "tests.cases", "court": "鲁0102", "page": "3", "next": "/cases/"})
    job = ExportJob.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("core:export-detail", kwargs={"job_id": job.pk})
    assert job.params == {"court": "鲁0102"}  # the page number and the return address are not filters
    assert job.user == clerk
    page = client.get(r["Location"]).content.decode()
    assert "测试案件" in page and 'hx-trigger="every 1s"' in page

    # htmx: the progress partial in place of the button's status
    with django_capture_on_commit_callbacks(execute=False):
        r = client.post(url, {"key": "tests.cases"}, headers={"HX-Request": "true"})
    assert r.status_code == 200 and 'class="export-progress"' in r.content.decode()
    # an unknown export: the reason, not a server error
    r = client.post(url, {"key": "nope"}, headers={"HX-Request": "true"})
    assert r.status_code == 200 and "export-error" in r.content.decode()
    r = client.post(url, {"key": "nope", "next": "/cases/"})
    assert r.status_code == 302 and r["Location"] == "/cases/"
    assert ExportJob.objects.count() == 2


def test_my_exports_lists_only_mine(
    cases, clerk, client, django_capture_on_commit_callbacks, django_assert_num_queries
):
    own, other, clerk0103 = cases
    for _ in range(3):
        run_export(job_id=str(start(clerk, capture=django_capture_on_commit_callbacks).pk))
    start(clerk0103, capture=django_capture_on_commit_callbacks)
    client.force_login(clerk)
    client.get(reverse("core:exports"))
    # +4: the navigation's counts — one COUNT per work source of the role, the 待办 total, API token (issue 16)
    with django_assert_num_queries(13):  # +1 the bell's unread COUNT (issue 16); +1 一案双查待办
        html = client.get(reverse("core:exports")).content.decode()
    assert len(re.findall(r'href="/exports/[0-9a-f-]+/download/"', html)) == 3


def test_the_include_renders_a_button_carrying_the_pages_filters(rf, clerk):
    from django.template.loader import render_to_string

    request = rf.get("/somewhere/", {"court": "鲁0102", "page": "2", "days": "45"})
    request.user = clerk
    html = render_to_string(
        "core/_export_button.html",
        {"export_key": "tests.cases", "export_params": {"kind": "idle"}},
        request=request,
    )
    assert 'name="key" value="tests.cases"' in html
    assert 'name="court" value="鲁0102"' in html and 'name="days" value="45"' in html
    assert 'name="kind" value="idle"' in html and 'name="page"' not in html
    assert "导出 Excel" in html and 'hx-post="/exports/start/"' in html


def test_old_exports_of_the_requester_are_cleared_when_a_new_one_starts(
    cases, clerk, django_capture_on_commit_callbacks, now
):
    import datetime as dt

    own, other, clerk0103 = cases
    old = start(clerk, capture=django_capture_on_commit_callbacks)
    theirs = start(clerk0103, capture=django_capture_on_commit_callbacks)
    eight_days_ago = now - dt.timedelta(days=8)
    ExportJob.objects.filter(pk__in=[old.pk, theirs.pk]).update(created_at=eight_days_ago)
    recent = start(clerk, capture=django_capture_on_commit_callbacks)
    assert set(ExportJob.objects.values_list("pk", flat=True)) == {recent.pk, theirs.pk}
