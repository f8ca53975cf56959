"""The case list names each case's parties (issue 16): 申请执行人 and 被执行人, names only
(a person's masked as everywhere a list shows them, an organisation's whole; never an ID
or a phone number), the first two of each side and how many there are; fetched for the
whole page at once, not one query per row."""

import re

import pytest

from core.models import Role
from tests.core.factories import make_member
from tests.enforcement.factories import make_case, make_crowded_case, person_id

pytestmark = pytest.mark.django_db

LIST = "/cases/"


def many_parties_case(clerk, court, number="(2026)鲁0102执5001号"):
    return make_crowded_case(clerk, court, number, claim="2345678.90")


def row_of(html: str, number: str) -> str:
    match = re.search(rf"<tr>\s*<td><a [^>]*>{re.escape(number)}</a></td>(.*?)</tr>", html, re.S)
    assert match, number
    return match.group(1)


def cell(row: str, role: str) -> str:
    match = re.search(rf'<td class="parties" data-role="{role}">(.*?)</td>', row, re.S)
    assert match, role
    return match.group(1).strip()


def test_the_list_names_the_parties_of_each_case(client, courts, clerk):
    crowded = many_parties_case(clerk, courts.lu0102)
    plain = make_case(clerk, courts.lu0102, number="(2026)鲁0102执5002号")
    client.force_login(clerk)

    html = client.get(LIST).content.decode()

    assert "<th>申请执行人</th><th>被执行人</th>" in html
    row = row_of(html, crowded.case_number)
    assert cell(row, "applicant") == "欧***、济南某某建设工程有限公司"
    # two names shown, and how many there are in all
    assert cell(row, "respondent") == "山东某某置业集团有限公司、李*等 3 人"
    assert '<td class="num">2,345,678.90</td>' in row  # the claim, grouped
    plain_row = row_of(html, plain.case_number)
    assert (cell(plain_row, "applicant"), cell(plain_row, "respondent")) == ("张*", "某某公司")
    # names only: no full personal name, ID or phone number of anyone on the list
    for secret in (
        "欧阳明华",
        "李四",
        "王五",
        "张三",
        person_id("37010219850101123"),
        "13900000002",
        "13800000000",
    ):
        assert secret not in html


def test_the_htmx_table_carries_the_parties_too(client, courts, clerk):
    crowded = many_parties_case(clerk, courts.lu0102)
    client.force_login(clerk)

    body = client.get(LIST, {"q": "置业"}, HTTP_HX_REQUEST="true").content.decode()

    assert body.startswith('<div id="case-table"')
    assert cell(row_of(body, crowded.case_number), "respondent") == "山东某某置业集团有限公司、李*等 3 人"


def test_a_search_by_a_party_finds_the_case_without_repeating_it(client, courts, clerk):
    crowded = many_parties_case(clerk, courts.lu0102)
    make_case(clerk, courts.lu0102, number="(2026)鲁0102执5003号")
    client.force_login(clerk)

    html = client.get(LIST, {"q": "某"}).content.decode()  # matches several parties of the same case

    assert html.count(f">{crowded.case_number}</a>") == 1


def test_the_parties_cost_a_fixed_number_of_queries(client, courts, clerk, django_assert_max_num_queries):
    many_parties_case(clerk, courts.lu0102)
    client.force_login(clerk)
    with django_assert_max_num_queries(18) as one:  # +1 the bell, +4 the navigation's counts (issue 16); +1 一案双查待办
        client.get(LIST)
    for n in range(12):
        many_parties_case(clerk, courts.lu0102, number=f"(2026)鲁0102执{6000 + n}号")
    with django_assert_max_num_queries(18) as thirteen:  # +1 the bell, +4 the navigation's counts (issue 16); +1 一案双查待办
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == 13
    assert len(thirteen.captured_queries) == len(one.captured_queries)


def test_another_courts_parties_are_not_listed(client, courts, clerk):
    other_clerk = make_member(Role.CLERK, courts.lu0103, "clerk_lu0103")
    many_parties_case(clerk, courts.lu0102)
    client.force_login(other_clerk)

    html = client.get(LIST).content.decode()

    assert "山东某某置业集团有限公司" not in html and "(2026)鲁0102执5001号" not in html
