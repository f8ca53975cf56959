"""The 强制措施与调查措施 section of the case page (issue 15): its rows and its forms.

The section's own forms act on the case as a sub-object (``on="coercion"``) so that they are
shown in this section, not in the side panel; a referral's outcome acts on the entry
(``on="coercionentry"``), a decision on an application on the application (``on="measureapp"``).
``enforcement/templatetags/coercion_tags.py`` hands the section to its include template."""

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from core.web.pages import Action, Done
from enforcement import forms as f
from enforcement import policy
from enforcement.models import CoercionKind
from enforcement.models.coercion import SANCTION_BASIS
from enforcement.selectors import (
    coercion_entries_of_case,
    coercion_findings_of_case,
    measure_applications_of_case,
    obstruction_decisions_of_case,
)
from enforcement.services import coercion as coercion_services

if TYPE_CHECKING:
    from enforcement.views.case_page import CasePage


def _do_entry(page: "CasePage", case: Any, form: Any) -> Done:
    d = form.cleaned_data
    entry = coercion_services.coercion_entry_record(
        actor=page.user, case=page.case, kind=d["kind"], decided_at=d["decided_at"],
        document_number=d.get("document_number") or "", party_id=d.get("party"), person_name=d.get("person_name") or "",
        target_kind=d.get("target_kind") or "", amount=d.get("amount"), start_on=d.get("start_on"),
        end_on=d.get("end_on"), note=d.get("note") or "", route=d.get("route") or "",
        application_id=d.get("application"),
    )
    return Done(_("已登记：%(k)s。") % {"k": entry.get_kind_display()})


def _do_finding(page: "CasePage", case: Any, form: Any) -> Done:
    d = form.cleaned_data
    coercion_services.coercion_finding_record(
        actor=page.user, case=page.case, party_id=d["party"], kind=d["kind"], found_at=d["found_at"],
        note=d.get("note") or "",
    )
    return Done(_("已登记妨害执行情形；终本前须依法处理。"))


def _do_application(page: "CasePage", case: Any, form: Any) -> Done:
    d = form.cleaned_data
    coercion_services.measure_application_receive(
        actor=page.user, case=page.case, applicant_id=d["applicant"], kind=d["kind"], applied_at=d["applied_at"],
        note=d.get("note") or "",
    )
    return Done(_("已登记申请执行人的申请。"))


def _do_not_sanctioned(page: "CasePage", case: Any, form: Any) -> Done:
    d = form.cleaned_data
    coercion_services.obstruction_not_sanctioned(
        actor=page.user, case=page.case, party_id=d["party"], at=d["at"], reason=d.get("reason") or ""
    )
    return Done(_("已登记不予采取强制措施的决定。"))


def _do_decide(page: "CasePage", application: Any, form: Any) -> Done:
    d = form.cleaned_data
    coercion_services.measure_application_decide(
        actor=page.user, application=application, grant=d["grant"], at=d["at"], reason=d.get("reason") or ""
    )
    return Done(_("已对申请作出决定。"))


def _do_outcome(page: "CasePage", entry: Any, form: Any) -> Done:
    d = form.cleaned_data
    coercion_services.referral_outcome_record(
        actor=page.user, entry=entry, outcome=d["outcome"], outcome_on=d["outcome_on"],
        outcome_document=d.get("outcome_document") or "",
    )
    return Done(_("已登记拒执罪移送的处理结果。"))


def _records(p: "CasePage", _obj: Any = None) -> bool:
    return policy.can_record_coercion(p.user, p.case)


COERCION_ACTIONS: dict[str, Action] = {
    a.slug: a
    for a in [
        Action("coercion-entry", f.CoercionEntryForm, _("登记强制措施/调查措施"), _("登记"), _do_entry, _records,
               on="coercion", code_fields={"application_not_granted": "application"}),
        Action("coercion-finding", f.CoercionFindingForm, _("登记妨害执行情形"), _("登记"), _do_finding, _records,
               on="coercion"),
        Action("measure-application", f.MeasureApplicationForm, _("登记申请执行人的调查措施申请"), _("登记"),
               _do_application, lambda p, o: _records(p) and bool(p.applicants), on="coercion"),
        Action("not-sanctioned", f.NotSanctionedForm, _("决定不予采取强制措施（执行局长）"), _("决定"),
               _do_not_sanctioned, lambda p, o: policy.can_decide_not_sanctioned(p.user, p.case) and bool(p.respondents),
               on="coercion"),
        Action("application-decide", f.ApplicationDecideForm, _("决定"), _("决定"), _do_decide,
               lambda p, a: policy.can_decide_application(p.user, a), on="measureapp"),
        Action("referral-outcome", f.ReferralOutcomeForm, _("登记处理结果"), _("登记"), _do_outcome,
               lambda p, e: policy.can_record_referral_outcome(p.user, e), on="coercionentry"),
    ]
}

# How ``case_action`` finds the object of each kind (``case_page.SUB_OBJECTS``).
COERCION_SUB_OBJECTS = {
    "coercion": lambda case: [case],
    "coercionentry": lambda case: case.coercion_entries.all(),
    "measureapp": lambda case: case.measure_applications.all(),
}


def coercion_section(page: "CasePage") -> dict[str, Any]:
    """The section's rows (entries, findings, applications, decisions) and forms."""
    case = page.case
    applications = list(measure_applications_of_case(case))
    page.coercion_applications = applications  # type: ignore[attr-defined]  # the entry form's choices
    entries = list(coercion_entries_of_case(case))
    return {
        "entries": [{"entry": e, "forms": page.forms_on("coercionentry", e)} for e in entries],
        "findings": list(coercion_findings_of_case(case)),
        "applications": [{"application": a, "forms": page.forms_on("measureapp", a)} for a in applications],
        "decisions": list(obstruction_decisions_of_case(case)),
        "forms": page.forms_on("coercion", case),
        "basis": SANCTION_BASIS,
        "referral": CoercionKind.REFUSAL_CRIME_REFERRAL.value,
    }
