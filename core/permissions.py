"""Permission predicates (django-rules). Court scoping itself lives in selectors;
these say which roles may use which parts of the product."""

import rules

from core.models import Role
from core.selectors import user_has_role


def _has(*roles: str):
    @rules.predicate(name=f"has_role_{'_'.join(roles)}")
    def predicate(user) -> bool:
        return bool(getattr(user, "is_authenticated", False)) and user_has_role(user, roles)

    return predicate


is_clerk = _has(Role.CLERK)
is_handler = _has(Role.HANDLER)
is_bureau_head = _has(Role.BUREAU_HEAD)
is_case_supervisor = _has(Role.CASE_SUPERVISOR)
is_finance = _has(Role.FINANCE)
is_inspector = _has(Role.INSPECTOR)
is_court_leader = _has(Role.COURT_LEADER)
is_api_client = _has(Role.API_CLIENT)
is_court_admin = _has(Role.ADMIN)
is_person = rules.is_authenticated & ~is_api_client
is_staff = rules.predicate(lambda user: bool(getattr(user, "is_staff", False)), name="is_staff")

# Browser areas
rules.add_perm("core.use_browser", is_person)
rules.add_perm("core.view_calendar", is_person)
rules.add_perm("core.manage_calendar", is_court_admin | rules.is_superuser)
rules.add_perm("core.approve_deadline_change", is_bureau_head | is_court_leader)
rules.add_perm("core.open_admin", is_staff)
