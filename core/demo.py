"""The demo province: courts and one user per role per court (``seed_demo``).
Idempotent and deterministic; later issues add cases."""

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


def _name(index: int) -> str:
    return SURNAMES[index % len(SURNAMES)] + GIVEN[(index * 7) % len(GIVEN)]


@transaction.atomic
def seed_demo_people() -> list[DemoLogin]:
    calendar_load_from_package()
    courts: dict[str, Court] = {}
    for code, name, level, parent, _slug in COURTS:
        courts[code] = court_upsert(code=code, name=name, level=level, parent=courts.get(parent or ""))

    logins: list[DemoLogin] = []
    index = 0
    for code, _court_name, level, _parent, slug in COURTS:
        for role in COURT_ROLES[level]:
            username = f"{ROLE_SLUG[role]}_{slug}"
            person = _name(index)
            index += 1
            user = _ensure_user(username, person)
            membership_grant(user=user, court=courts[code], role=role, department=DEPARTMENT_OF[role])
            logins.append(DemoLogin(username, code, Role(role).label, person))

    admin = _ensure_user("admin", "系统管理员", staff=True)
    membership_grant(user=admin, court=courts["鲁"], role=Role.ADMIN, department=Department.TECHNOLOGY)
    logins.append(DemoLogin("admin", "鲁", Role.ADMIN.label, "系统管理员"))
    return logins


def _ensure_user(username: str, display_name: str, *, staff: bool = False) -> User:
    user, created = User.objects.get_or_create(username=username, defaults={"display_name": display_name})
    if created or not user.has_usable_password():
        user.set_password(DEMO_PASSWORD)
    user.display_name = display_name
    user.is_staff = user.is_superuser = staff
    user.save()
    return user
