"""What the property rows of the 终本 gate (spec §3 #6–#13) need on a case without assets or
clues: for every respondent, an online search over every category the court has enabled, with
feedback, and an offline investigation (with its findings) over every category the court has
switched off or the online system cannot query. For the integrator's whole-gate fixture."""

import datetime as dt

from enforcement.models import Case, PartyRole, SearchChannel
from enforcement.services import assets as asset_services
from enforcement.services.gate.assets import offline_categories
from enforcement.services.gate.base import GateContext


def satisfy_gateprop_gate(case: Case, *, actor, at: dt.datetime, online: bool = True) -> None:
    """Searches at ``at``, their feedback one hour later (no findings). ``online=False`` when the
    fixture already searched its single respondent online and needs only the offline investigation."""
    offline = [c.code for c in offline_categories(GateContext(case=case, at=at))]
    for respondent in case.parties.filter(role=PartyRole.RESPONDENT).order_by("id"):
        if online:
            search = asset_services.search_launch(
                actor=actor, case=case, channel=SearchChannel.NATIONAL, category_codes=None, launched_at=at,
                respondent=respondent.pk,
            )
            asset_services.search_record_feedback(
                actor=actor, search=search, received_at=at + dt.timedelta(hours=1), findings=[]
            )
        if offline:
            visit = asset_services.search_launch(
                actor=actor, case=case, channel=SearchChannel.OFFLINE, category_codes=offline, launched_at=at,
                respondent=respondent.pk,
            )
            asset_services.search_record_feedback(
                actor=actor, search=visit, received_at=at + dt.timedelta(hours=1), findings=[],
                note="赴被执行人住所地调查，未发现可供执行的财产",
            )
