"""Demo 督办 orders and 执行信访 petitions for ``seed_demo`` (the lead calls
``seed()`` after the enforcement demo cases exist).

Orders: one overdue (鲁01 → a 鲁0102 case, no response after its period), one
responded and waiting for review, one closed, one 指令执行 to 鲁0103, one 提级执行
by the high court. Petitions at each demo basic court in every state: just
received, late for registration, registered, concluded, fed back, one flagged as a
一案双查 clue. Everything goes through the services, dated in the past inside
``historical_import`` (so screening sees imported, not backdated, nodes).
Deterministic and idempotent: a court that already has orders (or petitions) is
skipped; an item the calendar cannot serve (a period into an unloaded year) is
skipped."""

import datetime as dt
from functools import partial

from django.db import transaction
from django.utils import timezone

from core.calendar import WorkingCalendar
from core.exceptions import ApplicationError
from core.models import Court, Role, User
from core.services.events import historical_import
from enforcement.models import Case, CaseStatus
from supervision.models import Petition, SupervisionOrder
from supervision.services import orders as order_services
from supervision.services import petitions as petition_services

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
PETITION_COURTS = ["鲁0102", "鲁0103", "鲁0202"]

NAMES = ["王建国", "李秀英", "张伟", "刘芳", "陈静", "杨磊"]
# (name index, channel, working days since receipt, final state, flag as a clue)
PETITION_PLANS = [
    (0, "visit", 2, "received", False),
    (1, "hotline_12368", 8, "received", False),
    (2, "letter", 12, "registered", False),
    (3, "online", 20, "concluded", False),
    (4, "visit", 28, "closed", False),
    (5, "letter", 15, "registered", True),
]
CONTENTS = [
    "反映执行法院收到案款后迟迟未发放，申请尽快发放。",
    "反映承办人长期不采取执行措施，被执行人仍在正常经营。",
    "反映被执行人名下房产未被查封，要求依法处置。",
    "反映执行法院超标的查封其名下财产，要求解除部分查封。",
    "询问案件执行进展，要求告知财产查询结果。",
    "反映执行人员接受被执行人宴请，消极执行。",
]


def _member(court: Court, role: str) -> User | None:
    return (
        User.objects.filter(
            memberships__court=court, memberships__role=role, memberships__revoked_at__isnull=True
        )
        .order_by("pk")
        .first()
    )


def _court(code: str) -> Court | None:
    return Court.objects.filter(code=code).first()


def _open_case(court: Court | None, skip: int = 0) -> Case | None:
    if court is None:
        return None
    return (
        Case.objects.filter(court=court)
        .exclude(status=CaseStatus.CLOSED)
        .filter(supervision_orders__isnull=True)
        .select_related("court", "handler")
        .order_by("pk")[skip : skip + 1]
        .first()
    )


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=SHANGHAI)


def seed() -> int:
    """Create the demo orders and petitions that do not exist yet; returns how many
    were made."""
    with historical_import():
        return _seed_orders() + _seed_petitions()


def _try(make) -> int:
    try:
        with transaction.atomic():
            make()
        return 1
    except ApplicationError:
        return 0  # e.g. a period running into a year whose calendar is not loaded


def _seed_orders() -> int:
    lu, lu01, lu02 = _court("鲁"), _court("鲁01"), _court("鲁02")
    lu0102, lu0103, lu0202 = _court("鲁0102"), _court("鲁0103"), _court("鲁0202")
    if lu01 is None or SupervisionOrder.objects.exists():
        return 0
    now = timezone.now()
    days = dt.timedelta(days=1)
    sup_lu, sup_lu01, sup_lu02 = (_member(c, Role.CASE_SUPERVISOR) if c else None for c in (lu, lu01, lu02))
    created = 0

    def issue(actor, case, kind, text, response_days, issued_at, **extra):
        return order_services.order_issue(
            actor=actor,
            case=case,
            kind=kind,
            instructions=text,
            response_days=response_days,
            issued_at=issued_at,
            **extra,
        )

    # 1. overdue: issued 20 days ago with 10 days, never answered — the ladder escalates it
    case = _open_case(lu0102)
    if sup_lu01 and case:
        created += _try(
            lambda: issue(
                sup_lu01,
                case,
                "urge",
                "该案立案已逾三个月，未见有效控制措施。请于期限内查明被执行人财产并依法控制，书面回复。",
                10,
                now - 20 * days,
            )
        )

    # 2. responded, waiting for 鲁01's review
    case = _open_case(lu0103)
    head_lu0103 = _member(lu0103, Role.BUREAU_HEAD) if lu0103 else None
    if sup_lu01 and case and head_lu0103:

        def responded():
            order = issue(
                sup_lu01,
                case,
                "urge",
                "申请执行人反映被执行人有车辆未查封，请核实并依法处置。",
                15,
                now - 8 * days,
            )
            order_services.order_respond(
                actor=head_lu0103,
                order=order,
                responded_at=now - 2 * days,
                text="已于两日前查封被执行人名下小型轿车一辆，并启动询价程序。",
            )

        created += _try(responded)

    # 3. closed: answered and accepted
    case = _open_case(lu0202)
    head_lu0202 = _member(lu0202, Role.BUREAU_HEAD) if lu0202 else None
    if sup_lu02 and case and head_lu0202:

        def closed():
            order = issue(
                sup_lu02,
                case,
                "urge",
                "该案执行款到账逾期未发放，请立即发放并说明原因。",
                10,
                now - 30 * days,
            )
            order_services.order_respond(
                actor=head_lu0202,
                order=order,
                responded_at=now - 25 * days,
                text="案款已于当日发放至申请执行人确认账户，逾期系财务人员休假所致，已责令整改。",
            )
            order_services.order_accept(
                actor=sup_lu02, order=order, note="认可，注意防止再次逾期。", at=now - 20 * days
            )

        created += _try(closed)

    # 4. 指令执行: 鲁01 assigns a 鲁0102 case to 鲁0103
    case = _open_case(lu0102)
    if sup_lu01 and case and lu0103:
        created += _try(
            lambda: issue(
                sup_lu01,
                case,
                "assign",
                "被执行人住所地及主要财产均在市中区，为便于执行，指令市中区人民法院执行本案。",
                15,
                now - 3 * days,
                assignee_court=lu0103,
            )
        )

    # 5. 提级执行 by the high court
    case = _open_case(lu0202)
    if sup_lu and case:
        created += _try(
            lambda: issue(
                sup_lu,
                case,
                "take_up",
                "该案涉及多地关联案件，疑难复杂，决定由本院提级执行。请移送全部卷宗并回复移送情况。",
                30,
                now - 1 * days,
            )
        )
    return created


def _seed_petitions() -> int:
    calendar = WorkingCalendar.load()
    today = timezone.localdate()
    created = 0
    for code in PETITION_COURTS:
        court = _court(code)
        if court is None or Petition.objects.filter(court=court).exists():
            continue
        people = {
            "clerk": _member(court, Role.CLERK),
            "handler": _member(court, Role.HANDLER),
            # 办结 by the bureau head: the handler of the case complained about may not
            # conclude a petition about it (petition_concluder_conflict)
            "head": _member(court, Role.BUREAU_HEAD),
            "supervisor": _member(court.parent, Role.CASE_SUPERVISOR) if court.parent_id else None,
        }
        if people["clerk"] is None or people["handler"] is None:
            continue
        case = Case.objects.filter(court=court).order_by("pk").first()
        for index, channel, age, state, flag in PETITION_PLANS:
            try:
                received_day = calendar.add_working_days(today, -age)
            except ApplicationError:
                continue
            story = partial(
                _petition_story,
                court=court,
                case=case if index % 2 == 0 else None,
                index=index,
                channel=channel,
                state=state,
                flag=flag,
                received_at=_at(received_day, 10),
                **people,
            )
            created += _try(story)
    return created


def _petition_story(
    *, court, case, index, channel, state, flag, received_at, clerk, handler, head, supervisor
) -> None:
    """One demo petition taken as far as ``state`` (and flagged when ``flag``)."""
    petition = petition_services.petition_receive(
        actor=clerk,
        court=court,
        channel=channel,
        petitioner_name=NAMES[index],
        petitioner_phone=f"1390531{index:04d}",
        content=CONTENTS[index],
        case=case,
        received_at=received_at,
    )
    if state != "received":
        petition = petition_services.petition_register(
            actor=clerk, petition=petition, at=received_at + dt.timedelta(days=1, hours=2)
        )
    if state in ("concluded", "closed"):
        petition = petition_services.petition_conclude(
            actor=head or handler,
            petition=petition,
            finding="partly_true",
            result="经查，信访人反映的问题部分属实，已责令承办人限期整改。",
            measures="督促承办人三日内采取控制措施并向申请执行人说明进展。",
            concluded_at=received_at + dt.timedelta(days=12),
        )
    if state == "closed":
        petition_services.petition_feedback(
            actor=clerk,
            petition=petition,
            method="phone",
            note="已电话告知信访人办理结果，信访人表示认可。",
            fed_back_at=received_at + dt.timedelta(days=13),
        )
    if flag and supervisor is not None:
        petition_services.petition_flag_dualcheck(
            actor=supervisor,
            petition=petition,
            reason="反映执行人员违反廉洁纪律，转一案双查线索。",
            at=received_at + dt.timedelta(days=3),
        )
