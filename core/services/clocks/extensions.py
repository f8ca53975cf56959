"""Extensions by rule (lifecycle spec §2): which clocks may be extended, in what
unit, up to what in total, approved by whom at which court. The policy is data
(``core.rule_catalogue.EXTENSIONS``); ``clock_extend`` and the approval flow of the
case obey it. A clock extended after its due moment stays breached on the record."""

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from core.exceptions import PermissionDenied, RuleViolation, ValidationFailed
from core.models import Court, Deadline, PeriodUnit, Role, User
from core.rule_catalogue import EXTENSIONS
from core.selectors import active_memberships


def extension_policy(rule_code: str) -> dict[str, Any] | None:
    """The rule's extension policy, or ``None`` when the law fixes the period."""
    return EXTENSIONS.get(rule_code)


def extension_used(deadline: Deadline) -> int:
    return sum(e.added for e in deadline.extensions.all())


def extension_max_total(deadline: Deadline, policy: dict[str, Any]) -> int:
    """The most all extensions of ``deadline`` together may add."""
    if "ceiling" in policy:
        return max(0, policy["ceiling"] - deadline.duration)
    if policy["max_total"] == "original":
        return deadline.duration
    return int(policy["max_total"])


def extension_remaining(deadline: Deadline) -> int:
    """How much more ``deadline`` may still be extended (0 for a fixed rule)."""
    policy = extension_policy(deadline.rule.code)
    if policy is None:
        return 0
    return max(0, extension_max_total(deadline, policy) - extension_used(deadline))


def unit_label(unit: str) -> str:
    return str(PeriodUnit(unit).label)


def extension_request_check(
    deadline: Deadline, *, added: Any, unit: str | None = None, at: dt.datetime | None = None, pending: int = 0
) -> None:
    """Refuse what the rule does not allow: a fixed rule, another unit than the
    clock's, more than the rule's maximum (``pending``: requested, not yet decided),
    a 审限 request after the due moment."""
    rule = deadline.rule
    policy = extension_policy(rule.code)
    if policy is None:
        raise RuleViolation(
            _("%(rule)s 的期限由法律规定，不得延长。") % {"rule": rule.name_zh},
            code="extension_not_allowed",
            extra={"rule": rule.code, "basis": rule.basis},
        )
    if unit is not None and unit != deadline.unit:
        raise ValidationFailed(
            _("%(rule)s 按%(unit)s计算，延长的单位须相同。") % {"rule": rule.name_zh, "unit": unit_label(deadline.unit)},
            code="extension_unit_mismatch",
            extra={"fields": {"unit": [str(_("延长的单位须为%(unit)s。") % {"unit": unit_label(deadline.unit)})]},
                   "unit": deadline.unit},
        )
    if not isinstance(added, int) or isinstance(added, bool) or added <= 0:
        raise ValidationFailed.for_field("added", _("延长期限必须为正整数。"))
    max_total, used = extension_max_total(deadline, policy), extension_used(deadline) + pending
    if used + added > max_total:
        if "ceiling" in policy:  # the ceiling counts the period itself (SELF_DISPOSAL ≤ 90 days)
            max_total, used = policy["ceiling"], deadline.duration + used
            template = _("%(rule)s 连同延长最长 %(max)s %(unit)s，已定 %(used)s，不能再延长 %(added)s。")
        else:
            template = _("%(rule)s 累计最多延长 %(max)s %(unit)s，已延长 %(used)s，不能再延长 %(added)s。")
        message = str(template) % {
            "rule": rule.name_zh, "max": max_total, "unit": unit_label(deadline.unit), "used": used, "added": added,
        }
        raise RuleViolation(
            message,
            code="extension_exceeds_maximum",
            extra={"fields": {"added": [str(message)]}, "max_total": max_total, "used": used, "unit": deadline.unit},
        )
    if policy.get("request_before_due") and at is not None and at > deadline.due_at:
        raise RuleViolation(
            _("%(rule)s 的延长申请须在期限届满前提出。") % {"rule": rule.name_zh},
            code="extension_request_late",
            extra={"due_at": deadline.due_at.isoformat()},
        )


def _approving_court(deadline: Deadline, policy: dict[str, Any]) -> Court:
    """The court whose leaders decide: the clock's own, or the subject's issuer."""
    if policy["court"] == "issuing" and deadline.subject_type is not None and deadline.subject_id:
        subject = deadline.subject_type.get_object_for_this_type(pk=deadline.subject_id)
        issuer = getattr(subject, "issuing_court", None)
        if issuer is not None:
            return issuer
    return deadline.court


def _court_matches(member_court: Court, court: Court, mode: str, clock_court: Court) -> bool:
    if mode == "case":
        return member_court.pk == court.pk
    if mode == "upper":
        return clock_court.path.startswith(member_court.path) and member_court.pk != clock_court.pk
    return court.path.startswith(member_court.path)  # "issuing": that court or above it


def extension_approver_check(deadline: Deadline, user: User) -> None:
    """403 ``extension_wrong_role`` when ``user`` holds none of the rule's approver
    roles, ``extension_wrong_court`` when only at another court."""
    policy = extension_policy(deadline.rule.code)
    if policy is None:
        extension_request_check(deadline, added=1)  # raises extension_not_allowed
        return
    roles = set(policy["approver_roles"])
    court = _approving_court(deadline, policy)
    holding = [m for m in active_memberships(user) if m.role in roles]
    if any(_court_matches(m.court, court, policy["court"], deadline.court) for m in holding):
        return
    extra = {"rule": deadline.rule.code, "roles": sorted(roles), "court": court.code}
    if holding:
        raise PermissionDenied(
            _("%(rule)s 的延长须由%(who)s批准。") % {"rule": deadline.rule.name_zh, "who": policy["approver_zh"]},
            code="extension_wrong_court",
            extra=extra,
        )
    raise PermissionDenied(
        _("%(rule)s 的延长须由%(who)s批准（%(roles)s）。")
        % {
            "rule": deadline.rule.name_zh,
            "who": policy["approver_zh"],
            "roles": "、".join(str(Role(r).label) for r in sorted(roles)),
        },
        code="extension_wrong_role",
        extra=extra,
    )


def breached_before_extension(deadline: Deadline) -> dt.datetime | None:
    """The due moment a clock had passed when an extension was approved after it
    (the breach the extension does not undo), or ``None``."""
    late = [e.previous_due_at for e in deadline.extensions.all() if e.approved_at > e.previous_due_at]
    return min(late) if late else None


def breach_kept(deadline: Deadline, stopped_at: dt.datetime) -> bool:
    """True when a stop at ``stopped_at`` is a breach although within the extended
    due moment: the extension was approved after an earlier due had passed, and
    the stop came after that due."""
    first = breached_before_extension(deadline)
    return first is not None and stopped_at > first


def within_extension(deadline: Deadline) -> bool:
    """超期（延长后按期完成）: breached, and completed by the extended due moment."""
    return (
        deadline.status == "breached"
        and deadline.completed_at is not None
        and deadline.completed_at <= deadline.due_at
        and deadline.extensions.exists()
    )


def extension_rows() -> list[dict[str, Any]]:
    """One row per extendable rule, for the catalogue page."""
    rows = []
    for code, policy in EXTENSIONS.items():
        limit: Any
        if "ceiling" in policy:
            limit = _("期限连同延长合计不超过 %(n)s %(unit)s") % {"n": policy["ceiling"], "unit": unit_label(policy["unit"])}
        elif policy["max_total"] == "original":
            limit = _("累计不超过原定期限")
        else:
            limit = _("累计不超过 %(n)s %(unit)s") % {"n": policy["max_total"], "unit": unit_label(policy["unit"])}
        rows.append({"code": code, "approver": policy["approver_zh"], "limit": limit, "unit": unit_label(policy["unit"]),
                     "basis": policy["basis"], "request_before_due": bool(policy.get("request_before_due"))})
    return rows
