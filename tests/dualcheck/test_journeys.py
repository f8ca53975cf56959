"""一案双查 end to end in headless Chromium, each person in a browser context of
their own, signed in through the login form.

1. The upper court (济南中院 鲁01): a petition about a 鲁0102 case, flagged
   转一案双查, is made a clue from the board (立为线索) → the working group screens →
   the head of execution approves → the joint meeting (refused first with people of
   one department only, the error next to 参会人员) decides to launch → referred to
   历下区法院 (鲁0102) with a report period → (the team reports, through the
   services) → review orders a supplementary investigation → (the supplementary
   report) → review accepts → the joint meeting concludes with a 督促限期办理 and a
   违纪行为处分 naming the officer → feedback led by the supervision department →
   closed; the conclusion prints as a PDF and the statistics count the clue.
2. The lower court (历下区法院 鲁0102): the head forms the joint team (refused with
   execution people only) → a member writes the report in the editor: a draft kept
   across a reload, a submission refused next to the missing part with the text
   kept, then complete with the officer finding, methods and an attachment →
   报告待审查, the editor no longer offered; the officer concerned (the case's
   承办人) gets 404 on the clue and sees only "该案存在一案双查审查" on the case.

Screenshots: test-artifacts/dualcheck-journey-*.png (tests.browser.screenshot)."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from core.calendar import WorkingCalendar, local_date
from core.models import Deadline
from dualcheck.models import (
    Clue,
    ClueStatus,
    ConfidentialRead,
    Disposition,
    DispositionKind,
    Report,
    ReportAttachment,
    ReportStatus,
)
from dualcheck.services import investigation as s_inv
from supervision.models import PetitionChannel
from supervision.services.petitions import petition_flag_dualcheck, petition_receive, petition_register
from tests.browser import screenshot
from tests.conftest import at
from tests.dualcheck.factories import advance, form_team, register
from tests.dualcheck.journey_helpers import (
    Actors,
    field_errors,
    flash,
    main_nav,
    nav_labels,
    open_clue,
    path_of,
    status_badge,
    step_form,
    submit,
)

# date sensitive: the clue's steps happen today, its report period runs from today
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.date_sensitive]

CASE_NUMBER = "(2026)鲁0102执1001号"  # tests.enforcement.conftest.make_case
PETITION_TEXT = "申请执行人张三反映：案件立案后三个月未采取任何执行措施，承办人还接受被执行人宴请。"
FLAG_REASON = "反映消极执行并涉及承办人违纪，转一案双查。"
ALLEGATION = "反映承办人李承办接受被执行人宴请。"
OFFICER_NAME = "李承办"


@pytest.fixture
def actors(browser, live_server):
    people = Actors(browser, live_server.url)
    yield people
    people.close()


def flagged_petition(dc):
    """A petition about the 鲁0102 case, received and registered at 鲁0102 and
    flagged 转一案双查线索 by its head of execution."""
    petition = petition_receive(
        actor=dc.clerk,
        court=dc.courts.lu0102,
        channel=PetitionChannel.VISIT,
        petitioner_name="张三",
        petitioner_phone="13800000000",
        content=PETITION_TEXT,
        case=dc.case,
        # a week after the case's receipt (tests.enforcement.conftest.make_case), weeks
        # before the suite's today (tests/conftest.py)
        received_at=at("2026-10-09 09:00"),
    )
    petition = petition_register(actor=dc.clerk, petition=petition)
    return petition_flag_dualcheck(actor=dc.lower_head, petition=petition, reason=FLAG_REASON)


def record_officer_concerned(dc, clue):
    """The handling court's supervision department names the officer the petition
    complains about (a clue made in one click from a petition carries none)."""
    from dualcheck.services.clues import clue_record_officers

    clue_record_officers(
        actor=dc.inspector,
        clue=clue,
        officers=[
            {"name": OFFICER_NAME, "court": dc.courts.lu0102, "user": dc.officer, "position": "承办人"}
        ],
        officer_allegation=ALLEGATION,
    )


def team_reports(dc, clue, *, facts: str):
    """The joint team of 鲁0102 submits this round's report (through the services)."""
    officer = clue.officers.get()
    s_inv.team_record_work(
        actor=dc.lower_inspector,
        clue=clue,
        methods=["file_review", "system_check"],
        scope=["passive", "discipline"],
    )
    s_inv.report_submit(
        actor=dc.lower_inspector,
        clue=clue,
        process="调取卷宗、系统检查、约谈承办人。",
        facts=facts,
        analysis="构成消极执行。",
        opinion="建议督促限期办理，移送监察室处理承办人。",
        officer_conduct="承办人接受宴请属实。",
        officer_findings=[{"officer": officer.pk, "result": "substantiated", "detail": "接受宴请一次。"}],
    )
    clue.refresh_from_db()


# --- 1. the upper court ------------------------------------------------------------------------


def test_inspector_journey_from_petition_to_closed(actors, dc):
    courts = dc.courts
    petition = flagged_petition(dc)

    # --- the working group of 鲁01 finds the petition on the board and takes it up ---------------
    # (the working group: a clue the supervision department registers skips screening, §4)
    group = actors(dc.working_group)
    main_nav(group, "一案双查")
    assert path_of(group) == "/dualcheck/"
    expect(group.locator("h1")).to_have_text("一案双查")
    row = group.locator(f'#flagged-petitions tr[data-petition="{petition.pk}"]')
    expect(row).to_contain_text(CASE_NUMBER)
    expect(row).to_contain_text(FLAG_REASON)
    expect(row).to_contain_text("历下区人民法院")
    expect(row.get_by_role("button", name="立为线索")).to_be_visible()
    screenshot(group, "dualcheck-journey-1-01-board-flagged-petition")
    with group.expect_navigation():
        row.get_by_role("link", name=petition.number).click()
    assert path_of(group) == f"/supervision/petitions/{petition.pk}/"
    section = group.locator("#dualcheck")
    expect(section).to_contain_text(FLAG_REASON)
    expect(section).to_contain_text("由济南市中级人民法院受理")
    submit(group, section, "立为一案双查线索")

    clue = Clue.objects.get(petition_id=petition.pk)
    assert (clue.court, clue.status) == (courts.lu01, ClueStatus.RECEIVED)
    assert path_of(group) == f"/dualcheck/{clue.pk}/"
    expect(group.locator("h1")).to_have_text(clue.number)
    assert re.fullmatch(r"鲁01双查〔\d{4}〕1号", clue.number)
    expect(flash(group)).to_contain_text(f"已立为一案双查线索 {clue.number}（待筛选）")
    expect(status_badge(group)).to_have_text("待筛选")
    expect(group.locator("header.case-head")).to_contain_text("人民群众来信来访")
    expect(group.locator("header.case-head")).to_contain_text(PETITION_TEXT)
    expect(group.locator("#cases")).to_contain_text(CASE_NUMBER)
    screenshot(group, "dualcheck-journey-1-02-clue-registered")

    # the petition now points at its clue, and the board no longer offers it
    group.goto(reverse("supervision:petition-detail", args=[petition.pk]))
    expect(group.locator("#dualcheck-clue-link")).to_have_attribute("href", f"/dualcheck/{clue.pk}/")
    expect(group.locator("#dualcheck-register")).to_have_count(0)
    main_nav(group, "一案双查")
    expect(group.locator("#flagged-petitions")).to_have_count(0)
    card = group.locator(f'#board section[data-stage="received"] article[data-clue="{clue.pk}"]')
    expect(card).to_contain_text(clue.number)
    expect(card).to_contain_text(CASE_NUMBER)

    record_officer_concerned(dc, clue)

    # --- the working group screens (from the board's card) -------------------------------------
    with group.expect_navigation():
        card.locator("a.number").click()
    assert path_of(group) == f"/dualcheck/{clue.pk}/"
    form = step_form(group, "screen")
    expect(form.locator('input[name=proceed][value="1"]')).to_be_checked()
    form.locator("textarea[name=opinion]").fill("线索具体，涉及消极执行和干警违纪，建议提请审核。")
    submit(group, form, "提交筛选意见")
    expect(flash(group)).to_contain_text("已记录筛选意见。")
    expect(status_badge(group)).to_have_text("待负责人审核")
    # the working group (执行指挥中心) sees that officer content exists, never the content
    expect(group.locator("#restricted")).to_be_visible()
    expect(group.locator("#confidential")).to_have_count(0)
    expect(group.locator("main")).not_to_contain_text(OFFICER_NAME)
    expect(group.locator("main")).not_to_contain_text(ALLEGATION)

    # --- the head of execution approves --------------------------------------------------------
    head = actors(dc.head)
    open_clue(head, clue)
    expect(head.locator("details#form-screen")).to_have_count(0)
    form = step_form(head, "approve")
    form.locator("textarea[name=opinion]").fill("同意提交联席会议研究。")
    submit(head, form, "提交审核意见")
    expect(flash(head)).to_contain_text("已记录审核意见。")
    expect(status_badge(head)).to_have_text("待联席会议")
    expect(head.locator("#screening")).to_contain_text("线索具体，涉及消极执行和干警违纪，建议提请审核。")
    expect(head.locator("#restricted")).to_be_visible()
    expect(head.locator("main")).not_to_contain_text(OFFICER_NAME)

    # --- the joint meeting: one department only is refused, next to 参会人员 ----------------------
    inspector = actors(dc.inspector)
    open_clue(inspector, clue)
    expect(inspector.locator("#confidential #officers")).to_contain_text(OFFICER_NAME)
    expect(inspector.locator("#confidential #allegation")).to_have_text(ALLEGATION)
    form = step_form(inspector, "decide")
    minutes = "执行局、监察室联席会议研究，决定启动一案双查，交历下区法院调查。"
    form.locator(f'input[name=participants][value="{dc.head.pk}"]').check()
    form.locator(f'input[name=participants][value="{dc.working_group.pk}"]').check()
    form.locator("textarea[name=minutes]").fill(minutes)
    form.locator('input[name=launch][value="1"]').check()
    submit(inspector, form, "记录会议决定")
    form = inspector.locator("details#form-decide form")
    expect(form).to_be_visible()  # handed back open
    expect(field_errors(form, "participants")).to_have_text(
        "联席会议须由执行机构和监察机构共同参加（双查规定第四条）：请同时选择两个部门的人员。"
    )
    expect(form.locator(".field-error")).to_have_count(1)
    expect(form.locator("textarea[name=minutes]")).to_have_value(minutes)
    expect(form.locator(f'input[name=participants][value="{dc.head.pk}"]')).to_be_checked()
    expect(status_badge(inspector)).to_have_text("待联席会议")
    clue.refresh_from_db()
    assert clue.status == ClueStatus.PENDING_MEETING and not clue.meetings.exists()
    screenshot(inspector, "dualcheck-journey-1-03-meeting-refused")

    form.locator(f'input[name=participants][value="{dc.inspector.pk}"]').check()
    submit(inspector, form, "记录会议决定")
    expect(flash(inspector)).to_contain_text("已记录联席会议决定。")
    expect(status_badge(inspector)).to_have_text("已启动，待交办")
    meetings = inspector.locator("#meetings")
    expect(meetings).to_contain_text("决定启动")
    expect(meetings).to_contain_text(f"{dc.inspector}（监察/督察部门）")
    expect(meetings).to_contain_text(minutes)

    # --- the referral to 鲁0102 with a report period --------------------------------------------
    open_clue(head, clue)
    form = step_form(head, "refer")
    expect(form.locator('input[name=mode][value="refer"]')).to_be_checked()
    form.locator("select[name=target_court]").select_option(str(courts.lu0102.pk))
    form.locator("input[name=report_days]").fill("30")
    form.locator("textarea[name=instructions]").fill("请组成联合调查组，30日内上报调查报告。")
    submit(head, form, "交办")
    expect(flash(head)).to_contain_text("已交办，报告期限开始计算。")
    expect(status_badge(head)).to_have_text("已交办，待组成调查组")
    clue.refresh_from_db()
    report_clock = clue.report_deadline
    assert report_clock.rule.code == "DUALCHECK_REPORT" and report_clock.duration == 30
    due = local_date(report_clock.due_at)
    # calendar days (§8); a last day that is a rest day moves to the next working day
    # (民事诉讼法 §85) — on the predicted calendar when today's next year is not loaded
    last_day = local_date(report_clock.started_at) + dt.timedelta(days=30)
    calendar = WorkingCalendar.load()
    assert due == (last_day if calendar.is_working_day(last_day) else calendar.next_working_day(last_day))
    referrals = head.locator("#referrals")
    expect(referrals).to_contain_text("历下区人民法院")
    expect(referrals).to_contain_text("交办下级法院")
    expect(referrals).to_contain_text("30 日")
    expect(head.locator("#report-clock .clock[data-clock=DUALCHECK_REPORT]")).to_have_attribute(
        "data-due", due.isoformat()
    )
    expect(head.locator("header.case-head .facts")).to_contain_text("历下区人民法院")
    screenshot(head, "dualcheck-journey-1-04-referred")

    # --- 鲁0102's team reports (services); the head orders a supplementary investigation --------
    form_team(dc, clue, actor=dc.lower_head)
    team_reports(dc, clue, facts="立案后三个月未发起网络查控。")
    assert clue.status == ClueStatus.REPORTED
    open_clue(head, clue)
    expect(status_badge(head)).to_have_text("报告待审查")
    expect(head.locator('#reports article[data-round="1"]')).to_contain_text("立案后三个月未发起网络查控。")
    # the report's officer part stays with the supervision side
    expect(head.locator("main")).not_to_contain_text("承办人接受宴请属实。")
    form = step_form(head, "review")
    form.locator('input[name=decision][value="supplement"]').check()
    form.locator("textarea[name=opinion]").fill("请补充调查被执行人财产线索的核查情况。")
    form.locator("input[name=days]").fill("15")
    submit(head, form, "提交审查决定")
    expect(flash(head)).to_contain_text("已记录审查决定。")
    expect(status_badge(head)).to_have_text("调查中")
    expect(head.locator("header.case-head")).to_contain_text("第 2 轮调查")
    expect(head.locator("#reviews")).to_contain_text("责令限期补充调查")
    expect(head.locator("#reviews")).to_contain_text("期限 15 日")
    clue.refresh_from_db()
    supplement = clue.report_deadline
    assert (supplement.rule.code, supplement.duration, clue.round) == ("DUALCHECK_SUPPLEMENT", 15, 2)
    expect(head.locator("#report-clock .clock[data-clock=DUALCHECK_SUPPLEMENT]")).to_have_attribute(
        "data-due", local_date(supplement.due_at).isoformat()
    )
    assert Deadline.objects.get(pk=report_clock.pk).completed_at is not None  # the first clock stopped
    screenshot(head, "dualcheck-journey-1-05-supplement-ordered")

    # --- after the supplementary report, the inspector accepts -----------------------------------
    team_reports(dc, clue, facts="补充查明：被执行人名下车辆一辆未查封。")
    assert (clue.status, clue.round) == (ClueStatus.REPORTED, 2)
    open_clue(inspector, clue)
    expect(inspector.locator('#reports article[data-round="2"]')).to_contain_text(
        "被执行人名下车辆一辆未查封"
    )
    expect(inspector.locator("#confidential")).to_contain_text("承办人接受宴请属实。")
    form = step_form(inspector, "review")
    form.locator('input[name=decision][value="accept"]').check()
    form.locator("textarea[name=opinion]").fill("补充调查报告事实清楚，予以采纳。")
    submit(inspector, form, "提交审查决定")
    expect(flash(inspector)).to_contain_text("已记录审查决定。")
    expect(status_badge(inspector)).to_have_text("报告已采纳，待结论")

    # --- the conclusion with two dispositions -----------------------------------------------------
    form = step_form(inspector, "conclude")
    form.locator(f'input[name=participants][value="{dc.head.pk}"]').check()
    form.locator(f'input[name=participants][value="{dc.inspector.pk}"]').check()
    form.locator("textarea[name=minutes]").fill("联席会议会商，形成检查结论。")
    form.locator('input[name=finding][value="substantiated"]').check()
    summary = "反映的消极执行问题属实，承办人接受宴请属实。"
    form.locator("textarea[name=summary]").fill(summary)
    order_due = timezone.localdate() + dt.timedelta(days=10)
    row = form.locator('fieldset[data-row="dispositions-0"]')
    row.locator("select[name=dispositions-0-kind]").select_option(DispositionKind.DEADLINE_ORDER)
    row.locator("textarea[name=dispositions-0-detail]").fill("责令十日内查封被执行人名下车辆。")
    row.locator("select[name=dispositions-0-target_court]").select_option(str(courts.lu0102.pk))
    row.locator("input[name=dispositions-0-due_date]").fill(order_due.isoformat())
    row = form.locator('fieldset[data-row="dispositions-1"]')
    row.locator("select[name=dispositions-1-kind]").select_option(DispositionKind.DISCIPLINARY)
    row.locator("textarea[name=dispositions-1-detail]").fill("承办人接受宴请，移送处理。")
    officer = clue.officers.get()
    officers = row.locator("select[name=dispositions-1-officer]")
    expect(officers.locator(f'option[value="{officer.pk}"]')).to_have_text(f"{OFFICER_NAME}（鲁0102）")
    officers.select_option(str(officer.pk))
    row.locator("input[name=dispositions-1-referred_to]").fill("历下区人民法院监察室")
    screenshot(inspector, "dualcheck-journey-1-06-conclusion-form")
    submit(inspector, form, "记录检查结论")
    expect(flash(inspector)).to_contain_text("已形成检查结论，联合调查组工作结束。")
    expect(status_badge(inspector)).to_have_text("已形成结论")
    conclusion = inspector.locator("#conclusion")
    expect(conclusion.locator("[data-finding]")).to_have_text("反映问题属实")
    expect(conclusion).to_contain_text(summary)
    public = inspector.locator('#dispositions tr[data-disposition="deadline_order"]')
    expect(public).to_contain_text("督促限期办理")
    expect(public).to_contain_text("历下区人民法院")
    expect(public).to_contain_text(order_due.isoformat())
    expect(inspector.locator("#dispositions")).not_to_contain_text("违纪")
    disciplinary = inspector.locator("#confidential #disciplinary")
    expect(disciplinary).to_contain_text(OFFICER_NAME)
    expect(disciplinary).to_contain_text("历下区人民法院监察室")
    expect(inspector.locator("#team .team.dissolved")).to_have_count(1)
    kinds = sorted(Disposition.objects.filter(conclusion__clue=clue).values_list("kind", flat=True))
    assert kinds == [DispositionKind.DEADLINE_ORDER, DispositionKind.DISCIPLINARY]
    screenshot(inspector, "dualcheck-journey-1-07-concluded")

    # the head of execution sees the conclusion and the deadline order, not the discipline
    open_clue(head, clue)
    expect(head.locator("#dispositions")).to_contain_text("督促限期办理")
    expect(head.locator("#disciplinary")).to_have_count(0)
    expect(head.locator("main")).not_to_contain_text("历下区人民法院监察室")
    expect(head.locator("main")).not_to_contain_text(OFFICER_NAME)
    # feedback on an officer allegation is the supervision department's (§10)
    expect(head.locator("details#form-feedback")).to_have_count(0)

    # --- feedback, led by the supervision department -----------------------------------------------
    open_clue(inspector, clue)
    form = step_form(inspector, "feedback")
    expect(form.locator("[data-lead]")).to_have_attribute("data-lead", "supervision")
    form.locator("select[name=method]").select_option("phone")
    form.locator("textarea[name=content]").fill("已电话告知反映人检查结果及处理情况，反映人表示认可。")
    submit(inspector, form, "记录反馈")
    expect(flash(inspector)).to_contain_text("已记录反馈。")
    expect(status_badge(inspector)).to_have_text("已反馈")
    expect(inspector.locator("#feedback")).to_contain_text("监察机构为主")
    expect(inspector.locator("#feedback")).to_contain_text("电话反馈")

    # --- closed --------------------------------------------------------------------------------
    form = step_form(inspector, "close")
    form.locator("textarea[name=note]").fill("处理意见已落实，办结。")
    submit(inspector, form, "办结线索")
    expect(flash(inspector)).to_contain_text("线索已办结。")
    expect(status_badge(inspector)).to_have_text("已办结")
    expect(inspector.locator("header.case-head")).to_contain_text("处理意见已落实，办结。")
    expect(inspector.locator("aside .actions")).to_contain_text("您在当前阶段没有可办理的事项。")
    timeline = inspector.locator("#timeline")
    for label in ("登记线索", "工作组筛选", "执行局长审核", "联席会议决定", "交办", "上报调查报告",
                  "审查调查报告", "形成检查结论", "向反映人反馈", "办结"):  # fmt: skip
        expect(timeline).to_contain_text(label)
    screenshot(inspector, "dualcheck-journey-1-08-closed")

    # --- the conclusion prints ---------------------------------------------------------------------
    link = inspector.locator("#conclusion a.pdf")
    expect(link).to_have_attribute("href", f"/dualcheck/{clue.pk}/conclusion.pdf")
    reads_before = ConfidentialRead.objects.filter(clue=clue, user=dc.inspector, via="pdf").count()
    response = inspector.request.get(link.get_attribute("href"), timeout=60_000)
    assert response.status == 200
    assert response.headers["content-type"].split(";")[0] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    # the inspector's copy carries the discipline: a recorded read
    assert (
        ConfidentialRead.objects.filter(clue=clue, user=dc.inspector, via="pdf").count() == reads_before + 1
    )

    # --- the statistics count it --------------------------------------------------------------------
    inspector.goto("/dualcheck/stats/")
    expect(inspector.locator("h1")).to_have_text("一案双查统计")
    stats = inspector.locator("#dualcheck-stats")
    for kpi, value in (
        ("total", "1"),
        ("open", "0"),
        ("closed", "1"),
        ("not_launched", "0"),
        ("dispositions", "2"),
    ):
        expect(stats.locator(f"[data-kpi={kpi}]")).to_have_text(value)
    expect(stats.locator('#table-source td[data-count="letters_visits"]')).to_have_text("1")
    expect(stats.locator('#table-source td[data-count="command_centre"]')).to_have_text("0")
    expect(stats.locator('#table-status td[data-count="closed"]')).to_have_text("1")
    expect(stats.locator('#table-status td[data-count="investigating"]')).to_have_text("0")
    expect(stats.locator('#table-disposition td[data-count="deadline_order"]')).to_have_text("1")
    expect(stats.locator('#table-disposition td[data-count="disciplinary"]')).to_have_text("1")
    expect(stats.locator('#table-finding td[data-count="substantiated"]')).to_have_text("1")
    expect(stats.locator('#table-court td[data-count="鲁01"]')).to_have_text("1")
    expect(stats.locator('#table-target td[data-count="鲁0102"]')).to_have_text("1")
    expect(stats.locator("#chart-source canvas")).to_have_count(1)
    screenshot(inspector, "dualcheck-journey-1-09-stats")

    assert actors.console.problems == []
    # the one refused joint meeting, and nothing else
    assert actors.console.refusals == [(422, f"/dualcheck/{clue.pk}/act/decide/")]


# --- 2. the lower court's joint team -------------------------------------------------------------


def test_joint_team_journey_form_team_write_and_submit_report(actors, dc):
    clue = advance(dc, register(dc), "referred")
    officer = clue.officers.get()
    assert officer.user == dc.officer == dc.case.handler

    # --- 鲁0102's head forms the team: execution people only are refused -------------------------
    head = actors(dc.lower_head)
    main_nav(head, "一案双查")
    card = head.locator(f'#board section[data-stage="referred"] article[data-clue="{clue.pk}"]')
    expect(card).to_contain_text("济南市中级人民法院 → 历下区人民法院")
    with head.expect_navigation():
        card.locator("a.number").click()
    assert path_of(head) == f"/dualcheck/{clue.pk}/"
    expect(status_badge(head)).to_have_text("已交办，待组成调查组")
    form = step_form(head, "form-team")
    form.locator(f'input[name=members][value="{dc.lower_handler2.pk}:execution"]').check()
    form.locator(f'input[name=members][value="{dc.lower_head.pk}:execution"]').check()
    form.locator("select[name=leader]").select_option(str(dc.lower_handler2.pk))
    submit(head, form, "组成调查组")
    form = head.locator("details#form-form-team form")
    expect(form).to_be_visible()
    expect(field_errors(form, "members")).to_have_text(
        "联合调查组须由执行机构和监察机构人员共同组成（双查规定第五条）：每个部门至少一人。"
    )
    expect(form.locator(f'input[name=members][value="{dc.lower_handler2.pk}:execution"]')).to_be_checked()
    expect(status_badge(head)).to_have_text("已交办，待组成调查组")
    assert not clue.teams.exists()
    screenshot(head, "dualcheck-journey-2-01-team-refused")

    form.locator(f'input[name=members][value="{dc.lower_head.pk}:execution"]').uncheck()
    form.locator(f'input[name=members][value="{dc.lower_inspector.pk}:supervision"]').check()
    submit(head, form, "组成调查组")
    expect(flash(head)).to_contain_text("联合调查组已组成。")
    expect(status_badge(head)).to_have_text("调查中")
    team = head.locator("#team")
    expect(team.locator(f'li[data-member="{dc.lower_handler2.pk}"]')).to_have_text(
        f"{dc.lower_handler2}（执行局） 组长"
    )
    expect(team.locator(f'li[data-member="{dc.lower_inspector.pk}"]')).to_have_text(
        f"{dc.lower_inspector}（监察/督察部门）"
    )
    expect(team.locator("li[data-member]")).to_have_count(2)
    # the head is not on the team: no report editor for them
    expect(head.locator("#edit-report")).to_have_count(0)
    screenshot(head, "dualcheck-journey-2-02-team-formed")

    # --- a member (鲁0102 承办人 on the team) opens the editor ---------------------------------------
    member = actors(dc.lower_handler2)
    # The board admits an active team's members (policy.can_use_dualcheck), so the
    # main navigation should offer 一案双查 to them; checked at the very end, so the
    # rest of the journey runs either way. Until then the member types the URL.
    member_nav = nav_labels(member)
    open_clue(member, clue)
    with member.expect_navigation():
        member.locator("#edit-report").click()
    assert path_of(member) == f"/dualcheck/{clue.pk}/report/"
    expect(member.locator("h1")).to_have_text(f"调查报告 · {clue.number}")
    editor = member.locator("#report-form")
    expect(member.locator('[data-confidential="allegation"]')).to_have_text(clue.officer_allegation)
    expect(member.locator("#clock .clock-panel[data-clock=DUALCHECK_REPORT]")).to_be_visible()

    process = "2026年11月调取卷宗，登录执行流程系统检查节点，约谈承办人和申请执行人。"
    facts = "立案后三个月内未发起网络查控，未采取任何强制措施。"
    editor.locator("#id_process").fill(process)
    editor.locator("#id_facts").fill(facts)
    submit(member, editor, "保存草稿")
    assert path_of(member) == f"/dualcheck/{clue.pk}/report/"
    expect(flash(member)).to_contain_text("草稿已保存。")
    member.reload()
    expect(editor.locator("#id_process")).to_have_value(process)
    expect(editor.locator("#id_facts")).to_have_value(facts)
    expect(editor.locator("#id_analysis")).to_have_value("")
    expect(member.locator("[data-report-status]")).to_contain_text("草稿")
    screenshot(member, "dualcheck-journey-2-03-draft-kept")

    # --- submitted with 处理意见 missing: refused next to it, the text kept ---------------------------
    analysis = "承办人怠于履行职责，构成消极执行。"
    editor.locator("#id_analysis").fill(analysis)
    submit(member, editor, "上报")
    assert path_of(member) == f"/dualcheck/{clue.pk}/report/"
    expect(editor.locator(".form-error")).to_contain_text("调查报告缺少：处理意见（双查规定第八条）。")
    expect(field_errors(editor, "opinion")).to_have_text("报告须包含“处理意见”。")
    for done in ("process", "facts", "analysis"):
        expect(field_errors(editor, done)).to_have_count(0)
    expect(editor.locator("#id_process")).to_have_value(process)
    expect(editor.locator("#id_facts")).to_have_value(facts)
    expect(editor.locator("#id_analysis")).to_have_value(analysis)
    # what else is still missing is marked where it belongs
    expect(field_errors(editor, "methods")).to_have_text("请记录采取的调查方式（双查规定第六条）。")
    expect(field_errors(editor, f"finding_{officer.pk}_result")).to_have_text(
        "请对每一名被反映的干警写明查明情况。"
    )
    report = Report.objects.get(clue=clue, round=1)
    assert report.status == ReportStatus.DRAFT and report.analysis == analysis  # saved, not submitted
    clue.refresh_from_db()
    assert clue.status == ClueStatus.INVESTIGATING
    screenshot(member, "dualcheck-journey-2-04-submit-refused")

    # --- everything filled in, methods ticked, a file attached, submitted ------------------------------
    editor.locator("#id_opinion").fill("建议上级法院督促限期办理，并将承办人问题移送监察室。")
    editor.locator("#id_officer_conduct").fill("承办人于2026年8月接受被执行人宴请一次。")
    editor.locator(f"#id_finding_{officer.pk}_result").select_option("substantiated")
    editor.locator(f"#id_finding_{officer.pk}_detail").fill("经约谈及调取消费记录，接受宴请一次属实。")
    for method in ("file_review", "system_check", "internal_interview"):
        editor.locator(f'input[name=methods][value="{method}"]').check()
    for item in ("passive", "discipline"):
        editor.locator(f'input[name=scope][value="{item}"]').check()
    editor.locator("#id_file").set_input_files(
        files=[
            {
                "name": "约谈笔录.txt",
                "mimeType": "text/plain",
                "buffer": "约谈笔录：承办人承认接受宴请。".encode(),
            }
        ]
    )
    submit(member, member.locator("#attachments"), "上传附件")
    expect(flash(member)).to_contain_text("附件已上传，草稿已保存。")
    attachment = ReportAttachment.objects.get(report__clue=clue)
    expect(member.locator(f'#attachments tr[data-attachment="{attachment.pk}"]')).to_contain_text(
        "约谈笔录.txt"
    )
    expect(editor.locator("#id_opinion")).to_have_value(
        "建议上级法院督促限期办理，并将承办人问题移送监察室。"
    )
    expect(editor.locator('input[name=methods][value="system_check"]')).to_be_checked()
    expect(editor.locator(f"#id_finding_{officer.pk}_result")).to_have_value("substantiated")
    expect(editor.locator(".field-error")).to_have_count(0)
    screenshot(member, "dualcheck-journey-2-05-complete")

    submit(member, editor, "上报")
    assert path_of(member) == f"/dualcheck/{clue.pk}/"
    expect(flash(member)).to_contain_text("调查报告已上报，报告期限停止计算。")
    expect(status_badge(member)).to_have_text("报告待审查")
    expect(member.locator("#edit-report")).to_have_count(0)
    submitted = member.locator('#reports article[data-round="1"]')
    expect(submitted).to_contain_text("上报于")
    expect(submitted).to_contain_text("建议上级法院督促限期办理")
    expect(member.locator("#team")).to_contain_text("内部谈话")
    expect(member.locator("#confidential #attachments")).to_contain_text("约谈笔录.txt")
    assert member.request.get(f"/dualcheck/{clue.pk}/report/").status == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.submitted_by == dc.lower_handler2
    clue.refresh_from_db()
    assert clue.status == ClueStatus.REPORTED and clue.report_deadline is None
    screenshot(member, "dualcheck-journey-2-06-reported")

    # --- the officer concerned sees only that a review exists --------------------------------------------
    concerned = actors(dc.officer)
    assert "一案双查" not in nav_labels(concerned)
    response = concerned.goto(f"/dualcheck/{clue.pk}/")
    assert response is not None and response.status == 404
    expect(concerned.locator("body")).not_to_contain_text(clue.number)
    for url in (
        f"/dualcheck/{clue.pk}/report/",
        f"/dualcheck/attachments/{attachment.pk}/",
        f"/dualcheck/{clue.pk}/report-1.pdf",
    ):
        assert concerned.request.get(url).status == 404, url
    assert concerned.request.get("/dualcheck/").status == 403
    response = concerned.goto(f"/cases/{dc.case.pk}/")
    assert response is not None and response.status == 200
    expect(concerned.locator("h1")).to_have_text(CASE_NUMBER)
    expect(concerned.locator("#dualcheck-badge")).to_have_text("该案存在一案双查审查")
    expect(concerned.locator(".dualcheck-link")).to_have_count(0)
    main = concerned.locator("main")
    for hidden in (clue.number, OFFICER_NAME, clue.officer_allegation, "约谈笔录", "接受宴请"):
        expect(main).not_to_contain_text(hidden)
    screenshot(concerned, "dualcheck-journey-2-07-officer-case-page")
    assert not ConfidentialRead.objects.filter(user=dc.officer).exists()

    assert actors.console.problems == []
    assert sorted(actors.console.refusals) == sorted(
        [
            (422, f"/dualcheck/{clue.pk}/act/form-team/"),
            (422, f"/dualcheck/{clue.pk}/report/"),
            (404, f"/dualcheck/{clue.pk}/"),
        ]
    )
    # (last, so that everything above ran) an active team's member finds the board from the menu
    assert "一案双查" in member_nav, f"a joint-team member's main navigation: {member_nav}"
