"""The audit trail (等保 2.0 三级 安全审计): one record per write request with time and
offset, user, event, object and success; sign-in, sign-out and failed sign-in; the
application's database role cannot rewrite it; the readers are scoped."""

import re

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from audit.models import AuditEvent, AuditRecord
from core.models import Role
from tests.core.factories import make_member
from tests.enforcement.factories import make_case

OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+08:00$")


@pytest.fixture
def api(api_client, courts):
    from core.services.people import api_client_create

    _user, key = api_client_create(court=courts.lu0102, name="鲁0102审判系统")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api_client


def test_a_write_through_the_api_leaves_one_record_naming_user_route_object_and_success(api, clerk, handler, courts):
    case = make_case(clerk, courts.lu0102, handler=handler)
    before = AuditRecord.objects.count()

    response = api.post(f"/api/v1/cases/{case.pk}/suspend/", {"reason": "x"}, format="json")

    assert AuditRecord.objects.count() == before + 1
    record = AuditRecord.objects.latest("id")
    assert record.event == AuditEvent.REQUEST
    assert record.user.memberships.filter(role=Role.API_CLIENT, court=courts.lu0102).exists()
    assert (record.method, record.path) == ("POST", f"/api/v1/cases/{case.pk}/suspend/")
    assert (record.action, record.object_type, record.object_id) == ("api-case-suspend", "case", str(case.pk))
    assert record.status_code == response.status_code
    assert record.success is (response.status_code < 400)
    assert record.ip == "127.0.0.1"


def test_a_refused_write_is_recorded_as_a_failure_and_reads_are_not_recorded(api, clerk, courts):
    other = make_case(clerk, courts.lu0102, number="(2026)鲁0102执1002号")
    sibling_case = make_case(make_member(Role.CLERK, courts.lu0103, "c3"), courts.lu0103, number="(2026)鲁0103执5号")
    before = AuditRecord.objects.count()

    api.get(f"/api/v1/cases/{other.pk}/")
    assert AuditRecord.objects.count() == before
    response = api.post(f"/api/v1/cases/{sibling_case.pk}/suspend/", {"reason": "x"}, format="json")

    assert response.status_code == 404
    assert AuditRecord.objects.count() == before + 1
    record = AuditRecord.objects.latest("id")
    assert (record.success, record.object_id) == (False, str(sibling_case.pk))


def test_sign_in_failed_sign_in_and_sign_out_are_recorded(client, clerk):
    clerk.set_password("pw-right-1")
    clerk.save()

    client.post(reverse("login"), {"username": clerk.username, "password": "wrong\r\nFORGED"})
    client.post(reverse("login"), {"username": clerk.username, "password": "pw-right-1"})
    client.post(reverse("logout"))

    events = list(AuditRecord.objects.order_by("id").values_list("event", "success", "username", "user_id"))
    assert events == [
        (AuditEvent.LOGIN_FAILED, False, clerk.username, None),
        (AuditEvent.LOGIN, True, clerk.username, clerk.pk),
        (AuditEvent.LOGOUT, True, clerk.username, clerk.pk),
    ]
    assert not AuditRecord.objects.filter(detail__icontains="wrong").exists()


def test_the_api_lists_records_with_offset_times_only_to_supervision_and_only_of_their_courts(
    client, courts, clerk, inspector, as_user
):
    sibling_clerk = make_member(Role.CLERK, courts.lu0202, "sib-clerk")  # 鲁02: not under 鲁01
    for user in (clerk, sibling_clerk):
        client.force_login(user)
        client.post(reverse("logout"))

    answer = as_user(inspector).get("/api/v1/audit-records/", {"event": "logout"})
    assert answer.status_code == 200
    rows = answer.json()["results"]
    assert [r["username"] for r in rows] == [clerk.username]
    assert OFFSET.match(rows[0]["occurred_at"]), rows[0]["occurred_at"]
    assert set(rows[0]) >= {"occurred_at", "user", "event", "object_type", "object_id", "success"}

    assert as_user(clerk).get("/api/v1/audit-records/").json()["count"] == 0
    bad = as_user(inspector).get("/api/v1/audit-records/", {"since": "yesterday"})
    assert bad.status_code == 400 and "since" in bad.json()["extra"]["fields"]


def test_the_browser_page_is_for_supervision_only(client, clerk, inspector):
    client.force_login(clerk)
    assert client.get(reverse("audit:records")).status_code == 403
    client.force_login(inspector)
    page = client.get(reverse("audit:records"), {"event": "login"})
    assert page.status_code == 200
    assert "审计日志" in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_records_cannot_be_updated_or_deleted_by_anyone():
    record = AuditRecord.objects.create(event=AuditEvent.REQUEST, success=True, path="/x")
    for statement in ("UPDATE audit_auditrecord SET success = false", "DELETE FROM audit_auditrecord"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert AuditRecord.objects.get(pk=record.pk).success is True


@pytest.mark.django_db(transaction=True)
def test_the_application_role_can_append_but_not_rewrite_even_without_the_trigger():
    with connection.cursor() as cursor:
        cursor.execute(
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'zhixing_app_probe') "
            "THEN CREATE ROLE zhixing_app_probe NOLOGIN; END IF; END $$"
        )
    call_command("grant_app_role", "zhixing_app_probe")
    record = AuditRecord.objects.create(event=AuditEvent.REQUEST, success=True, path="/x")

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL ROLE zhixing_app_probe")
        cursor.execute("SELECT count(*) FROM audit_auditrecord")
        cursor.execute(
            "INSERT INTO audit_auditrecord (occurred_at, username, event, method, path, action, object_type,"
            " object_id, success, detail) VALUES (now(), '', 'request', 'POST', '/y', '', '', '', true, '{}')"
        )
        cursor.execute("UPDATE enforcement_case SET claim_amount = claim_amount WHERE false")  # ordinary table
    for table in ("audit_auditrecord", "core_nodeevent", "audit_nodeeventseal", "custody_funds_posting"):
        for statement in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):
            with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL ROLE zhixing_app_probe")
                    cursor.execute(statement)
    assert AuditRecord.objects.filter(pk=record.pk).exists()
    assert AuditRecord.objects.filter(path="/y").count() == 1
