"""Who may do what on a 督办 order, a 执行信访 petition and an alert — the one place
that says it. The services call the ``require_*`` checks before they act (raising
``PermissionDenied`` with the message and code the API and the pages show); the
pages and templates call the ``can_*`` predicates, built on the same checks plus
the state the action needs, to decide which buttons to show.

Court scoping (who sees an object at all) stays in ``supervision.selectors``; the
role of a page (``supervision.issue_order`` …) in ``supervision.permissions``.
"""

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from core.exceptions import PermissionDenied
from core.models import Court, Role, User
from core.selectors import active_memberships, user_has_role_at, user_has_role_over
from enforcement.models import Case
from enforcement.selectors import case_handler_ids
from supervision.models import (
    Alert,
    OrderStatus,
    Petition,
    PetitionStatus,
    SupervisionOrder,
    SupervisionOrderResponse,
)
from supervision.selectors.alerts import alert_is_addressed_to

# 督办 is issued by the 专人监管 or the bureau head of an upper court (322号 §8, §28).
ORDER_ISSUER_ROLES = (Role.CASE_SUPERVISOR, Role.BUREAU_HEAD)
# The lower court answers through its bureau head, the case handler or its 专人监管.
ORDER_RESPONDER_ROLES = (Role.BUREAU_HEAD, Role.HANDLER, Role.CASE_SUPERVISOR)

# Receiving, registering and feeding back a petition: the court's enforcement
# staff, its 专人监管, and the court's systems (a 12368 or online-petition feed).
PETITION_STAFF_ROLES = (Role.CLERK, Role.HANDLER, Role.BUREAU_HEAD, Role.CASE_SUPERVISOR, Role.API_CLIENT)
# 办结 is decided by a named person answerable for it: the bureau head, the
# 专人监管 or the handler of the receiving court.
PETITION_CONCLUDER_ROLES = (Role.BUREAU_HEAD, Role.CASE_SUPERVISOR, Role.HANDLER)
# 转一案双查线索: the bureau head, 专人监管 or 监察 of the court or a court above it
# (双查规定 §4: the working group of the execution bureau, or the inspectors).
PETITION_DUALCHECK_ROLES = (Role.BUREAU_HEAD, Role.CASE_SUPERVISOR, Role.INSPECTOR)


def _passes(check: Callable[..., object], *args: object) -> bool:
    try:
        check(*args)
    except PermissionDenied:
        return False
    return True


# --- 督办 -------------------------------------------------------------------------------


def order_issuing_courts(user: User, case_court: Court | None = None) -> list[Court]:
    """The courts at which ``user`` may issue 督办 — on ``case_court`` when given
    (a court strictly above it), nearest first."""
    courts = {
        m.court.pk: m.court
        for m in active_memberships(user)
        if m.role in ORDER_ISSUER_ROLES
        and (case_court is None or (case_court.path.startswith(m.court.path) and m.court.pk != case_court.pk))
    }
    return sorted(courts.values(), key=lambda c: (-c.depth, c.path))


def require_order_issuing_court(user: User, case: Case, issuing_court: Court | None) -> Court:
    """The court ``user`` issues 督办 on ``case`` from: ``issuing_court`` if they may,
    else the nearest court above the case's where they may (322号 §28)."""
    allowed = order_issuing_courts(user, case.court)
    if not allowed:
        raise PermissionDenied(
            _("只有上级法院的专人监管或执行局长可以对本案督办（322号第28条）。"), code="not_upper_court"
        )
    if issuing_court is None:
        return allowed[0]
    if issuing_court.pk not in {c.pk for c in allowed}:
        raise PermissionDenied(
            _(
                "您不能以 %(court)s 的名义对本案督办：督办法院须是本案法院的上级法院，且您在该院任专人监管或执行局长。"
            )
            % {"court": issuing_court.name},
            code="not_upper_court",
        )
    return issuing_court


def can_issue_orders(user: User) -> bool:
    """The 发出督办 button of the order list."""
    return user.has_perm("supervision.issue_order") and bool(order_issuing_courts(user))


def can_issue_order_on(user: User, case: Case) -> bool:
    """The 发出督办 button of a case page: from a court strictly above the case's."""
    return user.has_perm("supervision.issue_order") and bool(order_issuing_courts(user, case.court))


def require_order_responder(user: User, order: SupervisionOrder) -> None:
    """回复督办: the target court's bureau head, handler or 专人监管 — never the issuer."""
    if not user_has_role_at(user, order.target_court, ORDER_RESPONDER_ROLES):
        raise PermissionDenied(
            _("只有被督办法院（%(court)s）的执行局长、承办人或专人监管可以回复督办。")
            % {"court": order.target_court.name},
            code="not_target_court",
        )
    if user.pk == order.issued_by_id:
        raise PermissionDenied(_("督办人不能回复自己发出的督办。"), code="maker_checker")


def require_order_issuer_side(user: User, order: SupervisionOrder) -> None:
    """认可、退回、撤回: the issuing court's (or a court above it) 专人监管 or bureau head."""
    if not user_has_role_over(user, order.issuing_court, ORDER_ISSUER_ROLES):
        raise PermissionDenied(
            _("只有督办法院（或其上级法院）的专人监管、执行局长可以办理。"), code="not_issuing_court"
        )


def require_not_own_response(user: User, response: SupervisionOrderResponse | None) -> None:
    """Maker-checker: who answered a round does not review it."""
    if response is not None and response.responded_by_id == user.pk:
        raise PermissionDenied(_("回复人不能审查自己的回复。"), code="maker_checker")


def can_respond_to_order(user: User, order: SupervisionOrder) -> bool:
    return order.status == OrderStatus.ISSUED and _passes(require_order_responder, user, order)


def can_review_order_response(
    user: User, order: SupervisionOrder, response: SupervisionOrderResponse | None
) -> bool:
    """认可 or 退回 the current round's ``response``."""
    return (
        order.status == OrderStatus.RESPONDED
        and _passes(require_order_issuer_side, user, order)
        and _passes(require_not_own_response, user, response)
    )


def can_withdraw_order(user: User, order: SupervisionOrder) -> bool:
    return order.status == OrderStatus.ISSUED and _passes(require_order_issuer_side, user, order)


# --- 执行信访 -------------------------------------------------------------------------------


def petition_receiving_courts(user: User) -> list[Court]:
    """The courts at which ``user`` may receive petitions (their own courts)."""
    courts = {m.court.pk: m.court for m in active_memberships(user) if m.role in PETITION_STAFF_ROLES}
    return sorted(courts.values(), key=lambda c: c.path)


def require_petition_staff(user: User, court: Court) -> None:
    """接收、录入、反馈: the receiving court's staff."""
    if not user_has_role_at(user, court, PETITION_STAFF_ROLES):
        raise PermissionDenied(
            _("只有 %(court)s 的书记员、承办人、执行局长或专人监管可以办理该信访。") % {"court": court.name},
            code="not_petition_court",
        )


def require_petition_concluder(user: User, petition: Petition) -> None:
    if not user_has_role_at(user, petition.court, PETITION_CONCLUDER_ROLES):
        raise PermissionDenied(
            _("信访办结须由 %(court)s 的执行局长、专人监管或承办人作出。") % {"court": petition.court.name},
            code="not_petition_concluder",
        )
    require_no_petition_conflict(user, petition)


def require_no_petition_conflict(user: User, petition: Petition) -> None:
    """Nobody decides a complaint about their own handling (322号 §30 有错必纠;
    lifecycle spec §8): the handler of the case the petition is about — the current
    one or any earlier one the case was reassigned from — may not conclude it."""
    case = petition.case
    if case is None:
        return
    if user.pk in case_handler_ids(case):
        raise PermissionDenied(
            _(
                "您是（或曾是）被信访案件 %(case)s 的承办人，不能办结针对该案的信访；"
                "请由执行局长、专人监管或其他承办人办结。"
            )
            % {"case": case.case_number},
            code="petition_concluder_conflict",
            extra={"case": case.case_number},
        )


def petition_conclude_refusal(user: User, petition: Petition) -> str:
    """Why the 办结 button is not offered to ``user`` although the petition awaits
    it and they hold a concluding role (the conflict of interest); "" otherwise."""
    if petition.status != PetitionStatus.REGISTERED or not user_has_role_at(
        user, petition.court, PETITION_CONCLUDER_ROLES
    ):
        return ""
    try:
        require_no_petition_conflict(user, petition)
    except PermissionDenied as exc:
        return str(exc.message)
    return ""


def require_petition_dualcheck_role(user: User, petition: Petition) -> None:
    if not user_has_role_over(user, petition.court, PETITION_DUALCHECK_ROLES):
        raise PermissionDenied(
            _("只有本院或上级法院的执行局长、专人监管或监察人员可以将信访转为一案双查线索。"),
            code="not_dualcheck_role",
        )


def can_register_petition(user: User, petition: Petition) -> bool:
    return petition.status == PetitionStatus.RECEIVED and _passes(
        require_petition_staff, user, petition.court
    )


def can_conclude_petition(user: User, petition: Petition) -> bool:
    return petition.status == PetitionStatus.REGISTERED and _passes(
        require_petition_concluder, user, petition
    )


def require_petition_feedback_giver(user: User, petition: Petition) -> None:
    """反馈: the receiving court's staff; for a petition flagged as a 一案双查 clue
    not the officers concerned (they must not see the result first)."""
    require_petition_staff(user, petition.court)
    if petition.flagged_for_dualcheck:
        require_no_petition_conflict(user, petition)


def can_feed_back_petition(user: User, petition: Petition) -> bool:
    return petition.status == PetitionStatus.CONCLUDED and _passes(
        require_petition_feedback_giver, user, petition
    )


def can_flag_petition_for_dualcheck(user: User, petition: Petition) -> bool:
    return not petition.flagged_for_dualcheck and _passes(require_petition_dualcheck_role, user, petition)


# --- alerts ---------------------------------------------------------------------------------


def require_alert_recipient(user: User, alert: Alert) -> None:
    """签收: only who the alert was sent to (``alert_is_addressed_to``)."""
    if not alert_is_addressed_to(alert, user):
        raise PermissionDenied(_("只有该预警的接收人可以签收。"))


def can_acknowledge_alert(user: User, alert: Alert) -> bool:
    return alert.acknowledged_at is None and _passes(require_alert_recipient, user, alert)
