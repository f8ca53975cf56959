"""Which roles may use which parts of the enforcement pages (django-rules). Court
scoping itself stays in ``enforcement.selectors``; these only say who sees the
navigation and may open the queues."""

import rules

from core.permissions import is_bureau_head, is_clerk, is_court_leader, is_handler

# 审批: the bureau head or a court leader decides overrides, 终本 and extensions.
rules.add_perm("enforcement.approve", is_bureau_head | is_court_leader)
# 办案: the people who register and progress cases in the browser.
rules.add_perm("enforcement.act", is_clerk | is_handler | is_bureau_head)
