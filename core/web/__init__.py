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

