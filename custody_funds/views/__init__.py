"""Browser pages of case funds, under /funds/ (the REST routes are in api/urls.py):
the case's funds page (``case``), its actions (``case_actions``) and the queues
(``queues``)."""
