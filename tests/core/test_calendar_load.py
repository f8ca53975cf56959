"""Loading a year from the State Council's notice: the preview, the load, the
recompute of the open clocks with its report, the command, the API, the page and
the banner (issue 1/5 §1–§2)."""

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from core.models import (
    CalendarDay,
    CalendarLoad,
    CalendarLoadStatus,
    CalendarYear,
    Deadline,
    DeadlineStatus,
    NodeEvent,
    Role,
)
from core.services import clocks
from core.services.calendar import calendar_load_recompute, calendar_year_load
from tests.conftest import at
from tests.core.factories import make_member

D = dt.date

# A 2027 notice written for the test (the real one is not in shared/): 春节 8 days
# from 除夕 with make-up Sundays 31 January and Saturday 20 February — so, unlike
# the prediction, Sunday 14 February is a rest day and Saturday 20 February a
# working day.
NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知

一、元旦：1月1日（周五）至3日（周日）放假，共3天。

二、春节：2月5日（农历除夕、周五）至12日（周五）放假调休，共8天。1月31日（周日）、2月20日（周六）上班。

三、清明节：4月3日（周六）至5日（周一）放假，共3天。

四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。5月8日（周六）上班。

五、端午节：6月9日放假，共1天。

六、中秋节：9月15日放假，共1天。

七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。
"""


@pytest.fixture
def admin_user(courts):
    return make_member(Role.ADMIN, courts.lu, "calendar_admin")


@pytest.fixture
def february_2027(time_machine):
    """23 February 2027, 10:00, with 2027 not loaded."""
    time_machine.move_to(at("2027-02-23 10:00"), tick=False)
    assert not CalendarYear.objects.filter(year=2027).exists()


def _clocks(courts):
    # predicted: 2, 3, 4 Feb, (5–13 rest), Sun 14 (make-up), Mon 15 → due 15 Feb;
    # official: 2, 3, 4, 15, 16 → due 16 February (later)
    later = clocks.clock_start(rule_code="SEARCH_START", court=courts.lu0102, started_at=at("2027-02-01 10:00"))
    # predicted: 17, 18, 19, 22, 23 → due 23 February (today, still running);
    # official: 17, 18, 19, Sat 20 (make-up), 22 → due 22 February: now overdue
    earlier = clocks.clock_start(rule_code="SEARCH_START", court=courts.lu0103, started_at=at("2027-02-16 10:00"))
    # hours: no calendar, not touched
    hours = clocks.clock_start(
        rule_code="CLUE_VERIFY", court=courts.lu0102, started_at=at("2027-02-23 09:00"), variant="urgent"
    )
    return later, earlier, hours


def test_clocks_into_an_unloaded_year_are_provisional(courts, february_2027):
    later, earlier, hours = _clocks(courts)
    assert later.provisional and earlier.provisional and not hours.provisional
    assert later.due_at.date() == D(2027, 2, 15)
    assert earlier.due_at.date() == D(2027, 2, 23)


def test_loading_the_year_recomputes_and_reports_what_moved(courts, admin_user, february_2027, mailoutbox):
    from core.calendar_notice import parse_notice

    supervisor = make_member(Role.CASE_SUPERVISOR, courts.lu0103, "sup_0103")
    supervisor.email = "sup@example.org"
    supervisor.save()
    later, earlier, hours = _clocks(courts)
    hours_due = hours.due_at
    parsed = parse_notice(NOTICE_2027)

    load = calendar_year_load(
        year=parsed.year,
        holidays=list(parsed.holidays),
        workdays=list(parsed.workdays),
        actor=admin_user,
        notice_text=NOTICE_2027,
    )
    assert CalendarYear.objects.get(year=2027).loaded_by == admin_user
    assert CalendarYear.objects.get(year=2027).notice_text == NOTICE_2027
    assert {d["date"] for d in load.differences} >= {"2027-02-14", "2027-02-20"}
    assert NodeEvent.objects.filter(kind="calendar.year_loaded", payload__year=2027).count() == 1

    load = calendar_load_recompute(load_id=load.pk, chunk_size=1)  # chunks of one: same answer
    assert load.status == CalendarLoadStatus.DONE
    assert (load.moved_earlier, load.moved_later, load.now_overdue) == (1, 1, 1)
    assert load.settled == 2
    assert load.by_court[str(courts.lu0103.pk)] == {"earlier": 1, "later": 0, "now_overdue": 1, "settled": 1}
    later.refresh_from_db()
    earlier.refresh_from_db()
    hours.refresh_from_db()
    assert later.due_at.date() == D(2027, 2, 16) and not later.provisional
    assert earlier.due_at.date() == D(2027, 2, 22) and not earlier.provisional
    assert hours.due_at == hours_due
    # the 专人监管 of the court with a clock now overdue is told its part
    from core.models.outbox import OutboundEmail

    mails = list(OutboundEmail.objects.filter(to__contains=["sup@example.org"]))
    assert len(mails) == 1 and "1 个因此已超期" in mails[0].body

    # recomputing again is idempotent: the finished load is left alone
    assert calendar_load_recompute(load_id=load.pk).moved_earlier == 1


def test_a_breached_clock_whose_corrected_due_lies_ahead_runs_again(courts, admin_user, february_2027, time_machine):
    from core.calendar_notice import parse_notice

    later, _earlier, _hours = _clocks(courts)
    # the scan marked it breached on the predicted date (15 February)
    Deadline.objects.filter(pk=later.pk).update(status=DeadlineStatus.BREACHED)
    time_machine.move_to(at("2027-02-16 09:00"), tick=False)
    parsed = parse_notice(NOTICE_2027)
    load = calendar_year_load(
        year=2027, holidays=list(parsed.holidays), workdays=list(parsed.workdays), actor=admin_user
    )
    calendar_load_recompute(load_id=load.pk)
    later.refresh_from_db()
    assert later.status == DeadlineStatus.OPEN and later.due_at.date() == D(2027, 2, 16)


def test_loading_again_replaces_the_year_and_is_recorded(courts, admin_user, february_2027):
    from core.calendar_notice import parse_notice

    parsed = parse_notice(NOTICE_2027)
    calendar_year_load(year=2027, holidays=list(parsed.holidays), workdays=list(parsed.workdays), actor=admin_user)
    assert CalendarDay.objects.filter(date=D(2027, 2, 20), kind="workday").exists()
    corrected = parse_notice(NOTICE_2027.replace("1月31日（周日）、2月20日（周六）上班", "1月31日（周日）上班"))
    calendar_year_load(
        year=2027, holidays=list(corrected.holidays), workdays=list(corrected.workdays), actor=admin_user
    )
    assert not CalendarDay.objects.filter(date=D(2027, 2, 20)).exists()
    assert CalendarLoad.objects.filter(year=2027).count() == 2
    assert NodeEvent.objects.filter(kind="calendar.year_loaded", payload__year=2027).count() == 2


def test_only_administrators_load_a_year(courts, case_supervisor, february_2027):
    from core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        calendar_year_load(year=2027, holidays=[D(2027, 1, 1)], workdays=[], actor=case_supervisor)
    assert not CalendarYear.objects.filter(year=2027).exists()


# --- REST ---------------------------------------------------------------------------


def test_api_dry_run_answers_the_days_and_changes_nothing(courts, admin_user, february_2027):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(admin_user)
    response = client.post("/api/v1/calendar/years/", {"notice": NOTICE_2027, "dry_run": True}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["year"] == 2027 and body["dry_run"] is True and body["recompute"] is None
    assert body["holidays"][:3] == ["2027-01-01", "2027-01-02", "2027-01-03"]
    assert "2027-02-20" in body["workdays"] and "2027-02-14" not in body["workdays"]
    diffs = {d["date"]: d for d in body["differences_from_prediction"]}
    assert diffs["2027-02-20"] == {"date": "2027-02-20", "official": "workday", "predicted": "rest"}
    assert diffs["2027-02-14"] == {"date": "2027-02-14", "official": "rest", "predicted": "workday"}
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not CalendarLoad.objects.exists()


def test_api_load_answers_201_with_the_recompute(courts, admin_user, february_2027):
    from rest_framework.test import APIClient

    _clocks(courts)
    client = APIClient()
    client.force_authenticate(admin_user)
    response = client.post("/api/v1/calendar/years/", {"notice": NOTICE_2027, "dry_run": False}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["recompute"]["status"] in ("pending", "running", "done")
    assert CalendarYear.objects.filter(year=2027).exists()
    load = calendar_load_recompute(load_id=body["recompute"]["id"])  # what the worker does
    assert (load.moved_earlier, load.moved_later) == (1, 1)


def test_api_refuses_a_notice_naming_the_line_and_non_administrators(courts, admin_user, clerk, february_2027):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(admin_user)
    bad = NOTICE_2027.replace("至3日（周日）放假，共3天", "至3日（周日）放假，共4天")
    response = client.post("/api/v1/calendar/years/", {"notice": bad, "dry_run": False}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["extra"]["line"] == 3 and "第 3 行" in body["message"]
    assert not CalendarYear.objects.filter(year=2027).exists()
    client.force_authenticate(clerk)
    response = client.post("/api/v1/calendar/years/", {"notice": NOTICE_2027}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


# --- command ------------------------------------------------------------------------


def test_command_prints_the_year_as_json_on_a_dry_run(courts, tmp_path, february_2027):
    path = tmp_path / "2027.txt"
    path.write_text(NOTICE_2027, encoding="utf-8")
    out = io.StringIO()
    call_command("load_calendar", "--notice", str(path), "--dry-run", "--format", "json", stdout=out)
    body = json.loads(out.getvalue())
    assert body["year"] == 2027
    assert body["holidays"][0] == "2027-01-01" and "2027-10-07" in body["holidays"]
    assert body["workdays"] == ["2027-01-31", "2027-02-20", "2027-05-08", "2027-09-26", "2027-10-09"]
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_command_loads_the_shared_2026_notice_like_the_package(courts, time_machine):
    """2026 as chinese-calendar has it, taken away and loaded again from the notice:
    the same days come back."""
    before = set(CalendarDay.objects.filter(date__year=2026).values_list("date", "kind"))
    CalendarDay.objects.filter(date__year=2026).delete()
    CalendarYear.objects.filter(year=2026).delete()
    notice = Path(__file__).resolve().parents[3] / "shared" / "calendar-notices" / "2026.txt"
    out = io.StringIO()
    call_command("load_calendar", "--notice", str(notice), stdout=out)
    assert "已载入 2026 年" in out.getvalue()
    after = set(CalendarDay.objects.filter(date__year=2026).values_list("date", "kind"))
    assert after == before
    assert CalendarYear.objects.get(year=2026).source == "国务院办公厅通知"


# --- page and banner ----------------------------------------------------------------


def test_page_previews_the_wall_calendar_then_loads(client, courts, admin_user, february_2027):
    client.force_login(admin_user)
    url = reverse("core:calendar-load")
    assert client.get(url).status_code == 200
    response = client.post(url, {"notice": NOTICE_2027})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-date="2027-02-20"' in html and "班" in html
    assert "与预测日历不同的日期" in html
    assert html.count('<table class="month">') == 12
    assert not CalendarYear.objects.filter(year=2027).exists()
    response = client.post(url, {"notice": NOTICE_2027, "confirm": "1"})
    load = CalendarLoad.objects.get(year=2027)
    assert response.status_code == 302 and response["Location"] == reverse("core:calendar-load-detail", args=[load.pk])
    detail = client.get(response["Location"]).content.decode()
    assert "期限重算" in detail
    progress = client.get(reverse("core:calendar-load-progress", args=[load.pk]))
    assert progress.status_code == 200 and 'id="load-progress"' in progress.content.decode()


def test_page_shows_a_parse_error_next_to_the_field(client, courts, admin_user, february_2027):
    client.force_login(admin_user)
    bad = NOTICE_2027.replace("1月1日（周五）", "1月1日（周四）")
    html = client.post(reverse("core:calendar-load"), {"notice": bad}).content.decode()
    assert 'id="notice-error"' in html and "第 3 行" in html


def test_page_is_for_administrators_only(client, courts, case_supervisor, clerk):
    for user in (case_supervisor, clerk):
        client.force_login(user)
        assert client.get(reverse("core:calendar-load")).status_code == 403


def test_banner_from_november_for_administrators_and_supervisors(
    client, courts, admin_user, case_supervisor, clerk, time_machine
):
    from supervision.services.stats import court_stats_refresh

    time_machine.move_to(at("2026-11-10 10:00"), tick=False)
    clocks.clock_start(rule_code="SEARCH_START", court=courts.lu0102, started_at=at("2026-12-28 10:00"))
    court_stats_refresh(court_id=courts.lu0102.pk, at=at("2026-11-10 10:00"))  # what the scan does
    for user, sees, link in ((admin_user, True, True), (case_supervisor, True, False), (clerk, False, False)):
        client.force_login(user)
        html = client.get(reverse("core:calendar")).content.decode()
        assert ("2027 年放假安排尚未载入" in html) is sees
        assert (reverse("core:calendar-load") in html) is link
        if sees:
            assert "目前有 1 个暂定期限" in html
    # October: no banner yet
    time_machine.move_to(at("2026-10-10 10:00"), tick=False)
    client.force_login(case_supervisor)
    assert "放假安排尚未载入" not in client.get(reverse("core:calendar")).content.decode()


def test_calendar_page_shows_a_predicted_year_as_provisional(client, courts, clerk):
    client.force_login(clerk)
    html = client.get(reverse("core:calendar"), {"year": 2028}).content.decode()
    assert "暂定" in html and html.count('<table class="month">') == 12
    assert 'data-date="2028-01-26"' in html  # 除夕 2028 (lunar 12/30 → 26 January)
