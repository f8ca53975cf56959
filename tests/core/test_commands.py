"""The management commands a court's administrator uses."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from core.models import CalendarYear, Court, Membership, Role, User


def test_load_courts_builds_the_tree_in_any_row_order(db, tmp_path):
    csv = tmp_path / "courts.csv"
    csv.write_text(
        "code,name,level,parent\n"
        "鲁0102,济南市历下区人民法院,basic,鲁01\n"
        "鲁01,济南市中级人民法院,intermediate,鲁\n"
        "鲁,山东省高级人民法院,high,\n",
        encoding="utf-8",
    )
    call_command("load_courts", str(csv))
    assert Court.objects.get(code="鲁0102").path == "/鲁/鲁01/鲁0102/"
    assert Court.objects.get(code="鲁0102").depth == 2
    # loading again changes nothing
    call_command("load_courts", str(csv))
    assert Court.objects.count() == 3


def test_load_courts_reports_unknown_parents(db, tmp_path):
    csv = tmp_path / "courts.csv"
    csv.write_text("code,name,level,parent\n鲁0102,历下区,basic,鲁99\n", encoding="utf-8")
    with pytest.raises(CommandError, match="鲁99"):
        call_command("load_courts", str(csv))
    assert not Court.objects.exists()


def test_moving_a_court_rewrites_its_subtree(db, tmp_path):
    from core.services.courts import court_upsert

    lu = court_upsert(code="鲁", name="高院", level="high", parent=None)
    a = court_upsert(code="鲁01", name="中院A", level="intermediate", parent=lu)
    b = court_upsert(code="鲁02", name="中院B", level="intermediate", parent=lu)
    court_upsert(code="鲁0102", name="基层", level="basic", parent=a)
    court_upsert(code="鲁0102", name="基层", level="basic", parent=b)
    assert Court.objects.get(code="鲁0102").path == "/鲁/鲁02/鲁0102/"


def test_load_calendar_is_idempotent_and_warns_for_missing_years(db, capsys):
    before = CalendarYear.objects.count()
    call_command("load_calendar", "--year", "2026", "--year", "2031")
    out = capsys.readouterr()
    assert CalendarYear.objects.count() == before
    assert "2031" in out.err


@pytest.mark.date_sensitive  # the demo is dated relative to today
def test_seed_demo_is_idempotent_and_prints_logins(db, capsys):
    call_command("seed_demo")
    first = capsys.readouterr().out
    from documents.models import GeneratedDocument

    counts = (User.objects.count(), Membership.objects.count(), Court.objects.count())
    documents = GeneratedDocument.objects.count()
    call_command("seed_demo")
    second = capsys.readouterr().out
    assert (User.objects.count(), Membership.objects.count(), Court.objects.count()) == counts
    # h/docs: a demo case's documents, generated once
    assert documents >= 4 and GeneratedDocument.objects.count() == documents
    assert first == second
    assert "clerk_lu0102" in first and "demo-pass-2026" in first
    assert Court.objects.get(code="鲁0202").path == "/最高法/鲁/鲁02/鲁0202/"
    assert Membership.objects.filter(role=Role.CASE_SUPERVISOR, court__code="鲁01").count() == 1
    assert User.objects.get(username="clerk_lu0102").check_password("demo-pass-2026")
    from core.models import Deadline
    from enforcement.models import Case

    # a few hundred cases over every state, with overdue clocks among them
    assert Case.objects.count() == 240
    assert set(Case.objects.values_list("status", flat=True)) == {"received", "executing", "suspended", "closed"}
    assert Deadline.objects.filter(status="breached").exists()
    assert Case.objects.filter(closure_type="terminated_this_round").exists()
    from custody_funds.models import Disbursement, Receipt

    assert Receipt.objects.filter(status="unidentified").count() == 15
    assert Receipt.objects.filter(status="matched").exists()
    assert {"submitted", "paid"} <= set(Disbursement.objects.values_list("status", flat=True))


@pytest.mark.parametrize(
    "moment",
    [
        "2026-12-31 23:30",  # the last half hour of a year whose successor is not loaded
        "2027-01-01 00:10",  # New Year's Day (a holiday): "three days ago" is last year
        "2027-12-30 10:00",  # a whole year past the loaded calendar
        "2028-02-29 10:00",  # a leap day
        "2026-06-15 10:00",  # mid-year, inside the loaded calendar
    ],
)
def test_seed_demo_works_on_any_day(db, capsys, time_machine, moment):
    from core.models import Deadline
    from dualcheck.models import Clue
    from enforcement.models import Case
    from supervision.models import Petition, SupervisionOrder
    from tests.conftest import at

    time_machine.move_to(at(moment))
    call_command("seed_demo")

    assert Case.objects.count() == 240
    assert set(Case.objects.values_list("status", flat=True)) == {"received", "executing", "suspended", "closed"}
    assert not Case.objects.filter(received_at__gt=at(moment)).exists()  # nothing dated after now
    for number, received in Case.objects.values_list("case_number", "received_at"):
        assert number.startswith(f"({timezone.localtime(received).year})")  # 收案年度
    assert Deadline.objects.filter(status="breached").exists()
    assert SupervisionOrder.objects.count() == 5
    assert Petition.objects.count() == 18  # six at each demo basic court
    assert Clue.objects.count() == 5
    # and once more on the same day: nothing new
    call_command("seed_demo")
    assert (Case.objects.count(), Petition.objects.count(), Clue.objects.count()) == (240, 18, 5)
