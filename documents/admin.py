"""Administrators replace a kind's Word template here (validated on upload: it must
render with the kind's variables) and read, never change, the generated documents."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from core.exceptions import ValidationFailed
from documents.context import VARIABLES
from documents.models import DocumentTemplate, GeneratedDocument
from documents.services import template_check, template_upload


class TemplateForm(forms.ModelForm):
    file = forms.FileField(
        label=_("Word 模板（.docx）"),
        help_text=_(
            "用 {{ 变量名 }} 填入案件数据，可用变量见下方列表；上传时按该文书的变量试填，无法填充的模板不予保存。"
        ),
    )

    class Meta:
        model = DocumentTemplate
        fields = ["kind"]

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        kind = cleaned.get("kind") or (self.instance.kind if self.instance.pk else None)
        if upload is not None and kind:
            content = upload.read()
            try:
                template_check(kind=kind, filename=upload.name, content=content)
            except ValidationFailed as exc:
                raise ValidationError({"file": exc.extra["fields"]["file"]}) from exc
            cleaned["content"] = content
        return cleaned


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):
    form = TemplateForm
    list_display = ["kind", "version", "filename", "uploaded_by", "uploaded_at"]
    readonly_fields = ["variables", "version", "filename", "uploaded_by", "uploaded_at"]

    @admin.display(description=_("可用变量"))
    def variables(self, obj=None):
        return format_html_join("", "<div><code>{{{{ {} }}}}</code> {}</div>", VARIABLES.items())

    def get_readonly_fields(self, request, obj=None):
        # the kind of an existing template is fixed: upload another file to replace it
        return [*self.readonly_fields, "kind"] if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data["file"]
        saved = template_upload(
            actor=request.user, kind=obj.kind, filename=upload.name, content=form.cleaned_data["content"]
        )
        obj.pk, obj.version = saved.pk, saved.version


@admin.register(GeneratedDocument)
class GeneratedDocumentAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "format", "case", "generated_by", "generated_at"]
    list_filter = ["kind", "format"]
    search_fields = ["number", "case__case_number"]
    fields = ["number", "kind", "format", "case", "court", "template_version", "generated_by", "generated_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
