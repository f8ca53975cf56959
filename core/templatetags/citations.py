"""Citations (lifecycle spec §1.1): every page shows the article of the law in
force, with the seed's wording beside it where the seed quotes a superseded number,
and 未核实 while an admin has not confirmed the citation."""

from django import template

register = template.Library()


@register.inclusion_tag("core/_basis.html")
def rule_basis(rule) -> dict:
    """``{% rule_basis d.rule %}``: a rule's basis as every clock row shows it."""
    return {"text": rule.basis_text, "verified": rule.verified, "note": rule.basis_note, "code": rule.code}


@register.inclusion_tag("core/_basis.html")
def citation(cite) -> dict:
    """``{% citation c %}``: a ``LegalCitation`` (an article a seed quotes)."""
    return {"text": cite.text, "verified": cite.verified, "note": cite.note, "code": cite.code}
