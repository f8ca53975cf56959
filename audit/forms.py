from django import forms
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent


class AuditFilterForm(forms.Form):
    event = forms.ChoiceField(label=_("事件"), required=False, choices=[("", _("全部")), *AuditEvent.choices])
    success = forms.TypedChoiceField(
        label=_("结果"),
        required=False,
        choices=[("", _("全部")), ("1", _("成功")), ("0", _("失败或被拒绝"))],
        coerce=lambda v: v == "1",
        empty_value=None,
    )
    user = forms.CharField(label=_("用户名"), required=False, max_length=150)
    since = forms.DateTimeField(label=_("起"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    until = forms.DateTimeField(label=_("止"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
