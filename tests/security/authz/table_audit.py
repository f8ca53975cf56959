"""The authorization table of audit: revealing a party's whole ID and phone number,
and the audit trail."""

from tests.security.authz.engine import (
    Entry,
    Op,
    at_own,
    roles,
    sees,
)
from tests.security.authz.vocab import (
    ACTING,
    AUDIT_READERS,
    _d,
    _no_kwargs,
    in_scope,
    own_court,
)

TABLE: list[Entry] = [
    # --- audit ---------------------------------------------------------------------------------------
    # The audit app: reveal of a party's whole ID and phone number (the people who
    # handle cases at the case's own court, and its systems; every reveal is
    # recorded — in the audit trail only, so no domain write), and the audit trail
    # (the supervision department, court leaders, administrators: the records of
    # the people of their courts). A new audit URL fails ``test_every_url_is_classified``
    # until it has its entry here.
    Entry(
        "audit:party-reveal",
        lambda w: {"case_id": w.o.main.pk, "party_id": w.o.applicant.pk},
        (Op("POST", at_own(*ACTING), 200, writes=False, shows=own_court),),
        scope=sees,
    ),
    Entry(
        "api-party-reveal",
        lambda w: {"case_id": w.o.main.pk, "party_id": w.o.applicant.pk},
        (Op("POST", at_own(*ACTING, "api_client"), 200, writes=False, shows=own_court),),
        scope=sees,
    ),
    Entry(
        "audit:records",
        _no_kwargs,
        (Op("GET", roles(*AUDIT_READERS), shows=in_scope("audit")),),
        gate=roles(*AUDIT_READERS),
    ),
    Entry(
        "api-audit-records",
        _no_kwargs,
        # everyone may ask; only the readers get rows (the others an empty list)
        (
            Op(
                "GET",
                data=_d(page_size=500),
                shows=lambda w, r, p: in_scope("audit")(w, r, p) if r in AUDIT_READERS else set(),
            ),
        ),
    ),
]
