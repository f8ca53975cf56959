"""Announcements from the kernel. Receivers (supervision) do their own work in their
own tables; the kernel never imports them."""

from django.dispatch import Signal

# Sent inside the stopping transaction with ``deadline_ids`` (list[int]) and
# ``stopped_at``: the clocks have just stopped (met, breached or waived).
clocks_stopped = Signal()
