"""The forms every case-page action builds on: ``ActionForm`` (shown on a ``CasePage``,
acting on the case or one of its objects) and ``AtForm`` (one moment)."""


from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from core.web.forms import LocalDateTimeField, RowSet, local_now_input

# --- actions on a case -------------------------------------------------------------------------


@dataclass(frozen=True)
class ApprovalOffer:
    """A refusal that another person's approval would lift, offered under the refused
    form as the request for that approval (``_approval_offer.html``): where it posts,
    the approval ``kind`` and its other fields (hidden), and the words of its reason
    field and button."""

    url: str
    kind: str
    hidden: list[tuple[str, object]]
    label: str
    hint: str
    submit: str


class ActionForm(forms.Form):
    """A small form on the case page. ``page`` is the ``CasePage`` it is shown on and
    ``obj`` the sub-object (search, asset...) it acts on, if any."""

    template_name_action = "enforcement/_action_form.html"
    time_field = "at"

    def __init__(self, *args, page=None, obj=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.page, self.obj = page, obj
        self.unmet_details: list[dict] = []
        self.approval_offer: ApprovalOffer | None = None  # set by the view on a refusal it lifts
        for field in self.fields.values():
            if isinstance(field, LocalDateTimeField) and field.initial is None:
                field.initial = local_now_input

    def rowsets(self) -> list[RowSet]:
        return []


class AtForm(ActionForm):
    at = LocalDateTimeField(label=_("时间"))
