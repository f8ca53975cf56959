"""Every URL of the URLconf, walked once: the authorization matrix classifies them
(``engine.classification_problems``), and 一案双查's own matrix
(``tests/dualcheck/test_permission_matrix.py``) takes its surfaces from them.
No world, no app."""

from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Pattern:
    name: str
    route: str
    namespace: str = ""
    callback: Any = field(default=None, compare=False, repr=False)


def url_patterns() -> list[Pattern]:
    found: list[Pattern] = []

    def walk(patterns, prefix: str, namespaces: list[str]) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(
                    p.url_patterns,
                    prefix + str(p.pattern),
                    namespaces + ([p.namespace] if p.namespace else []),
                )
            elif isinstance(p, URLPattern):
                name = ":".join([*namespaces, p.name]) if p.name else f"<unnamed {prefix + str(p.pattern)}>"
                found.append(Pattern(name, prefix + str(p.pattern), ":".join(namespaces), p.callback))

    walk(get_resolver().url_patterns, "", [])
    return found
