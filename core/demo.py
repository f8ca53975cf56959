"""The demo province: courts and one user per role per court (``seed_demo``).
Idempotent and deterministic; later issues add cases.

``demo_logins()`` says who the demo people are without touching the database: the
seeder creates exactly them, ``seed_demo`` prints them as an aligned table and the
README's table of demo logins is ``demo_logins_markdown()`` (a test keeps them equal)."""

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction

from core.models import Court, CourtLevel, Department, Role, User
from core.services.calendar import calendar_load_from_package
from core.services.courts import court_upsert
from core.services.people import membership_grant

if TYPE_CHECKING:  # django-stubs-ext is a dev dependency
    from django_stubs_ext import StrOrPromise

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - local demo only, printed on purpose

COURTS = [
    ("最高法", "最高人民法院", CourtLevel.SUPREME, None, "spc"),
    ("鲁", "山东省高级人民法院", CourtLevel.HIGH, "最高法", "lu"),
    ("鲁01", "济南市中级人民法院", CourtLevel.INTERMEDIATE, "鲁", "lu01"),
    ("鲁0102", "济南市历下区人民法院", CourtLevel.BASIC, "鲁01", "lu0102"),
    ("鲁0103", "济南市市中区人民法院", CourtLevel.BASIC, "鲁01", "lu0103"),
    ("鲁02", "青岛市中级人民法院", CourtLevel.INTERMEDIATE, "鲁", "lu02"),
    ("鲁0202", "青岛市市南区人民法院", CourtLevel.BASIC, "鲁02", "lu0202"),
]

DEPARTMENT_OF = {
    Role.CLERK: Department.EXECUTION,
    Role.HANDLER: Department.EXECUTION,
    Role.BUREAU_HEAD: Department.EXECUTION,
    Role.CASE_SUPERVISOR: Department.COMMAND_CENTRE,
    Role.FINANCE: Department.FINANCE,
    Role.INSPECTOR: Department.SUPERVISION,
    Role.COURT_LEADER: Department.LEADERSHIP,
    Role.ADMIN: Department.TECHNOLOGY,
}

ROLE_SLUG = {
    Role.CLERK: "clerk",
    Role.HANDLER: "handler",
    Role.BUREAU_HEAD: "head",
    Role.CASE_SUPERVISOR: "supervisor",
    Role.FINANCE: "finance",
    Role.INSPECTOR: "inspector",
    Role.COURT_LEADER: "leader",
}

COURT_ROLES = {
    CourtLevel.SUPREME: [Role.CASE_SUPERVISOR, Role.INSPECTOR],
    CourtLevel.HIGH: [Role.BUREAU_HEAD, Role.CASE_SUPERVISOR, Role.INSPECTOR, Role.COURT_LEADER],
    CourtLevel.INTERMEDIATE: list(ROLE_SLUG),
    CourtLevel.BASIC: list(ROLE_SLUG),
}

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程"
GIVEN = ["明", "华", "强", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "超", "霞"]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    court: str
    role: "StrOrPromise"  # the role's label, translated when shown
    name: str
    court_name: str = ""
    role_code: str = ""


def _name(index: int) -> str:
    return SURNAMES[index % len(SURNAMES)] + GIVEN[(index * 7) % len(GIVEN)]


def demo_logins() -> list[DemoLogin]:
    """Every demo login, in the order the seeder creates them (no database access)."""
    logins: list[DemoLogin] = []
    index = 0
    for code, court_name, level, _parent, slug in COURTS:
        for role in COURT_ROLES[level]:
            logins.append(
                DemoLogin(
                    f"{ROLE_SLUG[role]}_{slug}",
                    code,
                    Role(role).label,
                    _name(index),
                    court_name,
                    str(role),
                )
            )
            index += 1
    high = next(c for c in COURTS if c[0] == "鲁")
    logins.append(DemoLogin("admin", high[0], Role.ADMIN.label, "系统管理员", high[1], str(Role.ADMIN)))
    return logins


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: East Asian wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * max(width - display_width(text), 0)


LOGIN_HEADERS = ("用户名", "密码", "角色", "法院")


def _login_cells(logins: list[DemoLogin]) -> list[tuple[str, str, str, str]]:
    return [(login.username, DEMO_PASSWORD, str(login.role), login.court_name) for login in logins]


def demo_logins_table(logins: list[DemoLogin]) -> list[str]:
    """The demo logins as lines of an aligned table (username, password, role in
    Chinese, court), columns padded by display width so CJK text lines up."""
    rows = [LOGIN_HEADERS, *_login_cells(logins)]
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(LOGIN_HEADERS))]
    lines = ["  ".join(pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def demo_logins_markdown(logins: list[DemoLogin]) -> str:
    """The README's table of demo logins (``python manage.py seed_demo --readme-table``)."""
    lines = ["| " + " | ".join(LOGIN_HEADERS) + " |", "|" + "---|" * len(LOGIN_HEADERS)]
    lines += [f"| `{u}` | `{p}` | {r} | {c} |" for u, p, r, c in _login_cells(logins)]
    return "\n".join(lines) + "\n"


@transaction.atomic
def seed_demo_people() -> list[DemoLogin]:
    calendar_load_from_package()
    courts: dict[str, Court] = {}
    for code, name, level, parent, _slug in COURTS:
        courts[code] = court_upsert(code=code, name=name, level=level, parent=courts.get(parent or ""))

    logins = demo_logins()
    for login in logins:
        admin = login.role_code == Role.ADMIN
        user = _ensure_user(login.username, login.name, staff=admin)
        role = Role(login.role_code)
        department = Department.TECHNOLOGY if admin else DEPARTMENT_OF[role]
        membership_grant(user=user, court=courts[login.court], role=role, department=department)
    return logins


def _ensure_user(username: str, display_name: str, *, staff: bool = False) -> User:
    user, created = User.objects.get_or_create(username=username, defaults={"display_name": display_name})
    if created or not user.has_usable_password():
        user.set_password(DEMO_PASSWORD)
    user.display_name = display_name
    user.is_staff = user.is_superuser = staff
    user.save()
    return user
