"""How django-pghistory records history here (settings ``PGHISTORY_DEFAULT_TRACKERS``
and every model that names its trackers).

An INSERT's history is written **once per statement**: one ``INSERT … SELECT`` from
the statement's new rows (a transition table), with the request's context attached
once. Row by row, the history trigger cost 0.13 ms per row — a PL/pgSQL call, the
context's ``INSERT … ON CONFLICT`` inside a subtransaction, one insert into the event
table — seven times the insert itself: 3,000 clocks took 0.42 s, of which 0.38 s was
the trigger; per statement the same insert takes 0.06 s (issue 17, ``make bench``
step 6). Every inserted row still gets its event, with the same values.

An UPDATE's history stays row by row: its condition (which columns changed) is then
evaluated by PostgreSQL in the trigger's ``WHEN`` before any function runs, so an
update that changes nothing tracked (the scan marking clocks breached) costs nothing.

Imported by the settings: no Django model may be imported here.
"""

import pghistory


class InsertEvent(pghistory.InsertEvent):
    """The ``insert`` event, written per statement.

    ``level`` is fixed rather than assigned: django-pghistory 3.8's ``RowEvent.__init__``
    discards its ``level`` argument, and the settings' trackers are deep-copied for
    every model, while pgtrigger recognises a level by identity — a copied
    ``Statement`` would compile a statement trigger around a row function."""

    @property  # type: ignore[override]
    def level(self):
        return pghistory.Statement

    @level.setter
    def level(self, _value) -> None:
        """Ignored: an insert event is always per statement."""

    def __deepcopy__(self, memo) -> "InsertEvent":
        # A fresh tracker, not a copy: pgtrigger also recognises the operation by
        # identity, and a copied ``Insert`` leaves the statement trigger without its
        # transition table.
        return type(self)(label=self.label)


def default_trackers() -> tuple[pghistory.InsertEvent, pghistory.UpdateEvent]:
    """What ``@pghistory.track()`` records: every insert, and every update that changes
    a tracked column."""
    return (InsertEvent(), pghistory.UpdateEvent())
