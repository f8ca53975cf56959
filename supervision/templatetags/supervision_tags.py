from django import template

from supervision import policy

register = template.Library()


@register.filter
def can_issue_order_on(user, case) -> bool:
    """``{% if request.user|can_issue_order_on:case %}`` (the case page of
    enforcement): the 发出督办 button, by ``supervision.policy.can_issue_order_on``."""
    return policy.can_issue_order_on(user, case)
