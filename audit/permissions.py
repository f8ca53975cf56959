import rules

from core.permissions import is_court_admin, is_court_leader, is_inspector

# The audit trail: the supervision department, court leaders, court administrators.
rules.add_perm("audit.view_records", is_inspector | is_court_leader | is_court_admin)
