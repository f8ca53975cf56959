from django import template

register = template.Library()


@register.filter
def can_issue_order_on(user, case) -> bool:
    """``{% if request.user|can_issue_order_on:case %}``: the 发出督办 button shows only to
    someone who may issue an order on this case (from a court strictly above it)."""
    from supervision.selectors_orders import order_issuing_courts

    return bool(user.has_perm("supervision.issue_order") and order_issuing_courts(user, case.court))
