from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import PeriodUnit


class DueDateForm(forms.Form):
    start = forms.DateField(label=_("起算日"), widget=forms.DateInput(attrs={"type": "date"}))
    days = forms.IntegerField(label=_("期限"), min_value=0, max_value=3660, initial=5)
    unit = forms.ChoiceField(
        label=_("单位"),
        choices=[
            (PeriodUnit.WORKING_DAYS, PeriodUnit.WORKING_DAYS.label),
            (PeriodUnit.CALENDAR_DAYS, PeriodUnit.CALENDAR_DAYS.label),
            (PeriodUnit.MONTHS, PeriodUnit.MONTHS.label),
        ],
        initial=PeriodUnit.WORKING_DAYS,
    )
