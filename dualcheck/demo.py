"""Demo 一案双查 clues for ``seed_demo`` (runs after the supervision demo, whose
flagged petition becomes a clue). 济南中院 (鲁01) handles them; the cases are
历下区法院 (鲁0102) cases and the officer concerned is its demo 承办人.

1. just registered from the flagged petition (待筛选);
2. from 司法巡查, waiting for the joint meeting (待联席会议);
3. referred to 鲁0102, the joint team is writing its report (调查中, a draft);
4. report submitted, waiting for 鲁01's review (报告待审查);
5. concluded with dispositions, fed back and closed (已办结).
Everything goes through the services, dated days to months before now (so it
works on any day) inside ``historical_import``. Idempotent: nothing is made when
鲁01 already has clues."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from core.exceptions import ApplicationError
from core.models import Court, Department, Role, User
from core.services.events import historical_import
from dualcheck.models import Clue, ClueSource, ConclusionFinding, DispositionKind, ReviewDecision
from dualcheck.services import clues as s_clues
from dualcheck.services import investigation as s_inv
from dualcheck.services import outcome as s_out
from enforcement.models import Case, CaseStatus
from supervision.models import Petition


def _member(court: Court, role: str) -> User | None:
    return (
        User.objects.filter(
            memberships__court=court, memberships__role=role, memberships__revoked_at__isnull=True
        )
        .order_by("pk")
        .first()
    )


def seed() -> int:
    upper = Court.objects.filter(code="鲁01").first()
    lower = Court.objects.filter(code="鲁0102").first()
    if upper is None or lower is None or Clue.objects.filter(court=upper).exists():
        return 0
    people = {
        "wg": _member(upper, Role.CASE_SUPERVISOR),
        "head": _member(upper, Role.BUREAU_HEAD),
        "inspector": _member(upper, Role.INSPECTOR),
        "lower_head": _member(lower, Role.BUREAU_HEAD),
        "lower_inspector": _member(lower, Role.INSPECTOR),
        "officer": _member(lower, Role.HANDLER),
    }
    if None in people.values():
        return 0
    cases = list(Case.objects.filter(court=lower).exclude(status=CaseStatus.CLOSED).order_by("pk")[:4])
    if len(cases) < 4:
        return 0
    created = 0
    with historical_import():
        for plan in (_from_petition, _pending_meeting, _investigating, _reported, _closed):
            try:
                with transaction.atomic():
                    created += plan(upper, lower, people, cases)
            except ApplicationError:
                continue  # e.g. a clock running into a year whose calendar is not loaded
    return created


def _ago(days: int, hour: int = 10) -> dt.datetime:
    moment = timezone.localtime() - dt.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


QUARTERS = "一二三四"


def _last_quarter() -> str:
    """The quarter before this one, as an inspection report names it: 2026年第三季度."""
    today = timezone.localdate()
    year, quarter = today.year, (today.month - 1) // 3  # 0-based index of the last one
    if quarter == 0:
        year, quarter = year - 1, 4
    return f"{year}年第{QUARTERS[quarter - 1]}季度"


def _officer(lower: Court, people: dict) -> list[dict]:
    return [{"name": str(people["officer"]), "court": lower, "user": people["officer"], "position": "承办人"}]


def _register(upper, lower, people, case, *, days: int, source=ClueSource.LETTERS_VISITS, **extra) -> Clue:
    data = {
        "actor": people["wg"],
        "court": upper,
        "source": source,
        "summary": "反映案件立案后长期未采取有效执行措施，被执行人名下车辆未查封。",
        "officer_allegation": "反映承办人与被执行人存在不正当接触。",
        "complainant_name": "王建国",
        "complainant_phone": "13905310000",
        "cases": [case],
        "officers": _officer(lower, people),
        "received_at": _ago(days),
    }
    data.update(extra)
    return s_clues.clue_register(**data)


def _from_petition(upper, lower, people, cases) -> int:
    petition = Petition.objects.filter(
        court=lower, dualcheck_flagged_at__isnull=False, dualcheck_clue_id__isnull=True
    ).first()
    if petition is None:
        return 0
    s_clues.clue_register_from_petition(actor=people["wg"], petition_id=petition.pk)
    return 1


def _pending_meeting(upper, lower, people, cases) -> int:
    _register(
        upper,
        lower,
        people,
        cases[0],
        days=6,
        source=ClueSource.INSPECTION,
        source_detail=f"{_last_quarter()}审务督察发现",
        summary="审务督察发现该案财产查控节点录入时间晚于实际操作时间，疑似补录。",
        officer_allegation="",
        complainant_name="",
        complainant_phone="",
        officers=[],
    )
    return 1


def _launch_and_refer(clue, upper, lower, people, *, days_ago: int, report_days: int) -> Clue:
    s_clues.clue_screen(
        actor=people["wg"], clue=clue, proceed=True, opinion="线索具体，建议提请审核。", at=_ago(days_ago, 11)
    )
    s_clues.clue_approve(
        actor=people["head"], clue=clue, approved=True, opinion="同意提交联席会议。", at=_ago(days_ago, 15)
    )
    s_clues.clue_decide(
        actor=people["inspector"],
        clue=clue,
        launch=True,
        participants=[people["head"], people["inspector"]],
        minutes="执行局与监察室联席会议研究，决定启动一案双查。",
        held_at=_ago(days_ago - 1, 9),
    )
    s_clues.clue_refer(
        actor=people["head"],
        clue=clue,
        mode="refer",
        target_court=lower,
        report_days=report_days,
        instructions="请立即组成执行、监察联合调查组，全面检查案件办理及干警履职情况，按期上报调查报告。",
        referred_at=_ago(days_ago - 1, 16),
    )
    s_inv.team_form(
        actor=people["lower_head"],
        clue=clue,
        members=[
            {"user": people["lower_head"], "department": Department.EXECUTION, "is_leader": True},
            {"user": people["lower_inspector"], "department": Department.SUPERVISION},
        ],
        formed_at=_ago(days_ago - 2, 10),
    )
    clue.refresh_from_db()
    return clue


def _investigating(upper, lower, people, cases) -> int:
    clue = _register(upper, lower, people, cases[1], days=12)
    clue = _launch_and_refer(clue, upper, lower, people, days_ago=11, report_days=30)
    s_inv.team_record_work(
        actor=people["lower_inspector"],
        clue=clue,
        methods=["file_review", "system_check"],
        scope=["procedure", "passive"],
    )
    s_inv.report_save(
        actor=people["lower_inspector"],
        clue=clue,
        process="调取案卷一宗，核查执行案件流程管理系统节点记录。",
        facts="",
    )
    return 1


def _report_parts(clue) -> dict:
    officer = clue.officers.first()
    return {
        "process": "调取案卷、系统检查节点记录，听取申请执行人意见，约谈承办人及执行局负责人。",
        "facts": "立案后 40 日内未发起网络查控；被执行人名下车辆于查询后 20 日方予查封。",
        "analysis": "承办人未在规定期限内采取控制措施，属于消极执行；执行局对节点超期监管不到位。",
        "opinion": "建议督促限期办理，对执行局予以通报。",
        "officer_conduct": "经谈话及调查，未发现承办人与被执行人不正当接触的证据。",
        "officer_findings": [
            {"officer": officer.pk, "result": "unsubstantiated", "detail": "反映问题经查不实。"}
        ]
        if officer
        else [],
    }


def _reported(upper, lower, people, cases) -> int:
    clue = _register(upper, lower, people, cases[2], days=40)
    clue = _launch_and_refer(clue, upper, lower, people, days_ago=38, report_days=30)
    s_inv.team_record_work(
        actor=people["lower_inspector"],
        clue=clue,
        methods=["file_review", "system_check", "hearing_parties", "internal_interview"],
        scope=["procedure", "passive", "discipline"],
    )
    s_inv.report_submit(
        actor=people["lower_inspector"], clue=clue, submitted_at=_ago(8), **_report_parts(clue)
    )
    return 1


def _closed(upper, lower, people, cases) -> int:
    clue = _register(upper, lower, people, cases[3], days=90)
    clue = _launch_and_refer(clue, upper, lower, people, days_ago=88, report_days=30)
    s_inv.team_record_work(
        actor=people["lower_inspector"],
        clue=clue,
        methods=["file_review", "internal_interview"],
        scope=["passive"],
    )
    s_inv.report_submit(
        actor=people["lower_inspector"], clue=clue, submitted_at=_ago(65), **_report_parts(clue)
    )
    s_inv.clue_review(
        actor=people["head"],
        clue=clue,
        decision=ReviewDecision.ACCEPT,
        opinion="报告事实清楚，予以采纳。",
        reviewed_at=_ago(60),
    )
    s_out.clue_conclude(
        actor=people["inspector"],
        clue=clue,
        finding=ConclusionFinding.PARTLY,
        summary="反映的消极执行问题属实；反映的干警不正当接触问题不实。",
        participants=[people["head"], people["inspector"]],
        minutes="联席会议会商，形成检查结论。",
        dispositions=[
            {
                "kind": DispositionKind.DEADLINE_ORDER,
                "detail": "督促历下区法院十五日内对被执行人名下车辆采取处置措施。",
                "target_court": lower,
                "due_date": timezone.localdate() - dt.timedelta(days=40),
            },
            {
                "kind": DispositionKind.NOTIFICATION,
                "detail": "对历下区法院执行局节点超期问题予以通报。",
                "target_court": lower,
            },
        ],
        held_at=_ago(58),
    )
    s_out.clue_feedback(
        actor=people["inspector"],
        clue=clue,
        method="phone",
        content="已电话告知反映人检查结果并做好解释疏导。",
        fed_back_at=_ago(55),
    )
    s_out.clue_close(actor=people["inspector"], clue=clue, closed_at=_ago(54))
    return 1
