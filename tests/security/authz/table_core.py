"""The authorization table of core: the home page, 我的待办, the calendar and its
yearly load, the courts, the export jobs. Also the URLs whose authorization
another suite tests (``ELSEWHERE``, the delegations), and what the public URLs
answer the anonymous (``PUBLIC``)."""

from tests.security.authz.engine import (
    BACK,
    OBJECT_COURT,
    Entry,
    Op,
    anyone,
    at_own,
    over,
    roles,
    sees,
)
from tests.security.authz.vocab import (
    APPROVERS,
    DASHBOARD,
    _d,
    _no_kwargs,
    api_action,
    obj_kwargs,
)
from tests.security.authz.world import ANONYMOUS, COURT_OF

NOTICE_2030 = (
    "国务院办公厅关于2030年部分节假日安排的通知\n"
    "一、元旦：1月1日放假，与周末连休。\n"
    "二、国庆节：10月1日（周二）至7日（周一）放假调休，共7天。9月29日（周日）、10月12日（周六）上班。\n"
)


def calendar_load_of(w):
    """A year's load record (not a court's: only administrators read it)."""
    from core.models import CalendarLoad

    load, _created = CalendarLoad.objects.get_or_create(year=2031, defaults={"source": "测试"})
    return load


def notification_of(w):
    """The export-ready notification of 鲁01's own bureau head (the world's finished
    export): a person's own, seen by nobody else (404)."""
    from core.models import Notification

    return Notification.objects.get(subject_id=str(w.o.export_job.pk), recipient=w.user("bureau_head", "own"))


def _opened(w, role, position, response, changed) -> list[str]:
    """Following a notification's link reads it (a GET that marks it read): its owner
    is sent on; anyone else gets 404 and changes nothing."""
    if response.wsgi_request.method == "HEAD":  # require_GET: HEAD is refused to everyone
        return [] if response.status_code == 405 and not changed else [f"HEAD: {response.status_code} {changed}"]
    if role == ANONYMOUS:
        return [] if response.status_code == 302 and response["Location"].startswith("/login/") else ["not to login"]
    if role == "api_client":
        return [] if response.status_code == 403 and not changed else [f"machine: {response.status_code} {changed}"]
    if (role, position) == ("bureau_head", "own"):
        return [] if response.status_code == 302 else [f"owner: {response.status_code}"]
    return [] if response.status_code == 404 and not changed else [f"{response.status_code} {changed} (want 404)"]


TABLE: list[Entry] = [
    # --- core -----------------------------------------------------------------------------------
    # the root redirects whoever is signed in (any method) to 我的待办
    Entry("core:home", _no_kwargs, (Op("GET", anyone, 302),), machines=True, any_method=True),
    Entry(
        "core:todo",
        _no_kwargs,
        (
            Op(
                "GET",
                shows=lambda w, r, p: {COURT_OF[p]}
                if (r, p)
                in (("handler", "own"), ("handler", "sibling"), ("handler", "lower"), ("handler", "upper"))
                else set(),
            ),
        ),
    ),
    Entry("core:calendar", _no_kwargs, (Op("GET"),)),
    Entry(
        "core:due-date", _no_kwargs, (Op("GET", data=_d(start="2026-11-02", days="5", unit="working_days")),)
    ),
    Entry("core:rules", _no_kwargs, (Op("GET"),)),
    Entry("core:courts", _no_kwargs, (Op("GET"),)),
    Entry("core:exports", _no_kwargs, (Op("GET"),)),
    Entry(
        "core:export-start",
        _no_kwargs,
        (
            Op(
                "POST",
                over(*DASHBOARD),
                302,
                _d(key="supervision.dashboard.rules", court="鲁01"),
                refusal=lambda r, p: None if r in (ANONYMOUS, "api_client") else BACK,
            ),
        ),
        back=lambda w: "/exports/",
    ),
    *(
        Entry(
            name,
            lambda w: {"job_id": w.o.export_job.pk},
            (Op("GET", at_own("bureau_head")),),
            scope=at_own("bureau_head"),
        )
        for name in ("core:export-detail", "core:export-progress", "core:export-download")
    ),
    # 站内通知 (issue 16): everyone their own; someone else's is 404
    Entry("core:notifications", _no_kwargs, (Op("GET"),)),
    Entry("core:notification-bell", _no_kwargs, (Op("GET"),)),
    Entry("core:notifications-read-all", _no_kwargs, (Op("POST", anyone, 302, writes=False),)),
    Entry(
        "core:notification-read",
        lambda w: {"pk": notification_of(w).pk},
        (Op("POST", at_own("bureau_head"), 302),),
        scope=at_own("bureau_head"),
    ),
    Entry(
        "core:notification-open",
        lambda w: {"pk": notification_of(w).pk},
        (Op("GET", at_own("bureau_head"), 302, check=_opened),),
        scope=at_own("bureau_head"),
    ),
    Entry("api-notifications", _no_kwargs, (Op("GET"),)),
    Entry(
        "api-notification-read",
        lambda w: {"pk": notification_of(w).pk},
        (Op("POST", at_own("bureau_head"), 200),),
        scope=at_own("bureau_head"),
    ),
    Entry("api-courts", _no_kwargs, (Op("GET"),)),
    Entry("api-calendar-due-date", _no_kwargs, (Op("GET", data=_d(start="2026-11-02", days=5)),)),
    # 载入年度节假日安排: administrators only (a preview writes nothing)
    Entry(
        "core:calendar-load",
        _no_kwargs,
        (Op("GET", roles("admin")), Op("POST", roles("admin"), 200, _d(notice=NOTICE_2030), writes=False)),
        gate=roles("admin"),
    ),
    *(
        Entry(
            name, lambda w: {"pk": calendar_load_of(w).pk}, (Op("GET", roles("admin")),), gate=roles("admin")
        )
        for name in ("core:calendar-load-detail", "core:calendar-load-progress")
    ),
    Entry(
        "api-calendar-years",
        _no_kwargs,
        (Op("POST", roles("admin"), 200, _d(notice=NOTICE_2030, dry_run=True), writes=False),),
        gate=roles("admin"),
    ),
    # --- 补录核实 (322号 §12): bureau heads and court leaders over 鲁01; the clerk who
    # entered the node and the case's handler are refused (maker_checker, 403) --------------------
    Entry(
        "core:clock-corrections",
        _no_kwargs,
        (Op("GET", roles(*APPROVERS), shows=lambda w, r, p: {OBJECT_COURT} if sees(r, p) else set()),),
        gate=roles(*APPROVERS),
    ),
    Entry(
        "core:clock-correction-decide",
        obj_kwargs("deadline_id", "backdate_claim"),
        (Op("POST", over(*APPROVERS), 302, lambda w, r=None, p=None: {
            f"c{w.o.backdate_claim.pk}-decision": "approve", f"c{w.o.backdate_claim.pk}-reason": "核查笔录在卷",
        }),),
        scope=sees,
        gate=roles(*APPROVERS),
    ),
    Entry(
        "api-clock-corrections",
        _no_kwargs,
        (Op("GET", data=_d(page_size=500), shows=lambda w, r, p: {OBJECT_COURT} if sees(r, p) else set()),),
    ),
    api_action(
        "api-clock-correction-approve",
        obj_kwargs("deadline_id", "backdate_claim"),
        _d(reason="核查笔录在卷"),
        over(*APPROVERS),
    ),
    api_action(
        "api-clock-correction-reject",
        obj_kwargs("deadline_id", "backdate_claim"),
        _d(reason="无核查记录"),
        over(*APPROVERS),
    ),
]


# URLs whose authorization is tested elsewhere (the reason says where); they are
# still in the anonymous sweep below.
ELSEWHERE: dict[str, str] = {
    "healthz": "public liveness probe (tests/core/test_api.py)",
    "login": "Django's login view (tests/core/test_pages.py)",
    "logout": "Django's logout view (tests/core/test_pages.py)",
    "set_language": "Django's language switch: sets a cookie only",
    "api-schema": "OpenAPI schema, no court data (tests/core/test_schema.py)",
    "api-docs": "Swagger UI, no court data (tests/core/test_schema.py)",
    # h/gateproc: 322号 §11, public by law; one court's 终本 cases, masked (tests/enforcement/test_public_terminated.py)
    "api-public-terminated-cases": "public 终本 list (tests/enforcement/test_public_terminated.py)",
    "public:terminated-cases": "public 终本 list page (tests/enforcement/test_public_terminated.py)",
}
DELEGATED_NAMESPACES = {
    "admin": "Django admin: is_staff only (core.permissions 'core.open_admin'), tests/core",
    "dualcheck": "一案双查 pages: tests/dualcheck/test_permission_matrix.py",
}
DELEGATED_PREFIXES = {"api-dualcheck-": "一案双查 REST: tests/dualcheck/test_permission_matrix.py"}

# anonymous answers of the public URLs, (GET, POST)
PUBLIC = {
    "healthz": (200, 200),
    "login": (200, None),  # POST would count a failed login (axes)
    "logout": (405, 302),
    "set_language": (302, 302),
    "api-schema": (401, 401),
    "api-docs": (401, 401),
    "admin:index": (302, 302),
    "admin:login": (200, None),
    "api-public-terminated-cases": (400, 405),  # h/gateproc: ?court= is required
    "public:terminated-cases": (200, 405),  # h/gateproc: the court to choose; no rows without it
}
