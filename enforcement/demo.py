"""Demo cases for ``seed_demo``: a few hundred cases over the demo province's basic
courts, spread over every state and over the 200 days before today, so every page
and clock has something real to show — including overdue clocks. Works on any day:
everything is dated relative to now and never after it, and a case numbered in the
year it was received (收案年度), so cases from before New Year carry last year's
number. Deterministic for a given day (a fixed random seed per court and sequence
number) and idempotent (a court's sequence number that exists, in any year, is
skipped). Everything goes through the services, as a clerk would do it."""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.calendar import WorkingCalendar
from core.exceptions import ApplicationError
from core.identity import credit_code_check_char, resident_id_check_char
from core.models import Court, Role, User
from core.services.events import historical_import
from enforcement.models import (
    Asset,
    AssetSearch,
    Case,
    CaseStatus,
    ControlKind,
    DocumentServiceMethod,
    InterviewOpinion,
    PartyRole,
    PropertyReportOutcome,
    ServedDocument,
    ServiceMethod,
)
from enforcement.services import assets as asset_services
from enforcement.services import cases as case_services
from enforcement.services import closure as closure_services
from enforcement.services import credit as credit_services
from enforcement.services import measures as measure_services
from enforcement.services import procedure as procedure_services
from enforcement.services import property_clues as property_clue_services

CASES_PER_COURT = 80
COURTS = ["鲁0102", "鲁0103", "鲁0202"]
SHANGHAI = dt.timezone(dt.timedelta(hours=8))

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"
COMPANIES = ["鲁信建材", "泉城物流", "齐鲁商贸", "海岱科技", "岱宗置业", "明湖餐饮", "琴岛船务", "黄河机械"]
KINDS_BY_CATEGORY = {
    "bank_deposit": ControlKind.FREEZE_DEPOSIT,
    "online_payment": ControlKind.FREEZE_DEPOSIT,
    "real_estate": ControlKind.SEIZE_REAL_ESTATE,
    "vehicle": ControlKind.SEIZE_MOVABLE,
    "equity": ControlKind.FREEZE_EQUITY,
    "securities": ControlKind.FREEZE_OTHER,
}
DESCRIPTIONS = {
    "bank_deposit": "中国工商银行账户存款",
    "online_payment": "第三方支付账户余额",
    "real_estate": "住宅一套",
    "vehicle": "小型轿车一辆",
    "equity": "某公司股权",
    "securities": "证券账户股票",
}


def _person_id(rng: random.Random) -> str:
    body = f"3701{rng.randint(2, 5):02d}{rng.randint(1960, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(100, 999)}"
    return body + resident_id_check_char(body)


def _org_code(rng: random.Random) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "913701" + "".join(rng.choice("0123456789") for _ in range(2)) + "".join(rng.choice(alphabet) for _ in range(9))
    return body + credit_code_check_char(body)


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.5 else "")


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=SHANGHAI)


def seed() -> int:
    """Create the demo cases that do not exist yet; returns how many were made."""
    calendar = WorkingCalendar.load()
    today = timezone.localdate()
    created = 0
    with historical_import():
        for code in COURTS:
            court = Court.objects.filter(code=code).first()
            if court is None:
                continue
            clerk = _member(court, Role.CLERK)
            handler = _member(court, Role.HANDLER)
            head = _member(court, Role.BUREAU_HEAD)
            if clerk is None or handler is None:
                continue
            for n in range(1, CASES_PER_COURT + 1):
                if Case.objects.filter(court=court, case_number__regex=rf"^\([0-9]{{4}}\){code}执{n}号$").exists():
                    continue
                rng = random.Random(f"{code}执{n}号")  # noqa: S311 - demo data; one stream per case: skipping one changes no other
                try:
                    plan = _plan(rng, today, calendar)
                    number = f"({plan['received'].year}){code}执{n}号"  # 收案年度
                    with transaction.atomic():
                        _make(rng, plan, court, number, clerk, handler, head, calendar)
                    created += 1
                except ApplicationError:
                    continue  # a plan the calendar cannot serve (a year it cannot place): skip it
    return created


def _member(court: Court, role: str) -> User | None:
    return User.objects.filter(memberships__court=court, memberships__role=role, memberships__revoked_at__isnull=True).first()


def _plan(rng: random.Random, today: dt.date, calendar: WorkingCalendar) -> dict:
    received = today - dt.timedelta(days=rng.randint(3, 200))
    while not calendar.is_working_day(received):
        received -= dt.timedelta(days=1)
    return {
        "received": received,
        "filed": received - dt.timedelta(days=rng.randint(0, 3)),
        "claim": Decimal(rng.choice([8, 15, 30, 50, 80, 120, 200, 500])) * 1000 + Decimal(rng.randint(0, 999)),
        "stage": rng.random(),
        "search_delay": rng.choice([1, 2, 3, 4, 5, 6, 8]),
        "findings": rng.choice([0, 0, 1, 2, 3]),
        "control_delay": rng.choice([0, 1, 2, 3, 5]),
        "clue": rng.random() < 0.2,
        "urgent": rng.random() < 0.4,
        "org": rng.random() < 0.6,
        "roll": rng.random(),
    }


def _make(rng, plan, court, number, clerk, handler, head, calendar) -> None:
    received = _at(plan["received"], rng.choice([9, 10, 14, 15]))
    now = timezone.now()
    applicant = _person(rng)
    respondent = (rng.choice(COMPANIES) + "有限公司") if plan["org"] else _person(rng)
    case = case_services.case_register(
        actor=clerk,
        data=case_services.CaseInput(
            case_number=number,
            court=court,
            filed_on=plan["filed"],
            received_at=received,
            claim_amount=plan["claim"],
            basis_document=f"({plan['filed'].year}){court.code}民初{rng.randint(100, 9999)}号民事判决书",
            applicants=[case_services.PartyInput(
                applicant, "person", _person_id(rng), f"13{rng.randint(100000000, 999999999)}",
                case_services.PayoutAccountInput("中国建设银行济南分行", f"6217{rng.randint(10**14, 10**15 - 1)}", applicant),
            )],
            respondents=[case_services.PartyInput(
                respondent, "organization" if plan["org"] else "person",
                _org_code(rng) if plan["org"] else _person_id(rng),
            )],
            handler=handler,
        ),
    )
    stage = plan["stage"]
    if stage < 0.12:
        return  # just received: SEARCH_START and EXECUTION_NOTICE running (some overdue)

    notice_at = _at(calendar.add_working_days(plan["received"], rng.randint(1, 6)), 11)
    if notice_at < now:
        case_services.case_serve_notice(actor=clerk, case=case, served_at=notice_at)
    search_at = _at(calendar.add_working_days(plan["received"], plan["search_delay"]), 9)
    if search_at >= now:
        return
    search = asset_services.search_launch(actor=clerk, case=case, channel="online", category_codes=None, launched_at=search_at)
    if plan["clue"]:
        clue_at = search_at + dt.timedelta(hours=3)
        property_clue_services.property_clue_receive(
            actor=clerk, case=case, received_at=clue_at, description="申请执行人反映被执行人在外地有房产",
            source="申请执行人", specific=True, urgent=plan["urgent"],
        )
    if stage < 0.25:
        return  # searched, waiting for feedback
    feedback_at = _at(calendar.add_working_days(search_at.date(), rng.randint(1, 4)), 16)
    if feedback_at >= now:
        return
    categories = rng.sample(list(KINDS_BY_CATEGORY), plan["findings"])
    findings = [
        asset_services.FindingInput(
            category=c,
            description=DESCRIPTIONS[c],
            value=(plan["claim"] * Decimal(rng.choice(["0.2", "0.3", "0.4"]))).quantize(Decimal("0.01")),
            controllable_online=c in ("bank_deposit", "online_payment") and rng.random() < 0.7,
        )
        for c in categories
    ]
    assets = asset_services.search_record_feedback(
        actor=clerk, search=AssetSearch.objects.get(pk=search.pk), received_at=feedback_at, findings=findings
    )
    if stage < 0.35:
        return  # feedback in, nothing controlled yet: CONTROL_AFTER_FEEDBACK running or overdue
    control_at = (
        _at(calendar.add_working_days(feedback_at.date(), plan["control_delay"]), 10)
        if plan["control_delay"]
        else feedback_at + dt.timedelta(hours=1)
    )
    for asset in assets:
        if control_at >= now:
            break
        kind = KINDS_BY_CATEGORY[asset.category.code]
        amount = asset.value if kind == ControlKind.FREEZE_DEPOSIT else None
        measure_services.control_create(
            actor=clerk, case=case, asset=Asset.objects.get(pk=asset.pk), kind=kind, amount=amount, effective_at=control_at
        )
    if stage < 0.55:
        return
    if stage < 0.65:
        suspend_at = control_at + dt.timedelta(days=rng.randint(2, 20))
        if suspend_at < now and head is not None and Case.objects.get(pk=case.pk).status == CaseStatus.EXECUTING:
            case_services.case_suspend(
                actor=clerk, case=case, at=suspend_at, ruling_number=f"{case.case_number}之一",
                approved_by=head.pk, reason="案外人提出执行异议",
            )
        return
    close_at = control_at + dt.timedelta(days=rng.randint(5, 40))
    if close_at >= now and plan["roll"] < 0.75:
        return
    if plan["roll"] < 0.75:
        # 执行完毕/撤回: the control measures are released first (their CONTROL_EXPIRY
        # clocks refuse these closures, the catalogue's LIFECYCLE)
        for measure in case.control_measures.filter(released_at__isnull=True):
            measure_services.control_release(
                actor=clerk, measure=measure, at=close_at - dt.timedelta(days=2), reason="解除控制措施"
            )
    if plan["roll"] < 0.5:
        case_services.case_record_fulfilment(actor=clerk, case=case, at=close_at - dt.timedelta(days=1), note="被执行人已全部履行")
        closure_services.case_close(actor=clerk, case=case, closure="fully_executed", closed_at=close_at, document="结案通知书")
    elif plan["roll"] < 0.75:
        closure_services.case_close(actor=clerk, case=case, closure="withdrawn", closed_at=close_at, document="准予撤回执行申请裁定书")
    elif head is not None:
        respondent_party = case.parties.get(role=PartyRole.RESPONDENT)
        credit_at = min(control_at, now - dt.timedelta(hours=1))
        issued = measure_services.credit_issue(
            actor=clerk, case=case, party_id=respondent_party.pk, kind="restriction", issued_at=credit_at,
            decision_no=f"{number.replace('号', '号之二')}限制消费令",
        )
        # gate: credit — served (in force) and the 失信 conditions assessed (终本 gate rows #4, #5)
        for measure in issued:
            credit_services.credit_serve(actor=clerk, measure=measure, served_at=credit_at, method="direct",
                                         recipient=respondent_party.name)
        credit_services.credit_dishonest_not_applicable(
            actor=clerk, case=case, party_id=respondent_party.pk, at=credit_at, reason="被执行人无履行能力，不存在失信情形"
        )
        close_at = max(close_at, _at(plan["filed"] + dt.timedelta(days=100), 15))
        if not assets and close_at < now:
            # no property found after a full search: 终结本次执行 with every §1 condition met
            for clue in case.clues.all():
                property_clue_services.property_clue_start_verification(actor=clerk, clue=clue, at=clue.received_at + dt.timedelta(hours=2))
                property_clue_services.property_clue_conclude(
                    actor=clerk, clue=clue, at=clue.received_at + dt.timedelta(days=3), true=False, note="经实地核查，该房产已过户他人"
                )
            # gate: gateprop — every respondent investigated offline for what the online system cannot query
            _demo_offline_investigation(case, actor=clerk, at=close_at - dt.timedelta(days=3))
            # gate: coercion — some respondents evaded: found, fined and referred before 终本 (no rng
            # draw, so the rest of the demo stays as it was)
            if plan["roll"] > 0.9:
                from enforcement.services import coercion as coercion_services

                coercion_services.coercion_finding_record(
                    actor=clerk, case=case, party_id=respondent_party.pk, kind="evasion",
                    found_at=close_at - dt.timedelta(days=12), note="立案后将名下车辆低价转让给亲属",
                )
                coercion_services.coercion_entry_record(
                    actor=clerk, case=case, kind="fine", party_id=respondent_party.pk,
                    decided_at=close_at - dt.timedelta(days=10), document_number=f"{number.replace('执', '司惩')}",
                    amount=Decimal("50000.00") if plan["org"] else Decimal("5000.00"),
                )
                coercion_services.coercion_entry_record(
                    actor=clerk, case=case, kind="refusal_crime_referral", party_id=respondent_party.pk, route="police",
                    decided_at=close_at - dt.timedelta(days=8), document_number=f"{number}移送函",
                )
            case_services.case_record_interview(
                actor=clerk, case=case, at=close_at - dt.timedelta(days=2), note="告知财产调查结果，申请执行人同意终本"
            )
            # gate: gateproc — each respondent served and its report checked, each applicant heard
            _gateproc_records(case, clerk, close_at - dt.timedelta(days=2))
            closure_services.case_close(
                actor=head, case=case, closure="terminated_this_round", closed_at=close_at,
                document=f"{number.replace('号', '号之一')}执行裁定书",
            )
            # the ruling served on every party: the case closes then (two-step 终本)
            for party in case.parties.order_by("id"):
                procedure_services.document_serve(
                    actor=clerk, case=case, party_id=party.pk, document=ServedDocument.TERMINATED_RULING,
                    method=ServiceMethod.DIRECT, served_at=close_at,
                )
            return
        duration = case.deadlines.filter(rule__code="CASE_DURATION", completed_at__isnull=True).first()
        if duration is not None:
            closure_services.approval_request(
                actor=handler, case=case, kind="extension", reason="案情复杂，财产尚在处置，申请延长执行期限三个月",
                payload={"deadline": duration.pk, "added": 3},
            )


def _demo_offline_investigation(case, *, actor, at) -> None:
    """终本 gate row #7 (spec §3): an offline investigation, with its findings, per respondent."""
    from enforcement.services.gate.assets import offline_categories
    from enforcement.services.gate.base import GateContext

    codes = [c.code for c in offline_categories(GateContext(case=case, at=at))]
    for respondent in case.parties.filter(role=PartyRole.RESPONDENT):
        visit = asset_services.search_launch(
            actor=actor, case=case, channel="offline", category_codes=codes, launched_at=at, respondent=respondent.pk
        )
        asset_services.search_record_feedback(
            actor=actor, search=visit, received_at=at + dt.timedelta(hours=3), findings=[],
            note="赴被执行人住所地及经营场所调查，未发现可供执行的财产",
        )


def _gateproc_records(case, clerk, at: dt.datetime) -> None:
    """h/gateproc: the per-party records the 终本 gate asks for (rows #1, #2, #18)."""
    for party in case.parties.order_by("id"):
        if party.role == PartyRole.RESPONDENT:
            for document in (ServedDocument.NOTICE, ServedDocument.PROPERTY_ORDER):
                procedure_services.document_serve(
                    actor=clerk, case=case, party_id=party.pk, document=document, method=DocumentServiceMethod.DIRECT, served_at=at,
                )
            procedure_services.property_report_record(
                actor=clerk, case=case, respondent_id=party.pk, outcome=PropertyReportOutcome.MISSING, at=at,
            )
        else:
            procedure_services.applicant_interview_record(
                actor=clerk, case=case, applicant_id=party.pk, at=at, note="告知财产调查结果及终本的依据和后果",
                opinion=InterviewOpinion.AGREE,
            )
