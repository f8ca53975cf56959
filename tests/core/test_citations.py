"""Citations (issue 15 item 11; lifecycle spec §1.1, test T13).

322号 (dated 2021-12-06) quotes 民事诉讼法 in its 2017 numbering; the law was
renumbered in 2021 and 2023. Every page shows the article of the law in force with
the seed's number beside it, and 未核实 while an admin has not confirmed a citation
taken from outside the seeds; rules whose basis is a seed's own text show no badge."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from core.models import DeadlineRule, LegalCitation, User
from core.rule_catalogue import CATALOGUE
from tests.supervision.factories import *  # noqa: F403

pytestmark = pytest.mark.django_db

CPL_ORDER = "民事诉讼法第二百三十七条（322号第28条原文引作第二百二十六条）"
SUPERSEDED = "第二百二十六条"
# The rules of the seeds' own text (322号, 双查规定): shipped verified, no badge.
SEED_RULES = (
    "SEARCH_START", "CONTROL_AFTER_FEEDBACK", "PRICE_START", "DISPOSAL_START", "SELF_DISPOSAL",
    "FUNDS_NOTICE", "FUNDS_PAYMENT", "RESTRICTION_RELEASE", "PETITION_REGISTER", "PETITION_CLOSE",
    "DUALCHECK_REPORT", "DUALCHECK_SUPPLEMENT", "ORDER_RESPONSE",
)
# Outside the seeds (T13's list; CLUE_CONCLUDE is not in this branch's catalogue,
# and CLUE_VERIFY's 7-day period still comes from 财产调查规定).
UNVERIFIED_RULES = (
    "DISHONEST_DELETE", "CONTROL_EXPIRY", "EXECUTION_NOTICE", "CASE_DURATION", "TERMINATED_RESEARCH",
    "PETITION_FEEDBACK", "CLUE_VERIFY",
)


def page(user, url: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def badge_after(html: str, code: str) -> bool:
    """Whether the rule's citation on the page carries the 未核实 badge."""
    m = re.search(rf'data-basis="{code}" data-verified="(true|false)"[^>]*>[^<]*</span>( <span class="badge[^"]*unverified"[^>]*>未核实</span>)?', html)
    assert m, f"no citation of {code} on the page"
    return m.group(2) is not None


def assert_never_bare(html: str) -> None:
    """第二百二十六条 only ever appears as the seed's wording beside the article in force."""
    for m in re.finditer(SUPERSEDED, html):
        assert html[max(0, m.start() - 4) : m.start()] == "原文引作", html[m.start() - 60 : m.end()]


def test_every_rule_has_the_article_in_force(db):
    rules = DeadlineRule.objects.all()

    assert {r.code for r in rules} >= {spec["code"] for spec in CATALOGUE}
    assert all(r.basis_in_force for r in rules)
    assert {r.code for r in rules if r.verified} == set(SEED_RULES)


def test_the_catalogue_page_shows_the_law_in_force_and_the_badge(handler):
    html = page(handler, reverse("core:rules"))

    assert CPL_ORDER in html
    row = re.search(r'data-rule-basis="ORDER_RESPONSE">(.*?)</td>', html, re.S).group(1)
    assert CPL_ORDER in row and "未核实" in row  # the 民事诉讼法 article, beside the seed's own §28
    assert_never_bare(html)
    for code in SEED_RULES:
        assert badge_after(html, code) is False, code
    for code in UNVERIFIED_RULES:
        assert badge_after(html, code) is True, code
    assert "322号 第30条（及时反馈；期限由本院设定）" in html  # PETITION_FEEDBACK
    citations = re.search(r'id="citation-table">(.*?)</table>', html, re.S).group(1)
    assert "民事诉讼法第二百三十八条（322号第15条原文引作第二百二十七条）" in citations
    assert "民事诉讼法第二百三十六条（322号第29条原文引作第二百二十五条）" in citations
    assert citations.count("未核实") >= 3


def test_the_catalogue_lists_the_feedback_rule_in_the_lifecycle_and_as_not_extendable(handler):
    html = page(handler, reverse("core:rules"))

    lifecycle = re.search(r'id="lifecycle-table">(.*?)</table>', html, re.S).group(1)
    assert '<tr data-lifecycle="PETITION_FEEDBACK"><td>信访结果反馈</td>' in lifecycle
    extensions = re.search(r'id="extension-table">(.*?)</table>', html, re.S).group(1)
    row = re.search(r'data-rule="PETITION_FEEDBACK">(.*?)</tr>', extensions, re.S).group(1)
    assert "不得延长" in row


def test_the_order_form_cites_the_article_in_force_unverified(case_supervisor, order_case):
    html = page(case_supervisor, reverse("supervision:order-new") + f"?case={order_case.pk}")

    basis = re.search(r'id="order-basis">(.*?)</p>', html, re.S).group(1)
    assert CPL_ORDER in basis and "未核实" in basis
    assert_never_bare(html)


def test_the_clock_rows_show_the_basis_with_its_badge(handler, order_case):
    html = page(handler, reverse("enforcement:case-detail", args=[order_case.pk]))

    assert badge_after(html, "CASE_DURATION") is True
    assert badge_after(html, "SEARCH_START") is False
    assert "审限规定（法释〔2000〕29号）第5条" in html


def test_the_rest_clock_basis_carries_the_flag(issue_order, case_supervisor):
    from rest_framework.test import APIClient

    order = issue_order()
    client = APIClient()
    client.force_authenticate(User.objects.get(pk=case_supervisor.pk))

    body = client.get(f"/api/v1/orders/{order.pk}/").json()

    assert body["response_deadline"]["basis"] == "322号 第28条"
    assert body["response_deadline"]["basis_verified"] is True


def test_an_admin_confirming_a_rule_removes_the_badge_and_history_records_who(handler):
    admin = User.objects.create_superuser("legal_admin", "legal@example.com", "x")
    rule = DeadlineRule.objects.get(code="CASE_DURATION")
    data = {
        f.name: getattr(rule, f.name)
        for f in DeadlineRule._meta.concrete_fields
        if f.name not in ("id", "code")
    }
    data = {k: ("" if v is None else v) for k, v in data.items() if v is not False}
    data["variants"] = json.dumps(rule.variants)
    data["verified"] = "on"
    client = Client()
    client.force_login(admin)

    response = client.post(reverse("admin:core_deadlinerule_change", args=[rule.pk]), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    rule.refresh_from_db()
    assert rule.verified is True
    assert badge_after(page(handler, reverse("core:rules")), "CASE_DURATION") is False
    event = DeadlineRule.pgh_event_model.objects.filter(pgh_obj_id=rule.pk).order_by("pgh_id").last()
    assert event.verified is True
    assert event.pgh_context.metadata["user"] == admin.pk


def test_an_admin_confirming_the_code_citation_removes_its_badge(case_supervisor, order_case):
    LegalCitation.objects.filter(code="CPL_SUPERVISE_EXECUTION").update(verified=True)

    html = page(case_supervisor, reverse("supervision:order-new") + f"?case={order_case.pk}")

    basis = re.search(r'id="order-basis">(.*?)</p>', html, re.S).group(1)
    assert CPL_ORDER in basis and "未核实" not in basis
