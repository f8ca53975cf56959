"""Announcements to other apps (custody_funds opens the case's account). Receivers
do their own work through their own services; no business rule lives here."""

from django.dispatch import Signal

# sent inside the registering transaction with ``case``
case_registered = Signal()
