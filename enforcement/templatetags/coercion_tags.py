"""``{% coercion_section page as section %}``: the 强制措施与调查措施 section of the case page."""

from typing import Any

from django import template

from enforcement.views.coercion import coercion_section as _section

register = template.Library()


@register.simple_tag
def coercion_section(page: Any) -> dict[str, Any]:
    return _section(page)
