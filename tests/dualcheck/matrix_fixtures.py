"""The world of the confidentiality matrix (``test_permission_matrix``,
``test_leaks``): built ONCE per test module inside an outer transaction that is
rolled back when the module ends; every test runs in a savepoint of it (the usual
``db`` fixture), so what a test writes (a step taken, a membership revoked) is
undone before the next one.

Courts as in ``tests/conftest.py``: 最高法 → 鲁 → 鲁01 → {鲁0102, 鲁0103};
鲁 → 鲁02 → 鲁0202. 鲁01 handles every clue, 鲁0102 investigates (from the
referral on). The joint team is 鲁0102's second handler (execution, leader — no role
that sees clues: only the team lets them in) and its inspector (supervision). The
officer concerned is 鲁0102's handler, named with their account in every clue.

Every confidential field of every clue carries a unique ASCII marker
(``ZQ-<clue>-<FIELD>``), so an answer can be searched for exactly which
confidential texts it carries."""

import datetime as dt
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.test import Client
from rest_framework.test import APIClient

from core.models import CourtLevel, Department, Role, User
from core.selectors import forget_memberships
from core.services.people import api_client_create
from dualcheck.models import Clue, ClueSource, ConclusionFinding, DispositionKind, ReportAttachment
from dualcheck.services import clues as s_clues
from dualcheck.services import investigation as s_inv
from dualcheck.services import outcome as s_out
from tests.conftest import at
from tests.core.factories import make_court, make_member
from tests.enforcement.factories import make_case

# --- the people -------------------------------------------------------------------------------

ROLES = [
    "working_group",  # 专人监管 鲁01 (执行指挥中心)
    "head",  # 执行局长 鲁01
    "inspector",  # 监察 鲁01
    "leader",  # 院领导 鲁 (above)
    "spc_inspector",  # 监察 最高法 (far above)
    "lower_head",  # 执行局长 鲁0102 (forms the team, is not on it)
    "lower_inspector",  # 监察 鲁0102 (and on the team)
    "team_member",  # 承办人 鲁0102, on the team as its execution member
    "officer",  # 承办人 鲁0102: the officer concerned
    "clerk",  # 书记员 鲁0102
    "finance",  # 财务 鲁0102
    "sibling_inspector",  # 监察 鲁02
    "sibling_head",  # 执行局长 鲁02
    "api_lu0102",  # the command centre's machine of 鲁0102
    "api_lu01",  # the command centre's machine of 鲁01
    "anonymous",
]
API_CLIENTS = ("api_lu0102", "api_lu01")
PERSONS = tuple(r for r in ROLES if r not in API_CLIENTS and r != "anonymous")

# --- the clues ----------------------------------------------------------------------------------

# key → status it is driven to
STAGE_OF = {
    "recv": "received",
    "scr": "screened",
    "pend": "pending_meeting",
    "launch": "launched",
    "ref": "referred",
    "inv": "investigating",  # a draft report (with a finding) and an attachment on it
    "rep": "reported",
    "acc": "accepted",
    "conc": "concluded",  # substantiated: a deadline order and a disciplinary referral
    "fed": "fed_back",  # the same, fed back
    "unsub": "concluded",  # unsubstantiated, not yet clarified
    "closed": "closed",  # unsubstantiated, clarified, fed back, closed
}
KEYS = list(STAGE_OF)
PRE_REFERRAL = {"recv", "scr", "pend", "launch"}
TEAM_KEYS = {"inv", "rep", "acc"}  # the joint team exists
AFTER = {"conc", "fed", "unsub", "closed"}  # concluded: the team is dissolved
WITH_REPORT = {"inv", "rep", "acc", "conc", "fed", "unsub", "closed"}
WITH_DISCIPLINARY = {"conc", "fed"}
WITH_CLARIFICATION = {"closed"}
SUBMITTED = WITH_REPORT - {"inv"}
CONCLUDED = AFTER

FIELDS = (
    "NAME",  # officer concerned
    "ALLEG",  # the allegation about them
    "CONDUCT",  # officer conduct in the report
    "FINDING",  # finding detail about the officer
    "ATTNAME",  # attachment file name
    "ATTDATA",  # attachment content
    "DISC",  # disciplinary disposition detail
    "REFTO",  # … and where it was referred
    "CLSCOPE",  # clarification scope
    "CLCONTENT",  # clarification content
    "DRAFTPROC",  # a draft's 调查经过: the team's work in progress (not 干警 content, team-only)
)


def marker(key: str, name: str) -> str:
    return f"ZQ-{key}-{name}"


def markers_of(key: str) -> dict[str, str]:
    """The markers clue ``key`` holds, by field."""
    names = ["NAME", "ALLEG"]
    if key in WITH_REPORT:
        names += ["CONDUCT", "FINDING", "ATTNAME", "ATTDATA"]
    if key in WITH_DISCIPLINARY:
        names += ["DISC", "REFTO"]
    if key in WITH_CLARIFICATION:
        names += ["CLSCOPE", "CLCONTENT"]
    if key == "inv":
        names += ["DRAFTPROC"]
    return {n: marker(key, n) for n in names}


ALL_MARKERS: frozenset[str] = frozenset(m for k in KEYS for m in markers_of(k).values())


def found_markers(text: str) -> set[str]:
    return {m for m in ALL_MARKERS if m in text}


# --- who is entitled (the specification, independent of the selectors) -------------------------


def sees(role: str, key: str) -> bool:
    """Whether ``role`` sees clue ``key`` at all."""
    if role in ("working_group", "head", "inspector", "leader", "spc_inspector", "api_lu01"):
        return True  # 鲁01's API client: its court handles the clue (§5: the command centre)
    if role in ("lower_head", "lower_inspector"):
        return key not in PRE_REFERRAL
    if role == "team_member":
        return key in TEAM_KEYS
    # the officer concerned, other 鲁0102 staff, 鲁0102's API client (a clue about its
    # own court: nobody behind a token can be excluded as concerned), siblings, anonymous
    return False


def reads(role: str, key: str) -> bool:
    """Whether ``role`` reads clue ``key``'s confidential (干警) content: the
    supervision department of the courts involved (and above), court leaders, the
    active joint team; never the officer concerned."""
    if role in ("inspector", "leader", "spc_inspector"):
        return True
    if role == "lower_inspector":
        return key not in PRE_REFERRAL
    if role == "team_member":
        return key in TEAM_KEYS
    return False


def on_team(role: str, key: str) -> bool:
    return role in ("team_member", "lower_inspector") and key in TEAM_KEYS


# --- clients --------------------------------------------------------------------------------------


def fresh(user: User) -> User:
    """The user as the next request sees them (memberships read again)."""
    user = User.objects.get(pk=user.pk)
    forget_memberships(user)
    return user


def browser_for(world, role: str) -> Client:
    """A browser session. An API client's machine account gets a session too (the
    worst case: the pages must refuse it)."""
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def api_for(world, role: str) -> APIClient:
    client = APIClient()
    if role in API_CLIENTS:
        client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[role]}")
    elif role != "anonymous":
        client.force_login(world.users[role])
    return client


# --- building ------------------------------------------------------------------------------------


@dataclass
class World:
    courts: SimpleNamespace
    users: dict[str, User]
    tokens: dict[str, str]
    case: object
    clues: dict[str, Clue] = field(default_factory=dict)
    attachments: dict[str, int] = field(default_factory=dict)
    petition: object = None  # flagged 转一案双查, not yet a clue
    linked_petition: object = None  # already a clue (``pet_clue``)
    pet_clue: Clue | None = None
    alert: object = None

    def clue(self, key: str) -> Clue:
        return Clue.objects.get(pk=self.clues[key].pk)

    def pk(self, key: str) -> int:
        return self.clues[key].pk

    def user(self, role: str) -> User:
        return fresh(self.users[role])

    def officer_pk(self, key: str) -> int:
        return self.clues[key].officers.get().pk


def _courts() -> SimpleNamespace:
    spc = make_court("最高法", "最高人民法院", CourtLevel.SUPREME)
    lu = make_court("鲁", "山东省高级人民法院", CourtLevel.HIGH, spc)
    lu01 = make_court("鲁01", "济南市中级人民法院", CourtLevel.INTERMEDIATE, lu)
    lu0102 = make_court("鲁0102", "历下区人民法院", CourtLevel.BASIC, lu01)
    lu0103 = make_court("鲁0103", "市中区人民法院", CourtLevel.BASIC, lu01)
    lu02 = make_court("鲁02", "青岛市中级人民法院", CourtLevel.INTERMEDIATE, lu)
    lu0202 = make_court("鲁0202", "市南区人民法院", CourtLevel.BASIC, lu02)
    return SimpleNamespace(spc=spc, lu=lu, lu01=lu01, lu0102=lu0102, lu0103=lu0103, lu02=lu02, lu0202=lu0202)


def _people(courts) -> tuple[dict[str, User], dict[str, str]]:
    users = {
        "working_group": make_member(Role.CASE_SUPERVISOR, courts.lu01, "case_supervisor"),
        "head": make_member(Role.BUREAU_HEAD, courts.lu01, "head_lu01"),
        "inspector": make_member(Role.INSPECTOR, courts.lu01, "inspector"),
        "leader": make_member(Role.COURT_LEADER, courts.lu, "court_leader"),
        "spc_inspector": make_member(Role.INSPECTOR, courts.spc, "inspector_spc"),
        "lower_head": make_member(Role.BUREAU_HEAD, courts.lu0102, "bureau_head"),
        "lower_inspector": make_member(Role.INSPECTOR, courts.lu0102, "inspector_lu0102"),
        "team_member": make_member(Role.HANDLER, courts.lu0102, "handler2_lu0102"),
        "officer": make_member(Role.HANDLER, courts.lu0102, "handler"),
        "clerk": make_member(Role.CLERK, courts.lu0102, "clerk"),
        "finance": make_member(Role.FINANCE, courts.lu0102, "finance_lu0102"),
        "sibling_inspector": make_member(Role.INSPECTOR, courts.lu02, "inspector_lu02"),
        "sibling_head": make_member(Role.BUREAU_HEAD, courts.lu02, "head_lu02"),
    }
    tokens = {}
    for role, court in (("api_lu0102", courts.lu0102), ("api_lu01", courts.lu01)):
        users[role], tokens[role] = api_client_create(court=court, name=f"{court.code}执行指挥中心系统")
    return users, tokens


def _register(w: World, key: str) -> Clue:
    m = markers_of(key)
    return s_clues.clue_register(
        actor=w.users["working_group"],
        court=w.courts.lu01,
        source=ClueSource.LETTERS_VISITS,
        summary=f"申请执行人反映案件立案后三个月未采取任何执行措施（{key}）。",
        officer_allegation=m["ALLEG"],
        complainant_name="张三",
        complainant_phone="13800000000",
        cases=[w.case],
        officers=[
            {"name": m["NAME"], "court": w.courts.lu0102, "user": w.users["officer"], "position": "承办人"}
        ],
    )


PATH = [
    "screened",
    "pending_meeting",
    "launched",
    "referred",
    "investigating",
    "reported",
    "accepted",
    "concluded",
]


def _drive(w: World, clue: Clue, key: str) -> Clue:
    """Take ``clue`` through the happy path to the stage of ``key``."""
    u, m, target = w.users, markers_of(key), STAGE_OF[key]
    finding = (
        ConclusionFinding.UNSUBSTANTIATED if key in ("unsub", "closed") else ConclusionFinding.SUBSTANTIATED
    )
    stop = target if target in PATH or target == "received" else "concluded"
    steps = [
        ("screened", lambda: s_clues.clue_screen(actor=u["working_group"], clue=clue, proceed=True, opinion="线索具体，提请审核。")),
        ("pending_meeting", lambda: s_clues.clue_approve(actor=u["head"], clue=clue, approved=True, opinion="同意提交联席会议。")),
        ("launched", lambda: s_clues.clue_decide(
            actor=u["inspector"], clue=clue, launch=True, participants=[u["head"], u["inspector"]],
            minutes="会议决定启动一案双查。",
        )),
        ("referred", lambda: s_clues.clue_refer(
            actor=u["head"], clue=clue, mode="refer", target_court=w.courts.lu0102, report_days=30,
            instructions="请组成联合调查组，30日内上报调查报告。",
        )),
        ("investigating", lambda: _investigate(w, clue, key)),
        ("reported", lambda: s_inv.report_submit(
            actor=u["lower_inspector"], clue=clue, process="调取卷宗、系统检查、约谈承办人。",
            facts="立案后三个月未发起网络查控。", analysis="构成消极执行。", opinion="建议督促限期办理。",
        )),
        ("accepted", lambda: s_inv.clue_review(
            actor=u["head"], clue=clue, decision="accept", opinion="报告事实清楚，予以采纳。"
        )),
        ("concluded", lambda: s_out.clue_conclude(
            actor=u["inspector"], clue=clue, finding=finding, summary="会商形成检查结论。",
            participants=[u["head"], u["inspector"]], minutes="会商形成检查结论。",
            dispositions=[] if finding == ConclusionFinding.UNSUBSTANTIATED else [
                {"kind": DispositionKind.DEADLINE_ORDER, "detail": "责令十日内采取查封措施。",
                 "target_court": w.courts.lu0102, "due_date": dt.date(2026, 12, 31)},
                {"kind": DispositionKind.DISCIPLINARY, "detail": m["DISC"],
                 "officer": clue.officers.get().pk, "referred_to": m["REFTO"]},
            ],
        )),
    ]  # fmt: skip
    for stage, step in steps:
        if stop == "received" or PATH.index(stage) > PATH.index(stop):
            break
        step()
        clue.refresh_from_db()
    if key == "fed":
        s_out.clue_feedback(
            actor=u["inspector"], clue=clue, method="phone", content="已电话告知反映人检查结果。"
        )
    if key == "closed":
        s_out.clue_clarify(actor=u["inspector"], clue=clue, scope=m["CLSCOPE"], content=m["CLCONTENT"])
        s_out.clue_feedback(
            actor=u["inspector"], clue=clue, method="phone", content="已电话告知反映人检查结果。"
        )
        s_out.clue_close(actor=u["inspector"], clue=clue, note="办结。")
    clue.refresh_from_db()
    assert clue.status == target, (key, clue.status)
    return clue


def _investigate(w: World, clue: Clue, key: str) -> None:
    """Form the team, record the work, save a draft with the confidential parts and
    attach a confidential file to it."""
    u, m = w.users, markers_of(key)
    s_inv.team_form(
        actor=u["lower_head"],
        clue=clue,
        members=[
            {"user": u["team_member"], "department": Department.EXECUTION, "is_leader": True},
            {"user": u["lower_inspector"], "department": Department.SUPERVISION},
        ],
    )
    clue.refresh_from_db()
    s_inv.team_record_work(
        actor=u["lower_inspector"],
        clue=clue,
        methods=["file_review", "system_check"],
        scope=["passive", "discipline"],
    )
    s_inv.report_save(
        actor=u["team_member"],
        clue=clue,
        process=m.get("DRAFTPROC", "调取卷宗（草稿）。"),
        officer_conduct=m["CONDUCT"],
        officer_findings=[
            {"officer": clue.officers.get().pk, "result": "substantiated", "detail": m["FINDING"]}
        ],
    )
    attachment = s_inv.report_attachment_add(
        actor=u["lower_inspector"],
        clue=clue,
        name=f"{m['ATTNAME']}.txt",
        content_type="text/plain",
        data=m["ATTDATA"].encode(),
    )
    w.attachments[key] = attachment.pk


def _seed_reference_data() -> None:
    """As ``tests/conftest.py::_reference_data`` (a transactional test elsewhere in
    the session may have flushed the seeded rules)."""
    import importlib

    from django.apps import apps

    from core.models import CalendarYear, DeadlineRule

    seed = importlib.import_module("core.migrations.0002_seed_rules_and_calendar")
    if not DeadlineRule.objects.exists():
        seed.seed_rules(apps, None)
    if not CalendarYear.objects.exists():
        seed.seed_calendar(apps, None)


def build_world() -> World:
    from supervision.models import Alert
    from supervision.services.petitions import petition_flag_dualcheck, petition_receive
    from supervision.services.scan import scan_court

    _seed_reference_data()
    courts = _courts()
    users, tokens = _people(courts)
    case = make_case(users["clerk"], courts.lu0102, handler=users["officer"])
    w = World(courts=courts, users=users, tokens=tokens, case=case)
    for key in KEYS:
        w.clues[key] = _drive(w, _register(w, key), key)

    def petition(content: str):
        received = petition_receive(
            actor=users["clerk"],
            court=courts.lu0102,
            channel="letter",
            petitioner_name="王五",
            petitioner_phone="13912345678",
            content=content,
            case=case,
            received_at=at("2026-10-09 10:00"),
        )
        return petition_flag_dualcheck(actor=users["working_group"], petition=received, reason="消极执行。")

    w.petition = petition("反映案件长期未执行。")
    w.linked_petition = petition("反映执行款迟迟未发放。")
    w.pet_clue = s_clues.clue_register_from_petition(
        actor=users["working_group"], petition_id=w.linked_petition.pk
    )
    w.linked_petition.refresh_from_db()
    scan_court(court_id=courts.lu0102.pk, at=at("2026-11-20 09:00"))
    w.alert = Alert.objects.get(case=case, to_court=courts.lu01, rule__code="SEARCH_START")
    assert ReportAttachment.objects.count() == len(WITH_REPORT)
    return w


@pytest.fixture(scope="module", name="world")
def world_fixture(django_db_setup, django_db_blocker):
    """The world, built once per module; rolled back when the module ends."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            try:
                yield build_world()
            finally:
                transaction.set_rollback(True)


@pytest.fixture(name="w")
def w_fixture(world, db):
    """The world inside this test's savepoint (what the test writes is undone)."""
    return world


# --- the report clocks' alerts (``test_alert_confidentiality``, ``test_permission_matrix``) -------

RUNNING = ("ref", "inv")  # the clues whose report clock still runs
# People to whose courts 鲁0102 (where the report clocks run) does not belong.
OUTSIDE = {"api_lu01", "sibling_inspector", "sibling_head", "anonymous"}


def lists(role: str, key: str) -> bool:
    """Whether ``role`` is shown the alerts of clue ``key``'s report clock: 鲁0102 is
    in their courts and they see the clue."""
    return role not in OUTSIDE and sees(role, key)


def addressed(role: str, key: str) -> bool:
    """Whom those alerts go to: the referrer (鲁01's bureau head, who set the period)
    and the active joint team."""
    return role == "head" or on_team(role, key)


def expected(role: str, raised, pred) -> set[int]:
    """The report clocks' alerts ``pred(role, key)`` allows."""
    return {pk for key in RUNNING if pred(role, key) for pk in raised.alerts[key]}


@pytest.fixture(name="raised")
def alerts_raised_fixture(w):
    """Scan 鲁0102 (and count its dashboard figures) past every threshold of the
    running report clocks: ``alerts`` by clue key, ``all``, the ``moment``."""
    from core.models import Deadline
    from dualcheck.selectors import CLOCK_RULES
    from supervision.models import Alert
    from supervision.services.scan import scan_court
    from supervision.services.stats import court_stats_refresh

    clocks = list(Deadline.objects.filter(rule__code__in=CLOCK_RULES, completed_at__isnull=True))
    assert {c.subject_id for c in clocks} == {w.pk(k) for k in RUNNING}
    assert {c.responsible_id for c in clocks} == {w.users["head"].pk}  # the referrer
    moment = max(c.upper_at for c in clocks) + dt.timedelta(hours=1)
    scan_court(court_id=w.courts.lu0102.pk, at=moment)
    court_stats_refresh(court_id=w.courts.lu0102.pk, at=moment)
    alerts = {
        key: set(
            Alert.objects.filter(rule__code__in=CLOCK_RULES, deadline__subject_id=w.pk(key)).values_list(
                "pk", flat=True
            )
        )
        for key in RUNNING
    }
    assert all(len(ids) == 3 for ids in alerts.values()), alerts  # overdue, escalated, upper
    return SimpleNamespace(moment=moment, alerts=alerts, all=set().union(*alerts.values()))
