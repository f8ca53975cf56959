"""站内通知 raised by enforcement (issue 16): a case assigned to its handler, a
request waiting for the court's bureau heads, the requester told the decision —
each to exactly the right people: never the actor, never another court. And the
over-seizure refusal offers the approval request in place, which notifies them."""

import re

import pytest

from core.models import Notification, NotificationKind, Role
from enforcement.models import Approval
from enforcement.services import closure
from enforcement.services.cases import case_assign
from tests.core.factories import make_member
from tests.enforcement.factories import make_case
from tests.enforcement.test_over_seizure import house_case  # noqa: F401 — the fixture
from tests.enforcement.test_views import action_url, detail_url

pytestmark = pytest.mark.django_db


def told(kind: str) -> set[int]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def test_registering_a_case_with_a_handler_tells_the_handler_only(courts, clerk, handler):
    other_handler = make_member(Role.HANDLER, courts.lu0103, "other_handler")
    case = make_case(clerk, courts.lu0102, handler=handler)
    (note,) = Notification.objects.filter(kind=NotificationKind.CASE_ASSIGNED)
    assert note.recipient_id == handler.pk and note.court_id == courts.lu0102.pk
    assert case.case_number in note.title and note.link == detail_url(case)
    assert (note.subject_type, note.subject_id) == ("enforcement.case", str(case.pk))
    assert other_handler.pk not in told(NotificationKind.CASE_ASSIGNED)


def test_changing_the_handler_tells_the_new_one_not_the_assigner_and_not_twice(
    courts, clerk, handler, bureau_head
):
    case = make_case(clerk, courts.lu0102)
    assert not Notification.objects.exists()
    second = make_member(Role.HANDLER, courts.lu0102, "second_handler")
    case_assign(actor=bureau_head, case=case, handler=second)
    assert told(NotificationKind.CASE_ASSIGNED) == {second.pk}
    case_assign(actor=bureau_head, case=case, handler=second, team="速执团队")  # same handler: nothing new
    assert Notification.objects.count() == 1
    case_assign(actor=handler, case=case, handler=handler)  # taking it oneself: nobody to tell
    assert Notification.objects.count() == 1


def test_an_approval_request_tells_the_courts_bureau_heads_not_the_requester_nor_other_courts(
    courts, clerk, handler, bureau_head
):
    second_head = make_member(Role.BUREAU_HEAD, courts.lu0102, "second_head")
    elsewhere = make_member(Role.BUREAU_HEAD, courts.lu0103, "head_0103")
    case = make_case(clerk, courts.lu0102, handler=handler)
    Notification.objects.all().delete()
    approval = closure.approval_request(
        actor=handler, case=case, kind="over_seizure", reason="唯一财产", payload={}
    )
    assert told(NotificationKind.APPROVAL_REQUESTED) == {bureau_head.pk, second_head.pk}
    assert elsewhere.pk not in told(NotificationKind.APPROVAL_REQUESTED)
    note = Notification.objects.get(recipient=bureau_head)
    assert (
        "超标的查封审批" in note.title and case.case_number in note.title and note.link == "/cases/approvals/"
    )
    # a bureau head asking: the other bureau head is told, not the one who asked
    Notification.objects.all().delete()
    closure.approval_decide(actor=bureau_head, approval=approval, approve=False, note="理由不足")
    closure.approval_request(actor=bureau_head, case=case, kind="over_seizure", reason="再申请", payload={})
    assert told(NotificationKind.APPROVAL_REQUESTED) == {second_head.pk}


def test_a_court_whose_only_bureau_head_asks_tells_its_leader_then_the_court_above(courts, clerk, handler, bureau_head):
    """Nobody else at the court may decide: the request must still reach someone who
    may (policy.can_approve: approvers of the court or a court above) — its court
    leader, else the nearest court above that has an approver; never further up."""
    case = make_case(clerk, courts.lu0102, handler=handler)
    intermediate_head = make_member(Role.BUREAU_HEAD, courts.lu01, "head_lu01")
    intermediate_leader = make_member(Role.COURT_LEADER, courts.lu01, "leader_lu01")
    high_head = make_member(Role.BUREAU_HEAD, courts.lu, "head_lu")
    sibling_head = make_member(Role.BUREAU_HEAD, courts.lu0103, "head_0103")
    Notification.objects.all().delete()

    # the court's only bureau head asks: the court above (鲁01) is told, not 鲁 nor a sibling
    first = closure.approval_request(actor=bureau_head, case=case, kind="over_seizure", reason="甲", payload={})
    assert told(NotificationKind.APPROVAL_REQUESTED) == {intermediate_head.pk, intermediate_leader.pk}
    assert not {high_head.pk, sibling_head.pk, bureau_head.pk} & told(NotificationKind.APPROVAL_REQUESTED)

    # with a court leader of its own, the leader is told instead
    leader = make_member(Role.COURT_LEADER, courts.lu0102, "leader_0102")
    closure.approval_decide(actor=intermediate_head, approval=first, approve=False, note="补充材料")
    Notification.objects.all().delete()
    closure.approval_request(actor=bureau_head, case=case, kind="over_seizure", reason="乙", payload={})
    assert told(NotificationKind.APPROVAL_REQUESTED) == {leader.pk}


def test_a_revoked_or_inactive_approver_is_not_told(courts, clerk, handler, bureau_head):
    case = make_case(clerk, courts.lu0102, handler=handler)
    bureau_head.is_active = False
    bureau_head.save()
    upper = make_member(Role.BUREAU_HEAD, courts.lu01, "head_lu01")
    Notification.objects.all().delete()
    closure.approval_request(actor=handler, case=case, kind="over_seizure", reason="唯一财产", payload={})
    assert told(NotificationKind.APPROVAL_REQUESTED) == {upper.pk}


@pytest.mark.parametrize("approve", [True, False])
def test_a_decision_tells_the_requester_only(courts, clerk, handler, bureau_head, approve):
    case = make_case(clerk, courts.lu0102, handler=handler)
    approval = closure.approval_request(
        actor=handler, case=case, kind="over_seizure", reason="唯一财产", payload={}
    )
    Notification.objects.all().delete()
    closure.approval_decide(
        actor=bureau_head, approval=approval, approve=approve, note="同意" if approve else "不同意"
    )
    (note,) = Notification.objects.all()
    assert note.recipient_id == handler.pk and note.kind == NotificationKind.REQUEST_DECIDED
    assert ("已批准" if approve else "已驳回") in note.title and note.link == detail_url(case)
    assert ("同意" if approve else "不同意") in note.body


def test_the_over_seizure_refusal_offers_the_request_which_notifies_the_bureau_head(
    client,
    courts,
    handler,
    bureau_head,
    house_case,  # noqa: F811
):
    case, house = house_case
    elsewhere = make_member(Role.BUREAU_HEAD, courts.lu0103, "head_0103")
    Notification.objects.all().delete()
    client.force_login(handler)
    # the refusal (value unknown → 322号 §15) with the request form in place
    r = client.post(
        action_url(case, "control", house), {"kind": "seize_real_estate", "effective_at": "2026-04-08T10:00"}
    )
    assert r.status_code == 422
    offer = re.search(r"<form[^>]*data-offer-approval.*?</form>", r.content.decode(), re.S).group(0)
    assert "提出超标的查封审批申请" in offer and 'name="reason"' in offer
    target = re.search(r'action="([^"]+)"', offer).group(1)
    assert target == action_url(case, "approval-request")
    # submitting it asks for the approval and tells the court's bureau head
    r = client.post(target, {"kind": "over_seizure", "asset": house.pk, "reason": "农村自建房，无法估算"})
    assert r.status_code in (200, 302)
    approval = Approval.objects.get()
    assert (approval.kind, approval.status, approval.requested_by_id) == (
        "over_seizure",
        "pending",
        handler.pk,
    )
    assert told(NotificationKind.APPROVAL_REQUESTED) == {bureau_head.pk}
    assert elsewhere.pk not in told(NotificationKind.APPROVAL_REQUESTED)
    # the bureau head sees it on the bell and reaches the approval queue from it
    client.force_login(bureau_head)
    html = client.get(detail_url(case)).content.decode()
    assert 'data-unread="1"' in html
    note = Notification.objects.get(recipient=bureau_head)
    r = client.get(f"/notifications/{note.pk}/open/")
    assert r.status_code == 302 and r["Location"] == "/cases/approvals/"
    assert "超标的查封审批" in client.get("/cases/approvals/").content.decode()


def test_a_terminal_closure_request_tells_the_bureau_head(courts, clerk, handler, bureau_head, monkeypatch):
    from enforcement.services import closure as closure_module

    case = make_case(clerk, courts.lu0102, handler=handler)
    monkeypatch.setattr(closure_module, "_check_closure", lambda *args, **kwargs: None)
    Notification.objects.all().delete()
    from tests.conftest import at

    result = closure.case_close(
        actor=handler,
        case=case,
        closure="terminated_this_round",
        closed_at=at("2026-11-20 10:00"),
        document="(2026)鲁0102执1001号之一",
    )
    assert isinstance(result, Approval)
    assert told(NotificationKind.APPROVAL_REQUESTED) == {bureau_head.pk}
