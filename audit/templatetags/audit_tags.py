from django import template

from audit.services import can_reveal_party

register = template.Library()


@register.filter
def can_reveal(user, party) -> bool:
    """``{% if request.user|can_reveal:party %}``: show the reveal button."""
    return can_reveal_party(user, party)
