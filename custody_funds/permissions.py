"""Which roles may open the queues of the case-funds pages (django-rules; imported by
``CustodyFundsConfig.ready()``, the file was ``rules.py``). Court
scoping stays in the selectors and the services check the role at the case's court;
these only say who sees the navigation and may open each queue."""

import rules

from core.permissions import (
    is_bureau_head,
    is_case_supervisor,
    is_clerk,
    is_court_leader,
    is_finance,
    is_handler,
)

# 财务待付: finance pays the notified disbursements (322号 §22).
rules.add_perm("custody_funds.pay", is_finance)
# 不明款: matched by finance or the enforcement staff; the case supervisor watches their age.
rules.add_perm("custody_funds.match", is_finance | is_clerk | is_handler | is_bureau_head | is_case_supervisor)
# 到账日报: every receipt of the day across cases — finance, the enforcement staff who
# match them, and the bureau head, case supervisor and court leader who watch the money.
rules.add_perm(
    "custody_funds.view_receipts",
    is_finance | is_clerk | is_handler | is_bureau_head | is_case_supervisor | is_court_leader,
)
# 对账: the day's totals and the bank's statement against what was recorded — finance,
# the bureau head and court leader who answer for the custody account, and the case
# supervisor who watches 不明款 and the money held (read-only).
rules.add_perm("custody_funds.reconcile", is_finance | is_bureau_head | is_court_leader | is_case_supervisor)
# 案款审批: payments, 延缓发放 and 提存 are approved by the bureau head or a court leader.
rules.add_perm("custody_funds.approve", is_bureau_head | is_court_leader)
