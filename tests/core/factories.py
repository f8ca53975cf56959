"""factory_boy factories for the kernel. Courts go through the service so their
materialised path is right."""

import factory

from core.models import ApiToken, Court, CourtLevel, Department, Membership, Role, User
from core.services.courts import court_upsert


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"测试用户{n}")
    password = factory.django.Password("pw-for-tests-1")


def make_court(code: str, name: str | None = None, level: str = CourtLevel.BASIC, parent: Court | None = None) -> Court:
    return court_upsert(code=code, name=name or f"{code}法院", level=level, parent=parent)


DEPARTMENT_OF = {
    Role.CLERK: Department.EXECUTION,
    Role.HANDLER: Department.EXECUTION,
    Role.BUREAU_HEAD: Department.EXECUTION,
    Role.CASE_SUPERVISOR: Department.COMMAND_CENTRE,
    Role.FINANCE: Department.FINANCE,
    Role.INSPECTOR: Department.SUPERVISION,
    Role.COURT_LEADER: Department.LEADERSHIP,
    Role.API_CLIENT: Department.TECHNOLOGY,
    Role.ADMIN: Department.TECHNOLOGY,
}


def make_member(role: str, court: Court, username: str | None = None) -> User:
    user = UserFactory(username=username or f"{role}_{court.pk}")
    Membership.objects.get_or_create(
        user=user, court=court, role=role, revoked_at=None, defaults={"department": DEPARTMENT_OF[role]}
    )
    return user


__all__ = ["ApiToken", "UserFactory", "make_court", "make_member"]
