"""Announcements from the kernel. Receivers (supervision) do their own work in their
own tables; the kernel never imports them."""

from django.dispatch import Signal

# Sent inside the stopping transaction with ``deadline_ids`` (list[int]) and
# ``stopped_at``: the clocks have just stopped (met, breached or waived).
clocks_stopped = Signal()

# Sent inside the recomputing transaction with ``deadline_ids`` (list[int]) and
# ``at``: the clocks' schedules changed (a working calendar was loaded or edited);
# alerts for thresholds that now lie ahead no longer apply.
clocks_rescheduled = Signal()
