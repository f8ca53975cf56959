"""Read side of supervision, one module per subdomain. Every query is scoped by
court here, never only in a view (DESIGN "Who sees what").

* ``alerts`` — the escalation ladder's alerts, the inbox, their recipients;
* ``orders`` — 督办 orders, their clocks, alerts and timeline;
* ``petitions`` — 执行信访;
* ``scope`` — the courts a supervisor looks at (dashboards, screening, indicators);
* ``clocks`` — running clocks probed per court, as pageable lists;
* ``dashboard``, ``screening``, ``indicators`` — the supervisory pages' figures.

Other apps import the module they need (``supervision.selectors.orders``)."""
