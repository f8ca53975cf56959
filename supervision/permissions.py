"""Which roles may use which supervision pages (django-rules predicates). Court
scoping stays in the selectors; who may act on which order, petition or alert in
``supervision.policy``. Imported by ``SupervisionConfig.ready`` (django-rules only
discovers modules named ``rules``)."""

import rules

from core.permissions import (
    is_bureau_head,
    is_case_supervisor,
    is_court_admin,
    is_court_leader,
    is_inspector,
    is_person,
)

VIEW_DASHBOARD = "supervision.view_dashboard"
ISSUE_ORDER = "supervision.issue_order"
USE_INBOX = "supervision.use_inbox"

# 监督看板、筛查、质效指标: the supervisory posts (322号 §8, §12).
rules.add_perm(
    VIEW_DASHBOARD,
    is_case_supervisor | is_bureau_head | is_court_leader | is_inspector | is_court_admin,
)
# 督办: issued by the 专人监管 or the bureau head of an upper court (322号 §28).
rules.add_perm(ISSUE_ORDER, is_case_supervisor | is_bureau_head)
# 预警收件箱: everyone who works in the browser may receive alerts.
rules.add_perm(USE_INBOX, is_person)
