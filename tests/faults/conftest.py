import pytest
from django.utils import timezone

from core.models import Role
from supervision.models import Alert
from supervision.services.scan import scan_court
from tests.core.factories import make_member
from tests.enforcement.factories import make_case


@pytest.fixture
def raised(courts, clerk, handler, bureau_head, case_supervisor):
    """An overdue case scanned: its alerts go to four people with e-mail addresses
    (returned)."""
    local_supervisor = make_member(Role.CASE_SUPERVISOR, courts.lu0102, "local_supervisor")
    case = make_case(clerk, courts.lu0102, received="2026-09-29 10:00", handler=handler)
    scan_court(court_id=courts.lu0102.pk, at=timezone.now())
    people = (handler, local_supervisor, bureau_head, case_supervisor)
    for user in people:
        user.email = f"{user.username}@court.example"
        user.save(update_fields=["email"])
    assert Alert.objects.filter(case=case).exists()
    return {u.email for u in people}


@pytest.fixture
def published(monkeypatch):
    """Every message this process would send to the broker, recorded instead:
    (task name, kwargs, outbox row id in the headers)."""
    from core.outbox.common import publishing_outbox_id
    from core.outbox.task import OutboxTask as Task

    sent = []

    def apply_async(self, args=None, kwargs=None, **options):
        sent.append((self.name, kwargs or {}, publishing_outbox_id()))

    monkeypatch.setattr(Task, "apply_async", apply_async)
    return sent
