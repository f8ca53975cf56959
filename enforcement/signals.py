"""Announcements to other apps (custody_funds opens the case's account). Receivers
do their own work through their own services; no business rule lives here."""

from django.dispatch import Signal

# sent inside the registering transaction with ``case``
case_registered = Signal()

# sent inside the transaction of a bulk registration with ``cases`` (a list, every
# case new). Whatever a receiver of ``case_registered`` does for one case, a receiver
# of this signal does for all of them at once: the two are connected in pairs.
cases_registered = Signal()
