"""Browser pages of enforcement: who may open them, what they show (masked), how
the forms place the services' refusals, and how many queries the pages cost."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Deadline, DeadlineStatus, Role
from enforcement.models import Approval, ApprovalStatus, Case, CaseStatus, ControlMeasure
from enforcement.services import assets as asset_services
from enforcement.services import closure as closure_services
from enforcement.services import measures as measure_services
from enforcement.services import property_clues as property_clue_services
from tests.conftest import at
from tests.core.factories import make_member
from tests.enforcement.factories import make_case, org_code, person_id

APPLICANT_ID = person_id()
RESPONDENT_CODE = org_code()


def field_block(html: str, name: str) -> str:
    """The markup of one form field (label, input, its errors)."""
    match = re.search(rf'<div class="field[^"]*" data-field="{re.escape(name)}">(.*?)\n</div>', html, re.S)
    assert match, f"no field {name}"
    return match.group(1)


def detail_url(case) -> str:
    return reverse("enforcement:case-detail", kwargs={"case_id": case.pk})


def action_url(case, action, obj=None) -> str:
    if obj is None:
        return reverse("enforcement:case-action", kwargs={"case_id": case.pk, "action": action})
    return reverse("enforcement:case-object-action", kwargs={"case_id": case.pk, "action": action, "obj_id": obj.pk})


def local_input(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def found_deposit(case, actor, value="50000.00"):
    search = asset_services.search_launch(
        actor=actor, case=case, channel="online", category_codes=None, launched_at=at("2026-10-09 09:00")
    )
    [asset] = asset_services.search_record_feedback(
        actor=actor, search=search, received_at=at("2026-10-12 15:00"),
        findings=[asset_services.FindingInput("bank_deposit", "工商银行账户", Decimal(value), False)],
    )
    return asset


# --- access ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["enforcement:case-list", "enforcement:case-new", "enforcement:approvals"])
def test_anonymous_is_sent_to_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_anonymous_case_detail_and_actions_go_to_login(client, case):
    for response in (client.get(detail_url(case)), client.post(action_url(case, "notice"), {})):
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert Case.objects.get(pk=case.pk).notice_served_at is None


def test_sibling_court_gets_404_on_anothers_case(client, courts, case):
    sibling = make_member(Role.CLERK, courts.lu0103, "sibling_clerk")
    client.force_login(sibling)
    assert client.get(detail_url(case)).status_code == 404
    response = client.post(action_url(case, "notice"), {"served_at": "2026-10-08T10:00"})
    assert response.status_code == 404
    assert Case.objects.get(pk=case.pk).notice_served_at is None


def test_approval_queue_is_for_approvers_only(client, clerk, bureau_head):
    client.force_login(clerk)
    assert client.get(reverse("enforcement:approvals")).status_code == 403
    client.force_login(bureau_head)
    assert client.get(reverse("enforcement:approvals")).status_code == 200


def test_navigation_shows_cases_and_approvals_by_role(client, clerk, bureau_head):
    client.force_login(clerk)
    body = client.get(reverse("enforcement:case-list")).content.decode()
    assert 'href="/cases/" class="active"' in body and 'href="/cases/approvals/"' not in body
    client.force_login(bureau_head)
    body = client.get(reverse("enforcement:approvals")).content.decode()
    assert 'href="/cases/approvals/" class="active"' in body and 'href="/cases/" class=""' in body


# --- list -----------------------------------------------------------------------------------


def test_list_shows_only_visible_cases_and_filters(client, courts, clerk, handler):
    mine = make_case(clerk, courts.lu0102, handler=handler)
    other_clerk = make_member(Role.CLERK, courts.lu0103, "clerk_0103")
    theirs = make_case(other_clerk, courts.lu0103, number="(2026)鲁0103执7号")
    client.force_login(clerk)
    body = client.get(reverse("enforcement:case-list")).content.decode()
    assert mine.case_number in body and theirs.case_number not in body
    assert "超期" in body  # SEARCH_START from 30 Sep ran out long ago

    # search by number with full-width brackets, and by party name
    for q in ("（2026）鲁0102执1001号", "某某公司"):
        response = client.get(reverse("enforcement:case-list"), {"q": q})
        assert [c.pk for c in response.context["page"].object_list] == [mine.pk]
    response = client.get(reverse("enforcement:case-list"), {"status": "closed"})
    assert list(response.context["page"].object_list) == []
    response = client.get(reverse("enforcement:case-list"), {"overdue": "no"})
    assert list(response.context["page"].object_list) == []
    response = client.get(reverse("enforcement:case-list"), {"handler": handler.username, "overdue": "yes"})
    assert [c.pk for c in response.context["page"].object_list] == [mine.pk]

    # a supervisor of the intermediate court sees both basic courts
    supervisor = make_member(Role.CASE_SUPERVISOR, courts.lu01, "sup")
    client.force_login(supervisor)
    body = client.get(reverse("enforcement:case-list")).content.decode()
    assert mine.case_number in body and theirs.case_number in body
    assert "收案登记" not in body  # supervisors watch; they do not register


def test_list_htmx_request_returns_only_the_table(client, clerk, case):
    client.force_login(clerk)
    response = client.get(reverse("enforcement:case-list"), {"q": "1001"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.startswith('<div id="case-table"') and "<html" not in body
    assert case.case_number in body
    assert "HX-Request" in response["Vary"]


def test_list_query_count_does_not_grow_with_rows(client, courts, clerk, handler, django_assert_max_num_queries):
    for i in range(3):
        make_case(clerk, courts.lu0102, number=f"(2026)鲁0102执{100 + i}号", handler=handler)
    client.force_login(clerk)
    # 12: the page's ten, and the parties' names (申请执行人, 被执行人) in one query each;
    # +4: the navigation's counts — one COUNT per work source of the role, the 待办 total, API token (issue 16)
    with django_assert_max_num_queries(18) as few:  # +1 the bell's unread COUNT (issue 16); +1 一案双查待办
        client.get(reverse("enforcement:case-list"))
    for i in range(25):
        make_case(clerk, courts.lu0102, number=f"(2026)鲁0102执{200 + i}号", handler=handler)
    with django_assert_max_num_queries(18) as many:  # +1 the bell's unread COUNT (issue 16); +1 一案双查待办
        response = client.get(reverse("enforcement:case-list"))
    assert len(response.context["page"].object_list) == 28
    assert len(many.captured_queries) == len(few.captured_queries)


# --- registration ---------------------------------------------------------------------------


def register_data(courts, handler=None, **overrides) -> dict:
    now = timezone.localtime()
    data = {
        "case_number": "（2026）鲁0102执3001号",
        "court": str(courts.lu0102.pk),
        "filed_on": (now - dt.timedelta(days=1)).date().isoformat(),
        "received_at": local_input(now - dt.timedelta(hours=2)),
        "claim_amount": "100000",
        "costs": "1000",
        "basis_document": "(2026)鲁0102民初88号民事判决书",
        "track": "simple",
        "handler": str(handler.pk) if handler else "",
        "team": "速执团队",
        "applicants-0-kind": "person",
        "applicants-0-name": "张三",
        "applicants-0-id_number": APPLICANT_ID,
        "applicants-0-phone": "13800000000",
        "applicants-0-bank": "中国工商银行济南分行",
        "applicants-0-account_number": "6222020200112233445",
        "applicants-0-holder": "张三",
        "respondents-0-kind": "organization",
        "respondents-0-name": "某某公司",
        "respondents-0-id_number": RESPONDENT_CODE,
        "respondents-0-phone": "",
    }
    data.update(overrides)
    return data


def test_register_form_renders_with_defaults(client, courts, clerk):
    client.force_login(clerk)
    response = client.get(reverse("enforcement:case-new"))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="applicants-0-id_number"' in body and 'name="respondents-0-id_number"' in body
    assert 'type="datetime-local"' in body
    assert response.context["form"]["received_at"].value()  # defaults to now


def test_register_happy_path_creates_the_case_and_redirects(client, courts, clerk, handler):
    client.force_login(clerk)
    response = client.post(reverse("enforcement:case-new"), register_data(courts, handler))
    case = Case.objects.get(case_number="(2026)鲁0102执3001号")
    assert response.status_code == 302 and response["Location"] == detail_url(case)
    assert case.handler == handler and case.team == "速执团队" and case.costs == Decimal("1000.00")
    assert timezone.localtime(case.received_at).utcoffset() == dt.timedelta(hours=8)
    applicant = case.parties.get(role="applicant")
    assert applicant.payout_account.account_number == "6222020200112233445"
    assert case.parties.get(role="respondent").kind == "organization"
    assert set(Deadline.objects.filter(case=case).values_list("rule__code", flat=True)) == {
        "SEARCH_START", "EXECUTION_NOTICE", "CASE_DURATION"
    }
    body = client.get(response["Location"]).content.decode()
    assert "已登记" in body


def test_received_at_is_read_as_beijing_time(client, courts, clerk):
    client.force_login(clerk)
    client.post(reverse("enforcement:case-new"), register_data(courts, received_at="2026-11-02T09:30", filed_on="2026-11-01"))
    case = Case.objects.get()
    assert case.received_at == dt.datetime(2026, 11, 2, 1, 30, tzinfo=dt.UTC)


def test_register_with_a_bad_id_shows_the_error_next_to_it_and_creates_nothing(client, courts, clerk):
    client.force_login(clerk)
    bad = APPLICANT_ID[:-1] + ("0" if APPLICANT_ID[-1] != "0" else "1")
    response = client.post(reverse("enforcement:case-new"), register_data(courts, **{"applicants-0-id_number": bad}))
    assert response.status_code == 422
    assert not Case.objects.exists()
    body = response.content.decode()
    block = field_block(body, "applicants-0-id_number")
    assert 'class="field-error"' in block
    assert "校验" in block or "身份" in block
    assert 'class="field-error"' not in field_block(body, "respondents-0-id_number")
    # what was typed is kept
    assert 'value="张三"' in body and f'value="{RESPONDENT_CODE}"' in body


def test_register_errors_for_account_and_missing_applicant(client, courts, clerk):
    client.force_login(clerk)
    response = client.post(
        reverse("enforcement:case-new"), register_data(courts, **{"applicants-0-account_number": "12ab"})
    )
    assert "账号应为" in field_block(response.content.decode(), "applicants-0-account_number")

    blank_applicant = {k: "" for k in register_data(courts) if k.startswith("applicants-0-")}
    blank_applicant["applicants-0-kind"] = "person"
    response = client.post(reverse("enforcement:case-new"), register_data(courts, **blank_applicant))
    assert re.search(r'data-rows="applicants">[^<]*至少需要一名申请执行人', response.content.decode())
    assert not Case.objects.exists()


def test_register_duplicate_number_and_wrong_court_code_show_on_case_number(client, courts, clerk, case, now):
    client.force_login(clerk)
    # filed in the year its 案号 names (another year is its own refusal, issue 16), whatever today is
    response = client.post(
        reverse("enforcement:case-new"),
        register_data(courts, case_number=case.case_number, filed_on=case.filed_on.isoformat()),
    )
    assert "已存在" in field_block(response.content.decode(), "case_number")
    response = client.post(reverse("enforcement:case-new"), register_data(courts, case_number="(2026)鲁0103执1号"))
    assert "不一致" in field_block(response.content.decode(), "case_number")
    response = client.post(
        reverse("enforcement:case-new"),
        register_data(courts, received_at=local_input(now + dt.timedelta(days=2))),
    )
    assert "晚于当前时间" in field_block(response.content.decode(), "received_at")
    assert Case.objects.count() == 1


def test_register_is_not_offered_to_supervisors(client, case_supervisor):
    client.force_login(case_supervisor)
    assert client.get(reverse("enforcement:case-new")).status_code == 403


def test_party_row_endpoint_returns_the_next_row_and_button(client, clerk):
    client.force_login(clerk)
    body = client.get(reverse("enforcement:row", args=["respondent"]), {"index": 3}, HTTP_HX_REQUEST="true").content.decode()
    assert 'name="respondents-3-id_number"' in body
    assert 'id="add-respondent"' in body and 'hx-swap-oob="true"' in body and "index=4" in body
    body = client.get(reverse("enforcement:row", args=["finding"]), {"index": 3, "dom": "feedback-9"}).content.decode()
    assert 'name="findings-3-category"' in body and 'id="id_feedback-9_findings-3-category"' in body
    assert client.get(reverse("enforcement:row", args=["nope"])).status_code == 404


# --- detail ------------------------------------------------------------------------------------


def test_detail_masks_ids_phones_and_accounts(client, clerk, case):
    client.force_login(clerk)
    body = client.get(detail_url(case)).content.decode()
    assert case.case_number in body
    assert APPLICANT_ID not in body and RESPONDENT_CODE not in body
    assert "370102********" in body  # mask_id keeps 6 + 4
    assert "13800000000" not in body and "138****0000" in body
    assert "6222020200112233445" not in body and "6222***********3445" in body


def test_detail_shows_clocks_timeline_and_actions(client, clerk, case):
    client.force_login(clerk)
    response = client.get(detail_url(case))
    body = response.content.decode()
    for text in ("发起网络查控", "发出执行通知书", "执行期限", "322号 第13条", "收案（移送执行）"):
        assert text in body, text
    assert "已超期" in body  # SEARCH_START of 30 Sep
    assert "补录" in body  # case registered weeks after the node (backdated)
    assert 'id="form-search"' in body and 'id="form-notice"' in body
    assert 'id="form-resume"' not in body  # not suspended
    rows = {r["deadline"].rule.code: r for r in response.context["deadline_rows"]}
    assert rows["SEARCH_START"]["urgency"] == "overdue"


def test_detail_read_only_for_supervisors(client, case_supervisor, case):
    client.force_login(case_supervisor)
    body = client.get(detail_url(case)).content.decode()
    assert case.case_number in body and 'id="form-search"' not in body
    response = client.post(action_url(case, "notice"), {"served_at": "2026-10-08T10:00"})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).notice_served_at is None


def head_of(body: str) -> str:
    return body.split('<header class="case-head card">')[1].split("</header>")[0]


def test_the_head_carries_the_summary_and_the_actions(client, clerk, case_supervisor, case):
    """A laptop's first screen (issue 16): the number, the state, a one-line summary and
    every action of the case; the full facts in 案件信息 beside the main column."""
    client.force_login(clerk)
    body = client.get(detail_url(case)).content.decode()
    head = head_of(body)
    assert 'id="case-actions"' in head
    assert 'id="form-search"' in head and 'id="form-notice"' in head  # the case's node forms, in the head
    assert "历下区人民法院" in head and "¥100,000.00" in head
    facts = body.split('id="facts"')[1].split("</section>")[0]
    for text in ("执行依据", "(2026)鲁0102民初88号民事判决书", "执行费用", "立案日期", "2026-09-28"):
        assert text in facts, text
    assert "执行依据" not in head  # details below, not in the head
    # someone who may only look sees why, where the actions would be
    client.force_login(case_supervisor)
    head = head_of(client.get(detail_url(case)).content.decode())
    assert 'id="case-actions"' not in head and "办理事项限本院的书记员、承办人和执行局长" in head


def _busy(case, actor, n: int, day: int) -> None:
    """``n`` more of each: a search with findings, measures on them, clues, a credit measure."""
    search = asset_services.search_launch(
        actor=actor, case=case, channel="online", category_codes=None, launched_at=at(f"2026-10-{day} 09:00")
    )
    assets = asset_services.search_record_feedback(
        actor=actor, search=search, received_at=at(f"2026-10-{day} 15:00"),
        findings=[asset_services.FindingInput("vehicle", f"车辆{day}-{i}", Decimal(1000), False) for i in range(n)],
    )
    for a in assets:
        measure_services.control_create(
            actor=actor, case=case, asset=a, kind="seize_movable", amount=None, effective_at=at(f"2026-10-{day} 16:00")
        )
    for i in range(n):
        property_clue_services.property_clue_receive(actor=actor, case=case, received_at=at(f"2026-10-{day} 17:00"), description=f"线索{i}")
    respondent = case.parties.filter(role="respondent").order_by("pk")[0]
    if not case.credit_measures.exists():
        measure_services.credit_issue(
            actor=actor, case=case, party_id=respondent.pk, kind="dishonest", issued_at=at(f"2026-10-{day} 18:00")
        )


def test_detail_query_count_does_not_grow_with_the_case(client, courts, clerk, handler, django_assert_max_num_queries):
    case = make_case(clerk, courts.lu0102, handler=handler)
    client.force_login(clerk)
    # 27 + 2 (h/gateprop: the assets' transfer requests and refusals of 以物抵债) + 4 (h/coercion: the
    # 强制措施与调查措施 section's four registers) + 3 (h/gateproc: services, property reports, interviews)
    # + 2 (h/overseize: the measures' 超标的查封异议 and 分割查封 items) + 2 (with every branch merged: the
    # 补录核实 section and the citations in force the clock rows show) + 5 (h/docs: the 文书 section's credit
    # measures with their restricted persons, seizures in force, approved payments and generated documents)
    # + 4 (issue 16: the navigation's counts — the alert and 信访 sources, the 待办 total — and the API-token check)
    budget = 27 + 2 + 4 + 3 + 2 + 2 + 5 + 4 + 1 + 1  # + the bell's unread COUNT (issue 16), 一案双查待办
    with django_assert_max_num_queries(budget):  # an empty case
        client.get(detail_url(case))
    _busy(case, clerk, 1, 12)  # one of everything: every prefetch now runs
    with django_assert_max_num_queries(budget) as one:
        client.get(detail_url(case))
    _busy(case, clerk, 5, 13)
    with django_assert_max_num_queries(budget) as many:
        response = client.get(detail_url(case))
    assert len(response.context["asset_rows"]) == 6 and len(response.context["timeline"]) > 15
    assert len(many.captured_queries) == len(one.captured_queries)


# --- actions -----------------------------------------------------------------------------------


def test_serve_notice_through_the_page_stops_its_clock(client, clerk, case):
    client.force_login(clerk)
    response = client.post(action_url(case, "notice"), {"served_at": "2026-10-08T10:00"})
    assert response.status_code == 302 and response["Location"] == detail_url(case)
    case.refresh_from_db()
    assert timezone.localtime(case.notice_served_at).isoformat() == "2026-10-08T10:00:00+08:00"
    assert Deadline.objects.get(case=case, rule__code="EXECUTION_NOTICE").status == DeadlineStatus.MET
    body = client.get(detail_url(case)).content.decode()
    assert "已登记执行通知书" in body and 'id="form-notice"' not in body


def test_action_via_htmx_returns_the_case_body_with_its_message(client, clerk, case):
    client.force_login(clerk)
    response = client.post(
        action_url(case, "search"),
        {"channel": "online", "categories": ["bank_deposit", "real_estate"], "launched_at": "2026-10-09T09:00"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith('<div id="case-body"') and "<html" not in body
    assert "已发起财产查询" in body
    assert case.searches.get().categories.count() == 2


def test_freeze_without_amount_shows_the_field_error(client, clerk, case):
    asset = found_deposit(case, clerk)
    client.force_login(clerk)
    response = client.post(
        action_url(case, "control", asset), {"kind": "freeze_deposit", "amount": "", "effective_at": "2026-10-13T10:00"}
    )
    assert response.status_code == 422
    assert not ControlMeasure.objects.exists()
    body = response.content.decode()
    assert f'id="form-control-{asset.pk}" open' in body
    assert "冻结存款必须明确具体冻结数额" in field_block(body, "amount")

    # over the claim: refused at the top of the form, the limit stated
    response = client.post(
        action_url(case, "control", asset), {"kind": "freeze_deposit", "amount": "500000", "effective_at": "2026-10-13T10:00"}
    )
    assert "超标的查封" in response.content.decode() and not ControlMeasure.objects.exists()

    # with the amount it is recorded with its one-year expiry
    response = client.post(
        action_url(case, "control", asset), {"kind": "freeze_deposit", "amount": "50000", "effective_at": "2026-10-13T10:00"}
    )
    assert response.status_code == 302
    measure = ControlMeasure.objects.get()
    assert measure.expires_on == dt.date(2027, 10, 13)
    body = client.get(detail_url(case)).content.decode()
    assert 'data-expires="2027-10-13"' in body


def test_no_one_is_offered_a_direct_override_reason(client, clerk, bureau_head, case):
    """Spec §7.3: the 径行批准 input is gone, for the bureau head too."""
    asset = found_deposit(case, clerk)
    for user in (clerk, bureau_head):
        client.force_login(user)
        body = client.get(detail_url(case)).content.decode()
        assert f'id="id_control-{asset.pk}_effective_at"' in body
        assert f'id="id_control-{asset.pk}_override_reason"' not in body


def test_action_on_an_object_of_another_case_is_404(client, courts, clerk, case):
    other = make_case(clerk, courts.lu0102, number="(2026)鲁0102执1002号")
    asset = found_deposit(other, clerk)
    client.force_login(clerk)
    response = client.post(action_url(case, "control", asset), {"kind": "freeze_deposit", "amount": "1", "effective_at": "2026-10-13T10:00"})
    assert response.status_code == 404


def test_feedback_rows_map_errors_to_their_row(client, clerk, case):
    search = asset_services.search_launch(
        actor=clerk, case=case, channel="online", category_codes=None, launched_at=at("2026-10-09 09:00")
    )
    client.force_login(clerk)
    data = {
        "received_at": "2026-10-12T15:00",
        "findings-0-category": "bank_deposit", "findings-0-description": "账户", "findings-0-value": "100",
        "findings-1-category": "", "findings-1-description": "", "findings-1-value": "",
        "findings-2-category": "vehicle", "findings-2-description": "", "findings-2-value": "5",
    }
    response = client.post(action_url(case, "feedback", search), data)
    assert response.status_code == 422
    block = field_block(response.content.decode(), "findings-2-description")
    assert 'class="field-error"' in block
    data["findings-2-description"] = "鲁A12345"
    response = client.post(action_url(case, "feedback", search), data)
    assert response.status_code == 302
    assert sorted(a.category.code for a in case.assets.all()) == ["bank_deposit", "vehicle"]


def test_action_not_allowed_in_the_state_is_a_message_not_a_500(client, clerk, case):
    client.force_login(clerk)
    response = client.post(action_url(case, "resume"), {"at": "2026-10-08T10:00"})
    assert response.status_code == 422
    assert "当前状态下不允许该操作" in response.content.decode()


def test_terminating_with_unmet_conditions_lists_them(client, clerk, case):
    client.force_login(clerk)
    response = client.post(
        action_url(case, "close"), {"closure": "terminated_this_round", "closed_at": "2026-10-20T10:00", "document": ""}
    )
    assert response.status_code == 422
    body = response.content.decode()
    unmet = re.search(r'<ul class="unmet">(.*?)</ul>', body, re.S).group(1)
    for code in ("notice_not_served", "restriction_not_issued", "online_search_incomplete",
                 "filed_within_three_months", "applicant_not_interviewed", "ruling_not_issued"):
        assert f'data-code="{code}"' in unmet, code
    assert "未约谈申请执行人" in unmet
    assert Case.objects.get(pk=case.pk).status != CaseStatus.CLOSED
    assert not Approval.objects.exists()


def test_close_with_another_closure_type(client, clerk, case):
    client.force_login(clerk)
    response = client.post(
        action_url(case, "close"), {"closure": "withdrawn", "closed_at": "2026-10-20T10:00", "document": "(2026)鲁0102执1001号之一"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closure_type == "withdrawn"
    body = client.get(detail_url(case)).content.decode()
    assert 'id="form-close"' not in body and "撤回申请" in body


# --- approvals -------------------------------------------------------------------------------------


def test_extension_request_is_approved_in_the_queue(client, clerk, handler, courts, case):
    # 审限 is extended by the court president (院领导 stands for 院长), in months
    president = make_member(Role.COURT_LEADER, courts.lu0102, "president_0102")
    deadline = Deadline.objects.get(case=case, rule__code="CASE_DURATION")
    before = deadline.due_at
    client.force_login(handler)
    response = client.post(
        action_url(case, "approval-request"),
        {"kind": "extension", "deadline": str(deadline.pk), "added": "3", "reason": "财产处置需要时间"},
    )
    assert response.status_code == 302
    approval = Approval.objects.get()
    assert approval.requested_by == handler
    assert approval.payload == {"deadline": deadline.pk, "added": 3, "unit": "months"}

    client.force_login(president)
    queue = client.get(reverse("enforcement:approvals")).content.decode()
    assert case.case_number in queue and "执行期限 延长 3 月" in queue
    response = client.post(
        reverse("enforcement:approval-decide", args=[approval.pk]), {"decision": "approve", "note": "同意"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("enforcement:approvals")
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.USED and approval.decided_by == president
    deadline.refresh_from_db()
    assert deadline.due_at > before
    assert "已批准" in client.get(response["Location"]).content.decode()


def test_extension_request_needs_the_deadline_and_days(client, handler, case):
    client.force_login(handler)
    response = client.post(action_url(case, "approval-request"), {"kind": "extension", "reason": "x"})
    body = response.content.decode()
    assert response.status_code == 422
    assert "延长期限须指明期限" in field_block(body, "deadline")
    assert not Approval.objects.exists()


def test_requester_cannot_approve_their_own_request(client, bureau_head, case):
    deadline = Deadline.objects.get(case=case, rule__code="CASE_DURATION")
    approval = closure_services.approval_request(
        actor=bureau_head, case=case, kind="extension", reason="本人申请", payload={"deadline": deadline.pk, "added": 1}
    )
    client.force_login(bureau_head)
    queue = client.get(reverse("enforcement:approvals")).content.decode()
    assert "本人提出" in queue
    response = client.post(
        reverse("enforcement:approval-decide", args=[approval.pk]), {"decision": "approve"}, follow=True
    )
    assert response.status_code == 200
    assert "审批人不能审批自己提出的申请" in response.content.decode()
    assert Approval.objects.get(pk=approval.pk).status == ApprovalStatus.PENDING


def test_closure_request_by_a_clerk_goes_to_the_queue_and_is_rejected(client, courts, clerk, bureau_head, case, monkeypatch):
    # the conditions hold (checked by the service's own tests); here: the flow
    monkeypatch.setattr(closure_services, "terminated_round_unmet", lambda *a, **k: [])
    monkeypatch.setattr(closure_services, "clocks_blocking_closure", lambda *a, **k: [])  # LIFECYCLE: its own tests
    client.force_login(clerk)
    response = client.post(
        action_url(case, "close"), {"closure": "terminated_this_round", "closed_at": "2026-10-20T10:00", "document": "(2026)鲁0102执1001号之二"}
    )
    assert response.status_code == 302
    approval = Approval.objects.get(kind="closure")
    assert Case.objects.get(pk=case.pk).status != CaseStatus.CLOSED
    assert "待执行局长审批" in client.get(detail_url(case)).content.decode()

    client.force_login(bureau_head)
    body = client.get(detail_url(case)).content.decode()
    assert f'action="/cases/approvals/{approval.pk}/decide/"' in body  # the bureau head decides on the case page too
    response = client.post(
        reverse("enforcement:approval-decide", args=[approval.pk]),
        {"decision": "reject", "note": "线索未查清", "next": detail_url(case)},
    )
    assert response["Location"] == detail_url(case)
    assert Approval.objects.get(pk=approval.pk).status == ApprovalStatus.REJECTED


def test_decision_outside_scope_is_404(client, courts, bureau_head, case):
    other_head = make_member(Role.BUREAU_HEAD, courts.lu0103, "head_0103")
    deadline = Deadline.objects.get(case=case, rule__code="CASE_DURATION")
    approval = closure_services.approval_request(
        actor=bureau_head, case=case, kind="extension", reason="x", payload={"deadline": deadline.pk, "added": 1}
    )
    client.force_login(other_head)
    assert client.post(reverse("enforcement:approval-decide", args=[approval.pk]), {"decision": "approve"}).status_code == 404
    assert case.case_number not in client.get(reverse("enforcement:approvals")).content.decode()


def test_later_nodes_suspension_clues_terminate_and_restore(client, clerk, bureau_head, case, monkeypatch):
    asset = found_deposit(case, clerk)
    measure_services.control_create(
        actor=clerk, case=case, asset=asset, kind="freeze_deposit", amount=Decimal(1000), effective_at=at("2026-10-13 10:00")
    )
    clue = property_clue_services.property_clue_receive(actor=clerk, case=case, received_at=at("2026-10-14 10:00"), description="某银行账户")
    property_clue_services.property_clue_start_verification(actor=clerk, clue=clue, at=at("2026-10-14 11:00"))
    respondent = case.parties.get(role="respondent")
    measure_services.credit_issue(actor=clerk, case=case, party_id=respondent.pk, kind="restriction", issued_at=at("2026-10-15 10:00"))
    client.force_login(clerk)
    suspend = {"at": "2026-10-16T10:00", "ruling_number": "(2026)鲁0102执异2号", "approved_by": bureau_head.pk, "reason": "案外人异议"}
    assert client.post(action_url(case, "suspend"), suspend).status_code == 302
    body = client.get(detail_url(case)).content.decode()
    for form_id in ("form-resume", f"form-clue-conclude-{clue.pk}", "form-credit-release-", "form-renew-", "form-release-"):
        assert form_id in body, form_id
    assert "中止" in body and 'id="form-suspend"' not in body

    response = client.post(
        action_url(case, "clue-conclude", clue), {"at": "2026-10-17T10:00", "true": "false", "note": "查无此账户"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "已登记线索核查结果" in response.content.decode()
    assert client.post(action_url(case, "resume"), {"at": "2026-10-18T10:00"}).status_code == 302
    assert Case.objects.get(pk=case.pk).status == CaseStatus.EXECUTING

    # the bureau head closes a 终本 at once (the conditions are the service's to test)
    monkeypatch.setattr(closure_services, "terminated_round_unmet", lambda *a, **k: [])
    monkeypatch.setattr(closure_services, "clocks_blocking_closure", lambda *a, **k: [])  # LIFECYCLE: its own tests
    client.force_login(bureau_head)
    response = client.post(
        action_url(case, "close"), {"closure": "terminated_this_round", "closed_at": "2026-10-20T10:00", "document": "(2026)鲁0102执1001号之一"}
    )
    assert response.status_code == 302
    # gate: gateproc — the ruling is made (closing); served on every party from the page, the case closes
    body = client.get(detail_url(case)).content.decode()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CLOSING and 'id="form-service"' in body
    for party in case.parties.order_by("id"):
        response = client.post(action_url(case, "service"), {"party": party.pk, "document": "terminated_ruling",
                                                              "method": "direct", "served_at": "2026-10-20T11:00"})
        assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CLOSED
    body = client.get(detail_url(case)).content.decode()
    assert 'id="form-restore"' in body and 'id="form-search"' in body  # the periodic re-search stays possible
    response = client.post(
        action_url(case, "restore"), {"case_number": "(2026)鲁0102执恢1号", "received_at": "2026-11-20T10:00", "reason": "发现新财产"}
    )
    restored = Case.objects.get(case_number="(2026)鲁0102执恢1号")
    assert response.status_code == 302 and response["Location"] == detail_url(restored)
    assert "恢复执行前案" in client.get(response["Location"]).content.decode()


def test_disposal_from_the_case_page(client, clerk, case, bureau_head):
    """seize → reference price → auction → sold, each from its own form."""
    from enforcement.models import Disposal, SelfDisposal
    from enforcement.services import assets as asset_services
    from enforcement.services import measures as measure_services
    from tests.conftest import at

    search = asset_services.search_launch(actor=clerk, case=case, channel="online", category_codes=None, launched_at=at("2026-10-09 09:00"))
    car, house = asset_services.search_record_feedback(actor=clerk, search=search, received_at=at("2026-10-10 09:00"), findings=[
        # values known (spec §7.1: an unknown value is never counted as zero), within the limit
        asset_services.FindingInput(category="vehicle", description="小型轿车", value=Decimal("30000.00")),
        asset_services.FindingInput(category="real_estate", description="住宅", value=Decimal("80000.00")),
    ])
    for asset, kind in ((car, "seize_movable"), (house, "seize_real_estate")):
        measure_services.control_create(actor=clerk, case=case, asset=asset, kind=kind, amount=None, effective_at=at("2026-10-12 09:00"))
    client.force_login(clerk)
    page = client.get(detail_url(case)).content.decode()
    assert action_url(case, "disposal-start", car) in page and action_url(case, "self-disposal", house) in page

    assert client.post(action_url(case, "disposal-start", car), {"method": "online_inquiry", "at": "2026-10-15T10:00"}).status_code == 302
    disposal = Disposal.objects.get(asset=car)
    bad = client.post(action_url(case, "disposal-price", disposal), {"price": "12.345", "at": "2026-10-16T10:00"})
    assert bad.status_code == 422 and Disposal.objects.get(pk=disposal.pk).status == "price_pending"
    assert client.post(action_url(case, "disposal-price", disposal), {"price": "60000", "at": "2026-10-16T10:00"}).status_code == 302
    assert client.post(action_url(case, "disposal-auction", disposal), {"platform": "网络司法拍卖", "at": "2026-10-20T10:00"}).status_code == 302
    assert client.post(action_url(case, "disposal-conclude", disposal), {"sold": "true", "amount": "58000", "at": "2026-11-10T10:00"}).status_code == 302
    disposal.refresh_from_db()
    assert (disposal.status, str(disposal.sale_amount)) == ("sold", "58000.00")

    too_long = client.post(action_url(case, "self-disposal", house), {"days": "91", "at": "2026-10-15T10:00"})
    assert too_long.status_code == 422 and not SelfDisposal.objects.exists()
    assert client.post(action_url(case, "self-disposal", house), {"days": "60", "at": "2026-10-15T10:00"}).status_code == 302
    sd = SelfDisposal.objects.get()
    assert client.post(action_url(case, "self-disposal-conclude", sd), {"sold": "false", "at": "2026-11-15T10:00"}).status_code == 302
    sd.refresh_from_db()
    assert sd.status == "revoked"
    assert "被执行人自行处置" in client.get(detail_url(case)).content.decode()
