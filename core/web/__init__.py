"""What every server-rendered page of every app shares.

- ``htmx``: htmx partial vs full rendering, safe ``next`` redirects.
- ``pages``: running a service for a page (``call_service``), one action of a page
  (``Action``, ``Done``, ``action_run``) and the page that offers actions
  (``ActionPage``).
- ``forms``: the inputs every form shares (Beijing-time ``LocalDateTimeField``, dates,
  money, repeated rows) and ``place_error``, which puts a service's refusal next to
  the input it is about.
- ``clocks``: one row per clock — due date, time left in the clock's own unit,
  urgency, 暂定.
"""

# The names pages imported from ``core.web`` before it became a package; imports
# move to the submodules as each app adopts them (removed once none is left).
from core.web.clocks import urgency
from core.web.htmx import is_partial, render_body_or_page, safe_next
from core.web.pages import call_service

__all__ = ["call_service", "is_partial", "render_body_or_page", "safe_next", "urgency"]
