"""A synthetic province (山东) generated straight into PostgreSQL.

Everything big is written by set-based SQL (``INSERT … SELECT … FROM
generate_series``), never by the ORM row by row:

* the court tree: 最高法 → 鲁 → 16 intermediate courts → 150 basic courts, with a
  skewed caseload (big cities and city-centre districts file more);
* users and memberships: one handler per ~300 cases, and a 专人监管, a 执行局长 and a
  finance officer at every court;
* enforcement cases with a status mix (received / executing / suspended / closed);
* clocks (``core_deadline``): several running clocks per open case, due from 60
  days ago to 180 days ahead, plus completed clocks (met / breached / waived);
* pauses of the clocks of suspended cases and the resolved alerts of clocks that
  were breached and then completed (history a real database would hold).

Ladder thresholds are an approximation in calendar days (see
``docs/performance.md``): working days × 7/5, months × 30. The scan only compares
stored moments with ``at``, so the approximation changes which clocks are
flagged, not how much work a scan does.

Triggers (pghistory) and foreign-key checks are skipped while generating
(``session_replication_role = replica``) and the non-unique indexes of the big
tables are dropped and rebuilt afterwards: a bulk load, not the system under
test. Everything measured afterwards runs with all triggers and checks.
"""

# ruff: noqa: S608 — SQL below is assembled from constants of this module only;
# every value goes in as a bound parameter.

import datetime as dt
import math
import time
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection

from core.models import CourtLevel, Department, Role

TZ = "Asia/Shanghai"
CASES_PER_HANDLER = 300

# Share of running clocks already past their due moment when the bench starts.
OVERDUE_SHARE = 0.15
OVERDUE_DAYS = 60  # overdue clocks are 1 … 60 days late
AHEAD_DAYS = 180  # the others are due today … 180 days ahead

# (digits of 法院代字, city, number of basic courts, relative caseload)
CITIES = [
    ("01", "济南", 14, 1.5),
    ("02", "青岛", 12, 1.6),
    ("03", "淄博", 8, 0.8),
    ("04", "枣庄", 6, 0.5),
    ("05", "东营", 5, 0.5),
    ("06", "烟台", 14, 1.0),
    ("07", "潍坊", 14, 1.1),
    ("08", "济宁", 11, 0.9),
    ("09", "泰安", 6, 0.6),
    ("10", "威海", 4, 0.4),
    ("11", "日照", 4, 0.4),
    ("13", "临沂", 14, 1.2),
    ("14", "德州", 11, 0.6),
    ("15", "聊城", 8, 0.6),
    ("16", "滨州", 7, 0.5),
    ("17", "菏泽", 12, 0.8),
]
HIGH_SHARE = 0.01
INTERMEDIATE_SHARE = 0.09
# Within a city the first (city-centre) courts are the busiest: weight 1/j^0.7.
DISTRICT_SKEW = 0.7

# Case status mix (cumulative thresholds on one random number).
STATUS_MIX = [("received", 0.10), ("executing", 0.62), ("suspended", 0.70), ("closed", 1.0)]

# Which clocks a case carries, by case status: (rule, probability, kind). ``running``
# clocks are open and due around now, ``paused`` ones are open but stand still
# (中止执行), ``done`` ones were completed in the past.
CLOCK_PLAN = [
    ("received", "SEARCH_START", 1.0, "running"),
    ("received", "EXECUTION_NOTICE", 1.0, "running"),
    ("received", "CASE_DURATION", 1.0, "running"),
    ("executing", "SEARCH_START", 1.0, "done"),
    ("executing", "EXECUTION_NOTICE", 1.0, "done"),
    ("executing", "CASE_DURATION", 1.0, "running"),
    ("executing", "CONTROL_AFTER_FEEDBACK", 0.35, "running"),
    ("executing", "CONTROL_EXPIRY", 0.50, "running"),
    ("executing", "FUNDS_NOTICE", 0.15, "running"),
    ("executing", "PRICE_START", 0.12, "running"),
    ("executing", "CLUE_VERIFY", 0.08, "running"),
    ("executing", "DISPOSAL_START", 0.06, "running"),
    ("executing", "FUNDS_PAYMENT", 0.05, "running"),
    ("executing", "RESTRICTION_RELEASE", 0.03, "running"),
    ("suspended", "SEARCH_START", 1.0, "done"),
    ("suspended", "EXECUTION_NOTICE", 1.0, "done"),
    ("suspended", "CASE_DURATION", 1.0, "paused"),
    ("suspended", "CONTROL_EXPIRY", 0.60, "running"),
    ("closed", "SEARCH_START", 1.0, "done"),
    ("closed", "EXECUTION_NOTICE", 1.0, "done"),
    ("closed", "CASE_DURATION", 1.0, "done"),
    ("closed", "CONTROL_AFTER_FEEDBACK", 0.30, "done"),
    ("closed", "CONTROL_EXPIRY", 0.30, "done"),
    ("closed", "FUNDS_NOTICE", 0.30, "done"),
    ("closed", "FUNDS_PAYMENT", 0.25, "done"),
]

# The people of every court besides its handlers.
STAFF = [
    (Role.CASE_SUPERVISOR, Department.COMMAND_CENTRE),
    (Role.BUREAU_HEAD, Department.EXECUTION),
    (Role.FINANCE, Department.FINANCE),
]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "明华强敏静磊洋艳勇军杰娟涛超霞平刚桂英芳丽建国志伟红玉兰海燕鹏飞"

# Tables whose non-unique indexes are rebuilt after the load.
BULK_TABLES = ["enforcement_case", "core_deadline", "core_deadlinepause", "supervision_alert"]


@dataclass
class PlannedCourt:
    code: str
    name: str
    level: str
    parent: str | None
    cases: int = 0

    @property
    def handlers(self) -> int:
        return math.ceil(self.cases / CASES_PER_HANDLER)


@dataclass
class Province:
    """What was generated (sizes and timings, for the report)."""

    cases: int = 0
    courts: int = 0
    users: int = 0
    clocks: int = 0
    running_clocks: int = 0
    paused_clocks: int = 0
    completed_clocks: int = 0
    history_alerts: int = 0
    case_status: dict[str, int] = field(default_factory=dict)
    high_court: str = "鲁"
    largest_basic: str = ""
    seconds: dict[str, float] = field(default_factory=dict)


def plan_courts(total_cases: int) -> list[PlannedCourt]:
    """The court tree with every court's share of ``total_cases`` (exact total,
    largest remainder)."""
    courts = [
        PlannedCourt("最高法", "最高人民法院", CourtLevel.SUPREME, None),
        PlannedCourt("鲁", "山东省高级人民法院", CourtLevel.HIGH, "最高法"),
    ]
    weights = [0.0, HIGH_SHARE]
    city_total = sum(w for *_, w in CITIES)
    for digits, city, basic_count, city_weight in CITIES:
        code = f"鲁{digits}"
        courts.append(PlannedCourt(code, f"{city}市中级人民法院", CourtLevel.INTERMEDIATE, "鲁"))
        weights.append(INTERMEDIATE_SHARE * city_weight / city_total)
        skew = [1 / (j**DISTRICT_SKEW) for j in range(1, basic_count + 1)]
        for j, s in enumerate(skew, start=1):
            courts.append(
                PlannedCourt(f"{code}{j + 1:02d}", f"{city}市第{j}基层人民法院", CourtLevel.BASIC, code)
            )
            weights.append((1 - HIGH_SHARE - INTERMEDIATE_SHARE) * city_weight / city_total * s / sum(skew))
    exact = [w * total_cases for w in weights]
    counts = [int(x) for x in exact]
    short = total_cases - sum(counts)
    for i in sorted(range(len(exact)), key=lambda i: exact[i] - counts[i], reverse=True)[:short]:
        counts[i] += 1
    for court, n in zip(courts, counts, strict=True):
        court.cases = n
    return courts


def _execute(sql: str, params: dict | list | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _scalar(sql: str, params: dict | list | None = None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _paths(courts: list[PlannedCourt]) -> dict[str, str]:
    by_code = {c.code: c for c in courts}
    paths: dict[str, str] = {}

    def path(code: str) -> str:
        if code not in paths:
            parent = by_code[code].parent
            paths[code] = f"{path(parent) if parent else '/'}{code}/"
        return paths[code]

    for c in courts:
        path(c.code)
    return paths


def _insert_courts(courts: list[PlannedCourt]) -> None:
    paths = _paths(courts)
    _execute(
        """
        CREATE TEMP TABLE bench_plan AS
        SELECT * FROM unnest(%(code)s::text[], %(parent)s::text[], %(cases)s::int[], %(handlers)s::int[])
            AS p(code, parent_code, n_cases, n_handlers)
        """,
        {
            "code": [c.code for c in courts],
            "parent": [c.parent for c in courts],
            "cases": [c.cases for c in courts],
            "handlers": [c.handlers for c in courts],
        },
    )
    _execute(
        """
        INSERT INTO core_court (code, name, level, path, depth, is_active)
        SELECT * FROM unnest(%(code)s::text[], %(name)s::text[], %(level)s::text[], %(path)s::text[],
                             %(depth)s::int[], %(active)s::bool[])
        """,
        {
            "code": [c.code for c in courts],
            "name": [c.name for c in courts],
            "level": [str(c.level) for c in courts],
            "path": [paths[c.code] for c in courts],
            "depth": [paths[c.code].count("/") - 2 for c in courts],
            "active": [True for _ in courts],
        },
    )
    _execute(
        """
        UPDATE core_court c SET parent_id = parent.id
        FROM bench_plan p JOIN core_court parent ON parent.code = p.parent_code
        WHERE p.code = c.code
        """
    )
    _execute("ALTER TABLE bench_plan ADD COLUMN court_id bigint")
    _execute("UPDATE bench_plan p SET court_id = c.id FROM core_court c WHERE c.code = p.code")


def _insert_people(now: dt.datetime) -> None:
    roles = [str(r) for r, _ in STAFF]
    departments = [str(d) for _, d in STAFF]
    _execute(
        f"""
        CREATE TEMP TABLE bench_people AS
        SELECT p.court_id, r.role, r.department, r.k,
               'bench_' || p.court_id || '_' || r.role || coalesce('_' || r.k, '') AS username,
               row_number() OVER () AS n
        FROM bench_plan p
        CROSS JOIN LATERAL (
            SELECT '{Role.HANDLER}'::text AS role, '{Department.EXECUTION}'::text AS department, k
            FROM generate_series(0, p.n_handlers - 1) AS k
            UNION ALL
            SELECT role, department, NULL::int
            FROM unnest(%(roles)s::text[], %(departments)s::text[]) AS s(role, department)
            WHERE p.n_cases > 0 OR role = '{Role.CASE_SUPERVISOR}'
        ) r
        """,
        {"roles": roles, "departments": departments},
    )
    _execute(
        """
        INSERT INTO core_user (password, is_superuser, username, first_name, last_name, email,
                               is_staff, is_active, date_joined, display_name)
        SELECT '!', false, username, '', '', '', false, true, %(now)s,
               substr(%(surnames)s, 1 + (n %% length(%(surnames)s))::int, 1)
               || substr(%(given)s, 1 + ((n * 7) %% length(%(given)s))::int, 1)
               || substr(%(given)s, 1 + ((n * 13) %% length(%(given)s))::int, 1)
        FROM bench_people
        """,
        {"now": now, "surnames": SURNAMES, "given": GIVEN},
    )
    _execute(
        """
        INSERT INTO core_membership (department, role, created_at, court_id, user_id)
        SELECT b.department, b.role, %(now)s, b.court_id, u.id
        FROM bench_people b JOIN core_user u ON u.username = b.username
        """,
        {"now": now},
    )
    _execute(
        f"""
        CREATE TEMP TABLE bench_handlers AS
        SELECT b.court_id, b.k, u.id AS user_id
        FROM bench_people b JOIN core_user u ON u.username = b.username
        WHERE b.role = '{Role.HANDLER}'
        """
    )
    _execute("CREATE UNIQUE INDEX ON bench_handlers (court_id, k)")


def _status_case() -> str:
    parts = " ".join(f"WHEN r_status < {limit} THEN '{status}'" for status, limit in STATUS_MIX)
    return f"CASE {parts} END"


def _insert_cases(now: dt.datetime) -> None:
    _execute("SELECT setseed(0.2026)")
    _execute(
        f"""
        INSERT INTO enforcement_case (
            case_number, type_code, filed_on, received_at, claim_amount, costs, basis_document,
            track, team, status, notice_served_at, property_order_served_at,
            applicant_interviewed_at, fulfilled_at, fulfilment_note, closure_type, closed_at,
            closure_document, created_at, updated_at, court_id, handler_id
        )
        WITH raw AS MATERIALIZED (
            SELECT p.court_id, p.code, g AS seq, h.user_id AS handler_id,
                   random() AS r_status, random() AS r_when, random() AS r_amount,
                   random() AS r_kind, random() AS r_close
            FROM bench_plan p
            CROSS JOIN LATERAL generate_series(1, p.n_cases) AS g
            JOIN bench_handlers h ON h.court_id = p.court_id AND h.k = g %% p.n_handlers
        ),
        s AS MATERIALIZED (
            SELECT raw.*, status,
                   CASE WHEN r_kind < 0.06 THEN '执恢' ELSE '执' END AS type_code,
                   %(now)s::timestamptz - CASE status
                       WHEN 'received' THEN r_when * interval '10 days'
                       WHEN 'closed' THEN interval '40 days' + r_when * interval '700 days'
                       ELSE interval '10 days' + r_when * interval '400 days'
                   END AS received_at
            FROM raw CROSS JOIN LATERAL (SELECT {_status_case()} AS status) st
        )
        SELECT
            '(' || extract(year FROM received_at AT TIME ZONE '{TZ}')::int || ')' || code || type_code
                || seq || '号',
            type_code,
            ((received_at AT TIME ZONE '{TZ}') - (1 + floor(r_kind * 5)) * interval '1 day')::date,
            received_at,
            round((1000 * power(10, r_amount * 5))::numeric, 2),
            round((1000 * power(10, r_amount * 5))::numeric * 0.01, 2),
            '(' || (extract(year FROM received_at AT TIME ZONE '{TZ}')::int - 1) || ')' || code
                || '民初' || seq || '号民事判决书',
            CASE WHEN r_amount < 0.6 THEN 'simple' ELSE 'ordinary' END,
            '',
            status,
            CASE WHEN status <> 'received' THEN received_at + interval '3 days' END,
            CASE WHEN status <> 'received' THEN received_at + interval '3 days' END,
            CASE WHEN status = 'closed' THEN received_at + interval '15 days' END,
            CASE WHEN status = 'closed' AND r_close < 0.45 THEN received_at + interval '20 days' END,
            '',
            CASE WHEN status <> 'closed' THEN ''
                 WHEN r_close < 0.45 THEN 'fully_executed'
                 WHEN r_close < 0.85 THEN 'terminated_this_round'
                 WHEN r_close < 0.95 THEN 'withdrawn'
                 ELSE 'terminated' END,
            CASE WHEN status = 'closed' THEN received_at + interval '20 days' + r_close * interval '300 days' END,
            CASE WHEN status = 'closed' THEN '执行裁定书' ELSE '' END,
            received_at,
            received_at,
            court_id,
            handler_id
        FROM s
        """,
        {"now": now},
    )


def _insert_clocks(now: dt.datetime, case_type_id: int) -> None:
    # Calendar-day approximation of a period or offset of ``n`` in ``unit``.
    def days(n: str, unit: str) -> str:
        return (
            f"(CASE {unit} WHEN 'working_days' THEN ceil({n} * 7 / 5.0) WHEN 'months' THEN {n} * 30 "
            f"WHEN 'hours' THEN ceil({n} / 24.0) ELSE {n} END)::int"
        )

    plan_status = [s for s, *_ in CLOCK_PLAN]
    plan_rule = [r for _, r, *_ in CLOCK_PLAN]
    plan_prob = [p for *_, p, _ in CLOCK_PLAN]
    plan_kind = [k for *_, k in CLOCK_PLAN]
    _execute("SELECT setseed(0.1322)")
    _execute(
        f"""
        INSERT INTO core_deadline (
            subject_id, subject_label, variant, duration, unit, roll_to_working_day, started_at,
            original_due_at, due_at, warn_at, warn_again_at, escalate_at, upper_at, paused_at,
            status, completed_at, note, created_at, court_id, responsible_id, subject_type_id,
            rule_id, case_id, provisional, end_reason
        )
        WITH plan AS (
            SELECT * FROM unnest(%(status)s::text[], %(rule)s::text[], %(prob)s::float8[], %(kind)s::text[])
                AS p(case_status, rule_code, prob, kind)
        ),
        src AS MATERIALIZED (
            SELECT c.id AS case_id, c.court_id, c.handler_id, c.case_number, plan.kind,
                   r.id AS rule_id, r.duration, r.unit, r.roll_to_working_day,
                   {days("r.duration", "r.unit")} AS period,
                   {days("r.warn_before", "r.warn_before_unit")} AS warn_days,
                   {days("r.warn_again_before", "r.warn_before_unit")} AS warn_again_days,
                   ceil(r.escalate_after * 7 / 5.0)::int AS escalate_days,
                   ceil(r.upper_after * 7 / 5.0)::int AS upper_days,
                   random() AS u1, random() AS u2, random() AS u3
            FROM enforcement_case c
            JOIN plan ON plan.case_status = c.status
            JOIN core_deadlinerule r ON r.code = plan.rule_code
            WHERE random() < plan.prob
        ),
        dated AS MATERIALIZED (
            SELECT src.*,
                   (%(now)s::timestamptz AT TIME ZONE '{TZ}')::date + CASE
                       WHEN kind = 'done' THEN -(1 + floor(u2 * 365))::int
                       WHEN u1 < {OVERDUE_SHARE} THEN -(1 + floor(u2 * {OVERDUE_DAYS}))::int
                       ELSE floor(u2 * ({AHEAD_DAYS} + 1))::int
                   END AS due_day
            FROM src
        ),
        timed AS MATERIALIZED (
            SELECT dated.*,
                   (due_day + time '23:59:59') AT TIME ZONE '{TZ}' AS due_at,
                   ((due_day - period) + time '09:00') AT TIME ZONE '{TZ}' AS started_at
            FROM dated
        )
        SELECT
            case_id, case_number, '', duration, unit, roll_to_working_day, started_at,
            due_at, due_at,
            greatest(due_at - warn_days * interval '1 day', started_at),
            CASE WHEN warn_again_days IS NOT NULL
                 THEN greatest(due_at - warn_again_days * interval '1 day', started_at) END,
            ((due_day + escalate_days) + time '23:59:59') AT TIME ZONE '{TZ}',
            ((due_day + upper_days) + time '23:59:59') AT TIME ZONE '{TZ}',
            CASE WHEN kind = 'paused'
                 THEN least(%(now)s::timestamptz,
                            greatest(started_at, %(now)s::timestamptz - u3 * interval '60 days'))
            END,
            CASE WHEN kind <> 'done' THEN 'open'
                 WHEN u3 < 0.83 THEN 'met'
                 WHEN u3 < 0.98 THEN 'breached'
                 ELSE 'waived' END,
            CASE WHEN kind <> 'done' THEN NULL
                 WHEN u3 >= 0.83 AND u3 < 0.98
                 THEN least(%(now)s::timestamptz, due_at + interval '1 day' + u1 * interval '20 days')
                 ELSE due_at - u1 * period * interval '1 day' END,
            '', started_at, court_id, handler_id, %(case_type)s, rule_id, case_id, false, ''
        FROM timed
        """,
        {
            "status": plan_status,
            "rule": plan_rule,
            "prob": plan_prob,
            "kind": plan_kind,
            "now": now,
            "case_type": case_type_id,
        },
    )
    _execute(
        """
        INSERT INTO core_deadlinepause (deadline_id, paused_at, reason, paused_by_id)
        SELECT id, paused_at, '中止执行', responsible_id
        FROM core_deadline WHERE paused_at IS NOT NULL AND completed_at IS NULL
        """
    )


def _insert_history_alerts() -> None:
    """The overdue (and escalated) alerts of clocks that were breached and later
    completed: raised at the threshold, resolved on completion, e-mailed."""
    _execute(
        """
        INSERT INTO supervision_alert (
            deadline_id, court_id, case_id, rule_id, level, threshold_at, raised_at, due_at,
            provisional, handler_id, to_court_id, to_role, resolved_at, notified_at
        )
        SELECT d.id, d.court_id, d.case_id, d.rule_id, l.level, l.threshold_at,
               l.threshold_at + interval '10 minutes', d.due_at, false, d.responsible_id, d.court_id, l.to_role,
               d.completed_at, l.threshold_at + interval '1 hour'
        FROM core_deadline d
        CROSS JOIN LATERAL (
            VALUES ('overdue', d.due_at, 'case_supervisor'), ('escalated', d.escalate_at, 'bureau_head')
        ) AS l(level, threshold_at, to_role)
        WHERE d.status = 'breached' AND d.completed_at IS NOT NULL AND d.completed_at > l.threshold_at
        """
    )


def _drop_secondary_indexes() -> list[str]:
    """Drop the non-unique indexes of the bulk tables; return their definitions."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
            WHERE t.relname = ANY(%s) AND NOT i.indisunique AND NOT i.indisprimary
            """,
            [BULK_TABLES],
        )
        rows = cursor.fetchall()
        for name, _ in rows:
            cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in rows]


def _count(sql: str) -> int:
    return int(_scalar(sql))


def generate(*, cases: int, now: dt.datetime, log=None) -> Province:
    """Fill the (freshly migrated, empty) bench database with a province of
    ``cases`` enforcement cases as of ``now``."""
    say = log or (lambda _msg: None)
    province = Province()
    courts = plan_courts(cases)
    case_type_id = ContentType.objects.get(app_label="enforcement", model="case").pk

    def step(name: str, fn, *args) -> None:
        started = time.monotonic()
        fn(*args)
        province.seconds[name] = time.monotonic() - started
        say(f"  {name}: {province.seconds[name]:.1f} s")

    _execute("SET session_replication_role = replica")  # no triggers, no FK checks
    _execute("SET maintenance_work_mem = '512MB'")
    _execute("SET work_mem = '256MB'")
    try:
        indexes = _drop_secondary_indexes()
        step("courts", _insert_courts, courts)
        step("users and memberships", _insert_people, now)
        step("cases", _insert_cases, now)
        step("clocks and pauses", _insert_clocks, now, case_type_id)
        step("history alerts", _insert_history_alerts)

        def rebuild() -> None:
            for definition in indexes:
                _execute(definition)

        step("rebuild indexes", rebuild)
    finally:
        _execute("RESET session_replication_role")
        _execute("RESET maintenance_work_mem")
        _execute("RESET work_mem")
        _execute("DROP TABLE IF EXISTS bench_plan, bench_people, bench_handlers")
    step("vacuum analyze", _execute, "VACUUM ANALYZE")

    province.cases = _count("SELECT count(*) FROM enforcement_case")
    province.courts = _count("SELECT count(*) FROM core_court")
    province.users = _count("SELECT count(*) FROM core_user")
    province.clocks = _count("SELECT count(*) FROM core_deadline")
    province.running_clocks = _count(
        "SELECT count(*) FROM core_deadline WHERE completed_at IS NULL AND paused_at IS NULL"
    )
    province.paused_clocks = _count(
        "SELECT count(*) FROM core_deadline WHERE completed_at IS NULL AND paused_at IS NOT NULL"
    )
    province.completed_clocks = _count("SELECT count(*) FROM core_deadline WHERE completed_at IS NOT NULL")
    province.history_alerts = _count("SELECT count(*) FROM supervision_alert")
    with connection.cursor() as cursor:
        cursor.execute("SELECT status, count(*) FROM enforcement_case GROUP BY status ORDER BY status")
        province.case_status = dict(cursor.fetchall())
    basics = [c for c in courts if c.level == CourtLevel.BASIC]
    province.largest_basic = max(basics, key=lambda c: c.cases).code
    return province
