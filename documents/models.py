"""Generated documents kept on the case, the court's running numbers, and the Word
templates administrators replace.

Files are kept in the database (``BinaryField``), as the Excel exports are
(``core.models.exports``): every web and worker process reads the same bytes, with
no shared disk to mount, back up or scope separately."""

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from documents.kinds import DocumentFormat, DocumentKind


class DocumentCounter(models.Model):
    """The last number a court gave to documents of one kind in one year (the
    sequence ``document_number`` prints). Advanced only by ``services.numbers`` with
    one ``INSERT … ON CONFLICT DO UPDATE … RETURNING``: the row stays locked until the
    generating transaction commits, so two generations never take the same number,
    and a generation that fails gives its number back with its rollback."""

    court = models.ForeignKey("core.Court", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("文书种类"), max_length=30, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用至"))

    class Meta:
        verbose_name = _("文书编号计数")
        verbose_name_plural = _("文书编号计数")
        constraints = [
            models.UniqueConstraint(fields=["court", "kind", "year"], name="document_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.court_id} {self.kind} {self.year}: {self.last}"


@pghistory.track()
class DocumentTemplate(models.Model):
    """An administrator's Word template for one kind, replacing the built-in default
    (``documents.defaults``). One per kind; uploading again replaces it and raises the
    version (the history keeps who uploaded what). Deleting it restores the default."""

    kind = models.CharField(_("文书种类"), max_length=30, choices=DocumentKind.choices, unique=True)
    filename = models.CharField(_("文件名"), max_length=200)
    content = models.BinaryField(_("模板文件"), editable=False)
    version = models.PositiveIntegerField(_("版本"), default=1)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"

    @property
    def version_label(self) -> str:
        return f"upload-v{self.version}"


@pghistory.track()
class GeneratedDocument(models.Model):
    """A document generated for a case: immutable once written — the service creates it and
    PostgreSQL refuses UPDATE and DELETE (trigger below); the history records its creation."""

    case = models.ForeignKey("enforcement.Case", on_delete=models.PROTECT, related_name="documents")
    court = models.ForeignKey("core.Court", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("文书种类"), max_length=30, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    sequence = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("文书编号"), max_length=80)
    format = models.CharField(_("格式"), max_length=4, choices=DocumentFormat.choices)
    filename = models.CharField(_("文件名"), max_length=200)
    content = models.BinaryField(_("文件"), editable=False)
    template_version = models.CharField(_("模板版本"), max_length=40)
    # the record the document is about (a measure, a disbursement), when it has one
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("生成人"), on_delete=models.PROTECT, related_name="+"
    )
    generated_at = models.DateTimeField(_("生成时间"))

    class Meta:
        verbose_name = _("已生成文书")
        verbose_name_plural = _("已生成文书")
        ordering = ["-generated_at", "-id"]
        indexes = [models.Index(fields=["case", "-generated_at"], name="document_case_recent")]
        constraints = [
            # the court's sequence is never reused
            models.UniqueConstraint(
                fields=["court", "kind", "year", "sequence"], name="document_number_unique"
            ),
            models.CheckConstraint(condition=Q(sequence__gt=0), name="document_sequence_positive"),
        ]
        triggers = [
            pgtrigger.Protect(
                name="generated_document_immutable", operation=pgtrigger.Update | pgtrigger.Delete
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"
