"""The report clocks of 一案双查 (DUALCHECK_REPORT, DUALCHECK_SUPPLEMENT) and the alerts
raised on them carry the investigation's number and its due date. They run at the
court under investigation, whose officers may be the ones concerned (双查规定 §5):

* the scan addresses every level to the clue's joint team and the upper court's
  referrer (``JOINT_TEAM_POST``, the clock's responsible person), never to a post of
  that court (its 专人监管, its bureau head) nor up its ladder;
* wherever alerts are listed — the REST list and detail, ``mine``, the inbox, the
  daily digest — a report clock's alert is shown only to who sees the clue;
* the dashboards, the indicators and the clock lists never show the report clocks
  (their counters are read by all of a court's dashboard users and its API client);
* the court's API client never reads the clue itself.

Same world as the permission matrix (``matrix_fixtures``): built once per module,
each test in a savepoint; the scan runs past the running report clocks' last
threshold (clues ``ref`` — no team yet — and ``inv`` — the team investigating)."""

import os
import re

import pytest
from django.core import mail
from django.urls import reverse

from core.models import Deadline, Role, User
from core.selectors import forget_memberships
from dualcheck.models import Clue
from dualcheck.selectors import CLOCK_RULES, clues_visible_to
from dualcheck.services import clues as s_clues
from supervision.models import JOINT_TEAM_POST, Alert
from supervision.selectors.alerts import alert_recipients
from supervision.services.alerts import alerts_send_digest
from tests.core.factories import make_member
from tests.dualcheck.matrix_fixtures import (  # noqa: F401 - fixtures
    KEYS,
    PERSONS,
    ROLES,
    RUNNING,
    addressed,
    alerts_raised_fixture,
    api_for,
    browser_for,
    expected,
    lists,
    w_fixture,
    world_fixture,
)

pytestmark = (
    [pytest.mark.xdist_group("dualcheck-alert-confidentiality")]
    if os.environ.get("PYTEST_XDIST_WORKER")
    else []
)

ALERTS = "/api/v1/alerts/"


def numbers(w) -> dict[str, str]:
    return {key: w.clue(key).number for key in RUNNING}


# --- addressing -------------------------------------------------------------------------------------


def test_every_level_goes_to_the_team_and_the_referrer_never_to_the_courts_posts(w, raised):
    lower = w.courts.lu0102.pk
    for alert in Alert.objects.filter(pk__in=raised.all):
        assert (alert.court_id, alert.to_court_id, alert.to_role) == (lower, lower, JOINT_TEAM_POST)
        assert alert.handler_id == w.users["head"].pk
    alerts = list(Alert.objects.select_related("rule").filter(pk__in=raised.all))
    recipients = alert_recipients(alerts)
    u = w.users
    for alert in alerts:
        got = set(recipients[alert.pk])
        if alert.pk in raised.alerts["inv"]:
            assert got == {u["head"], u["team_member"], u["lower_inspector"]}
        else:
            assert got == {u["head"]}  # no team yet: the referrer alone


def test_the_referrer_named_as_concerned_hands_the_clock_over_and_hears_no_more(w, raised):
    """鲁01's inspector names the referrer as an officer concerned: the clock passes to
    the inspector, and the referrer is no recipient and lists nothing any more."""
    head, inspector = w.users["head"], w.users["inspector"]
    clue = w.clue("inv")
    s_clues.clue_record_officers(
        actor=inspector,
        clue=clue,
        officers=[{"name": "执行局长", "court": w.courts.lu01, "user": head, "position": "执行局长"}],
    )
    assert Deadline.objects.get(pk=clue.report_deadline_id).responsible == inspector
    alerts = list(Alert.objects.select_related("rule").filter(pk__in=raised.alerts["inv"]))
    assert all(head not in people for people in alert_recipients(alerts).values())
    forget_memberships(head)
    response = api_for(w, "head").get(ALERTS, {"page_size": 500})
    assert not {row["id"] for row in response.json()["results"]} & raised.alerts["inv"]


# --- where alerts are listed ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_alerts_api_lists_them_only_to_who_sees_the_clue(w, raised, role):
    client = api_for(w, role)
    response = client.get(ALERTS, {"page_size": 500})
    if role == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == 200
    listed = {row["id"] for row in response.json()["results"]} & raised.all
    assert listed == expected(role, raised, lists)
    by_rule = client.get(ALERTS, {"page_size": 500, "rule": "DUALCHECK_REPORT"}).json()["results"]
    assert {row["id"] for row in by_rule} == expected(role, raised, lists)
    mine = client.get(ALERTS, {"page_size": 500, "mine": "true"}).json()["results"]
    assert {row["id"] for row in mine} & raised.all == expected(
        role, raised, lambda r, k: lists(r, k) and addressed(r, k)
    )
    text = response.content.decode()
    for key, number in numbers(w).items():
        assert lists(role, key) or number not in text
    for pk in raised.all:
        status = client.get(f"{ALERTS}{pk}/").status_code
        assert status == (200 if pk in expected(role, raised, lists) else 404), (pk, status)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_only_an_addressee_acknowledges_them(w, raised, role):
    client = api_for(w, role)
    for key in RUNNING:
        pk = min(raised.alerts[key])
        response = client.post(f"{ALERTS}{pk}/acknowledge/", {}, format="json")
        if not lists(role, key):
            assert response.status_code == 404
        elif addressed(role, key):
            assert response.status_code == 200
            assert response.json()["acknowledged_by"] == w.users[role].username
        else:
            assert response.status_code == 403
    unacknowledged = set(
        Alert.objects.filter(pk__in=raised.all, acknowledged_at__isnull=True).values_list("pk", flat=True)
    )
    assert raised.all - unacknowledged == {
        min(raised.alerts[k]) for k in RUNNING if lists(role, k) and addressed(role, k)
    }


@pytest.mark.parametrize("role", PERSONS)
def test_the_inbox_shows_them_only_to_the_addressees(w, raised, role):
    html = browser_for(w, role).get(reverse("supervision:inbox"), {"show": "all"}).content.decode()
    shown = {int(pk) for pk in re.findall(r'id="alert-(\d+)"', html)} & raised.all
    assert shown == expected(role, raised, lambda r, k: lists(r, k) and addressed(r, k))
    for key, number in numbers(w).items():
        assert (number in html) is (lists(role, key) and addressed(role, key))


def test_the_digest_mails_them_only_to_the_team_and_the_referrer(w, raised):
    for user in User.objects.all():
        User.objects.filter(pk=user.pk).update(email=f"{user.username}@court.example")
    mail.outbox.clear()
    alerts_send_digest(now=raised.moment)
    told: dict[str, set[str]] = {}
    by_address = {f"{u.username}@court.example": role for role, u in w.users.items()}
    for message in mail.outbox:
        [address] = message.to
        role = by_address.get(address, address)
        told[role] = {key for key, number in numbers(w).items() if number in message.body}
    told = {role: keys for role, keys in told.items() if keys}
    # the alerts go to the team and the referrer; the digest also carries the person's
    # unread notifications (issue 16): the referral of ``ref`` told the investigating
    # court's inspector (its supervision department, who takes it up) — by number only
    assert told == {"head": {"ref", "inv"}, "team_member": {"inv"}, "lower_inspector": {"inv", "ref"}}


@pytest.mark.parametrize("role", ["officer", "clerk", "finance", "lower_head", "team_member", "head"])
def test_my_todo_lists_a_report_clock_only_to_its_responsible_person(w, raised, role):
    html = browser_for(w, role).get(reverse("core:todo")).content.decode()
    clocks = html[html.index('id="h-clocks"') :]
    posts = html[: html.index('id="h-clocks"')]
    for number in numbers(w).values():
        assert (number in clocks) is (role == "head")
    # 等待我处理 names a clue only to someone with a step on it who may see it (the
    # investigating team, the investigating court's bureau head forming or changing the
    # team): never the officer concerned, a clerk or finance
    waiting = {key for key, number in numbers(w).items() if number in posts}
    if role in ("officer", "clerk", "finance"):
        assert waiting == set()
    if role == "team_member":
        assert "inv" in waiting  # the investigation its team carries out
    visible = set(clues_visible_to(w.users[role]).values_list("pk", flat=True))
    assert {w.clue(key).pk for key in waiting} <= visible


# --- dashboards, indicators, clock lists: never ---------------------------------------------------


DASHBOARD_ROLES = ["working_group", "head", "inspector", "leader", "lower_head", "lower_inspector"]


@pytest.mark.parametrize("role", [*DASHBOARD_ROLES, "api_lu0102"])
def test_no_dashboard_counts_or_lists_a_report_clock(w, raised, role):
    client = api_for(w, role)
    answers = [
        client.get("/api/v1/dashboard/", {"court": "鲁0102"}),
        client.get("/api/v1/indicators/", {"court": "鲁0102"}),
        client.get("/api/v1/indicators/", {"court": "鲁0102", "from": "2026-01-01", "to": "2030-12-31"}),
    ]
    if role in DASHBOARD_ROLES:
        browser = browser_for(w, role)
        answers += [
            browser.get(reverse("supervision:dashboard"), {"court": "鲁0102"}),
            *(
                browser.get(
                    reverse("supervision:clocks"), {"court": "鲁0102", "status": status, "rule": rule}
                )
                for status in ("overdue", "open", "warned")
                for rule in ("", "DUALCHECK_REPORT")
            ),
        ]
    for response in answers:
        assert response.status_code == 200, response.request
        text = response.content.decode()
        assert not any(number in text for number in numbers(w).values())
    dashboard = answers[0].json()
    assert not [r for r in dashboard["rules"] if r["code"] in CLOCK_RULES]
    assert not [row for row in dashboard["top_overdue"] if row["rule"] in CLOCK_RULES]


# --- the court's API client and the clue ------------------------------------------------------------


@pytest.mark.parametrize("key", KEYS)
def test_the_investigated_courts_api_client_never_reads_the_clue(w, key):
    """The token of 鲁0102 (the court investigated from the referral on) gets 404 for
    the clue and an empty list, as the officer concerned does in the browser; 鲁01's
    (the court handling it) reads it."""
    lower, upper = api_for(w, "api_lu0102"), api_for(w, "api_lu01")
    url = f"/api/v1/dualcheck/clues/{w.pk(key)}/"
    response = lower.get(url)
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert (
        w.clue(key).number not in lower.get("/api/v1/dualcheck/clues/", {"page_size": 500}).content.decode()
    )
    assert upper.get(url).status_code == 200


def test_a_clue_about_an_officer_of_the_handling_court_is_not_for_its_api_client(w):
    machine = w.user("api_lu01")
    clue = w.clue("recv")
    assert clues_visible_to(machine).filter(pk=clue.pk).exists()
    colleague = make_member(Role.HANDLER, w.courts.lu01, "handler_lu01")
    s_clues.clue_record_officers(
        actor=w.user("inspector"),
        clue=clue,
        officers=[{"name": "鲁01承办人", "court": w.courts.lu01, "user": colleague, "position": "承办人"}],
    )
    assert not clues_visible_to(w.user("api_lu01")).filter(pk=clue.pk).exists()
    assert api_for(w, "api_lu01").get(f"/api/v1/dualcheck/clues/{clue.pk}/").status_code == 404
    # nor may it register one (it could not read it back): a named person does
    before = Clue.objects.count()
    response = api_for(w, "api_lu01").post(
        "/api/v1/dualcheck/clues/",
        {
            "source": "command_centre",
            "summary": "指挥中心发现节点超期。",
            "officers": [{"name": "鲁01承办人", "court": "鲁01", "user": colleague.pk}],
        },
        format="json",
    )
    assert response.status_code == 403 and response.json()["code"] == "named_person_required"
    assert Clue.objects.count() == before


def test_listing_the_alerts_costs_the_same_queries_for_one_report_clock_or_many(
    w, raised, django_assert_max_num_queries
):
    """The recipients of the report clocks' alerts: a few queries more than the
    list, whatever the number of alerts."""
    client = api_for(w, "head")
    client.get(ALERTS, {"page_size": 1, "rule": "DUALCHECK_REPORT"})  # warm the session
    with django_assert_max_num_queries(14) as one:
        client.get(ALERTS, {"page_size": 1, "rule": "DUALCHECK_REPORT"})
    with django_assert_max_num_queries(len(one)):
        assert len(client.get(ALERTS, {"page_size": 500, "rule": "DUALCHECK_REPORT"}).json()["results"]) == 6
    assert len(raised.all) == 6


def test_the_migration_gives_the_running_report_clocks_their_referrer(w):
    """Clocks started before the responsible person was recorded (dualcheck 0002)."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("dualcheck.migrations.0002_report_clocks_responsible_referrer")
    Deadline.objects.filter(rule__code__in=CLOCK_RULES).update(responsible=None)
    migration.backfill(apps, None)
    clocks = Deadline.objects.filter(rule__code__in=CLOCK_RULES)
    assert {d.responsible_id for d in clocks if d.completed_at is None} == {w.users["head"].pk}
    assert {d.responsible_id for d in clocks if d.completed_at is not None} == {None}  # left as they were
