"""``{% clock_corrections_for case user as rows %}``: a case's 待核实 clocks, scoped to
what ``user`` sees, with their decision forms (the case page's 补录核实 section)."""

from django import template

from core.selectors import clock_corrections_visible_to

register = template.Library()


@register.simple_tag
def clock_corrections_for(case, user) -> list[dict]:
    from core.views.clock_corrections import correction_rows

    if case is None or user is None or not getattr(user, "is_authenticated", False):
        return []
    return correction_rows(user, clock_corrections_visible_to(user, case_id=case.pk))
